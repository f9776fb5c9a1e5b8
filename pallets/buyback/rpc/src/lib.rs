//! JSON-RPC of the buyback treasury, for integrators and DAO members who watch it: what the
//! treasury holds and has bought since genesis, the protocol revenue of a day (the DAO's revenue
//! metric), the last round and the price it paid, and the rounds' parameters.
//!
//! Answers come from the `BuybackApi` runtime API at the best block (or `at`), in the JSON
//! conventions of `vcity-rpc-common`.

mod view;

use jsonrpsee::{core::RpcResult, proc_macros::rpc};
use pallet_buyback_runtime_api::BuybackApi as RuntimeApi;
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_runtime::traits::Block as BlockT;
use std::sync::Arc;
use vcity_primitives::{DayIndex, TreasuryView};
use vcity_rpc_common::{runtime_error, ChainReader};

pub use view::{BuybackJson, ParamsJson};

/// `vcity_*` methods about the buyback treasury. Amounts and prices are decimal strings: VCAI
/// amounts and prices (18 decimals) pass 2^53 long before they are large.
#[rpc(client, server, namespace = "vcity")]
pub trait BuybackApi<BlockHash> {
	/// The treasury's holdings, its books since genesis and the pool's prices.
	#[method(name = "buybackTreasury")]
	fn buyback_treasury(&self, at: Option<BlockHash>) -> RpcResult<TreasuryView>;

	/// The last round that swapped; `null` before the first.
	#[method(name = "lastBuyback")]
	fn last_buyback(&self, at: Option<BlockHash>) -> RpcResult<Option<BuybackJson>>;

	/// USDV (base units) of protocol revenue recorded on `day`; `null` for a day not yet begun or
	/// older than the year of history kept.
	#[method(name = "revenueOn")]
	fn revenue_on(&self, day: DayIndex, at: Option<BlockHash>) -> RpcResult<Option<String>>;

	/// The rounds' parameters in force.
	#[method(name = "buybackParams")]
	fn buyback_params(&self, at: Option<BlockHash>) -> RpcResult<ParamsJson>;
}

/// Implementation over a client that has the runtime API.
pub struct Buyback<C, Block>(ChainReader<C, Block>);

impl<C, Block> Buyback<C, Block> {
	pub fn new(client: Arc<C>) -> Self {
		Self(ChainReader::new(client))
	}
}

impl<C, Block> BuybackApiServer<<Block as BlockT>::Hash> for Buyback<C, Block>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: RuntimeApi<Block>,
{
	fn buyback_treasury(&self, at: Option<Block::Hash>) -> RpcResult<TreasuryView> {
		let (api, at) = self.0.api_at(at);
		api.treasury(at).map_err(runtime_error)
	}

	fn last_buyback(&self, at: Option<Block::Hash>) -> RpcResult<Option<BuybackJson>> {
		let (api, at) = self.0.api_at(at);
		let record = api.last_buyback(at).map_err(runtime_error)?;
		Ok(record.map(Into::into))
	}

	fn revenue_on(&self, day: DayIndex, at: Option<Block::Hash>) -> RpcResult<Option<String>> {
		let (api, at) = self.0.api_at(at);
		let revenue = api.revenue_on(at, day).map_err(runtime_error)?;
		Ok(revenue.map(|r| r.to_string()))
	}

	fn buyback_params(&self, at: Option<Block::Hash>) -> RpcResult<ParamsJson> {
		let (api, at) = self.0.api_at(at);
		let params = api.params(at).map_err(runtime_error)?;
		Ok(params.into())
	}
}

#[cfg(test)]
mod tests;

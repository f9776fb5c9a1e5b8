//! JSON-RPC of veVCAI: an account's lock, its weight now and in the start-of-day snapshots that
//! votes count, the network's totals, and what the revenue distributor owes an account.
//!
//! Answers come from the `VeVcaiApi` runtime API at the best block (or `at`), in the JSON
//! conventions of `vcity-rpc-common`. Locks and totals go out as the primitives' `VeLockView` and
//! `VeTotals` render themselves: amounts (VCAI base units, 18 decimals) and weights as decimal
//! strings, days and milliseconds as numbers.
//!
//! Weights go out as the exact integers the runtime keeps, with no display figure beside them:
//! users see a weight divided by `VE_MAX_LOCK_DAYS` × √`VE_SLOPE_SCALE` × √10^18 = 1.461 × 10^15,
//! and as 1,461 = 3 × 487 that quotient has no exact decimal, so any figure here would be a
//! rounding clients could not tell from the real value.

use jsonrpsee::{core::RpcResult, proc_macros::rpc};
use pallet_ve_vcai_runtime_api::VeVcaiApi as RuntimeApi;
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::crypto::AccountId32;
use sp_runtime::traits::Block as BlockT;
use std::sync::Arc;
use vcity_primitives::{Balance, DayIndex, VeLockView, VeTotals};
use vcity_rpc_common::{parse_account, runtime_error, ChainReader};

/// `vcity_ve*` methods about veVCAI. Amounts and weights are decimal strings: both pass 2^53
/// long before they are large.
#[rpc(client, server, namespace = "vcity")]
pub trait VeVcaiApi<BlockHash> {
	/// The lock of the account with this SS58 address; `null` if it has none.
	#[method(name = "veLock")]
	fn ve_lock(&self, account: String, at: Option<BlockHash>) -> RpcResult<Option<VeLockView>>;

	/// The account's weight now, changes made today included; `"0"` without a live lock.
	#[method(name = "veWeight")]
	fn ve_weight(&self, account: String, at: Option<BlockHash>) -> RpcResult<String>;

	/// The account's weight in the start-of-day snapshot of `day`, which is what a vote with that
	/// snapshot day counts; `null` for a day not yet begun or older than the kept history.
	#[method(name = "veWeightAt")]
	fn ve_weight_at(
		&self,
		account: String,
		day: DayIndex,
		at: Option<BlockHash>,
	) -> RpcResult<Option<String>>;

	/// Network-wide veVCAI figures.
	#[method(name = "veTotals")]
	fn ve_totals(&self, at: Option<BlockHash>) -> RpcResult<VeTotals<Balance>>;

	/// Σ of the weights in the start-of-day snapshot of `day`; `null` for a day not yet begun.
	#[method(name = "veTotalWeightAt")]
	fn ve_total_weight_at(&self, day: DayIndex, at: Option<BlockHash>) -> RpcResult<Option<String>>;

	/// VCAI (base units) the account can claim now.
	#[method(name = "vePendingRewards")]
	fn ve_pending_rewards(&self, account: String, at: Option<BlockHash>) -> RpcResult<String>;
}

/// Implementation over a client that has the runtime API.
pub struct VeVcai<C, Block>(ChainReader<C, Block>);

impl<C, Block> VeVcai<C, Block> {
	pub fn new(client: Arc<C>) -> Self {
		Self(ChainReader::new(client))
	}
}

impl<C, Block> VeVcaiApiServer<<Block as BlockT>::Hash> for VeVcai<C, Block>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: RuntimeApi<Block, AccountId32, Balance>,
{
	fn ve_lock(&self, account: String, at: Option<Block::Hash>) -> RpcResult<Option<VeLockView>> {
		let who = parse_account(&account)?;
		let (api, at) = self.0.api_at(at);
		api.lock(at, who).map_err(runtime_error)
	}

	fn ve_weight(&self, account: String, at: Option<Block::Hash>) -> RpcResult<String> {
		let who = parse_account(&account)?;
		let (api, at) = self.0.api_at(at);
		let weight = api.weight(at, who).map_err(runtime_error)?;
		Ok(weight.to_string())
	}

	fn ve_weight_at(
		&self,
		account: String,
		day: DayIndex,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<String>> {
		let who = parse_account(&account)?;
		let (api, at) = self.0.api_at(at);
		let weight = api.weight_at(at, who, day).map_err(runtime_error)?;
		Ok(weight.map(|w| w.to_string()))
	}

	fn ve_totals(&self, at: Option<Block::Hash>) -> RpcResult<VeTotals<Balance>> {
		let (api, at) = self.0.api_at(at);
		api.totals(at).map_err(runtime_error)
	}

	fn ve_total_weight_at(&self, day: DayIndex, at: Option<Block::Hash>) -> RpcResult<Option<String>> {
		let (api, at) = self.0.api_at(at);
		let weight = api.total_weight_at(at, day).map_err(runtime_error)?;
		Ok(weight.map(|w| w.to_string()))
	}

	fn ve_pending_rewards(&self, account: String, at: Option<Block::Hash>) -> RpcResult<String> {
		let who = parse_account(&account)?;
		let (api, at) = self.0.api_at(at);
		let pending = api.pending_rewards(at, who).map_err(runtime_error)?;
		Ok(pending.to_string())
	}
}

#[cfg(test)]
mod tests;

//! JSON-RPC of veVCAI: an account's lock, its weight now and in the start-of-day snapshots that
//! votes count, the network's totals, and what the revenue distributor owes an account.
//!
//! Answers come from the `VeVcaiApi` runtime API at the best block (or `at`), in the same JSON
//! conventions as the registry's and the market's methods.

mod view;

use jsonrpsee::{core::RpcResult, proc_macros::rpc};
pub use pallet_compute_registry_rpc::parse_account;
use pallet_compute_registry_rpc::runtime_error;
use pallet_ve_vcai_runtime_api::VeVcaiApi as RuntimeApi;
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::crypto::AccountId32;
use sp_runtime::traits::Block as BlockT;
use std::sync::Arc;
use vcity_primitives::{Balance, DayIndex};

pub use view::{VeLockJson, VeTotalsJson};

/// `vcity_ve*` methods about veVCAI. Amounts and weights are decimal strings: both pass 2^53
/// long before they are large.
#[rpc(client, server, namespace = "vcity")]
pub trait VeVcaiApi<BlockHash> {
	/// The lock of the account with this SS58 address; `null` if it has none.
	#[method(name = "veLock")]
	fn ve_lock(&self, account: String, at: Option<BlockHash>) -> RpcResult<Option<VeLockJson>>;

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
	fn ve_totals(&self, at: Option<BlockHash>) -> RpcResult<VeTotalsJson>;

	/// Σ of the weights in the start-of-day snapshot of `day`; `null` for a day not yet begun.
	#[method(name = "veTotalWeightAt")]
	fn ve_total_weight_at(&self, day: DayIndex, at: Option<BlockHash>) -> RpcResult<Option<String>>;

	/// VCAI (base units) the account can claim now.
	#[method(name = "vePendingRewards")]
	fn ve_pending_rewards(&self, account: String, at: Option<BlockHash>) -> RpcResult<String>;
}

/// Implementation over a client that has the runtime API.
pub struct VeVcai<C, Block> {
	client: Arc<C>,
	_block: std::marker::PhantomData<Block>,
}

impl<C, Block> VeVcai<C, Block> {
	pub fn new(client: Arc<C>) -> Self {
		Self { client, _block: Default::default() }
	}
}

impl<C, Block> VeVcai<C, Block>
where
	Block: BlockT,
	C: HeaderBackend<Block>,
{
	fn at(&self, at: Option<Block::Hash>) -> Block::Hash {
		at.unwrap_or_else(|| self.client.info().best_hash)
	}
}

impl<C, Block> VeVcaiApiServer<<Block as BlockT>::Hash> for VeVcai<C, Block>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: RuntimeApi<Block, AccountId32, Balance>,
{
	fn ve_lock(&self, account: String, at: Option<Block::Hash>) -> RpcResult<Option<VeLockJson>> {
		let who = parse_account(&account)?;
		let lock = self.client.runtime_api().lock(self.at(at), who).map_err(runtime_error)?;
		Ok(lock.map(Into::into))
	}

	fn ve_weight(&self, account: String, at: Option<Block::Hash>) -> RpcResult<String> {
		let who = parse_account(&account)?;
		let weight = self.client.runtime_api().weight(self.at(at), who).map_err(runtime_error)?;
		Ok(weight.to_string())
	}

	fn ve_weight_at(
		&self,
		account: String,
		day: DayIndex,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<String>> {
		let who = parse_account(&account)?;
		let weight = self.client.runtime_api().weight_at(self.at(at), who, day).map_err(runtime_error)?;
		Ok(weight.map(|w| w.to_string()))
	}

	fn ve_totals(&self, at: Option<Block::Hash>) -> RpcResult<VeTotalsJson> {
		let totals = self.client.runtime_api().totals(self.at(at)).map_err(runtime_error)?;
		Ok(totals.into())
	}

	fn ve_total_weight_at(&self, day: DayIndex, at: Option<Block::Hash>) -> RpcResult<Option<String>> {
		let weight = self.client.runtime_api().total_weight_at(self.at(at), day).map_err(runtime_error)?;
		Ok(weight.map(|w| w.to_string()))
	}

	fn ve_pending_rewards(&self, account: String, at: Option<Block::Hash>) -> RpcResult<String> {
		let who = parse_account(&account)?;
		let pending = self.client.runtime_api().pending_rewards(self.at(at), who).map_err(runtime_error)?;
		Ok(pending.to_string())
	}
}

#[cfg(test)]
mod tests;

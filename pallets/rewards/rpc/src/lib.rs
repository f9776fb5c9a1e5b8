//! JSON-RPC of the incentive pool, for GPU providers, users and anyone who watches the pool: what
//! it holds and has released, P_supply period by period with the utilization that steered it,
//! what a closed period released and how it was shared, and what a node's owner and a user may
//! claim.
//!
//! Answers come from the `RewardsApi` runtime API at the best block (or `at`), in the same JSON
//! conventions as the registry's, the market's, veVCAI's and the buyback's methods.

mod view;

use jsonrpsee::{core::RpcResult, proc_macros::rpc};
pub use pallet_compute_registry_rpc::parse_account;
use pallet_compute_registry_rpc::runtime_error;
use pallet_rewards_runtime_api::RewardsApi as RuntimeApi;
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::crypto::AccountId32;
use sp_runtime::traits::Block as BlockT;
use std::sync::Arc;
use vcity_primitives::{NodeId, PeriodIndex};

pub use view::{
	ClassFactorsJson, FactorStageJson, PendingPeriodJson, PendingRewardsJson, PeriodRewardsJson,
	RewardsOverviewJson, RewardsParamsJson, SupplyShareAtJson,
};

/// `vcity_*` methods about the incentive pool. Amounts and points are decimal strings: VCAI
/// amounts (18 decimals) and points pass 2^53 long before they are large. Shares are billionths.
#[rpc(client, server, namespace = "vcity")]
pub trait RewardsApi<BlockHash> {
	/// The pool now: the open period, P_supply in force, what the pool holds, has released and
	/// carries to the next period, and the parameters.
	#[method(name = "rewardsOverview")]
	fn rewards_overview(&self, at: Option<BlockHash>) -> RpcResult<RewardsOverviewJson>;

	/// P_supply of up to `count` periods from `from` (at most 1,024), in period order, with the
	/// utilization of each closed one; the open period comes last, without a utilization, and
	/// periods not yet begun are left out.
	#[method(name = "supplyShareHistory")]
	fn supply_share_history(
		&self,
		from: PeriodIndex,
		count: u32,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<SupplyShareAtJson>>;

	/// What a closed period released and how it was shared; `null` for a period not yet closed.
	#[method(name = "rewardPeriod")]
	fn reward_period(
		&self,
		period: PeriodIndex,
		at: Option<BlockHash>,
	) -> RpcResult<Option<PeriodRewardsJson>>;

	/// The rewards of closed periods the node's owner has not claimed, oldest first, and whether
	/// they may be claimed now (not while the node is suspended or banned).
	#[method(name = "pendingNodeRewards")]
	fn pending_node_rewards(&self, node: NodeId, at: Option<BlockHash>) -> RpcResult<PendingRewardsJson>;

	/// The rebates the account with this SS58 address has not claimed, over the last 520 closed
	/// periods, oldest first.
	#[method(name = "pendingRebates")]
	fn pending_rebates(&self, account: String, at: Option<BlockHash>) -> RpcResult<PendingRewardsJson>;
}

/// Implementation over a client that has the runtime API.
pub struct Rewards<C, Block> {
	client: Arc<C>,
	_block: std::marker::PhantomData<Block>,
}

impl<C, Block> Rewards<C, Block> {
	pub fn new(client: Arc<C>) -> Self {
		Self { client, _block: Default::default() }
	}
}

impl<C, Block> Rewards<C, Block>
where
	Block: BlockT,
	C: HeaderBackend<Block>,
{
	fn at(&self, at: Option<Block::Hash>) -> Block::Hash {
		at.unwrap_or_else(|| self.client.info().best_hash)
	}
}

impl<C, Block> RewardsApiServer<<Block as BlockT>::Hash> for Rewards<C, Block>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: RuntimeApi<Block, AccountId32>,
{
	fn rewards_overview(&self, at: Option<Block::Hash>) -> RpcResult<RewardsOverviewJson> {
		let overview = self.client.runtime_api().overview(self.at(at)).map_err(runtime_error)?;
		Ok(overview.into())
	}

	fn supply_share_history(
		&self,
		from: PeriodIndex,
		count: u32,
		at: Option<Block::Hash>,
	) -> RpcResult<Vec<SupplyShareAtJson>> {
		let history = self
			.client
			.runtime_api()
			.supply_share_history(self.at(at), from, count)
			.map_err(runtime_error)?;
		Ok(history.into_iter().map(Into::into).collect())
	}

	fn reward_period(
		&self,
		period: PeriodIndex,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<PeriodRewardsJson>> {
		let record = self.client.runtime_api().period(self.at(at), period).map_err(runtime_error)?;
		Ok(record.map(Into::into))
	}

	fn pending_node_rewards(&self, node: NodeId, at: Option<Block::Hash>) -> RpcResult<PendingRewardsJson> {
		let pending =
			self.client.runtime_api().pending_node_rewards(self.at(at), node).map_err(runtime_error)?;
		Ok(pending.into())
	}

	fn pending_rebates(&self, account: String, at: Option<Block::Hash>) -> RpcResult<PendingRewardsJson> {
		let who = parse_account(&account)?;
		let pending = self.client.runtime_api().pending_rebates(self.at(at), who).map_err(runtime_error)?;
		Ok(pending.into())
	}
}

#[cfg(test)]
mod tests;

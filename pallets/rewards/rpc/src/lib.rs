//! JSON-RPC of the incentive pool, for GPU providers, users and anyone who watches the pool: what
//! it holds and has released, P_supply period by period with the utilization that steered it,
//! what a closed period released and how it was shared, and what a node's owner and a user may
//! claim.
//!
//! Answers come from the `RewardsApi` runtime API at the best block (or `at`), in the JSON
//! conventions of `vcity-rpc-common`.

mod view;

use jsonrpsee::{core::RpcResult, proc_macros::rpc};
use pallet_rewards_runtime_api::RewardsApi as RuntimeApi;
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::crypto::AccountId32;
use sp_runtime::traits::Block as BlockT;
use std::sync::Arc;
use vcity_primitives::{NodeId, PendingRewards, PeriodIndex, PeriodRewards, SupplyShareAt};
use vcity_rpc_common::{parse_account, runtime_error, ChainReader};

pub use view::{RewardsOverviewJson, RewardsParamsJson};

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
	) -> RpcResult<Vec<SupplyShareAt>>;

	/// What a closed period released and how it was shared; `null` for a period not yet closed.
	#[method(name = "rewardPeriod")]
	fn reward_period(&self, period: PeriodIndex, at: Option<BlockHash>) -> RpcResult<Option<PeriodRewards>>;

	/// The rewards of closed periods the node's owner has not claimed, oldest first, and whether
	/// they may be claimed now (not while the node is suspended or banned).
	#[method(name = "pendingNodeRewards")]
	fn pending_node_rewards(&self, node: NodeId, at: Option<BlockHash>) -> RpcResult<PendingRewards>;

	/// The rebates the account with this SS58 address has not claimed, over the last 520 closed
	/// periods, oldest first.
	#[method(name = "pendingRebates")]
	fn pending_rebates(&self, account: String, at: Option<BlockHash>) -> RpcResult<PendingRewards>;
}

/// Implementation over a client that has the runtime API.
pub struct Rewards<C, Block>(ChainReader<C, Block>);

impl<C, Block> Rewards<C, Block> {
	pub fn new(client: Arc<C>) -> Self {
		Self(ChainReader::new(client))
	}
}

impl<C, Block> RewardsApiServer<<Block as BlockT>::Hash> for Rewards<C, Block>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: RuntimeApi<Block, AccountId32>,
{
	fn rewards_overview(&self, at: Option<Block::Hash>) -> RpcResult<RewardsOverviewJson> {
		let (api, at) = self.0.api_at(at);
		let overview = api.overview(at).map_err(runtime_error)?;
		Ok(overview.into())
	}

	fn supply_share_history(
		&self,
		from: PeriodIndex,
		count: u32,
		at: Option<Block::Hash>,
	) -> RpcResult<Vec<SupplyShareAt>> {
		let (api, at) = self.0.api_at(at);
		api.supply_share_history(at, from, count).map_err(runtime_error)
	}

	fn reward_period(
		&self,
		period: PeriodIndex,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<PeriodRewards>> {
		let (api, at) = self.0.api_at(at);
		api.period(at, period).map_err(runtime_error)
	}

	fn pending_node_rewards(&self, node: NodeId, at: Option<Block::Hash>) -> RpcResult<PendingRewards> {
		let (api, at) = self.0.api_at(at);
		api.pending_node_rewards(at, node).map_err(runtime_error)
	}

	fn pending_rebates(&self, account: String, at: Option<Block::Hash>) -> RpcResult<PendingRewards> {
		let who = parse_account(&account)?;
		let (api, at) = self.0.api_at(at);
		api.pending_rebates(at, who).map_err(runtime_error)
	}
}

#[cfg(test)]
mod tests;

//! Runtime API of the incentive pool, behind its `vcity_*` RPC methods.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use vcity_primitives::{NodeId, PendingRewards, PeriodIndex, PeriodRewards, RewardsOverview, SupplyShareAt};

sp_api::decl_runtime_apis! {
	/// The incentive pool: its release, the supply/demand controller and the rewards it owes.
	pub trait RewardsApi<AccountId> where AccountId: codec::Codec {
		/// The open period, P_supply in force, what the pool holds, has released and carries, and the parameters.
		fn overview() -> RewardsOverview;
		/// P_supply and utilization of up to `count` periods from `from` (at most 1,024), in order, the open period last with no utilization yet; periods not yet begun are left out.
		fn supply_share_history(from: PeriodIndex, count: u32) -> Vec<SupplyShareAt>;
		/// What a closed period released and how it was shared; None for a period not yet closed.
		fn period(period: PeriodIndex) -> Option<PeriodRewards>;
		/// The node's unclaimed rewards of closed periods, oldest first, and whether its owner may claim them now.
		fn pending_node_rewards(node: NodeId) -> PendingRewards;
		/// The account's unclaimed rebates of the last 520 closed periods, oldest first.
		fn pending_rebates(who: AccountId) -> PendingRewards;
	}
}

//! The views behind the runtime API. They run off chain and may read a bounded number of entries.

use crate::{pallet::*, PENDING_LOOKBACK_PERIODS};
use alloc::vec::Vec;
use frame_support::traits::fungible::Inspect;
use sp_runtime::traits::Saturating;
use vcity_primitives::{
	Clock, NodeId, NodeRegistry, NodeStatus, PenaltyStatus, PendingPeriod, PendingRewards, PeriodIndex,
	PeriodRewards, RewardsOverview, SupplyShareAt, UsageMeter,
};

/// Most periods one history answer holds.
pub const MAX_HISTORY: u32 = 1_024;

impl<T: Config> Pallet<T> {
	/// The pool now.
	pub fn overview() -> RewardsOverview {
		let current_period = T::Clock::period_index();
		RewardsOverview {
			current_period,
			current_period_start_ms: T::Clock::period_start_ms(current_period).unwrap_or_default(),
			supply_share: SupplyShare::<T>::get(),
			pool_left: T::Currency::balance(&Self::pool_account()),
			released: Self::released_total(),
			carry: Carry::<T>::get(),
			params: Params::<T>::get(),
		}
	}

	/// P_supply of the periods from `from` on (at most [`MAX_HISTORY`]), the open one last,
	/// without a utilization yet.
	pub fn supply_share_history(from: PeriodIndex, count: u32) -> Vec<SupplyShareAt> {
		let open = OpenPeriod::<T>::get();
		let end = from.saturating_add(count.min(MAX_HISTORY)).min(open.saturating_add(1));
		(from..end)
			.filter_map(|period| {
				if period == open {
					return Some(SupplyShareAt {
						period,
						supply_share: SupplyShare::<T>::get(),
						utilization: None,
					});
				}
				Periods::<T>::get(period).map(|r| SupplyShareAt {
					period,
					supply_share: r.supply_share,
					utilization: r.utilization,
				})
			})
			.collect()
	}

	/// A closed period's snapshot.
	pub fn period(period: PeriodIndex) -> Option<PeriodRewards> {
		Periods::<T>::get(period)
	}

	/// What a node's owner may claim, period by period: the oldest [`MAX_HISTORY`] periods.
	pub fn pending_node_rewards(node: NodeId) -> PendingRewards {
		let open = OpenPeriod::<T>::get();
		let mut unclaimed: Vec<_> = NodePoints::<T>::iter_prefix(node)
			.filter(|(period, points)| *period < open && !points.claimed)
			.collect();
		// The map's order is its hash's, not the periods'.
		unclaimed.sort_by_key(|(period, _)| *period);
		unclaimed.truncate(MAX_HISTORY as usize);
		let mut pending = PendingRewards::default();
		for (period, points) in unclaimed {
			let Some(record) = Periods::<T>::get(period) else { continue };
			let amount = Self::node_share(&record, &points);
			pending.total.saturating_accrue(amount);
			pending.periods.push(PendingPeriod {
				period,
				points: points.capacity_points(),
				delivery_points: points.delivery,
				amount,
			});
		}
		pending.claimable = !pending.periods.is_empty()
			&& !matches!(T::Registry::status(node), Some(NodeStatus::Suspended | NodeStatus::Banned) | None)
			&& !T::Penalties::rewards_suspended(node);
		pending
	}

	/// What a user may claim as rebates, over the last [`PENDING_LOOKBACK_PERIODS`] closed periods.
	pub fn pending_rebates(who: &T::AccountId) -> PendingRewards {
		let open = OpenPeriod::<T>::get();
		let mut pending = PendingRewards::default();
		for period in open.saturating_sub(PENDING_LOOKBACK_PERIODS)..open {
			if RebatesClaimed::<T>::contains_key(who, period) {
				continue;
			}
			let spend = T::Usage::spend_of(period, who);
			if spend == 0 {
				continue;
			}
			let Some(record) = Periods::<T>::get(period) else { continue };
			let amount = Self::rebate_share(&record, spend, T::Usage::fees_of(period, who));
			pending.total.saturating_accrue(amount);
			pending.periods.push(PendingPeriod { period, points: spend, delivery_points: 0, amount });
		}
		pending.claimable = !pending.periods.is_empty();
		pending
	}
}

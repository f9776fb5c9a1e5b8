//! Claims: each period named costs two reads and two writes, whatever the number of nodes,
//! users or periods. A call pays all its periods or none: any bad period fails the whole call
//! and nothing moves.

use crate::{pallet::*, types::*};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{fungible::Mutate, tokens::Preservation},
};
use sp_runtime::{helpers_128bit::multiply_by_rational_with_rounding, traits::Saturating, Rounding};
use vcity_primitives::{
	fee_cap, Balance, NodeId, NodeRegistry, NodeStatus, PenaltyStatus, PeriodIndex, PeriodRewards, UsageMeter,
};

/// ⌊pot · points / total⌋: every share rounds down, so the shares of a pot never exceed it.
pub fn share(pot: Balance, points: u128, total: u128) -> Balance {
	if points == 0 || total == 0 {
		return 0;
	}
	multiply_by_rational_with_rounding(pot, points.min(total), total, Rounding::Down).unwrap_or(0)
}

impl<T: Config> Pallet<T> {
	/// A node's shares of a closed period's capacity pot and delivery pot, before the fee cap.
	pub fn node_share_before_cap(record: &PeriodRewards, points: &NodePeriodPoints) -> Balance {
		share(record.capacity_pot, points.capacity_points(), record.capacity_points).saturating_add(share(
			record.delivery_pot,
			points.delivery,
			record.delivery_points,
		))
	}

	/// A node's rewards of a closed period: its share of the capacity pot, and its share of the
	/// delivery pot up to `delivery_per_fee` of the worth of the protocol fees its deliveries
	/// paid (docs/economics.md#self-dealing).
	pub fn node_share(record: &PeriodRewards, points: &NodePeriodPoints) -> Balance {
		let delivery = share(record.delivery_pot, points.delivery, record.delivery_points).min(fee_cap(
			points.fees,
			record.vcai_per_usdv,
			record.delivery_per_fee,
		));
		share(record.capacity_pot, points.capacity_points(), record.capacity_points).saturating_add(delivery)
	}

	/// A user's rebate of a closed period before the fee cap: their share of the demand pot by
	/// USDV spent.
	pub fn rebate_share_before_cap(record: &PeriodRewards, spend: Balance) -> Balance {
		share(record.demand_pot, spend, record.spend)
	}

	/// A user's rebate of a closed period: their share of the demand pot by USDV spent, up to
	/// `rebate_per_fee` of the worth of the protocol fees they paid.
	pub fn rebate_share(record: &PeriodRewards, spend: Balance, fees: Balance) -> Balance {
		Self::rebate_share_before_cap(record, spend).min(fee_cap(
			fees,
			record.vcai_per_usdv,
			record.rebate_per_fee,
		))
	}

	/// Moves what a fee cap held back of a share (`earned` less what is `paid`) out of the
	/// period's books and into the next period's pots.
	fn hold_back(record: &mut PeriodRewards, earned: Balance, paid: Balance) {
		let held_back = earned.saturating_sub(paid);
		record.forfeited.saturating_accrue(held_back);
		Carry::<T>::mutate(|carry| carry.saturating_accrue(held_back));
	}

	/// The record of a period that has ended.
	fn closed_period(period: PeriodIndex) -> Result<PeriodRewards, Error<T>> {
		ensure!(period < OpenPeriod::<T>::get(), Error::<T>::PeriodNotEnded);
		// A period with no record was skipped by a stall: nothing happened in it.
		Periods::<T>::get(period).ok_or(Error::<T>::NothingToClaim)
	}

	/// Takes the node's points of `period` out of storage and returns what they are worth. A
	/// claimed period leaves nothing behind: a node's entries are what it is still owed, which
	/// is also what keeps its record from being reaped (`NodeRecordUse`).
	fn take_node_share(node: NodeId, period: PeriodIndex, forfeit: bool) -> Result<Balance, Error<T>> {
		let mut record = Self::closed_period(period)?;
		let points = NodePoints::<T>::get(node, period).ok_or(Error::<T>::NothingToClaim)?;
		// Entries written before claims removed them may still say so.
		ensure!(!points.claimed, Error::<T>::AlreadyClaimed);
		let earned = Self::node_share_before_cap(&record, &points);
		let amount = Self::node_share(&record, &points);
		Self::hold_back(&mut record, earned, amount);
		if forfeit {
			record.forfeited.saturating_accrue(amount);
		} else {
			record.claimed.saturating_accrue(amount);
		}
		NodePoints::<T>::remove(node, period);
		Periods::<T>::insert(period, record);
		Ok(amount)
	}

	fn pay(to: &T::AccountId, amount: Balance) -> DispatchResult {
		if amount > 0 {
			// The pot keeps its existential deposit: what the open claims need lies above it.
			T::Currency::transfer(&Self::pot_account(), to, amount, Preservation::Preserve)?;
		}
		Ok(())
	}

	pub(crate) fn do_claim_node_rewards(
		who: T::AccountId,
		node: NodeId,
		periods: &[PeriodIndex],
	) -> DispatchResult {
		ensure!(!periods.is_empty(), Error::<T>::NoPeriods);
		let owner = T::Registry::owner(node).ok_or(Error::<T>::UnknownNode)?;
		ensure!(owner == who, Error::<T>::NotNodeOwner);
		match T::Registry::status(node) {
			Some(NodeStatus::Suspended) => return Err(Error::<T>::NodeSuspended.into()),
			Some(NodeStatus::Banned) => return Err(Error::<T>::NodeBanned.into()),
			_ => {}
		}
		ensure!(!T::Penalties::rewards_suspended(node), Error::<T>::RewardsSuspended);
		let mut amount: Balance = 0;
		for &period in periods {
			amount.saturating_accrue(Self::take_node_share(node, period, false)?);
		}
		Self::pay(&owner, amount)?;
		Self::deposit_event(Event::NodeRewardsClaimed { node, owner, periods: periods.len() as u32, amount });
		Ok(())
	}

	pub(crate) fn do_claim_rebates(who: T::AccountId, periods: &[PeriodIndex]) -> DispatchResult {
		ensure!(!periods.is_empty(), Error::<T>::NoPeriods);
		let mut amount: Balance = 0;
		for &period in periods {
			let mut record = Self::closed_period(period)?;
			ensure!(!RebatesClaimed::<T>::contains_key(&who, period), Error::<T>::AlreadyClaimed);
			let spend = T::Usage::spend_of(period, &who);
			ensure!(spend > 0, Error::<T>::NothingToClaim);
			let earned = Self::rebate_share_before_cap(&record, spend);
			let rebate = Self::rebate_share(&record, spend, T::Usage::fees_of(period, &who));
			Self::hold_back(&mut record, earned, rebate);
			record.claimed.saturating_accrue(rebate);
			Periods::<T>::insert(period, record);
			RebatesClaimed::<T>::insert(&who, period, ());
			amount.saturating_accrue(rebate);
		}
		Self::pay(&who, amount)?;
		Self::deposit_event(Event::RebatesClaimed { who, periods: periods.len() as u32, amount });
		Ok(())
	}

	pub(crate) fn do_forfeit(node: NodeId, periods: &[PeriodIndex]) -> DispatchResult {
		ensure!(!periods.is_empty(), Error::<T>::NoPeriods);
		let status = T::Registry::status(node).ok_or(Error::<T>::UnknownNode)?;
		ensure!(status == NodeStatus::Banned, Error::<T>::NotBanned);
		let mut amount: Balance = 0;
		for &period in periods {
			amount.saturating_accrue(Self::take_node_share(node, period, true)?);
		}
		// The VCAI stays in the pot; the next period's pots include it.
		Carry::<T>::mutate(|carry| carry.saturating_accrue(amount));
		Self::deposit_event(Event::RewardsForfeited { node, periods: periods.len() as u32, amount });
		Ok(())
	}
}

/// A node's owner is whom its unclaimed points pay, so its record stays while any remain (the
/// open period's included).
impl<T: Config> vcity_primitives::NodeRecordUse for Pallet<T> {
	fn in_use(node: NodeId) -> bool {
		NodePoints::<T>::iter_prefix(node).next().is_some()
	}
	fn in_use_weight() -> frame_support::weights::Weight {
		<T::DbWeight as frame_support::traits::Get<_>>::get().reads(1)
	}
}

//! Reads for the runtime API, the RPC and other pallets.

use crate::{math::slope_of, pallet::*, types::*};
use frame_support::traits::{fungible::Inspect, Get};
use vcity_primitives::{Balance, Clock, DayIndex, VeLockView, VeTotals, VeWeight, VeWeights};

impl<T: Config> Pallet<T> {
	/// The account's lock and its weight now.
	pub fn lock_view(who: &T::AccountId) -> Option<VeLockView> {
		let lock = Locks::<T>::get(who)?;
		let slope = slope_of(lock.amount).unwrap_or_default();
		let checkpoint = Checkpoint { from: 0, slope, unlock_day: lock.unlock_day };
		Some(VeLockView {
			amount: lock.amount,
			unlock_day: lock.unlock_day,
			unlock_ms: T::Clock::day_start_ms(lock.unlock_day),
			slope,
			weight: checkpoint.weight_on(T::Clock::day_index()),
		})
	}

	/// The account's weight now, changes made today included.
	pub fn current_weight(who: &T::AccountId) -> VeWeight {
		Self::lock_view(who).map_or(0, |lock| lock.weight)
	}

	/// The account's weight in the start-of-day snapshot of `day` (today or earlier).
	pub fn weight_at(who: &T::AccountId, day: DayIndex) -> Option<VeWeight> {
		if day > T::Clock::day_index() {
			return None;
		}
		match Accounts::<T>::get(who) {
			Some(account) => account.weight_at(day),
			None => Some(0),
		}
	}

	/// Σ weights in the start-of-day snapshot of `day` (today or earlier). A day the chain has
	/// not closed its way to yet is projected along the line, which is what closing it will
	/// store: nothing can change on a day before it is closed.
	pub fn total_weight_at(day: DayIndex) -> Option<VeWeight> {
		let point = Global::<T>::get();
		if day <= point.day {
			return Some(TotalWeightAt::<T>::get(day));
		}
		(day <= T::Clock::day_index()).then(|| Self::projected(point, day).bias)
	}

	/// The line moved forward to `day` without writing anything. No lock outlives
	/// `MaxLockDays`, so past that many days the line is flat at zero: the loop stays bounded.
	fn projected(mut point: GlobalPoint, day: DayIndex) -> GlobalPoint {
		if day.saturating_sub(point.day) > T::MaxLockDays::get() {
			return GlobalPoint { day, bias: 0, slope: 0 };
		}
		while point.day < day {
			point.bias = point.bias.saturating_sub(point.slope);
			point.day = point.day.saturating_add(1);
			point.slope = point.slope.saturating_sub(SlopeChanges::<T>::get(point.day));
		}
		point
	}

	/// Network-wide figures now.
	pub fn totals() -> VeTotals<Balance> {
		let today = T::Clock::day_index();
		let live = Self::projected(Global::<T>::get(), today);
		let ledger = DistributorTotals::<T>::get();
		VeTotals {
			day: today,
			weight: live.bias,
			snapshot_weight: Self::total_weight_at(today).unwrap_or_default(),
			locked: TotalLocked::<T>::get(),
			active_locked: Self::active_locked_on(today),
			pending_drop: PendingDrop::<T>::get(),
			distributed: ledger.distributed,
			claimed: ledger.claimed,
		}
	}

	/// VCAI in locks that run past `day`: the stored total, less what expires on days a block has
	/// not closed yet (none or one, except after a stall).
	pub fn active_locked_on(day: DayIndex) -> Balance {
		let closed = Global::<T>::get().day;
		let expiring = (closed.saturating_add(1)..=day).map(ExpiringAmounts::<T>::get);
		expiring.fold(ActiveLocked::<T>::get(), |active, amount| active.saturating_sub(amount))
	}

	/// VCAI the account can claim now: what it is owed for every day closed so far.
	pub fn pending_rewards(who: &T::AccountId) -> Balance {
		let Some(account) = Accounts::<T>::get(who) else { return 0 };
		let earned = Self::earned_until(&account, Global::<T>::get().day).unwrap_or_default();
		account.owed.saturating_add(earned)
	}

	/// What the distributor's account holds beyond its existential deposit.
	pub fn distributor_funds() -> Balance {
		let balance = T::Currency::balance(&Self::distributor_account());
		balance.saturating_sub(T::Currency::minimum_balance())
	}
}

/// Governance reads closed days only, so every answer is a stored snapshot.
impl<T: Config> VeWeights<T::AccountId> for Pallet<T> {
	fn snapshot_day() -> DayIndex {
		Global::<T>::get().day
	}

	fn weight_at(who: &T::AccountId, day: DayIndex) -> Option<VeWeight> {
		if day > Global::<T>::get().day {
			return None;
		}
		Pallet::<T>::weight_at(who, day)
	}

	fn total_weight_at(day: DayIndex) -> Option<VeWeight> {
		(day <= Global::<T>::get().day).then(|| TotalWeightAt::<T>::get(day))
	}

	/// Locks still running today: an expired lock counts for nothing, withdrawn or not.
	fn total_locked() -> Balance {
		Pallet::<T>::active_locked_on(T::Clock::day_index())
	}
}

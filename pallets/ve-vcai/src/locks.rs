//! Creating, growing, extending and withdrawing locks.

use crate::{global::Contribution, math::slope_of, pallet::*, types::*};
use frame_support::{
	ensure,
	pallet_prelude::DispatchResult,
	traits::{
		fungible::{Inspect, MutateHold},
		tokens::{Fortitude, Precision, Preservation},
		Get,
	},
};
use vcity_primitives::{Balance, Clock, DayIndex, Moment, VeWeight};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_create_lock(who: &T::AccountId, amount: Balance, unlock_time: Moment) -> DispatchResult {
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		ensure!(amount >= T::MinLockAmount::get(), Error::<T>::AmountBelowMinimum);
		ensure!(!Locks::<T>::contains_key(who), Error::<T>::LockExists);
		let today = Self::ensure_current()?;
		let unlock_day = Self::unlock_day_of(today, unlock_time)?;
		let slope = slope_of(amount).ok_or(Error::<T>::AmountTooLarge)?;
		Self::hold_for_lock(who, amount)?;
		Self::change_stake(who, today, None, Some(Contribution { slope, amount, unlock_day }))?;
		Locks::<T>::insert(who, LockInfo { amount, unlock_day });
		Self::add_to_total_locked(amount)?;
		Self::deposit_event(Event::Locked { who: who.clone(), amount, unlock_day, slope });
		Ok(())
	}

	pub(crate) fn do_increase_amount(who: &T::AccountId, added: Balance) -> DispatchResult {
		ensure!(added > 0, Error::<T>::ZeroAmount);
		let lock = Locks::<T>::get(who).ok_or(Error::<T>::NoLock)?;
		let today = Self::ensure_current()?;
		ensure!(lock.unlock_day > today, Error::<T>::LockExpired);
		let amount = lock.amount.checked_add(added).ok_or(Error::<T>::AmountTooLarge)?;
		// From the whole amount: adding √added to the old slope would overstate the weight.
		let slope = slope_of(amount).ok_or(Error::<T>::AmountTooLarge)?;
		Self::hold_for_lock(who, added)?;
		let old = Self::contribution(&lock)?;
		let new = Contribution { slope, amount, unlock_day: lock.unlock_day };
		Self::change_stake(who, today, Some(old), Some(new))?;
		Locks::<T>::insert(who, LockInfo { amount, ..lock });
		Self::add_to_total_locked(added)?;
		Self::deposit_event(Event::AmountIncreased { who: who.clone(), added, amount, slope });
		Ok(())
	}

	pub(crate) fn do_extend_unlock(who: &T::AccountId, unlock_time: Moment) -> DispatchResult {
		let lock = Locks::<T>::get(who).ok_or(Error::<T>::NoLock)?;
		let today = Self::ensure_current()?;
		ensure!(lock.unlock_day > today, Error::<T>::LockExpired);
		let unlock_day = Self::unlock_day_of(today, unlock_time)?;
		ensure!(unlock_day >= lock.unlock_day, Error::<T>::CannotShorten);
		ensure!(unlock_day != lock.unlock_day, Error::<T>::UnlockUnchanged);
		let old = Self::contribution(&lock)?;
		Self::change_stake(who, today, Some(old), Some(Contribution { unlock_day, ..old }))?;
		Locks::<T>::insert(who, LockInfo { unlock_day, ..lock });
		Self::deposit_event(Event::UnlockExtended { who: who.clone(), unlock_day });
		Ok(())
	}

	pub(crate) fn do_withdraw(who: &T::AccountId) -> DispatchResult {
		let lock = Locks::<T>::get(who).ok_or(Error::<T>::NoLock)?;
		let today = Self::ensure_current()?;
		ensure!(lock.unlock_day <= today, Error::<T>::LockNotExpired);
		// The weight is already zero; accrue the last days it earned in before the lock goes.
		let account = Self::accrue(who)?;
		Accounts::<T>::insert(who, account);
		T::Currency::release(&HoldReason::Lock.into(), who, lock.amount, Precision::Exact)?;
		Locks::<T>::remove(who);
		TotalLocked::<T>::mutate(|total| *total = total.saturating_sub(lock.amount));
		Self::deposit_event(Event::Withdrawn { who: who.clone(), amount: lock.amount });
		Ok(())
	}

	/// The unlock day of a lock asked to end at `unlock_time`: rounded down to the start of its
	/// day, after today and at most `MaxLockDays` days ahead.
	pub(crate) fn unlock_day_of(today: DayIndex, unlock_time: Moment) -> Result<DayIndex, Error<T>> {
		let unlock_day = T::Clock::day_of(unlock_time);
		ensure!(unlock_day > today, Error::<T>::UnlockInPast);
		// Ending tomorrow, the lock would be gone from tomorrow's snapshot, the first one that
		// could count it: it would hold VCAI without ever voting or earning.
		ensure!(unlock_day > today.saturating_add(1), Error::<T>::UnlockTooSoon);
		ensure!(unlock_day - today <= T::MaxLockDays::get(), Error::<T>::UnlockTooFar);
		Ok(unlock_day)
	}

	pub(crate) fn contribution(lock: &LockInfo) -> Result<Contribution, Error<T>> {
		let slope: VeWeight = slope_of(lock.amount).ok_or(Error::<T>::AmountTooLarge)?;
		Ok(Contribution { slope, amount: lock.amount, unlock_day: lock.unlock_day })
	}

	/// Moves one account from `old` to `new` on `today`: rewards accrued first under the old
	/// values, the live line changed now, the snapshots from tomorrow on.
	fn change_stake(
		who: &T::AccountId,
		today: DayIndex,
		old: Option<Contribution>,
		new: Option<Contribution>,
	) -> DispatchResult {
		let mut account = Self::accrue(who)?;
		Self::replace_contribution(today, old, new)?;
		let checkpoint =
			new.map_or(Checkpoint { from: today.saturating_add(1), slope: 0, unlock_day: 0 }, |c| {
				Checkpoint { from: today.saturating_add(1), slope: c.slope, unlock_day: c.unlock_day }
			});
		Self::push_checkpoint(&mut account, checkpoint);
		Accounts::<T>::insert(who, account);
		Ok(())
	}

	/// Today's change replaces any earlier one made today; the oldest checkpoint makes room.
	fn push_checkpoint(account: &mut VeAccount<T::MaxHistory>, checkpoint: Checkpoint) {
		if let Some(last) = account.checkpoints.last_mut() {
			if last.from == checkpoint.from {
				*last = checkpoint;
				return;
			}
		}
		if account.checkpoints.is_full() {
			account.checkpoints.remove(0);
			account.history_complete = false;
		}
		// Room was made above, so this cannot fail.
		let _ = account.checkpoints.try_push(checkpoint);
	}

	fn hold_for_lock(who: &T::AccountId, amount: Balance) -> DispatchResult {
		let spendable = T::Currency::reducible_balance(who, Preservation::Preserve, Fortitude::Polite);
		ensure!(spendable >= amount, Error::<T>::InsufficientBalance);
		T::Currency::hold(&HoldReason::Lock.into(), who, amount)
	}

	fn add_to_total_locked(amount: Balance) -> DispatchResult {
		TotalLocked::<T>::try_mutate(|total| {
			*total = total.checked_add(amount).ok_or(Error::<T>::AmountTooLarge)?;
			Ok(())
		})
	}
}

//! The revenue distributor: drops in, accrual by the accumulators, claims out.

use crate::{math::reward_between, pallet::*, types::*};
use frame_support::{
	ensure,
	pallet_prelude::DispatchResult,
	traits::{fungible::Mutate, tokens::Preservation, Get},
};
use sp_runtime::traits::AccountIdConversion;
use vcity_primitives::{Balance, DayIndex, LockerRewards};

impl<T: Config> Pallet<T> {
	/// Holds every drop until it is claimed.
	pub fn distributor_account() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	pub(crate) fn do_drop(from: &T::AccountId, amount: Balance) -> DispatchResult {
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		let day = Self::ensure_current()?;
		T::Currency::transfer(from, &Self::distributor_account(), amount, Preservation::Preserve)?;
		PendingDrop::<T>::mutate(|pending| *pending = pending.saturating_add(amount));
		DistributorTotals::<T>::mutate(|t| t.dropped = t.dropped.saturating_add(amount));
		Self::deposit_event(Event::Dropped { from: from.clone(), amount, day });
		Ok(())
	}

	pub(crate) fn do_claim(who: &T::AccountId) -> DispatchResult {
		Self::ensure_current()?;
		let mut account = Self::accrue(who)?;
		let amount = account.owed;
		ensure!(amount > 0, Error::<T>::NothingToClaim);
		account.owed = 0;
		// Keeping the distributor's existential deposit means no dust is ever reaped from it.
		T::Currency::transfer(&Self::distributor_account(), who, amount, Preservation::Preserve)?;
		Accounts::<T>::insert(who, account);
		DistributorTotals::<T>::mutate(|t| t.claimed = t.claimed.saturating_add(amount));
		Self::deposit_event(Event::Claimed { who: who.clone(), amount });
		Ok(())
	}

	/// The account with every closed day's rewards added to `owed`. The caller stores it.
	pub(crate) fn accrue(who: &T::AccountId) -> Result<VeAccount<T::MaxHistory>, Error<T>> {
		let mut account = Accounts::<T>::get(who).unwrap_or_default();
		let closed_to = Global::<T>::get().day;
		let earned = Self::earned_until(&account, closed_to)?;
		account.owed = account.owed.checked_add(earned).ok_or(Error::<T>::ArithmeticOverflow)?;
		account.accrued_to = account.accrued_to.max(closed_to);
		Ok(account)
	}

	/// Rewards of the closed days from `accrued_to` up to `closed_to`. Every change accrues
	/// first, so at most the last two checkpoints reach into that range: O(1) storage reads.
	pub(crate) fn earned_until(
		account: &VeAccount<T::MaxHistory>,
		closed_to: DayIndex,
	) -> Result<Balance, Error<T>> {
		let start = account.accrued_to;
		let mut earned: Balance = 0;
		let mut next_from = DayIndex::MAX;
		for checkpoint in account.checkpoints.iter().rev() {
			if next_from <= start {
				break;
			}
			let first = checkpoint.from.max(start);
			let end = next_from.min(closed_to).min(checkpoint.unlock_day);
			if first < end && checkpoint.slope > 0 {
				let reward = reward_between(
					checkpoint.slope,
					checkpoint.unlock_day,
					&Accumulators::<T>::get(first),
					&Accumulators::<T>::get(end),
				)
				.ok_or(Error::<T>::ArithmeticOverflow)?;
				earned = earned.checked_add(reward).ok_or(Error::<T>::ArithmeticOverflow)?;
			}
			next_from = checkpoint.from;
		}
		Ok(earned)
	}
}

impl<T: Config> LockerRewards<T::AccountId, Balance> for Pallet<T> {
	fn drop_rewards(source: &T::AccountId, amount: Balance) -> DispatchResult {
		Self::do_drop(source, amount)
	}
}

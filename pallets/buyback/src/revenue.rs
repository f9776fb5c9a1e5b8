//! Protocol revenue: the market pays fees into the treasury account and tells the pallet.

use crate::{pallet::*, DayRevenue, REVENUE_DAYS_KEPT};
use frame_support::PalletId;
use sp_runtime::traits::{AccountIdConversion, Get};
use vcity_primitives::{Balance, Clock, DayIndex, ProtocolRevenue, RevenueSink};

impl<T: Config> Pallet<T> {
	/// The treasury account: revenue arrives here and the rounds sell from here.
	pub fn treasury_account() -> T::AccountId {
		<T::PalletId as Get<PalletId>>::get().into_account_truncating()
	}

	/// Revenue recorded on `day`, if the day is among the last [`REVENUE_DAYS_KEPT`].
	pub fn revenue_on(day: DayIndex) -> Option<Balance> {
		let today = T::Clock::day_index();
		if day > today || today - day >= REVENUE_DAYS_KEPT {
			return None;
		}
		Some(RevenueByDay::<T>::get(day % REVENUE_DAYS_KEPT).filter(|r| r.day == day).map_or(0, |r| r.amount))
	}
}

impl<T: Config> RevenueSink<T::AccountId, Balance> for Pallet<T> {
	fn account() -> T::AccountId {
		Self::treasury_account()
	}

	fn note_revenue(amount: Balance) {
		if amount == 0 {
			return;
		}
		let day = T::Clock::day_index();
		Ledger::<T>::mutate(|ledger| ledger.revenue = ledger.revenue.saturating_add(amount));
		RevenueByDay::<T>::mutate(day % REVENUE_DAYS_KEPT, |entry| match entry {
			Some(kept) if kept.day == day => kept.amount = kept.amount.saturating_add(amount),
			// A slot holds the day a year ago until the first revenue of its successor.
			_ => *entry = Some(DayRevenue { day, amount }),
		});
		Self::deposit_event(Event::RevenueReceived { amount, day });
	}
}

impl<T: Config> ProtocolRevenue for Pallet<T> {
	fn cumulative_revenue() -> Balance {
		Ledger::<T>::get().revenue
	}
}

//! Strategic issuance: the one way VCAI is minted.

use crate::{pallet::*, IssuanceRecord, VestingMomentOf, VestingTerms, YearBook};
use alloc::collections::BTreeSet;
use frame_support::{
	ensure,
	traits::{fungible::Inspect, fungible::Mutate, Get, VestingSchedule},
	BoundedVec,
};
use sp_runtime::{
	traits::{BlockNumberProvider, Saturating},
	DispatchResult,
};
use vcity_primitives::{Balance, Clock};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_strategic_issuance(
		grants: BoundedVec<(T::AccountId, Balance), T::MaxPartners>,
		terms: VestingTerms,
	) -> DispatchResult {
		ensure!(!grants.is_empty(), Error::<T>::NoGrants);
		ensure!(terms.vesting_days > 0, Error::<T>::VestingTooShort);
		let days = terms.cliff_days.checked_add(terms.vesting_days).ok_or(Error::<T>::VestingTooLong)?;
		ensure!(days <= T::MaxVestingDays::get(), Error::<T>::VestingTooLong);
		let mut partners = BTreeSet::new();
		let mut total: Balance = 0;
		for (partner, amount) in &grants {
			ensure!(partners.insert(partner), Error::<T>::DuplicatePartner);
			ensure!(*amount >= T::Currency::minimum_balance(), Error::<T>::GrantBelowMinimum);
			total = total.checked_add(*amount).ok_or(Error::<T>::ArithmeticOverflow)?;
		}
		ensure!(Self::available_quotas() > 0, Error::<T>::NoQuota);
		let book = Self::year_book();
		ensure!(total <= Self::room_this_year(&book), Error::<T>::YearlyCapExceeded);

		let ticks_per_day = VestingMomentOf::<T>::from(T::VestingTicksPerDay::get());
		let vesting_from = T::VestingClock::current_block_number()
			.saturating_add(ticks_per_day.saturating_mul(terms.cliff_days.into()));
		let vesting_ticks =
			u128::from(T::VestingTicksPerDay::get()).saturating_mul(terms.vesting_days.into());
		// Every check comes before the first mint, so a refused grant leaves nothing half done.
		let schedules: alloc::vec::Vec<_> = grants
			.iter()
			.map(|(partner, amount)| {
				let per_tick = amount.div_ceil(vesting_ticks.max(1));
				T::Vesting::can_add_vesting_schedule(partner, *amount, per_tick, vesting_from)
					.map_err(|_| Error::<T>::VestingUnavailable)?;
				Ok((partner, *amount, per_tick))
			})
			.collect::<Result<_, Error<T>>>()?;

		let index = IssuancesExecuted::<T>::get();
		for (partner, amount, per_tick) in schedules {
			T::Currency::mint_into(partner, amount)?;
			T::Vesting::add_vesting_schedule(partner, amount, per_tick, vesting_from)?;
			Self::deposit_event(Event::Granted { index, partner: partner.clone(), amount, vesting_from });
		}
		Book::<T>::put(YearBook { minted: book.minted.saturating_add(total), ..book });
		TotalIssued::<T>::mutate(|issued| *issued = issued.saturating_add(total));
		IssuancesExecuted::<T>::put(index.saturating_add(1));
		let partners = grants.len() as u32;
		Issuances::<T>::insert(
			index,
			IssuanceRecord { day: T::Clock::day_index(), partners, minted: total, terms },
		);
		Self::deposit_event(Event::StrategicIssuance {
			index,
			partners,
			minted: total,
			terms,
			quotas_left: Self::available_quotas(),
		});
		Ok(())
	}
}

//! The pallet's invariants, checked by `try_state` (and after every unit test).

use crate::pallet::*;
use frame_support::{
	ensure,
	traits::{fungible::Inspect, Get},
};
use sp_runtime::{traits::Saturating, TryRuntimeError};
use vcity_primitives::Balance;

impl<T: Config> Pallet<T> {
	/// Walks the closed periods (a few hundred over the pool's life) and their books.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut released: Balance = 0;
		let mut owed: Balance = Carry::<T>::get();
		for (_, record) in Periods::<T>::iter() {
			released.saturating_accrue(record.released);
			ensure!(record.to_grants <= record.released, "more to grants than released");
			let pots =
				record.capacity_pot.saturating_add(record.delivery_pot).saturating_add(record.demand_pot);
			ensure!(
				pots.saturating_add(record.carried_out)
					== record.released.saturating_sub(record.to_grants).saturating_add(record.carried_in),
				"a period's pots and carry do not add up to its incentives and what it carried in"
			);
			let paid = record.claimed.saturating_add(record.forfeited);
			ensure!(paid <= pots, "more claimed or forfeited from a period than its pots");
			owed.saturating_accrue(pots.saturating_sub(paid));
		}
		// The releases telescope: their sum is the schedule's value at the open period's start.
		ensure!(released == Self::released_total(), "the releases do not add up to the schedule");
		// The pool only shrinks by the schedule (it may receive gifts, never lose more).
		ensure!(
			T::Currency::balance(&Self::pool_account()) >= T::PoolTotal::get().saturating_sub(released),
			"the pool holds less than the part of it not yet released"
		);
		ensure!(
			OpenSinceMs::<T>::get() >= ReleasedUntilMs::<T>::get(),
			"the schedule released beyond the open period's start"
		);
		// The pot holds at least every open claim at its full, unrounded value.
		let pot = T::Currency::balance(&Self::pot_account());
		ensure!(
			pot >= owed.saturating_add(T::Currency::minimum_balance()),
			"the pot holds less than its deposit plus what the open claims may take"
		);
		ensure!(Self::check_params(&Params::<T>::get()).is_ok(), "stored parameters are invalid");
		ensure!(
			PeriodTotals::<T>::iter_keys().all(|p| p >= OpenPeriod::<T>::get()),
			"totals of a closed period were left behind"
		);
		Ok(())
	}
}

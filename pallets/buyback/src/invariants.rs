//! The pallet's invariants, checked by `try_state` (and after every unit test).

use crate::pallet::*;
use frame_support::{ensure, traits::fungible::Inspect};
use sp_runtime::TryRuntimeError;
use vcity_primitives::Clock;

impl<T: Config> Pallet<T> {
	/// Reads a handful of values: cheap enough for every block of a try-runtime run.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let treasury = Self::treasury_account();
		let ledger = Ledger::<T>::get();
		// USDV: recorded in = swapped + held. The account may hold more than the books until
		// the next round records a direct transfer; it never holds less.
		ensure!(
			T::Stablecoin::balance(&treasury) >= ledger.usdv_held(),
			"the treasury holds less USDV than revenue and other income less what was sold"
		);
		ensure!(
			ledger.vcai_dropped <= ledger.vcai_bought.saturating_add(ledger.vcai_other_income),
			"more VCAI dropped than bought and received"
		);
		// VCAI: bought + received = dropped + awaiting its drop, and what awaits is in the
		// account above the existential deposit it keeps.
		ensure!(
			T::Currency::balance(&treasury)
				>= T::Currency::minimum_balance().saturating_add(ledger.vcai_awaiting_drop()),
			"the treasury holds less VCAI than its deposit plus the VCAI awaiting its drop"
		);
		ensure!(Self::check_params(&Params::<T>::get()).is_ok(), "stored parameters are invalid");
		let oracle = Oracle::<T>::get();
		ensure!(oracle.samples <= Self::history_len(), "more samples than the history holds");
		ensure!(oracle.samples > 0 || oracle.last_price == 0, "a price without a sample");
		if let Some(last) = LastBuyback::<T>::get() {
			ensure!(last.day <= T::Clock::day_index(), "a buyback recorded for a future day");
			ensure!(last.vcai_out >= last.min_out, "a buyback below its minimum output");
		}
		Ok(())
	}
}

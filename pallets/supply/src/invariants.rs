//! What must hold after every block (`try_state`).

use crate::pallet::*;
use frame_support::traits::Get;
use sp_runtime::TryRuntimeError;
use vcity_primitives::{Balance, DENOMINATION_ONE};

impl<T: Config> Pallet<T> {
	/// Every issuance executed has its record, the records add up to what was minted, the year's
	/// mints are within its cap, and the factor is in range.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let executed = IssuancesExecuted::<T>::get();
		let mut minted: Balance = 0;
		for index in 0..executed {
			let record = Issuances::<T>::get(index).ok_or("an executed issuance has no record")?;
			minted = minted.saturating_add(record.minted);
		}
		if Issuances::<T>::contains_key(executed) {
			return Err("a record beyond the issuances executed".into());
		}
		if minted != TotalIssued::<T>::get() {
			return Err("the issuances' records do not add up to the VCAI minted".into());
		}
		if let Some(book) = Book::<T>::get() {
			if book.minted > T::YearlyCap::get().mul_floor(book.supply_at_start) {
				return Err("a year minted more than its cap".into());
			}
		}
		let factor = CurrentDenomination::<T>::get().factor;
		if factor == 0 || factor > DENOMINATION_ONE.saturating_mul(1_000_000_000) {
			return Err("the denomination factor is out of range".into());
		}
		Ok(())
	}
}

//! Repricing: a redenomination that changes how VCAI is shown, never what anyone holds.

use crate::pallet::*;
use frame_support::ensure;
use sp_runtime::DispatchResult;
use vcity_primitives::{Clock, Denomination, DENOMINATION_ONE};

/// Largest numerator or denominator of one repricing.
pub const MAX_RATIO_TERM: u64 = 1_000_000;
/// The factor stays within 10^-9 to 10^9 of genesis's.
const MIN_FACTOR: u128 = DENOMINATION_ONE / 1_000_000_000;
const MAX_FACTOR: u128 = DENOMINATION_ONE * 1_000_000_000;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_reprice(numerator: u64, denominator: u64) -> DispatchResult {
		let in_range = |term: u64| (1..=MAX_RATIO_TERM).contains(&term);
		ensure!(in_range(numerator) && in_range(denominator), Error::<T>::RatioOutOfRange);
		ensure!(numerator != denominator, Error::<T>::NeutralRatio);
		let current = CurrentDenomination::<T>::get();
		// factor ≤ 10^27 and a term ≤ 10^6: the product fits in u128.
		let factor = current
			.factor
			.checked_mul(numerator.into())
			.and_then(|scaled| scaled.checked_div(denominator.into()))
			.ok_or(Error::<T>::ArithmeticOverflow)?;
		ensure!((MIN_FACTOR..=MAX_FACTOR).contains(&factor), Error::<T>::FactorOutOfRange);
		let denomination = Denomination {
			factor,
			repricings: current.repricings.saturating_add(1),
			since_day: Some(T::Clock::day_index()),
		};
		CurrentDenomination::<T>::put(denomination);
		Self::deposit_event(Event::Repriced { numerator, denominator, denomination });
		Ok(())
	}
}

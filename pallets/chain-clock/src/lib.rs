//! # Chain clock
//!
//! The one notion of "day" and "period" on Vcity chain. The first block's timestamp is kept as
//! the start of day 0 and period 0; every pallet reads days and periods through
//! [`vcity_primitives::Clock`], implemented here, so none keeps its own.
//!
//! The start is recorded from `pallet_timestamp`'s `OnTimestampSet`, so it costs the timestamp
//! inherent one read per block and one write once; no hook of its own.
#![cfg_attr(not(feature = "std"), no_std)]

pub use pallet::*;

#[cfg(test)]
mod tests;

#[frame_support::pallet]
pub mod pallet {
	use frame_support::pallet_prelude::*;
	use vcity_primitives::Moment;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config + pallet_timestamp::Config<Moment = Moment> {
		/// Length of a day in milliseconds (a few blocks under `fast-runtime`).
		#[pallet::constant]
		type DayMs: Get<Moment>;
		/// Length of an economic period in milliseconds (a week by default).
		#[pallet::constant]
		type PeriodMs: Get<Moment>;
	}

	/// Timestamp of the chain's first block: the start of day 0 and period 0.
	#[pallet::storage]
	pub type ChainStart<T> = StorageValue<_, Moment, OptionQuery>;

	impl<T: Config> frame_support::traits::OnTimestampSet<Moment> for Pallet<T> {
		fn on_timestamp_set(now: Moment) {
			if !ChainStart::<T>::exists() {
				ChainStart::<T>::put(now);
			}
		}
	}
}

mod clock_impl {
	use super::*;
	use frame_support::traits::Get;
	use vcity_primitives::{interval_index, Clock, DayIndex, Moment, PeriodIndex};

	impl<T: Config> Pallet<T> {
		/// Start of day 0; before the first block has a timestamp, now is the start.
		fn start_ms() -> Moment {
			ChainStart::<T>::get().unwrap_or_else(Self::now)
		}

		fn now() -> Moment {
			pallet_timestamp::Now::<T>::get()
		}
	}

	impl<T: Config> Clock for Pallet<T> {
		fn now_ms() -> Moment {
			Self::now()
		}

		fn day_index() -> DayIndex {
			interval_index(Self::start_ms(), Self::now(), T::DayMs::get())
		}

		fn day_of(moment: Moment) -> DayIndex {
			interval_index(Self::start_ms(), moment, T::DayMs::get())
		}

		fn day_start_ms(day: DayIndex) -> Moment {
			Self::start_ms().saturating_add(T::DayMs::get().saturating_mul(day.into()))
		}

		fn period_index() -> PeriodIndex {
			interval_index(Self::start_ms(), Self::now(), T::PeriodMs::get())
		}
	}
}

//! # Chain clock
//!
//! The one notion of "day" and "period" on Vcity chain. The first block's timestamp is kept as
//! the start of day 0 and period 0; every pallet reads days and periods through
//! [`vcity_primitives::Clock`], implemented here, so none keeps its own.
//!
//! The start is recorded from `pallet_timestamp`'s `OnTimestampSet`, so it costs the timestamp
//! inherent one read per block and one write once; no hook of its own.
//!
//! Days have a fixed length. Periods (the rewards' and the stake schedule's) are weekly by
//! default and governance may change their length; a new length applies from the next period
//! on (`periods.rs`), so period indices only ever grow and no period is cut short.
#![cfg_attr(not(feature = "std"), no_std)]

pub use pallet::*;
pub use weights::WeightInfo;

mod periods;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod tests;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;
	use vcity_primitives::{Moment, PeriodIndex};

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config:
		frame_system::Config<RuntimeEvent: From<Event<Self>>> + pallet_timestamp::Config<Moment = Moment>
	{
		/// Length of a day in milliseconds (a few blocks under `fast-runtime`).
		#[pallet::constant]
		type DayMs: Get<Moment>;
		/// Length of an economic period in milliseconds at genesis (a week by default).
		#[pallet::constant]
		type PeriodMs: Get<Moment>;
		/// Shortest period governance may set, in milliseconds.
		#[pallet::constant]
		type MinPeriodMs: Get<Moment>;
		/// Longest period governance may set, in milliseconds.
		#[pallet::constant]
		type MaxPeriodMs: Get<Moment>;
		/// Who changes the period length (root until the DAO exists).
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		type WeightInfo: crate::WeightInfo;
	}

	/// Timestamp of the chain's first block: the start of day 0 and period 0.
	#[pallet::storage]
	pub type ChainStart<T> = StorageValue<_, Moment, OptionQuery>;

	/// The period length in force, and the one governance set to follow from a later period.
	#[pallet::storage]
	pub type Periods<T: Config> = StorageValue<_, PeriodLengths, ValueQuery, GenesisPeriods<T>>;

	/// Before anything is stored, periods have the configured length from period 0.
	#[pallet::type_value]
	pub fn GenesisPeriods<T: Config>() -> PeriodLengths {
		PeriodLengths { current: PeriodRun::from_genesis(T::PeriodMs::get()), next: None }
	}

	/// A run of periods of one length.
	#[derive(
		Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug,
	)]
	pub struct PeriodRun {
		/// The run's first period.
		pub first_period: PeriodIndex,
		/// When that period starts, in milliseconds after the chain's start.
		pub start_offset_ms: Moment,
		/// Length of each period of the run, in milliseconds.
		pub length_ms: Moment,
	}

	/// The run in force and the next one, if governance set one.
	#[derive(
		Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug,
	)]
	pub struct PeriodLengths {
		pub current: PeriodRun,
		pub next: Option<PeriodRun>,
	}

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			// Stored, so that a later runtime with another `PeriodMs` does not re-date the past.
			Periods::<T>::put(GenesisPeriods::<T>::get());
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Periods are to have a new length from `from_period`, which starts at `starts_ms`.
		PeriodLengthSet { from_period: PeriodIndex, starts_ms: Moment, length_ms: Moment },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The length is shorter than `MinPeriodMs` or longer than `MaxPeriodMs`.
		PeriodLengthOutOfRange,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::DayMs::get() > 0, "a day must last");
			assert!(T::MinPeriodMs::get() > 0, "a period must last");
			assert!(T::MinPeriodMs::get() <= T::MaxPeriodMs::get(), "the period bounds are inverted");
			assert!(
				(T::MinPeriodMs::get()..=T::MaxPeriodMs::get()).contains(&T::PeriodMs::get()),
				"the genesis period length is outside its bounds"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Sets the length of the periods that follow the current one. The current period keeps
		/// its end; a second call before it ends replaces the first.
		#[pallet::call_index(0)]
		#[pallet::weight(<T as Config>::WeightInfo::set_period_length())]
		pub fn set_period_length(origin: OriginFor<T>, length_ms: Moment) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_period_length(length_ms)
		}
	}
}

impl<T: Config> frame_support::traits::OnTimestampSet<vcity_primitives::Moment> for Pallet<T> {
	fn on_timestamp_set(now: vcity_primitives::Moment) {
		if !ChainStart::<T>::exists() {
			ChainStart::<T>::put(now);
		}
	}
}

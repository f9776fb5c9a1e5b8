//! # Chain clock
//!
//! The one notion of "day" and "period" on Vcity chain. The first block's timestamp is kept as
//! the start of day 0 and period 0; every pallet reads days and periods through
//! [`vcity_primitives::Clock`], implemented here, so none keeps its own.
//!
//! The start is recorded from `pallet_timestamp`'s `OnTimestampSet`, so it costs the timestamp
//! inherent one read per block and one write once; no hook of its own.
//!
//! The length of a day is a genesis parameter (24 hours on a real network; a minute on the
//! `dev-fast` chain, so that a newcomer sees days, buybacks and periods pass with the same
//! binary). It is fixed for the chain's life: locks, revenue and rounds are indexed by day, and
//! a new length would re-date all of them. Periods (the rewards' and the stake schedule's) are
//! weekly by default and governance may change their length within whole-day bounds; a new
//! length applies from the next period on (`periods.rs`), so period indices only ever grow and
//! no period is cut short.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use weights::WeightInfo;

pub mod migrations;
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

	/// 1: the chain's start and the day's length in one value, `Calendar`.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Mock runtimes take the bounds from here (`derive_impl`) and set the time source and the
	/// governance origin.
	pub mod config_preludes {
		use super::*;
		use frame_support::{derive_impl, traits::ConstU64};

		/// Days from 1 ms to 24 hours, periods of 1 to 28 days: each test's genesis picks its own.
		pub struct TestDefaultConfig;

		#[derive_impl(frame_system::config_preludes::TestDefaultConfig, no_aggregated_types)]
		impl frame_system::DefaultConfig for TestDefaultConfig {}

		#[frame_support::register_default_impl(TestDefaultConfig)]
		impl DefaultConfig for TestDefaultConfig {
			type MinDayMs = ConstU64<1>;
			type MaxDayMs = ConstU64<{ 24 * 3_600_000 }>;
			type MinPeriodDays = ConstU32<1>;
			type MaxPeriodDays = ConstU32<28>;
			type WeightInfo = ();
		}
	}

	#[pallet::config(with_default)]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The block's timestamp: `pallet_timestamp`, whose `OnTimestampSet` is this pallet.
		#[pallet::no_default]
		type Time: frame_support::traits::Time<Moment = Moment>;
		/// Shortest day a genesis may set, in milliseconds: enough blocks for a day's rounds and
		/// hooks to run in it.
		#[pallet::constant]
		type MinDayMs: Get<Moment>;
		/// Longest day a genesis may set, in milliseconds.
		#[pallet::constant]
		type MaxDayMs: Get<Moment>;
		/// Shortest period governance may set, in days of the chain.
		#[pallet::constant]
		type MinPeriodDays: Get<u32>;
		/// Longest period governance may set, in days of the chain.
		#[pallet::constant]
		type MaxPeriodDays: Get<u32>;
		/// Who changes the period length (root until the DAO exists).
		#[pallet::no_default]
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		type WeightInfo: crate::WeightInfo;
	}

	/// When day 0 began and how long a day lasts: one value, so naming a day costs one read.
	/// Every block's timestamp inherent reads it (`on_timestamp_set`), so like the timestamp
	/// itself it is read in every block and benchmarks count it as such (whitelisted).
	#[pallet::storage]
	#[pallet::whitelist_storage]
	pub type Calendar<T> = StorageValue<_, ChainCalendar, ValueQuery, StandardCalendar>;

	/// Before genesis has set one, days last 24 hours.
	#[pallet::type_value]
	pub fn StandardCalendar() -> ChainCalendar {
		ChainCalendar { start_ms: None, day_ms: STANDARD_DAY_MS }
	}

	/// The period length in force, and the one governance set to follow from a later period.
	#[pallet::storage]
	pub type Periods<T: Config> = StorageValue<_, PeriodLengths, ValueQuery, StandardPeriods>;

	/// Before genesis has set them, periods last a week of 24-hour days from period 0.
	#[pallet::type_value]
	pub fn StandardPeriods() -> PeriodLengths {
		PeriodLengths { current: PeriodRun::from_genesis(7 * STANDARD_DAY_MS), next: None }
	}

	/// The chain's days.
	#[derive(
		Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug,
	)]
	pub struct ChainCalendar {
		/// Timestamp of the chain's first block: the start of day 0 and period 0; `None` until
		/// that block.
		pub start_ms: Option<Moment>,
		/// Length of a day in milliseconds, set at genesis.
		pub day_ms: Moment,
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
	pub struct GenesisConfig<T: Config> {
		/// Length of a day in milliseconds, within `MinDayMs..=MaxDayMs`.
		pub day_ms: Moment,
		/// Length of the first periods in milliseconds, within the period bounds.
		pub period_ms: Moment,
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	/// 24-hour days and weekly periods.
	impl<T: Config> Default for GenesisConfig<T> {
		fn default() -> Self {
			Self { day_ms: STANDARD_DAY_MS, period_ms: 7 * STANDARD_DAY_MS, _config: Default::default() }
		}
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			// A chain spec with a day or a period outside its bounds is refused at genesis.
			assert!(
				(T::MinDayMs::get()..=T::MaxDayMs::get()).contains(&self.day_ms),
				"the genesis day length is outside MinDayMs..=MaxDayMs"
			);
			Calendar::<T>::put(ChainCalendar { start_ms: None, day_ms: self.day_ms });
			assert!(
				Pallet::<T>::period_bounds().contains(&self.period_ms),
				"the genesis period length is outside MinPeriodDays..=MaxPeriodDays"
			);
			Periods::<T>::put(PeriodLengths { current: PeriodRun::from_genesis(self.period_ms), next: None });
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
		/// The length is shorter than `MinPeriodDays` or longer than `MaxPeriodDays` of the
		/// chain's days.
		PeriodLengthOutOfRange,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MinDayMs::get() > 0, "a day must last");
			assert!(T::MinDayMs::get() <= T::MaxDayMs::get(), "the day bounds are inverted");
			assert!(T::MinPeriodDays::get() > 0, "a period must last");
			assert!(T::MinPeriodDays::get() <= T::MaxPeriodDays::get(), "the period bounds are inverted");
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

/// A day of 24 hours, in milliseconds: the length on a real network and before genesis sets one.
pub const STANDARD_DAY_MS: vcity_primitives::Moment = 24 * 3_600_000;

impl<T: Config> frame_support::traits::OnTimestampSet<vcity_primitives::Moment> for Pallet<T> {
	fn on_timestamp_set(now: vcity_primitives::Moment) {
		let calendar = Calendar::<T>::get();
		if calendar.start_ms.is_none() {
			Calendar::<T>::put(ChainCalendar { start_ms: Some(now), ..calendar });
		}
	}
}

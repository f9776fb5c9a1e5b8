//! Days and periods from the chain's start, and governance's changes of the period length.
//!
//! Periods are runs of equal length. A change starts a new run at the next period boundary, so
//! the index of a moment is found in the run that contains it: two reads, no history to walk.

use crate::pallet::*;
use frame_support::{ensure, pallet_prelude::DispatchResult, traits::Get};
use vcity_primitives::{interval_index, Clock, DayIndex, Moment, PeriodIndex};

impl PeriodRun {
	/// Periods of `length_ms` from the chain's start.
	pub fn from_genesis(length_ms: Moment) -> Self {
		Self { first_period: 0, start_offset_ms: 0, length_ms }
	}

	/// The period `offset_ms` (after the chain's start) falls in, for an offset inside the run.
	fn period_at(&self, offset_ms: Moment) -> PeriodIndex {
		let within = interval_index(self.start_offset_ms, offset_ms, self.length_ms);
		self.first_period.saturating_add(within)
	}

	/// Start of `period` (after the chain's start), for a period of the run.
	fn start_of(&self, period: PeriodIndex) -> Moment {
		let within = Moment::from(period.saturating_sub(self.first_period));
		self.start_offset_ms.saturating_add(within.saturating_mul(self.length_ms))
	}
}

impl PeriodLengths {
	/// The run a moment (after the chain's start) falls in.
	fn run_at(&self, offset_ms: Moment) -> &PeriodRun {
		match &self.next {
			Some(next) if offset_ms >= next.start_offset_ms => next,
			_ => &self.current,
		}
	}

	/// The run a period belongs to; `None` before the current run.
	fn run_of(&self, period: PeriodIndex) -> Option<&PeriodRun> {
		match &self.next {
			Some(next) if period >= next.first_period => Some(next),
			_ => (period >= self.current.first_period).then_some(&self.current),
		}
	}
}

impl<T: Config> Pallet<T> {
	/// Start of day 0 (before the first block has a timestamp, now is the start) and the length
	/// of a day, in one read.
	fn start_and_day() -> (Moment, Moment) {
		let calendar = Calendar::<T>::get();
		(calendar.start_ms.unwrap_or_else(Self::now), calendar.day_ms)
	}

	fn start_ms() -> Moment {
		Self::start_and_day().0
	}

	/// Lengths governance may give a period: whole-day bounds of the chain's days.
	pub fn period_bounds() -> core::ops::RangeInclusive<Moment> {
		let day = Calendar::<T>::get().day_ms;
		let days = |n: u32| day.saturating_mul(Moment::from(n));
		days(T::MinPeriodDays::get())..=days(T::MaxPeriodDays::get())
	}

	fn now() -> Moment {
		<T::Time as frame_support::traits::Time>::now()
	}

	fn offset_now() -> Moment {
		Self::now().saturating_sub(Self::start_ms())
	}

	pub(crate) fn do_set_period_length(length_ms: Moment) -> DispatchResult {
		ensure!(Self::period_bounds().contains(&length_ms), Error::<T>::PeriodLengthOutOfRange);
		let offset = Self::offset_now();
		let mut lengths = Periods::<T>::get();
		// A run set earlier that is already in force becomes the current one.
		let current = *lengths.run_at(offset);
		let from_period = current.period_at(offset).saturating_add(1);
		let next = PeriodRun {
			first_period: from_period,
			start_offset_ms: current.start_of(from_period),
			length_ms,
		};
		lengths = PeriodLengths { current, next: Some(next) };
		Periods::<T>::put(lengths);
		Self::deposit_event(Event::PeriodLengthSet {
			from_period,
			starts_ms: Self::start_ms().saturating_add(next.start_offset_ms),
			length_ms,
		});
		Ok(())
	}
}

impl<T: Config> Clock for Pallet<T> {
	fn now_ms() -> Moment {
		Self::now()
	}

	fn day_ms() -> Moment {
		Calendar::<T>::get().day_ms
	}

	fn day_index() -> DayIndex {
		let (start, day) = Self::start_and_day();
		interval_index(start, Self::now(), day)
	}

	fn day_of(moment: Moment) -> DayIndex {
		let (start, day) = Self::start_and_day();
		interval_index(start, moment, day)
	}

	fn day_start_ms(day: DayIndex) -> Moment {
		let (start, length) = Self::start_and_day();
		start.saturating_add(length.saturating_mul(day.into()))
	}

	fn period_index() -> PeriodIndex {
		let offset = Self::offset_now();
		Periods::<T>::get().run_at(offset).period_at(offset)
	}

	fn period_start_ms(period: PeriodIndex) -> Option<Moment> {
		let start = Periods::<T>::get().run_of(period)?.start_of(period);
		Some(Self::start_ms().saturating_add(start))
	}
}

#[cfg(any(feature = "try-runtime", test))]
impl<T: Config> Pallet<T> {
	/// Runs follow each other without a gap or an overlap, and the day and every period length
	/// are within their bounds.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let day = Calendar::<T>::get().day_ms;
		ensure!(
			(T::MinDayMs::get()..=T::MaxDayMs::get()).contains(&day),
			"the day's length is out of bounds"
		);
		let lengths = Periods::<T>::get();
		let bounds = Self::period_bounds();
		ensure!(bounds.contains(&lengths.current.length_ms), "the run in force has a length out of bounds");
		ensure!(
			lengths.next.is_none_or(|next| bounds.contains(&next.length_ms)),
			"the next run has a length out of bounds"
		);
		if let Some(next) = lengths.next {
			ensure!(next.length_ms > 0, "a period of the next run does not last");
			ensure!(next.first_period > lengths.current.first_period, "the next run does not come later");
			ensure!(
				next.start_offset_ms == lengths.current.start_of(next.first_period),
				"the next run does not start where the current run's period ends"
			);
		}
		Ok(())
	}
}

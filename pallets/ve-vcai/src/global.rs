//! The global weight: closing days, and moving one account's contribution to the line.

use crate::{pallet::*, types::*, WeightInfo, LOG_TARGET};
use frame_support::{
	ensure,
	traits::{DefensiveSaturating, Get},
	weights::Weight,
};
use vcity_primitives::{Balance, Clock, DayIndex, VeWeight, CHARGED_LOCKERS};

/// The part of the global line one lock makes up: its slope until its unlock day, and its amount
/// in the active total until then.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Contribution {
	pub slope: VeWeight,
	pub amount: Balance,
	pub unlock_day: DayIndex,
}

impl<T: Config> Pallet<T> {
	/// Closes every day before today, at most `max_days` of them; returns how many it closed.
	pub(crate) fn close_days(today: DayIndex, max_days: u32) -> u32 {
		let mut point = Global::<T>::get();
		let mut closed = 0;
		while point.day < today && closed < max_days {
			Self::close_day(&mut point);
			closed += 1;
		}
		if closed > 0 {
			Global::<T>::put(point);
		}
		closed
	}

	/// Shares the closing day's drop by its start-of-day total, then moves the line to the next
	/// day and snapshots its total before anything can change on it.
	fn close_day(point: &mut GlobalPoint) {
		let day = point.day;
		let next = day.saturating_add(1);
		let total_weight = TotalWeightAt::<T>::get(day);
		let before = Accumulators::<T>::get(day);
		let drop = PendingDrop::<T>::get();
		let mut after = before;
		if drop > 0 {
			match Accumulator::for_day(drop, day, total_weight).and_then(|add| before.checked_add(&add)) {
				Some(sum) => {
					after = sum;
					PendingDrop::<T>::kill();
					DistributorTotals::<T>::mutate(|t| t.distributed = t.distributed.saturating_add(drop));
					Self::deposit_event(Event::DayDistributed { day, amount: drop, total_weight });
				}
				None => {
					if total_weight > 0 {
						log::warn!(target: LOG_TARGET, "day {day}: drop {drop} overflows the accumulators; carried");
					}
					Self::deposit_event(Event::DropCarried { day, amount: drop });
				}
			}
		}
		Accumulators::<T>::insert(next, after);
		// Every lock still counted ends after `day`, so it adds at least its slope to the bias.
		point.bias = point.bias.defensive_saturating_sub(point.slope);
		point.slope = point.slope.defensive_saturating_sub(SlopeChanges::<T>::take(next));
		let expired = ExpiringAmounts::<T>::take(next);
		ActiveLocked::<T>::mutate(|active| *active = active.defensive_saturating_sub(expired));
		point.day = next;
		TotalWeightAt::<T>::insert(next, point.bias);
	}

	/// The hook's share of the work: the days a stall left open, a bounded number per block.
	pub(crate) fn close_days_in_hook() -> Weight {
		let closed = Self::close_days(T::Clock::day_index(), T::MaxCatchUpDays::get());
		// Each day closed also takes its expiring amount off the active total.
		let active = T::DbWeight::get().reads_writes(2 * u64::from(closed), 2 * u64::from(closed));
		T::WeightInfo::close_days(closed, CHARGED_LOCKERS).saturating_add(active)
	}

	/// Today, after closing yesterday if this block is the first to see today. Calls refuse to
	/// act while older days are still open, since their snapshots must not see the change.
	pub(crate) fn ensure_current() -> Result<DayIndex, Error<T>> {
		let today = T::Clock::day_index();
		Self::close_days(today, 1);
		ensure!(Global::<T>::get().day >= today, Error::<T>::CatchingUp);
		Ok(today)
	}

	/// Replaces a lock's part of the live line, on `today` (already closed up to).
	pub(crate) fn replace_contribution(
		today: DayIndex,
		old: Option<Contribution>,
		new: Option<Contribution>,
	) -> Result<(), Error<T>> {
		let overflow = || Error::<T>::ArithmeticOverflow;
		let mut point = Global::<T>::get();
		let mut active = ActiveLocked::<T>::get();
		if let Some(old) = old.filter(|c| c.unlock_day > today) {
			let weight = Self::weight_of(old, today)?;
			point.bias = point.bias.checked_sub(weight).ok_or_else(overflow)?;
			point.slope = point.slope.checked_sub(old.slope).ok_or_else(overflow)?;
			active = active.checked_sub(old.amount).ok_or_else(overflow)?;
			SlopeChanges::<T>::try_mutate(old.unlock_day, |s| {
				*s = s.checked_sub(old.slope).ok_or_else(overflow)?;
				Ok::<_, Error<T>>(())
			})?;
			// No zero entry is left behind for a day no lock ends on any more.
			ExpiringAmounts::<T>::try_mutate_exists(old.unlock_day, |a| {
				let left = a.unwrap_or_default().checked_sub(old.amount).ok_or_else(overflow)?;
				*a = (left > 0).then_some(left);
				Ok::<_, Error<T>>(())
			})?;
		}
		if let Some(new) = new.filter(|c| c.unlock_day > today) {
			let weight = Self::weight_of(new, today)?;
			point.bias = point.bias.checked_add(weight).ok_or_else(overflow)?;
			point.slope = point.slope.checked_add(new.slope).ok_or_else(overflow)?;
			active = active.checked_add(new.amount).ok_or_else(overflow)?;
			SlopeChanges::<T>::try_mutate(new.unlock_day, |s| {
				*s = s.checked_add(new.slope).ok_or_else(overflow)?;
				Ok::<_, Error<T>>(())
			})?;
			ExpiringAmounts::<T>::try_mutate(new.unlock_day, |a| {
				*a = a.checked_add(new.amount).ok_or_else(overflow)?;
				Ok::<_, Error<T>>(())
			})?;
		}
		Global::<T>::put(point);
		ActiveLocked::<T>::put(active);
		Ok(())
	}

	fn weight_of(c: Contribution, day: DayIndex) -> Result<VeWeight, Error<T>> {
		c.slope.checked_mul(c.unlock_day.saturating_sub(day).into()).ok_or(Error::<T>::ArithmeticOverflow)
	}
}

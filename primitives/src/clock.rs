//! One clock for every pallet: days and periods counted from the chain's first block.

use crate::units::{DayIndex, Moment, PeriodIndex};

/// The chain's time, as every pallet must read it.
///
/// Inside `on_initialize` `now_ms` is the previous block's timestamp (the timestamp inherent has
/// not run yet); inside extrinsics it is the current block's.
pub trait Clock {
	/// Milliseconds since the Unix epoch.
	fn now_ms() -> Moment;
	/// Length of a day in milliseconds: 24 hours on a real network, shorter on a fast dev chain.
	/// Fixed for the chain's life.
	fn day_ms() -> Moment;
	/// Whole days since the chain's first block (day 0).
	fn day_index() -> DayIndex;
	/// The day `moment` (milliseconds since the Unix epoch) falls in; moments before the chain's
	/// first block fall in day 0.
	fn day_of(moment: Moment) -> DayIndex;
	/// Start of `day`, in milliseconds since the Unix epoch (saturating).
	fn day_start_ms(day: DayIndex) -> Moment;
	/// Whole periods since the chain's first block (period 0). Governance may change the
	/// period length; a change applies from the next period on, so periods never overlap.
	fn period_index() -> PeriodIndex;
	/// Start of `period` in milliseconds since the Unix epoch, for periods of the length in
	/// force now or of the one set to follow; `None` for periods before the current length
	/// took effect.
	fn period_start_ms(period: PeriodIndex) -> Option<Moment>;
}

/// Index of the interval of `length_ms` that `now_ms` falls in, counting from `start_ms`.
/// Times before the start fall in interval 0, and a zero length never divides by zero.
pub fn interval_index(start_ms: Moment, now_ms: Moment, length_ms: Moment) -> u32 {
	let elapsed = now_ms.saturating_sub(start_ms);
	let index = elapsed.checked_div(length_ms).unwrap_or(0);
	u32::try_from(index).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn intervals_count_from_the_start() {
		assert_eq!(interval_index(1_000, 1_000, 100), 0);
		assert_eq!(interval_index(1_000, 1_099, 100), 0);
		assert_eq!(interval_index(1_000, 1_100, 100), 1);
		assert_eq!(interval_index(1_000, 500, 100), 0);
		assert_eq!(interval_index(0, 5, 0), 0);
	}
}

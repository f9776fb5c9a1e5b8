//! The release schedule: released(t) = ⌊POOL · min(t, T) / T⌋ in base units.
//!
//! A period [a, b) releases released(b) − released(a). The differences telescope, so whatever
//! lengths the periods have, or when governance changes them, the releases up to any time t add
//! up to released(t), and to the pool exactly once t ≥ T.

use sp_runtime::helpers_128bit::multiply_by_rational_with_rounding;
use sp_runtime::Rounding;
use vcity_primitives::{Balance, Moment};

/// VCAI released from `pool` in the first `elapsed_ms` of a schedule of `schedule_ms`.
pub fn released(pool: Balance, elapsed_ms: Moment, schedule_ms: Moment) -> Balance {
	if schedule_ms == 0 || elapsed_ms >= schedule_ms {
		return pool;
	}
	// POOL · t overflows u128 (2·10^27 · 3·10^11), hence the 256-bit intermediate; the result is
	// at most `pool`, so it always fits. Were it ever not to, nothing is released (the next
	// period's release, a difference of two values of this function, is then larger).
	multiply_by_rational_with_rounding(pool, elapsed_ms.into(), schedule_ms.into(), Rounding::Down)
		.unwrap_or(0)
}

/// VCAI a period [from, to) (milliseconds after the chain's start) releases.
pub fn released_between(pool: Balance, from_ms: Moment, to_ms: Moment, schedule_ms: Moment) -> Balance {
	released(pool, to_ms, schedule_ms).saturating_sub(released(pool, from_ms, schedule_ms))
}

//! The JSON shapes of veVCAI's RPC and their conversions from the runtime's types. Amounts (VCAI
//! base units, 18 decimals) and weights are decimal strings, days and milliseconds numbers.
//!
//! Weights go out as the exact integers the runtime keeps, with no display figure beside them:
//! users see a weight divided by `VE_MAX_LOCK_DAYS` × √`VE_SLOPE_SCALE` × √10^18 = 1.461 × 10^15,
//! and as 1,461 = 3 × 487 that quotient has no exact decimal, so any figure here would be a rounding clients
//! could not tell from the real value.

use serde::{Deserialize, Serialize};
use vcity_primitives::{Balance, DayIndex, VeLockView, VeTotals};

/// One account's lock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VeLockJson {
	/// VCAI base units held by the lock.
	pub amount: String,
	/// First day on which the lock has no weight and can be withdrawn.
	pub unlock_day: DayIndex,
	/// Start of the unlock day, Unix milliseconds.
	pub unlock_ms: u64,
	/// isqrt(amount × 1,000,000): the weight per day left.
	pub slope: String,
	/// slope × days left, `"0"` once expired; changes made today included.
	pub weight: String,
}

/// Network-wide veVCAI figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VeTotalsJson {
	/// The day the figures are for.
	pub day: DayIndex,
	/// Σ of every lock's weight now, changes made today included.
	pub weight: String,
	/// Σ of the weights in today's start-of-day snapshot: what today's drop is shared by.
	pub snapshot_weight: String,
	/// VCAI held by all locks, expired ones not yet withdrawn included.
	pub locked: String,
	/// VCAI to be shared when today ends.
	pub pending_drop: String,
	/// VCAI shared among lockers since genesis, and the part of it claimed.
	pub distributed: String,
	pub claimed: String,
}

impl From<VeLockView> for VeLockJson {
	fn from(l: VeLockView) -> Self {
		Self {
			amount: l.amount.to_string(),
			unlock_day: l.unlock_day,
			unlock_ms: l.unlock_ms,
			slope: l.slope.to_string(),
			weight: l.weight.to_string(),
		}
	}
}

impl From<VeTotals<Balance>> for VeTotalsJson {
	fn from(t: VeTotals<Balance>) -> Self {
		Self {
			day: t.day,
			weight: t.weight.to_string(),
			snapshot_weight: t.snapshot_weight.to_string(),
			locked: t.locked.to_string(),
			pending_drop: t.pending_drop.to_string(),
			distributed: t.distributed.to_string(),
			claimed: t.claimed.to_string(),
		}
	}
}

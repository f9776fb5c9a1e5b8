//! veVCAI: what other pallets, the runtime API and the RPC see of locks and their weights.

use crate::units::{Balance, DayIndex};
use codec::{Decode, Encode};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

/// ve weights are `slope × days left`, with `slope = isqrt(locked × VE_SLOPE_SCALE)` and the
/// locked amount in base units. Shown to users divided by [`VE_MAX_LOCK_DAYS`], by
/// √[`VE_SLOPE_SCALE`] = 10^3 and by √(10^18) = 10^9 (one VCAI in base units), i.e. by
/// 1.461 × 10^15: a four-year lock of one VCAI shows as 1.0.
pub type VeWeight = u128;

/// Factor applied to the locked amount before its square root, so small locks keep a precise
/// slope: a lock of a single base unit already has slope 1,000.
pub const VE_SLOPE_SCALE: u128 = 1_000_000;

/// T_max = 4 years = 126,230,400 s = 1,461 days.
pub const VE_MAX_LOCK_DAYS: DayIndex = 1_461;

/// One account's lock as it stands now.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VeLockView {
	/// VCAI held by the lock, in base units.
	#[serde(with = "crate::json::decimal")]
	pub amount: Balance,
	/// First day on which the lock has no weight and can be withdrawn.
	pub unlock_day: DayIndex,
	/// Start of the unlock day, in milliseconds since the Unix epoch.
	pub unlock_ms: u64,
	/// isqrt(amount × VE_SLOPE_SCALE).
	#[serde(with = "crate::json::decimal")]
	pub slope: VeWeight,
	/// slope × (unlock_day − today), zero once expired; changes made today included.
	#[serde(with = "crate::json::decimal")]
	pub weight: VeWeight,
}

/// Network-wide veVCAI figures.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(
	rename_all = "camelCase",
	bound(serialize = "Balance: core::fmt::Display", deserialize = "Balance: core::str::FromStr")
)]
pub struct VeTotals<Balance> {
	/// The day the totals are for.
	pub day: DayIndex,
	/// Σ of every lock's weight now, changes made today included.
	#[serde(with = "crate::json::decimal")]
	pub weight: VeWeight,
	/// Σ of the weights in today's start-of-day snapshot: what today's drop is shared by and
	/// what a vote with today as its snapshot day counts.
	#[serde(with = "crate::json::decimal")]
	pub snapshot_weight: VeWeight,
	/// VCAI held by all locks, expired ones not yet withdrawn included.
	#[serde(with = "crate::json::decimal")]
	pub locked: Balance,
	/// VCAI in locks that have not expired: what governance counts as locked.
	#[serde(with = "crate::json::decimal")]
	pub active_locked: Balance,
	/// VCAI waiting to be shared when today ends (today's drops and any carried forward).
	#[serde(with = "crate::json::decimal")]
	pub pending_drop: Balance,
	/// VCAI shared among lockers since genesis, and paid out of it by claims.
	#[serde(with = "crate::json::decimal")]
	pub distributed: Balance,
	#[serde(with = "crate::json::decimal")]
	pub claimed: Balance,
}

use super::*;
use vcity_primitives::{VCAI, VE_MAX_LOCK_DAYS};

/// A fresh lock for the longest term of 12,345 VCAI and 678 base units: slope
/// isqrt(amount × 10^6) = 111,108,055,513,540, weight slope × 1,461.
fn sample_lock() -> VeLockView {
	VeLockView {
		amount: 12_345 * VCAI + 678,
		unlock_day: 1_491,
		unlock_ms: 1_924_128_000_000,
		slope: 111_108_055_513_540,
		weight: 111_108_055_513_540 * VE_MAX_LOCK_DAYS as u128,
	}
}

#[test]
fn locks_render_exact_integers_and_no_rounded_figure() {
	let lock = sample_lock();
	let weight = lock.weight;
	// The weight is past what a JSON number keeps exactly: a number would round it.
	assert_ne!(weight as f64 as u128, weight);

	let json = serde_json::to_value(&lock).unwrap();
	assert_eq!(
		json,
		serde_json::json!({
			"amount": "12345000000000000000678",
			"unlockDay": 1_491,
			"unlockMs": 1_924_128_000_000u64,
			"slope": "111108055513540",
			"weight": "162328869105281940",
		})
	);
	let back: VeLockView = serde_json::from_value(json).unwrap();
	assert_eq!(back.weight, weight);
	assert_eq!(back.amount, 12_345 * VCAI + 678);
	assert_eq!(back, lock);
}

#[test]
fn totals_render_every_amount_as_a_decimal_string() {
	let totals: VeTotals<Balance> = VeTotals {
		day: 30,
		weight: 162_328_869_105_281_940,
		snapshot_weight: 162_328_869_105_281_941,
		locked: 12_345 * VCAI,
		active_locked: 12_000 * VCAI,
		pending_drop: 7,
		distributed: Balance::MAX,
		claimed: 0,
	};
	let json = serde_json::to_value(&totals).unwrap();
	assert_eq!(
		json,
		serde_json::json!({
			"day": 30,
			"weight": "162328869105281940",
			"snapshotWeight": "162328869105281941",
			"locked": "12345000000000000000000",
			"activeLocked": "12000000000000000000000",
			"pendingDrop": "7",
			"distributed": "340282366920938463463374607431768211455",
			"claimed": "0",
		})
	);
	assert_eq!(serde_json::from_value::<VeTotals<Balance>>(json).unwrap(), totals);
}

use super::*;
use pallet_compute_registry_rpc::codes;
use sp_core::crypto::Ss58Codec;
use vcity_primitives::{VeLockView, VeTotals, VCAI, VE_MAX_LOCK_DAYS};

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

	let json = serde_json::to_value(VeLockJson::from(lock)).unwrap();
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
	let back: VeLockJson = serde_json::from_value(json).unwrap();
	assert_eq!(back.weight.parse::<u128>().unwrap(), weight);
	assert_eq!(back.amount.parse::<Balance>().unwrap(), 12_345 * VCAI + 678);
}

#[test]
fn totals_render_every_amount_as_a_decimal_string() {
	let totals = VeTotalsJson::from(VeTotals {
		day: 30,
		weight: 162_328_869_105_281_940,
		snapshot_weight: 162_328_869_105_281_941,
		locked: 12_345 * VCAI,
		pending_drop: 7,
		distributed: Balance::MAX,
		claimed: 0,
	});
	assert_eq!(
		serde_json::to_value(totals).unwrap(),
		serde_json::json!({
			"day": 30,
			"weight": "162328869105281940",
			"snapshotWeight": "162328869105281941",
			"locked": "12345000000000000000000",
			"pendingDrop": "7",
			"distributed": "340282366920938463463374607431768211455",
			"claimed": "0",
		})
	);
}

#[test]
fn accounts_parse_from_ss58_and_garbage_is_a_named_invalid_params_error() {
	assert_eq!(
		parse_account("5C4hrfjw9DjXZTzV3MwzrrAr9P1MJhSrvWGWqi1eSuyUpnhM").unwrap(),
		AccountId32::new([0; 32])
	);
	assert_eq!(
		parse_account("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY").unwrap().to_ss58check(),
		"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
	);
	// The last one differs from the zero account in its checksum only.
	for bad in ["alice", "", "did:vcity:1", "5C4hrfjw9DjXZTzV3MwzrrAr9P1MJhSrvWGWqi1eSuyUpnhN"] {
		let err = parse_account(bad).unwrap_err();
		assert_eq!(err.code(), codes::INVALID_PARAMS, "{bad}");
		assert_eq!(err.message(), format!("account {bad:?} is not an SS58 address"));
	}
}

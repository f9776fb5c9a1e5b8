use super::*;
use sp_runtime::Perbill;
use vcity_primitives::{
	Balance, ClassFactors, FactorStages, PendingPeriod, PendingRewards, PeriodRewards, RewardsOverview,
	RewardsParams, SupplyShareAt, INCENTIVE_POOL, USDV, VCAI,
};

/// VCAI the schedule releases in the first weekly period: a 522nd of the pool, rounded down.
const FIRST_WEEK: Balance = 3_831_417_624_521_072_796_934_865;

/// The first week of a chain started on 1 January 2026: 10% of the release to the grants account,
/// the rest shared by a P_supply of 50%, 60% of the supply side by capacity; 8 GPUs online all
/// week, 75% of them used.
fn sample_period() -> PeriodRewards {
	PeriodRewards {
		start_ms: 1_767_225_600_000,
		end_ms: 1_767_830_400_000,
		released: FIRST_WEEK,
		to_grants: 383_141_762_452_107_279_693_487,
		carried_in: 0,
		supply_share: Perbill::from_percent(50),
		capacity_pot: 1_034_482_758_620_689_655_172_413,
		delivery_pot: 689_655_172_413_793_103_448_276,
		demand_pot: 1_724_137_931_034_482_758_620_689,
		carried_out: 0,
		capacity_points: 12_345_678_901_234_567_890,
		delivery_points: 98_765_432_100,
		vcai_per_usdv: 25 * VCAI,
		delivery_per_fee: Perbill::from_percent(30),
		rebate_per_fee: Perbill::from_percent(30),
		spend: 250_000 * USDV,
		available_gpu_seconds: 4_838_400,
		consumed_gpu_seconds: 3_628_800,
		utilization: Some(Perbill::from_percent(75)),
		claimed: 1_000 * VCAI,
		forfeited: 0,
	}
}

#[test]
fn a_period_renders_exact_integers_and_shares_in_billionths() {
	let record = sample_period();
	// The pots share out what was released less the grants' part.
	assert_eq!(
		record.capacity_pot + record.delivery_pot + record.demand_pot,
		record.released - record.to_grants
	);
	// The release is past what a JSON number keeps exactly: a number would round it.
	assert_ne!(FIRST_WEEK as f64 as u128, FIRST_WEEK);

	let json = serde_json::to_value(record).unwrap();
	assert_eq!(
		json,
		serde_json::json!({
			"startMs": 1_767_225_600_000u64,
			"endMs": 1_767_830_400_000u64,
			"released": "3831417624521072796934865",
			"toGrants": "383141762452107279693487",
			"carriedIn": "0",
			"supplySharePerbill": 500_000_000,
			"capacityPot": "1034482758620689655172413",
			"deliveryPot": "689655172413793103448276",
			"demandPot": "1724137931034482758620689",
			"carriedOut": "0",
			"capacityPoints": "12345678901234567890",
			"deliveryPoints": "98765432100",
			"vcaiPerUsdv": "25000000000000000000",
			"deliveryPerFeePerbill": 300_000_000,
			"rebatePerFeePerbill": 300_000_000,
			"spend": "250000000000",
			"availableGpuSeconds": 4_838_400,
			"consumedGpuSeconds": 3_628_800,
			"utilizationPerbill": 750_000_000,
			"claimed": "1000000000000000000000",
			"forfeited": "0",
		})
	);
	let back: PeriodRewards = serde_json::from_value(json).unwrap();
	assert_eq!(back.released, FIRST_WEEK);
	assert_eq!(back.capacity_points, record.capacity_points);
	assert_eq!(back, record);

	// A period in which nothing was available has no utilization.
	let idle = PeriodRewards { utilization: None, ..record };
	assert_eq!(serde_json::to_value(idle).unwrap()["utilizationPerbill"], serde_json::Value::Null);
}

#[test]
fn the_overview_renders_amounts_as_decimal_strings_and_the_parameters_in_exact_units() {
	// The second week: the first one's 75% utilization, 5 points under the 80% target, moved
	// P_supply down by a tenth of that.
	let overview = RewardsOverview {
		current_period: 1,
		current_period_start_ms: 1_767_830_400_000,
		supply_share: Perbill::from_parts(495_000_000),
		pool_left: INCENTIVE_POOL - FIRST_WEEK,
		released: FIRST_WEEK,
		carry: 7,
		params: RewardsParams::default(),
	};
	let json = serde_json::to_value(RewardsOverviewJson::from(overview)).unwrap();
	assert_eq!(
		json,
		serde_json::json!({
			"currentPeriod": 1,
			"currentPeriodStartMs": 1_767_830_400_000u64,
			"supplySharePerbill": 495_000_000,
			"poolLeft": "1996168582375478927203065135",
			"released": "3831417624521072796934865",
			"carry": "7",
			"params": {
				"releasePercentPerbill": 1_000_000_000,
				"capacitySharePerbill": 500_000_000,
				"gpuClass": { "consumer": 1000, "workstation": 1500, "datacenter": 2000 },
				"multiGpu": [
					{ "fromGib": 0, "permille": 1000 },
					{ "fromGib": 96, "permille": 1200 },
					{ "fromGib": 192, "permille": 1350 },
					{ "fromGib": 384, "permille": 1500 },
				],
				"deliveryPerFeePerbill": 300_000_000,
				"rebatePerFeePerbill": 300_000_000,
			},
		})
	);
	let back: RewardsOverviewJson = serde_json::from_value(json).unwrap();
	assert_eq!(back.pool_left.parse::<Balance>().unwrap() + FIRST_WEEK, INCENTIVE_POOL);
}

#[test]
fn params_keep_every_part_of_a_share_and_every_stage() {
	// Shares with no exact percentage keep every part; an empty staged factor is an empty list.
	let params = RewardsParams {
		release_percent: Perbill::from_parts(987_654_321),
		capacity_share: Perbill::from_parts(1),
		gpu_class: ClassFactors { consumer: 1, workstation: 0, datacenter: 10_000 },
		multi_gpu: FactorStages::default(),
		delivery_per_fee: Perbill::from_parts(123),
		rebate_per_fee: Perbill::from_parts(456_789),
	};
	let json = serde_json::to_value(RewardsParamsJson::from(params)).unwrap();
	assert_eq!(json["releasePercentPerbill"], 987_654_321);
	assert_eq!(json["capacitySharePerbill"], 1);
	assert_eq!(
		json["gpuClass"],
		serde_json::json!({ "consumer": 1, "workstation": 0, "datacenter": 10_000 })
	);
	assert_eq!(json["multiGpu"], serde_json::json!([]));
	assert_eq!(
		(json["deliveryPerFeePerbill"].clone(), json["rebatePerFeePerbill"].clone()),
		(123.into(), 456_789.into())
	);
	let back: RewardsParamsJson = serde_json::from_value(json).unwrap();
	assert_eq!(back.release_percent_perbill, 987_654_321);
	assert_eq!(back.gpu_class, ClassFactors { consumer: 1, workstation: 0, datacenter: 10_000 });
}

#[test]
fn supply_share_history_keeps_the_order_and_the_open_period_has_no_utilization() {
	let history = [
		SupplyShareAt {
			period: 0,
			supply_share: Perbill::from_percent(50),
			utilization: Some(Perbill::from_percent(75)),
		},
		SupplyShareAt { period: 1, supply_share: Perbill::from_parts(495_000_000), utilization: None },
	];
	assert_eq!(
		serde_json::to_value(history).unwrap(),
		serde_json::json!([
			{ "period": 0, "supplySharePerbill": 500_000_000, "utilizationPerbill": 750_000_000 },
			{ "period": 1, "supplySharePerbill": 495_000_000, "utilizationPerbill": null },
		])
	);
}

#[test]
fn pending_rewards_render_points_and_amounts_as_decimal_strings() {
	// A suspended node's rewards of two weeks: capacity in the one, delivery in the other.
	let pending = PendingRewards {
		periods: vec![
			PendingPeriod {
				period: 3,
				points: 12_345_678_901_234_567_890,
				delivery_points: 0,
				amount: 1_234 * VCAI + 5,
			},
			PendingPeriod { period: 4, points: 0, delivery_points: 98_765_432_100, amount: 567 * VCAI },
		],
		total: 1_801 * VCAI + 5,
		claimable: false,
	};
	let json = serde_json::to_value(&pending).unwrap();
	assert_eq!(
		json,
		serde_json::json!({
			"periods": [
				{
					"period": 3,
					"points": "12345678901234567890",
					"deliveryPoints": "0",
					"amount": "1234000000000000000005",
				},
				{ "period": 4, "points": "0", "deliveryPoints": "98765432100", "amount": "567000000000000000000" },
			],
			"total": "1801000000000000000005",
			"claimable": false,
		})
	);
	let back: PendingRewards = serde_json::from_value(json).unwrap();
	let total: Balance = back.periods.iter().map(|p| p.amount).sum();
	assert_eq!(back.total, total);
	assert_eq!(back, pending);

	// Nothing to claim: no periods, a zero total, not claimable.
	assert_eq!(
		serde_json::to_value(PendingRewards::default()).unwrap(),
		serde_json::json!({ "periods": [], "total": "0", "claimable": false })
	);

	// Amounts keep all 128 bits.
	let most = serde_json::to_value(PendingRewards { total: Balance::MAX, ..Default::default() }).unwrap();
	assert_eq!(most["total"], "340282366920938463463374607431768211455");
}

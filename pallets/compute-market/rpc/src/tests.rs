use super::*;
use vcity_primitives::{
	Billing, BuiltinWorkload, GpuClass, MarketStats, NodeOffer, Placement, Quote, TaskInfo, TaskStatus,
	Workload,
};

fn requirements_json(value: serde_json::Value) -> Result<TaskRequirements, String> {
	let json: RequirementsJson = serde_json::from_value(value).map_err(|e| e.to_string())?;
	TaskRequirements::try_from(json).map_err(|e| e.message().to_string())
}

#[test]
fn requirements_parse_from_json_and_bad_ones_are_named() {
	let near = requirements_json(serde_json::json!({
		"gpus": 4, "minVramPerGpuGib": 80, "minGpuClass": "datacenter", "minStage": 1,
		"region": "eu-west", "maxRoundTripMs": 30
	}))
	.unwrap();
	assert_eq!(near.min_gpu_class, GpuClass::Datacenter);
	assert!(matches!(near.placement, Placement::Near { max_round_trip_ms: 30, .. }));
	let anywhere = requirements_json(serde_json::json!({ "gpus": 1 })).unwrap();
	assert_eq!((anywhere.min_gpu_class, anywhere.placement), (GpuClass::Consumer, Placement::Anywhere));
	let in_region = requirements_json(serde_json::json!({ "gpus": 1, "region": "us-east" })).unwrap();
	assert!(matches!(in_region.placement, Placement::InRegion(_)));

	let error = requirements_json(serde_json::json!({ "gpus": 1, "minGpuClass": "quantum" })).unwrap_err();
	assert!(error.contains("unknown GPU class"), "{error}");
	let error = requirements_json(serde_json::json!({ "gpus": 1, "maxRoundTripMs": 5 })).unwrap_err();
	assert!(error.contains("needs a region"), "{error}");
	let error = requirements_json(serde_json::json!({ "gpus": 1, "region": "x".repeat(33) })).unwrap_err();
	assert!(error.contains("longer than 32"), "{error}");
	let error = requirements_json(serde_json::json!({ "gpus": 1, "colour": "red" })).unwrap_err();
	assert!(error.contains("unknown field"), "{error}");
}

#[test]
fn tasks_render_for_javascript_clients() {
	let task = TaskInfo {
		id: 3,
		owner: AccountId32::new([0; 32]),
		requirements: TaskRequirements {
			gpus: 2,
			min_vram_per_gpu_gib: 40,
			min_gpu_class: GpuClass::Workstation,
			min_stage: 0,
			placement: Placement::Anywhere,
		},
		seconds: 3_600,
		size_gpu_seconds: 7_200,
		deadline: 900,
		max_price_per_gpu_hour: 3_000_000,
		workload: Workload::Builtin(BuiltinWorkload::MatrixProduct { seed: 7, size: 64, rounds: 2 }),
		billing: Billing::Metered,
		escrow: 0,
		status: TaskStatus::Settled,
		node: Some(1),
		scheduler: None,
		price_per_gpu_hour: Some(2_000_000),
		used_gpu_seconds: 0,
		result: Some([0xab; 32]),
		paid: 4_000_000,
		refunded: 2_000_000,
		rating: Some(5),
	};
	let json = serde_json::to_value(TaskInfoJson::from(task)).unwrap();
	assert_eq!(json["status"], "settled");
	assert_eq!(json["billing"], "metered");
	assert_eq!(json["paid"], "4000000");
	assert_eq!(json["requirements"]["minGpuClass"], "workstation");
	assert_eq!(
		json["workload"],
		serde_json::json!({ "kind": "matrixProduct", "seed": 7, "size": 64, "rounds": 2 })
	);
	assert_eq!(json["result"], format!("0x{}", "ab".repeat(32)));
	assert_eq!(json["owner"], "5C4hrfjw9DjXZTzV3MwzrrAr9P1MJhSrvWGWqi1eSuyUpnhM");
}

#[test]
fn quotes_stats_and_offers_render_amounts_as_strings() {
	let offer = NodeOffer {
		node: 9,
		region: b"eu-west".to_vec(),
		gpu_model: b"NVIDIA H100".to_vec().try_into().unwrap(),
		gpu_class: GpuClass::Datacenter,
		vram_per_gpu_gib: 80,
		free_gpus: 8,
		stage: 3,
		price_per_gpu_hour: 2_000_000,
		reputation: 5_000,
	};
	// An old block's quote keeps its `truncated` and has no cursor.
	let old = serde_json::to_value(QuoteJson::from(vcity_primitives::QuoteV1 {
		candidates: vec![offer.clone()],
		lowest_cost: Some(8_000_000),
		highest_cost: None,
		truncated: true,
	}))
	.unwrap();
	assert_eq!((old["truncated"].clone(), old["nextCursor"].clone()), (true.into(), serde_json::Value::Null));
	assert_eq!(old["candidates"][0]["did"], "did:vcity:9");
	let quote = QuoteJson::from(Quote {
		candidates: vec![offer],
		lowest_cost: Some(8_000_000),
		highest_cost: Some(8_000_000),
		next_cursor: Some(41),
	});
	let json = serde_json::to_value(quote).unwrap();
	assert_eq!(json["candidates"][0]["did"], "did:vcity:9");
	assert_eq!(json["candidates"][0]["gpuClass"], "datacenter");
	assert_eq!(json["lowestCost"], "8000000");
	assert_eq!(json["truncated"], true);
	assert_eq!(json["nextCursor"], 41);
	let stats = serde_json::to_value(MarketStats {
		escrow: 12,
		volume: 34,
		utilization_ppb: Some(5),
		..Default::default()
	})
	.unwrap();
	assert_eq!(stats["escrow"], "12");
	assert_eq!(stats["volume"], "34");
	assert_eq!(stats["utilizationPpb"], 5);
	assert!(parse_balance("12x").is_err());
	assert_eq!(parse_balance("3000000").unwrap(), 3_000_000);
}

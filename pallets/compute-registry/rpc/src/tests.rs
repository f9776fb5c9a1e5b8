use super::*;
use vcity_primitives::{GpuSpec, Health, NodeInfo, NodeKind, NodeRoles, NodeStatus, ReputationTier};
use vcity_rpc_common::codes;

fn alice() -> AccountId32 {
	AccountId32::from_ss58check("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY").unwrap()
}

fn sample() -> NodeInfo<AccountId32, Balance> {
	NodeInfo {
		id: 7,
		did: b"did:vcity:7".to_vec(),
		owner: alice(),
		operator: AccountId32::new([1; 32]),
		kind: NodeKind::Stable,
		roles: NodeRoles { compute: true, verifier: false, scheduler: true },
		gpu: GpuSpec { model: b"H100".to_vec().try_into().unwrap(), count: 8, vram_per_gpu_gib: 80 },
		region: b"eu-west".to_vec(),
		price_per_gpu_hour: 2_000_000,
		stake: 160_000 * 10u128.pow(18),
		required_stake: 160_000 * 10u128.pow(18),
		status: NodeStatus::Online,
		reputation: 5_000,
		tier: ReputationTier::Bronze,
		registered_at: 3,
		last_heartbeat_ms: Some(42),
		online_gpu_seconds: 4_800,
		load_percent: 30,
		health: Health::Healthy,
		tasks_completed: 1,
		tasks_failed: 0,
	}
}

#[test]
fn dids_and_addresses_parse_and_garbage_is_a_named_error() {
	assert_eq!(parse_node_query("did:vcity:12"), Ok(NodeQuery::Node(12)));
	assert_eq!(
		parse_node_query("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"),
		Ok(NodeQuery::Operator(alice()))
	);
	for bad in ["did:vcity:", "did:vcity:01", "did:other:1", "not-a-did", ""] {
		let err = parse_node_query(bad).unwrap_err();
		assert_eq!(err.code(), codes::INVALID_PARAMS, "{bad}");
		assert!(err.message().starts_with("invalid node id"), "{}", err.message());
	}
}

#[test]
fn json_view_keeps_big_balances_exact_and_uses_ss58() {
	let json = serde_json::to_value(NodeInfoJson::from(sample())).unwrap();
	assert_eq!(json["stake"], "160000000000000000000000");
	assert_eq!(json["owner"], "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
	assert_eq!(json["status"], "online");
	assert_eq!(json["gpu"]["totalVramGib"], 640);
	assert_eq!(json["pricePerGpuHour"], "2000000");
	assert_eq!(json["lastHeartbeatMs"], 42);
}

#[test]
fn filters_convert_and_reject_unknown_values() {
	let filter: NodeFilter<AccountId32> = NodeFilterJson {
		status: Some("offline".into()),
		kind: Some("flexible".into()),
		owner: Some("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY".into()),
		region: Some("eu".into()),
		min_total_vram_gib: Some(48),
	}
	.try_into()
	.unwrap();
	assert_eq!(filter.status, Some(NodeStatus::Offline));
	assert_eq!(filter.kind, Some(NodeKind::Flexible));
	assert_eq!(filter.owner, Some(alice()));
	for bad in [
		NodeFilterJson { status: Some("sleeping".into()), ..Default::default() },
		NodeFilterJson { kind: Some("cloud".into()), ..Default::default() },
		NodeFilterJson { owner: Some("alice".into()), ..Default::default() },
	] {
		assert!(NodeFilter::<AccountId32>::try_from(bad).is_err());
	}
	assert!(serde_json::from_str::<NodeFilterJson>(r#"{"colour":"red"}"#).is_err());
}

use vcity_primitives::{
	Denomination, ReferendumStage, ReferendumView, SupplyQuotas, TallyView, DENOMINATION_ONE, USDV, VCAI,
};

#[test]
fn quotas_render_amounts_as_decimal_strings() {
	let quotas = SupplyQuotas {
		revenue: 4_500_000 * USDV,
		revenue_stage: 2_000_000 * USDV,
		revenue_stages: 2,
		locked: 1_200_000_000 * VCAI,
		equity_stage: 500_000_000 * VCAI,
		equity_stages: 2,
		used: 1,
		available: 1,
		year: 0,
		supply_at_year_start: 10_000_000_000 * VCAI,
		minted_this_year: 1_000_000 * VCAI,
		room_this_year: 499_000_000 * VCAI,
		issued_since_genesis: 1_000_000 * VCAI,
		denomination: Denomination { factor: 100 * DENOMINATION_ONE, repricings: 1, since_day: Some(40) },
	};
	let json = serde_json::to_value(&quotas).unwrap();
	assert_eq!(json["revenue"], "4500000000000");
	assert_eq!(json["equityStage"], "500000000000000000000000000");
	assert_eq!(json["available"], 1);
	assert_eq!(json["roomThisYear"], "499000000000000000000000000");
	assert_eq!(
		json["denomination"],
		serde_json::json!({"factor": "100000000000000000000", "repricings": 1, "sinceDay": 40})
	);
	let back: SupplyQuotas = serde_json::from_value(json).unwrap();
	assert_eq!(back, quotas);
}

#[test]
fn a_referendum_renders_its_stage_and_tally() {
	let view = ReferendumView {
		index: 3,
		track: Some(1),
		track_name: Some("parameters".into()),
		stage: ReferendumStage::Confirming,
		submitted: Some(10),
		deciding_since: Some(12),
		confirming_until: Some(14),
		ended: None,
		tally: Some(TallyView {
			snapshot_day: 2,
			electorate: 3_000_000_000_000_000_000,
			ayes: 2_000_000_000_000_000_000,
			nays: 1_000_000_000_000_000_000,
			abstains: 0,
			voters: 2,
			approval_ppb: 666_666_666,
			support_ppb: 1_000_000_000,
			min_turnout_ppb: 150_000_000,
			passing: true,
		}),
	};
	let json = serde_json::to_value(&view).unwrap();
	assert_eq!(json["stage"], "confirming");
	assert_eq!(json["trackName"], "parameters");
	assert_eq!(json["tally"]["ayes"], "2000000000000000000");
	assert_eq!(json["tally"]["approvalPpb"], 666_666_666);
	let back: ReferendumView = serde_json::from_value(json).unwrap();
	assert_eq!(back, view);
}

use super::*;
use sp_core::crypto::Ss58Codec;
use sp_runtime::Perbill;
use vcity_primitives::{
	AppealState, Offence, OffenceEvidence, OffenceRecord, OffenceTier, PendingCase, SlashCase, SlashOutcome,
	SlashRecord, Victim, USDV, VCAI,
};

fn alice() -> AccountId32 {
	AccountId32::from_ss58check("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY").unwrap()
}

fn case() -> SlashCase<AccountId32, u32> {
	SlashCase {
		node: 7,
		tier: OffenceTier::Moderate,
		fraction: Perbill::from_percent(10),
		stake_at_open: 20_000 * VCAI,
		opened_at: 100,
		execute_at: 115,
		grace_given: false,
		offences: vec![(Offence::FailedDelivery, OffenceEvidence::Task(42))].try_into().unwrap(),
		offence_count: 1,
		victims: vec![Victim { who: alice(), payment: 12 * USDV }].try_into().unwrap(),
		reporters: Default::default(),
		appeal: AppealState::Pending { appellant: alice(), deposit: 100 * VCAI, lodged_at: 101 },
		suspended: false,
	}
}

/// The JSON integrators read: camelCase names, balances as decimal strings, accounts as SS58,
/// enums as lowerCamel strings, fractions as billionths.
#[test]
fn a_pending_case_reads_as_integrators_expect() {
	let json = serde_json::to_value(PendingCase { id: 3, case: case() }).unwrap();
	assert_eq!(json["id"], 3);
	assert_eq!(json["tier"], "moderate");
	assert_eq!(json["fraction"], 100_000_000);
	assert_eq!(json["stakeAtOpen"], "20000000000000000000000");
	assert_eq!(json["executeAt"], 115);
	assert_eq!(json["offences"][0][0], "failedDelivery");
	assert_eq!(json["offences"][0][1]["task"], 42);
	assert_eq!(json["victims"][0]["who"], "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
	assert_eq!(json["victims"][0]["payment"], "12000000");
	assert_eq!(json["appeal"]["pending"]["deposit"], "100000000000000000000");
	assert_eq!(json["appeal"]["pending"]["lodgedAt"], 101);
}

#[test]
fn a_node_s_offences_and_history_read_as_integrators_expect() {
	let offences = NodeOffences {
		offences: vec![OffenceRecord {
			offence: Offence::UnannouncedDowntime,
			evidence: OffenceEvidence::Downtime { last_seen_ms: 1_700_000_000_000 },
			at: 90,
			case: 2,
		}],
		pending: Some(PendingCase { id: 2, case: case() }),
		history: vec![SlashRecord {
			case: 2,
			tier: OffenceTier::Minor,
			fraction: Perbill::from_percent(5),
			offences: 1,
			opened_at: 90,
			closed_at: 105,
			outcome: SlashOutcome::Executed {
				slashed: 1_000 * VCAI,
				compensated: 0,
				to_reporters: 0,
				to_treasury: 1_000 * VCAI,
				banned: false,
			},
		}],
	};
	let json = serde_json::to_value(&offences).unwrap();
	assert_eq!(json["offences"][0]["evidence"]["downtime"]["lastSeenMs"], 1_700_000_000_000u64);
	assert_eq!((json["pending"]["id"].clone(), json["pending"]["node"].clone()), (2.into(), 7.into()));
	assert_eq!(json["history"][0]["outcome"]["executed"]["toTreasury"], "1000000000000000000000");
	assert_eq!(json["history"][0]["closedAt"], 105);
	let back: NodeOffences<AccountId32, u32> = serde_json::from_value(json).unwrap();
	assert_eq!(back, offences);
}

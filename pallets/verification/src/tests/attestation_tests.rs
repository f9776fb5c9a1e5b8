//! TEE attestations: who may attach one, governance's judgement, and what an accepted one
//! changes (the share of draws in which its node is challenged).

use super::*;
use frame_support::{assert_noop, assert_ok};

fn report(byte: u8) -> BoundedVec<u8, ConstU32<MAX_REPORT_BYTES>> {
	BoundedVec::truncate_from(vec![byte; 512])
}

fn attach(node: NodeId, byte: u8) -> [u8; 32] {
	assert_ok!(Verification::attach_attestation(
		RuntimeOrigin::signed(NODE_OPERATOR),
		node,
		TeeKind::NvidiaCc,
		report(byte)
	));
	sp_io::hashing::blake2_256(&report(byte))
}

fn standing(node: NodeId) -> AttestationStanding<u64> {
	Attestations::<Test>::get(node).expect("attached").standing
}

#[test]
fn a_nodes_owner_or_operator_attaches_and_a_new_report_replaces_the_old() {
	test(|| {
		let node = compute_node();
		assert_noop!(
			Verification::attach_attestation(
				RuntimeOrigin::signed(ANYONE),
				node,
				TeeKind::IntelTdx,
				report(1)
			),
			Error::<Test>::NotNodeController
		);
		let first = attach(node, 1);
		assert_eq!(Attestations::<Test>::get(node).unwrap().report_hash, first);
		assert_eq!(standing(node), AttestationStanding::Pending);
		assert_ok!(Verification::judge_attestation(RuntimeOrigin::root(), node, first, true, 100));
		let second = attach(node, 2);
		assert_eq!(standing(node), AttestationStanding::Pending, "a new report is judged anew");
		// A judgement of the report the node no longer stands by changes nothing.
		assert_noop!(
			Verification::judge_attestation(RuntimeOrigin::root(), node, first, true, 100),
			Error::<Test>::AttestationReplaced
		);
		assert_ok!(Verification::judge_attestation(RuntimeOrigin::root(), node, second, false, 0));
		assert_eq!(standing(node), AttestationStanding::Rejected);
	});
}

#[test]
fn only_governance_judges_and_never_for_longer_than_the_policy_allows() {
	test(|| {
		let node = compute_node();
		let hash = attach(node, 1);
		assert_noop!(
			Verification::judge_attestation(RuntimeOrigin::signed(NODE_OWNER), node, hash, true, 10),
			sp_runtime::DispatchError::BadOrigin
		);
		let longest = TeePolicy::<Test>::get().max_validity;
		assert_noop!(
			Verification::judge_attestation(RuntimeOrigin::root(), node, hash, true, longest + 1),
			Error::<Test>::ValidityTooLong
		);
		assert_noop!(
			Verification::judge_attestation(RuntimeOrigin::root(), node + 1, hash, true, 10),
			Error::<Test>::NoAttestation
		);
		assert_ok!(Verification::judge_attestation(RuntimeOrigin::root(), node, hash, true, longest));
		assert_eq!(standing(node), AttestationStanding::Accepted { until: System::block_number() + longest });
	});
}

#[test]
fn an_accepted_attestation_spares_its_node_the_governed_share_of_draws_until_it_runs_out() {
	test(|| {
		verifiers(3);
		let node = compute_node();
		assert_ok!(Verification::set_challenge_params(
			RuntimeOrigin::root(),
			ChallengeParams { daily_fraction: Perbill::one(), ..ChallengeParams::for_cpu_hosts() }
		));
		assert_ok!(Verification::set_attestation_policy(
			RuntimeOrigin::root(),
			AttestationPolicy { attested_challenge_share: Perbill::zero(), max_validity: 1_000 }
		));
		let hash = attach(node, 1);
		assert_ok!(Verification::judge_attestation(RuntimeOrigin::root(), node, hash, true, 30));
		let challenged =
			|| events().iter().any(|e| matches!(e, Event::ChallengeOpened { node: n, .. } if *n == node));
		for _ in 0..25 {
			ChallengeCredit::<Test>::put(2 * 1_000_000_000);
			run_to(System::block_number() + 1);
		}
		assert!(!challenged(), "accepted, and its share is none: never challenged");
		for _ in 0..20 {
			ChallengeCredit::<Test>::put(2 * 1_000_000_000);
			run_to(System::block_number() + 1);
		}
		assert!(challenged(), "the acceptance ran out: challenged as any node");
	});
}

#[test]
fn a_rejected_attestation_changes_nothing_and_a_banned_node_attaches_none() {
	test(|| {
		let node = compute_node();
		let hash = attach(node, 1);
		assert_ok!(Verification::judge_attestation(RuntimeOrigin::root(), node, hash, false, 0));
		assert_eq!(Verification::challenge_share(node), Perbill::one());
		assert_ok!(<Registry as vcity_primitives::NodeSlashing<AccountId, Balance>>::ban(node));
		assert_noop!(
			Verification::attach_attestation(
				RuntimeOrigin::signed(NODE_OWNER),
				node,
				TeeKind::AmdSevSnp,
				report(3)
			),
			Error::<Test>::NodeRetired
		);
	});
}

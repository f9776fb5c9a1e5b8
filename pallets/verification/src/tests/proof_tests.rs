//! Open-access proofs of conflicting signed results.

use super::*;
use frame_support::{assert_noop, assert_ok};
use vcity_primitives::{Offence, OffenceEvidence, ResultStatement, StatementSubject};

fn signed(signer: AccountId, subject: StatementSubject, digest: Digest) -> (ResultStatement, TestSignature) {
	let statement = ResultStatement { subject, digest };
	let genesis = System::block_hash(0);
	(statement, TestSignature(signer, statement.signing_payload(genesis.as_ref())))
}

#[test]
fn two_results_signed_for_one_task_prove_a_false_result_and_the_finder_reports_it() {
	test(|| {
		let node = compute_node();
		deliver(TASK, node, RESULT, BUYER);
		let first = signed(NODE_OPERATOR, StatementSubject::Task(TASK), RESULT);
		let second = signed(NODE_OPERATOR, StatementSubject::Task(TASK), WRONG);
		assert_ok!(Verification::prove_misconduct(
			RuntimeOrigin::signed(ANYONE),
			node,
			first.clone(),
			Some(second.clone())
		));
		let report = reports().pop().unwrap();
		assert_eq!((report.node, report.offence), (node, Offence::FalseResult));
		assert_eq!(report.evidence, OffenceEvidence::Task(TASK));
		assert_eq!(report.victim, Some((BUYER, CLAIM)));
		assert_eq!(report.reporters, vec![ANYONE]);
		assert_noop!(
			Verification::prove_misconduct(RuntimeOrigin::signed(BUYER), node, second, Some(first)),
			Error::<Test>::AlreadyProven
		);
	});
}

#[test]
fn one_signed_result_against_the_one_delivered_on_chain_is_proof_too() {
	test(|| {
		let node = compute_node();
		deliver(TASK, node, RESULT, BUYER);
		let same = signed(NODE_OPERATOR, StatementSubject::Task(TASK), RESULT);
		assert_noop!(
			Verification::prove_misconduct(RuntimeOrigin::signed(ANYONE), node, same, None),
			Error::<Test>::NoConflict
		);
		let other = signed(NODE_OPERATOR, StatementSubject::Task(TASK), WRONG);
		assert_ok!(Verification::prove_misconduct(RuntimeOrigin::signed(ANYONE), node, other, None));
		assert_eq!(reports().len(), 1);
	});
}

#[test]
fn statements_must_be_the_nodes_own_about_its_own_work() {
	test(|| {
		let node = compute_node();
		deliver(TASK, node, RESULT, BUYER);
		// Signed by someone else than the node's operator key.
		let forged = signed(ANYONE, StatementSubject::Task(TASK), WRONG);
		assert_noop!(
			Verification::prove_misconduct(RuntimeOrigin::signed(ANYONE), node, forged, None),
			Error::<Test>::BadSignature
		);
		// A signature over other bytes (another chain's genesis).
		let statement = ResultStatement { subject: StatementSubject::Task(TASK), digest: WRONG };
		let elsewhere = TestSignature(NODE_OPERATOR, statement.signing_payload(&[1; 32]));
		assert_noop!(
			Verification::prove_misconduct(RuntimeOrigin::signed(ANYONE), node, (statement, elsewhere), None),
			Error::<Test>::BadSignature
		);
		// A task the node never delivered.
		let stray = signed(NODE_OPERATOR, StatementSubject::Task(99), WRONG);
		assert_noop!(
			Verification::prove_misconduct(RuntimeOrigin::signed(ANYONE), node, stray, None),
			Error::<Test>::NotNodesSubject
		);
		// Two statements about different subjects conflict in nothing.
		deliver(TASK + 1, node, RESULT, BUYER);
		let a = signed(NODE_OPERATOR, StatementSubject::Task(TASK), WRONG);
		let b = signed(NODE_OPERATOR, StatementSubject::Task(TASK + 1), RESULT);
		assert_noop!(
			Verification::prove_misconduct(RuntimeOrigin::signed(ANYONE), node, a, Some(b)),
			Error::<Test>::NoConflict
		);
		assert!(reports().is_empty());
	});
}

#[test]
fn a_verifier_signing_two_answers_to_one_job_tampers() {
	test(|| {
		verifiers(3);
		let (_, id, job) = audited_delivery(RESULT);
		let verifier = job.seats[0].verifier;
		let op = operator_of(verifier);
		let first = signed(op, StatementSubject::Job(id), RESULT);
		let second = signed(op, StatementSubject::Job(id), WRONG);
		assert_ok!(Verification::prove_misconduct(
			RuntimeOrigin::signed(BUYER),
			verifier,
			first,
			Some(second)
		));
		let report = reports().pop().unwrap();
		assert_eq!((report.node, report.offence), (verifier, Offence::VerifierTampering));
		assert_eq!(report.evidence, OffenceEvidence::Check(id));
		// A job it was not drawn for is not its subject.
		let node = compute_node_of(5, 6);
		let third = signed(6, StatementSubject::Job(id), RESULT);
		let fourth = signed(6, StatementSubject::Job(id), WRONG);
		assert_noop!(
			Verification::prove_misconduct(RuntimeOrigin::signed(BUYER), node, third, Some(fourth)),
			Error::<Test>::NotNodesSubject
		);
	});
}

#[test]
fn a_node_owner_proving_against_their_own_node_earns_no_cut() {
	test(|| {
		let node = compute_node();
		deliver(TASK, node, RESULT, BUYER);
		let other = signed(NODE_OPERATOR, StatementSubject::Task(TASK), WRONG);
		assert_ok!(Verification::prove_misconduct(RuntimeOrigin::signed(NODE_OWNER), node, other, None));
		assert!(reports().pop().unwrap().reporters.is_empty());
	});
}

fn compute_node_of(owner: AccountId, operator: AccountId) -> NodeId {
	assert_ok!(<Balances as frame_support::traits::fungible::Mutate<_>>::transfer(
		&BUYER,
		&owner,
		2 * STAKE_PER_GPU,
		frame_support::traits::tokens::Preservation::Preserve
	));
	register(owner, operator, roles(false))
}

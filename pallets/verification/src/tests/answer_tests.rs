//! Commit–reveal, the tally, pay and the offences of a job.

use super::*;
use frame_support::{assert_noop, assert_ok, traits::tokens::Preservation};
use vcity_primitives::{AuditableDelivery, BuiltinWorkload, Offence, OffenceEvidence};

fn seat_nodes(job: &JobOf<Test>) -> Vec<NodeId> {
	job.seats.iter().map(|s| s.verifier).collect()
}

fn offences() -> Vec<(NodeId, Offence)> {
	reports().into_iter().map(|r| (r.node, r.offence)).collect()
}

fn paid(id: JobId) -> Vec<(NodeId, AnswerStanding, Balance)> {
	events()
		.into_iter()
		.filter_map(|e| match e {
			Event::VerifierJudged { job, verifier, standing, paid } if job == id => {
				Some((verifier, standing, paid))
			}
			_ => None,
		})
		.collect()
}

const REWARD: Balance = USDV / 20;

#[test]
fn honest_verifiers_pass_a_right_result_at_the_last_reveal_and_are_paid() {
	test(|| {
		verifiers(3);
		let (_, id, job) = audited_delivery(RESULT);
		let seats = seat_nodes(&job);
		let owners: Vec<_> = seats.iter().map(|v| (owner_of(*v), balance(owner_of(*v)))).collect();
		let pot = balance(Verification::pot());
		for v in &seats {
			commit(id, *v, RESULT);
		}
		for v in &seats {
			reveal(id, *v, RESULT);
		}
		assert!(Jobs::<Test>::get(id).is_none(), "concluded at the last reveal");
		assert!(JobEnds::<Test>::get(job.reveal_by).is_empty(), "and taken off its end block");
		assert_eq!(verdicts(), vec![(TASK, AuditVerdict::Passed)]);
		assert!(reports().is_empty());
		for (owner, before) in owners {
			assert_eq!(balance(owner), before + REWARD);
		}
		// What the verifiers got is what the fees lost: nothing minted.
		assert_eq!(balance(Verification::pot()), pot - 3 * REWARD);
		assert!(events().contains(&Event::AuditConcluded {
			job: id,
			task: TASK,
			verdict: AuditVerdict::Passed,
			answer: Some(RESULT)
		}));
	});
}

#[test]
fn a_false_result_is_reported_with_its_victim_and_the_agreeing_verifiers_as_reporters() {
	test(|| {
		verifiers(3);
		let (node, id, job) = audited_delivery(WRONG);
		let seats = seat_nodes(&job);
		for v in &seats {
			commit(id, *v, RESULT);
		}
		for v in &seats {
			reveal(id, *v, RESULT);
		}
		assert_eq!(verdicts(), vec![(TASK, AuditVerdict::Failed)]);
		let report = reports().into_iter().find(|r| r.offence == Offence::FalseResult).expect("reported");
		assert_eq!(report.node, node);
		assert_eq!(report.evidence, OffenceEvidence::Task(TASK));
		assert_eq!(report.victim, Some((BUYER, CLAIM)));
		let mut reporters = report.reporters.clone();
		reporters.sort();
		let mut owners: Vec<_> = seats.iter().map(|v| owner_of(*v)).collect();
		owners.sort();
		assert_eq!(reporters, owners);
	});
}

#[test]
fn a_silent_verifier_is_reported_absent_at_the_end_and_two_of_three_decide() {
	test(|| {
		verifiers(3);
		let (_, id, job) = audited_delivery(RESULT);
		let seats = seat_nodes(&job);
		commit(id, seats[0], RESULT);
		commit(id, seats[1], RESULT);
		// Not everyone committed: the reveal phase waits for the commit phase's end.
		assert_noop!(
			Verification::reveal_answer(
				RuntimeOrigin::signed(operator_of(seats[0])),
				id,
				honest(RESULT),
				salt_of(seats[0])
			),
			Error::<Test>::NotRevealPhase
		);
		run_to(job.commit_by);
		assert_noop!(
			Verification::commit_answer(RuntimeOrigin::signed(operator_of(seats[2])), id, [0; 32]),
			Error::<Test>::CommitPhaseOver
		);
		reveal(id, seats[0], RESULT);
		reveal(id, seats[1], RESULT);
		// Both committers revealed and the commit phase is over: nothing is left to wait for.
		assert!(Jobs::<Test>::get(id).is_none());
		assert_eq!(verdicts(), vec![(TASK, AuditVerdict::Passed)]);
		assert_eq!(offences(), vec![(seats[2], Offence::VerifierAbsent)]);
		assert_eq!(
			paid(id),
			vec![
				(seats[0], AnswerStanding::Agreed, REWARD),
				(seats[1], AnswerStanding::Agreed, REWARD),
				(seats[2], AnswerStanding::Absent, 0)
			]
		);
	});
}

#[test]
fn a_verifier_that_committed_and_never_revealed_is_absent_when_the_reveal_phase_ends() {
	test(|| {
		verifiers(3);
		let (_, id, job) = audited_delivery(RESULT);
		let seats = seat_nodes(&job);
		for v in &seats {
			commit(id, *v, RESULT);
		}
		reveal(id, seats[0], RESULT);
		reveal(id, seats[1], RESULT);
		assert!(Jobs::<Test>::get(id).is_some(), "the third may still reveal");
		run_to(job.reveal_by);
		assert!(Jobs::<Test>::get(id).is_none(), "tallied in the hook");
		assert_eq!(offences(), vec![(seats[2], Offence::VerifierAbsent)]);
		assert_eq!(verdicts(), vec![(TASK, AuditVerdict::Passed)]);
	});
}

#[test]
fn a_verifier_against_the_quorum_is_reported_for_dissent_and_not_paid() {
	test(|| {
		verifiers(3);
		let (_, id, job) = audited_delivery(RESULT);
		let seats = seat_nodes(&job);
		commit(id, seats[0], RESULT);
		commit(id, seats[1], WRONG);
		commit(id, seats[2], RESULT);
		for v in &seats {
			reveal(id, *v, if *v == seats[1] { WRONG } else { RESULT });
		}
		assert_eq!(offences(), vec![(seats[1], Offence::VerifierDissent)]);
		assert_eq!(paid(id)[1], (seats[1], AnswerStanding::Dissented, 0));
		assert_eq!(verdicts(), vec![(TASK, AuditVerdict::Passed)]);
	});
}

#[test]
fn split_answers_decide_nothing_and_only_absence_is_reported() {
	test(|| {
		verifiers(3);
		let (node, id, job) = audited_delivery(RESULT);
		let seats = seat_nodes(&job);
		commit(id, seats[0], RESULT);
		commit(id, seats[1], WRONG);
		run_to(job.commit_by);
		reveal(id, seats[0], RESULT);
		reveal(id, seats[1], WRONG);
		assert_eq!(verdicts(), vec![(TASK, AuditVerdict::Inconclusive)]);
		assert_eq!(offences(), vec![(seats[2], Offence::VerifierAbsent)]);
		assert!(reports().iter().all(|r| r.node != node), "no quorum, no false result");
		assert_eq!(paid(id)[0].1, AnswerStanding::Undecided);
	});
}

#[test]
fn answers_are_checked_against_their_commitment_and_their_phase() {
	test(|| {
		verifiers(3);
		let (_, id, job) = audited_delivery(RESULT);
		let seats = seat_nodes(&job);
		assert_noop!(
			Verification::commit_answer(RuntimeOrigin::signed(ANYONE), id, [0; 32]),
			Error::<Test>::NotDrawn
		);
		assert_noop!(
			Verification::commit_answer(RuntimeOrigin::signed(operator_of(seats[0])), 999, [0; 32]),
			Error::<Test>::UnknownJob
		);
		// The node's owner, not its operator key, signs nothing for the verifier here.
		assert_noop!(
			Verification::commit_answer(RuntimeOrigin::signed(owner_of(seats[0])), id, [0; 32]),
			Error::<Test>::NotDrawn
		);
		for v in &seats {
			commit(id, *v, RESULT);
		}
		assert_noop!(
			Verification::commit_answer(RuntimeOrigin::signed(operator_of(seats[0])), id, [1; 32]),
			Error::<Test>::AlreadyCommitted
		);
		// Revealing another answer than the committed one, or another salt, fails.
		assert_noop!(
			Verification::reveal_answer(
				RuntimeOrigin::signed(operator_of(seats[0])),
				id,
				honest(WRONG),
				salt_of(seats[0])
			),
			Error::<Test>::CommitmentMismatch
		);
		assert_noop!(
			Verification::reveal_answer(
				RuntimeOrigin::signed(operator_of(seats[0])),
				id,
				honest(RESULT),
				[0; 32]
			),
			Error::<Test>::CommitmentMismatch
		);
		reveal(id, seats[0], RESULT);
		assert_noop!(
			Verification::reveal_answer(
				RuntimeOrigin::signed(operator_of(seats[0])),
				id,
				honest(RESULT),
				salt_of(seats[0])
			),
			Error::<Test>::AlreadyRevealed
		);
		run_to(job.reveal_by);
		assert_noop!(
			Verification::reveal_answer(
				RuntimeOrigin::signed(operator_of(seats[1])),
				id,
				honest(RESULT),
				salt_of(seats[1])
			),
			Error::<Test>::UnknownJob
		);
	});
}

#[test]
fn a_verifier_cannot_copy_an_answer_it_has_not_committed_to() {
	test(|| {
		verifiers(3);
		let (_, id, job) = audited_delivery(RESULT);
		let seats = seat_nodes(&job);
		commit(id, seats[0], RESULT);
		commit(id, seats[1], RESULT);
		// Nothing is revealed while a verifier may still commit.
		assert_noop!(
			Verification::reveal_answer(
				RuntimeOrigin::signed(operator_of(seats[0])),
				id,
				honest(RESULT),
				salt_of(seats[0])
			),
			Error::<Test>::NotRevealPhase
		);
		// Once it is, the latecomer can no longer commit: it is absent.
		run_to(job.commit_by);
		reveal(id, seats[0], RESULT);
		assert_noop!(
			Verification::commit_answer(
				RuntimeOrigin::signed(operator_of(seats[2])),
				id,
				answer_commitment(id, seats[2], &honest(RESULT), &salt_of(seats[2]))
			),
			Error::<Test>::CommitPhaseOver
		);
	});
}

#[test]
fn verifiers_are_paid_only_while_the_fees_last() {
	test(|| {
		verifiers(3);
		// Leave the pot one reward and its minimum balance.
		let pot = Verification::pot();
		let spare = balance(pot) - REWARD - EXISTENTIAL_DEPOSIT;
		assert_ok!(Balances::transfer(&pot, &ANYONE, spare, Preservation::Preserve));
		let (_, id, job) = audited_delivery(RESULT);
		let seats = seat_nodes(&job);
		for v in &seats {
			commit(id, *v, RESULT);
		}
		for v in &seats {
			reveal(id, *v, RESULT);
		}
		let total: Balance = paid(id).iter().map(|(_, _, p)| p).sum();
		assert_eq!(total, REWARD);
		assert_eq!(balance(Verification::pot()), EXISTENTIAL_DEPOSIT);
	});
}

#[test]
fn revealed_salts_move_the_entropy() {
	test(|| {
		verifiers(3);
		let (_, id, job) = audited_delivery(RESULT);
		let seats = seat_nodes(&job);
		for v in &seats {
			commit(id, *v, RESULT);
		}
		let before = Entropy::<Test>::get();
		reveal(id, seats[0], RESULT);
		assert_ne!(Entropy::<Test>::get(), before);
	});
}

#[test]
fn a_verifier_sees_its_jobs_until_they_close() {
	use vcity_primitives::VerifierJobs;
	test(|| {
		verifiers(3);
		let (_, id, job) = audited_delivery(RESULT);
		let seats = seat_nodes(&job);
		let view = |node| Verification::jobs_of(node);
		assert_eq!(view(seats[0]).len(), 1);
		assert_eq!(
			(view(seats[0])[0].id, view(seats[0])[0].committed, view(seats[0])[0].reveal_open),
			(id, false, false)
		);
		for v in &seats {
			commit(id, *v, RESULT);
		}
		assert!(view(seats[0])[0].committed && view(seats[0])[0].reveal_open, "everyone committed");
		for v in &seats {
			reveal(id, *v, RESULT);
		}
		assert!(seats.iter().all(|v| view(*v).is_empty()));
	});
}

/// An attacker who makes deliveries that pay nothing, to have its own verifiers drawn and paid
/// out of everyone's fees, gets nothing: a sampled audit spends at most the fee its delivery
/// brought, divided by the audit fraction.
#[test]
fn an_audit_of_a_delivery_that_paid_nothing_pays_its_verifiers_nothing() {
	test(|| {
		verifiers(3);
		let node = compute_node();
		let delivery = AuditableDelivery {
			node,
			owner: BUYER,
			workload: BuiltinWorkload::MatrixProduct { seed: 1, size: 64, rounds: 1 },
			result: RESULT,
			payment: 0,
			victim: None,
		};
		let id = Verification::open_job(TASK, delivery, &[3; 32], None, 0).unwrap();
		let job = Jobs::<Test>::get(id).unwrap();
		assert_eq!(job.budget, 0);
		let pot = balance(Verification::pot());
		for v in seat_nodes(&job) {
			commit(id, v, RESULT);
		}
		for v in seat_nodes(&job) {
			reveal(id, v, RESULT);
		}
		assert!(paid(id).iter().all(|(_, standing, paid)| *standing == AnswerStanding::Agreed && *paid == 0));
		assert_eq!(balance(Verification::pot()), pot);
	});
}

#[test]
fn a_sampled_audit_may_spend_its_fee_over_the_fraction() {
	test(|| {
		// 2% of 10 USDV is 0.2 USDV; at a 10% fraction an audit may spend 2 USDV.
		assert_ok!(Verification::set_params(
			RuntimeOrigin::root(),
			VerificationParams { audit_fraction: Perbill::from_percent(10), ..test_params() }
		));
		assert_eq!(Verification::sampled_budget(10 * USDV), 2 * USDV);
		assert_ok!(Verification::set_params(
			RuntimeOrigin::root(),
			VerificationParams { audit_fraction: Perbill::zero(), ..test_params() }
		));
		assert_eq!(Verification::sampled_budget(10 * USDV), 0);
	});
}

/// The claimed digest is on chain; a verifier that answers it without recomputing cannot know
/// the output's digest under the job's key, and its guess stands against the quorum.
#[test]
fn a_verifier_that_copies_the_claimed_digest_without_recomputing_dissents() {
	test(|| {
		verifiers(3);
		let (_, id, job) = audited_delivery(RESULT);
		let seats = seat_nodes(&job);
		let lazy = CheckAnswer { digest: RESULT, keyed: [0x42; 32] };
		commit(id, seats[0], RESULT);
		commit(id, seats[1], RESULT);
		commit_answer_of(id, seats[2], lazy);
		reveal(id, seats[0], RESULT);
		reveal(id, seats[1], RESULT);
		reveal_answer_of(id, seats[2], lazy);
		assert_eq!(verdicts(), vec![(TASK, AuditVerdict::Passed)]);
		assert_eq!(offences(), vec![(seats[2], Offence::VerifierDissent)]);
		let standing: Vec<_> = paid(id).into_iter().map(|(v, s, _)| (v, s)).collect();
		assert!(standing.contains(&(seats[2], AnswerStanding::Dissented)));
	});
}

#[test]
fn every_job_has_a_key_of_its_own() {
	test(|| {
		verifiers(3);
		let (_, _, first) = audited_delivery(RESULT);
		deliver(TASK + 1, first.node, RESULT, BUYER);
		run_to(System::block_number() + u64::from(DRAW_DELAY));
		let (_, second) = job_of(TASK + 1).expect("audited");
		assert_ne!(first.key, second.key);
	});
}

//! Which deliveries are audited, disputes, and the jobs they open.

use super::*;
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use vcity_primitives::DeliveryAudits;

fn set_fraction(fraction: Perbill) {
	assert_ok!(Verification::set_params(
		RuntimeOrigin::root(),
		VerificationParams { audit_fraction: fraction, ..test_params() }
	));
}

fn held_deposit(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::DisputeDeposit.into(), &who)
}

#[test]
fn a_delivery_is_drawn_two_blocks_later_and_settlement_waits_for_it() {
	test(|| {
		verifiers(3);
		let node = compute_node();
		deliver(TASK, node, RESULT, BUYER);
		assert!(Verification::audit_open(TASK), "the market must not settle before the draw");
		assert!(job_of(TASK).is_none(), "no job before the draw block");
		run_to(System::block_number() + 1);
		assert!(job_of(TASK).is_none());
		run_to(System::block_number() + 1);
		let (_, job) = job_of(TASK).expect("audited at the draw block");
		assert_eq!(job.seats.len(), 3);
		assert_eq!(job.node, node);
		let JobSubject::Delivery { claimed, victim, .. } = job.subject else { panic!("an audit") };
		assert_eq!((claimed, victim), (RESULT, Some((BUYER, CLAIM))));
		// Commit window, plus a block for the work of a 64³ product, plus one.
		assert_eq!(job.commit_by, 3 + 10 + 1 + 1);
		assert_eq!(job.reveal_by, job.commit_by + 5);
	});
}

#[test]
fn a_delivery_not_drawn_goes_on_and_the_market_is_told() {
	test(|| {
		verifiers(3);
		set_fraction(Perbill::zero());
		deliver(TASK, compute_node(), RESULT, BUYER);
		run_to(3);
		assert!(!Verification::audit_open(TASK));
		assert_eq!(verdicts(), vec![(TASK, AuditVerdict::Inconclusive)]);
		assert!(Jobs::<Test>::iter().next().is_none());
	});
}

#[test]
fn the_share_audited_follows_the_fraction() {
	test(|| {
		verifiers(3);
		let node = compute_node();
		set_fraction(Perbill::from_percent(10));
		// 4 draws a block (the mock's bound) over 300 blocks.
		for task in 0..1_200u64 {
			if task % 4 == 0 {
				run_to(System::block_number() + 1);
			}
			deliver(task, node, RESULT, BUYER);
		}
		run_to(System::block_number() + 80);
		// Chosen for audit: opened, or not for want of verifiers (theirs stop beating in the mock).
		let audited = events()
			.iter()
			.filter(|e| matches!(e, Event::AuditOpened { .. } | Event::AuditNotOpened { .. }))
			.count();
		// 120 expected; the binomial's standard deviation is about 10.
		assert!((85..=155).contains(&audited), "{audited} of 1200 audited at 10%");
	});
}

#[test]
fn too_few_verifiers_leave_a_delivery_unaudited_and_say_so() {
	test(|| {
		verifiers(1);
		deliver(TASK, compute_node(), RESULT, BUYER);
		run_to(3);
		assert!(events().contains(&Event::AuditNotOpened { task: TASK, reason: NotOpened::TooFewVerifiers }));
		assert!(!Verification::audit_open(TASK));
		assert_eq!(verdicts(), vec![(TASK, AuditVerdict::Inconclusive)]);
	});
}

#[test]
fn work_beyond_the_limit_is_not_audited() {
	test(|| {
		verifiers(3);
		assert_ok!(Verification::set_params(
			RuntimeOrigin::root(),
			VerificationParams { max_work_seconds: 1, ..test_params() }
		));
		let node = compute_node();
		let delivery = AuditableDelivery {
			node,
			owner: BUYER,
			workload: BuiltinWorkload::MatrixProduct { seed: 1, size: 4_096, rounds: 1 },
			result: RESULT,
			payment: 0,
			victim: None,
		};
		assert_eq!(Verification::open_job(TASK, delivery, &[0; 32], None, 0), Err(NotOpened::TooMuchWork));
	});
}

#[test]
fn a_dispute_is_always_audited_and_a_right_result_costs_the_disputant_the_deposit() {
	test(|| {
		let pool = verifiers(3);
		set_fraction(Perbill::zero());
		deliver(TASK, compute_node(), RESULT, BUYER);
		assert_eq!(Verification::disputed(TASK, &BUYER), Ok(true));
		assert_eq!(held_deposit(BUYER), USDV / 2);
		run_to(3);
		let (id, job) = job_of(TASK).expect("a disputed task is audited whatever the fraction");
		assert_eq!(disputant_of(&job), Some((BUYER, USDV / 2)));
		let pot = balance(Verification::pot());
		for v in &pool {
			commit(id, *v, RESULT);
		}
		for v in &pool {
			reveal(id, *v, RESULT);
		}
		assert_eq!(verdicts(), vec![(TASK, AuditVerdict::Passed)]);
		assert_eq!(held_deposit(BUYER), 0);
		// The deposit joined the fees, which paid three verifiers.
		assert_eq!(balance(Verification::pot()), pot + USDV / 2 - 3 * (USDV / 20));
	});
}

#[test]
fn a_dispute_of_a_false_result_gets_the_deposit_back() {
	test(|| {
		let pool = verifiers(3);
		deliver(TASK, compute_node(), WRONG, BUYER);
		let before = balance(BUYER);
		assert_eq!(Verification::disputed(TASK, &BUYER), Ok(true));
		run_to(3);
		let (id, _) = job_of(TASK).unwrap();
		for v in &pool {
			commit(id, *v, RESULT);
		}
		for v in &pool {
			reveal(id, *v, RESULT);
		}
		assert_eq!(verdicts(), vec![(TASK, AuditVerdict::Failed)]);
		assert_eq!(balance(BUYER), before);
		assert_eq!(held_deposit(BUYER), 0);
	});
}

#[test]
fn a_dispute_joins_an_audit_already_open() {
	test(|| {
		verifiers(3);
		let (_, id, _) = audited_delivery(RESULT);
		assert_eq!(Verification::disputed(TASK, &BUYER), Ok(true));
		assert_eq!(disputant_of(&Jobs::<Test>::get(id).unwrap()), Some((BUYER, USDV / 2)));
	});
}

#[test]
fn a_dispute_the_owner_cannot_back_is_refused_and_one_nobody_can_audit_goes_to_governance() {
	test(|| {
		verifiers(3);
		let node = compute_node();
		// The buyer holds nothing to back a dispute with.
		let penniless = 77;
		deliver(TASK, node, RESULT, penniless);
		assert_noop!(Verification::disputed(TASK, &penniless), Error::<Test>::CannotPayDeposit);
		// A task the market does not offer for audit (not recomputable) is governance's.
		assert_eq!(Verification::disputed(999, &BUYER), Ok(false));
	});
}

#[test]
fn a_dispute_left_without_verifiers_returns_the_deposit() {
	test(|| {
		verifiers(1);
		deliver(TASK, compute_node(), RESULT, BUYER);
		let before = balance(BUYER);
		assert_eq!(Verification::disputed(TASK, &BUYER), Ok(true));
		run_to(3);
		assert!(!Verification::audit_open(TASK));
		assert_eq!(balance(BUYER), before);
		assert_eq!(held_deposit(BUYER), 0);
		assert_eq!(verdicts(), vec![(TASK, AuditVerdict::Inconclusive)]);
	});
}

#[test]
fn a_flood_of_deliveries_is_audited_not_skipped() {
	test(|| {
		verifiers(3);
		set_fraction(Perbill::zero());
		let node = compute_node();
		// Every draw slot within reach: 4 a block for 64 blocks.
		let slots = 4 * u64::from(QUEUE_PROBE_BLOCKS);
		for task in 0..slots {
			deliver(task, node, RESULT, BUYER);
		}
		assert!(job_of(slots).is_none());
		deliver(slots, node, RESULT, BUYER);
		assert!(job_of(slots).is_some(), "a delivery with no draw slot is audited at once");
	});
}

#[test]
fn parameters_out_of_range_are_refused() {
	test(|| {
		for params in [
			VerificationParams { verifiers_per_job: 0, quorum: 0, ..test_params() },
			VerificationParams { verifiers_per_job: 8, quorum: 5, ..test_params() },
			VerificationParams { verifiers_per_job: 4, quorum: 2, ..test_params() },
			VerificationParams { verifiers_per_job: 3, quorum: 4, ..test_params() },
			VerificationParams { commit_window: 0, ..test_params() },
			VerificationParams { reveal_window: 0, ..test_params() },
			VerificationParams { fee_share: sp_runtime::Permill::from_percent(11), ..test_params() },
			VerificationParams { max_work_seconds: 0, ..test_params() },
		] {
			assert_noop!(
				Verification::set_params(RuntimeOrigin::root(), params),
				Error::<Test>::InvalidParams
			);
		}
		assert_noop!(
			Verification::set_params(RuntimeOrigin::signed(ANYONE), test_params()),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_ok!(Verification::set_params(
			RuntimeOrigin::root(),
			VerificationParams { verifiers_per_job: 1, quorum: 1, ..test_params() }
		));
	});
}

/// A node that fakes every result it delivers for a month, 24 deliveries a day, at the default
/// audit fraction (5%): the real draw, block hashes changing every block. How many of its
/// deliveries are audited, and when the first is (docs/verification.md#economics).
#[test]
fn a_month_of_false_results_at_the_default_fraction_is_caught_within_days() {
	test(|| {
		verifiers(3);
		let node = compute_node();
		let defaults = VerificationParams::<u64>::default();
		assert_ok!(Verification::set_params(
			RuntimeOrigin::root(),
			VerificationParams { audit_fraction: defaults.audit_fraction, ..test_params() }
		));
		let deliveries = 24 * 30u64;
		let mut audited = Vec::new();
		for task in 0..deliveries {
			deliver(task, node, WRONG, BUYER);
			run_to(System::block_number() + u64::from(DRAW_DELAY));
			if job_of(task).is_some() {
				audited.push(task);
			}
			// The job ends (nobody answers here) before the next delivery's draw reads the pool.
			run_to(System::block_number() + 20);
			// The verifiers and the node keep beating.
			for (i, v) in Verification::pool_nodes().into_iter().enumerate() {
				let _ = Registry::heartbeat(
					RuntimeOrigin::signed(VERIFIER_OPERATOR + i as u64),
					v,
					Default::default(),
				);
			}
			let _ = Registry::heartbeat(RuntimeOrigin::signed(NODE_OPERATOR), node, Default::default());
		}
		let first = audited.first().copied().expect("a month of cheating is audited");
		println!(
			"audited {} of {deliveries} false results ({:.1}%); the first at delivery {} (day {})",
			audited.len(),
			audited.len() as f64 * 100.0 / deliveries as f64,
			first + 1,
			first / 24 + 1,
		);
		// 36 expected, standard deviation 5.8: three of them either side.
		assert!((19..=54).contains(&audited.len()), "{} audited", audited.len());
		// Escaping a whole month has probability 0.95^720, about 1e-16.
		assert!(first < deliveries);
	});
}

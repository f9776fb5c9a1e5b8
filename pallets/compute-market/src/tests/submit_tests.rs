//! Submitting and cancelling tasks. Invariant: the USDV held from an owner is exactly the
//! escrow of their open tasks (checked by `try_state` after every test).

use super::*;
use frame_support::{assert_noop, assert_ok};
use vcity_primitives::{compute_cost, TaskStatus};

#[test]
fn submitting_holds_the_maximum_cost_rounded_up() {
	test(|| {
		let before = usdv(USER);
		let req = needs(3);
		// 3 GPUs × 1,001 s at 3 USDV per GPU-hour: 2.5025 USDV, rounded up to the base unit.
		assert_ok!(Market::submit_task(
			RuntimeOrigin::signed(USER),
			req,
			1_001,
			1_000,
			3 * USDV,
			matrix(),
			Billing::PerTask
		));
		let escrow = compute_cost(3 * USDV, 3, 1_001).unwrap();
		assert_eq!(escrow, 2_502_500);
		assert_eq!(held(USER), escrow);
		assert_eq!(usdv(USER), before, "held funds stay the owner's until paid");
		let info = Market::task_info(1).unwrap();
		assert_eq!((info.status, info.escrow, info.size_gpu_seconds), (TaskStatus::Queued, escrow, 3_003));
		assert!(QueuedTasks::<Test>::contains_key(1));
		assert_eq!(Stats::<Test>::get().escrow, escrow);
		assert_eq!(Market::tasks_of_owner(&USER, 0, 10).tasks.len(), 1);
	});
}

#[test]
fn task_ids_start_at_one_and_increase() {
	test(|| {
		assert_eq!(submit(USER, needs(1), Billing::PerTask), 1);
		assert_eq!(submit(OTHER_USER, needs(1), Billing::Metered), 2);
	});
}

#[test]
fn a_spec_no_node_could_meet_is_refused() {
	test(|| {
		let refuse = |req: TaskRequirements, error: Error<Test>| {
			assert_noop!(
				Market::submit_task(
					RuntimeOrigin::signed(USER),
					req,
					3_600,
					2_000,
					USDV,
					matrix(),
					Billing::PerTask
				),
				error
			);
		};
		refuse(needs(0), Error::ZeroGpus);
		refuse(needs(65), Error::TooManyGpus);
		refuse(TaskRequirements { min_vram_per_gpu_gib: 1_025, ..needs(1) }, Error::VramUnavailable);
		refuse(TaskRequirements { min_stage: 4, ..needs(1) }, Error::StageUnavailable);
		refuse(
			TaskRequirements { placement: Placement::InRegion(region("")), ..needs(1) },
			Error::EmptyRegion,
		);
		refuse(
			TaskRequirements {
				placement: Placement::Near { region: region("atlantis"), max_round_trip_ms: 100 },
				..needs(1)
			},
			Error::UnknownRegion,
		);
		refuse(
			TaskRequirements {
				placement: Placement::Near { region: region("eu-west"), max_round_trip_ms: 1 },
				..needs(1)
			},
			Error::LatencyUnreachable,
		);
	});
}

#[test]
fn bad_terms_are_refused_and_change_nothing() {
	test(|| {
		let origin = || RuntimeOrigin::signed(USER);
		let submit = |seconds, deadline, price, workload| {
			Market::submit_task(origin(), needs(1), seconds, deadline, price, workload, Billing::PerTask)
		};
		assert_noop!(submit(0, 2_000, USDV, matrix()), Error::<Test>::ZeroDuration);
		assert_noop!(submit(31 * 24 * 3_600, 2_000, USDV, matrix()), Error::<Test>::TaskTooLong);
		assert_noop!(submit(3_600, 2_000, 0, matrix()), Error::<Test>::ZeroPrice);
		assert_noop!(submit(3_600, 1, USDV, matrix()), Error::<Test>::DeadlineInPast);
		assert_noop!(submit(3_600, 2_000_000, USDV, matrix()), Error::<Test>::DeadlineTooFar);
		// One hour is 600 blocks of 6 s, plus the acknowledgement window.
		assert_noop!(submit(3_600, 1 + 600 + ACK_WINDOW - 1, USDV, matrix()), Error::<Test>::DeadlineTooSoon);
		assert_ok!(submit(3_600, 1 + 600 + ACK_WINDOW, USDV, matrix()));
		let empty = Workload::Builtin(BuiltinWorkload::MatrixProduct { seed: 1, size: 0, rounds: 1 });
		assert_noop!(submit(3_600, 2_000, USDV, empty), Error::<Test>::InvalidWorkload);
		let no_image = Workload::Container { image: BoundedVec::new(), command_hash: [0; 32] };
		assert_noop!(submit(3_600, 2_000, USDV, no_image), Error::<Test>::InvalidWorkload);
		assert_noop!(submit(3_600, 2_000, u128::MAX / 2, matrix()), Error::<Test>::Overflow);
	});
}

#[test]
fn an_unpayable_escrow_is_refused() {
	test(|| {
		// POOR_USER has 1 USDV and must keep the minimum balance: 0.99 USDV is spendable.
		let submit = |price| {
			Market::submit_task(
				RuntimeOrigin::signed(POOR_USER),
				needs(1),
				3_600,
				2_000,
				price,
				matrix(),
				Billing::PerTask,
			)
		};
		assert_noop!(submit(USDV), Error::<Test>::CannotPayEscrow);
		assert_noop!(
			Market::submit_task(
				RuntimeOrigin::signed(STRANGER),
				needs(1),
				3_600,
				2_000,
				USDV,
				matrix(),
				Billing::PerTask
			),
			Error::<Test>::CannotPayEscrow
		);
		assert_ok!(submit(USDV - USDV_MIN_BALANCE));
		// One GPU-hour at 99 base units holds 99, below the mock's minimum escrow of 100 (with
		// price floors low enough to let such a price through).
		lower_price_floors();
		assert_noop!(
			Market::submit_task(
				RuntimeOrigin::signed(USER),
				needs(1),
				3_600,
				2_000,
				99,
				matrix(),
				Billing::PerTask
			),
			Error::<Test>::EscrowTooSmall
		);
		assert_eq!(held(POOR_USER), USDV - USDV_MIN_BALANCE);
	});
}

#[test]
fn cancelling_a_queued_task_refunds_it_in_full() {
	test(|| {
		let before = usdv(USER);
		let id = submit(USER, needs(2), Billing::PerTask);
		assert_noop!(Market::cancel_task(RuntimeOrigin::signed(OTHER_USER), id), Error::<Test>::NotTaskOwner);
		assert_noop!(
			Market::cancel_task(RuntimeOrigin::signed(USER), 99),
			Error::<Test>::Rejected(Rejection::UnknownTask)
		);
		assert_ok!(Market::cancel_task(RuntimeOrigin::signed(USER), id));
		assert_eq!((held(USER), usdv(USER)), (0, before));
		assert_eq!(status(id), TaskStatus::Refunded);
		assert!(!QueuedTasks::<Test>::contains_key(id));
		assert_noop!(
			Market::cancel_task(RuntimeOrigin::signed(USER), id),
			Error::<Test>::Rejected(Rejection::TaskNotQueued)
		);
		assert_eq!(Stats::<Test>::get().refunded, 1);
	});
}

#[test]
fn an_assigned_task_cannot_be_cancelled() {
	test(|| {
		let node = online_node(0, NodeTerms::default());
		let id = submit(USER, needs(1), Billing::PerTask);
		assert_ok!(Market::assign_directly(RuntimeOrigin::signed(USER), id, node));
		assert_noop!(
			Market::cancel_task(RuntimeOrigin::signed(USER), id),
			Error::<Test>::Rejected(Rejection::TaskNotQueued)
		);
	});
}

#[test]
fn governance_parameters_are_checked() {
	test(|| {
		let mut params = Market::params().unwrap();
		assert_noop!(
			Market::set_params(RuntimeOrigin::signed(USER), params),
			sp_runtime::DispatchError::BadOrigin
		);
		params.ack_window = 0;
		assert_noop!(Market::set_params(RuntimeOrigin::root(), params), Error::<Test>::InvalidParams);
		params.ack_window = 2;
		assert_noop!(Market::set_params(RuntimeOrigin::root(), params), Error::<Test>::InvalidParams);
		params.ack_window = 5;
		params.fee_split.node_silver = sp_runtime::Permill::from_percent(80);
		assert_noop!(Market::set_params(RuntimeOrigin::root(), params), Error::<Test>::InvalidParams);
		params.fee_split =
			FeeSplit { node_gold: sp_runtime::Permill::from_percent(100), ..FeeSplit::DEFAULT };
		assert_noop!(Market::set_params(RuntimeOrigin::root(), params), Error::<Test>::InvalidParams);
		params.fee_split = FeeSplit::DEFAULT;
		params.resolution_window = params.dispute_window - 1;
		assert_noop!(Market::set_params(RuntimeOrigin::root(), params), Error::<Test>::InvalidParams);
		params.resolution_window = 1_000_001;
		assert_noop!(Market::set_params(RuntimeOrigin::root(), params), Error::<Test>::InvalidParams);
		params.resolution_window = RESOLUTION_WINDOW;
		assert_ok!(Market::set_params(RuntimeOrigin::root(), params));
		assert_eq!(Market::params().unwrap().ack_window, 5);
	});
}

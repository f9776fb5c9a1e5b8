//! A task's life on its node: only the node's operator key reports, only in order, once; silence
//! requeues or expires the task and costs the node reputation.

use super::*;
use frame_support::{assert_noop, assert_ok};
use vcity_primitives::{NodeRegistry, TaskStatus};

fn assigned_task(billing: Billing) -> (NodeId, TaskId) {
	let node = online_node(0, NodeTerms::default());
	let id = submit(USER, needs(2), billing);
	assert_ok!(Market::assign_directly(RuntimeOrigin::signed(USER), id, node));
	(node, id)
}

fn failed(node: NodeId) -> u32 {
	Registry::node_info(node).unwrap().tasks_failed
}

#[test]
fn only_the_nodes_operator_reports_and_only_in_order() {
	test(|| {
		let (_, id) = assigned_task(Billing::PerTask);
		online_node(1, NodeTerms::default());
		let node_key = RuntimeOrigin::signed(operator_of(0));
		for wrong in [
			RuntimeOrigin::signed(USER),
			RuntimeOrigin::signed(operator_of(1)),
			RuntimeOrigin::signed(owner_of(0)),
		] {
			assert_noop!(Market::acknowledge_task(wrong, id), Error::<Test>::NotTaskNode);
		}
		assert_noop!(Market::start_task(node_key.clone(), id), Error::<Test>::WrongTaskState);
		assert_noop!(Market::complete_task(node_key.clone(), id, [1; 32], 0), Error::<Test>::WrongTaskState);
		assert_ok!(Market::acknowledge_task(node_key.clone(), id));
		assert_noop!(Market::acknowledge_task(node_key.clone(), id), Error::<Test>::WrongTaskState);
		assert_noop!(Market::report_usage(node_key.clone(), id, 10), Error::<Test>::WrongTaskState);
		assert_ok!(Market::start_task(node_key.clone(), id));
		assert_eq!(status(id), TaskStatus::Running);
		assert_ok!(Market::complete_task(node_key.clone(), id, [1; 32], 0));
		assert_noop!(Market::complete_task(node_key.clone(), id, [1; 32], 0), Error::<Test>::WrongTaskState);
		assert_noop!(Market::report_failure(node_key, id), Error::<Test>::WrongTaskState);
		assert_noop!(
			Market::acknowledge_task(RuntimeOrigin::signed(operator_of(0)), 99),
			Error::<Test>::Rejected(Rejection::UnknownTask)
		);
	});
}

#[test]
fn a_queued_task_has_no_node_to_report_for_it() {
	test(|| {
		online_node(0, NodeTerms::default());
		let id = submit(USER, needs(1), Billing::PerTask);
		assert_noop!(
			Market::acknowledge_task(RuntimeOrigin::signed(operator_of(0)), id),
			Error::<Test>::NotTaskNode
		);
	});
}

#[test]
fn metered_usage_only_grows_and_stays_within_the_size() {
	test(|| {
		let (_, id) = assigned_task(Billing::Metered);
		let key = RuntimeOrigin::signed(operator_of(0));
		assert_ok!(Market::acknowledge_task(key.clone(), id));
		assert_ok!(Market::start_task(key.clone(), id));
		advance_ms(3_600_000);
		assert_ok!(Market::report_usage(key.clone(), id, 3_600));
		assert_eq!(Market::task_info(id).unwrap().used_gpu_seconds, 3_600);
		assert_noop!(Market::report_usage(key.clone(), id, 3_599), Error::<Test>::UsageDecreased);
		// Two GPUs for an hour: 7,200 GPU-seconds at most.
		assert_noop!(Market::report_usage(key.clone(), id, 7_201), Error::<Test>::UsageAboveSize);
		assert_noop!(Market::complete_task(key.clone(), id, [1; 32], 100), Error::<Test>::UsageDecreased);
		assert_ok!(Market::complete_task(key, id, [1; 32], 7_200));
	});
}

#[test]
fn an_unacknowledged_task_returns_to_the_queue_and_the_node_loses_reputation() {
	test(|| {
		let (node, id) = assigned_task(Billing::PerTask);
		let before = Registry::profile(node).unwrap().reputation;
		// The node may acknowledge in each of the window's blocks.
		run_to_block(1 + ACK_WINDOW);
		assert_eq!(status(id), TaskStatus::Assigned);
		run_to_block(closed(1, ACK_WINDOW));
		assert_eq!(status(id), TaskStatus::Queued);
		assert!(QueuedTasks::<Test>::contains_key(id));
		assert_eq!(GpusInUse::<Test>::get(node), 0);
		assert!(Registry::profile(node).unwrap().reputation < before);
		assert_eq!(failed(node), 1);
		assert!(Market::tasks_of_node(node, 0, 10).tasks.is_empty());
		// The node can no longer acknowledge (nor could it in the block its window closed); another
		// assignment can.
		assert_noop!(
			Market::acknowledge_task(RuntimeOrigin::signed(operator_of(0)), id),
			Error::<Test>::NotTaskNode
		);
		assert_ok!(Market::assign_directly(RuntimeOrigin::signed(USER), id, node));
		assert_ok!(Market::acknowledge_task(RuntimeOrigin::signed(operator_of(0)), id));
		// An acknowledged task has no acknowledgement timeout left to fire.
		run_to_block(closed(closed(1, ACK_WINDOW), ACK_WINDOW) + 1);
		assert_eq!(status(id), TaskStatus::Acknowledged);
	});
}

#[test]
fn a_missed_deadline_refunds_everything() {
	test(|| {
		let before = usdv(USER);
		let (node, id) = assigned_task(Billing::PerTask);
		let key = RuntimeOrigin::signed(operator_of(0));
		assert_ok!(Market::acknowledge_task(key.clone(), id));
		assert_ok!(Market::start_task(key.clone(), id));
		let queued = submit(USER, needs(1), Billing::PerTask);
		// Deliverable in its deadline block 2,001; expired in the next, its hour long past: the
		// node's failure.
		run_to_block(2_001);
		assert_eq!(status(id), TaskStatus::Running);
		advance_ms(2 * 3_600_000);
		run_to_block(2_002);
		assert_eq!(status(id), TaskStatus::Refunded);
		assert_eq!(status(queued), TaskStatus::Refunded);
		assert_eq!((usdv(USER), held(USER)), (before, 0));
		assert_eq!(GpusInUse::<Test>::get(node), 0);
		assert_eq!(failed(node), 1);
		assert_noop!(Market::complete_task(key, id, [1; 32], 0), Error::<Test>::WrongTaskState);
		assert!(market_events().contains(&Event::TaskRefunded {
			task: id,
			reason: RefundReason::Expired,
			refunded: 6 * USDV
		}));
	});
}

#[test]
fn a_node_that_gives_up_sends_the_task_to_another_node_while_time_allows() {
	test(|| {
		let before = usdv(USER);
		let (node, id) = assigned_task(Billing::PerTask);
		let other = online_node(1, NodeTerms::default());
		let key = RuntimeOrigin::signed(operator_of(0));
		assert_noop!(Market::report_failure(key.clone(), id), Error::<Test>::WrongTaskState);
		assert_ok!(Market::acknowledge_task(key.clone(), id));
		assert_noop!(Market::report_failure(RuntimeOrigin::signed(USER), id), Error::<Test>::NotTaskNode);
		assert_ok!(Market::report_failure(key, id));
		assert_eq!(status(id), TaskStatus::Queued, "the owner's task is not lost to one bad node");
		assert_eq!((failed(node), GpusInUse::<Test>::get(node), held(USER)), (1, 0, 6 * USDV));
		// The next node gives up when no other could finish in time: the task ends, refunded.
		assert_ok!(Market::assign_directly(RuntimeOrigin::signed(USER), id, other));
		assert_ok!(Market::acknowledge_task(RuntimeOrigin::signed(operator_of(1)), id));
		run_to_block(2_001 - 600 - ACK_WINDOW + 1);
		assert_ok!(Market::report_failure(RuntimeOrigin::signed(operator_of(1)), id));
		assert_eq!(status(id), TaskStatus::Refunded);
		assert_eq!((usdv(USER), held(USER), failed(other)), (before, 0, 1));
		// The deadline that fires later finds nothing to do.
		run_to_block(2_002);
		assert_eq!(usdv(USER), before);
	});
}

#[test]
fn declining_an_assignment_costs_the_node_nothing() {
	test(|| {
		let (node, id) = assigned_task(Billing::PerTask);
		let reputation = Registry::profile(node).unwrap().reputation;
		assert_noop!(Market::decline_task(RuntimeOrigin::signed(USER), id), Error::<Test>::NotTaskNode);
		let declined = Market::decline_task(RuntimeOrigin::signed(operator_of(0)), id).unwrap();
		assert_eq!(declined.pays_fee, frame_support::dispatch::Pays::No, "a decline costs no fee");
		assert_eq!(status(id), TaskStatus::Queued);
		assert_eq!((failed(node), Registry::profile(node).unwrap().reputation), (0, reputation));
		assert!(Timeouts::<Test>::get(closed(1, ACK_WINDOW), Timeout::Ack).is_empty());
		// The node that declined is not offered the task again; another node may take it.
		assert_noop!(
			Market::assign_directly(RuntimeOrigin::signed(USER), id, node),
			Error::<Test>::Rejected(Rejection::DeclinedByNode)
		);
		let other = online_node(1, NodeTerms::default());
		assert_ok!(Market::assign_directly(RuntimeOrigin::signed(USER), id, other));
		// An acknowledged task can no longer be declined, only given up.
		assert_ok!(Market::acknowledge_task(RuntimeOrigin::signed(operator_of(1)), id));
		assert_noop!(
			Market::decline_task(RuntimeOrigin::signed(operator_of(1)), id),
			Error::<Test>::WrongTaskState
		);
	});
}

#[test]
fn a_node_out_of_service_takes_on_no_work_and_keeps_its_stake_while_tasks_are_open() {
	test(|| {
		let (node, id) = assigned_task(Billing::PerTask);
		assert_ok!(<Registry as vcity_primitives::NodeSlashing<_, _>>::suspend(node));
		let key = RuntimeOrigin::signed(operator_of(0));
		assert_noop!(
			Market::acknowledge_task(key.clone(), id),
			Error::<Test>::Rejected(Rejection::NodeNotOnline)
		);
		assert_ok!(<Registry as vcity_primitives::NodeSlashing<_, _>>::resume(node));
		assert_ok!(Market::acknowledge_task(key.clone(), id));
		assert_ok!(Market::start_task(key.clone(), id));
		// A node leaves only once it has delivered or given up what it committed to: unbonding,
		// it could not start anything.
		assert_noop!(
			Registry::deregister(RuntimeOrigin::signed(owner_of(0)), node),
			pallet_compute_registry::Error::<Test>::CommittedTasks
		);
		assert_ok!(Market::complete_task(key, id, [1; 32], 0));
		assert_ok!(Market::dispute_task(RuntimeOrigin::signed(USER), id));
		assert_ok!(Registry::deregister(RuntimeOrigin::signed(owner_of(0)), node));
		// The unbonding (100 blocks) ends a block before the dispute's resolution window.
		run_to_block(System::block_number() + 100);
		// Delivered and disputed, the task has still to settle before the stake can go.
		assert_noop!(
			Registry::withdraw_unbonded(RuntimeOrigin::signed(owner_of(0)), node),
			pallet_compute_registry::Error::<Test>::OpenTasks
		);
		assert_ok!(Market::resolve_dispute(RuntimeOrigin::root(), id, false));
		assert_ok!(Registry::withdraw_unbonded(RuntimeOrigin::signed(owner_of(0)), node));
	});
}

#[test]
fn metered_usage_cannot_run_ahead_of_the_clock_and_late_deliveries_are_refused() {
	test(|| {
		let (_, id) = assigned_task(Billing::Metered);
		let key = RuntimeOrigin::signed(operator_of(0));
		assert_ok!(Market::acknowledge_task(key.clone(), id));
		assert_ok!(Market::start_task(key.clone(), id));
		// Two GPUs for 100 seconds: 200 GPU-seconds so far, not a second more.
		advance_ms(100_000);
		assert_noop!(Market::report_usage(key.clone(), id, 201), Error::<Test>::UsageAboveElapsed);
		assert_ok!(Market::report_usage(key.clone(), id, 200));
		run_to_block(2_002 - 1);
		System::set_block_number(2_002);
		assert_noop!(Market::complete_task(key, id, [1; 32], 200), Error::<Test>::DeadlinePassed);
	});
}

#[test]
fn a_refund_that_failed_in_the_hook_can_be_finished_by_anyone() {
	test(|| {
		let before = usdv(USER);
		let id = submit(USER, needs(1), Billing::PerTask);
		assert_noop!(
			Market::expire_task(RuntimeOrigin::signed(STRANGER), id),
			Error::<Test>::DeadlineNotReached
		);
		// With USDV frozen by its admin, releasing the escrow fails when the deadline fires.
		assert_ok!(Assets::freeze_asset(RuntimeOrigin::signed(TREASURY), USDV_ID));
		run_to_block(2_002);
		assert!(market_events().iter().any(
			|e| matches!(e, Event::TimeoutFailed { task, timeout: Timeout::Deadline, .. } if *task == id)
		));
		assert_eq!((status(id), held(USER)), (TaskStatus::Queued, 3 * USDV));
		assert_ok!(Assets::thaw_asset(RuntimeOrigin::signed(TREASURY), USDV_ID));
		assert_ok!(Market::expire_task(RuntimeOrigin::signed(STRANGER), id));
		assert_eq!((status(id), usdv(USER), held(USER)), (TaskStatus::Refunded, before, 0));
		assert_noop!(Market::expire_task(RuntimeOrigin::signed(STRANGER), id), Error::<Test>::WrongTaskState);
	});
}

#[test]
fn an_acknowledgement_after_the_window_is_refused() {
	test(|| {
		let (_, id) = assigned_task(Billing::PerTask);
		let key = RuntimeOrigin::signed(operator_of(0));
		// The block the window closes, before its timeout has run: too late already.
		System::set_block_number(closed(1, ACK_WINDOW));
		assert_noop!(Market::acknowledge_task(key.clone(), id), Error::<Test>::WrongTaskState);
		System::set_block_number(1 + ACK_WINDOW);
		assert_ok!(Market::acknowledge_task(key, id));
	});
}

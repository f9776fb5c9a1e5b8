//! What the market reports as offences (docs/slashing.md#what-the-market-reports): a node that
//! committed to a task and did not deliver it. Nothing a node was never able to do, or said in
//! time it would not do, is an offence.

use super::*;
use vcity_primitives::{NodeSlashing, Offence, OffenceEvidence, TaskStatus};

/// A task queued by USER and taken by node number 0.
fn taken() -> (NodeId, TaskId) {
	let node = online_node(0, NodeTerms::default());
	scheduler_node();
	let id = submit(USER, needs(1), Billing::PerTask);
	assert_eq!(assign(vec![(id, node)]), vec![]);
	(node, id)
}

/// What the task would have paid at the price its node agreed to: the user's claim.
fn worth(id: TaskId) -> Balance {
	let task = Tasks::<Test>::get(id).unwrap();
	let engagement = task.state.engagement().unwrap();
	vcity_primitives::compute_cost(engagement.price_per_gpu_hour, task.requirements.gpus, task.seconds)
		.unwrap()
		.min(task.escrow)
}

fn assert_failed_delivery_reported(node: NodeId, id: TaskId, worth: Balance) {
	let reports = offences();
	assert_eq!(reports.len(), 1, "one offence: {reports:?}");
	let report = &reports[0];
	assert_eq!(
		(report.node, report.offence, report.evidence),
		(node, Offence::FailedDelivery, OffenceEvidence::Task(id))
	);
	// The user is compensated up to what the task would have paid at the agreed price, not up
	// to the escrow, whose maximum price the user chose alone.
	assert!(worth > 0);
	assert_eq!(report.victim, Some((USER, worth)));
}

#[test]
fn an_acknowledged_task_never_started_is_a_failed_delivery() {
	test(|| {
		let (node, id) = taken();
		assert_ok!(Market::acknowledge_task(RuntimeOrigin::signed(operator_of(0)), id));
		let put_up = worth(id);
		run_to_block(System::block_number() + START_WINDOW + 1);
		assert_ok!(Market::cancel_task(RuntimeOrigin::signed(USER), id));
		assert_failed_delivery_reported(node, id, put_up);
	});
}

#[test]
fn a_running_task_past_its_deadline_is_a_failed_delivery() {
	test(|| {
		let (node, id) = taken();
		let operator = RuntimeOrigin::signed(operator_of(0));
		assert_ok!(Market::acknowledge_task(operator.clone(), id));
		assert_ok!(Market::start_task(operator, id));
		let put_up = worth(id);
		// Its hour and a start window's grace pass; the node never delivers.
		advance_ms(3_600_000 + START_WINDOW * 6_000 + 1);
		let deadline = Tasks::<Test>::get(id).unwrap().deadline_slot;
		run_to_block(deadline);
		assert_eq!(status(id), TaskStatus::Refunded);
		assert_failed_delivery_reported(node, id, put_up);
		assert_eq!(CommittedTasks::<Test>::get(node), 0);
	});
}

/// A deadline that comes before the node could have finished what it started is the
/// deadline's: a user and a scheduler together cannot set one to have an honest node slashed.
#[test]
fn a_deadline_no_node_could_meet_is_no_offence() {
	test(|| {
		let (node, id) = taken();
		let operator = RuntimeOrigin::signed(operator_of(0));
		assert_ok!(Market::acknowledge_task(operator.clone(), id));
		assert_ok!(Market::start_task(operator, id));
		// Half its hour has run when the deadline passes.
		advance_ms(1_800_000);
		let deadline = Tasks::<Test>::get(id).unwrap().deadline_slot;
		run_to_block(deadline);
		assert_eq!(status(id), TaskStatus::Refunded);
		assert_eq!(offences(), vec![]);
		assert_eq!(CommittedTasks::<Test>::get(node), 0);
		// Nor a failure: neither the node's completion rate nor its reputation pays for it.
		let info = Registry::node_info(node).unwrap();
		assert_eq!(info.tasks_failed, 0);
		assert!(info.reputation >= pallet_compute_registry::NEUTRAL_SCORE, "{}", info.reputation);
	});
}

#[test]
fn an_upheld_dispute_is_a_failed_delivery() {
	test(|| {
		let (node, id) = taken();
		deliver(0, id, 3_600);
		let put_up = worth(id);
		assert_ok!(Market::dispute_task(RuntimeOrigin::signed(USER), id));
		assert_ok!(Market::resolve_dispute(RuntimeOrigin::root(), id, true));
		assert_failed_delivery_reported(node, id, put_up);
	});
}

/// Declining, letting an assignment lapse, giving a task up and a task's expiry before the node
/// acknowledged it cost a node no stake: it never committed, or said so in time.
#[test]
fn what_a_node_never_committed_to_or_gave_up_is_no_offence() {
	test(|| {
		let node = online_node(0, NodeTerms::default());
		scheduler_node();
		let operator = RuntimeOrigin::signed(operator_of(0));
		let declined = submit(USER, needs(1), Billing::PerTask);
		assert_eq!(assign(vec![(declined, node)]), vec![]);
		assert_ok!(Market::decline_task(operator.clone(), declined));
		let lapsed = submit(USER, needs(1), Billing::PerTask);
		assert_eq!(assign(vec![(lapsed, node)]), vec![]);
		run_to_block(System::block_number() + ACK_WINDOW + 1);
		let given_up = submit(USER, needs(1), Billing::PerTask);
		assert_eq!(assign(vec![(given_up, node)]), vec![]);
		assert_ok!(Market::acknowledge_task(operator.clone(), given_up));
		assert_ok!(Market::start_task(operator.clone(), given_up));
		assert_ok!(Market::report_failure(operator, given_up));
		let cancelled = submit(USER, needs(1), Billing::PerTask);
		assert_ok!(Market::cancel_task(RuntimeOrigin::signed(USER), cancelled));
		assert_eq!(offences(), vec![]);
		assert_eq!(CommittedTasks::<Test>::get(node), 0);
	});
}

/// A ban takes back the tasks in the node's hands at once (back to the queue while another
/// node can still finish them) and refunds its delivered ones instead of paying them.
#[test]
fn a_ban_takes_back_the_node_s_tasks_and_its_results_are_not_paid() {
	test(|| {
		let node = online_node(0, NodeTerms { gpus: 4, ..Default::default() });
		scheduler_node();
		let operator = RuntimeOrigin::signed(operator_of(0));
		let (assigned, running, delivered) = (
			submit(USER, needs(1), Billing::PerTask),
			submit(USER, needs(1), Billing::PerTask),
			submit(USER, needs(1), Billing::PerTask),
		);
		assert_eq!(assign(vec![(assigned, node), (running, node), (delivered, node)]), vec![]);
		deliver(0, delivered, 3_600);
		assert_ok!(Market::acknowledge_task(operator.clone(), running));
		assert_ok!(Market::start_task(operator, running));
		let user_before = usdv(USER);
		assert_ok!(<Registry as NodeSlashing<_, _>>::ban(node));
		<Market as vcity_primitives::OnNodeBanned>::node_banned(node);
		assert_eq!((status(assigned), status(running)), (TaskStatus::Queued, TaskStatus::Queued));
		assert_eq!((GpusInUse::<Test>::get(node), CommittedTasks::<Test>::get(node)), (0, 0));
		run_to_block(System::block_number() + DISPUTE_WINDOW + 2);
		assert_eq!(status(delivered), TaskStatus::Refunded);
		// Everything the user put up is theirs again, or still held for the requeued tasks (the
		// total balance counts both).
		assert_eq!(usdv(USER), user_before);
		assert_eq!(offences(), vec![]);
	});
}

/// A chain upgraded from version 0 counts the tasks its nodes had committed to before.
#[test]
fn the_migration_counts_the_tasks_nodes_had_committed_to() {
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	test(|| {
		let node = online_node(0, NodeTerms { gpus: 4, ..Default::default() });
		scheduler_node();
		let operator = RuntimeOrigin::signed(operator_of(0));
		let tasks: Vec<TaskId> = (0..3).map(|_| submit(USER, needs(1), Billing::PerTask)).collect();
		assert_eq!(assign(tasks.iter().map(|t| (*t, node)).collect()), vec![]);
		assert_ok!(Market::acknowledge_task(operator.clone(), tasks[0]));
		assert_ok!(Market::acknowledge_task(operator.clone(), tasks[1]));
		assert_ok!(Market::start_task(operator, tasks[1]));
		// Version 0 kept no count.
		let _ = CommittedTasks::<Test>::clear(u32::MAX, None);
		StorageVersion::new(0).put::<Market>();
		crate::migrations::v1::MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(CommittedTasks::<Test>::get(node), 2);
		assert_eq!(Market::on_chain_storage_version(), StorageVersion::new(1));
	});
}

/// A task the node's own owner bought hit no one: the node's slash must not come back to its
/// owner as compensation.
#[test]
fn a_task_the_node_s_owner_bought_names_no_victim() {
	test(|| {
		let node = online_node(0, NodeTerms::default());
		scheduler_node();
		let owner = owner_of(0);
		assert_ok!(<Assets as frame_support::traits::fungibles::Mutate<_>>::transfer(
			USDV_ID,
			&USER,
			&owner,
			1_000 * USDV,
			frame_support::traits::tokens::Preservation::Preserve
		));
		let id = submit(owner, needs(1), Billing::PerTask);
		assert_eq!(assign(vec![(id, node)]), vec![]);
		assert_ok!(Market::acknowledge_task(RuntimeOrigin::signed(operator_of(0)), id));
		run_to_block(System::block_number() + START_WINDOW + 1);
		assert_ok!(Market::cancel_task(RuntimeOrigin::signed(owner), id));
		let reports = offences();
		assert_eq!(reports.len(), 1);
		assert_eq!(reports[0].victim, None);
	});
}

/// Path 3's variant near the deadline: a task acknowledged with less slack than a start window
/// and never started. Too soon for a slash (the node still had its start window when the
/// deadline came), but the node could have run it had it started at once, so its record, and
/// its scheduler's, take the failure: sitting on a task is never free.
#[test]
fn sitting_on_a_task_until_a_near_deadline_costs_reputation_but_no_stake() {
	test(|| {
		let scheduler = scheduler_node();
		let node = online_node(0, NodeTerms::default());
		// A minute is 10 blocks: the deadline comes a start window after the acknowledgement,
		// with 10 blocks to spare after the run.
		let deadline = System::block_number() + ACK_WINDOW + 10;
		let id = submit_due(60, deadline);
		const { assert!(ACK_WINDOW + 10 <= START_WINDOW) };
		assert_eq!(assign(vec![(id, node)]), vec![]);
		assert_ok!(Market::acknowledge_task(RuntimeOrigin::signed(operator_of(0)), id));
		run_to_block(Tasks::<Test>::get(id).unwrap().deadline_slot);
		assert_eq!(status(id), TaskStatus::Refunded);
		assert_eq!(offences(), vec![]);
		let failed = |n| Registry::node_info(n).unwrap().tasks_failed;
		assert_eq!((failed(node), failed(scheduler)), (1, 1));
	});
}

/// A late start does not make holding a task free either: a start that leaves less than the
/// task's seconds before the deadline is refused, so the task stays acknowledged and its expiry
/// is the node's failure (and, past the start window, a failed delivery).
#[test]
fn a_start_too_late_to_finish_is_refused_and_the_expiry_is_the_nodes() {
	test(|| {
		let scheduler = scheduler_node();
		let node = online_node(0, NodeTerms::default());
		// A minute is 10 blocks.
		let deadline = System::block_number() + ACK_WINDOW + 40;
		let id = submit_due(60, deadline);
		assert_eq!(assign(vec![(id, node)]), vec![]);
		let operator = RuntimeOrigin::signed(operator_of(0));
		assert_ok!(Market::acknowledge_task(operator.clone(), id));
		let put_up = worth(id);
		run_to_block(deadline - 9);
		frame_support::assert_noop!(
			Market::start_task(operator.clone(), id),
			Error::<Test>::Rejected(Rejection::DeadlineTooClose)
		);
		run_to_block(Tasks::<Test>::get(id).unwrap().deadline_slot);
		assert_eq!(status(id), TaskStatus::Refunded);
		let failed = |n| Registry::node_info(n).unwrap().tasks_failed;
		assert_eq!((failed(node), failed(scheduler)), (1, 1));
		assert_failed_delivery_reported(node, id, put_up);
	});
}

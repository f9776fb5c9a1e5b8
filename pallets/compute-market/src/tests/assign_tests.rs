//! Assignments: every constraint is checked on-chain, batch items are refused one by one with a
//! reason, and a node's GPUs are whole units that one task at a time can take.

use super::*;
use frame_support::{assert_noop, assert_ok};
use vcity_primitives::{NodeSlashing, TaskStatus};

#[test]
fn a_batch_applies_valid_items_and_reports_each_refusal() {
	test(|| {
		scheduler_node();
		let h100 = online_node(0, NodeTerms::default());
		let rtx = online_node(
			1,
			NodeTerms { model: "NVIDIA GeForce RTX 4090", gpus: 1, vram: 24, ..Default::default() },
		);
		let fits = submit(USER, needs(2), Billing::PerTask);
		let wants_datacenter = submit(
			USER,
			TaskRequirements { min_gpu_class: GpuClass::Datacenter, min_vram_per_gpu_gib: 16, ..needs(1) },
			Billing::PerTask,
		);
		let rejections =
			assign(vec![(fits, h100), (wants_datacenter, rtx), (fits, h100), (77, h100), (fits, 55)]);
		assert_eq!(
			rejections,
			vec![
				(wants_datacenter, rtx, Rejection::GpuClassTooLow),
				(fits, h100, Rejection::TaskNotQueued),
				(77, h100, Rejection::UnknownTask),
				(fits, 55, Rejection::TaskNotQueued),
			]
		);
		let info = Market::task_info(fits).unwrap();
		assert_eq!((info.status, info.node, info.scheduler), (TaskStatus::Assigned, Some(h100), Some(1)));
		assert_eq!(info.price_per_gpu_hour, Some(2 * USDV));
		assert_eq!(GpusInUse::<Test>::get(h100), 2);
		assert_eq!(status(wants_datacenter), TaskStatus::Queued);
		assert_eq!(Market::tasks_of_node(h100, 0, 10).tasks.len(), 1);
	});
}

#[test]
fn every_constraint_is_checked() {
	test(|| {
		scheduler_node();
		let small = online_node(0, NodeTerms { gpus: 2, vram: 40, region: "us-east", ..Default::default() });
		let dear = online_node(1, NodeTerms { price: 5 * USDV, ..Default::default() });
		let far = online_node(2, NodeTerms { region: "au-southeast", ..Default::default() });
		let check = |req: TaskRequirements, node: NodeId, reason: Rejection| {
			let id = submit(USER, req, Billing::PerTask);
			assert_eq!(assign(vec![(id, node)]), vec![(id, node, reason)]);
			assert_eq!(status(id), TaskStatus::Queued);
		};
		check(needs(3), small, Rejection::TooFewGpus);
		check(TaskRequirements { min_vram_per_gpu_gib: 48, ..needs(1) }, small, Rejection::VramTooSmall);
		// 2 × 40 GiB = 80 GiB total: below stage 1 (96 GiB).
		check(TaskRequirements { min_stage: 1, ..needs(1) }, small, Rejection::StageTooLow);
		check(needs(1), dear, Rejection::PriceAboveMax);
		check(
			TaskRequirements { placement: Placement::InRegion(region("eu-west")), ..needs(1) },
			small,
			Rejection::WrongRegion,
		);
		check(
			TaskRequirements {
				placement: Placement::Near { region: region("eu-central"), max_round_trip_ms: 50 },
				..needs(1)
			},
			far,
			Rejection::TooFar,
		);
		// The same bounds are met by a suitable node: case-insensitive region, latency in reach.
		let near = submit(
			USER,
			TaskRequirements {
				min_stage: 3,
				placement: Placement::Near { region: region("EU-central"), max_round_trip_ms: 50 },
				..needs(8)
			},
			Billing::PerTask,
		);
		let h100 = online_node(3, NodeTerms::default());
		assert_eq!(assign(vec![(near, h100)]), vec![]);
	});
}

#[test]
fn only_online_compute_nodes_take_tasks() {
	test(|| {
		let scheduler = scheduler_node();
		let node = online_node(0, NodeTerms::default());
		let id = submit(USER, needs(1), Billing::PerTask);
		assert_eq!(assign(vec![(id, scheduler)]), vec![(id, scheduler, Rejection::OwnNode)]);
		let other_scheduler = online_node(5, NodeTerms { scheduler: true, ..Default::default() });
		assert_eq!(
			assign(vec![(id, other_scheduler)]),
			vec![(id, other_scheduler, Rejection::NotComputeNode)]
		);
		assert_ok!(<Registry as NodeSlashing<_, _>>::suspend(node));
		assert_eq!(assign(vec![(id, node)]), vec![(id, node, Rejection::NodeNotOnline)]);
		assert_ok!(<Registry as NodeSlashing<_, _>>::resume(node));
		// Two whole windows in which only the scheduler beats: the node is offline.
		advance_ms(2 * WINDOW_MS);
		assert_ok!(Registry::heartbeat(
			RuntimeOrigin::signed(scheduler_key()),
			scheduler,
			Default::default()
		));
		assert_eq!(assign(vec![(id, node)]), vec![(id, node, Rejection::NodeNotOnline)]);
		assert_ok!(Registry::heartbeat(RuntimeOrigin::signed(operator_of(0)), node, Default::default()));
		assert_eq!(assign(vec![(id, node)]), vec![]);
	});
}

/// A node left below its stake by a raise, once the grace is over, is not given new work: no
/// assignment, no offer to the scheduler's idle list, no place in a quote. Topping up brings it
/// back.
#[test]
fn an_under_staked_node_is_assigned_nothing_until_it_tops_up() {
	use vcity_primitives::{Matching, NodeRegistry};
	test(|| {
		let scheduler = scheduler_node();
		let node = online_node(0, NodeTerms::default());
		let id = submit(USER, needs(1), Billing::PerTask);
		// The mock gives no grace: the raise binds at once.
		assert_ok!(Registry::set_stake_multiplier(RuntimeOrigin::root(), FixedU128::from_u32(2)));
		assert_eq!(assign(vec![(id, node)]), vec![(id, node, Rejection::UnderStaked)]);
		assert_eq!(Market::node_offer(node), None);
		assert!(Market::idle_nodes(0, 10, scheduler).0.iter().all(|offer| offer.node != node));
		let quote = Market::quote(&needs(1), 3_600, None, 0);
		assert!(quote.candidates.is_empty());
		let (stake, required) = <Registry as NodeRegistry<_, _>>::stake(node).unwrap();
		assert_ok!(Registry::bond_extra(RuntimeOrigin::signed(owner_of(0)), node, required - stake));
		let quote = Market::quote(&needs(1), 3_600, None, 0);
		assert_eq!(quote.candidates.iter().map(|c| c.node).collect::<Vec<_>>(), vec![node]);
		assert_eq!(quote.next_cursor, None);
		assert_eq!(assign(vec![(id, node)]), vec![]);
	});
}

#[test]
fn gpus_are_whole_units_taken_until_delivery() {
	test(|| {
		scheduler_node();
		let node = online_node(0, NodeTerms::default());
		let tasks: Vec<_> = (0..3).map(|_| submit(USER, needs(4), Billing::PerTask)).collect();
		let rejections = assign(tasks.iter().map(|&t| (t, node)).collect());
		assert_eq!(rejections, vec![(tasks[2], node, Rejection::GpusBusy)]);
		assert_eq!(Market::node_offer(node).unwrap().free_gpus, 0);
		deliver(0, tasks[0], 3_600);
		assert_eq!(Market::free_gpus(node, 8), 4);
		assert_eq!(assign(vec![(tasks[2], node)]), vec![]);
	});
}

#[test]
fn a_task_that_could_no_longer_finish_is_not_assigned() {
	test(|| {
		scheduler_node();
		let node = online_node(0, NodeTerms::default());
		let id = submit(USER, needs(1), Billing::PerTask);
		// Due at block 2,001; one hour needs 600 blocks plus the acknowledgement window.
		run_to_block(2_001 - 600 - ACK_WINDOW + 1);
		assert_eq!(assign(vec![(id, node)]), vec![(id, node, Rejection::DeadlineTooClose)]);
	});
}

#[test]
fn only_an_online_scheduler_node_submits_batches() {
	test(|| {
		let node = online_node(0, NodeTerms::default());
		let id = submit(USER, needs(1), Billing::PerTask);
		let batch = || BoundedVec::try_from(vec![(id, node)]).unwrap();
		assert_noop!(
			Market::assign_tasks(RuntimeOrigin::signed(STRANGER), batch()),
			Error::<Test>::NotScheduler
		);
		// A compute node's operator is not a scheduler.
		assert_noop!(
			Market::assign_tasks(RuntimeOrigin::signed(operator_of(0)), batch()),
			Error::<Test>::NotScheduler
		);
		scheduler_node();
		advance_ms(2 * WINDOW_MS);
		assert_ok!(Registry::heartbeat(RuntimeOrigin::signed(operator_of(0)), node, Default::default()));
		assert_noop!(
			Market::assign_tasks(RuntimeOrigin::signed(scheduler_key()), batch()),
			Error::<Test>::NotScheduler
		);
	});
}

#[test]
fn an_owner_may_pick_a_node_and_owes_no_scheduler_fee() {
	test(|| {
		let node = online_node(0, NodeTerms::default());
		let dear = online_node(1, NodeTerms { price: 5 * USDV, ..Default::default() });
		let id = submit(USER, needs(1), Billing::PerTask);
		assert_noop!(
			Market::assign_directly(RuntimeOrigin::signed(OTHER_USER), id, node),
			Error::<Test>::NotTaskOwner
		);
		assert_noop!(
			Market::assign_directly(RuntimeOrigin::signed(USER), id, dear),
			Error::<Test>::Rejected(Rejection::PriceAboveMax)
		);
		assert_noop!(
			Market::assign_directly(RuntimeOrigin::signed(USER), id, 42),
			Error::<Test>::Rejected(Rejection::UnknownNode)
		);
		assert_ok!(Market::assign_directly(RuntimeOrigin::signed(USER), id, node));
		let info = Market::task_info(id).unwrap();
		assert_eq!((info.node, info.scheduler), (Some(node), None));
	});
}

#[test]
fn the_timeout_queues_spill_into_later_blocks_and_refuse_when_full() {
	test(|| {
		let node = online_node(0, NodeTerms { gpus: 64, ..Default::default() });
		// Due at block 2,001, the tasks expire from block 2,002: eight fit there (the mock's
		// bound), the rest move one block on.
		let ids: Vec<_> = (0..20).map(|_| submit(USER, needs(1), Billing::PerTask)).collect();
		let deadlines = |block| Timeouts::<Test>::get(block, Timeout::Deadline).len();
		assert_eq!((deadlines(2_002), deadlines(2_003), deadlines(2_004)), (8, 8, 4));
		// A flood of deadlines aimed at the acknowledgement block leaves its queue alone.
		let ack_block = closed(1, ACK_WINDOW);
		for block in ack_block..ack_block + crate::TIMEOUT_PROBE_BLOCKS as u64 {
			Timeouts::<Test>::mutate(block, Timeout::Deadline, |due| while due.try_push(0).is_ok() {});
		}
		for id in &ids[..8] {
			assert_ok!(Market::assign_directly(RuntimeOrigin::signed(USER), *id, node));
		}
		assert_eq!(Timeouts::<Test>::get(ack_block, Timeout::Ack).len(), 8);
		assert_eq!(Market::task_info(ids[7]).unwrap().status, TaskStatus::Assigned);
		// Once every block the acknowledgement queue would probe is full, assigning is refused.
		for block in ack_block + 1..ack_block + crate::TIMEOUT_PROBE_BLOCKS as u64 {
			Timeouts::<Test>::mutate(block, Timeout::Ack, |due| while due.try_push(0).is_ok() {});
		}
		assert_noop!(
			Market::assign_directly(RuntimeOrigin::signed(USER), ids[8], node),
			Error::<Test>::Rejected(Rejection::TimeoutQueueFull)
		);
		// The unacknowledged tasks return to the queue; entries naming no task fire harmlessly.
		run_to_block(ack_block + 2);
		assert_eq!(status(ids[0]), TaskStatus::Queued);
		assert!(Timeouts::<Test>::get(ack_block + 1, Timeout::Ack).is_empty());
	});
}

fn may_schedule(scheduler: NodeId) -> bool {
	<Market as vcity_primitives::Matching>::may_schedule(scheduler)
}

fn reputation(node: NodeId) -> u32 {
	Registry::node_info(node).unwrap().reputation
}

/// Assignments that lapse count against the scheduler that made them, once per node and
/// period: three nodes lapsing in turn take a new scheduler below `MinTrustedReputation`, and
/// it may not assign until its record recovers; owners may still pick nodes.
#[test]
fn a_scheduler_whose_picks_keep_lapsing_stops_scheduling() {
	test(|| {
		let scheduler = scheduler_node();
		let id = submit(USER, needs(1), Billing::PerTask);
		for k in 0..3 {
			let node = online_node(k, NodeTerms::default());
			assert!(may_schedule(scheduler));
			assert_eq!(assign(vec![(id, node)]), vec![]);
			run_to_block(System::block_number() + ACK_WINDOW + 1);
			assert_eq!(status(id), TaskStatus::Queued);
		}
		assert_eq!(reputation(scheduler), 3_645, "5,000 moved a tenth of the way to 0 three times");
		assert!(!may_schedule(scheduler));
		let fresh = online_node(3, NodeTerms::default());
		let batch = BoundedVec::try_from(vec![(id, fresh)]).unwrap();
		assert_noop!(
			Market::assign_tasks(RuntimeOrigin::signed(scheduler_key()), batch),
			Error::<Test>::SchedulerDistrusted
		);
		assert_ok!(Market::assign_directly(RuntimeOrigin::signed(USER), id, fresh));
	});
}

/// Griefing a scheduler: a node that lets whole batches of its assignments lapse on purpose
/// costs the scheduler one step a period, and itself one a block; three and it drops out of
/// every scheduler's reach (its owner may still pick it). An honest node that misses one
/// acknowledgement window with a batch in hand loses one step, not one a task.
#[test]
fn a_node_lapsing_batches_costs_its_scheduler_one_step_and_itself_the_schedulers() {
	test(|| {
		let scheduler = scheduler_node();
		let node = online_node(0, NodeTerms::default());
		let tasks: Vec<TaskId> = (0..4).map(|_| submit(USER, needs(1), Billing::PerTask)).collect();
		let lapse_all = || {
			assert_eq!(assign(tasks.iter().map(|&id| (id, node)).collect()), vec![]);
			run_to_block(System::block_number() + ACK_WINDOW + 1);
			assert!(tasks.iter().all(|&id| status(id) == TaskStatus::Queued));
		};
		lapse_all();
		assert_eq!((reputation(node), reputation(scheduler)), (4_500, 4_500));
		lapse_all();
		lapse_all();
		assert_eq!((reputation(node), reputation(scheduler)), (3_645, 4_500));
		assert!(may_schedule(scheduler));
		assert_eq!(assign(vec![(tasks[0], node)]), vec![(tasks[0], node, Rejection::NodeDistrusted)]);
		let offers = <Market as vcity_primitives::Matching>::idle_nodes(0, 10, scheduler).0;
		assert!(offers.iter().all(|offer| offer.node != node));
		assert_ok!(Market::assign_directly(RuntimeOrigin::signed(USER), tasks[0], node));
		let period = <ChainClock as vcity_primitives::Clock>::period_index();
		assert_eq!(SchedulerCharges::<Test>::get(scheduler).to_vec(), vec![(node, period)]);
	});
}

/// A scheduler answers for a node once a period: in the next one, the same node's failure is
/// charged again, and the charges of the period before are dropped.
#[test]
fn a_scheduler_answers_for_a_node_again_in_the_next_period() {
	test(|| {
		let scheduler = scheduler_node();
		let node = online_node(0, NodeTerms::default());
		let id = submit(USER, needs(1), Billing::PerTask);
		let lapse = || {
			assert_eq!(assign(vec![(id, node)]), vec![]);
			run_to_block(System::block_number() + ACK_WINDOW + 1);
		};
		let failed = |n| Registry::node_info(n).unwrap().tasks_failed;
		lapse();
		lapse();
		assert_eq!((failed(node), failed(scheduler)), (2, 1));
		advance_ms(PERIOD_MS);
		keep_nodes_online();
		let period = <ChainClock as vcity_primitives::Clock>::period_index();
		assert_eq!(period, 1);
		lapse();
		assert_eq!((failed(node), failed(scheduler)), (3, 2));
		assert_eq!(SchedulerCharges::<Test>::get(scheduler).to_vec(), vec![(node, period)]);
	});
}

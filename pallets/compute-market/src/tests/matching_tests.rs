//! What a scheduler node's worker reads: the queued tasks it may propose, in rounds that go on
//! where the last one stopped, the idle nodes, and the market's own check of a pair.

use super::*;
use crate::matching::QUEUE_SCAN;
use frame_support::{assert_ok, traits::Get};
use vcity_primitives::{Matching, NodeOffer, QueuedTask};

const NO_SKIP: fn(TaskId) -> bool = |_| false;

fn ids(offers: &[NodeOffer]) -> Vec<NodeId> {
	offers.iter().map(|offer| offer.node).collect()
}

#[test]
fn rounds_of_queued_tasks_go_on_where_the_last_one_stopped() {
	test(|| {
		let mut tasks: Vec<TaskId> = (0..5).map(|_| submit(USER, needs(1), Billing::PerTask)).collect();
		let (first, cursor) = Market::assignable_tasks(0, 2, &NO_SKIP);
		assert_eq!(cursor, first[1].id, "full: the next round goes on after the last task taken");
		let (second, cursor) = Market::assignable_tasks(cursor, 2, &NO_SKIP);
		let (third, cursor) = Market::assignable_tasks(cursor, 2, &NO_SKIP);
		assert_eq!((third.len(), cursor), (1, 0), "the end of the queue: the next round starts over");
		let mut seen: Vec<TaskId> = first.iter().chain(&second).chain(&third).map(|task| task.id).collect();
		seen.sort();
		tasks.sort();
		assert_eq!(seen, tasks);
		assert_eq!(
			first[0],
			QueuedTask { id: first[0].id, requirements: needs(1), max_price_per_gpu_hour: 3 * USDV }
		);

		// Skipped tasks leave room for others.
		let skip_first = |id: TaskId| id == tasks[0];
		let (all_but_one, _) = Market::assignable_tasks(0, 5, &skip_first);
		assert_eq!(all_but_one.len(), 4);
		assert!(all_but_one.iter().all(|task| task.id != tasks[0]));

		// Tasks no node could deliver before their deadline any more are not proposed.
		System::set_block_number(1_900);
		assert_eq!(Market::assignable_tasks(0, 5, &NO_SKIP), (Vec::new(), 0));
	});
}

#[test]
fn idle_nodes_are_scanned_from_the_cursor_round_the_online_index() {
	test(|| {
		let nodes: Vec<NodeId> = (0..4).map(|k| online_node(k, NodeTerms::default())).collect();
		let scheduler = scheduler_node();
		let task = submit(USER, needs(8), Billing::PerTask);
		assert_ok!(Market::assign_directly(RuntimeOrigin::signed(USER), task, nodes[1]));

		// A node whose GPUs are all taken is not idle. One scan reaches the index's end, so the
		// next starts over.
		let (offers, cursor) = Market::idle_nodes(0, 10, scheduler);
		let mut idle = ids(&offers);
		idle.sort_unstable();
		assert_eq!((idle, cursor), (vec![nodes[0], nodes[2], nodes[3]], 0));
		// Two at a time, the rounds go on where the last stopped and list each idle node once.
		let (first, cursor) = Market::idle_nodes(0, 2, scheduler);
		assert_eq!(first.len(), 2);
		assert_ne!(cursor, 0, "full: the next round goes on after the last node looked at");
		let (second, cursor) = Market::idle_nodes(cursor, 2, scheduler);
		assert_eq!(cursor, 0, "the end of the index: the next round starts over");
		let mut seen: Vec<NodeId> = ids(&first).into_iter().chain(ids(&second)).collect();
		seen.sort_unstable();
		assert_eq!(seen, vec![nodes[0], nodes[2], nodes[3]]);
	});
}

#[test]
fn a_round_looks_at_a_bounded_part_of_the_queue_and_the_next_goes_on() {
	test(|| {
		let extra = 10;
		for i in 0..QUEUE_SCAN + extra {
			// Deadlines spread over blocks, as the timeout queue takes a few per block.
			if i % 4 == 0 {
				System::set_block_number(System::block_number() + 1);
			}
			submit(USER, needs(1), Billing::PerTask);
		}
		// Every task skipped (proposed recently): the round stops after QUEUE_SCAN of them.
		let skip_all = |_: TaskId| true;
		let (tasks, cursor) = Market::assignable_tasks(0, 256, &skip_all);
		assert!(tasks.is_empty());
		assert_ne!(cursor, 0, "stopped at the scan bound, not at the queue's end");
		let (tasks, cursor) = Market::assignable_tasks(cursor, 256, &skip_all);
		assert_eq!((tasks.len(), cursor), (0, 0), "the rest, then the queue's end");
		// Nothing skipped: a round takes its limit and no more.
		let (tasks, _) = Market::assignable_tasks(0, 256, &NO_SKIP);
		assert_eq!(tasks.len(), 256);
	});
}

#[test]
fn a_scheduler_is_offered_no_node_of_its_own_owner_or_operator() {
	test(|| {
		let foreign = online_node(0, NodeTerms::default());
		// The scheduler node's owner (number 9) also owns a compute node, run by another key.
		let scheduler = scheduler_node();
		let own = online_node_of(owner_of(9), operator_of(19), NodeTerms::default());

		let (offers, _) = Market::idle_nodes(0, 10, scheduler);
		assert_eq!(ids(&offers), vec![foreign], "the scheduler's owner's node is left out");
		let task = submit(USER, needs(1), Billing::PerTask);
		assert!(Market::accepts(task, foreign, scheduler));
		assert!(!Market::accepts(task, own, scheduler));
	});
}

#[test]
fn a_pair_is_accepted_as_the_market_would_take_it() {
	test(|| {
		let node = online_node(0, NodeTerms::default());
		let scheduler = scheduler_node();
		let task = submit(USER, needs(1), Billing::PerTask);
		assert!(Market::accepts(task, node, scheduler));
		assert!(!Market::accepts(task, 99, scheduler), "no such node");
		assert!(!Market::accepts(77, node, scheduler), "no such task");
		let too_big = submit(USER, needs(16), Billing::PerTask);
		assert!(!Market::accepts(too_big, node, scheduler), "more GPUs than the node has");
		assert_eq!(
			Market::max_assignments_per_call(),
			<<Test as Config>::MaxAssignmentsPerBatch as Get<u32>>::get()
		);
	});
}

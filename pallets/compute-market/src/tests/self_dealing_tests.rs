//! Self-dealing and griefing, replayed against the market (docs/economics.md#self-dealing): a
//! person who owns a node, a user account and a scheduler, and tries to buy delivery points,
//! rebates and reputation for nothing, to route paid work to themselves, or to freeze and
//! discredit others. Each test ends with the market's invariants and total USDV unchanged
//! (`test`): whatever the attack, no USDV is created or lost.

use super::*;
use frame_support::assert_noop;
use vcity_primitives::{NodeRegistry, TaskStatus, UsageMeter};

/// Node 0 is the farmer's node (owner 0, operator 100); OTHER_USER is the farmer under another
/// name, unknown to the chain as such. The task: 8 GPUs for 30 days, per task, at the node's
/// price: the largest escrow the farmer can turn into points if billing followed the size.
fn farmer_task(node_price: Balance) -> (NodeId, TaskId) {
	let node = online_node(0, NodeTerms { price: node_price, ..Default::default() });
	let id = NextTaskId::<Test>::get();
	let seconds = 30 * 24 * 3_600;
	let deadline = System::block_number() + 500_000;
	assert_ok!(Market::submit_task(
		RuntimeOrigin::signed(OTHER_USER),
		needs(8),
		seconds,
		deadline,
		node_price,
		matrix(),
		Billing::PerTask
	));
	assert_ok!(Market::assign_directly(RuntimeOrigin::signed(OTHER_USER), id, node));
	(node, id)
}

/// Node 0 and the scheduler node online, and a task the scheduler gave node 0.
fn scheduled_task() -> (NodeId, NodeId, TaskId) {
	let node = online_node(0, NodeTerms::default());
	let scheduler = scheduler_node();
	let id = submit(USER, needs(1), Billing::PerTask);
	assert_eq!(assign(vec![(id, node)]), vec![]);
	(node, scheduler, id)
}

fn failed(node: NodeId) -> u32 {
	Registry::node_info(node).unwrap().tasks_failed
}

/// Path 1: ack, start and complete in one block, then rate five stars. Billing follows the time
/// the GPUs were held, so nothing is billed, paid, credited or counted, and the escrow returns
/// whole; the node's reputation does not move.
#[test]
fn a_task_completed_at_once_bills_nothing_and_earns_nothing() {
	test(|| {
		let floor = crate::DEFAULT_PRICE_FLOOR[2];
		let (node, id) = farmer_task(floor);
		let escrow = Market::task_info(id).unwrap().escrow;
		// 8 GPUs × 720 h × 0.50 USDV: 2,880 USDV the old billing would have turned into points.
		assert_eq!(escrow, 2_880 * USDV);
		let (user_before, owner_before) = (usdv(OTHER_USER), usdv(owner_of(0)));
		let reputation = Registry::profile(node).unwrap().reputation;
		let operator = RuntimeOrigin::signed(operator_of(0));
		assert_ok!(Market::acknowledge_task(operator.clone(), id));
		assert_ok!(Market::start_task(operator.clone(), id));
		assert_ok!(Market::complete_task(operator, id, [7; 32], 0));
		assert_ok!(Market::rate_task(RuntimeOrigin::signed(OTHER_USER), id, 5));

		let info = Market::task_info(id).unwrap();
		assert_eq!((info.status, info.paid, info.refunded), (TaskStatus::Settled, 0, escrow));
		// `usdv` counts held funds: the escrow was the user's all along and is free again.
		assert_eq!((usdv(OTHER_USER), held(OTHER_USER), usdv(owner_of(0))), (user_before, 0, owner_before));
		assert!(credited().is_empty(), "no Proof-of-Delivery for a task that held no GPU time");
		let period = ChainClock::period_index();
		assert_eq!((Market::consumed_gpu_seconds(period), Market::spend_of(period, &OTHER_USER)), (0, 0));
		let after = Registry::node_info(node).unwrap();
		assert_eq!((after.tasks_completed, after.reputation), (0, reputation));
	});
}

/// Path 1: a price under the floor of the node's class is refused wherever it could enter: the
/// task's maximum, the assignment, and governance cannot lower a floor to zero or invert them.
#[test]
fn compute_below_the_price_floor_is_neither_sold_nor_bought() {
	test(|| {
		let node = online_node(0, NodeTerms { price: 3, ..Default::default() });
		assert_noop!(
			Market::submit_task(
				RuntimeOrigin::signed(OTHER_USER),
				needs(8),
				3_600,
				2_000,
				3,
				matrix(),
				Billing::PerTask
			),
			Error::<Test>::PriceBelowFloor
		);
		// A user may offer more; the node asking 3 base units still cannot sell.
		let id = submit(OTHER_USER, needs(8), Billing::PerTask);
		assert_noop!(
			Market::assign_directly(RuntimeOrigin::signed(OTHER_USER), id, node),
			Error::<Test>::Rejected(Rejection::PriceBelowFloor)
		);
		// A consumer card's floor is lower than a data-centre card's.
		let consumer = NodeTerms {
			model: "NVIDIA GeForce RTX 4090",
			vram: 48,
			price: crate::DEFAULT_PRICE_FLOOR[0],
			..Default::default()
		};
		let cheap = online_node(1, consumer);
		assert_ok!(Market::assign_directly(RuntimeOrigin::signed(OTHER_USER), id, cheap));

		let mut params = Market::params().unwrap();
		for floor in [
			PriceFloor { consumer: 0, workstation: 1, datacenter: 1 },
			PriceFloor { consumer: 2, workstation: 1, datacenter: 3 },
			PriceFloor { consumer: 1, workstation: 3, datacenter: 2 },
		] {
			params.price_floor = floor;
			assert_noop!(Market::set_params(RuntimeOrigin::root(), params), Error::<Test>::InvalidParams);
		}
	});
}

/// Path 1: a task that really holds the GPUs for an hour is paid for that hour, and the
/// delivery it credits is what the user paid and what the protocol kept: the farmer's two
/// accounts together are down by exactly that fee, which the rewards' caps never return in full.
#[test]
fn a_real_run_credits_the_payment_and_the_fee_the_protocol_kept() {
	test(|| {
		let floor = crate::DEFAULT_PRICE_FLOOR[2];
		let (node, id) = farmer_task(floor);
		let before = usdv(OTHER_USER) + usdv(owner_of(0));
		deliver(0, id, 3_600);
		assert_ok!(Market::rate_task(RuntimeOrigin::signed(OTHER_USER), id, 5));
		// 8 GPUs × 1 h × 0.50 USDV = 4 USDV; Bronze keeps 85% for the node, 15% for the protocol
		// (no scheduler).
		let paid = 4 * USDV;
		let fee = paid * 15 / 100;
		assert_eq!(Market::task_info(id).unwrap().paid, paid);
		let credits = credited();
		let [(credited_node, credit)] = credits[..] else { panic!("one credit, got {credits:?}") };
		assert_eq!(credited_node, node);
		assert_eq!((credit.payment, credit.protocol_fee), (paid, fee));
		assert_eq!(before - (usdv(OTHER_USER) + usdv(owner_of(0))), fee, "the farmer's USDV net is -fee");
		let period = ChainClock::period_index();
		assert_eq!(Market::consumed_gpu_seconds(period), 8 * 3_600);
		assert_eq!(FeesPaid::<Test>::get(period, OTHER_USER), fee);
	});
}

/// Path 3: a scheduler node never gives a task to a node its own owner or operator controls,
/// in a batch or not.
#[test]
fn a_scheduler_cannot_pick_its_owners_node() {
	test(|| {
		let foreign = online_node(0, NodeTerms::default());
		scheduler_node();
		// Owner 9 (the scheduler's) also runs a compute node, under another operator key.
		let own = online_node_of(owner_of(9), operator_of(19), NodeTerms::default());
		let first = submit(USER, needs(1), Billing::PerTask);
		let second = submit(USER, needs(1), Billing::PerTask);
		assert_eq!(assign(vec![(first, own), (second, foreign)]), vec![(first, own, Rejection::OwnNode)]);
		assert_eq!((status(first), status(second)), (TaskStatus::Queued, TaskStatus::Assigned));
		// The owner may still pick any node for their own task: that is their money.
		assert_ok!(Market::assign_directly(RuntimeOrigin::signed(USER), first, own));
	});
}

/// Path 3: a node that raises its price once it sees a task waiting does not get the task at
/// the new price; lowering a price never blocks, and tasks queued after the raise are fine.
#[test]
fn a_price_raised_onto_a_waiting_task_does_not_apply() {
	test(|| {
		let node = online_node(0, NodeTerms::default());
		scheduler_node();
		advance_ms(6_000);
		let waiting = submit(USER, needs(1), Billing::PerTask);
		advance_ms(6_000);
		assert_ok!(Registry::update_price(RuntimeOrigin::signed(owner_of(0)), node, 3 * USDV));
		assert_eq!(assign(vec![(waiting, node)]), vec![(waiting, node, Rejection::PriceRaisedSinceQueued)]);
		assert_noop!(
			Market::assign_directly(RuntimeOrigin::signed(USER), waiting, node),
			Error::<Test>::Rejected(Rejection::PriceRaisedSinceQueued)
		);
		// A task queued after the raise takes the node at its new price.
		advance_ms(6_000);
		let later = submit(USER, needs(1), Billing::PerTask);
		assert_eq!(assign(vec![(later, node)]), vec![]);
		// Lowering the price is no raise: the waiting task still cannot go at the raised price,
		// but the node's price is no longer one it raised since.
		assert_ok!(Registry::update_price(RuntimeOrigin::signed(owner_of(0)), node, USDV));
		assert_eq!(assign(vec![(waiting, node)]), vec![(waiting, node, Rejection::PriceRaisedSinceQueued)]);
	});
}

/// Path 3, variant: the node acknowledges and never starts. The owner may cancel once the start
/// window has passed: a full refund, and a failure for the node and for the scheduler that
/// picked it.
#[test]
fn an_acknowledged_task_never_started_can_be_cancelled_at_the_nodes_cost() {
	test(|| {
		let (node, scheduler, id) = scheduled_task();
		let before = usdv(USER);
		assert_ok!(Market::acknowledge_task(RuntimeOrigin::signed(operator_of(0)), id));
		assert_noop!(Market::cancel_task(RuntimeOrigin::signed(USER), id), Error::<Test>::StartWindowOpen);
		run_to_block(1 + START_WINDOW);
		assert_noop!(Market::cancel_task(RuntimeOrigin::signed(USER), id), Error::<Test>::StartWindowOpen);
		assert_noop!(Market::cancel_task(RuntimeOrigin::signed(STRANGER), id), Error::<Test>::NotTaskOwner);
		run_to_block(2 + START_WINDOW);
		let reputation = Registry::profile(node).unwrap().reputation;
		assert_ok!(Market::cancel_task(RuntimeOrigin::signed(USER), id));
		assert_eq!(status(id), TaskStatus::Refunded);
		assert_eq!((usdv(USER), held(USER)), (before, 0));
		assert_eq!((failed(node), failed(scheduler)), (1, 1));
		assert!(Registry::profile(node).unwrap().reputation < reputation);
		assert!(market_events().contains(&Event::TaskRefunded {
			task: id,
			reason: RefundReason::NotStarted,
			refunded: Market::task_info(id).unwrap().refunded,
		}));
		// A started task is the node's to finish or give up until it is overdue.
		let running = submit(USER, needs(1), Billing::PerTask);
		assert_eq!(assign(vec![(running, node)]), vec![]);
		assert_ok!(Market::acknowledge_task(RuntimeOrigin::signed(operator_of(0)), running));
		assert_ok!(Market::start_task(RuntimeOrigin::signed(operator_of(0)), running));
		run_to_block(System::block_number() + START_WINDOW + 2);
		assert_noop!(Market::cancel_task(RuntimeOrigin::signed(USER), running), Error::<Test>::NotOverdue);
	});
}

/// Path 3, the variant after the start: a node that starts a task and never delivers it cannot
/// hold the escrow to the deadline either. A start window past the task's seconds, its owner may
/// cancel it: a full refund, a failure for the node and its scheduler.
#[test]
fn a_started_task_never_delivered_can_be_cancelled_once_overdue() {
	test(|| {
		let (node, scheduler, id) = scheduled_task();
		let before = usdv(USER);
		assert_ok!(Market::acknowledge_task(RuntimeOrigin::signed(operator_of(0)), id));
		assert_ok!(Market::start_task(RuntimeOrigin::signed(operator_of(0)), id));
		// The task's hour and the start window's 20 blocks of 6 s.
		advance_ms(3_600_000 + START_WINDOW * 6_000);
		assert_noop!(Market::cancel_task(RuntimeOrigin::signed(USER), id), Error::<Test>::NotOverdue);
		advance_ms(1);
		assert_ok!(Market::cancel_task(RuntimeOrigin::signed(USER), id));
		assert_eq!((status(id), usdv(USER), held(USER)), (TaskStatus::Refunded, before, 0));
		assert_eq!((failed(node), failed(scheduler)), (1, 1));
		assert!(market_events().contains(&Event::TaskRefunded {
			task: id,
			reason: RefundReason::Overdue,
			refunded: Market::task_info(id).unwrap().refunded,
		}));
	});
}

/// Path 3: assignments that lapse count against the scheduler that made them (once per node and
/// period), and a node that lets its window lapse close to the deadline fails too (the task is refunded, not requeued):
/// lapsing is never free.
#[test]
fn lapsed_assignments_count_against_the_node_and_its_scheduler() {
	test(|| {
		let (node, scheduler, id) = scheduled_task();
		run_to_block(closed(1, ACK_WINDOW));
		assert_eq!(status(id), TaskStatus::Queued);
		assert_eq!((failed(node), failed(scheduler)), (1, 1));

		// A task whose deadline leaves room for exactly one acknowledgement and run.
		let now = System::block_number();
		let tight = submit_due(3_600, now + ACK_WINDOW + 600);
		assert_eq!(assign(vec![(tight, node)]), vec![]);
		run_to_block(closed(now, ACK_WINDOW));
		assert_eq!(status(tight), TaskStatus::Refunded);
		// The node fails again; the scheduler answered for this node's failures this period.
		assert_eq!((failed(node), failed(scheduler)), (2, 1));
	});
}

//! Settlement: the default split by tier, the refund of unused escrow, ratings, disputes, the
//! usage meter and dropping old records. Invariant in every test: what the owner loses is
//! exactly what the node's owner, the scheduler's owner and the treasury gain.

use super::*;
use frame_support::{assert_noop, assert_ok};
use sp_runtime::Perbill;
use sp_runtime::Permill;
use vcity_primitives::{NodeRegistry, ReputationTier, TaskStatus, UsageMeter};

/// Sets a node's reputation score (basis points) as of now.
fn set_reputation(node: NodeId, score: u32) {
	pallet_compute_registry::Nodes::<Test>::mutate(node, |n| {
		n.as_mut().unwrap().reputation =
			pallet_compute_registry::Reputation { score, updated_ms: ChainClock::now_ms() };
	});
}

/// Balances of the parties to a settlement: owner, node owner, scheduler owner, treasury.
fn balances() -> [Balance; 4] {
	[usdv(USER), usdv(owner_of(0)), usdv(owner_of(9)), usdv(TREASURY)]
}

/// Runs a two-GPU, one-hour task on node 0 (2 USDV per GPU-hour) through the scheduler and
/// lets the dispute window close. Returns the task and the balance changes of the parties.
fn settled_through_scheduler(score: u32, tier: ReputationTier) -> (TaskId, [i128; 4]) {
	scheduler_node();
	let node = online_node(0, NodeTerms::default());
	set_reputation(node, score);
	assert_eq!(Registry::profile(node).unwrap().tier, tier);
	let before = balances();
	let id = submit(USER, needs(2), Billing::PerTask);
	assert_eq!(assign(vec![(id, node)]), vec![]);
	deliver(0, id, 3_600);
	assert_eq!(status(id), TaskStatus::Delivered);
	run_to_block(closed(1, DISPUTE_WINDOW));
	assert_eq!(status(id), TaskStatus::Settled);
	let after = balances();
	let delta = core::array::from_fn(|i| after[i] as i128 - before[i] as i128);
	(id, delta)
}

#[test]
fn the_split_follows_the_default_table_for_each_tier() {
	// 2 GPUs × 1 h × 2 USDV = 4 USDV paid of the 6 USDV held; 2 USDV refunded.
	for (score, tier, node_percent) in [
		(5_000, ReputationTier::Bronze, 85),
		(7_000, ReputationTier::Silver, 88),
		(9_000, ReputationTier::Gold, 91),
	] {
		test(|| {
			let (id, delta) = settled_through_scheduler(score, tier);
			let payment = 4 * USDV as i128;
			let node = payment * node_percent / 100;
			let scheduler = payment / 100;
			let protocol = payment - node - scheduler;
			assert_eq!(delta, [-payment, node, scheduler, protocol], "tier {tier:?}");
			assert_eq!(delta.iter().sum::<i128>(), 0, "nothing created or lost");
			let info = Market::task_info(id).unwrap();
			assert_eq!((info.paid, info.refunded, info.escrow), (4 * USDV, 2 * USDV, 0));
			assert_eq!(revenue_noted() as i128, protocol);
			assert_eq!(Stats::<Test>::get().volume, 4 * USDV);
		});
	}
}

#[test]
fn without_a_scheduler_its_fee_is_protocol_revenue() {
	test(|| {
		let node = online_node(0, NodeTerms::default());
		let id = submit(USER, needs(2), Billing::PerTask);
		assert_ok!(Market::assign_directly(RuntimeOrigin::signed(USER), id, node));
		deliver(0, id, 3_600);
		let treasury = usdv(TREASURY);
		run_to_block(closed(1, DISPUTE_WINDOW));
		assert_eq!(usdv(owner_of(0)), 3_400_000);
		assert_eq!(usdv(TREASURY) - treasury, 600_000);
		assert_eq!(usdv(owner_of(9)), 0);
	});
}

#[test]
fn metered_tasks_pay_what_was_used_and_refund_the_rest() {
	test(|| {
		let node = online_node(0, NodeTerms::default());
		let before = usdv(USER);
		let id = submit(USER, needs(2), Billing::Metered);
		assert_ok!(Market::assign_directly(RuntimeOrigin::signed(USER), id, node));
		// Half an hour on one of the two GPUs: 1,800 GPU-seconds at 2 USDV per GPU-hour.
		deliver(0, id, 1_800);
		run_to_block(closed(1, DISPUTE_WINDOW));
		let info = Market::task_info(id).unwrap();
		assert_eq!((info.paid, info.refunded), (USDV, 5 * USDV));
		assert_eq!(before - usdv(USER), USDV);
		assert_eq!(Market::consumed_gpu_seconds(ChainClock::period_index()), 1_800);
	});
}

#[test]
fn a_rating_settles_at_once_and_feeds_reputation() {
	test(|| {
		let node = online_node(0, NodeTerms::default());
		let low = online_node(1, NodeTerms::default());
		let good = submit(USER, needs(1), Billing::PerTask);
		let bad = submit(USER, needs(1), Billing::PerTask);
		assert_ok!(Market::assign_directly(RuntimeOrigin::signed(USER), good, node));
		assert_ok!(Market::assign_directly(RuntimeOrigin::signed(USER), bad, low));
		deliver(0, good, 3_600);
		deliver(1, bad, 3_600);
		let rate = |who, id, stars| Market::rate_task(RuntimeOrigin::signed(who), id, stars);
		assert_noop!(rate(USER, good, 0), Error::<Test>::InvalidRating);
		assert_noop!(rate(USER, good, 6), Error::<Test>::InvalidRating);
		assert_noop!(rate(OTHER_USER, good, 5), Error::<Test>::NotTaskOwner);
		let before =
			(Registry::node_info(node).unwrap().reputation, Registry::node_info(low).unwrap().reputation);
		assert_ok!(rate(USER, good, 5));
		assert_ok!(rate(USER, bad, 1));
		assert_eq!((status(good), status(bad)), (TaskStatus::Settled, TaskStatus::Settled));
		assert_eq!(Market::task_info(good).unwrap().rating, Some(5));
		assert!(Registry::node_info(node).unwrap().reputation > before.0);
		assert!(Registry::node_info(low).unwrap().reputation < before.1);
		assert_eq!(Registry::node_info(node).unwrap().tasks_completed, 1);
		assert_noop!(rate(USER, good, 4), Error::<Test>::WrongTaskState);
	});
}

#[test]
fn a_dispute_holds_settlement_until_it_is_resolved() {
	test(|| {
		let node = online_node(0, NodeTerms::default());
		let upheld = submit(USER, needs(1), Billing::PerTask);
		let rejected = submit(USER, needs(1), Billing::PerTask);
		for id in [upheld, rejected] {
			assert_ok!(Market::assign_directly(RuntimeOrigin::signed(USER), id, node));
			deliver(0, id, 3_600);
		}
		assert_noop!(
			Market::dispute_task(RuntimeOrigin::signed(OTHER_USER), upheld),
			Error::<Test>::NotTaskOwner
		);
		assert_ok!(Market::dispute_task(RuntimeOrigin::signed(USER), upheld));
		assert_ok!(Market::dispute_task(RuntimeOrigin::signed(USER), rejected));
		assert_noop!(
			Market::dispute_task(RuntimeOrigin::signed(USER), upheld),
			Error::<Test>::WrongTaskState
		);
		assert_noop!(
			Market::rate_task(RuntimeOrigin::signed(USER), upheld, 3),
			Error::<Test>::WrongTaskState
		);
		run_to_block(closed(1, DISPUTE_WINDOW) + 5);
		assert_eq!(status(upheld), TaskStatus::Disputed);
		assert_noop!(
			Market::resolve_dispute(RuntimeOrigin::signed(USER), upheld, true),
			sp_runtime::DispatchError::BadOrigin
		);
		let before = usdv(USER);
		assert_ok!(Market::resolve_dispute(RuntimeOrigin::root(), upheld, true));
		assert_eq!(status(upheld), TaskStatus::Refunded);
		assert_eq!(usdv(USER), before, "an upheld dispute costs the owner nothing");
		assert_ok!(Market::resolve_dispute(RuntimeOrigin::root(), rejected, false));
		assert_eq!(status(rejected), TaskStatus::Settled);
		assert_eq!(usdv(USER), before - 2 * USDV);
		let info = Registry::node_info(node).unwrap();
		assert_eq!((info.tasks_completed, info.tasks_failed), (1, 1));
		assert_noop!(
			Market::resolve_dispute(RuntimeOrigin::root(), rejected, true),
			Error::<Test>::WrongTaskState
		);
	});
}

#[test]
fn disputes_and_manual_settlement_respect_the_window() {
	test(|| {
		let node = online_node(0, NodeTerms::default());
		let id = submit(USER, needs(1), Billing::PerTask);
		assert_ok!(Market::assign_directly(RuntimeOrigin::signed(USER), id, node));
		deliver(0, id, 3_600);
		assert_noop!(Market::settle(RuntimeOrigin::signed(STRANGER), id), Error::<Test>::DisputeWindowOpen);
		// The block the window closes, before its timeout has run.
		System::set_block_number(closed(1, DISPUTE_WINDOW));
		assert_noop!(
			Market::dispute_task(RuntimeOrigin::signed(USER), id),
			Error::<Test>::DisputeWindowClosed
		);
		assert_ok!(Market::settle(RuntimeOrigin::signed(STRANGER), id));
		assert_eq!(status(id), TaskStatus::Settled);
		assert_noop!(Market::settle(RuntimeOrigin::signed(STRANGER), id), Error::<Test>::WrongTaskState);
	});
}

#[test]
fn shares_below_the_minimum_balance_fall_back_and_nothing_is_lost() {
	test(|| {
		// 100 base units per GPU-hour: every share is below USDV's minimum balance, and neither
		// the node's owner nor the treasury holds USDV yet, so nobody can receive it.
		lower_price_floors();
		let node = online_node(0, NodeTerms { price: 100, ..Default::default() });
		let before = usdv(USER);
		assert_ok!(Market::submit_task(
			RuntimeOrigin::signed(USER),
			needs(1),
			3_600,
			2_000,
			100,
			matrix(),
			Billing::PerTask
		));
		assert_ok!(Market::assign_directly(RuntimeOrigin::signed(USER), 1, node));
		deliver(0, 1, 3_600);
		run_to_block(closed(1, DISPUTE_WINDOW));
		assert_eq!(status(1), TaskStatus::Settled);
		assert_eq!((usdv(USER), usdv(owner_of(0)), usdv(TREASURY)), (before, 0, 0));
		assert!(market_events().contains(&Event::TaskSettled {
			task: 1,
			node,
			node_share: 0,
			scheduler_fee: 0,
			verification_fee: 0,
			protocol_revenue: 0,
			refunded: 100,
		}));
	});
}

#[test]
fn the_usage_meter_compares_consumed_with_available_capacity() {
	test(|| {
		let node = online_node(0, NodeTerms::default());
		// A second beat one window later proves 8 GPUs × 600 s.
		advance_ms(WINDOW_MS);
		assert_ok!(Registry::heartbeat(RuntimeOrigin::signed(operator_of(0)), node, Default::default()));
		let period = ChainClock::period_index();
		assert_eq!(Market::available_gpu_seconds(period), 4_800);
		assert_eq!(Market::utilization(period), Some(Perbill::zero()));
		assert_eq!(Market::utilization(period + 1), None, "nothing available: no utilization");
		let id = submit(USER, needs(1), Billing::PerTask);
		assert_ok!(Market::assign_directly(RuntimeOrigin::signed(USER), id, node));
		deliver(0, id, 3_600);
		assert_ok!(Market::rate_task(RuntimeOrigin::signed(USER), id, 4));
		assert_eq!(Market::consumed_gpu_seconds(period), 3_600);
		// The node beat again after the hour it ran: one more window of 8 GPUs × 600 s.
		assert_eq!(Market::available_gpu_seconds(period), 9_600);
		assert_eq!(Market::utilization(period), Some(Perbill::from_rational(3_600u32, 9_600)));
		assert_eq!(Market::spend_of(period, &USER), 2 * USDV);
		assert_eq!(Market::total_spend(period), 2 * USDV);
		assert_eq!(Market::spend_of(period, &OTHER_USER), 0);
		let stats = Market::market_stats();
		assert_eq!((stats.utilization_ppb, stats.settled, stats.escrow), (Some(375_000_000), 1, 0));
	});
}

#[test]
fn ended_tasks_are_forgotten_after_the_retention() {
	test(|| {
		let node = online_node(0, NodeTerms::default());
		let id = submit(USER, needs(1), Billing::PerTask);
		assert_ok!(Market::assign_directly(RuntimeOrigin::signed(USER), id, node));
		deliver(0, id, 3_600);
		assert_ok!(Market::rate_task(RuntimeOrigin::signed(USER), id, 5));
		run_to_block(1 + RETENTION - 1);
		assert!(Market::task_info(id).is_some());
		run_to_block(1 + RETENTION);
		assert!(Market::task_info(id).is_none());
		assert!(Market::tasks_of_owner(&USER, 0, 10).tasks.is_empty());
		assert!(Market::tasks_of_node(node, 0, 10).tasks.is_empty());
		assert!(market_events().contains(&Event::TaskForgotten { task: id }));
	});
}

#[test]
fn payouts_split_exactly_whatever_the_amount() {
	let split = FeeSplit::DEFAULT;
	for payment_seconds in [1u64, 7, 3_599, 3_600, 86_399, 1_000_000] {
		for tier in [ReputationTier::Bronze, ReputationTier::Silver, ReputationTier::Gold] {
			for scheduler in [None, Some(1)] {
				for verification in [Permill::zero(), Permill::from_percent(2), Permill::from_percent(100)] {
					let engagement = Engagement { node: 1, scheduler, price_per_gpu_hour: 1_234_567 };
					let p = Market::payout(&engagement, payment_seconds, tier, &split, verification).unwrap();
					assert_eq!(p.node + p.scheduler + p.verification + p.protocol, p.payment);
					assert_eq!(p.node, split.node_share(tier).mul_floor(p.payment));
					assert!(scheduler.is_some() || p.scheduler == 0);
					// The fee never eats into the node's or the scheduler's part.
					assert!(p.verification <= verification.mul_floor(p.payment));
				}
			}
		}
	}
	assert!(FeeSplit::DEFAULT.is_valid());
	assert_eq!(FeeSplit::DEFAULT.node_gold, Permill::from_percent(91));
}

#[test]
fn an_unresolved_dispute_settles_as_delivered_when_its_window_closes() {
	test(|| {
		let node = online_node(0, NodeTerms::default());
		let id = submit(USER, needs(1), Billing::PerTask);
		assert_ok!(Market::assign_directly(RuntimeOrigin::signed(USER), id, node));
		deliver(0, id, 3_600);
		run_to_block(10);
		assert_ok!(Market::dispute_task(RuntimeOrigin::signed(USER), id));
		assert!(market_events().contains(&Event::TaskDisputed {
			task: id,
			resolve_by: closed(10, RESOLUTION_WINDOW),
			audited: false
		}));
		// The dispute window's own timeout no longer settles it.
		run_to_block(closed(1, DISPUTE_WINDOW) + 1);
		assert_eq!(status(id), TaskStatus::Disputed);
		run_to_block(closed(10, RESOLUTION_WINDOW) - 1);
		assert_eq!(status(id), TaskStatus::Disputed);
		assert_noop!(Market::settle(RuntimeOrigin::signed(STRANGER), id), Error::<Test>::DisputeWindowOpen);
		run_to_block(closed(10, RESOLUTION_WINDOW));
		assert_eq!(status(id), TaskStatus::Settled);
		assert_eq!(Market::task_info(id).unwrap().paid, 2 * USDV);
	});
}

#[test]
fn free_or_self_bought_work_earns_no_reputation_and_no_rebate() {
	test(|| {
		let node = online_node(0, NodeTerms::default());
		let reputation = Registry::profile(node).unwrap().reputation;
		// Metered with nothing used: the payment is zero.
		let free = submit(USER, needs(1), Billing::Metered);
		assert_ok!(Market::assign_directly(RuntimeOrigin::signed(USER), free, node));
		deliver(0, free, 0);
		assert_ok!(Market::rate_task(RuntimeOrigin::signed(USER), free, 5));
		assert_eq!(Market::task_info(free).unwrap().paid, 0);
		// The node's owner buying from their own node.
		assert_ok!(Assets::transfer(RuntimeOrigin::signed(OTHER_USER), USDV_ID, owner_of(0), 100 * USDV));
		let own = submit(owner_of(0), needs(1), Billing::PerTask);
		assert_ok!(Market::assign_directly(RuntimeOrigin::signed(owner_of(0)), own, node));
		deliver(0, own, 3_600);
		assert_ok!(Market::rate_task(RuntimeOrigin::signed(owner_of(0)), own, 5));
		let info = Registry::node_info(node).unwrap();
		// The hour's heartbeat window lifted the score a point; a five-star delivery would have
		// lifted it by 250.
		assert_eq!((info.tasks_completed, info.reputation), (0, reputation + 1));
		// Its GPUs were used, but paying oneself counts neither as consumption (utilization) nor
		// as spend (rebates).
		let period = ChainClock::period_index();
		assert_eq!(Market::consumed_gpu_seconds(period), 0);
		assert_eq!(Market::spend_of(period, &owner_of(0)), 0);
		assert_eq!(Market::total_spend(period), 0);
	});
}

#[test]
fn an_unresolved_dispute_whose_timeout_failed_can_be_settled_by_anyone() {
	test(|| {
		let node = online_node(0, NodeTerms::default());
		let id = submit(USER, needs(1), Billing::PerTask);
		assert_ok!(Market::assign_directly(RuntimeOrigin::signed(USER), id, node));
		deliver(0, id, 3_600);
		assert_ok!(Market::dispute_task(RuntimeOrigin::signed(USER), id));
		// With USDV frozen, the settlement at the end of the resolution window fails.
		assert_ok!(Assets::freeze_asset(RuntimeOrigin::signed(TREASURY), USDV_ID));
		run_to_block(closed(1, RESOLUTION_WINDOW));
		assert_eq!(status(id), TaskStatus::Disputed);
		assert_ok!(Assets::thaw_asset(RuntimeOrigin::signed(TREASURY), USDV_ID));
		assert_ok!(Market::settle(RuntimeOrigin::signed(STRANGER), id));
		assert_eq!(status(id), TaskStatus::Settled);
	});
}

/// A scheduler's record names no task (only the node's does), so its owner may reap it while a
/// task it matched is still running. The task still settles: the gone scheduler's share is
/// protocol revenue and its reputation report is dropped, and the node is paid as ever.
#[test]
fn a_task_settles_after_its_scheduler_was_reaped() {
	test(|| {
		let node = online_node(0, NodeTerms::default());
		let scheduler = scheduler_node();
		let id = submit(USER, needs(2), Billing::PerTask);
		assert_eq!(assign(vec![(id, node)]), vec![]);
		let operator = RuntimeOrigin::signed(operator_of(0));
		assert_ok!(Market::acknowledge_task(operator.clone(), id));
		assert_ok!(Market::start_task(operator.clone(), id));

		let scheduler_owner = RuntimeOrigin::signed(owner_of(9));
		assert_ok!(Registry::deregister(scheduler_owner.clone(), scheduler));
		System::set_block_number(System::block_number() + 100);
		assert_ok!(Registry::withdraw_unbonded(scheduler_owner.clone(), scheduler));
		assert_ok!(Registry::reap_node(scheduler_owner, scheduler));

		advance_ms(3_600_000);
		keep_nodes_online();
		assert_ok!(Market::complete_task(operator, id, [7; 32], 3_600));
		let treasury = usdv(TREASURY);
		run_to_block(closed(System::block_number(), DISPUTE_WINDOW));
		assert_eq!(status(id), vcity_primitives::TaskStatus::Settled);
		// 4 USDV: 85% to the node's owner, the rest (the scheduler's 1% included) to the protocol.
		assert_eq!(usdv(owner_of(0)), 3_400_000);
		assert_eq!(usdv(TREASURY) - treasury, 600_000);
		assert_eq!(usdv(owner_of(9)), 0);
	});
}

//! Heartbeats: who may beat, how often, and what a beat credits.

use super::*;
use frame_support::assert_noop;
use vcity_primitives::{CapacityMeter, Health, Liveness, NodeRegistry, NodeStatus};

#[test]
fn first_beat_puts_the_node_online_and_credits_nothing() {
	test(|| {
		let node = register(OWNER, OPERATOR, 4);
		assert_ok!(beat(OPERATOR, node));
		assert_eq!(Registry::status(node), Some(NodeStatus::Online));
		assert!(Registry::is_online(node));
		let info = Registry::node_info(node).unwrap();
		assert_eq!(info.online_gpu_seconds, 0);
		assert_eq!(info.last_heartbeat_ms, Some(ChainClock::now_ms()));
	});
}

#[test]
fn each_beat_credits_gpus_times_time_since_last_capped_at_the_window() {
	test(|| {
		let node = register(OWNER, OPERATOR, 4);
		assert_ok!(beat(OPERATOR, node));
		advance_ms(WINDOW_MS);
		assert_ok!(beat(OPERATOR, node));
		let one_window = 4 * WINDOW_MS / 1000;
		assert_eq!(Registry::node_info(node).unwrap().online_gpu_seconds, one_window);
		// Three windows of silence still credit one window: time not proven is not paid.
		advance_ms(3 * WINDOW_MS);
		assert_ok!(beat(OPERATOR, node));
		assert_eq!(Registry::node_info(node).unwrap().online_gpu_seconds, 2 * one_window);
		assert_eq!(Registry::available_gpu_seconds(ChainClock::period_index()), 2 * one_window);
	});
}

#[test]
fn a_second_beat_in_the_same_window_is_refused() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		assert_ok!(beat(OPERATOR, node));
		advance_ms(1_000);
		assert_noop!(beat(OPERATOR, node), Error::<Test>::HeartbeatTooEarly);
	});
}

#[test]
fn strangers_and_wrong_nodes_cannot_beat() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		let other = register(OTHER_OWNER, OTHER_OPERATOR, 1);
		assert_noop!(beat(STRANGER, node), Error::<Test>::NotOperator);
		assert_noop!(beat(OWNER, node), Error::<Test>::NotOperator);
		assert_noop!(beat(OPERATOR, other), Error::<Test>::NotOperator);
		assert_noop!(beat(OPERATOR, 99), Error::<Test>::NotOperator);
	});
}

#[test]
fn metrics_are_recorded_and_bounded() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		let bad = HeartbeatMetrics { load_percent: 101, health: Health::Healthy };
		assert_noop!(
			Registry::heartbeat(RuntimeOrigin::signed(OPERATOR), node, bad),
			Error::<Test>::InvalidMetrics
		);
		let metrics = HeartbeatMetrics { load_percent: 70, health: Health::Degraded };
		assert_ok!(Registry::heartbeat(RuntimeOrigin::signed(OPERATOR), node, metrics));
		let info = Registry::node_info(node).unwrap();
		assert_eq!((info.load_percent, info.health), (70, Health::Degraded));
	});
}

#[test]
fn missing_a_whole_window_marks_the_node_offline_without_any_scan() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		assert_ok!(beat(OPERATOR, node));
		advance_ms(WINDOW_MS);
		assert_eq!(Registry::status(node), Some(NodeStatus::Online));
		advance_ms(WINDOW_MS);
		assert_eq!(Registry::status(node), Some(NodeStatus::Offline));
		assert!(!Registry::is_online(node));
		assert_ok!(beat(OPERATOR, node));
		assert_eq!(Registry::status(node), Some(NodeStatus::Online));
	});
}

#[test]
fn governance_sets_the_window_within_bounds() {
	test(|| {
		assert_noop!(
			Registry::set_heartbeat_window(RuntimeOrigin::signed(OWNER), 120_000),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_noop!(
			Registry::set_heartbeat_window(RuntimeOrigin::root(), 59_999),
			Error::<Test>::WindowOutOfBounds
		);
		assert_noop!(
			Registry::set_heartbeat_window(RuntimeOrigin::root(), 3_600_001),
			Error::<Test>::WindowOutOfBounds
		);
		assert_ok!(Registry::set_heartbeat_window(RuntimeOrigin::root(), 120_000));
		assert_eq!(HeartbeatWindowMs::<Test>::get(), 120_000);
	});
}

#[test]
fn a_failing_node_stays_online_but_earns_nothing() {
	test(|| {
		let node = register(OWNER, OPERATOR, 4);
		let failing = HeartbeatMetrics { load_percent: 0, health: Health::Failing };
		assert_ok!(beat(OPERATOR, node));
		let before = Registry::node_info(node).unwrap();
		advance_ms(WINDOW_MS);
		assert_ok!(Registry::heartbeat(RuntimeOrigin::signed(OPERATOR), node, failing));
		// Alive, so Online, but no GPU-seconds, window or reputation for hardware that cannot work.
		assert_eq!(Registry::status(node), Some(NodeStatus::Online));
		let after = Registry::node_info(node).unwrap();
		assert_eq!(after.online_gpu_seconds, 0);
		assert_eq!(after.reputation, before.reputation);
		assert_eq!(Registry::available_gpu_seconds(ChainClock::period_index()), 0);
		// Healthy again: only the window since the failing beat is credited.
		advance_ms(WINDOW_MS);
		assert_ok!(beat(OPERATOR, node));
		assert_eq!(Registry::node_info(node).unwrap().online_gpu_seconds, 4 * WINDOW_MS / 1000);
	});
}

#[test]
fn only_rentable_gpus_earn_capacity() {
	test(|| {
		// One owner's two nodes of 8 H100s: one rents its GPUs out, one only schedules.
		let compute = register(OWNER, OPERATOR, 8);
		let scheduler = NextNodeId::<Test>::get();
		let stake = Registry::required_stake(&h100s(8)).unwrap();
		assert_ok!(Registry::register_node(
			RuntimeOrigin::signed(OWNER),
			NodeKind::Stable,
			NodeRoles { compute: false, verifier: true, scheduler: true },
			h100s(8),
			region("eu-west"),
			2_000_000,
			OTHER_OPERATOR,
			stake,
		));
		for _ in 0..2 {
			assert_ok!(beat(OPERATOR, compute));
			assert_ok!(beat(OTHER_OPERATOR, scheduler));
			advance_ms(WINDOW_MS);
		}
		let (earning, idle) =
			(Registry::node_info(compute).unwrap(), Registry::node_info(scheduler).unwrap());
		assert_eq!(earning.online_gpu_seconds, 8 * WINDOW_MS / 1000);
		// Alive and credited with its window, but no GPU-seconds: no one can rent them.
		assert_eq!(Registry::status(scheduler), Some(NodeStatus::Online));
		assert_eq!(idle.online_gpu_seconds, 0);
		assert_eq!(Registry::available_gpu_seconds(ChainClock::period_index()), 8 * WINDOW_MS / 1000);
	});
}

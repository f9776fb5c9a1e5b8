//! Reputation through the `DeliveryReporter` and heartbeats.

use super::*;
use crate::reputation::{GOLD_FROM, NEUTRAL_SCORE, SILVER_FROM};
use vcity_primitives::{DeliveryOutcome, DeliveryReporter, NodeRegistry, ReputationTier};

#[test]
fn new_nodes_start_neutral_and_bronze() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		let info = Registry::node_info(node).unwrap();
		assert_eq!((info.reputation, info.tier), (NEUTRAL_SCORE, ReputationTier::Bronze));
	});
}

#[test]
fn good_deliveries_raise_failures_lower_and_history_counts_both() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		for _ in 0..40 {
			assert_ok!(Registry::report_delivery(node, DeliveryOutcome::Completed { quality_percent: 100 }));
		}
		let info = Registry::node_info(node).unwrap();
		assert!(info.reputation >= GOLD_FROM, "{}", info.reputation);
		assert_eq!(Registry::reputation_tier(node), Some(ReputationTier::Gold));
		let before = info.reputation;
		assert_ok!(Registry::report_delivery(node, DeliveryOutcome::Failed));
		let info = Registry::node_info(node).unwrap();
		assert!(info.reputation < before);
		assert_eq!((info.tasks_completed, info.tasks_failed), (40, 1));
		assert_eq!(
			Registry::report_delivery(99, DeliveryOutcome::Failed),
			Err(Error::<Test>::UnknownNode.into())
		);
	});
}

#[test]
fn reputation_decays_toward_neutral_when_idle() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		for _ in 0..40 {
			assert_ok!(Registry::report_delivery(node, DeliveryOutcome::Completed { quality_percent: 100 }));
		}
		let high = Registry::node_info(node).unwrap().reputation;
		advance_ms(HALF_LIFE_MS);
		let later = Registry::node_info(node).unwrap().reputation;
		assert_eq!(later - NEUTRAL_SCORE, (high - NEUTRAL_SCORE) / 2);
	});
}

#[test]
fn online_windows_raise_reputation_slowly() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		for _ in 0..10 {
			assert_ok!(beat(OPERATOR, node));
			advance_ms(WINDOW_MS);
		}
		let score = Registry::node_info(node).unwrap().reputation;
		assert!(score > NEUTRAL_SCORE && score < NEUTRAL_SCORE + 100, "{score}");
	});
}

#[test]
fn uptime_alone_never_reaches_silver_and_leaves_earned_tiers_to_decay() {
	test(|| {
		let idle = register(OWNER, OPERATOR, 1);
		// Two months of 10-minute windows, beating every one of them.
		for _ in 0..(60 * 144) {
			assert_ok!(beat(OPERATOR, idle));
			advance_ms(WINDOW_MS);
		}
		let score = Registry::node_info(idle).unwrap().reputation;
		assert!(score < SILVER_FROM && score > NEUTRAL_SCORE + 900, "{score}");
		assert_eq!(Registry::reputation_tier(idle), Some(ReputationTier::Bronze));

		// A node that earned Gold by delivering keeps decaying while it only beats.
		let busy = register(OWNER, 77, 1);
		for _ in 0..60 {
			assert_ok!(Registry::report_delivery(busy, DeliveryOutcome::Completed { quality_percent: 100 }));
		}
		let earned = Registry::node_info(busy).unwrap().reputation;
		assert!(earned >= GOLD_FROM, "{earned}");
		let mut beaten = 0;
		while beaten < HALF_LIFE_MS / WINDOW_MS {
			assert_ok!(beat(77, busy));
			advance_ms(WINDOW_MS);
			beaten += 1;
		}
		let later = Registry::node_info(busy).unwrap().reputation;
		assert_eq!(later - NEUTRAL_SCORE, (earned - NEUTRAL_SCORE) / 2);
	});
}

//! Reputation through the `DeliveryReporter` and heartbeats.

use super::*;
use crate::reputation::{GOLD_FROM, NEUTRAL_SCORE};
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

//! Reputation through the `DeliveryReporter` and heartbeats.

use super::*;
use crate::reputation::{GOLD_FROM, NEUTRAL_SCORE, SILVER_FROM};
use sp_runtime::Perbill;
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
			assert_ok!(Registry::report_delivery(
				node,
				DeliveryOutcome::Completed { quality_percent: 100, weight: Perbill::one() }
			));
		}
		let info = Registry::node_info(node).unwrap();
		assert!(info.reputation >= GOLD_FROM, "{}", info.reputation);
		assert_eq!(Registry::reputation_tier(node), Some(ReputationTier::Gold));
		let before = info.reputation;
		assert_ok!(Registry::report_delivery(node, DeliveryOutcome::Failed));
		let info = Registry::node_info(node).unwrap();
		assert!(info.reputation < before);
		assert_eq!((info.tasks_completed, info.tasks_failed), (40, 1));
		// A node whose record is gone (reaped, or never there) has no reputation to keep: the
		// report is dropped, so the tasks it had a part in still settle, and nothing is written.
		assert_ok!(Registry::report_delivery(99, DeliveryOutcome::Failed));
		assert!(!Nodes::<Test>::contains_key(99));
	});
}

/// A delivery moves the score by what it paid (the market's weight): ten deliveries of a tenth
/// move it about as far as one full one, so Gold takes the same business in any task size.
#[test]
fn a_delivery_moves_the_score_by_its_weight() {
	test(|| {
		let full = register(OWNER, OPERATOR, 1);
		let tenths = register(OTHER_OWNER, OTHER_OPERATOR, 1);
		let five_stars = |weight| DeliveryOutcome::Completed { quality_percent: 100, weight };
		assert_ok!(Registry::report_delivery(full, five_stars(Perbill::one())));
		assert_eq!(Registry::node_info(full).unwrap().reputation, NEUTRAL_SCORE + 250);
		assert_ok!(Registry::report_delivery(tenths, five_stars(Perbill::from_percent(10))));
		assert_eq!(Registry::node_info(tenths).unwrap().reputation, NEUTRAL_SCORE + 25);
		for _ in 1..10 {
			assert_ok!(Registry::report_delivery(tenths, five_stars(Perbill::from_percent(10))));
		}
		let after_ten = Registry::node_info(tenths).unwrap().reputation;
		assert!((NEUTRAL_SCORE + 240..=NEUTRAL_SCORE + 250).contains(&after_ten), "{after_ten}");
		// A weightless delivery counts in the history and moves nothing.
		assert_ok!(Registry::report_delivery(full, five_stars(Perbill::zero())));
		let info = Registry::node_info(full).unwrap();
		assert_eq!((info.reputation, info.tasks_completed), (NEUTRAL_SCORE + 250, 2));
	});
}

#[test]
fn reputation_decays_toward_neutral_when_idle() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		for _ in 0..40 {
			assert_ok!(Registry::report_delivery(
				node,
				DeliveryOutcome::Completed { quality_percent: 100, weight: Perbill::one() }
			));
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
			assert_ok!(Registry::report_delivery(
				busy,
				DeliveryOutcome::Completed { quality_percent: 100, weight: Perbill::one() }
			));
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

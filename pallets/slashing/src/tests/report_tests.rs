//! Reports: cases open, offences join them, fractions follow tier and repeats.

use super::*;
use vcity_primitives::{NodeStatus, OffenceTier, PenaltyStatus, SlashOutcome, USDV};

#[test]
fn a_first_offence_opens_a_case_pending_for_the_window() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		report(node, Offence::UnannouncedDowntime, 1, None);
		let (id, case) = Slashing::pending_case(node).expect("a case opened");
		assert_eq!(case.tier, OffenceTier::Minor);
		assert_eq!(case.fraction, Perbill::from_percent(5));
		assert_eq!(case.execute_at, 1 + DEFERRAL);
		assert_eq!(case.stake_at_open, STAKE_PER_GPU);
		assert!(events().contains(&Event::SlashPending { case: id, node, execute_at: 1 + DEFERRAL }));
		// Nothing moves before the window ends.
		assert_eq!(stake(node), STAKE_PER_GPU);
		run_to(DEFERRAL);
		assert_eq!(stake(node), STAKE_PER_GPU);
		run_to(1 + DEFERRAL);
		assert_eq!(stake(node), STAKE_PER_GPU - STAKE_PER_GPU / 20);
		assert!(Slashing::pending_case(node).is_none());
	});
}

#[test]
fn offences_of_one_incident_are_punished_once_by_the_gravest() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		// A host goes down with two tasks: downtime, then two failed deliveries, one block.
		report(node, Offence::UnannouncedDowntime, 0, None);
		report(node, Offence::FailedDelivery, 1, Some((USER, 10 * USDV)));
		report(node, Offence::FailedDelivery, 2, Some((OTHER_USER, 30 * USDV)));
		let (_, case) = Slashing::pending_case(node).unwrap();
		assert_eq!(
			(case.tier, case.fraction, case.offence_count),
			(OffenceTier::Moderate, Perbill::from_percent(10), 3)
		);
		assert_eq!(case.victims.len(), 2);
		assert_eq!(pallet_slashing::Cases::<Test>::count(), 1);
		run_to(1 + DEFERRAL);
		// 10% once, not 5% + 10% + 10%.
		assert_eq!(stake(node), STAKE_PER_GPU * 9 / 10);
	});
}

#[test]
fn the_fraction_rises_with_slashes_within_the_repeat_window_up_to_the_last() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		let mut fractions = Vec::new();
		for round in 0..6u64 {
			report(node, Offence::FailedDelivery, round, None);
			fractions.push(Slashing::pending_case(node).unwrap().1.fraction);
			run_to(System::block_number() + DEFERRAL);
		}
		let percent: Vec<u32> = fractions.iter().map(|f| f.deconstruct() / 10_000_000).collect();
		assert_eq!(percent, vec![10, 15, 20, 25, 30, 30]);
	});
}

#[test]
fn slashes_older_than_the_repeat_window_and_cancelled_ones_do_not_count() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		report(node, Offence::FailedDelivery, 1, None);
		run_to(1 + DEFERRAL);
		// A cancelled case is no repeat.
		report(node, Offence::FailedDelivery, 2, None);
		let (id, case) = Slashing::pending_case(node).unwrap();
		assert_eq!(case.fraction, Perbill::from_percent(15));
		assert_ok!(Slashing::appeal(RuntimeOrigin::signed(OWNER), id));
		assert_ok!(Slashing::decide_appeal(RuntimeOrigin::root(), id, true));
		report(node, Offence::FailedDelivery, 3, None);
		assert_eq!(Slashing::pending_case(node).unwrap().1.fraction, Perbill::from_percent(15));
		run_to(System::block_number() + DEFERRAL);
		// Past the window, a node starts again from the first fraction.
		run_to(System::block_number() + REPEAT_WINDOW + 1);
		report(node, Offence::FailedDelivery, 4, None);
		assert_eq!(Slashing::pending_case(node).unwrap().1.fraction, Perbill::from_percent(10));
	});
}

#[test]
fn downtime_after_an_executed_slash_is_repeated_downtime() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		report(node, Offence::UnannouncedDowntime, 1, None);
		assert_eq!(Slashing::pending_case(node).unwrap().1.tier, OffenceTier::Minor);
		run_to(1 + DEFERRAL);
		report(node, Offence::UnannouncedDowntime, 2, None);
		let (_, case) = Slashing::pending_case(node).unwrap();
		assert_eq!(case.offences[0].0, Offence::RepeatedDowntime);
		assert_eq!(case.tier, OffenceTier::Moderate);
		// Moderate's range, one repeat in: 15%.
		assert_eq!(case.fraction, Perbill::from_percent(15));
	});
}

#[test]
fn a_severe_offence_suspends_at_once_and_a_moderate_one_stops_rewards() {
	test(|| {
		let minor = register(OWNER, OPERATOR, 1);
		let moderate = register(OTHER_OWNER, OTHER_OPERATOR, 1);
		let severe = register(OWNER, 8, 1);
		report(minor, Offence::VerifierAbsent, 1, None);
		report(moderate, Offence::FailedDelivery, 2, None);
		report(severe, Offence::FakeCapacity, 3, None);
		assert!(!Slashing::rewards_suspended(minor));
		assert!(Slashing::rewards_suspended(moderate));
		assert!(Slashing::rewards_suspended(severe));
		assert_eq!(
			pallet_compute_registry::Pallet::<Test>::status_of(
				severe,
				&pallet_compute_registry::Nodes::<Test>::get(severe).unwrap()
			),
			NodeStatus::Suspended
		);
		assert!(Slashing::pending_case(severe).unwrap().1.suspended);
		assert_ne!(
			pallet_compute_registry::Nodes::<Test>::get(moderate).unwrap().state,
			pallet_compute_registry::NodeState::Suspended { unlock_at: None }
		);
		// Every pending slash keeps the stake where it is.
		assert!([minor, moderate, severe].iter().all(|n| Slashing::slash_pending(*n)));
	});
}

#[test]
fn a_minor_case_joined_by_a_severe_offence_becomes_severe() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		report(node, Offence::UnannouncedDowntime, 1, None);
		report(node, Offence::FalseResult, 2, Some((USER, 10 * USDV)));
		let (_, case) = Slashing::pending_case(node).unwrap();
		assert_eq!((case.tier, case.fraction, case.suspended), (OffenceTier::Severe, Perbill::one(), true));
		run_to(1 + DEFERRAL);
		assert_eq!(stake(node), 0);
		assert!(matches!(
			Slashing::slash_history(node).last().unwrap().outcome,
			SlashOutcome::Executed { banned: true, .. }
		));
		assert_eq!(bans_announced(), vec![node]);
	});
}

#[test]
fn offences_of_unknown_or_banned_nodes_are_dropped_with_an_event() {
	test(|| {
		report(42, Offence::FailedDelivery, 1, None);
		assert!(events().contains(&Event::OffenceDropped {
			node: 42,
			offence: Offence::FailedDelivery,
			reason: DropReason::UnknownNode
		}));
		let node = register(OWNER, OPERATOR, 1);
		report(node, Offence::FakeCapacity, 1, None);
		run_to(1 + DEFERRAL);
		report(node, Offence::FailedDelivery, 2, None);
		assert!(events().contains(&Event::OffenceDropped {
			node,
			offence: Offence::FailedDelivery,
			reason: DropReason::NodeGone
		}));
		assert!(Slashing::pending_case(node).is_none());
	});
}

#[test]
fn the_online_sweep_reports_downtime_only_of_a_node_that_held_committed_work() {
	test(|| {
		let rented = register(OWNER, OPERATOR, 1);
		let idle = register(OTHER_OWNER, OTHER_OPERATOR, 1);
		let metrics = vcity_primitives::HeartbeatMetrics::default();
		assert_ok!(Registry::heartbeat(RuntimeOrigin::signed(OPERATOR), rented, metrics));
		assert_ok!(Registry::heartbeat(RuntimeOrigin::signed(OTHER_OPERATOR), idle, metrics));
		commit_tasks(rented, 2);
		assert!(pallet_compute_registry::OnlineComputeNodes::<Test>::contains_key(rented));
		// Both go quiet for more than a whole window; the sweep finds them.
		let (_, case) =
			run_until_case(rented, 3 * WINDOW_MS / 6_000).expect("downtime with tasks is an offence");
		assert!(matches!(case.offences[0], (Offence::UnannouncedDowntime, OffenceEvidence::Downtime { .. })));
		assert!(!pallet_compute_registry::OnlineComputeNodes::<Test>::contains_key(idle));
		assert!(Slashing::pending_case(idle).is_none(), "an idle node going offline is no offence");
		assert_eq!(pallet_slashing::OffenceLog::<Test>::get(rented).len(), 1);
	});
}

#[test]
fn the_offence_log_and_the_history_keep_the_newest_entries() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		for task in 0..40u64 {
			report(node, Offence::UnannouncedDowntime, task, None);
		}
		let log = pallet_slashing::OffenceLog::<Test>::get(node);
		assert_eq!(log.len() as u32, vcity_primitives::OFFENCE_LOG_LEN);
		assert_eq!(log.last().unwrap().evidence, OffenceEvidence::Task(39));
		let (_, case) = Slashing::pending_case(node).unwrap();
		assert_eq!(case.offence_count, 40);
		assert_eq!(case.offences.len() as u32, vcity_primitives::MAX_CASE_OFFENCES);
	});
}

/// An offence that makes a pending case graver gets a whole pending window of its own, and the
/// owner may appeal again: a severe offence one block before a minor case executes does not
/// take the whole stake unheard.
#[test]
fn a_graver_offence_late_in_a_case_gets_its_own_window_and_appeal() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		report(node, Offence::UnannouncedDowntime, 1, None);
		let (id, _) = Slashing::pending_case(node).unwrap();
		assert_ok!(Slashing::appeal(RuntimeOrigin::signed(OWNER), id));
		assert_ok!(Slashing::decide_appeal(RuntimeOrigin::root(), id, false));
		run_to(DEFERRAL);
		report(node, Offence::FakeCapacity, 2, None);
		let (_, case) = Slashing::pending_case(node).unwrap();
		assert_eq!(case.execute_at, DEFERRAL + DEFERRAL);
		assert_eq!(case.appeal, vcity_primitives::AppealState::None);
		// Its old block passes: the superseded entry changes nothing.
		run_to(1 + DEFERRAL);
		assert_eq!(stake(node), STAKE_PER_GPU);
		assert_ok!(Slashing::appeal(RuntimeOrigin::signed(OWNER), id));
		assert_ok!(Slashing::decide_appeal(RuntimeOrigin::root(), id, true));
		assert_eq!(stake(node), STAKE_PER_GPU);
		// An offence no graver than the case leaves its block where it was.
		report(node, Offence::FailedDelivery, 3, None);
		let (_, case) = Slashing::pending_case(node).unwrap();
		report(node, Offence::UnannouncedDowntime, 4, None);
		assert_eq!(Slashing::pending_case(node).unwrap().1.execute_at, case.execute_at);
	});
}

/// A lapsed appeal's grace has a queue of its own: it executes at the grace's end even when
/// cases opened later, due after it, wait in the window queue.
#[test]
fn a_grace_is_not_held_up_by_cases_queued_after_it() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		let other = register(OTHER_OWNER, OTHER_OPERATOR, 1);
		report(node, Offence::FailedDelivery, 1, None);
		let (id, _) = Slashing::pending_case(node).unwrap();
		assert_ok!(Slashing::appeal(RuntimeOrigin::signed(OWNER), id));
		run_to(DEFERRAL - 5);
		report(other, Offence::FailedDelivery, 2, None);
		run_to(1 + DEFERRAL + GRACE);
		// The grace ended before the other case's window: the first case executed, not the other.
		assert!(Slashing::pending_case(node).is_none());
		assert!(Slashing::pending_case(other).is_some());
	});
}

/// A chain that stalls for longer than a heartbeat window kept every node from beating: the
/// first sweeps after it report no downtime. A node still silent a whole window after the chain
/// came back is reported.
#[test]
fn a_chain_stall_is_no_node_s_downtime() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		assert_ok!(Registry::heartbeat(RuntimeOrigin::signed(OPERATOR), node, Default::default()));
		commit_tasks(node, 1);
		run_to(System::block_number() + 2);
		// No blocks for three windows: the next block's time jumps.
		Timestamp::set_timestamp(ChainClock::now_ms() + 3 * WINDOW_MS);
		run_to(System::block_number() + 5);
		assert!(Slashing::pending_case(node).is_none(), "the stall is not the node's downtime");
		assert!(run_until_case(node, 3 * WINDOW_MS / 6_000).is_some(), "silence after the stall is");
	});
}

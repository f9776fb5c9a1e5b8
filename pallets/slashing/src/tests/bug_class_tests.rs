//! Bugs that hit other staking chains, as tests: each names the invariant that holds.

use super::*;
use frame_support::assert_noop;
use vcity_primitives::{NodeSlashing, SlashOutcome, USDV};

/// Invariant: a cancelled slash leaves the stake, the hold and the free balance exactly as
/// they were, however many offences the case had.
#[test]
fn stake_after_a_cancelled_slash_equals_the_stake_before_it() {
	test(|| {
		let node = register(OWNER, OPERATOR, 3);
		let (stake_before, held_before) = (stake(node), Registry::held_stake_of(&OWNER));
		for task in 0..5 {
			report(node, Offence::FailedDelivery, task, Some((USER, 10 * USDV)));
		}
		let (id, _) = Slashing::pending_case(node).unwrap();
		assert_ok!(Slashing::appeal(RuntimeOrigin::signed(OWNER), id));
		assert_ok!(Slashing::decide_appeal(RuntimeOrigin::root(), id, true));
		run_to(1 + DEFERRAL + GRACE + 1);
		assert_eq!((stake(node), Registry::held_stake_of(&OWNER)), (stake_before, held_before));
		assert_eq!(free(USER), 0);
	});
}

/// A node that went offline with rented GPUs is slashed all the same: the slash takes held
/// stake and needs nothing of the node.
#[test]
fn a_node_slashed_while_offline_and_rented() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		assert_ok!(Registry::heartbeat(RuntimeOrigin::signed(OPERATOR), node, Default::default()));
		commit_tasks(node, 1);
		let (_, case) = run_until_case(node, 3 * WINDOW_MS / 6_000).expect("downtime reported");
		report(node, Offence::FailedDelivery, 7, Some((USER, 10 * USDV)));
		run_to(case.execute_at);
		assert_eq!(stake(node), STAKE_PER_GPU * 9 / 10);
		assert_eq!(free(USER), 1_000 * VCAI);
	});
}

/// Two offences in one block of two different nodes, and two of one node: each node has one
/// case; nothing is taken twice.
#[test]
fn two_offences_in_one_block() {
	test(|| {
		let a = register(OWNER, OPERATOR, 1);
		let b = register(OTHER_OWNER, OTHER_OPERATOR, 1);
		report(a, Offence::FailedDelivery, 1, None);
		report(a, Offence::FailedDelivery, 2, None);
		report(b, Offence::UnannouncedDowntime, 3, None);
		assert_eq!(pallet_slashing::Cases::<Test>::count(), 2);
		run_to(1 + DEFERRAL);
		assert_eq!((stake(a), stake(b)), (STAKE_PER_GPU * 9 / 10, STAKE_PER_GPU * 19 / 20));
	});
}

/// Invariant: deregistering cancels nothing; the stake in unbonding stays slashable and
/// cannot be withdrawn while a slash is pending.
#[test]
fn a_slash_pending_when_the_node_deregisters() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		report(node, Offence::FailedDelivery, 1, None);
		assert_ok!(Registry::deregister(RuntimeOrigin::signed(OWNER), node));
		run_to(DEFERRAL);
		assert!(Slashing::pending_case(node).is_some());
		run_to(1 + DEFERRAL);
		assert_eq!(stake(node), STAKE_PER_GPU * 9 / 10);
		// A second offence late in the unbonding opens a new case, which holds the stake again.
		run_to(UNBONDING_BLOCKS - 10);
		report(node, Offence::FailedDelivery, 2, None);
		run_to(1 + UNBONDING_BLOCKS);
		assert_noop!(
			Registry::withdraw_unbonded(RuntimeOrigin::signed(OWNER), node),
			pallet_compute_registry::Error::<Test>::SlashPending
		);
		let (_, case) = Slashing::pending_case(node).unwrap();
		run_to(case.execute_at);
		let left = stake(node);
		assert_eq!(left, STAKE_PER_GPU * 9 / 10 * 85 / 100);
		let free_before = free(OWNER);
		assert_ok!(Registry::withdraw_unbonded(RuntimeOrigin::signed(OWNER), node));
		assert_eq!(free(OWNER), free_before + left);
	});
}

/// Invariant: stake bonded while a slash is pending is not at risk from it.
#[test]
fn a_slash_pending_when_the_node_tops_up() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		report(node, Offence::FailedDelivery, 1, None);
		assert_ok!(Registry::bond_extra(RuntimeOrigin::signed(OWNER), node, 90_000 * VCAI));
		run_to(1 + DEFERRAL);
		assert_eq!(stake(node), 100_000 * VCAI - STAKE_PER_GPU / 10);
	});
}

/// Invariant: a new stake schedule moves what a node must hold, never what a pending slash
/// takes.
#[test]
fn a_slash_pending_when_the_stake_schedule_changes() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		report(node, Offence::FailedDelivery, 1, None);
		assert_ok!(Registry::set_stake_multiplier(RuntimeOrigin::root(), FixedU128::from_u32(3)));
		run_to(1 + DEFERRAL);
		assert_eq!(stake(node), STAKE_PER_GPU * 9 / 10);
	});
}

/// Invariant: a slash never takes more than the stake the registry holds, and the registry's
/// record and hold fall together.
#[test]
fn a_slash_larger_than_the_remaining_stake() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		let treasury = free(TREASURY);
		assert_eq!(Registry::slash(node, 10 * STAKE_PER_GPU, &TREASURY), Ok(STAKE_PER_GPU));
		assert_eq!((stake(node), Registry::held_stake_of(&OWNER)), (0, 0));
		assert_eq!(free(TREASURY) - treasury, STAKE_PER_GPU);
		// A case whose snapshot exceeds what is left takes its fraction of what is left.
		let other = register(OTHER_OWNER, OTHER_OPERATOR, 2);
		report(other, Offence::FailedDelivery, 1, None);
		assert_ok!(Registry::slash(other, STAKE_PER_GPU, &TREASURY));
		run_to(1 + DEFERRAL);
		assert_eq!(stake(other), STAKE_PER_GPU * 9 / 10);
		assert!(matches!(
			Slashing::slash_history(other).last().unwrap().outcome,
			SlashOutcome::Executed { slashed, .. } if slashed == STAKE_PER_GPU / 10
		));
	});
}

/// Invariant: a user with no VCAI and no USDV left is compensated (the transfer creates the
/// account); one whose share is below the existential deposit loses nothing to it either: the
/// treasury takes it and no VCAI vanishes.
#[test]
fn compensation_to_a_user_who_no_longer_holds_anything() {
	test(|| {
		let node = register(OWNER, OPERATOR, 2);
		const GONE: AccountId = 77;
		const DUST: AccountId = 78;
		assert_eq!((free(GONE), free(DUST)), (0, 0));
		report(node, Offence::FailedDelivery, 1, Some((GONE, 10 * USDV)));
		// Worth 0.005 VCAI, below the 0.01 VCAI existential deposit.
		report(node, Offence::FailedDelivery, 2, Some((DUST, 50)));
		let treasury = free(TREASURY);
		run_to(1 + DEFERRAL);
		assert_eq!(free(GONE), 1_000 * VCAI);
		assert_eq!(free(DUST), 0);
		assert_eq!(free(TREASURY) - treasury, 2 * STAKE_PER_GPU / 10 - 1_000 * VCAI);
	});
}

/// A banned node keeps its record and the record's deposit: the ban is the record's history.
#[test]
fn a_ban_leaves_the_record_and_frees_the_operator_key() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		report(node, Offence::VerifierTampering, 1, None);
		run_to(1 + DEFERRAL);
		assert!(pallet_compute_registry::Nodes::<Test>::get(node).is_some());
		assert_eq!(pallet_compute_registry::NodeOfOperator::<Test>::get(OPERATOR), None);
		assert_noop!(
			Registry::reap_node(RuntimeOrigin::signed(OWNER), node),
			pallet_compute_registry::Error::<Test>::NodeNotExited
		);
	});
}

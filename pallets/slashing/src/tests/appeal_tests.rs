//! Appeals: once, by the owner, with a deposit; upheld cancels, rejected executes.

use super::*;
use frame_support::assert_noop;
use vcity_primitives::{AppealState, NodeStatus, SlashOutcome, USDV};

fn status(node: NodeId) -> NodeStatus {
	let record = pallet_compute_registry::Nodes::<Test>::get(node).unwrap();
	pallet_compute_registry::Pallet::<Test>::status_of(node, &record)
}

#[test]
fn an_upheld_appeal_cancels_the_slash_returns_the_deposit_and_resumes_the_node() {
	test(|| {
		let node = register(OWNER, OPERATOR, 2);
		let stake_before = stake(node);
		let free_before = free(OWNER);
		report(node, Offence::FakeCapacity, 1, Some((USER, 10 * USDV)));
		assert_eq!(status(node), NodeStatus::Suspended);
		let (id, _) = Slashing::pending_case(node).unwrap();
		assert_ok!(Slashing::appeal(RuntimeOrigin::signed(OWNER), id));
		assert_eq!(free(OWNER), free_before - APPEAL_DEPOSIT);
		assert_ok!(Slashing::decide_appeal(RuntimeOrigin::root(), id, true));
		// The stake after a cancelled slash is the stake before it, and the deposit is back.
		assert_eq!(stake(node), stake_before);
		assert_eq!(free(OWNER), free_before);
		assert_ne!(status(node), NodeStatus::Suspended);
		assert!(!<Slashing as vcity_primitives::PenaltyStatus>::slash_pending(node));
		assert_eq!(Slashing::slash_history(node).last().unwrap().outcome, SlashOutcome::Cancelled);
		// Its block comes and nothing happens.
		run_to(1 + DEFERRAL + GRACE);
		assert_eq!(stake(node), stake_before);
	});
}

#[test]
fn a_rejected_appeal_sends_the_deposit_to_the_treasury_and_the_slash_executes_at_the_window_end() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		report(node, Offence::FailedDelivery, 1, None);
		let (id, _) = Slashing::pending_case(node).unwrap();
		let treasury_before = free(TREASURY);
		assert_ok!(Slashing::appeal(RuntimeOrigin::signed(OWNER), id));
		assert_ok!(Slashing::decide_appeal(RuntimeOrigin::root(), id, false));
		assert_eq!(free(TREASURY), treasury_before + APPEAL_DEPOSIT);
		assert_eq!(Slashing::pending_case(node).unwrap().1.appeal, AppealState::Rejected);
		assert_eq!(stake(node), STAKE_PER_GPU);
		run_to(1 + DEFERRAL);
		assert_eq!(stake(node), STAKE_PER_GPU * 9 / 10);
		assert_eq!(free(TREASURY), treasury_before + APPEAL_DEPOSIT + STAKE_PER_GPU / 10);
	});
}

#[test]
fn an_appeal_pending_at_the_window_end_waits_the_grace_then_the_slash_executes_and_the_deposit_returns() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		report(node, Offence::FailedDelivery, 1, None);
		let (id, _) = Slashing::pending_case(node).unwrap();
		let free_before = free(OWNER);
		assert_ok!(Slashing::appeal(RuntimeOrigin::signed(OWNER), id));
		run_to(1 + DEFERRAL);
		assert!(
			events().contains(&Event::SlashDeferredForAppeal { case: id, execute_at: 1 + DEFERRAL + GRACE })
		);
		assert_eq!(stake(node), STAKE_PER_GPU);
		run_to(1 + DEFERRAL + GRACE);
		// Nobody decided: the slash executes, and silence is no rejection.
		assert_eq!(stake(node), STAKE_PER_GPU * 9 / 10);
		assert_eq!(free(OWNER), free_before);
		assert!(events().contains(&Event::AppealLapsed { case: id, node }));
	});
}

#[test]
fn a_rejection_during_the_grace_executes_at_once() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		report(node, Offence::FailedDelivery, 1, None);
		let (id, _) = Slashing::pending_case(node).unwrap();
		assert_ok!(Slashing::appeal(RuntimeOrigin::signed(OWNER), id));
		run_to(1 + DEFERRAL + 1);
		assert_eq!(stake(node), STAKE_PER_GPU);
		assert_ok!(Slashing::decide_appeal(RuntimeOrigin::root(), id, false));
		assert_eq!(stake(node), STAKE_PER_GPU * 9 / 10);
		assert!(Slashing::pending_case(node).is_none());
		// The grace's block finds nothing left to do.
		run_to(1 + DEFERRAL + GRACE);
		assert_eq!(stake(node), STAKE_PER_GPU * 9 / 10);
	});
}

#[test]
fn only_the_owner_appeals_once_with_the_deposit_and_only_the_appeal_origin_decides() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		report(node, Offence::FailedDelivery, 1, None);
		let (id, _) = Slashing::pending_case(node).unwrap();
		assert_noop!(Slashing::appeal(RuntimeOrigin::signed(OPERATOR), id), Error::<Test>::NotNodeOwner);
		assert_noop!(Slashing::appeal(RuntimeOrigin::signed(OWNER), id + 1), Error::<Test>::UnknownCase);
		assert_noop!(
			Slashing::decide_appeal(RuntimeOrigin::root(), id, true),
			Error::<Test>::NoPendingAppeal
		);
		assert_ok!(Slashing::appeal(RuntimeOrigin::signed(OWNER), id));
		assert_noop!(Slashing::appeal(RuntimeOrigin::signed(OWNER), id), Error::<Test>::AlreadyAppealed);
		assert_noop!(
			Slashing::decide_appeal(RuntimeOrigin::signed(OWNER), id, true),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_ok!(Slashing::decide_appeal(RuntimeOrigin::root(), id, false));
		assert_noop!(Slashing::appeal(RuntimeOrigin::signed(OWNER), id), Error::<Test>::AlreadyAppealed);
	});
}

#[test]
fn an_owner_who_cannot_hold_the_deposit_cannot_appeal() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		report(node, Offence::FailedDelivery, 1, None);
		let (id, _) = Slashing::pending_case(node).unwrap();
		let keep = APPEAL_DEPOSIT / 2;
		let spare = free(OWNER) - keep;
		assert_ok!(<Balances as frame_support::traits::fungible::Mutate<_>>::transfer(
			&OWNER,
			&OTHER_USER,
			spare,
			frame_support::traits::tokens::Preservation::Preserve
		));
		assert_noop!(Slashing::appeal(RuntimeOrigin::signed(OWNER), id), Error::<Test>::InsufficientBalance);
	});
}

#[test]
fn offences_that_join_an_appealed_case_are_decided_with_it() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		report(node, Offence::UnannouncedDowntime, 1, None);
		let (id, _) = Slashing::pending_case(node).unwrap();
		assert_ok!(Slashing::appeal(RuntimeOrigin::signed(OWNER), id));
		report(node, Offence::FailedDelivery, 2, None);
		let (joined, case) = Slashing::pending_case(node).unwrap();
		assert_eq!((joined, case.offence_count, case.fraction), (id, 2, Perbill::from_percent(10)));
		assert_ok!(Slashing::decide_appeal(RuntimeOrigin::root(), id, false));
		run_to(1 + DEFERRAL);
		assert_eq!(stake(node), STAKE_PER_GPU * 9 / 10);
	});
}

/// An appeal comes within the pending window; one lodged later would hold a due case that
/// the hook has not reached yet (or whose execution failed) until someone decided it.
#[test]
fn an_appeal_after_the_window_is_refused() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		report(node, Offence::FailedDelivery, 1, None);
		let (id, case) = Slashing::pending_case(node).unwrap();
		// The case's block passed without its hook (as when more cases fell due before it).
		System::set_block_number(case.execute_at);
		assert_noop!(Slashing::appeal(RuntimeOrigin::signed(OWNER), id), Error::<Test>::AppealWindowClosed);
		assert_ok!(Slashing::execute_slash(RuntimeOrigin::signed(USER), id));
		assert_eq!(stake(node), STAKE_PER_GPU * 9 / 10);
	});
}

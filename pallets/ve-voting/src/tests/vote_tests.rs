//! Votes: weighed in the snapshot, one per account, changeable until the decision.

use super::*;
use crate::{Error, Event, VoteOf};
use frame_support::assert_noop;
use sp_runtime::Perbill;
use vcity_primitives::MAJORITY_APPROVAL;

/// Alice and Bob locked on day 0; a poll submitted on day 1 reads day 1's snapshot.
fn two_lockers_and_a_poll() -> PollIndex {
	lock(ALICE, 100 * VCAI, 100);
	lock(BOB, 25 * VCAI, 100);
	go_to_day(1);
	submit(0)
}

#[test]
fn a_vote_counts_the_voters_weight_in_the_snapshot() {
	test(|| {
		let poll = two_lockers_and_a_poll();
		let alice = slope(100 * VCAI) * 99;
		let bob = slope(25 * VCAI) * 99;
		assert_eq!(tally(poll).snapshot_day, 1);
		assert_eq!(tally(poll).electorate, alice + bob);
		assert_ok!(vote(ALICE, poll, VoteChoice::Aye));
		System::assert_last_event(
			Event::Voted { who: ALICE, poll, choice: VoteChoice::Aye, weight: alice }.into(),
		);
		assert_ok!(vote(BOB, poll, VoteChoice::Nay));
		let t = tally(poll);
		assert_eq!((t.ayes, t.nays, t.abstains, t.voters), (alice, bob, 0, 2));
		// Square-root weighting: four times the VCAI, twice the weight.
		assert_eq!(alice, 2 * bob);
		assert_eq!(t.approval_ratio(), Perbill::from_rational(2u32, 3));
		assert_eq!(t.support_ratio(), Perbill::one());
	});
}

#[test]
fn a_lock_made_after_the_snapshot_buys_nothing() {
	test(|| {
		let poll = two_lockers_and_a_poll();
		let alice = slope(100 * VCAI) * 99;
		// Charlie locks once the proposal is known, and a whale's worth.
		lock(CHARLIE, 500_000_000 * VCAI, 1_400);
		assert_noop!(vote(CHARLIE, poll, VoteChoice::Aye), Error::<Test>::NoWeight);
		// Alice adds to her lock: her vote still weighs what she had when the day began.
		assert_ok!(VeVcai::increase_amount(RuntimeOrigin::signed(ALICE), 900 * VCAI));
		assert_ok!(vote(ALICE, poll, VoteChoice::Aye));
		assert_eq!(tally(poll).ayes, alice);
		// Days later the lock is in the new snapshots, but not in this poll's.
		go_to_day(5);
		assert!(VeVcai::current_weight(&CHARLIE) > 0);
		assert_noop!(vote(CHARLIE, poll, VoteChoice::Aye), Error::<Test>::NoWeight);
		// A poll submitted now reads the new snapshot, where Charlie outweighs everyone.
		let later = submit(0);
		assert_ok!(vote(CHARLIE, later, VoteChoice::Aye));
		assert!(tally(later).ayes > tally(later).electorate / 2);
	});
}

#[test]
fn voting_again_replaces_the_vote_and_removing_it_takes_it_out() {
	test(|| {
		let poll = two_lockers_and_a_poll();
		let alice = slope(100 * VCAI) * 99;
		assert_ok!(vote(ALICE, poll, VoteChoice::Aye));
		assert_ok!(vote(ALICE, poll, VoteChoice::Nay));
		let t = tally(poll);
		assert_eq!((t.ayes, t.nays, t.voters), (0, alice, 1));
		assert_ok!(vote(ALICE, poll, VoteChoice::Abstain));
		let t = tally(poll);
		assert_eq!((t.ayes, t.nays, t.abstains, t.voters), (0, 0, alice, 1));
		// Abstaining counts towards the turnout, for neither side.
		assert_eq!(t.approval_ratio(), Perbill::zero());
		assert_eq!(t.support_ratio(), Perbill::from_rational(alice, t.electorate));
		assert_ok!(VeVoting::remove_vote(RuntimeOrigin::signed(ALICE), poll));
		System::assert_last_event(Event::VoteRemoved { who: ALICE, poll }.into());
		let t = tally(poll);
		assert_eq!((t.ayes, t.nays, t.abstains, t.voters), (0, 0, 0, 0));
		assert_noop!(VeVoting::remove_vote(RuntimeOrigin::signed(ALICE), poll), Error::<Test>::NoVote);
	});
}

#[test]
fn a_decided_poll_takes_no_votes_and_keeps_its_tally() {
	test(|| {
		let poll = two_lockers_and_a_poll();
		assert_ok!(vote(ALICE, poll, VoteChoice::Aye));
		decide(poll, true);
		assert_noop!(vote(BOB, poll, VoteChoice::Nay), Error::<Test>::NotOngoing);
		assert_noop!(vote(BOB, 99, VoteChoice::Nay), Error::<Test>::NotOngoing);
		// Alice may clear her record; the decision stands.
		assert_ok!(VeVoting::remove_vote(RuntimeOrigin::signed(ALICE), poll));
		assert!(VoteOf::<Test>::get(poll, ALICE).is_none());
		assert_eq!(Polls::get().get(&poll), Some(&TestPollState::Completed(System::block_number(), true)));
	});
}

#[test]
fn anyone_clears_a_decided_polls_votes_in_steps() {
	test(|| {
		for who in 10..20 {
			lock(who, VCAI, 50);
		}
		go_to_day(1);
		let poll = submit(1);
		for who in 10..20 {
			assert_ok!(vote(who, poll, VoteChoice::Aye));
		}
		let clean = |max| VeVoting::cleanup_poll(RuntimeOrigin::signed(DAVE), poll, max);
		assert_noop!(clean(100), Error::<Test>::PollOngoing);
		decide(poll, false);
		assert_ok!(clean(6));
		System::assert_last_event(Event::PollCleaned { poll, removed: 6, more: true }.into());
		assert_ok!(clean(6));
		System::assert_last_event(Event::PollCleaned { poll, removed: 4, more: false }.into());
		assert_eq!(VoteOf::<Test>::iter_prefix(poll).count(), 0);
	});
}

#[test]
fn a_history_too_short_for_the_snapshot_is_named() {
	test(|| {
		lock(ALICE, 100 * VCAI, 400);
		go_to_day(1);
		let poll = submit(0);
		// Each day's change is a checkpoint; four are kept, so the snapshot's falls out.
		for day in 2..=6 {
			go_to_day(day);
			assert_ok!(VeVcai::increase_amount(RuntimeOrigin::signed(ALICE), VCAI));
		}
		go_to_day(7);
		assert_noop!(vote(ALICE, poll, VoteChoice::Aye), Error::<Test>::SnapshotUnavailable);
	});
}

#[test]
fn more_aye_than_nay_weight_passes_and_a_tie_does_not() {
	let tally_of = |ayes, nays| {
		let mut t = VeTally::<Test>::from_parts(0, u128::MAX / 4);
		t.add(VoteChoice::Aye, ayes);
		t.add(VoteChoice::Nay, nays);
		t
	};
	// One unit in 10^30 more aye than nay: rounding would call it 50%, the rule does not.
	let big = 10u128.pow(30);
	assert!(tally_of(big + 1, big).approval_ratio() >= MAJORITY_APPROVAL);
	assert!(tally_of(big, big).approval_ratio() < MAJORITY_APPROVAL);
	assert!(tally_of(big, big + 1).approval_ratio() < MAJORITY_APPROVAL);
	assert_eq!(tally_of(3, 1).approval_ratio(), Perbill::from_percent(75));
	assert_eq!(tally_of(0, 0).approval_ratio(), Perbill::zero());
	// An empty snapshot supports nothing.
	let mut empty = VeTally::<Test>::from_parts(0, 0);
	assert_eq!(empty.support_ratio(), Perbill::zero());
	empty.add(VoteChoice::Aye, 0);
	assert_eq!(empty.support_ratio(), Perbill::zero());
}

#[test]
fn no_lock_no_vote() {
	test(|| {
		let poll = two_lockers_and_a_poll();
		assert_noop!(vote(DAVE, poll, VoteChoice::Abstain), Error::<Test>::NoWeight);
		assert_noop!(
			VeVoting::vote(RuntimeOrigin::none(), poll, VoteChoice::Aye),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}

//! The distributor: drops shared by each day's start-of-day weights, carried over empty days,
//! claimed in O(1), whatever the order or the gaps.

use super::*;
use frame_support::assert_noop;

/// Every payout rounds down, so a share that is a whole number of base units can come out one
/// short (the accumulators hold it as a hair less than exact), never over.
fn assert_share(got: Balance, exact: Balance) {
	assert!(got <= exact && got + 1 >= exact, "paid {got}, exact share {exact}");
}

fn claim(who: AccountId) -> Balance {
	let before = free(who);
	let result = VeVcai::claim(RuntimeOrigin::signed(who));
	assert_eq!(result, Ok(()), "claim of {who}");
	free(who) - before
}

#[test]
fn a_day_drop_is_shared_by_that_day_weights() {
	test(|| {
		// Slopes 1,000 and 3,000 ending together: weights 1 : 3 on every day.
		lock(ALICE, 1, 10);
		lock(BOB, 9, 10);
		go_to_day(1);
		drop_vcai(4_000);
		assert_eq!(VeVcai::pending_rewards(&ALICE), 0, "the day has not closed");
		go_to_day(2);
		assert_share(VeVcai::pending_rewards(&ALICE), 1_000);
		assert_share(VeVcai::pending_rewards(&BOB), 3_000);
		let paid = claim(ALICE) + claim(BOB);
		let ledger = DistributorTotals::<Test>::get();
		assert_eq!((ledger.dropped, ledger.distributed, ledger.claimed), (4_000, 4_000, paid));
		// What rounding kept back stays in the distributor, with its existential deposit.
		assert_eq!(free(VeVcai::distributor_account()), EXISTENTIAL_DEPOSIT + 4_000 - paid);
	});
}

#[test]
fn longer_locks_earn_more_in_proportion_to_their_days_left() {
	test(|| {
		lock(ALICE, 100 * VCAI, 5);
		lock(BOB, 100 * VCAI, 9);
		go_to_day(1);
		// Day 1: weights s·4 and s·8.
		drop_vcai(12 * VCAI);
		go_to_day(2);
		assert_share(claim(ALICE), 4 * VCAI);
		assert_share(claim(BOB), 8 * VCAI);
	});
}

#[test]
fn a_lock_made_on_a_day_does_not_share_that_day_drop() {
	test(|| {
		lock(ALICE, VCAI, 50);
		set_day(1);
		// BOB's lock is the call that closes day 0: in the very block that takes day 1's
		// snapshot, it still stays out of day 1's shares.
		lock(BOB, 1_000 * VCAI, 50);
		drop_vcai(1_000);
		go_to_day(2);
		assert_share(VeVcai::pending_rewards(&ALICE), 1_000);
		assert_eq!(VeVcai::pending_rewards(&BOB), 0);
		assert_noop!(VeVcai::claim(RuntimeOrigin::signed(BOB)), Error::<Test>::NothingToClaim);
	});
}

#[test]
fn a_day_without_weight_carries_its_drop_to_the_next() {
	test(|| {
		go_to_day(1);
		drop_vcai(500);
		go_to_day(2);
		assert!(events().contains(&Event::DropCarried { day: 1, amount: 500 }));
		assert_eq!(PendingDrop::<Test>::get(), 500);
		lock(ALICE, VCAI, 10);
		drop_vcai(100);
		// Day 2's snapshot had no weight either: carried again.
		go_to_day(3);
		drop_vcai(400);
		go_to_day(4);
		assert_share(claim(ALICE), 1_000);
		assert_eq!(DistributorTotals::<Test>::get().distributed, 1_000);
	});
}

#[test]
fn rewards_stop_at_the_unlock_day_and_survive_the_withdrawal() {
	test(|| {
		lock(ALICE, VCAI, 3);
		lock(BOB, VCAI, 100);
		for day in 1..=5 {
			go_to_day(day);
			drop_vcai(1_000_000);
		}
		go_to_day(6);
		assert_ok!(VeVcai::withdraw(RuntimeOrigin::signed(ALICE)));
		// Day 1: weights 2 : 99; day 2: 1 : 98; from day 3 ALICE has none.
		let alice = VeVcai::pending_rewards(&ALICE);
		assert!(
			alice <= 1_000_000 * 2 / 101 + 1_000_000 / 99
				&& alice + 2 >= 1_000_000 * 2 / 101 + 1_000_000 / 99
		);
		go_to_day(9);
		assert_eq!(claim(ALICE), alice);
		assert_noop!(VeVcai::claim(RuntimeOrigin::signed(ALICE)), Error::<Test>::NothingToClaim);
		let bob = claim(BOB);
		assert!(bob + alice <= 5_000_000 && bob + alice >= 5_000_000 - 2, "{bob} + {alice}");
	});
}

#[test]
fn claims_are_idempotent_and_do_not_depend_on_their_order() {
	let payouts = |alice_first: bool| {
		let mut paid = (0, 0);
		test(|| {
			lock(ALICE, 3 * VCAI, 40);
			lock(BOB, 5 * VCAI, 20);
			for day in 1..=25 {
				go_to_day(day);
				drop_vcai(1_000_003 * u128::from(day));
			}
			if alice_first {
				paid.0 = claim(ALICE);
				paid.1 = claim(BOB);
			} else {
				paid.1 = claim(BOB);
				paid.0 = claim(ALICE);
			}
			let before = (free(ALICE), free(BOB));
			assert_noop!(VeVcai::claim(RuntimeOrigin::signed(ALICE)), Error::<Test>::NothingToClaim);
			assert_noop!(VeVcai::claim(RuntimeOrigin::signed(BOB)), Error::<Test>::NothingToClaim);
			assert_eq!((free(ALICE), free(BOB)), before);
		});
		paid
	};
	assert_eq!(payouts(true), payouts(false));
}

#[test]
fn claiming_every_day_or_once_differs_only_by_the_rounding_of_each_claim() {
	let run = |daily: bool| {
		let mut paid = 0;
		test(|| {
			lock(ALICE, 3 * VCAI, 40);
			lock(BOB, 5 * VCAI, 30);
			for day in 1..=30 {
				go_to_day(day);
				drop_vcai(1_000_003);
				if daily && day > 1 {
					paid += claim(ALICE);
				}
			}
			go_to_day(31);
			paid += claim(ALICE);
		});
		paid
	};
	let (daily, once) = (run(true), run(false));
	assert!(daily <= once && once - daily <= 30, "daily {daily}, once {once}");
}

/// Runs the same history twice: once a block every day, once with a stall of `gap` days that
/// the hook closes a few days per block. Storage and rewards must come out the same.
#[test]
fn catching_up_skipped_days_equals_closing_them_one_by_one() {
	let gap = 3 * MAX_CATCH_UP_DAYS + 1;
	let run = |stall: bool| {
		let mut state = Vec::new();
		test(|| {
			lock(ALICE, 3 * VCAI, 10);
			lock(BOB, 5 * VCAI, 40);
			go_to_day(1);
			drop_vcai(7_777);
			if stall {
				go_to_day(1 + gap);
			} else {
				for day in 2..=1 + gap {
					go_to_day(day);
				}
			}
			for day in 0..=1 + gap {
				state.push((TotalWeightAt::<Test>::get(day), Accumulators::<Test>::get(day)));
			}
			state.push((Global::<Test>::get().bias, Default::default()));
			state.push((VeVcai::pending_rewards(&ALICE), Default::default()));
			state.push((VeVcai::pending_rewards(&BOB), Default::default()));
		});
		state
	};
	assert_eq!(run(true), run(false));
}

#[test]
fn drops_refuse_nothing_and_more_than_the_balance() {
	test(|| {
		assert_noop!(VeVcai::drop_rewards(RuntimeOrigin::signed(TREASURY), 0), Error::<Test>::ZeroAmount);
		assert_noop!(
			VeVcai::drop_rewards(RuntimeOrigin::signed(TREASURY), FUNDS + 1),
			sp_runtime::TokenError::FundsUnavailable
		);
		assert_noop!(VeVcai::claim(RuntimeOrigin::signed(DAVE)), Error::<Test>::NothingToClaim);
	});
}

#[test]
fn extremes_one_unit_and_ten_billion_vcai_full_locks_tiny_and_huge_drops() {
	test(|| {
		let max = vcity_primitives::VE_MAX_LOCK_DAYS;
		lock(ALICE, 1, max);
		lock(WHALE, FUNDS, max);
		go_to_day(1);
		// One base unit: all of it is the whale's share, rounded down to nothing for ALICE.
		drop_vcai(1);
		go_to_day(2);
		// The huge drop: the rest of the treasury, a billion VCAI.
		let huge = 1_000_000_000 * VCAI;
		drop_vcai(huge);
		go_to_day(max);
		let (s_alice, s_whale) = (slope(1), slope(FUNDS));
		// Exact shares of day 2 (weights s·(max − 2) on both sides cancel the days).
		let alice_exact = huge * s_alice / (s_alice + s_whale);
		let alice = claim(ALICE);
		let whale = claim(WHALE);
		assert!(alice <= alice_exact && alice + 1 >= alice_exact, "{alice} vs {alice_exact}");
		assert!(whale <= huge + 1 - alice && whale + 3 >= huge + 1 - alice, "{whale}");
		assert_ok!(VeVcai::withdraw(RuntimeOrigin::signed(ALICE)));
		assert_ok!(VeVcai::withdraw(RuntimeOrigin::signed(WHALE)));
	});
}

/// The buyback's way in: the same drop as the call, refused while a stall is being caught up.
#[test]
fn the_buyback_drops_through_the_trait_and_retries_after_a_stall() {
	use vcity_primitives::LockerRewards;
	test(|| {
		lock(ALICE, VCAI, 50);
		go_to_day(1);
		assert_ok!(<VeVcai as LockerRewards<_, _>>::drop_rewards(&TREASURY, 5_000));
		set_day(1 + 2 * MAX_CATCH_UP_DAYS);
		let before = free(TREASURY);
		assert_eq!(
			frame_support::storage::with_storage_layer(|| <VeVcai as LockerRewards<_, _>>::drop_rewards(
				&TREASURY, 1
			)),
			Err(Error::<Test>::CatchingUp.into())
		);
		assert_eq!(free(TREASURY), before, "the caller keeps its VCAI");
		go_to_day(1 + 2 * MAX_CATCH_UP_DAYS);
		assert_share(claim(ALICE), 5_000);
	});
}

//! The release schedule: exactly the pool over 522 weeks, whatever the period length and however
//! governance changes it; releases are transfers, so issuance never moves.

use super::*;
use crate::schedule::{released, released_between};
use frame_system::RawOrigin;

const T: Moment = INCENTIVE_SCHEDULE_MS;

#[test]
fn the_schedule_is_linear_and_ends_at_the_pool() {
	assert_eq!(released(INCENTIVE_POOL, 0, T), 0);
	assert_eq!(released(INCENTIVE_POOL, T, T), INCENTIVE_POOL);
	assert_eq!(released(INCENTIVE_POOL, 10 * T, T), INCENTIVE_POOL);
	// One week: a fixed 3,831,417 VCAI and the fraction it drops.
	let week = released(INCENTIVE_POOL, WEEK_MS, T);
	assert_eq!(week / VCAI, 3_831_417);
	assert_eq!(week, INCENTIVE_POOL / 522, "a week is exactly 1/522 of the pool, rounded down");
	// 522 fixed weeks of 3,831,417 VCAI leave 326 VCAI unreleased; the schedule does not.
	assert_eq!(INCENTIVE_POOL - 522 * 3_831_417 * VCAI, 326 * VCAI);
	assert_eq!(
		released_between(INCENTIVE_POOL, T - WEEK_MS, T, T) + released(INCENTIVE_POOL, T - WEEK_MS, T),
		INCENTIVE_POOL
	);
}

/// Runs periods until the schedule has ended and every period is closed, checking issuance and
/// the pool's books after each; returns the number of periods closed.
fn run_out_the_schedule(mut before_each: impl FnMut(PeriodIndex)) -> u32 {
	let issuance = Balances::total_issuance();
	let end = START_MS + T;
	let mut closed = 0;
	while Rewards::released_total() < INCENTIVE_POOL {
		before_each(OpenPeriod::<Test>::get());
		close_period();
		closed += 1;
		assert_eq!(Balances::total_issuance(), issuance, "a release minted or burnt VCAI");
		assert_eq!(balance(pool()), INCENTIVE_POOL - Rewards::released_total());
		assert!(now() <= end + 4 * WEEK_MS, "the schedule ran past its end");
	}
	closed
}

fn released_by_the_periods() -> Balance {
	Periods::<Test>::iter_values().map(|r| r.released).sum()
}

#[test]
fn weekly_periods_release_the_pool_exactly_in_522_periods() {
	test(|| {
		let periods = run_out_the_schedule(|_| {});
		assert_eq!(periods, 522);
		assert_eq!(released_by_the_periods(), INCENTIVE_POOL);
		assert_eq!(balance(pool()), 0);
		// Nothing was earned: all of it waits in the pot for the next period.
		assert_eq!(balance(pot()), EXISTENTIAL_DEPOSIT + INCENTIVE_POOL);
		assert_eq!(Carry::<Test>::get(), INCENTIVE_POOL);
		// Later periods release nothing.
		close_period();
		assert_eq!(Periods::<Test>::get(522).unwrap().released, 0);
	});
}

#[test]
fn daily_periods_release_the_same_pool() {
	test(|| {
		assert_ok!(ChainClock::set_period_length(RawOrigin::Root.into(), DAY_MS));
		let periods = run_out_the_schedule(|_| {});
		// Period 0 stays a week; then 521 weeks of days.
		assert_eq!(periods, 1 + 521 * 7);
		assert_eq!(released_by_the_periods(), INCENTIVE_POOL);
		assert_eq!(balance(pool()), 0);
	});
}

#[test]
fn changing_the_period_length_midway_changes_nothing_of_the_schedule() {
	test(|| {
		// Weekly, then daily from period 100, bi-weekly from period 300, four-weekly from 400, and
		// 10% of each release to grants from period 50.
		let periods = run_out_the_schedule(|open| {
			match open {
				50 => {
					let params =
						RewardsParams { release_percent: Perbill::from_percent(90), ..Default::default() };
					assert_ok!(Rewards::set_params(RawOrigin::Root.into(), params));
				}
				100 => {
					assert_ok!(ChainClock::set_period_length(RawOrigin::Root.into(), DAY_MS));
				}
				300 => {
					assert_ok!(ChainClock::set_period_length(RawOrigin::Root.into(), 2 * WEEK_MS));
				}
				400 => {
					assert_ok!(ChainClock::set_period_length(RawOrigin::Root.into(), 4 * WEEK_MS));
				}
				_ => {}
			}
			// Each period releases exactly what the schedule says for its span.
		});
		assert!(periods > 400);
		assert_eq!(released_by_the_periods(), INCENTIVE_POOL);
		for (_, r) in Periods::<Test>::iter() {
			let expected = released_between(INCENTIVE_POOL, r.start_ms - START_MS, r.end_ms - START_MS, T);
			assert_eq!(r.released, expected);
		}
		let grants: Balance = Periods::<Test>::iter_values().map(|r| r.to_grants).sum();
		assert!(grants > 0);
		assert_eq!(balance(GRANTS), EXISTENTIAL_DEPOSIT + grants);
		assert_eq!(balance(pot()), EXISTENTIAL_DEPOSIT + INCENTIVE_POOL - grants);
		assert_eq!(balance(pool()), 0);
	});
}

#[test]
fn a_stall_over_several_periods_closes_them_as_one_and_loses_no_release() {
	test(|| {
		// Blocks stop in period 0 and resume in period 3.
		block_at(START_MS + 3 * WEEK_MS + 1_000);
		block_at(START_MS + 3 * WEEK_MS + 7_000);
		assert_eq!(OpenPeriod::<Test>::get(), 3);
		let r = Periods::<Test>::get(0).unwrap();
		assert_eq!(r.end_ms, START_MS + 3 * WEEK_MS);
		assert_eq!(r.released, released(INCENTIVE_POOL, 3 * WEEK_MS, T));
		assert!(Periods::<Test>::get(1).is_none() && Periods::<Test>::get(2).is_none());
	});
}

#[test]
fn a_release_the_pool_cannot_pay_is_retried_with_the_next_period() {
	test(|| {
		// The pool is emptied by hand (a runtime would never): the release fails and nothing moves.
		let held = balance(pool());
		assert_ok!(<Balances as frame_support::traits::fungible::Mutate<_>>::transfer(
			&pool(),
			&ALICE,
			held,
			frame_support::traits::tokens::Preservation::Expendable
		));
		close_period();
		assert!(matches!(last_event(), Event::PeriodClosed { released: 0, .. }));
		assert!(System::events()
			.iter()
			.any(|r| matches!(r.event, RuntimeEvent::Rewards(Event::ReleaseFailed { period: 0, .. }))));
		assert_eq!(ReleasedUntilMs::<Test>::get(), 0);
		// The funds come back: the next close releases both weeks.
		assert_ok!(<Balances as frame_support::traits::fungible::Mutate<_>>::transfer(
			&ALICE,
			&pool(),
			held,
			frame_support::traits::tokens::Preservation::Expendable
		));
		close_period();
		assert_eq!(Periods::<Test>::get(1).unwrap().released, released(INCENTIVE_POOL, 2 * WEEK_MS, T));
	});
}

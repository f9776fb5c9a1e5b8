//! Strategic issuance: minted under vesting, one quota each, within the year's cap.

use super::*;
use frame_support::{assert_noop, traits::VestingSchedule};

#[test]
fn an_issuance_mints_each_grant_under_vesting_and_uses_one_quota() {
	test(|| {
		reach(3, 3);
		System::set_block_number(100);
		let terms = VestingTerms { cliff_days: 10, vesting_days: 100 };
		assert_ok!(issue(vec![(BOB, 1_000 * VCAI), (CHARLIE, 3_000 * VCAI)], terms));
		assert_eq!(Balances::free_balance(BOB), 1_000 * VCAI);
		assert_eq!(Balances::free_balance(CHARLIE), 3_000 * VCAI);
		System::assert_has_event(
			Event::Granted { index: 0, partner: BOB, amount: 1_000 * VCAI, vesting_from: 200 }.into(),
		);
		System::assert_last_event(
			Event::StrategicIssuance { index: 0, partners: 2, minted: 4_000 * VCAI, terms, quotas_left: 2 }
				.into(),
		);
		assert_eq!(Issuances::<Test>::get(0).map(|r| (r.partners, r.minted)), Some((2, 4_000 * VCAI)));
		// Nothing vests before the cliff (day 10, block 200)...
		System::set_block_number(200);
		assert_eq!(<Vesting as VestingSchedule<_>>::vesting_balance(&BOB), Some(1_000 * VCAI));
		// ...then linearly over 100 days (1,000 blocks): half at block 700, all at 1,200.
		System::set_block_number(700);
		assert_eq!(<Vesting as VestingSchedule<_>>::vesting_balance(&BOB), Some(500 * VCAI));
		System::set_block_number(1_200);
		assert_eq!(<Vesting as VestingSchedule<_>>::vesting_balance(&BOB), Some(0));
	});
}

#[test]
fn no_quota_no_issuance() {
	test(|| {
		reach(1, 0);
		assert_noop!(issue(vec![(BOB, VCAI)], year_terms()), Error::<Test>::NoQuota);
		reach(1, 1);
		assert_ok!(issue(vec![(BOB, VCAI)], year_terms()));
		assert_noop!(issue(vec![(CHARLIE, VCAI)], year_terms()), Error::<Test>::NoQuota);
	});
}

#[test]
fn the_five_percent_cap_holds_within_a_year_and_renews_across_its_boundary() {
	test(|| {
		reach(10, 10);
		let cap = SUPPLY / 20;
		// Day 364, the last of year 0: the whole cap in two issuances, then not one VCAI more.
		Today::set(364);
		assert_ok!(issue(vec![(BOB, cap - 1_000 * VCAI)], year_terms()));
		assert_noop!(
			issue(vec![(CHARLIE, 1_000 * VCAI + 1)], year_terms()),
			Error::<Test>::YearlyCapExceeded
		);
		assert_ok!(issue(vec![(CHARLIE, 1_000 * VCAI)], year_terms()));
		assert_eq!(Supply::quotas().room_this_year, 0);
		assert_noop!(issue(vec![(ALICE, VCAI)], year_terms()), Error::<Test>::YearlyCapExceeded);
		// Day 365 begins year 1: its cap is 5% of the supply at its start, last year's mints
		// included.
		Today::set(365);
		let quotas = Supply::quotas();
		assert_eq!(quotas.year, 1);
		assert_eq!(quotas.supply_at_year_start, SUPPLY + cap);
		let next_cap = (SUPPLY + cap) / 20;
		assert_eq!(quotas.room_this_year, next_cap);
		assert_noop!(issue(vec![(ALICE, next_cap + 1)], year_terms()), Error::<Test>::YearlyCapExceeded);
		assert_ok!(issue(vec![(ALICE, next_cap)], year_terms()));
		assert_eq!(pallet_balances::TotalIssuance::<Test>::get(), SUPPLY + cap + next_cap);
		// A year with no issuance opens its book at the supply it starts with.
		Today::set(3 * 365 + 10);
		assert_eq!(Supply::quotas().supply_at_year_start, SUPPLY + cap + next_cap);
	});
}

#[test]
fn one_refused_grant_refuses_the_whole_issuance() {
	test(|| {
		reach(2, 2);
		// Charlie already carries the most vesting schedules an account may have.
		for _ in 0..3 {
			assert_ok!(Vesting::vested_transfer(
				RuntimeOrigin::signed(ALICE),
				CHARLIE,
				pallet_vesting::VestingInfo::new(10 * VCAI, VCAI, 10),
			));
		}
		let issuance = pallet_balances::TotalIssuance::<Test>::get();
		assert_noop!(
			issue(vec![(BOB, 1_000 * VCAI), (CHARLIE, 1_000 * VCAI)], year_terms()),
			Error::<Test>::VestingUnavailable
		);
		assert_eq!(Balances::free_balance(BOB), 0);
		assert_eq!(pallet_balances::TotalIssuance::<Test>::get(), issuance);
		assert_eq!(Supply::available_quotas(), 2);
	});
}

#[test]
fn bad_grants_and_terms_are_refused_with_their_names() {
	test(|| {
		reach(1, 1);
		assert_noop!(issue(vec![], year_terms()), Error::<Test>::NoGrants);
		assert_noop!(issue(vec![(BOB, VCAI), (BOB, VCAI)], year_terms()), Error::<Test>::DuplicatePartner);
		assert_noop!(issue(vec![(BOB, ED - 1)], year_terms()), Error::<Test>::GrantBelowMinimum);
		let no_vesting = VestingTerms { cliff_days: 30, vesting_days: 0 };
		assert_noop!(issue(vec![(BOB, VCAI)], no_vesting), Error::<Test>::VestingTooShort);
		let too_long = VestingTerms { cliff_days: 1_000, vesting_days: 2_651 };
		assert_noop!(issue(vec![(BOB, VCAI)], too_long), Error::<Test>::VestingTooLong);
		let overflow = VestingTerms { cliff_days: u32::MAX, vesting_days: 1 };
		assert_noop!(issue(vec![(BOB, VCAI)], overflow), Error::<Test>::VestingTooLong);
		assert_noop!(
			issue(vec![(BOB, Balance::MAX), (CHARLIE, ED)], year_terms()),
			Error::<Test>::ArithmeticOverflow
		);
		assert_noop!(
			Supply::strategic_issuance(
				RuntimeOrigin::signed(ALICE),
				vec![(BOB, VCAI)].try_into().unwrap(),
				year_terms()
			),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}

//! Repricing changes how VCAI is shown, never a balance or a quota.

use super::*;
use frame_support::assert_noop;
use vcity_primitives::DENOMINATION_ONE;

#[test]
fn a_repricing_changes_the_factor_and_nothing_held() {
	test(|| {
		reach(1, 1);
		let before = (Balances::free_balance(ALICE), Balances::free_balance(TREASURY), Supply::quotas());
		Today::set(40);
		assert_ok!(Supply::reprice(RuntimeOrigin::root(), 100, 1));
		let denomination = CurrentDenomination::<Test>::get();
		assert_eq!(denomination.factor, 100 * DENOMINATION_ONE);
		assert_eq!((denomination.repricings, denomination.since_day), (1, Some(40)));
		System::assert_last_event(Event::Repriced { numerator: 100, denominator: 1, denomination }.into());
		assert_eq!(Balances::free_balance(ALICE), before.0);
		assert_eq!(Balances::free_balance(TREASURY), before.1);
		let after = Supply::quotas();
		assert_eq!(after.available, before.2.available);
		assert_eq!(after.room_this_year, before.2.room_this_year);
		// Back the other way: the factor composes.
		assert_ok!(Supply::reprice(RuntimeOrigin::root(), 1, 400));
		assert_eq!(CurrentDenomination::<Test>::get().factor, DENOMINATION_ONE / 4);
	});
}

#[test]
fn repricings_out_of_range_are_refused() {
	test(|| {
		let reprice = |n, d| Supply::reprice(RuntimeOrigin::root(), n, d);
		assert_noop!(reprice(0, 1), Error::<Test>::RatioOutOfRange);
		assert_noop!(reprice(1, 1_000_001), Error::<Test>::RatioOutOfRange);
		assert_noop!(reprice(7, 7), Error::<Test>::NeutralRatio);
		assert_ok!(reprice(1_000_000, 1));
		assert_ok!(reprice(1_000, 1));
		assert_noop!(reprice(2, 1), Error::<Test>::FactorOutOfRange);
		assert_noop!(
			Supply::reprice(RuntimeOrigin::signed(ALICE), 2, 1),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}

//! Spending from the reserve fund the DAO treasury holds.

use super::*;
use frame_support::assert_noop;
use vcity_primitives::USDV;

#[test]
fn the_treasury_pays_vcai_and_usdv() {
	test(|| {
		assert_ok!(Supply::spend(RuntimeOrigin::root(), TreasuryAsset::Vcai, BOB, 5_000 * VCAI));
		assert_eq!(Balances::free_balance(BOB), 5_000 * VCAI);
		System::assert_last_event(
			Event::Spent { asset: TreasuryAsset::Vcai, to: BOB, amount: 5_000 * VCAI }.into(),
		);
		assert_ok!(Supply::spend(RuntimeOrigin::root(), TreasuryAsset::Usdv, BOB, 10 * USDV));
		assert_eq!(Usdv::free_balance(BOB), 10 * USDV);
	});
}

#[test]
fn the_treasury_keeps_its_existential_deposit() {
	test(|| {
		let all = Balances::free_balance(TREASURY);
		assert_noop!(
			Supply::spend(RuntimeOrigin::root(), TreasuryAsset::Vcai, BOB, all),
			Error::<Test>::InsufficientTreasury
		);
		assert_ok!(Supply::spend(RuntimeOrigin::root(), TreasuryAsset::Vcai, BOB, all - ED));
		assert_eq!(Balances::free_balance(TREASURY), ED);
		assert_noop!(
			Supply::spend(RuntimeOrigin::root(), TreasuryAsset::Usdv, BOB, 1_000 * USDV),
			Error::<Test>::InsufficientTreasury
		);
		assert_noop!(
			Supply::spend(RuntimeOrigin::root(), TreasuryAsset::Usdv, BOB, 0),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			Supply::spend(RuntimeOrigin::signed(ALICE), TreasuryAsset::Vcai, BOB, VCAI),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}

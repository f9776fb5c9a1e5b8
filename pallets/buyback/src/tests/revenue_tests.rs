//! Protocol revenue reaches the treasury and is recorded per day and since genesis.

use super::*;
use frame_support::assert_noop;
use sp_runtime::DispatchError;
use vcity_primitives::ProtocolRevenue;

#[test]
fn fees_are_recorded_per_day_and_since_genesis() {
	test(|| {
		pay_fee(300 * USDV);
		pay_fee(200 * USDV);
		assert_eq!(Buyback::revenue_on(0), Some(500 * USDV));
		run_to_day(1);
		pay_fee(70 * USDV);
		assert_eq!(Buyback::revenue_on(0), Some(500 * USDV));
		assert_eq!(Buyback::revenue_on(1), Some(70 * USDV));
		assert_eq!(Buyback::revenue_on(2), None, "a day not begun has no figure");
		assert_eq!(<Buyback as ProtocolRevenue>::cumulative_revenue(), 570 * USDV);
		assert_eq!(Ledger::<Test>::get().revenue, 570 * USDV);
		assert!(events().contains(&Event::RevenueReceived { amount: 70 * USDV, day: 1 }));
		assert_eq!(Buyback::treasury_view().revenue_today, 70 * USDV);
	});
}

#[test]
fn zero_revenue_records_nothing() {
	test(|| {
		System::reset_events();
		<Buyback as RevenueSink<AccountId, Balance>>::note_revenue(0);
		assert_eq!(Ledger::<Test>::get(), TreasuryLedger::default());
		assert!(events().is_empty());
		assert_eq!(Buyback::revenue_on(0), Some(0));
	});
}

#[test]
fn a_year_of_days_is_kept_then_overwritten() {
	test(|| {
		pay_fee(5 * USDV);
		// A year later the day's slot is reused; the old figure is gone, the total is not.
		pallet_timestamp::Now::<Test>::put(time_of(REVENUE_DAYS_KEPT, 0));
		assert_eq!(Buyback::revenue_on(0), None);
		assert_eq!(Buyback::revenue_on(1), Some(0));
		pay_fee(7 * USDV);
		assert_eq!(Buyback::revenue_on(REVENUE_DAYS_KEPT), Some(7 * USDV));
		assert_eq!(
			RevenueByDay::<Test>::get(0),
			Some(DayRevenue { day: REVENUE_DAYS_KEPT, amount: 7 * USDV })
		);
		assert_eq!(<Buyback as ProtocolRevenue>::cumulative_revenue(), 12 * USDV);
		// Keep the other pallets' days consistent with the clock for the final checks.
		run_blocks(REVENUE_DAYS_KEPT as u64 / MAX_CATCH_UP_DAYS as u64 + 2);
	});
}

#[test]
fn a_direct_transfer_is_taken_into_the_books_and_sold() {
	test(|| {
		let treasury = Buyback::treasury_account();
		assert_ok!(<Usdv as frame_support::traits::fungible::Mutate<AccountId>>::transfer(
			&TRADER,
			&treasury,
			40 * USDV,
			frame_support::traits::tokens::Preservation::Preserve
		));
		assert_eq!(Ledger::<Test>::get().revenue, 0, "a transfer is not protocol revenue");
		assert_ok!(<Balances as frame_support::traits::fungible::Mutate<AccountId>>::transfer(
			&TRADER,
			&treasury,
			3 * VCAI,
			frame_support::traits::tokens::Preservation::Preserve
		));
		lock(ALICE, 1_000 * VCAI);
		run_to_day(1);
		assert!(events().contains(&Event::OtherIncomeRecorded { amount: 40 * USDV }));
		assert!(events().contains(&Event::OtherVcaiRecorded { amount: 3 * VCAI }));
		let ledger = Ledger::<Test>::get();
		assert_eq!(ledger.other_income, 40 * USDV);
		assert_eq!(ledger.usdv_swapped, 40 * USDV - USDV_MIN_BALANCE);
		// The VCAI received went to the lockers with the VCAI bought.
		assert_eq!(ledger.vcai_dropped, ledger.vcai_bought + 3 * VCAI);
	});
}

#[test]
fn only_governance_sets_parameters_and_bad_ones_are_refused() {
	test(|| {
		let good = BuybackParams { interval_days: 2, ..test_params() };
		assert_noop!(Buyback::set_params(RuntimeOrigin::signed(ALICE), good), DispatchError::BadOrigin);
		let root = || RuntimeOrigin::root();
		let refused = [
			(BuybackParams { interval_days: 0, ..good }, Error::<Test>::IntervalOutOfRange),
			(BuybackParams { interval_days: 31, ..good }, Error::<Test>::IntervalOutOfRange),
			(BuybackParams { twap_window: 0, ..good }, Error::<Test>::WindowOutOfRange),
			(BuybackParams { twap_window: 1, ..good }, Error::<Test>::WindowOutOfRange),
			(BuybackParams { twap_window: MAX_WINDOW + 1, ..good }, Error::<Test>::WindowOutOfRange),
			(
				BuybackParams { max_slippage: Perbill::from_percent(50), ..good },
				Error::<Test>::SlippageTooLarge,
			),
			(BuybackParams { max_chunk: 0, ..good }, Error::<Test>::ZeroChunk),
		];
		for (params, error) in refused {
			assert_noop!(Buyback::set_params(root(), params), error);
		}
		assert_ok!(Buyback::set_params(root(), good));
		assert_eq!(Params::<Test>::get(), good);
		assert!(events().contains(&Event::ParamsSet { params: good }));
	});
}

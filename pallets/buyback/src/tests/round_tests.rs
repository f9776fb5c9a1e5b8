//! The daily round: what it sells, what it buys, where the VCAI goes, and every fault that keeps
//! the funds.

use super::*;
use crate::oracle::min_out;
use frame_support::traits::fungible::Inspect;

fn bought_back() -> Vec<(Balance, Balance, Balance, Balance)> {
	events()
		.into_iter()
		.filter_map(|e| match e {
			Event::BoughtBack { usdv_in, vcai_out, twap, min_out, .. } => {
				Some((usdv_in, vcai_out, twap, min_out))
			}
			_ => None,
		})
		.collect()
}

fn skipped() -> Vec<SkipReason> {
	events()
		.into_iter()
		.filter_map(|e| match e {
			Event::RoundSkipped { reason, .. } => Some(reason),
			_ => None,
		})
		.collect()
}

#[test]
fn a_days_fees_are_sold_and_the_vcai_reaches_the_lockers() {
	test(|| {
		lock(ALICE, 1_000 * VCAI);
		lock(BOB, 4_000 * VCAI);
		pay_fee(1_000 * USDV);
		let pool_vcai_before = Balances::balance(&pool_account());
		run_to_day(1);
		let sold = 1_000 * USDV - USDV_MIN_BALANCE;
		let [(usdv_in, vcai_out, twap, least)] = bought_back()[..] else { panic!("one round swapped") };
		assert_eq!(usdv_in, sold, "everything above the minimum balance is sold");
		assert_eq!(
			Balances::balance(&pool_account()),
			pool_vcai_before - vcai_out,
			"the VCAI came from the pool"
		);
		assert!(vcai_out >= least && least == min_out(sold, twap, test_params().max_slippage));
		assert!(events().contains(&Event::RewardsDropped { day: 1, amount: vcai_out }));
		let last = LastBuyback::<Test>::get().unwrap();
		assert_eq!((last.day, last.usdv_in, last.vcai_out), (1, sold, vcai_out));

		// Day 1's drop is shared when day 1 closes, by the weights of √1000 : √4000 = 1 : 2.
		run_to_day(2);
		let alice = VeVcai::pending_rewards(&ALICE);
		let bob = VeVcai::pending_rewards(&BOB);
		assert!(vcai_out - (alice + bob) <= 2, "at most a base unit per locker is left to rounding");
		// Square-root slopes are rounded down to integers: 2 : 1 to within a part in 10^12.
		assert!(bob.abs_diff(2 * alice) <= vcai_out / 1_000_000_000_000, "{alice} {bob}");
		assert_ok!(VeVcai::claim(RuntimeOrigin::signed(ALICE)));
		assert_ok!(VeVcai::claim(RuntimeOrigin::signed(BOB)));
	});
}

fn pool_account() -> AccountId {
	use pallet_asset_conversion::PoolLocator as _;
	PoolLocator::pool_address(&Native::get(), &UsdvKind::get()).unwrap()
}

fn rounds_ended() -> Vec<(DayIndex, Balance, u32, Balance)> {
	events()
		.into_iter()
		.filter_map(|e| match e {
			Event::RoundEnded { day, usdv_in, chunks, carried, .. } => Some((day, usdv_in, chunks, carried)),
			_ => None,
		})
		.collect()
}

#[test]
fn a_round_sells_chunk_after_chunk_until_the_days_revenue_is_spent() {
	test(|| {
		lock(ALICE, 1_000 * VCAI);
		pay_fee(25_000 * USDV);
		let chunk = test_params().max_chunk;
		run_to_day(2);
		let sold: Vec<Balance> = bought_back().iter().map(|b| b.0).collect();
		assert!(sold.len() >= 3 && sold.iter().all(|s| *s <= chunk), "{sold:?}");
		let everything = 25_000 * USDV - USDV_MIN_BALANCE;
		assert_eq!(sold.iter().sum::<Balance>(), everything, "all of it within day 1");
		assert!(bought_back().iter().all(|(usdv_in, vcai_out, twap, least)| {
			*vcai_out >= *least && *least == min_out(*usdv_in, *twap, test_params().max_slippage)
		}));
		assert_eq!(rounds_ended(), vec![(1, everything, sold.len() as u32, 0)]);
		assert_eq!(Usdv::balance(&Buyback::treasury_account()), USDV_MIN_BALANCE);
		run_to_day(3);
		assert!(skipped().contains(&SkipReason::NothingToSell));
	});
}

/// An arbitrageur who sells VCAI into the pool until its spot price is back at `vcai_per_usdv`
/// (VCAI base units per whole USDV), as traders on a live market would after each buyback chunk.
fn arbitrage_back_to(vcai_per_usdv: Balance) {
	let (usdv, vcai) = <TestPool as BuybackPool<AccountId>>::reserves().expect("the pool exists");
	// Constant product: VCAI' = √(k · p), p in VCAI base units per USDV base unit.
	let k = usdv as f64 * vcai as f64;
	let target = (k * vcai_per_usdv as f64 / USDV as f64).sqrt();
	let short = (target - vcai as f64) / 0.997;
	if short >= VCAI as f64 {
		trader_sells_vcai(short as Balance);
	}
}

/// A day with ten times the old per-round cap of revenue (1,000,000 USDV; a round used to sell at
/// most 100,000) is bought back within the day, a chunk of at most 125,000 a block, each within
/// the bound of the average price, on a pool that traders bring back to its price after each.
#[test]
fn a_day_of_ten_times_the_old_cap_is_bought_within_the_day() {
	test(|| {
		lock(ALICE, 1_000 * VCAI);
		add_liquidity(LP, 8 * POOL_USDV, 8 * POOL_VCAI);
		let reference = POOL_VCAI / (POOL_USDV / USDV);
		let params = BuybackParams { max_chunk: 125_000 * USDV, ..test_params() };
		assert_ok!(Buyback::set_params(RuntimeOrigin::root(), params));
		run_to_day(1);
		run_blocks(2);
		System::reset_events();
		pay_fee(1_000_000 * USDV);
		while today() < 3 {
			next_block();
			arbitrage_back_to(reference);
		}
		let sold: Vec<Balance> = bought_back().iter().map(|b| b.0).collect();
		let everything = 1_000_000 * USDV - USDV_MIN_BALANCE;
		assert_eq!(sold.iter().sum::<Balance>(), everything, "{sold:?}");
		assert_eq!(sold.len(), 8, "{sold:?}");
		assert_eq!(rounds_ended(), vec![(2, everything, 8, 0)]);
		assert!(bought_back().iter().all(|(_, vcai_out, _, least)| vcai_out >= least));
	});
}

/// On a pool too thin for the day's revenue the round sells what the bound allows, waits for the
/// average to follow, and what is left when the next round's day comes is reported as its carry
/// and sold by the next round. Nothing is lost.
#[test]
fn a_thin_pool_carries_what_it_cannot_take_to_the_next_round() {
	test(|| {
		lock(ALICE, 1_000 * VCAI);
		let params = BuybackParams { max_chunk: 200_000 * USDV, ..test_params() };
		assert_ok!(Buyback::set_params(RuntimeOrigin::root(), params));
		pay_fee(3_000_000 * USDV);
		run_to_day(2);
		let [(day, sold, chunks, carried)] = rounds_ended()[..] else { panic!("day 1's round ended") };
		assert_eq!(day, 1);
		assert!(chunks > 0 && sold > 0 && carried > 0, "{sold} sold, {carried} carried");
		assert_eq!(sold + carried, 3_000_000 * USDV - USDV_MIN_BALANCE);
		assert!(skipped().contains(&SkipReason::SlippageBound));
		assert_eq!(Buyback::next_round_day(), 2, "day 2's round is open and sells the carry");
	});
}

#[test]
fn an_empty_treasury_skips_the_round_and_moves_nothing() {
	test(|| {
		run_to_day(1);
		assert_eq!(skipped(), vec![SkipReason::NothingToSell, SkipReason::NothingToSell]);
		assert_eq!(Ledger::<Test>::get(), TreasuryLedger::default());
		assert_eq!(LastBuyback::<Test>::get(), None);
	});
}

#[test]
fn rounds_follow_the_interval() {
	test(|| {
		assert_ok!(Buyback::set_params(
			RuntimeOrigin::root(),
			BuybackParams { interval_days: 3, ..test_params() }
		));
		run_to_day(1);
		pay_fee(100 * USDV);
		run_to_day(2);
		assert!(bought_back().is_empty(), "day 0 ran a round, the next is day 3");
		assert_eq!(Buyback::next_round_day(), 3);
		run_to_day(3);
		assert_eq!(bought_back().len(), 1);
		assert_eq!(LastBuyback::<Test>::get().unwrap().day, 3);
		assert_eq!(Buyback::next_round_day(), 6);
	});
}

#[test]
fn a_thin_pool_gets_the_largest_chunk_within_the_bound() {
	test(|| {
		// A 200,000 USDV chunk would move a 1,000,000 USDV pool by a sixth; within 3% of the
		// average only an eighth of it fits (25,000 USDV: 2.4% impact plus the 0.3% fee).
		let params = BuybackParams { max_chunk: 200_000 * USDV, ..test_params() };
		assert_ok!(Buyback::set_params(RuntimeOrigin::root(), params));
		pay_fee(300_000 * USDV);
		run_to_day(1);
		let [(usdv_in, vcai_out, twap, least)] = bought_back()[..] else { panic!("one round swapped") };
		assert_eq!(usdv_in, 25_000 * USDV);
		assert!(vcai_out >= least);
		// The price paid is within the bound: VCAI per USDV at most 3% below the average.
		let paid = vcai_out * USDV / usdv_in;
		assert!(paid >= twap * 97 / 100, "paid {paid}, average {twap}");
	});
}

#[test]
fn a_bound_below_the_pool_fee_is_never_met_and_the_funds_stay() {
	test(|| {
		let params = BuybackParams { max_slippage: Perbill::from_rational(1u32, 1_000u32), ..test_params() };
		assert_ok!(Buyback::set_params(RuntimeOrigin::root(), params));
		pay_fee(1_000 * USDV);
		run_to_day(1);
		assert!(skipped().contains(&SkipReason::SlippageBound));
		assert!(bought_back().is_empty());
		assert_eq!(Usdv::balance(&Buyback::treasury_account()), 1_000 * USDV);
		assert_eq!(Ledger::<Test>::get().usdv_swapped, 0);
	});
}

#[test]
fn a_failed_swap_keeps_the_funds_and_the_round_tries_all_day() {
	test(|| {
		pay_fee(1_000 * USDV);
		FailSwaps::set(true);
		run_to_day(2);
		let failed = events()
			.into_iter()
			.filter_map(|e| match e {
				Event::RoundSkipped { day: 1, reason, will_retry, .. } => Some((reason, will_retry)),
				_ => None,
			})
			.collect::<Vec<_>>();
		assert!(failed.len() > 1, "the round tried again during its day");
		assert!(failed.iter().all(|(reason, retry)| *reason == SkipReason::SwapFailed && *retry));
		let carried = 1_000 * USDV - USDV_MIN_BALANCE;
		assert_eq!(rounds_ended(), vec![(1, 0, 0, carried)], "the day ended with all of it carried");
		assert_eq!(Usdv::balance(&Buyback::treasury_account()), 1_000 * USDV);
		FailSwaps::set(false);
		run_to_day(3);
		assert_eq!(bought_back().len(), 1);
		assert_eq!(LastBuyback::<Test>::get().unwrap().day, 2);
	});
}

#[test]
fn the_wait_after_a_stop_doubles_up_to_a_quarter_of_the_window() {
	assert_eq!((1..=8).map(|f| retry_gap(f, 600)).collect::<Vec<_>>(), vec![1, 2, 4, 8, 16, 32, 64, 128]);
	assert_eq!(retry_gap(9, 600), 150);
	assert_eq!(retry_gap(u8::MAX, 600), 150);
	assert_eq!(retry_gap(3, 5), 1);
}

#[test]
fn a_round_stopped_by_the_price_tries_again_in_the_next_block() {
	test(|| {
		pay_fee(1_000 * USDV);
		FailSwaps::set(true);
		run_to_day(1);
		FailSwaps::set(false);
		assert_eq!(skipped().last(), Some(&SkipReason::SwapFailed));
		assert_eq!(Buyback::next_round_day(), 1, "the round is still open");
		next_block();
		assert_eq!(bought_back().len(), 1);
		assert_eq!(LastBuyback::<Test>::get().unwrap().day, 1);
		assert_eq!(Buyback::next_round_day(), 2);
		run_to_day(2);
		assert_eq!(bought_back().len(), 1, "a round that swapped does not try again");
	});
}

#[test]
fn a_longer_window_waits_for_its_samples_and_a_shorter_one_applies_at_once() {
	test(|| {
		pay_fee(1_000 * USDV);
		run_to_day(1);
		assert_eq!(bought_back().len(), 1);
		pay_fee(1_000 * USDV);
		// Fifty blocks of samples are not there yet on day 2's first block: the round waits.
		let longer = BuybackParams { twap_window: 50, ..test_params() };
		assert_ok!(Buyback::set_params(RuntimeOrigin::root(), longer));
		assert_eq!(Buyback::average_price(50), None);
		System::reset_events();
		run_to_day(2);
		assert_eq!(skipped(), vec![SkipReason::NoAveragePrice]);
		// Back to three blocks: the history already holds them.
		let shorter = BuybackParams { twap_window: 3, ..test_params() };
		assert_ok!(Buyback::set_params(RuntimeOrigin::root(), shorter));
		next_block();
		assert_eq!(bought_back().len(), 1);
	});
}

#[test]
fn a_new_history_length_starts_the_samples_over() {
	test(|| {
		run_blocks(10);
		assert!(Buyback::average_price(WINDOW).is_some());
		// A runtime upgrade that changes `MaxTwapWindow` changes where the samples are kept.
		MaxTwapWindow::set(100);
		assert_eq!(Buyback::average_price(WINDOW), None, "the old samples are not read under the new length");
		run_blocks(WINDOW as u64);
		assert_eq!(Buyback::average_price(WINDOW), None);
		next_block();
		assert!(Buyback::average_price(WINDOW).is_some());
		MaxTwapWindow::set(MAX_WINDOW);
		run_blocks(WINDOW as u64 + 1);
	});
}

#[test]
fn without_a_pool_nothing_is_sold_until_one_has_a_full_window() {
	WithPool::set(false);
	test(|| {
		pay_fee(1_000 * USDV);
		run_to_day(1);
		// Day 0's round had nothing to sell yet; day 1's first attempt has no price.
		assert_eq!(skipped(), vec![SkipReason::NothingToSell, SkipReason::NoAveragePrice]);
		assert_eq!(Buyback::treasury_view().spot, None);
		assert_ok!(AssetConversion::create_pool(
			RuntimeOrigin::signed(LP),
			Box::new(Native::get()),
			Box::new(UsdvKind::get())
		));
		add_liquidity(LP, POOL_USDV, POOL_VCAI);
		run_to_day(2);
		assert_eq!(bought_back().len(), 1, "a retry of day 1's round, once the window is full");
		assert_eq!(LastBuyback::<Test>::get().unwrap().day, 1);
	});
	WithPool::set(true);
}

#[test]
fn a_drop_refused_while_the_distributor_catches_up_is_retried() {
	test(|| {
		lock(ALICE, 1_000 * VCAI);
		pay_fee(1_000 * USDV);
		run_to_day(1);
		run_blocks(3);
		pay_fee(1_000 * USDV);
		// The chain stalls for five days: the distributor closes two a block, so the round of the
		// first block back buys VCAI it cannot drop yet.
		pallet_timestamp::Now::<Test>::put(time_of(7, 0));
		next_block();
		let deferred = events().iter().filter(|e| matches!(e, Event::DropDeferred { .. })).count();
		assert!(deferred >= 1);
		let awaiting = Ledger::<Test>::get().vcai_awaiting_drop();
		assert!(awaiting > 0);
		assert_books_match();
		run_blocks(3);
		assert_eq!(Ledger::<Test>::get().vcai_awaiting_drop(), 0);
		assert!(events().contains(&Event::RewardsDropped { day: 7, amount: awaiting }));
	});
}

#[test]
fn a_day_without_lockers_carries_its_drop_to_the_first_locker() {
	test(|| {
		pay_fee(1_000 * USDV);
		run_to_day(1);
		let (_, vcai_out, _, _) = bought_back()[0];
		run_to_day(2);
		assert_eq!(pallet_ve_vcai::PendingDrop::<Test>::get(), vcai_out, "nobody to share with: carried");
		lock(ALICE, 1_000 * VCAI);
		run_to_day(4);
		let alice = VeVcai::pending_rewards(&ALICE);
		assert!(vcai_out - alice <= 1, "the carried drop reaches the first locker");
	});
}

/// Fees, trades and locks at random for sixty days: after every block both pallets' invariants
/// hold and the books match the accounts to the base unit.
#[test]
fn random_days_keep_every_usdv_and_vcai_accounted_for() {
	test(|| {
		let mut seed: u64 = 0x5eed;
		let mut next = move |bound: u64| {
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			seed % bound
		};
		lock(ALICE, 10_000 * VCAI);
		for _ in 0..60 * DAY_BLOCKS {
			match next(10) {
				0 => pay_fee((next(5_000) as Balance + 1) * USDV),
				1 => trader_buys_vcai((next(20_000) as Balance + 1) * USDV),
				2 => trader_sells_vcai((next(2_000_000) as Balance + 1) * VCAI),
				3 if pallet_ve_vcai::Locks::<Test>::get(BOB).is_none() => {
					lock(BOB, (next(1_000) as Balance + 1) * VCAI)
				}
				_ => {}
			}
			next_block();
			assert_ok!(Buyback::do_try_state());
			assert_books_match();
		}
		let ledger = Ledger::<Test>::get();
		assert!(ledger.usdv_swapped > 0 && ledger.vcai_dropped > 0);
		assert_eq!(ledger.vcai_bought, ledger.vcai_dropped);
		for record in bought_back() {
			assert!(record.1 >= record.3, "every swap paid at least its minimum");
		}
	});
}

//! One actor moves the pool's price in the block before the round. The minimum output follows
//! the time-weighted average, which a one-block spike moves by 1/window of the spike, and the
//! round either pays within the slippage bound of that average or does not swap at all.

use super::*;
use crate::oracle::min_out;

/// What the round block saw in one world.
#[derive(Debug)]
struct Round {
	/// The spot price sampled at the start of the round block.
	spot: Balance,
	twap: Balance,
	/// (USDV sold, VCAI bought, minimum) if the round swapped.
	swap: Option<(Balance, Balance, Balance)>,
	skipped: Option<SkipReason>,
}

const FEES: Balance = 10_000 * USDV;

/// Day 0 collects fees; in the last block before day 1's round, `manipulate` trades on the pool;
/// then the round block runs.
fn round_after(manipulate: impl FnOnce()) -> Round {
	test(|| {
		pay_fee(FEES);
		// Stop once the next block's hook will see day 1: its round follows this block's trade.
		while <ChainClock as vcity_primitives::Clock>::day_of(pallet_timestamp::Now::<Test>::get()) < 1 {
			next_block();
		}
		manipulate();
		System::reset_events();
		next_block();
		let mut round = Round {
			spot: Oracle::<Test>::get().last_price,
			twap: Buyback::average_price(WINDOW).unwrap(),
			swap: None,
			skipped: None,
		};
		for event in events() {
			match event {
				Event::BoughtBack { usdv_in, vcai_out, min_out, .. } => {
					round.swap = Some((usdv_in, vcai_out, min_out))
				}
				Event::RoundSkipped { reason, .. } => round.skipped = Some(reason),
				_ => {}
			}
		}
		round
	})
}

#[test]
fn a_one_block_spike_moves_the_minimum_by_a_window_share_and_the_bound_holds() {
	let honest = round_after(|| {});
	let slippage = test_params().max_slippage;
	let chunk = FEES - USDV_MIN_BALANCE;
	assert_eq!(honest.spot, honest.twap, "an untouched pool averages its spot price");
	let (_, _, honest_min) = honest.swap.expect("the honest round swaps");

	for trade in [1_000 * USDV, 10_000 * USDV, 100_000 * USDV, 1_000_000 * USDV] {
		let attacked = round_after(|| trader_buys_vcai(trade));
		let spike = honest.spot - attacked.spot;
		let average_moved = honest.twap - attacked.twap;
		// The spike is one sample of WINDOW: the average moves by spike / WINDOW (rounded).
		assert!(
			average_moved.abs_diff(spike / WINDOW as Balance) <= 1,
			"{trade}: {average_moved} vs {spike}"
		);
		let attacked_min = min_out(chunk, attacked.twap, slippage);
		let spike_min = min_out(chunk, honest.spot, slippage) - min_out(chunk, attacked.spot, slippage);
		// One base unit of the average's rounding is worth chunk / USDV base units of VCAI.
		let rounding = chunk / USDV + 2;
		assert!(
			(honest_min - attacked_min).abs_diff(spike_min / WINDOW as Balance) <= rounding,
			"{trade}: minimum moved {} for a spike worth {spike_min}",
			honest_min - attacked_min
		);
		match (attacked.swap, attacked.skipped) {
			(Some((usdv_in, vcai_out, least)), None) => {
				assert_eq!(least, min_out(usdv_in, attacked.twap, slippage));
				assert!(vcai_out >= least, "paid within the bound of the average");
			}
			(None, Some(reason)) => assert_eq!(reason, SkipReason::SlippageBound),
			other => panic!("{trade}: unexpected round {other:?}"),
		}
		println!(
			"trade {:>9} USDV: spot -{:.2}%, average -{:.3}%, minimum -{:.3}%, round {}",
			trade / USDV,
			percent(spike, honest.spot),
			percent(average_moved, honest.twap),
			percent(honest_min - attacked_min, honest_min),
			match attacked.swap {
				Some((usdv_in, vcai_out, _)) =>
					format!("swapped {} USDV for {} VCAI", usdv_in / USDV, vcai_out / VCAI),
				None => format!("skipped ({:?}), the USDV waits", attacked.skipped.unwrap()),
			}
		);
	}
}

#[test]
fn pushing_vcai_down_before_the_round_only_buys_the_lockers_more() {
	let honest = round_after(|| {});
	let attacked = round_after(|| trader_sells_vcai(5_000_000 * VCAI));
	let spike = attacked.spot - honest.spot;
	assert!(spike > 0);
	assert!((attacked.twap - honest.twap).abs_diff(spike / WINDOW as Balance) <= 1);
	let (_, honest_out, _) = honest.swap.unwrap();
	let (_, attacked_out, _) = attacked.swap.unwrap();
	assert!(attacked_out > honest_out);
}

/// The spike is held through block N−2 and reverted in N−1: the round's spot is the fair price,
/// but the average carries the spike for `WINDOW` blocks. The minimum rises by 1/window of the
/// spike; if that leaves the fair pool below the bound the round tries again each block, and
/// succeeds once the spiked sample has left the window, the same day.
#[test]
fn a_spike_reverted_before_the_round_delays_it_by_at_most_a_window() {
	for sold in [1_000_000 * VCAI, 10_000_000 * VCAI] {
		test(|| {
			pay_fee(FEES);
			let next_is_day_1 = || {
				let now = pallet_timestamp::Now::<Test>::get();
				<ChainClock as vcity_primitives::Clock>::day_of(now + BLOCK_MS) >= 1
			};
			while !next_is_day_1() {
				next_block();
			}
			let fair = Oracle::<Test>::get().last_price;
			let usdv_before = Usdv::balance(&TRADER);
			trader_sells_vcai(sold);
			next_block();
			let spike = Oracle::<Test>::get().last_price - fair;
			trader_buys_vcai(Usdv::balance(&TRADER) - usdv_before);
			System::reset_events();
			next_block();
			let twap = Buyback::average_price(WINDOW).unwrap();
			let rise = twap.abs_diff(fair);
			// The revert leaves the pool a little off the fair price (two pool fees): the
			// average moves by the two samples' deviations over the window.
			let after = Oracle::<Test>::get().last_price;
			let deviations = spike + after - fair;
			assert!(rise.abs_diff(deviations / WINDOW as Balance) <= 2, "{rise} vs {deviations}");
			let outcome = events().into_iter().find_map(|e| match e {
				Event::BoughtBack { vcai_out, min_out, .. } => Some(Ok((vcai_out, min_out))),
				Event::RoundSkipped { reason, will_retry, .. } => Some(Err((reason, will_retry))),
				_ => None,
			});
			let blocks_to_swap = match outcome {
				Some(Ok((vcai_out, least))) => {
					assert!(vcai_out >= least);
					0
				}
				Some(Err((SkipReason::SlippageBound, true))) => {
					let mut blocks = 0;
					while LastBuyback::<Test>::get().is_none() {
						next_block();
						blocks += 1;
						assert!(blocks <= WINDOW, "the round waited longer than the window");
					}
					assert_eq!(LastBuyback::<Test>::get().unwrap().day, 1, "the same day's round");
					blocks
				}
				other => panic!("unexpected round {other:?}"),
			};
			println!(
				"sold {:>9} VCAI in N-2, bought back in N-1: sample +{:.2}%, average +{:.2}%, round delayed {blocks_to_swap} blocks",
				sold / VCAI,
				percent(spike, fair),
				percent(rise, fair),
			);
		});
	}
}

fn percent(part: Balance, whole: Balance) -> f64 {
	part as f64 * 100.0 / whole as f64
}

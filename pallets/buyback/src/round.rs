//! The daily round: sell USDV for VCAI, a chunk a block, within the bound of the average price,
//! until the treasury is empty; then hand the VCAI to the distributor.

use crate::{
	oracle::min_out, pallet::*, retry_gap, BuybackPool, RoundState, SkipReason, TreasuryLedger, WeightInfo,
	LOG_TARGET, MAX_CHUNK_HALVINGS,
};
use frame_support::{
	pallet_prelude::*,
	storage::with_storage_layer,
	traits::{
		fungible::Inspect,
		tokens::{Fortitude, Preservation},
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::UniqueSaturatedInto;
use vcity_primitives::{
	Balance, BuybackParams, BuybackRecord, Clock, DayIndex, LockerRewards, CHARGED_ROUND_LOCKERS,
};

/// What a block's hook did, which sets the weight it reports.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum BlockWork {
	/// Sampled the price only.
	Sampled,
	/// Sampled and retried a deferred drop.
	Dropped,
	/// Sampled and ran a round, or another attempt of one.
	Round,
}

impl<T: Config> Pallet<T> {
	pub(crate) fn on_block(n: BlockNumberFor<T>) -> Weight {
		match Self::do_on_block(n.unique_saturated_into()) {
			BlockWork::Sampled => T::WeightInfo::on_initialize_idle(),
			BlockWork::Dropped => T::WeightInfo::on_initialize_drop(),
			// A round's block may also end the last round, reading what it carried.
			BlockWork::Round => T::WeightInfo::on_initialize_round(CHARGED_ROUND_LOCKERS)
				.saturating_add(T::DbWeight::get().reads(1)),
		}
	}

	pub(crate) fn do_on_block(block: u32) -> BlockWork {
		Self::sample_price(block);
		let day = T::Clock::day_index();
		if let Some(round) = Self::round_to_run(day, block) {
			Self::run_round(round, block);
			BlockWork::Round
		} else if Ledger::<T>::get().vcai_awaiting_drop() > 0 {
			Self::drop_awaiting(day);
			BlockWork::Dropped
		} else {
			BlockWork::Sampled
		}
	}

	/// The day of the next round: the current round's while it is open.
	pub fn next_round_day() -> DayIndex {
		match LastRound::<T>::get() {
			None => 0,
			Some(round) if !round.done => round.day,
			Some(round) => round.day.saturating_add(Params::<T>::get().interval_days),
		}
	}

	/// The round this block works on, if any: a new one on its day (ending the last one if it is
	/// still open), or the open one once its wait is over.
	fn round_to_run(day: DayIndex, block: u32) -> Option<RoundState> {
		let interval = Params::<T>::get().interval_days;
		match LastRound::<T>::get() {
			Some(round) if day < round.day.saturating_add(interval) => {
				(!round.done && block >= round.next_try).then_some(round)
			}
			last => {
				if let Some(open) = last.filter(|r| !r.done) {
					Self::end_round(&open);
				}
				Some(RoundState::new(day))
			}
		}
	}

	fn end_round(round: &RoundState) {
		Self::deposit_event(Event::RoundEnded {
			day: round.day,
			usdv_in: round.usdv_in,
			vcai_out: round.vcai_out,
			chunks: round.chunks,
			carried: Self::usdv_available(),
		});
	}

	/// USDV the treasury can sell: what it holds above the minimum balance. Keeping that
	/// minimum keeps the account's USDV alive, so once it has received a fee, a later fee
	/// smaller than the minimum can still be paid into it.
	pub fn usdv_available() -> Balance {
		T::Stablecoin::reducible_balance(&Self::treasury_account(), Preservation::Preserve, Fortitude::Polite)
	}

	/// One step of a round: one chunk sold, or one attempt the price stopped.
	pub(crate) fn run_round(mut round: RoundState, block: u32) {
		let day = round.day;
		let mut ledger = Ledger::<T>::get();
		Self::record_other_income(&mut ledger);
		let params = Params::<T>::get();
		let outcome = Self::sell(day, block, &params, &mut ledger);
		Ledger::<T>::put(ledger);
		let carried = Self::usdv_available();
		match outcome {
			Ok(record) => {
				round.usdv_in = round.usdv_in.saturating_add(record.usdv_in);
				round.vcai_out = round.vcai_out.saturating_add(record.vcai_out);
				round.chunks = round.chunks.saturating_add(1);
				round.failures = 0;
				round.next_try = block.saturating_add(1);
				LastBuyback::<T>::put(record);
				Self::deposit_event(Event::BoughtBack {
					day,
					usdv_in: record.usdv_in,
					vcai_out: record.vcai_out,
					twap: record.twap,
					min_out: record.min_out,
					carried,
				});
				if carried == 0 {
					round.done = true;
					Self::end_round(&round);
				}
			}
			Err(SkipReason::NothingToSell) => {
				round.done = true;
				if round.chunks == 0 {
					let reason = SkipReason::NothingToSell;
					Self::deposit_event(Event::RoundSkipped { day, reason, carried, will_retry: false });
				} else {
					Self::end_round(&round);
				}
			}
			Err(reason) => {
				round.failures = round.failures.saturating_add(1);
				round.next_try = block.saturating_add(retry_gap(round.failures, params.twap_window));
				Self::deposit_event(Event::RoundSkipped { day, reason, carried, will_retry: true });
			}
		}
		LastRound::<T>::put(round);
		Self::drop_awaiting(T::Clock::day_index());
	}

	/// Takes USDV and VCAI that reached the treasury outside the revenue path and the swaps
	/// (direct transfers) into the books, so every unit held is accounted for: the USDV is sold
	/// and the VCAI dropped with the rest.
	fn record_other_income(ledger: &mut TreasuryLedger) {
		let treasury = Self::treasury_account();
		let extra = T::Stablecoin::balance(&treasury).saturating_sub(ledger.usdv_held());
		if extra > 0 {
			ledger.other_income = ledger.other_income.saturating_add(extra);
			Self::deposit_event(Event::OtherIncomeRecorded { amount: extra });
		}
		let booked = T::Currency::minimum_balance().saturating_add(ledger.vcai_awaiting_drop());
		let extra = T::Currency::balance(&treasury).saturating_sub(booked);
		if extra > 0 {
			ledger.vcai_other_income = ledger.vcai_other_income.saturating_add(extra);
			Self::deposit_event(Event::OtherVcaiRecorded { amount: extra });
		}
	}

	/// Sells the largest chunk, up to `max_chunk` and halving at most [`MAX_CHUNK_HALVINGS`]
	/// times, that the pool fills within the bound of the average price.
	fn sell(
		day: DayIndex,
		block: u32,
		params: &BuybackParams,
		ledger: &mut TreasuryLedger,
	) -> Result<BuybackRecord, SkipReason> {
		let available = Self::usdv_available();
		if available == 0 {
			return Err(SkipReason::NothingToSell);
		}
		let twap = Self::average_price(params.twap_window).ok_or(SkipReason::NoAveragePrice)?;
		// The hook sampled the pool at the start of this block; nothing has traded since.
		let spot = Oracle::<T>::get().last_price;
		let mut chunk = available.min(params.max_chunk);
		for _ in 0..=MAX_CHUNK_HALVINGS {
			let least = min_out(chunk, twap, params.max_slippage);
			if least > 0 && T::Pool::quote(chunk).is_some_and(|quote| quote >= least) {
				let treasury = Self::treasury_account();
				return match T::Pool::sell_usdv(&treasury, chunk, least) {
					Ok(vcai_out) => {
						ledger.usdv_swapped = ledger.usdv_swapped.saturating_add(chunk);
						ledger.vcai_bought = ledger.vcai_bought.saturating_add(vcai_out);
						Ok(BuybackRecord { day, block, usdv_in: chunk, vcai_out, twap, spot, min_out: least })
					}
					Err(error) => {
						log::warn!(target: LOG_TARGET, "day {day}: swap of {chunk} USDV refused: {error:?}");
						Err(SkipReason::SwapFailed)
					}
				};
			}
			chunk /= 2;
			if chunk == 0 {
				break;
			}
		}
		Err(SkipReason::SlippageBound)
	}

	/// Hands every VCAI bought and not yet dropped to the distributor as today's drop. A refusal
	/// changes nothing; the VCAI stays in the treasury for the next block to try again.
	pub(crate) fn drop_awaiting(day: DayIndex) {
		let mut ledger = Ledger::<T>::get();
		let amount = ledger.vcai_awaiting_drop();
		if amount == 0 {
			return;
		}
		let treasury = Self::treasury_account();
		match with_storage_layer(|| T::LockerRewards::drop_rewards(&treasury, amount)) {
			Ok(()) => {
				ledger.vcai_dropped = ledger.vcai_dropped.saturating_add(amount);
				Ledger::<T>::put(ledger);
				Self::deposit_event(Event::RewardsDropped { day, amount });
			}
			Err(error) => Self::deposit_event(Event::DropDeferred { amount, error }),
		}
	}

	pub(crate) fn check_params(params: &BuybackParams) -> Result<(), Error<T>> {
		ensure!(
			params.interval_days > 0 && params.interval_days <= T::MaxIntervalDays::get(),
			Error::<T>::IntervalOutOfRange
		);
		ensure!(
			params.twap_window >= T::MinTwapWindow::get() && params.twap_window <= T::MaxTwapWindow::get(),
			Error::<T>::WindowOutOfRange
		);
		ensure!(params.max_slippage < sp_runtime::Perbill::from_percent(50), Error::<T>::SlippageTooLarge);
		ensure!(params.max_chunk > 0, Error::<T>::ZeroChunk);
		Ok(())
	}
}

//! The daily round: sell USDV for VCAI within the bound of the average price, then hand the VCAI
//! to the distributor.

use crate::{
	oracle::min_out, pallet::*, BuybackPool, RoundState, SkipReason, TreasuryLedger, WeightInfo, LOG_TARGET,
	MAX_CHUNK_HALVINGS, MAX_ROUND_ATTEMPTS,
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
			BlockWork::Round => T::WeightInfo::on_initialize_round(CHARGED_ROUND_LOCKERS),
		}
	}

	pub(crate) fn do_on_block(block: u32) -> BlockWork {
		Self::sample_price(block);
		let day = T::Clock::day_index();
		if Self::round_due(day) {
			Self::run_round(day, block);
			BlockWork::Round
		} else if Ledger::<T>::get().vcai_awaiting_drop() > 0 {
			Self::drop_awaiting(day);
			BlockWork::Dropped
		} else {
			BlockWork::Sampled
		}
	}

	/// The day of the next round: today while the current round may still try again.
	pub fn next_round_day() -> DayIndex {
		match LastRound::<T>::get() {
			None => 0,
			Some(round) if !round.done => round.day,
			Some(round) => round.day.saturating_add(Params::<T>::get().interval_days),
		}
	}

	/// A new round is due on its day; a round stopped by the price tries again in the next
	/// blocks, up to [`MAX_ROUND_ATTEMPTS`] in all.
	fn round_due(day: DayIndex) -> bool {
		match LastRound::<T>::get() {
			None => true,
			Some(round) => {
				day >= round.day.saturating_add(Params::<T>::get().interval_days)
					|| (!round.done && round.attempts < MAX_ROUND_ATTEMPTS)
			}
		}
	}

	/// USDV the treasury can sell: what it holds above the minimum balance. Keeping that
	/// minimum keeps the account's USDV alive, so once it has received a fee, a later fee
	/// smaller than the minimum can still be paid into it.
	pub fn usdv_available() -> Balance {
		T::Stablecoin::reducible_balance(&Self::treasury_account(), Preservation::Preserve, Fortitude::Polite)
	}

	pub(crate) fn run_round(day: DayIndex, block: u32) {
		let mut round = match LastRound::<T>::get() {
			Some(round) if round.day == day && !round.done => round,
			_ => RoundState { day, attempts: 0, done: false },
		};
		round.attempts = round.attempts.saturating_add(1);
		let mut ledger = Ledger::<T>::get();
		Self::record_other_income(&mut ledger);
		let params = Params::<T>::get();
		let outcome = Self::sell(day, block, &params, &mut ledger);
		Ledger::<T>::put(ledger);
		let carried = Self::usdv_available();
		match outcome {
			Ok(record) => {
				round.done = true;
				LastBuyback::<T>::put(record);
				Self::deposit_event(Event::BoughtBack {
					day,
					usdv_in: record.usdv_in,
					vcai_out: record.vcai_out,
					twap: record.twap,
					min_out: record.min_out,
					carried,
				});
			}
			Err(reason) => {
				// With nothing to sell there is nothing to try again for.
				round.done = reason == SkipReason::NothingToSell || round.attempts >= MAX_ROUND_ATTEMPTS;
				Self::deposit_event(Event::RoundSkipped { day, reason, carried, will_retry: !round.done });
			}
		}
		LastRound::<T>::put(round);
		Self::drop_awaiting(day);
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

//! Stages, quotas and the year's cap.

use crate::{pallet::*, YearBook};
use frame_support::traits::{fungible::Inspect, Get};
use vcity_primitives::{Balance, Clock, ProtocolRevenue, SupplyQuotas, VeWeights};

/// Whole stages in `amount`, saturating.
fn stages_in(amount: Balance, stage: Balance) -> u32 {
	u32::try_from(amount.checked_div(stage).unwrap_or(0)).unwrap_or(u32::MAX)
}

impl<T: Config> Pallet<T> {
	/// Revenue stages and equity stages reached now.
	pub fn stages() -> (u32, u32) {
		let sizes = Stages::<T>::get();
		(
			stages_in(T::Revenue::cumulative_revenue(), sizes.revenue),
			stages_in(T::VeWeights::total_locked(), sizes.equity),
		)
	}

	/// min(revenue stages, equity stages) − strategic issuances executed. Locks that expire can
	/// take stages away again; quotas used stay used.
	pub fn available_quotas() -> u32 {
		let (revenue, equity) = Self::stages();
		revenue.min(equity).saturating_sub(IssuancesExecuted::<T>::get())
	}

	/// The chain clock's year now: 365 of its days from genesis.
	pub fn year() -> u32 {
		T::Clock::day_index() / DAYS_PER_YEAR
	}

	/// This year's book. A year no issuance touched yet starts from the issuance now, which is
	/// its issuance at the start: only strategic issuance mints, and any of this year's would
	/// have opened the book.
	pub fn year_book() -> YearBook {
		let year = Self::year();
		match Book::<T>::get() {
			Some(book) if book.year == year => book,
			_ => YearBook { year, supply_at_start: T::Currency::total_issuance(), minted: 0 },
		}
	}

	/// What the cap lets this year mint: its share of the supply at the start, less the mints.
	pub fn room_this_year(book: &YearBook) -> Balance {
		T::YearlyCap::get().mul_floor(book.supply_at_start).saturating_sub(book.minted)
	}

	/// Everything `vcity_supplyQuotas` reports.
	pub fn quotas() -> SupplyQuotas {
		let sizes = Stages::<T>::get();
		let (revenue_stages, equity_stages) = Self::stages();
		let used = IssuancesExecuted::<T>::get();
		let book = Self::year_book();
		SupplyQuotas {
			revenue: T::Revenue::cumulative_revenue(),
			revenue_stage: sizes.revenue,
			revenue_stages,
			locked: T::VeWeights::total_locked(),
			equity_stage: sizes.equity,
			equity_stages,
			used,
			available: revenue_stages.min(equity_stages).saturating_sub(used),
			year: book.year,
			supply_at_year_start: book.supply_at_start,
			minted_this_year: book.minted,
			room_this_year: Self::room_this_year(&book),
			issued_since_genesis: TotalIssued::<T>::get(),
			denomination: CurrentDenomination::<T>::get(),
		}
	}
}

//! The JSON shapes of the buyback treasury's RPC and their conversions from the runtime's types.
//! Amounts are decimal strings in base units (USDV 6 decimals, VCAI 18), days and blocks numbers.
//!
//! Prices are VCAI base units per whole USDV, the integer the chain computes and bounds its swaps
//! with. They stay integers here rather than VCAI per USDV with a fraction, so a client checking
//! a round against its minimum output works with the chain's own figures.

use serde::{Deserialize, Serialize};
use vcity_primitives::{BuybackParams, BuybackRecord, DayIndex, TreasuryView};

/// The treasury's holdings, its books since genesis and the pool's prices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TreasuryJson {
	/// USDV the treasury account holds.
	pub usdv_held: String,
	/// What the next round may sell: the holding above the account's minimum balance.
	pub usdv_available: String,
	/// Protocol revenue recorded since genesis: the DAO's revenue metric.
	pub revenue: String,
	/// Protocol revenue recorded today.
	pub revenue_today: String,
	/// USDV that reached the treasury other than as protocol revenue (direct transfers); kept
	/// apart so that a transfer cannot inflate the revenue metric.
	pub other_income: String,
	/// USDV sold and VCAI bought by the rounds since genesis, VCAI received otherwise (direct
	/// transfers), and the VCAI handed to veVCAI lockers; bought plus received minus dropped is
	/// VCAI waiting in the treasury for the distributor.
	pub usdv_swapped: String,
	pub vcai_bought: String,
	pub vcai_other_income: String,
	pub vcai_dropped: String,
	/// Day of the next round.
	pub next_round_day: DayIndex,
	/// Time-weighted price over the window; `None` until every block of the window was sampled
	/// with liquidity in the pool, and no round swaps while it is.
	pub twap: Option<String>,
	/// The pool's spot price; `None` while the pool has no liquidity.
	pub spot: Option<String>,
}

/// One round that swapped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BuybackJson {
	/// Day and block the round ran in.
	pub day: DayIndex,
	pub block: u32,
	/// USDV sold and VCAI bought.
	pub usdv_in: String,
	pub vcai_out: String,
	/// Time-weighted price the minimum output was derived from.
	pub twap: String,
	/// The pool's spot price when the round ran, before its swap.
	pub spot: String,
	/// Least VCAI the swap would accept.
	pub min_out: String,
	/// What the round paid, `vcaiOut` per whole USDV of `usdvIn` rounded down; computed here so
	/// that clients need no 128-bit division to compare it with `twap` and `spot`.
	pub price: String,
}

/// The rounds' parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParamsJson {
	/// A round runs on the first block of every `intervalDays`-th day.
	pub interval_days: DayIndex,
	/// Largest share below the time-weighted quote a swap accepts, in billionths: the exact
	/// integer the chain keeps, where a percentage could be a rounding.
	pub max_slippage_perbill: u32,
	/// Most USDV sold in one round.
	pub max_chunk: String,
	/// Blocks the time-weighted price averages over.
	pub twap_window: u32,
}

impl From<TreasuryView> for TreasuryJson {
	fn from(t: TreasuryView) -> Self {
		Self {
			usdv_held: t.usdv_held.to_string(),
			usdv_available: t.usdv_available.to_string(),
			revenue: t.revenue.to_string(),
			revenue_today: t.revenue_today.to_string(),
			other_income: t.other_income.to_string(),
			usdv_swapped: t.usdv_swapped.to_string(),
			vcai_bought: t.vcai_bought.to_string(),
			vcai_other_income: t.vcai_other_income.to_string(),
			vcai_dropped: t.vcai_dropped.to_string(),
			next_round_day: t.next_round_day,
			twap: t.twap.map(|p| p.to_string()),
			spot: t.spot.map(|p| p.to_string()),
		}
	}
}

impl From<BuybackRecord> for BuybackJson {
	fn from(r: BuybackRecord) -> Self {
		Self {
			day: r.day,
			block: r.block,
			usdv_in: r.usdv_in.to_string(),
			vcai_out: r.vcai_out.to_string(),
			twap: r.twap.to_string(),
			spot: r.spot.to_string(),
			min_out: r.min_out.to_string(),
			price: r.price().to_string(),
		}
	}
}

impl From<BuybackParams> for ParamsJson {
	fn from(p: BuybackParams) -> Self {
		Self {
			interval_days: p.interval_days,
			max_slippage_perbill: p.max_slippage.deconstruct(),
			max_chunk: p.max_chunk.to_string(),
			twap_window: p.twap_window,
		}
	}
}

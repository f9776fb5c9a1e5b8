//! The JSON shapes of the buyback treasury's RPC that are not the runtime's types as they render
//! themselves (`TreasuryView`, `BuybackRecord`): a round with the price it paid, and the rounds'
//! parameters as clients read them. Amounts are decimal strings in base units (USDV 6 decimals,
//! VCAI 18), days and blocks numbers.
//!
//! Prices are VCAI base units per whole USDV, the integer the chain computes and bounds its swaps
//! with. They stay integers here rather than VCAI per USDV with a fraction, so a client checking
//! a round against its minimum output works with the chain's own figures.

use serde::{Deserialize, Serialize};
use vcity_primitives::{BuybackParams, BuybackRecord, DayIndex, VcaiPerUsdv};

/// One round that swapped: the record's fields, then the price it paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuybackJson {
	#[serde(flatten)]
	pub round: BuybackRecord,
	/// What the round paid, `vcaiOut` per whole USDV of `usdvIn` rounded down; computed here so
	/// that clients need no 128-bit division to compare it with `twap` and `spot`.
	#[serde(with = "vcity_primitives::json::decimal")]
	pub price: VcaiPerUsdv,
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

impl From<BuybackRecord> for BuybackJson {
	fn from(round: BuybackRecord) -> Self {
		Self { price: round.price(), round }
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

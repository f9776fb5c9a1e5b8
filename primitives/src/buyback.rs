//! The buyback treasury: what the runtime API and the RPC show of it.

use crate::units::{Balance, DayIndex};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_runtime::Perbill;

/// Prices of VCAI in the buyback are VCAI base units per whole USDV (10^6 USDV base units): an
/// integer with 18 decimals of VCAI precision whatever VCAI trades at.
pub type VcaiPerUsdv = Balance;

/// The rounds' and the price average's parameters, set by governance.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct BuybackParams {
	/// A round runs on the first block of every `interval_days`-th day.
	pub interval_days: DayIndex,
	/// The least VCAI a swap accepts is the time-weighted quote less this share.
	pub max_slippage: Perbill,
	/// Most USDV sold in one round, in base units; the rest waits for the next round.
	pub max_chunk: Balance,
	/// Blocks the time-weighted price averages over.
	pub twap_window: u32,
}

impl Default for BuybackParams {
	/// Daily rounds of at most 100,000 USDV, within 3% of the hour's average price (at 6 s
	/// blocks): the pool's 0.3% fee plus the impact of a chunk of 2.7% of the USDV reserve.
	fn default() -> Self {
		Self {
			interval_days: 1,
			max_slippage: Perbill::from_percent(3),
			max_chunk: 100_000 * crate::USDV,
			twap_window: 600,
		}
	}
}

/// One round of the buyback that swapped.
#[derive(
	Encode,
	Decode,
	TypeInfo,
	MaxEncodedLen,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct BuybackRecord {
	/// Day the round ran on.
	pub day: DayIndex,
	/// Block the round ran in.
	pub block: u32,
	/// USDV sold, in base units.
	#[serde(with = "crate::json::decimal")]
	pub usdv_in: Balance,
	/// VCAI bought, in base units.
	#[serde(with = "crate::json::decimal")]
	pub vcai_out: Balance,
	/// Time-weighted price over the window, which the minimum output was derived from.
	#[serde(with = "crate::json::decimal")]
	pub twap: VcaiPerUsdv,
	/// The pool's spot price when the round ran, before its swap.
	#[serde(with = "crate::json::decimal")]
	pub spot: VcaiPerUsdv,
	/// Least VCAI the swap would accept.
	#[serde(with = "crate::json::decimal")]
	pub min_out: Balance,
}

impl BuybackRecord {
	/// The price the round paid, in VCAI base units per whole USDV (rounded down).
	pub fn price(&self) -> VcaiPerUsdv {
		if self.usdv_in == 0 {
			return 0;
		}
		// VCAI bought per USDV base unit, scaled to a whole USDV, without overflowing u128.
		let whole = self.vcai_out / self.usdv_in;
		let rest = self.vcai_out % self.usdv_in;
		whole.saturating_mul(crate::USDV).saturating_add(rest.saturating_mul(crate::USDV) / self.usdv_in)
	}
}

/// The treasury's books since genesis, in base units.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TreasuryView {
	/// USDV the treasury account holds now.
	#[serde(with = "crate::json::decimal")]
	pub usdv_held: Balance,
	/// What the next round may sell: the holding above the account's minimum balance.
	#[serde(with = "crate::json::decimal")]
	pub usdv_available: Balance,
	/// Protocol revenue recorded since genesis (the DAO's revenue metric).
	#[serde(with = "crate::json::decimal")]
	pub revenue: Balance,
	/// Protocol revenue recorded today.
	#[serde(with = "crate::json::decimal")]
	pub revenue_today: Balance,
	/// USDV that reached the account other than as protocol revenue (direct transfers); kept
	/// apart so that a transfer cannot inflate the revenue metric.
	#[serde(with = "crate::json::decimal")]
	pub other_income: Balance,
	/// USDV sold by the buyback since genesis.
	#[serde(with = "crate::json::decimal")]
	pub usdv_swapped: Balance,
	/// VCAI bought since genesis.
	#[serde(with = "crate::json::decimal")]
	pub vcai_bought: Balance,
	/// VCAI that reached the account other than by a swap (direct transfers), dropped with the
	/// VCAI bought.
	#[serde(with = "crate::json::decimal")]
	pub vcai_other_income: Balance,
	/// VCAI handed to the veVCAI distributor since genesis.
	#[serde(with = "crate::json::decimal")]
	pub vcai_dropped: Balance,
	/// Day of the next round.
	pub next_round_day: DayIndex,
	/// Time-weighted price over the current window, once the window is full of samples.
	#[serde(default, with = "crate::json::decimal_option")]
	pub twap: Option<VcaiPerUsdv>,
	/// The pool's spot price now, if the pool has liquidity.
	#[serde(default, with = "crate::json::decimal_option")]
	pub spot: Option<VcaiPerUsdv>,
}

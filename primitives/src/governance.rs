//! The DAO's shared vocabulary: the passing rule its tracks and its tally agree on, and what the
//! supply pallet reports.

use crate::{Balance, DayIndex};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_runtime::Perbill;

/// Approval a proposal needs on every track. The veVCAI tally reports at least this for more aye
/// than nay weight and at most 50% otherwise, so passing is exactly "more than half of the
/// weight that took a side" (docs/governance.md "Passing").
pub const MAJORITY_APPROVAL: Perbill = Perbill::from_parts(500_000_001);

/// VCAI as wallets show it after the DAO's repricings: a value-neutral redenomination changes
/// no balance on chain, only how many displayed VCAI one base amount is
/// (docs/governance.md "Repricing").
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct Denomination {
	/// Displayed VCAI per VCAI of genesis, times 10^18: a wallet shows `balance × factor / 10^18`
	/// where it showed `balance`. 10^18 until the first repricing.
	#[serde(with = "crate::json::decimal")]
	pub factor: u128,
	/// Repricings executed.
	pub repricings: u32,
	/// The day of the last one.
	pub since_day: Option<DayIndex>,
}

impl Default for Denomination {
	fn default() -> Self {
		Self { factor: DENOMINATION_ONE, repricings: 0, since_day: None }
	}
}

/// A factor of one in [`Denomination::factor`]'s fixed point.
pub const DENOMINATION_ONE: u128 = 1_000_000_000_000_000_000;

/// The DAO's supply quotas and the room left under this year's cap (`vcity_supplyQuotas`).
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SupplyQuotas {
	/// Cumulative net protocol fee income, USDV base units (the buyback's books).
	#[serde(with = "crate::json::decimal")]
	pub revenue: Balance,
	/// USDV of revenue per revenue stage.
	#[serde(with = "crate::json::decimal")]
	pub revenue_stage: Balance,
	pub revenue_stages: u32,
	/// VCAI in unexpired locks, base units.
	#[serde(with = "crate::json::decimal")]
	pub locked: Balance,
	/// VCAI locked per equity stage.
	#[serde(with = "crate::json::decimal")]
	pub equity_stage: Balance,
	pub equity_stages: u32,
	/// Strategic issuances executed since genesis: one quota each.
	pub used: u32,
	/// min(revenue stages, equity stages) − used.
	pub available: u32,
	/// The chain clock's year (365 of its days) from genesis.
	pub year: u32,
	/// Total VCAI issuance when this year began.
	#[serde(with = "crate::json::decimal")]
	pub supply_at_year_start: Balance,
	/// Minted by strategic issuances this year.
	#[serde(with = "crate::json::decimal")]
	pub minted_this_year: Balance,
	/// What may still be minted this year: the cap (5% of the supply at the year's start) less
	/// what was minted.
	#[serde(with = "crate::json::decimal")]
	pub room_this_year: Balance,
	/// Minted by strategic issuances since genesis: total issuance less the genesis supply.
	#[serde(with = "crate::json::decimal")]
	pub issued_since_genesis: Balance,
	pub denomination: Denomination,
}

/// Where a referendum is in its life (`vcity_referendum`).
#[derive(Encode, Decode, TypeInfo, Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ReferendumStage {
	/// Discussed: its prepare period, or waiting for its decision deposit.
	Preparing,
	/// Ready, waiting for one of its track's deciding slots.
	Queued,
	/// Being decided, not passing yet (or no longer).
	Deciding,
	/// Passing, and must keep passing to the end of the confirmation.
	Confirming,
	Approved,
	Rejected,
	Cancelled,
	/// Never decided: no decision deposit or no slot within the timeout.
	TimedOut,
	Killed,
}

/// A referendum's live tally, in veVCAI weight (`vcity_referendum`).
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TallyView {
	/// The day whose start-of-day snapshot weighs every vote.
	pub snapshot_day: DayIndex,
	/// Σ of all weights in that snapshot.
	#[serde(with = "crate::json::decimal")]
	pub electorate: u128,
	#[serde(with = "crate::json::decimal")]
	pub ayes: u128,
	#[serde(with = "crate::json::decimal")]
	pub nays: u128,
	#[serde(with = "crate::json::decimal")]
	pub abstains: u128,
	pub voters: u32,
	/// Aye ÷ (aye + nay), parts per billion (more than 500,000,000 passes).
	pub approval_ppb: u32,
	/// Weight that voted ÷ the electorate, parts per billion.
	pub support_ppb: u32,
	/// The track's minimum turnout, parts per billion.
	pub min_turnout_ppb: u32,
	/// Whether the tally passes both now.
	pub passing: bool,
}

/// A referendum as `vcity_referendum` reports it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReferendumView {
	pub index: u32,
	/// Its track, while ongoing (referenda keep none once decided).
	pub track: Option<u16>,
	pub track_name: Option<alloc::string::String>,
	pub stage: ReferendumStage,
	/// Block of submission (ongoing referenda).
	pub submitted: Option<u32>,
	/// Block the decision began.
	pub deciding_since: Option<u32>,
	/// Block the confirmation ends, if it is passing.
	pub confirming_until: Option<u32>,
	/// Block it was approved, rejected, cancelled, timed out or killed.
	pub ended: Option<u32>,
	/// The live tally; referenda keep none once decided.
	pub tally: Option<TallyView>,
}

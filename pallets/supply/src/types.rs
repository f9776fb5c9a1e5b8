//! What the pallet stores and takes.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use vcity_primitives::{Balance, DayIndex, USDV, VCAI};

/// How much revenue and how much locked VCAI make one stage each (whitepaper 3.7). Set at
/// genesis and fixed: a fast dev chain uses small stages so its tests reach a quota.
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
pub struct StageSizes {
	/// USDV of cumulative net protocol fee income per revenue stage.
	pub revenue: Balance,
	/// VCAI in unexpired locks per equity stage.
	pub equity: Balance,
}

impl Default for StageSizes {
	fn default() -> Self {
		Self { revenue: 2_000_000 * USDV, equity: 500_000_000 * VCAI }
	}
}

/// What this year has minted against the cap.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct YearBook {
	/// The chain clock's year: its days from genesis, 365 to a year.
	pub year: u32,
	/// Total issuance when the year began. Strategic issuance is the only mint, and the book
	/// is opened by the year's first issuance or read, so the issuance then is the year's start.
	pub supply_at_start: Balance,
	/// Minted by strategic issuances in the year.
	pub minted: Balance,
}

/// How a partner's grant vests: nothing before the cliff, then linearly.
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
pub struct VestingTerms {
	/// Days from the issuance before anything vests.
	pub cliff_days: u32,
	/// Days over which the grant then vests, linearly.
	pub vesting_days: u32,
}

/// A strategic issuance as executed.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub struct IssuanceRecord {
	pub day: DayIndex,
	/// Partners that received a grant.
	pub partners: u32,
	/// VCAI minted to them together.
	pub minted: Balance,
	pub terms: VestingTerms,
}

/// What the treasury may pay out.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug,
)]
pub enum TreasuryAsset {
	Vcai,
	Usdv,
}

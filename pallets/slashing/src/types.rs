//! What the pallet stores besides the shared types of `vcity_primitives::offence`.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_runtime::Perbill;
use vcity_primitives::{Balance, VCAI};

/// The share of the stake a tier takes: `first` at a node's first slash within the repeat
/// window, rising in equal steps to `last` at `repeats_to_last` earlier slashes and beyond.
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
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct FractionRange {
	pub first: Perbill,
	pub last: Perbill,
}

impl FractionRange {
	/// The fraction after `repeats` earlier slashes: first + (last − first) · min(repeats, n) / n.
	pub fn at(&self, repeats: u32, repeats_to_last: u32) -> Perbill {
		let n = u64::from(repeats_to_last.max(1));
		let steps = u64::from(repeats).min(n);
		let span = u64::from(self.last.deconstruct().saturating_sub(self.first.deconstruct()));
		let rise = (span * steps / n) as u32;
		Perbill::from_parts(self.first.deconstruct().saturating_add(rise))
	}
}

/// Everything governance sets (docs/slashing.md#parameters).
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
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct SlashParams<BlockNumber> {
	/// Minor offences: within 1–10% (default 5% rising to 10%).
	pub minor: FractionRange,
	/// Moderate offences: within 5–30% (default 10% rising to 30%).
	pub moderate: FractionRange,
	/// Earlier slashes within the repeat window at which a range reaches its last fraction
	/// (1 to 10; default 4).
	pub repeats_to_last: u32,
	/// Blocks over which earlier slashes count as repeats (default 30 days).
	pub repeat_window: BlockNumber,
	/// Blocks a case is pending before it executes (default 7 days).
	pub deferral: BlockNumber,
	/// Blocks an appeal still undecided at the end of the pending window may wait for its
	/// decision (default 3 days).
	pub appeal_grace: BlockNumber,
	/// VCAI held from the owner for an appeal.
	pub appeal_deposit: Balance,
	/// Share of what is left after compensation that goes to the reporters (at most 50%;
	/// default 10%). Offences the chain saw itself have no reporter: it goes to the treasury.
	pub reporter_cut: Perbill,
}

/// Bounds no governance can leave: the whitepaper's tiers, widened below for a DAO that wants
/// milder penalties, never above.
pub const MINOR_BOUNDS: (Perbill, Perbill) = (Perbill::from_percent(1), Perbill::from_percent(10));
pub const MODERATE_BOUNDS: (Perbill, Perbill) = (Perbill::from_percent(5), Perbill::from_percent(30));
pub const MAX_REPORTER_CUT: Perbill = Perbill::from_percent(50);
pub const MAX_REPEATS_TO_LAST: u32 = 10;

/// Blocks in a day of 24 hours at 6-second blocks: the defaults below are counted in them.
const DAY_BLOCKS: u32 = 14_400;

impl<BlockNumber: From<u32>> Default for SlashParams<BlockNumber> {
	/// The whitepaper's tiers, a week pending, three days' grace for an appeal's decision, a
	/// 30-day repeat window, a 100 VCAI appeal deposit and a 10% reporter's cut.
	fn default() -> Self {
		Self {
			minor: FractionRange { first: Perbill::from_percent(5), last: Perbill::from_percent(10) },
			moderate: FractionRange { first: Perbill::from_percent(10), last: Perbill::from_percent(30) },
			repeats_to_last: 4,
			repeat_window: (30 * DAY_BLOCKS).into(),
			deferral: (7 * DAY_BLOCKS).into(),
			appeal_grace: (3 * DAY_BLOCKS).into(),
			appeal_deposit: 100 * VCAI,
			reporter_cut: Perbill::from_percent(10),
		}
	}
}

/// The two queues of cases due: cases at the end of their pending window, and appealed cases at
/// the end of their grace. Each is in block order on its own (every entry of one is pushed a
/// fixed length after its push), so the hook can stop at the first entry not yet due.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug,
)]
pub enum DueKind {
	Window,
	Grace,
}

/// Why an offence was not acted on.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug,
)]
pub enum DropReason {
	/// No node has the id.
	UnknownNode,
	/// The node has exited or is banned: it has no stake left to take.
	NodeGone,
}

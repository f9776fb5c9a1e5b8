//! A vote and what it is worth.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use vcity_primitives::VeWeight;

/// What a voter says of a proposal.
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
pub enum VoteChoice {
	Aye,
	Nay,
	/// Counts towards the turnout, not for either side.
	Abstain,
}

/// A vote as cast, with the weight it was counted at.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub struct CastVote {
	pub choice: VoteChoice,
	/// The voter's veVCAI weight in the referendum's snapshot.
	pub weight: VeWeight,
}

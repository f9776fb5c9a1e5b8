//! The DAO's origins, its tracks and their settings.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_runtime::Perbill;
use vcity_primitives::{Balance, VCAI};

/// A referendum track's index, as `pallet-referenda` stores it.
pub type TrackId = u16;

/// What a passed referendum dispatches as, besides root: one origin per kind of decision, so a
/// call can only be made by the track whose deposit, periods and turnout suit it.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug,
)]
pub enum DaoOrigin {
	/// Every governed value: the pallets' `set_*` calls, the stake schedule and multiplier, the
	/// clock's period length, the fee split, the buyback's settings, dispute verdicts.
	Parameters,
	/// Minting VCAI to named partners under vesting, within the quotas and the yearly cap.
	StrategicIssuance,
	/// A value-neutral redenomination of VCAI.
	Repricing,
	/// Spending from the reserve fund the DAO treasury holds.
	TreasurySpending,
	/// Judgements: a node owner's appeal against a pending slash, and a task dispute's verdict
	/// where no audit gave one.
	Appeal,
	/// Cancelling a referendum (its deposits returned) before it is enacted: faster than any
	/// track it cancels.
	Canceller,
}

impl DaoOrigin {
	/// The track that dispatches as this origin.
	pub fn track(self) -> DaoTrack {
		match self {
			Self::Parameters => DaoTrack::Parameters,
			Self::StrategicIssuance => DaoTrack::StrategicIssuance,
			Self::Repricing => DaoTrack::Repricing,
			Self::TreasurySpending => DaoTrack::TreasurySpending,
			Self::Appeal => DaoTrack::Appeals,
			Self::Canceller => DaoTrack::Cancellations,
		}
	}
}

/// The DAO's tracks, in the order of their ids.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug,
)]
pub enum DaoTrack {
	/// Runtime upgrades and anything else only root may do: the strictest.
	Root,
	Parameters,
	StrategicIssuance,
	Repricing,
	TreasurySpending,
	/// Short, so an appeal is decided inside the slash's pending window and grace, and a
	/// dispute inside its resolution window.
	Appeals,
	/// Shorter than every track whose referenda it may cancel, so a bad approval can be stopped
	/// before its enactment.
	Cancellations,
}

impl DaoTrack {
	pub const ALL: [DaoTrack; 7] = [
		Self::Root,
		Self::Parameters,
		Self::StrategicIssuance,
		Self::Repricing,
		Self::TreasurySpending,
		Self::Appeals,
		Self::Cancellations,
	];

	pub fn id(self) -> TrackId {
		match self {
			Self::Root => 0,
			Self::Parameters => 1,
			Self::StrategicIssuance => 2,
			Self::Repricing => 3,
			Self::TreasurySpending => 4,
			Self::Appeals => 5,
			Self::Cancellations => 6,
		}
	}

	pub fn from_id(id: TrackId) -> Option<Self> {
		Self::ALL.into_iter().find(|track| track.id() == id)
	}

	/// The name `pallet-referenda` shows (at most 25 bytes).
	pub fn name(self) -> &'static str {
		match self {
			Self::Root => "root",
			Self::Parameters => "parameters",
			Self::StrategicIssuance => "strategic_issuance",
			Self::Repricing => "repricing",
			Self::TreasurySpending => "treasury_spending",
			Self::Appeals => "appeals",
			Self::Cancellations => "cancellations",
		}
	}

	/// The table a real network starts with, its periods in days of `blocks_per_day` blocks
	/// (docs/governance.md "Tracks" gives the reasons).
	pub fn production<BlockNumber: From<u32>>(self, blocks_per_day: u32) -> TrackSettings<BlockNumber> {
		let days = |d: u32| BlockNumber::from(blocks_per_day.saturating_mul(d));
		// At least a block, however short the chain's day.
		let hours = |h: u32| BlockNumber::from((blocks_per_day.saturating_mul(h) / 24).max(1));
		let (max_deciding, deposit, turnout) = match self {
			Self::Root => (2, 1_000_000, 30),
			Self::Parameters => (10, 100_000, 15),
			Self::StrategicIssuance => (2, 500_000, 25),
			Self::Repricing => (1, 500_000, 25),
			Self::TreasurySpending => (10, 100_000, 15),
			// Enough slots that squatting them costs more than an appeal is worth holding up.
			Self::Appeals => (200, 100, 5),
			Self::Cancellations => (10, 200_000, 30),
		};
		let (prepare, decision, confirm, enactment) = match self {
			Self::Root | Self::StrategicIssuance | Self::Repricing => (days(7), days(14), days(2), days(2)),
			Self::Parameters | Self::TreasurySpending => (days(7), days(7), days(1), days(1)),
			// Lodged on the pending window's last day, an appeal still ends inside the 3-day grace.
			Self::Appeals => (hours(1), days(2), hours(6), BlockNumber::from(1)),
			// Two days at most, while the quickest track it cancels takes nine to enact.
			Self::Cancellations => (hours(1), days(1), hours(4), BlockNumber::from(1)),
		};
		TrackSettings {
			max_deciding,
			decision_deposit: deposit * VCAI,
			prepare_period: prepare,
			decision_period: decision,
			confirm_period: confirm,
			min_enactment_period: enactment,
			min_turnout: Perbill::from_percent(turnout),
		}
	}
}

/// What governance may set of a track. The passing rule itself is not here: more aye than nay
/// weight, on every track (the whitepaper's "more than 50% of the weight that voted").
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
pub struct TrackSettings<BlockNumber> {
	/// Referenda of the track decided at once; more wait in its queue.
	pub max_deciding: u32,
	/// VCAI held from whoever lets a referendum be decided, returned once it is.
	pub decision_deposit: Balance,
	/// Discussion: blocks after submission before the decision may begin.
	pub prepare_period: BlockNumber,
	/// Blocks a referendum has to pass; it is rejected at their end.
	pub decision_period: BlockNumber,
	/// Blocks it must keep passing before it is approved.
	pub confirm_period: BlockNumber,
	/// Blocks between approval and enactment at the least.
	pub min_enactment_period: BlockNumber,
	/// Share of the snapshot day's total veVCAI weight that must vote (aye, nay or abstain).
	pub min_turnout: Perbill,
}

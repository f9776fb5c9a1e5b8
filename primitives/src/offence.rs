//! Offences: the one vocabulary in which the market, the registry and verification report what
//! a node did wrong, and the slashing pallet turns into a punishment (docs/slashing.md).

use crate::{
	node::NodeId,
	task::TaskId,
	units::{Balance, Moment},
};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::weights::Weight;
use scale_info::TypeInfo;

/// What a node did wrong. Each offence has one tier; the slashing pallet's parameters say what
/// each tier costs.
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
	PartialOrd,
	Ord,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum Offence {
	/// The node stopped beating for a whole window while it held tasks it had taken, and had
	/// not given them up first.
	UnannouncedDowntime,
	/// Unannounced downtime within the repeat window of an executed slash (of any offence): a
	/// node already punished that leaves its users' work undone again.
	RepeatedDowntime,
	/// The node acknowledged a task and did not deliver it: it did not start it within the start
	/// window, ran past its seconds and the grace, let its deadline pass, or a dispute about its
	/// result was upheld.
	FailedDelivery,
	/// A delivered result that verification found wrong.
	FalseResult,
	/// GPUs the node declared and could not show to a capacity challenge.
	FakeCapacity,
	/// A verifier that tampered with a verification (e.g. signed two answers to one check).
	VerifierTampering,
	/// A verifier that did not answer a check it was drawn for.
	VerifierAbsent,
	/// A verifier whose answer went against the quorum.
	VerifierDissent,
}

impl Offence {
	/// Every offence, for tables and tests.
	pub const ALL: [Offence; 8] = [
		Offence::UnannouncedDowntime,
		Offence::RepeatedDowntime,
		Offence::FailedDelivery,
		Offence::FalseResult,
		Offence::FakeCapacity,
		Offence::VerifierTampering,
		Offence::VerifierAbsent,
		Offence::VerifierDissent,
	];

	/// The tier the whitepaper puts it in (docs/slashing.md#offences).
	pub fn tier(self) -> OffenceTier {
		match self {
			Offence::UnannouncedDowntime | Offence::VerifierAbsent => OffenceTier::Minor,
			Offence::RepeatedDowntime | Offence::FailedDelivery | Offence::VerifierDissent => {
				OffenceTier::Moderate
			}
			Offence::FalseResult | Offence::FakeCapacity | Offence::VerifierTampering => OffenceTier::Severe,
		}
	}
}

/// How grave an offence is: what share of the stake it costs and what else follows.
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
	PartialOrd,
	Ord,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum OffenceTier {
	/// 5–10% of the stake.
	Minor,
	/// 10–30% of the stake, and no rewards while the slash is pending.
	Moderate,
	/// The whole stake and a permanent ban; the node is suspended from the report on.
	Severe,
}

/// What an offence is about, so anyone can look it up.
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
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum OffenceEvidence {
	/// A task the node took (the market's record of it, and its events).
	Task(TaskId),
	/// The node's last heartbeat before the window it missed.
	Downtime { last_seen_ms: Moment },
	/// A check of the verification pallet (a capacity challenge or a delivery audit).
	Check(u64),
}

/// An offence as a reporter hands it to the slashing pallet.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct OffenceReport<AccountId> {
	pub node: NodeId,
	pub offence: Offence,
	pub evidence: OffenceEvidence,
	/// The user whose task the offence hit, and the USDV they had put up for it: what they are
	/// compensated up to, out of the slash.
	pub victim: Option<(AccountId, Balance)>,
	/// Who found the offence and shares the reporter's cut; none when the chain saw it itself
	/// (the cut then goes to the treasury).
	pub reporters: Vec<AccountId>,
}

/// Where offences are reported: the slashing pallet. Reporting never fails for the reporter:
/// an offence the pallet cannot act on (an unknown node, one already banned) is dropped with an
/// event, so a task's expiry or a heartbeat sweep never fails because of it.
pub trait OffenceReporter<AccountId> {
	/// Records the offence; the punishment follows after the slashing pallet's pending window.
	fn report_offence(report: OffenceReport<AccountId>);
	/// The most [`Self::report_offence`] costs.
	fn report_offence_weight() -> Weight;
}

/// No slashing: offences go nowhere.
impl<AccountId> OffenceReporter<AccountId> for () {
	fn report_offence(_report: OffenceReport<AccountId>) {}
	fn report_offence_weight() -> Weight {
		Weight::zero()
	}
}

/// What pending slashes mean for a node, as the registry and the rewards ask it.
pub trait PenaltyStatus {
	/// Whether a pending slash of the moderate or severe tier stops the node's rewards: it is
	/// credited no Proof-of-Capacity or Proof-of-Delivery and claims nothing until the slash
	/// has executed or been cancelled.
	fn rewards_suspended(node: NodeId) -> bool;
	/// Whether a slash is pending against the node: its stake stays held until it has executed
	/// or been cancelled, whatever the node does meanwhile.
	fn slash_pending(node: NodeId) -> bool;
	/// What either question costs.
	fn penalty_status_weight() -> Weight;
}

/// Nothing is ever pending.
impl PenaltyStatus for () {
	fn rewards_suspended(_node: NodeId) -> bool {
		false
	}
	fn slash_pending(_node: NodeId) -> bool {
		false
	}
	fn penalty_status_weight() -> Weight {
		Weight::zero()
	}
}

/// What other pallets undo when a node is banned: the market takes back the tasks in its hands,
/// the rewards void its points of the open period.
pub trait OnNodeBanned {
	/// Ends the banned node's part; returns the weight used.
	fn node_banned(node: NodeId) -> Weight;
	/// The most [`Self::node_banned`] may use.
	fn node_banned_weight() -> Weight;
}

impl OnNodeBanned for () {
	fn node_banned(_node: NodeId) -> Weight {
		Weight::zero()
	}
	fn node_banned_weight() -> Weight {
		Weight::zero()
	}
}

impl<A: OnNodeBanned, B: OnNodeBanned> OnNodeBanned for (A, B) {
	fn node_banned(node: NodeId) -> Weight {
		A::node_banned(node).saturating_add(B::node_banned(node))
	}
	fn node_banned_weight() -> Weight {
		A::node_banned_weight().saturating_add(B::node_banned_weight())
	}
}

/// Identity of a slash case; assigned in order and never reused.
pub type SlashCaseId = u64;

/// Offences one case keeps the details of; later ones still count and still join it.
pub const MAX_CASE_OFFENCES: u32 = 16;
/// Users one case compensates: the first ones its offences hit.
pub const MAX_CASE_VICTIMS: u32 = 16;
/// Accounts that share one case's reporter cut.
pub const MAX_CASE_REPORTERS: u32 = 8;
/// Offences kept in a node's log, newest last.
pub const OFFENCE_LOG_LEN: u32 = 32;
/// Closed cases kept in a node's slash history, newest last.
pub const SLASH_HISTORY_LEN: u32 = 16;

/// A user an offence hit, and the USDV they had put up for the tasks it hit.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	PartialEq,
	Eq,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct Victim<AccountId> {
	pub who: AccountId,
	/// USDV base units.
	#[serde(with = "crate::json::decimal")]
	pub payment: Balance,
}

/// Where a case's appeal stands.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	PartialEq,
	Eq,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum AppealState<AccountId, BlockNumber> {
	/// Not appealed (yet).
	None,
	/// The node's owner appealed, with `deposit` VCAI held; the appeal origin decides.
	Pending {
		appellant: AccountId,
		#[serde(with = "crate::json::decimal")]
		deposit: Balance,
		lodged_at: BlockNumber,
	},
	/// The appeal was rejected; its deposit went to the treasury and the slash executes.
	Rejected,
}

/// A pending slash: one node's offences since its last case closed, punished together by the
/// gravest of them (docs/slashing.md#cases).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	PartialEq,
	Eq,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct SlashCase<AccountId, BlockNumber> {
	pub node: NodeId,
	/// The gravest tier among its offences.
	pub tier: OffenceTier,
	/// Share of `stake_at_open` it takes (severe: the whole stake at execution).
	pub fraction: sp_runtime::Perbill,
	/// The node's stake when the case opened: stake bonded later is not at risk.
	#[serde(with = "crate::json::decimal")]
	pub stake_at_open: Balance,
	pub opened_at: BlockNumber,
	/// The end of its pending window: the slash executes then, unless an appeal is pending
	/// (it then waits up to the appeal grace for the decision).
	pub execute_at: BlockNumber,
	/// Whether the appeal grace has already been given.
	pub grace_given: bool,
	/// Offences that joined it (the first [`MAX_CASE_OFFENCES`]).
	pub offences: frame_support::BoundedVec<
		(Offence, OffenceEvidence),
		frame_support::traits::ConstU32<MAX_CASE_OFFENCES>,
	>,
	/// All offences that joined it.
	pub offence_count: u32,
	pub victims:
		frame_support::BoundedVec<Victim<AccountId>, frame_support::traits::ConstU32<MAX_CASE_VICTIMS>>,
	pub reporters: frame_support::BoundedVec<AccountId, frame_support::traits::ConstU32<MAX_CASE_REPORTERS>>,
	pub appeal: AppealState<AccountId, BlockNumber>,
	/// Whether this case suspended the node (a severe offence), so cancelling it resumes it.
	pub suspended: bool,
}

/// An offence as a node's log keeps it.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	PartialEq,
	Eq,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct OffenceRecord<BlockNumber> {
	pub offence: Offence,
	pub evidence: OffenceEvidence,
	/// The block it was reported in.
	pub at: BlockNumber,
	/// The case it joined.
	pub case: SlashCaseId,
}

/// How a case ended.
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
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum SlashOutcome {
	/// The slash took `slashed` VCAI of the stake: `compensated` to the users hit,
	/// `to_reporters`, and the rest to the treasury; `banned` for a severe case.
	Executed {
		#[serde(with = "crate::json::decimal")]
		slashed: Balance,
		#[serde(with = "crate::json::decimal")]
		compensated: Balance,
		#[serde(with = "crate::json::decimal")]
		to_reporters: Balance,
		#[serde(with = "crate::json::decimal")]
		to_treasury: Balance,
		banned: bool,
	},
	/// An upheld appeal cancelled it; nothing was taken.
	Cancelled,
}

/// A closed case, as a node's slash history keeps it.
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
pub struct SlashRecord<BlockNumber> {
	pub case: SlashCaseId,
	pub tier: OffenceTier,
	pub fraction: sp_runtime::Perbill,
	pub offences: u32,
	pub opened_at: BlockNumber,
	pub closed_at: BlockNumber,
	pub outcome: SlashOutcome,
}

/// A pending case with its id, as clients see it (the case's fields beside `id`).
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingCase<AccountId, BlockNumber> {
	pub id: SlashCaseId,
	#[serde(flatten)]
	pub case: SlashCase<AccountId, BlockNumber>,
}

/// A node's offences, its pending case and its closed cases, for clients.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeOffences<AccountId, BlockNumber> {
	pub offences: Vec<OffenceRecord<BlockNumber>>,
	pub pending: Option<PendingCase<AccountId, BlockNumber>>,
	pub history: Vec<SlashRecord<BlockNumber>>,
}

/// A page of pending cases, and where the next one starts (none after the last).
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SlashCasePage<AccountId, BlockNumber> {
	pub cases: Vec<PendingCase<AccountId, BlockNumber>>,
	/// Cases pending in all.
	pub total: u32,
	pub next_cursor: Option<SlashCaseId>,
}

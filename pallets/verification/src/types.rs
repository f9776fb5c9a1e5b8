//! What the pallet stores and says: its parameters, jobs and their verifiers' answers.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::ConstU32, BoundedVec};
use scale_info::TypeInfo;
use sp_runtime::{Perbill, Permill};
use vcity_primitives::{Balance, BuiltinWorkload, Digest, NodeId, TaskId, USDV};

/// Most verifiers one job may draw.
pub const MAX_VERIFIERS_PER_JOB: u32 = 7;

/// Blocks between a delivery and the draw that decides whether it is audited: the draw reads
/// the hash of a block built after the delivery, which its node could not know.
pub const DRAW_DELAY: u32 = 2;

/// Most blocks a queue looks ahead for a free slot.
pub const QUEUE_PROBE_BLOCKS: u32 = 64;

/// Open jobs a verifier may hold at once: a draw passes over one that has this many, so nobody
/// can bury a verifier in work it cannot finish in time and have it reported absent.
pub const MAX_OPEN_JOBS_PER_VERIFIER: u32 = 4;

/// Attempts a draw makes per verifier it needs: draws land on nodes that may not serve (offline,
/// the node under test, its owner's, the buyer's, already drawn); a bounded number of tries
/// keeps the cost of a draw flat however the pool looks.
pub const DRAW_ATTEMPTS_PER_SEAT: u32 = 4;

/// Everything governance sets (docs/verification.md#parameters).
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
pub struct VerificationParams<BlockNumber> {
	/// Share of recomputable deliveries audited without a dispute (default 5%).
	pub audit_fraction: Perbill,
	/// Verifiers drawn for each job (1 to 7; default 3).
	pub verifiers_per_job: u32,
	/// Matching answers that decide a job: more than half the verifiers drawn (default 2).
	pub quorum: u32,
	/// Blocks verifiers have to commit, on top of the time the work takes at the reference rate
	/// (default 50: five minutes).
	pub commit_window: BlockNumber,
	/// Blocks verifiers have to reveal once the commit phase is over (default 20).
	pub reveal_window: BlockNumber,
	/// Largest work audited, in seconds at the reference rate: a check must not take longer
	/// than a verifier can be asked to spend (default an hour).
	pub max_work_seconds: u64,
	/// Share of each task's payment carved out of the protocol's part for verifiers (default
	/// 2%, at most 10%).
	pub fee_share: Permill,
	/// USDV paid from the verification fees to each verifier whose answer matched the quorum's,
	/// at most (default 0.05 USDV); the job's budget may pay less.
	pub answer_reward: Balance,
	/// USDV held from a task's owner who disputes a recomputable result; it pays the audit if
	/// the result was right (default 0.5 USDV).
	pub dispute_deposit: Balance,
}

impl<BlockNumber: From<u32>> Default for VerificationParams<BlockNumber> {
	fn default() -> Self {
		Self {
			audit_fraction: Perbill::from_percent(5),
			verifiers_per_job: 3,
			quorum: 2,
			commit_window: 50u32.into(),
			reveal_window: 20u32.into(),
			max_work_seconds: 3_600,
			fee_share: Permill::from_percent(2),
			answer_reward: USDV / 20,
			dispute_deposit: USDV / 2,
		}
	}
}

/// Highest verification fee governance may set: it comes out of the protocol's part, which is
/// 9% of a payment to a Gold node at the default split.
pub const MAX_FEE_SHARE: Permill = Permill::from_percent(10);

/// One drawn verifier and what it has answered.
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
pub struct Seat {
	pub verifier: NodeId,
	/// The hash of its answer and salt, once committed.
	pub commitment: Option<[u8; 32]>,
	/// Its answer, once revealed.
	pub answer: Option<Digest>,
}

/// An audit of a delivered task.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Job<AccountId, BlockNumber> {
	pub task: TaskId,
	/// The node whose result is checked.
	pub node: NodeId,
	/// What the verifiers recompute.
	pub workload: BuiltinWorkload,
	/// The result the node delivered.
	pub claimed: Digest,
	/// Who a false result hit and what they are compensated up to.
	pub victim: Option<(AccountId, Balance)>,
	/// The owner who disputed the task, and the deposit held from them.
	pub disputant: Option<(AccountId, Balance)>,
	/// What the verifiers' pay may come to besides a forfeited deposit: for a sampled audit,
	/// the delivery's verification fee divided by the audit fraction (the fees of the deliveries
	/// not drawn pay for the one that is); nothing for an audit a dispute alone opened.
	pub budget: Balance,
	pub seats: BoundedVec<Seat, ConstU32<MAX_VERIFIERS_PER_JOB>>,
	/// Matching answers that decide it (the parameter when it opened).
	pub quorum: u32,
	/// Commitments land before this block.
	pub commit_by: BlockNumber,
	/// Reveals land before this block; the job is tallied in it at the latest.
	pub reveal_by: BlockNumber,
}

impl<AccountId, BlockNumber> Job<AccountId, BlockNumber> {
	/// Whether every verifier has committed: the reveal phase may start early.
	pub fn all_committed(&self) -> bool {
		self.seats.iter().all(|seat| seat.commitment.is_some())
	}

	/// Whether every verifier has revealed: the job may be tallied early.
	pub fn all_revealed(&self) -> bool {
		self.seats.iter().all(|seat| seat.answer.is_some())
	}

	/// The answer at least `quorum` verifiers gave, if any. Quorum is more than half the seats,
	/// so at most one answer reaches it.
	pub fn decided_answer(&self) -> Option<Digest> {
		self.seats.iter().filter_map(|seat| seat.answer).find(|answer| {
			let votes = self.seats.iter().filter(|seat| seat.answer.as_ref() == Some(answer)).count();
			votes as u32 >= self.quorum
		})
	}
}

/// Why an audit was not opened.
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
pub enum NotOpened {
	/// Fewer online verifiers could be drawn (outside the node's and the buyer's) than the quorum.
	TooFewVerifiers,
	/// The work is larger than `max_work_seconds`.
	TooMuchWork,
	/// No block within reach had room for the job's end.
	QueueFull,
}

/// How a verifier's answer to a job stood against the verdict.
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
pub enum AnswerStanding {
	/// It matched the quorum's answer: paid.
	Agreed,
	/// It went against the quorum's answer: reported (`VerifierDissent`).
	Dissented,
	/// It never revealed an answer: reported (`VerifierAbsent`).
	Absent,
	/// It answered, and no answer reached the quorum: neither paid nor reported.
	Undecided,
}

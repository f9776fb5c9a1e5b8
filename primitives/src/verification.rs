//! Verification: what the market and the verification pallet tell each other about the audits of
//! delivered results (docs/verification.md), and the signed result statements anyone may hold a
//! node to.

use crate::{
	node::NodeId,
	task::{BuiltinWorkload, Digest, TaskId},
	units::Balance,
};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::weights::Weight;
use scale_info::TypeInfo;
use sp_runtime::{DispatchError, Permill};

/// Identity of a verification job (an audit); assigned in order from 1 and never reused.
pub type JobId = u64;

/// What an audit decided.
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
pub enum AuditVerdict {
	/// A quorum of verifiers recomputed the node's result.
	Passed,
	/// A quorum of verifiers recomputed another result: the node's is false.
	Failed,
	/// No result reached the quorum (too few answers, or answers split): the audit says nothing
	/// and the task goes on as if it had not been audited.
	Inconclusive,
}

/// A delivered task as an audit needs it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct AuditableDelivery<AccountId> {
	/// The node that delivered it.
	pub node: NodeId,
	/// Who bought it: no verifier of theirs checks it.
	pub owner: AccountId,
	/// What a verifier recomputes.
	pub workload: BuiltinWorkload,
	/// The digest the node delivered.
	pub result: Digest,
	/// What the delivery pays at the agreed price (USDV base units): the fee it brings the
	/// verifiers is a share of it.
	pub payment: Balance,
	/// Who a false result hit, and what they are compensated up to (the market's rule for
	/// failed deliveries).
	pub victim: Option<(AccountId, Balance)>,
}

/// What the market asks of verification (the verification pallet implements it).
pub trait DeliveryAudits<AccountId> {
	/// A task with a recomputable workload was delivered: whether it is audited is drawn later,
	/// from randomness its node could not know when it delivered.
	fn delivered(task: TaskId);
	/// What [`Self::delivered`] costs, the draw and the audit it may open and close included:
	/// the delivery pays it.
	fn delivered_weight() -> Weight;
	/// The owner disputed the task: `Ok(true)` if an audit decides the dispute (the deposit is
	/// held from the owner), `Ok(false)` if no audit can (the workload cannot be recomputed, or
	/// too few verifiers are online) and governance must. An error refuses the dispute.
	fn disputed(task: TaskId, owner: &AccountId) -> Result<bool, DispatchError>;
	/// What [`Self::disputed`] costs.
	fn disputed_weight() -> Weight;
	/// Whether an audit of the task is under way: its settlement waits for the verdict.
	fn audit_open(task: TaskId) -> bool;
	/// The share of each task's payment carved out of the protocol's part to pay verifiers.
	fn fee_share() -> Permill;
	/// Where that share goes; `None` pays no fee.
	fn fee_account() -> Option<AccountId>;
	/// A task assigned in block `assigned_at` gave `gpus` GPUs back to `node`, whose tasks hold
	/// `in_use` GPUs now. If the node owes a challenge for the GPUs tasks held when it was
	/// drawn, and this task was one of them (assigned before the draw), the freed GPUs wait for
	/// that challenge; once no task holds any, all it owes does.
	fn gpus_freed(node: NodeId, gpus: u32, assigned_at: u64, in_use: u32);
	/// What [`Self::gpus_freed`] costs.
	fn gpus_freed_weight() -> Weight;
	/// GPUs of `node` that are free but owe a challenge: the market offers them to no task
	/// until it has opened, so a node cannot hand them from one task to the next unchecked.
	fn gpus_withheld(node: NodeId) -> u32;
}

/// No verification: no audits, no fee, every dispute is governance's.
impl<AccountId> DeliveryAudits<AccountId> for () {
	fn delivered(_task: TaskId) {}
	fn delivered_weight() -> Weight {
		Weight::zero()
	}
	fn disputed(_task: TaskId, _owner: &AccountId) -> Result<bool, DispatchError> {
		Ok(false)
	}
	fn disputed_weight() -> Weight {
		Weight::zero()
	}
	fn audit_open(_task: TaskId) -> bool {
		false
	}
	fn fee_share() -> Permill {
		Permill::zero()
	}
	fn fee_account() -> Option<AccountId> {
		None
	}
	fn gpus_freed(_node: NodeId, _gpus: u32, _assigned_at: u64, _in_use: u32) {}
	fn gpus_freed_weight() -> Weight {
		Weight::zero()
	}
	fn gpus_withheld(_node: NodeId) -> u32 {
		0
	}
}

/// A capacity challenge's memory walk (docs/verification.md#the-memory-walk): a table of `items`
/// items of [`MEMORY_ITEM_BYTES`] filled from the job's key, sized to the challenged GPUs'
/// declared memory, and `reads` random reads of it. Whole lanes of [`MEMORY_LANES`], two items
/// a lane at least.
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
pub struct MemoryWalk {
	pub items: u64,
	pub reads: u64,
}

pub use vcity_agent_api::{memory_min_seconds, MAX_MEMORY_TABLE_BYTES, MEMORY_ITEM_BYTES, MEMORY_LANES};

/// A job a node answers, as its offchain worker reads it: one it was drawn to verify, or its
/// own capacity challenge.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct AssignedJob<BlockNumber> {
	pub id: JobId,
	/// What to recompute.
	pub workload: BuiltinWorkload,
	/// The key the answer's keyed digest is taken under.
	pub key: [u8; 32],
	/// A capacity challenge: the agent mixes each round with the key, so the rounds cannot be
	/// collapsed into fewer products (an audit recomputes a task's plain rounds).
	pub mixed: bool,
	/// A capacity challenge's memory walk, which the agent runs after the mixed chain.
	pub memory: Option<MemoryWalk>,
	/// GPUs the agent runs it on: one for a verifier; for a node's own capacity challenge, the
	/// GPUs it is challenged for.
	pub gpus: u32,
	/// Commitments land before this block (for a challenged node, the deadline of its answer).
	pub commit_by: BlockNumber,
	/// Reveals land before this block.
	pub reveal_by: BlockNumber,
	/// Whether this verifier has committed, and revealed.
	pub committed: bool,
	pub revealed: bool,
	/// Whether reveals are taken now (every verifier committed, or the commit phase is over).
	pub reveal_open: bool,
}

/// The jobs each verifier was drawn for (the verification pallet implements it).
pub trait VerifierJobs<BlockNumber> {
	/// The open jobs `node` was drawn for, at most seven a job and bounded per node by the
	/// jobs open at once.
	fn jobs_of(node: NodeId) -> alloc::vec::Vec<AssignedJob<BlockNumber>>;
	/// Whether `job` is still open (its checks are still wanted by some verifier).
	fn job_open(job: JobId) -> bool;
	/// Whether a draw took `node` out of the pool while it was not online (and its owner has
	/// not taken it out since): its worker puts it back once it is online.
	fn should_rejoin(node: NodeId) -> bool;
}

impl<BlockNumber> VerifierJobs<BlockNumber> for () {
	fn jobs_of(_node: NodeId) -> alloc::vec::Vec<AssignedJob<BlockNumber>> {
		alloc::vec::Vec::new()
	}
	fn job_open(_job: JobId) -> bool {
		false
	}
	fn should_rejoin(_node: NodeId) -> bool {
		false
	}
}

/// What verification asks of the market (the market implements it).
pub trait AuditedTasks<AccountId> {
	/// The task, if it is delivered (or disputed) and its workload can be recomputed.
	fn auditable(task: TaskId) -> Option<AuditableDelivery<AccountId>>;
	/// The node a task was delivered by and the digest it delivered, while the market keeps
	/// the task's record (delivered, disputed, settled).
	fn delivered_result(task: TaskId) -> Option<(NodeId, Digest)>;
	/// The audit's verdict: a pass settles the task at once, a failure ends it unpaid (the
	/// verification pallet reports the false result), an inconclusive audit lets the task go on
	/// (settled if its dispute window has closed).
	fn audit_concluded(task: TaskId, verdict: AuditVerdict) -> Result<(), DispatchError>;
	/// What [`Self::audit_concluded`] costs at most.
	fn audit_concluded_weight() -> Weight;
	/// GPUs of `node` (of the `declared` it offers) that no task holds: what a capacity
	/// challenge can ask it to show without stopping paid work.
	fn idle_gpus(node: NodeId, declared: u32) -> u32;
}

/// What a signed result statement is about.
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
pub enum StatementSubject {
	/// A task the node ran: the digest is its result.
	Task(TaskId),
	/// A job the node verified: the digest is its answer.
	Job(JobId),
}

/// "The result of `subject` is `digest`", as a node's operator key signs it off chain (to a
/// user, say). Two statements of one key that disagree prove that the key's node lied in one
/// of them; so does a task statement that disagrees with the result the node delivered on chain.
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
pub struct ResultStatement {
	pub subject: StatementSubject,
	pub digest: Digest,
}

/// Prefix of every signed statement, so no other message of the key can pass for one.
pub const STATEMENT_CONTEXT: &[u8] = b"vcity/result-statement/v1";

impl ResultStatement {
	/// The bytes an operator key signs: the context, the chain's genesis hash (a statement of
	/// one chain proves nothing on another) and the statement.
	pub fn signing_payload(&self, genesis: &[u8]) -> alloc::vec::Vec<u8> {
		(STATEMENT_CONTEXT, genesis, self).encode()
	}
}

/// An answer to a job: the workload's digest, and its output hashed under the job's key.
///
/// The digest alone could be copied: an audit's claimed digest is on chain, so a verifier that
/// answered it without recomputing would agree with every result, false ones included. The
/// keyed digest covers the same output under a key drawn when the job opened; knowing the
/// digest tells nothing of it, so only a verifier that computed the output can give it, and a
/// guess stands against the quorum (docs/verification.md#commit-and-reveal).
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
pub struct CheckAnswer {
	/// The workload's digest, as a node delivers it.
	pub digest: Digest,
	/// The output hashed under the job's key (the agent API's `keyed`).
	pub keyed: Digest,
}

/// The commitment a verifier first submits for its answer: it binds the job, the verifier and
/// the answer, and hides the answer until the reveal (the salt is the verifier's secret).
pub fn answer_commitment(job: JobId, verifier: NodeId, answer: &CheckAnswer, salt: &[u8; 32]) -> [u8; 32] {
	use sp_runtime::traits::Hash;
	sp_runtime::traits::BlakeTwo256::hash(&(b"vcity/answer", job, verifier, answer, salt).encode()).0
}

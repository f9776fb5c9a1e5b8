//! What the pallet stores and says: its parameters, jobs and their verifiers' answers.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::ConstU32, BoundedVec};
use scale_info::TypeInfo;
use sp_runtime::{Perbill, Permill};
use vcity_primitives::{
	Balance, BuiltinWorkload, CheckAnswer, Digest, GpuClass, MemoryWalk, NodeId, TaskId,
	MAX_MEMORY_TABLE_BYTES, MEMORY_ITEM_BYTES, MEMORY_LANES, USDV,
};

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
	pub answer: Option<CheckAnswer>,
}

/// What a job checks.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub enum JobSubject<AccountId, BlockNumber> {
	/// A delivered task's result.
	Delivery {
		task: TaskId,
		/// The result the node delivered.
		claimed: Digest,
		/// Who a false result hit and what they are compensated up to.
		victim: Option<(AccountId, Balance)>,
		/// The owner who disputed the task, and the deposit held from them.
		disputant: Option<(AccountId, Balance)>,
	},
	/// The node's declared GPUs: it answers the seeded workload itself, as the verifiers do,
	/// and must commit by `answer_by`.
	Capacity {
		/// GPUs the challenge covers (the node's idle ones when it opened).
		gpus: u32,
		/// The memory walk sized to those GPUs' declared memory, after the mixed chain.
		memory: Option<MemoryWalk>,
		/// The deadline of its commitment, from the challenge table for its GPU class.
		answer_by: BlockNumber,
		/// Its commitment and answer.
		seat: Seat,
		/// The block its commitment landed in.
		committed_at: Option<BlockNumber>,
	},
}

/// A verification job: a delivery audit or a capacity challenge.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Job<AccountId, BlockNumber> {
	/// The node checked.
	pub node: NodeId,
	/// What the verifiers recompute (and a challenged node computes).
	pub workload: BuiltinWorkload,
	/// The key answers' keyed digests are taken under, drawn when the job opened.
	pub key: [u8; 32],
	pub subject: JobSubject<AccountId, BlockNumber>,
	/// What the verifiers' pay may come to besides a forfeited deposit: for a sampled audit,
	/// the delivery's verification fee divided by the audit fraction (the fees of the deliveries
	/// not drawn pay for the one that is); nothing for an audit a dispute alone opened; one
	/// reward a seat for a challenge, while the fees last.
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
	/// The task audited, if this is an audit.
	pub fn task(&self) -> Option<TaskId> {
		match self.subject {
			JobSubject::Delivery { task, .. } => Some(task),
			JobSubject::Capacity { .. } => None,
		}
	}

	/// The challenged node's own seat, if this is a challenge.
	pub fn node_seat(&self) -> Option<&Seat> {
		match &self.subject {
			JobSubject::Capacity { seat, .. } => Some(seat),
			JobSubject::Delivery { .. } => None,
		}
	}

	/// Whether `node` answers this job: a drawn verifier, or the challenged node.
	pub fn answers(&self, node: NodeId) -> bool {
		self.seats.iter().any(|seat| seat.verifier == node)
			|| self.node_seat().is_some_and(|s| s.verifier == node)
	}

	/// Whether every verifier, and a challenged node, has committed: the reveal phase may start
	/// early. Until then no answer is public, so nobody can copy one.
	pub fn all_committed(&self) -> bool {
		self.seats.iter().chain(self.node_seat()).all(|seat| seat.commitment.is_some())
	}

	/// Whether someone who committed has not revealed yet.
	pub fn reveals_awaited(&self) -> bool {
		self.seats
			.iter()
			.chain(self.node_seat())
			.any(|seat| seat.commitment.is_some() && seat.answer.is_none())
	}

	/// The answer at least `quorum` verifiers gave, if any. Quorum is more than half the seats,
	/// so at most one answer reaches it. A challenged node's own answer does not count.
	pub fn decided_answer(&self) -> Option<CheckAnswer> {
		self.seats.iter().filter_map(|seat| seat.answer).find(|answer| {
			let votes = self.seats.iter().filter(|seat| seat.answer.as_ref() == Some(answer)).count();
			votes as u32 >= self.quorum
		})
	}
}

/// A capacity challenge's workload for one GPU class (docs/verification.md#capacity-challenges).
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
pub struct ChallengeSpec {
	/// Side of the seeded matrices.
	pub size: u32,
	/// Products per GPU challenged: the work grows with the GPUs declared.
	pub rounds_per_gpu: u32,
	/// Seconds the node has, from the block the challenge opens in, to commit to its answer.
	pub deadline_seconds: u32,
	/// Seconds verifiers have per GPU challenged to recompute it (on top of the commit window):
	/// a verifier recomputes the whole node's work on one GPU.
	pub verify_seconds_per_gpu: u32,
	/// KiB of the memory walk's table per GiB of memory declared for each GPU challenged (at
	/// most 1,048,576, the whole memory); 0 walks no memory.
	pub memory_kib_per_gib: u32,
	/// Random reads of the table per item in it.
	pub memory_reads_per_item: u32,
}

/// Most KiB of table per declared GiB: all of it.
pub const MAX_MEMORY_KIB_PER_GIB: u32 = 1 << 20;
/// Most reads per item a row may ask for: the walk's time grows with them, and so does the
/// verifiers'.
pub const MAX_MEMORY_READS_PER_ITEM: u32 = 1_024;

impl ChallengeSpec {
	/// The memory walk of a challenge of `gpus` GPUs of `gib_per_gpu` GiB each: the row's
	/// share of that memory, in whole lanes of [`MEMORY_LANES`] (two items a lane at least) and
	/// no larger than [`MAX_MEMORY_TABLE_BYTES`], which every verifier's agent holds; and the
	/// row's reads per item.
	pub fn memory_walk(&self, gpus: u32, gib_per_gpu: u32) -> Option<MemoryWalk> {
		if self.memory_kib_per_gib == 0 || self.memory_reads_per_item == 0 {
			return None;
		}
		let kib = u64::from(gpus)
			.saturating_mul(u64::from(gib_per_gpu))
			.saturating_mul(u64::from(self.memory_kib_per_gib));
		let items = kib.saturating_mul(1_024 / MEMORY_ITEM_BYTES);
		let most_per_lane = MAX_MEMORY_TABLE_BYTES / MEMORY_ITEM_BYTES / MEMORY_LANES;
		let per_lane = items.div_ceil(MEMORY_LANES).clamp(2, most_per_lane);
		let items = per_lane * MEMORY_LANES;
		Some(MemoryWalk { items, reads: items.saturating_mul(u64::from(self.memory_reads_per_item)) })
	}
}

/// Capacity challenges: how many and how hard (docs/verification.md#capacity-challenges).
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
pub struct ChallengeParams {
	/// Share of the online compute nodes challenged each day, spread evenly over its blocks
	/// (default 10%).
	pub daily_fraction: Perbill,
	/// The table by GPU class (`gpu_class` of the declared model).
	pub consumer: ChallengeSpec,
	pub workstation: ChallengeSpec,
	pub datacenter: ChallengeSpec,
}

impl ChallengeParams {
	/// The table's row for `class`.
	pub fn spec(&self, class: GpuClass) -> ChallengeSpec {
		match class {
			GpuClass::Consumer => self.consumer,
			GpuClass::Workstation => self.workstation,
			GpuClass::Datacenter => self.datacenter,
		}
	}

	/// Challenges sized so a CPU-only host passes in seconds: the dev and local chains, whose
	/// agents run simulated GPUs.
	pub fn for_cpu_hosts() -> Self {
		// 128 KiB of table per declared GiB: 3 MiB for a 24 GiB GPU, read four times over.
		let spec = ChallengeSpec {
			size: 64,
			rounds_per_gpu: 4,
			deadline_seconds: 60,
			verify_seconds_per_gpu: 4,
			memory_kib_per_gib: 128,
			memory_reads_per_item: 4,
		};
		Self {
			daily_fraction: Perbill::from_percent(10),
			consumer: spec,
			workstation: spec,
			datacenter: spec,
		}
	}
}

impl Default for ChallengeParams {
	/// The production table: each row asks for more multiply-adds a second per GPU than any CPU
	/// reaches (4·10¹² and up, `PRODUCTION_FLOOR_RATE`) over a minute, which leaves the worker's
	/// own latency (a push, a poll, a commitment landing: three blocks) out of the GPU's time;
	/// a class's GPUs take a quarter to two thirds of it at their int32 peak.
	fn default() -> Self {
		// The memory walk asks for 90% of the declared memory, which comes to the 1 GiB cap for
		// any GPU of more than 1.1 GiB, read 16 times over: it shows a GiB of memory that keeps
		// up with the chain's deadline, not the whole card (docs/verification.md#the-memory-walk).
		let row = |rounds_per_gpu| ChallengeSpec {
			size: 4096,
			rounds_per_gpu,
			deadline_seconds: 60,
			verify_seconds_per_gpu: 120,
			memory_kib_per_gib: 943_718,
			memory_reads_per_item: 16,
		};
		Self {
			daily_fraction: Perbill::from_percent(10),
			consumer: row(3_600),
			workstation: row(3_600),
			datacenter: row(6_000),
		}
	}
}

/// Multiply-adds a second per GPU that no CPU reaches: a wide server CPU computes the matrix
/// workload's 32-bit products at 10¹¹ to 10¹² a second, a data-centre GPU at 10¹³ and more.
/// A production row asks for at least this much, so an agent that simulates its GPUs on a CPU
/// misses every deadline.
pub const PRODUCTION_FLOOR_RATE: u128 = 4_000_000_000_000;

/// A capacity challenge a node owes for GPUs tasks held when it was drawn
/// (docs/verification.md#busy-nodes-owe-their-challenge).
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
	Default,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct OwedChallenge {
	/// GPUs still owed: held by tasks at the draw, and not challenged since.
	pub gpus: u32,
	/// Of those, the GPUs their tasks have given back: no task may take them until the
	/// challenge opens, which the next blocks do.
	pub withheld: u32,
	/// The block of the draw: tasks assigned before it held the owed GPUs. GPUs a task took
	/// since were idle at the draw, or withheld until their challenge opened, and are not owed.
	pub drawn_at: u64,
}

/// How a capacity challenge ended for the node.
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
pub enum ChallengeVerdict {
	/// It committed in time to the answer the verifiers' quorum gave.
	Passed,
	/// It never committed by its deadline (a later commitment is refused): downtime
	/// (`UnannouncedDowntime`).
	NoAnswer,
	/// Its answer is not the quorum's (`FakeCapacity`).
	Wrong,
	/// It committed and never revealed, hiding an answer it had (`FakeCapacity`).
	Unrevealed,
	/// It answered in time and no answer reached the quorum: nothing is known against it.
	Inconclusive,
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
/// Trusted execution environments a node may attest (docs/verification.md#tee-attestations).
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
pub enum TeeKind {
	/// NVIDIA confidential computing (Hopper and later): the GPU itself signs its identity.
	NvidiaCc,
	/// Intel TDX: a confidential virtual machine on the host.
	IntelTdx,
	/// AMD SEV-SNP: a confidential virtual machine on the host.
	AmdSevSnp,
}

/// Most bytes of an attestation report: an NVIDIA GPU report with its certificate chain, or a
/// TDX or SEV-SNP quote with its collateral, fits.
pub const MAX_REPORT_BYTES: u32 = 16 * 1024;

/// Where a node's attestation stands.
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
pub enum AttestationStanding<BlockNumber> {
	/// Attached, not judged yet.
	Pending,
	/// Governance found the report genuine and the hardware as declared, until this block.
	Accepted { until: BlockNumber },
	/// Governance found it wanting.
	Rejected,
}

/// The attestation a node attached: the report itself is in the call that attached it, on
/// chain for anyone to check; storage keeps its hash.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub struct Attestation<BlockNumber> {
	pub tee: TeeKind,
	/// BLAKE2b-256 of the report.
	pub report_hash: [u8; 32],
	pub attached_at: BlockNumber,
	pub standing: AttestationStanding<BlockNumber>,
}

/// How governance weighs accepted attestations.
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
pub struct AttestationPolicy<BlockNumber> {
	/// Share of its draws in which a node with an accepted attestation is challenged all the
	/// same (default 100%: an attestation spares nothing until governance trusts the checks
	/// behind it).
	pub attested_challenge_share: Perbill,
	/// Longest an acceptance may last, in blocks (default 30 days of 6-second blocks): hardware
	/// and firmware change, and a report is a claim about one moment.
	pub max_validity: BlockNumber,
}

impl<BlockNumber: From<u32>> Default for AttestationPolicy<BlockNumber> {
	fn default() -> Self {
		Self { attested_challenge_share: Perbill::one(), max_validity: (30 * 14_400u32).into() }
	}
}

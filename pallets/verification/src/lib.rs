//! # Verification: verifier nodes that audit delivered results
//!
//! A node's result is a digest the chain cannot recompute itself; verifier nodes can
//! (docs/verification.md). This pallet draws them, collects their answers and acts on the
//! verdict.
//!
//! - **The pool** (`pool.rs`). Nodes with the verifier role join it; a job draws its verifiers
//!   from it at random, never the node under test, a node of its owner or a node of the task's
//!   buyer, and only online ones.
//! - **Randomness** (`entropy.rs`). A running hash of every block's parent hash and every
//!   revealed salt. Whether a delivery is audited is drawn two blocks after it, from a hash its
//!   node could not know.
//! - **Audits** (`audit.rs`). A governed share of the deliveries with a recomputable workload
//!   is audited, and every disputed one; the task's settlement waits for the verdict.
//! - **Answers** (`answer.rs`). Each verifier commits to a hash of its answer and a salt, then
//!   reveals both once every verifier has committed or the commit phase is over, so nobody can
//!   copy an answer.
//! - **Verdicts** (`conclude.rs`). A quorum of matching answers decides: the node's digest
//!   passes (the task settles at once) or is a false result (severe: the task is refunded and
//!   the node reported). Verifiers who did not answer, or answered against the quorum, are
//!   reported; those who matched it are paid from the verification fee the market carves out
//!   of the protocol's share of every payment.
//! - **Capacity challenges** (`challenge.rs`). Each day a governed share of the online compute
//!   nodes, drawn a few a block, must compute a seeded workload sized to their idle GPUs and
//!   their declared memory (a mixed matrix chain, then a walk of a table of a share of that
//!   memory, 1 GiB at most, which every verifier recomputes) within a deadline from a table by GPU class; verifiers recompute it. The GPUs tasks
//!   hold at the draw are owed, and challenged as those tasks free them. No answer in time is
//!   downtime; a wrong or hidden one is fake capacity.
//! - **TEE attestations** (`attestation.rs`). A node may attach a report from a trusted execution
//!   environment; governance judges it, and a node whose report it accepted is challenged in a
//!   governed share of its draws. A seam for the verifiers of such reports to come.
//! - **Open access** (`proof.rs`). Anyone may prove that a node's operator key signed two
//!   different results for one task or job, or a result for a task other than the one it
//!   delivered, and is the reporter of the offence.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use audit::AuditStatus;
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

/// A job as this runtime stores it.
pub type JobOf<T> =
	Job<<T as frame_system::Config>::AccountId, frame_system::pallet_prelude::BlockNumberFor<T>>;

mod answer;
mod attestation;
mod audit;
mod challenge;
mod conclude;
mod entropy;
#[cfg(any(feature = "try-runtime", feature = "std"))]
mod invariants;
pub mod migrations;
mod params;
mod pool;
mod proof;
mod query;
pub mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
#[cfg(test)]
mod tests;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Inspect, InspectHold, Mutate, MutateHold},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::{IdentifyAccount, Verify};
	use vcity_primitives::{
		AuditVerdict, AuditedTasks, Balance, BuiltinWorkload, CheckAnswer, Clock, Digest, JobId, Moment,
		NodeId, NodeRegistry, OffenceReporter, ResultStatement, StatementSubject, TaskId,
	};

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// USDV, with holds: disputes' deposits.
		type Stablecoin: Inspect<Self::AccountId, Balance = Balance>
			+ InspectHold<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;
		/// USDV's free balances, which verifiers are paid in (the same token as `Stablecoin`).
		type Payments: Mutate<Self::AccountId, Balance = Balance>;
		/// The runtime's hold reasons, of which [`HoldReason`] is one.
		type RuntimeHoldReason: From<HoldReason>;
		/// Nodes: roles, owners, operator keys, liveness.
		type Registry: NodeRegistry<Self::AccountId, Balance>;
		/// The delivered tasks audits check, and what their verdicts do.
		type Market: AuditedTasks<Self::AccountId>;
		/// Where false results, fake capacity, downtime and verifiers' misconduct are reported
		/// (the slashing pallet).
		type Offences: OffenceReporter<Self::AccountId>;
		/// The chain's days, over which the share of nodes challenged is spread.
		type Clock: Clock;
		/// Signatures of operator keys over result statements (open-access proofs).
		type Signature: Verify<Signer: IdentifyAccount<AccountId = Self::AccountId>>
			+ Parameter
			+ DecodeWithMemTracking;
		/// Its account holds the verification fees the market pays in, and pays verifiers.
		#[pallet::constant]
		type PalletId: Get<PalletId>;
		/// Sets the parameters (root until the DAO exists).
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Most nodes in the verifier pool.
		#[pallet::constant]
		type MaxVerifiers: Get<u32>;
		/// Most audit draws one block makes; later deliveries are drawn in later blocks.
		#[pallet::constant]
		type MaxDrawsPerBlock: Get<u32>;
		/// Most jobs one block tallies at the end of their reveal phase.
		#[pallet::constant]
		type MaxJobEndsPerBlock: Get<u32>;
		/// Most capacity challenges one block opens, however many nodes the day's share comes
		/// to: the chain's work per block for challenges stays flat.
		#[pallet::constant]
		type MaxChallengesPerBlock: Get<u32>;
		/// Expected block time: turns a workload's seconds into the blocks a verifier needs.
		#[pallet::constant]
		type BlockTimeMs: Get<Moment>;
		type WeightInfo: WeightInfo;
		/// Nodes, tasks and USDV for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::benchmarking::BenchmarkHelper<Self::AccountId, Self::Signature>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// USDV held from a task's owner who disputed it, until its audit's verdict.
		DisputeDeposit,
	}

	/// What governance sets.
	#[pallet::storage]
	pub type Params<T: Config> = StorageValue<_, VerificationParams<BlockNumberFor<T>>, ValueQuery>;

	/// The running mix of block hashes and revealed salts every draw reads.
	#[pallet::storage]
	pub type Entropy<T> = StorageValue<_, [u8; 32], ValueQuery>;

	/// The verifier pool, as a dense array: a draw reads one slot.
	#[pallet::storage]
	pub type PoolSlot<T> = StorageMap<_, Twox64Concat, u32, NodeId>;

	/// Where each node of the pool sits in it.
	#[pallet::storage]
	pub type SlotOfVerifier<T> = StorageMap<_, Twox64Concat, NodeId, u32>;

	/// Nodes in the pool (slots `0..PoolSize`).
	#[pallet::storage]
	pub type PoolSize<T> = StorageValue<_, u32, ValueQuery>;

	/// The id the next job gets.
	#[pallet::storage]
	pub type NextJobId<T> = StorageValue<_, JobId, ValueQuery, FirstJobId>;

	/// Ids start at 1: 0 never names a job.
	#[pallet::type_value]
	pub fn FirstJobId() -> JobId {
		1
	}

	/// Open jobs.
	#[pallet::storage]
	pub type Jobs<T: Config> = StorageMap<_, Twox64Concat, JobId, JobOf<T>>;

	/// Each task under audit: waiting for its draw, or its job open. The market's settlement of
	/// the task waits while it is here.
	#[pallet::storage]
	pub type AuditOfTask<T: Config> = StorageMap<_, Twox64Concat, TaskId, AuditStatus<T::AccountId>>;

	/// The open jobs each verifier was drawn for: what its offchain worker answers.
	#[pallet::storage]
	pub type JobsOfVerifier<T> = StorageDoubleMap<_, Twox64Concat, NodeId, Twox64Concat, JobId, ()>;

	/// Nodes a draw took out of the pool because they were not online: their worker puts them
	/// back once they are (a node its owner took out stays out).
	#[pallet::storage]
	pub type DroppedFromPool<T> = StorageMap<_, Twox64Concat, NodeId, ()>;

	/// How many open jobs each verifier holds (the entries of [`JobsOfVerifier`] under it).
	#[pallet::storage]
	pub type OpenJobsOf<T> = StorageMap<_, Twox64Concat, NodeId, u32, ValueQuery>;

	/// Deliveries whose audit is drawn at each block.
	#[pallet::storage]
	pub type Draws<T: Config> =
		StorageMap<_, Twox64Concat, BlockNumberFor<T>, BoundedVec<TaskId, T::MaxDrawsPerBlock>, ValueQuery>;

	/// Jobs whose reveal phase ends at each block (tallied then, if not before).
	#[pallet::storage]
	pub type JobEnds<T: Config> =
		StorageMap<_, Twox64Concat, BlockNumberFor<T>, BoundedVec<JobId, T::MaxJobEndsPerBlock>, ValueQuery>;

	/// What governance sets for capacity challenges.
	#[pallet::storage]
	pub type Challenges<T> = StorageValue<_, ChallengeParams, ValueQuery>;

	/// Challenges owed to the day's share and not opened yet, in billionths of a challenge:
	/// each block adds its part and opens the whole ones.
	#[pallet::storage]
	pub type ChallengeCredit<T> = StorageValue<_, u64, ValueQuery>;

	/// The attestation each node attached last, and how governance judged it.
	#[pallet::storage]
	pub type Attestations<T: Config> = StorageMap<_, Twox64Concat, NodeId, Attestation<BlockNumberFor<T>>>;

	/// How accepted attestations weigh.
	#[pallet::storage]
	pub type TeePolicy<T: Config> = StorageValue<_, AttestationPolicy<BlockNumberFor<T>>, ValueQuery>;

	/// The open challenge of each node from a random draw (one at a time).
	#[pallet::storage]
	pub type ChallengeOf<T> = StorageMap<_, Twox64Concat, NodeId, JobId>;

	/// The open challenge of each node for GPUs it owed (one at a time), beside any drawn one:
	/// GPUs given back wait for no other challenge to end, unrentable.
	#[pallet::storage]
	pub type OwedChallengeOf<T> = StorageMap<_, Twox64Concat, NodeId, JobId>;

	/// Challenges nodes owe for GPUs tasks held when they were drawn.
	#[pallet::storage]
	pub type ChallengeOwed<T> = StorageMap<_, Twox64Concat, NodeId, OwedChallenge>;

	/// Owing nodes whose tasks gave GPUs back: the next blocks open their challenge.
	#[pallet::storage]
	pub type OwedReady<T> = StorageMap<_, Twox64Concat, NodeId, ()>;

	/// Statements already proven against each node: one proof reports an offence once.
	#[pallet::storage]
	pub type Proven<T> = StorageDoubleMap<_, Twox64Concat, NodeId, Twox64Concat, StatementSubject, ()>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		pub params: VerificationParams<BlockNumberFor<T>>,
		pub challenges: ChallengeParams,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Pallet::<T>::ensure_valid_params(&self.params)
				.expect("genesis verification parameters are valid");
			Params::<T>::put(self.params);
			Pallet::<T>::ensure_valid_challenges(&self.challenges)
				.expect("genesis challenge parameters are valid");
			Challenges::<T>::put(self.challenges);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The node joined the verifier pool.
		VerifierJoined { node: NodeId },
		/// The node left the verifier pool: its owner took it out, or a draw found it not online
		/// (its worker puts it back once it is).
		VerifierLeft { node: NodeId },
		/// An audit of the task opened: the verifiers commit before `commit_by` and reveal
		/// before `reveal_by`.
		AuditOpened {
			job: JobId,
			task: TaskId,
			node: NodeId,
			verifiers: alloc::vec::Vec<NodeId>,
			commit_by: BlockNumberFor<T>,
			reveal_by: BlockNumberFor<T>,
		},
		/// The task should have been audited and could not be.
		AuditNotOpened { task: TaskId, reason: NotOpened },
		/// A verifier committed to its answer.
		AnswerCommitted { job: JobId, verifier: NodeId },
		/// A verifier (or a challenged node) revealed its answer.
		AnswerRevealed { job: JobId, verifier: NodeId, answer: CheckAnswer },
		/// The job was tallied: `answer` is the one the quorum gave, if any.
		AuditConcluded { job: JobId, task: TaskId, verdict: AuditVerdict, answer: Option<Digest> },
		/// How one verifier's answer stood; `paid` USDV went to its owner.
		VerifierJudged { job: JobId, verifier: NodeId, standing: AnswerStanding, paid: Balance },
		/// A disputant's deposit went back to them (the dispute was right, or undecided).
		DepositReturned { job: JobId, who: T::AccountId, amount: Balance },
		/// A disputant's deposit paid for the audit of a result that was right.
		DepositForfeited { job: JobId, who: T::AccountId, amount: Balance },
		/// The market could not act on a verdict; the task goes on as it was.
		VerdictNotApplied { job: JobId, task: TaskId, error: DispatchError },
		/// The node must show its GPUs: it commits to its answer to `workload` before
		/// `answer_by`, the verifiers before `commit_by`; all reveal before `reveal_by`.
		ChallengeOpened {
			job: JobId,
			node: NodeId,
			gpus: u32,
			workload: BuiltinWorkload,
			memory: Option<vcity_primitives::MemoryWalk>,
			verifiers: alloc::vec::Vec<NodeId>,
			answer_by: BlockNumberFor<T>,
			commit_by: BlockNumberFor<T>,
			reveal_by: BlockNumberFor<T>,
		},
		/// A node drawn for a challenge could not be challenged.
		ChallengeNotOpened { node: NodeId, reason: NotOpened },
		/// The challenge was tallied: `answer` is the one the verifiers' quorum gave, if any.
		ChallengeConcluded { job: JobId, node: NodeId, verdict: ChallengeVerdict, answer: Option<Digest> },
		/// The node attached a TEE attestation; the report is in the call's arguments.
		AttestationAttached { node: NodeId, tee: TeeKind, report_hash: [u8; 32] },
		/// Governance judged the node's attestation.
		AttestationJudged {
			node: NodeId,
			report_hash: [u8; 32],
			standing: AttestationStanding<BlockNumberFor<T>>,
		},
		/// Governance set how accepted attestations weigh.
		AttestationPolicySet { policy: AttestationPolicy<BlockNumberFor<T>> },
		/// Someone proved the node's operator key signed conflicting results.
		MisconductProven { node: NodeId, subject: StatementSubject, reporter: T::AccountId },
		/// Governance set the parameters.
		ParamsSet { params: VerificationParams<BlockNumberFor<T>> },
		/// Governance set the challenges' share and table.
		ChallengeParamsSet { params: ChallengeParams },
		/// The node was drawn while tasks held `gpus` of its GPUs: each is challenged when its
		/// task gives it back, before another task may take it.
		ChallengeDeferred { node: NodeId, gpus: u32 },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No node has this id.
		UnknownNode,
		/// Only the node's owner or operator key may do this.
		NotNodeController,
		/// The node does not have the verifier role.
		NotVerifier,
		/// The node is not online (or is suspended, unbonding, exited or banned).
		NodeNotOnline,
		/// The node is in the pool already.
		AlreadyInPool,
		/// The node is not in the pool.
		NotInPool,
		/// The pool is full.
		PoolFull,
		/// No open job has this id.
		UnknownJob,
		/// The signer is not the operator key of a verifier drawn for the job, nor of the node
		/// it challenges.
		NotDrawn,
		/// The commit phase is over.
		CommitPhaseOver,
		/// A challenged node's deadline has passed: its answer is refused (no answer is
		/// downtime).
		DeadlinePassed,
		/// The verifier committed already; a commitment is final.
		AlreadyCommitted,
		/// The reveal phase has not begun (some verifier may still commit) or is over.
		NotRevealPhase,
		/// The verifier never committed, so it has nothing to reveal.
		NotCommitted,
		/// The verifier revealed already.
		AlreadyRevealed,
		/// The answer and salt do not hash to the commitment.
		CommitmentMismatch,
		/// A signature does not verify against the node's operator key.
		BadSignature,
		/// The two statements are not about one subject, or agree.
		NoConflict,
		/// The statement's subject is not one the node answered for (a task it did not deliver,
		/// a job it was not drawn for).
		NotNodesSubject,
		/// This misconduct was proven already.
		AlreadyProven,
		/// Governance parameters out of range: verifiers per job 1 to 7, a quorum of more than
		/// half of them, zero windows, a fee share above 10%.
		InvalidParams,
		/// The owner cannot hold the dispute deposit.
		CannotPayDeposit,
		/// The node is banned or has exited: it attests nothing.
		NodeRetired,
		/// The node has no attestation to judge.
		NoAttestation,
		/// The node attached another report since: the judgement names one it no longer stands by.
		AttestationReplaced,
		/// An acceptance longer than the policy's `max_validity`.
		ValidityTooLong,
		/// Challenge parameters out of range: a row with a zero size, rounds or time, or a side
		/// above the agents' limit.
		InvalidChallengeParams,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxDrawsPerBlock::get() > 0 && T::MaxJobEndsPerBlock::get() > 0, "queues need room");
			assert!(
				T::MaxChallengesPerBlock::get() <= T::MaxJobEndsPerBlock::get(),
				"a block's challenges must fit a block's job ends"
			);
		}

		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::mix_block_hash()
				.saturating_add(Self::run_draws(now))
				.saturating_add(Self::end_jobs(now))
				.saturating_add(Self::run_challenges(now))
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Puts a node with the verifier role in the pool jobs draw from. Its owner or operator
		/// key; the node must be online.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::join_pool())]
		pub fn join_pool(origin: OriginFor<T>, node: NodeId) -> DispatchResult {
			Self::do_join(ensure_signed(origin)?, node)
		}

		/// Takes a node out of the pool: it is drawn for no new job (it still answers the jobs
		/// it was drawn for).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::leave_pool())]
		pub fn leave_pool(origin: OriginFor<T>, node: NodeId) -> DispatchResult {
			Self::do_leave(ensure_signed(origin)?, node)
		}

		/// A drawn verifier's operator key, or a challenged node's, commits to its answer:
		/// `blake2_256(("vcity/answer", job, node, answer, salt))`, the answer being the
		/// workload's digest and its output's digest under the job's key (`CheckAnswer`).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::commit_answer())]
		pub fn commit_answer(origin: OriginFor<T>, job: JobId, commitment: [u8; 32]) -> DispatchResult {
			Self::do_commit(ensure_signed(origin)?, job, commitment)
		}

		/// A drawn verifier's operator key, or a challenged node's, reveals its answer and salt.
		/// The last reveal tallies the job (and pays for it).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::reveal_answer().saturating_add(Pallet::<T>::conclude_weight()))]
		pub fn reveal_answer(
			origin: OriginFor<T>,
			job: JobId,
			answer: CheckAnswer,
			salt: [u8; 32],
		) -> DispatchResult {
			Self::do_reveal(ensure_signed(origin)?, job, answer, salt)
		}

		/// Anyone proves that `node`'s operator key signed `first` and `second`, two different
		/// results for one task or job; or, with `second` left out, a result for a task the node
		/// delivered another result for on chain. The node is reported (a false result for a
		/// task, tampering for a job) with the caller as reporter.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::prove_misconduct().saturating_add(T::Offences::report_offence_weight()))]
		pub fn prove_misconduct(
			origin: OriginFor<T>,
			node: NodeId,
			first: (ResultStatement, T::Signature),
			second: Option<(ResultStatement, T::Signature)>,
		) -> DispatchResult {
			Self::do_prove(ensure_signed(origin)?, node, first, second)
		}

		/// Sets the parameters (governance). Open jobs keep their verifiers, quorum and phases.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::set_params())]
		pub fn set_params(
			origin: OriginFor<T>,
			params: VerificationParams<BlockNumberFor<T>>,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::ensure_valid_params(&params)?;
			Params::<T>::put(params);
			Self::deposit_event(Event::ParamsSet { params });
			Ok(())
		}

		/// The node's owner or operator key attaches a report from a trusted execution
		/// environment (a GPU's confidential-computing report, a TDX or SEV-SNP quote) for
		/// governance to judge. It replaces any earlier one, judged or not.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::attach_attestation(report.len() as u32))]
		pub fn attach_attestation(
			origin: OriginFor<T>,
			node: NodeId,
			tee: TeeKind,
			report: BoundedVec<u8, ConstU32<MAX_REPORT_BYTES>>,
		) -> DispatchResult {
			Self::do_attach(ensure_signed(origin)?, node, tee, &report)
		}

		/// Governance judges the node's attestation `report_hash`: accepted for `valid_for`
		/// blocks (at most the policy's `max_validity`), or rejected.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::judge_attestation())]
		pub fn judge_attestation(
			origin: OriginFor<T>,
			node: NodeId,
			report_hash: [u8; 32],
			accepted: bool,
			valid_for: BlockNumberFor<T>,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_judge(node, report_hash, accepted, valid_for)
		}

		/// Sets how accepted attestations weigh (governance).
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::set_params())]
		pub fn set_attestation_policy(
			origin: OriginFor<T>,
			policy: AttestationPolicy<BlockNumberFor<T>>,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			TeePolicy::<T>::put(policy);
			Self::deposit_event(Event::AttestationPolicySet { policy });
			Ok(())
		}

		/// Sets the share of nodes challenged each day and the table by GPU class (governance).
		/// Open challenges keep their workload and deadlines.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::set_params())]
		pub fn set_challenge_params(origin: OriginFor<T>, params: ChallengeParams) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::ensure_valid_challenges(&params)?;
			Challenges::<T>::put(params);
			Self::deposit_event(Event::ChallengeParamsSet { params });
			Ok(())
		}
	}
}

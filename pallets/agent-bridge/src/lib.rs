//! # Agent bridge
//!
//! The offchain worker of a GPU operator's node. `vcity-agent` runs on the GPU host and knows
//! the machine; the chain knows the node's tasks. Each block this worker, in the node whose
//! keystore holds the operator's `vcty` key:
//!
//! 1. reads the agent's status over HTTP, with a deadline ([`agent`]);
//! 2. submits the node's heartbeat with the agent's load and health when a new window opens,
//!    provided the agent's GPUs are the ones the node registered ([`heartbeat`]);
//! 3. hands the node's assigned tasks to the agent and submits acknowledgements, starts,
//!    metered usage, results and failures as the agent reports them ([`tasks`]).
//!
//! In a node whose keystore holds the operator key of a node with the Verifier role, the worker
//! has the agent recompute the jobs the node was drawn for and commits to, then reveals, its
//! answers ([`verify`]).
//!
//! In a node whose keystore holds the operator key of a node with the Scheduler role, the same
//! worker matches queued tasks to idle nodes with `vcity-scheduler` and submits the
//! assignments ([`schedule`]); the chain checks each one again.
//!
//! Everything it submits is signed by the operator key, so it goes through the same checks as a
//! hand-typed extrinsic. It never submits while an earlier submission of the same key is still
//! pending ([`ledger`]), so a slow block or a restarted node cannot send a step twice. An agent
//! that does not answer, or answers nonsense, gets no transaction at all: the node stops beating
//! and goes Offline, which is the truth.
//!
//! The pallet has no calls and no storage; it reads the registry and the market through the
//! `vcity-primitives` traits and builds their calls through [`OperatorCalls`].

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod agent;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod crypto;
pub mod heartbeat;
pub mod ledger;
pub mod schedule;
pub mod tasks;
pub mod verify;
mod worker;

#[cfg(test)]
mod tests;

pub use pallet::*;

use alloc::vec::Vec;
use vcity_primitives::{CheckAnswer, Digest, GpuSeconds, HeartbeatMetrics, JobId, NodeId, TaskId};

/// Log target of the worker.
pub const LOG_TARGET: &str = "vcity::agent-bridge";

/// The calls the worker submits, built by the runtime (which knows the registry's and the
/// market's call types).
pub trait OperatorCalls<Call> {
	fn heartbeat(node: NodeId, metrics: HeartbeatMetrics) -> Call;
	fn acknowledge_task(task: TaskId) -> Call;
	fn decline_task(task: TaskId) -> Call;
	fn start_task(task: TaskId) -> Call;
	fn report_usage(task: TaskId, used_gpu_seconds: GpuSeconds) -> Call;
	fn complete_task(task: TaskId, result: Digest, used_gpu_seconds: GpuSeconds) -> Call;
	fn report_failure(task: TaskId) -> Call;
	/// A scheduler's batch of assignments, or `None` when it holds more than one call takes.
	fn assign_tasks(assignments: Vec<(TaskId, NodeId)>) -> Option<Call>;
	/// A verifier's (or a challenged node's) commitment to its answer to a job.
	fn commit_answer(job: JobId, commitment: [u8; 32]) -> Call;
	/// A verifier's (or a challenged node's) answer to a job and its salt.
	fn reveal_answer(job: JobId, answer: CheckAnswer, salt: [u8; 32]) -> Call;
	/// A verifier node puts itself in the pool.
	fn join_pool(node: NodeId) -> Call;
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::{
		offchain::{AppCrypto, CreateSignedTransaction},
		pallet_prelude::*,
	};
	use vcity_primitives::{Balance, Clock, HeartbeatGate, Matching, NodeRegistry, NodeTasks, VerifierJobs};

	/// Version 0: the pallet keeps no storage of its own (the bridge's state lives in the
	/// node's offchain storage); declared so that a first storage item comes with a migration.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config:
		frame_system::Config + CreateSignedTransaction<<Self as frame_system::Config>::RuntimeCall>
	{
		/// The operator key (key type `vcty`) the worker signs with.
		type OperatorKey: AppCrypto<Self::Public, Self::Signature>;
		/// The compute-node registry: which node a key operates, its GPUs, whether it may beat.
		type Registry: NodeRegistry<Self::AccountId, Balance> + HeartbeatGate<Self::AccountId>;
		/// The task market: the node's tasks.
		type Market: NodeTasks<BlockNumberFor<Self>>;
		/// The market as a scheduler node matches it.
		type Matching: Matching;
		/// The jobs a verifier node was drawn for.
		type Verification: VerifierJobs<BlockNumberFor<Self>>;
		/// Builds the registry's and the market's calls.
		type Calls: OperatorCalls<<Self as frame_system::Config>::RuntimeCall>;
		/// Chain time, to bound metered usage by the time a task has run on chain.
		type Clock: Clock;
		/// How long the worker waits for one answer of the agent.
		#[pallet::constant]
		type AgentTimeoutMs: Get<u64>;
		/// Blocks after which a submission that has not landed counts as dropped, so the worker
		/// submits again. Not a metadata constant: the runtime derives it from the market's
		/// acknowledgement window in force.
		type ResubmitAfter: Get<BlockNumberFor<Self>>;
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn offchain_worker(now: BlockNumberFor<T>) {
			worker::run::<T>(now);
		}
	}
}

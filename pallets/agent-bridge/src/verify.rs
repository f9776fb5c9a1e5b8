//! The verifier role: the jobs the node was drawn for are recomputed by its agent (as checks,
//! agent tasks of their own id range) and answered on chain in two steps.
//!
//! The commitment hides the answer behind a salt drawn from the node's own randomness, kept
//! in the node's offchain database until the reveal. The chain is the source of truth again:
//! a job is committed while the chain shows it uncommitted and its commit phase open, and
//! revealed while the chain shows it committed, unrevealed and its reveal phase open.

use crate::agent::{HeldTask, Progress};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use sp_runtime::{offchain::storage::StorageValueRef, traits::Saturating};
use vcity_agent_api::{check_task_id, job_of_check, matrix_min_seconds, memory_min_seconds};
use vcity_primitives::{AssignedJob, BuiltinWorkload, CheckAnswer, JobId, MemoryWalk, NodeId, TaskId};

/// Prefix of the keys under which answers wait for their reveal; the job id follows.
pub const ANSWER_PREFIX: &[u8] = b"vcity/bridge/answer/";

/// One thing the worker does for a job.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CheckAction {
	/// Hand the job's workload to the agent.
	Push(JobId),
	/// Commit to the agent's answer.
	Commit(JobId, CheckAnswer),
	/// Reveal the answer committed to.
	Reveal(JobId),
	/// The chain has the reveal: the kept answer can go.
	Drop(JobId),
	/// Tell the agent to forget a check whose job is closed.
	Forget(TaskId),
}

/// The actions for the jobs the chain shows this node (`jobs`) and the agent's tasks (`held`),
/// as of block `now`; what is submitted lands in a later block. A check is forgotten only once
/// its job is closed (`job_open`), since the agent may recompute for another verifier node of
/// the same keystore.
pub fn plan_checks<B: Copy + PartialOrd + Saturating + From<u32>>(
	now: B,
	jobs: &[AssignedJob<B>],
	held: &[HeldTask],
	job_open: impl Fn(JobId) -> bool,
) -> Vec<CheckAction> {
	let next = now.saturating_add(B::from(1));
	let progress_of = |job: JobId| {
		let id = check_task_id(job)?;
		held.iter().find(|h| h.id == id).map(|h| h.progress)
	};
	let mut actions = Vec::new();
	for job in jobs {
		let action = if !job.committed {
			match progress_of(job.id) {
				_ if next >= job.commit_by => None,
				None => Some(CheckAction::Push(job.id)),
				// An agent that gave no keyed digest (one older than keyed checks) cannot answer.
				Some(Progress::Finished { result, keyed: Some(keyed), .. }) => {
					Some(CheckAction::Commit(job.id, CheckAnswer { digest: result, keyed }))
				}
				Some(_) => None,
			}
		} else if !job.revealed {
			(job.reveal_open && next < job.reveal_by).then_some(CheckAction::Reveal(job.id))
		} else {
			Some(CheckAction::Drop(job.id))
		};
		actions.extend(action);
	}
	for task in held {
		let Some(job) = job_of_check(task.id) else { continue };
		if !jobs.iter().any(|open| open.id == job) && !job_open(job) {
			actions.push(CheckAction::Forget(task.id));
		}
	}
	actions
}

/// Wall-clock seconds a check may run on the agent: four times its work (the matrix chain,
/// then the memory walk) at the chain's reference rates, and at least a minute.
pub fn check_seconds(workload: &BuiltinWorkload, memory: Option<MemoryWalk>) -> u64 {
	let BuiltinWorkload::MatrixProduct { size, rounds, .. } = *workload;
	let walk = memory.map_or(0, |walk| memory_min_seconds(walk.items, walk.reads));
	matrix_min_seconds(size, rounds).saturating_add(walk).saturating_mul(4).max(60)
}

/// Whether an agent speaking API version `agent_api` computes `job` as the chain asks: one
/// older than the memory walk would leave the walk out and answer a digest every verifier
/// rejects, so it is not given a job that walks memory.
pub fn agent_computes<BlockNumber>(job: &AssignedJob<BlockNumber>, agent_api: u32) -> bool {
	job.memory.is_none() || agent_api >= crate::agent::MEMORY_WALK_API_VERSION
}

/// An answer committed to and its salt, kept until the reveal.
#[derive(Encode, Decode, Clone, Copy, PartialEq, Eq, Debug)]
pub struct KeptAnswer {
	pub answer: CheckAnswer,
	pub salt: [u8; 32],
}

/// Each verifier node keeps its own answer (and salt) to a job, even where one keystore holds
/// several nodes drawn for the same job.
fn answer_key(node: NodeId, job: JobId) -> Vec<u8> {
	(ANSWER_PREFIX, node, job).encode()
}

/// Keeps `node`'s answer to `job` for its reveal.
pub fn keep_answer(node: NodeId, job: JobId, kept: &KeptAnswer) {
	StorageValueRef::persistent(&answer_key(node, job)).set(kept);
}

/// The answer `node` kept for `job`.
pub fn kept_answer(node: NodeId, job: JobId) -> Option<KeptAnswer> {
	StorageValueRef::persistent(&answer_key(node, job)).get::<KeptAnswer>().ok().flatten()
}

/// Drops the answer `node` kept for `job`.
pub fn drop_answer(node: NodeId, job: JobId) {
	StorageValueRef::persistent(&answer_key(node, job)).clear();
}

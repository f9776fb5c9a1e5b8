//! What to do about each task, from the chain's view of the node's tasks and the agent's.
//!
//! The chain is the source of truth: a step is reported only when the chain shows the task at
//! the stage before it, so a result the agent reports twice, or after a restart, lands once. A
//! task the agent holds that the chain does not give this node is never reported; the agent is
//! told to forget it.

use crate::agent::{HeldTask, Progress};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use sp_runtime::traits::{One, Saturating};
use vcity_primitives::{Digest, GpuSeconds, Moment, NodeId, NodeTask, TaskId, TaskStage};

/// A step the worker submits on chain.
#[derive(Encode, Decode, Clone, Copy, PartialEq, Eq, Debug)]
pub enum Report {
	Acknowledge,
	Decline,
	Start,
	Usage(GpuSeconds),
	Complete(Digest, GpuSeconds),
	Failure,
	/// A scheduler node proposed this task for `NodeId`.
	Assign(NodeId),
	/// A verifier's commitment to its answer to a check (the task id is the check's).
	Commit([u8; 32]),
	/// A verifier's answer to a check and the salt it committed with.
	Reveal(vcity_primitives::CheckAnswer, [u8; 32]),
	/// A verifier node puts itself back in the pool.
	JoinPool(NodeId),
}

impl core::fmt::Display for Report {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		match self {
			Self::Acknowledge => write!(f, "acknowledgement"),
			Self::Decline => write!(f, "decline"),
			Self::Start => write!(f, "start"),
			Self::Usage(used) => write!(f, "usage of {used} GPU-seconds"),
			Self::Complete(result, used) => {
				write!(f, "result 0x")?;
				for byte in result {
					write!(f, "{byte:02x}")?;
				}
				write!(f, " after {used} GPU-seconds")
			}
			Self::Failure => write!(f, "failure"),
			Self::Assign(node) => write!(f, "assignment to node {node}"),
			Self::Commit(_) => write!(f, "commitment to an answer"),
			Self::Reveal(..) => write!(f, "answer"),
			Self::JoinPool(node) => write!(f, "return of verifier node {node} to the pool"),
		}
	}
}

/// Why the agent is told to forget a task.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ForgetReason {
	/// The chain needs nothing more from the node for it.
	Done,
	/// The chain does not give this task to this node: whatever the agent did with it, nothing
	/// is reported.
	NotAssigned { had_result: bool },
}

/// One thing the worker does.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Action {
	/// Hand the task to the agent; then acknowledge it, or decline it if the agent cannot run it.
	PushAndAcknowledge(TaskId),
	/// Hand the task to the agent again: it lost it (its state was wiped), and the chain still
	/// waits for the result.
	Push(TaskId),
	/// Report a step on chain.
	Submit(TaskId, Report),
	/// Tell the agent to forget the task.
	Forget(TaskId, ForgetReason),
}

/// Metered usage the chain accepts for a task: never above its size, never below what was
/// already reported, and, when the node is paid by use, never above its GPUs times the chain
/// time since it started (the chain refuses more).
pub fn billable<B>(
	task: &NodeTask<B>,
	started_ms: Moment,
	reported: GpuSeconds,
	used: GpuSeconds,
	now_ms: Moment,
) -> GpuSeconds {
	let mut billable = used.min(task.size_gpu_seconds());
	if task.metered {
		let elapsed_seconds = now_ms.saturating_sub(started_ms) / 1_000;
		billable = billable.min(elapsed_seconds.saturating_mul(u64::from(task.gpus)));
	}
	billable.max(reported)
}

/// Usage is reported as it grows by a tenth of the task's size, so a long task costs ten
/// transactions at most before its result.
fn usage_step<B>(task: &NodeTask<B>) -> GpuSeconds {
	(task.size_gpu_seconds() / 10).max(1)
}

/// The actions for `node`, given its tasks on chain (`chain`), a lookup of any task, and the
/// tasks the agent holds (`held`). `now` and `now_ms` are the block's number and time; what is
/// submitted lands in a later block, so the windows are judged as of the next one.
pub fn plan<B: Copy + PartialOrd + Saturating + One>(
	node: NodeId,
	now: B,
	now_ms: Moment,
	chain: &[NodeTask<B>],
	lookup: impl Fn(TaskId) -> Option<NodeTask<B>>,
	held: &[HeldTask],
) -> Vec<Action> {
	let progress_of = |id: TaskId| held.iter().find(|h| h.id == id).map(|h| h.progress);
	let next = now.saturating_add(B::one());
	let mut actions = Vec::new();
	for task in chain {
		let id = task.id;
		let action = match (task.stage, progress_of(id)) {
			// Too late to acknowledge: the chain takes the task back by itself.
			(TaskStage::Assigned { ack_by }, _) if next >= ack_by => None,
			(TaskStage::Assigned { .. }, None) => Some(Action::PushAndAcknowledge(id)),
			(TaskStage::Assigned { .. }, Some(Progress::Failed)) => Some(Action::Submit(id, Report::Decline)),
			(TaskStage::Assigned { .. }, Some(_)) => Some(Action::Submit(id, Report::Acknowledge)),

			(TaskStage::Acknowledged | TaskStage::Running { .. }, None) => Some(Action::Push(id)),
			(TaskStage::Acknowledged | TaskStage::Running { .. }, Some(Progress::Queued)) => None,
			(TaskStage::Acknowledged | TaskStage::Running { .. }, Some(Progress::Failed)) => {
				Some(Action::Submit(id, Report::Failure))
			}
			(TaskStage::Acknowledged, Some(_)) => Some(Action::Submit(id, Report::Start)),

			(TaskStage::Running { started_ms, used_gpu_seconds }, Some(Progress::Running { used })) => {
				let billable = billable(task, started_ms, used_gpu_seconds, used, now_ms);
				(task.metered && billable >= used_gpu_seconds.saturating_add(usage_step(task)))
					.then_some(Action::Submit(id, Report::Usage(billable)))
			}
			// Past its deadline the chain refunds the task whatever the node says.
			(TaskStage::Running { .. }, Some(Progress::Finished { .. })) if next > task.deadline => None,
			(
				TaskStage::Running { started_ms, used_gpu_seconds },
				Some(Progress::Finished { result, used, .. }),
			) => {
				let billable = billable(task, started_ms, used_gpu_seconds, used, now_ms);
				Some(Action::Submit(id, Report::Complete(result, billable)))
			}

			(TaskStage::Delivered { .. } | TaskStage::Closed, Some(_)) => {
				Some(Action::Forget(id, ForgetReason::Done))
			}
			(TaskStage::Delivered { .. } | TaskStage::Closed, None) => None,
		};
		actions.extend(action);
	}
	for held_task in held {
		// Checks are the verifier role's (`verify.rs`).
		if chain.iter().any(|task| task.id == held_task.id)
			|| vcity_agent_api::job_of_check(held_task.id).is_some()
		{
			continue;
		}
		// Ours once (delivered, settled, or taken back): done. Anyone else's, or no task at all:
		// the agent's result, if any, is not this node's to report.
		let reason = match lookup(held_task.id) {
			Some(task) if task.node == Some(node) => ForgetReason::Done,
			_ => ForgetReason::NotAssigned {
				had_result: matches!(held_task.progress, Progress::Finished { .. }),
			},
		};
		actions.push(Action::Forget(held_task.id, reason));
	}
	actions
}

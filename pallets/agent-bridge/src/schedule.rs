//! The scheduler role: each block, a scheduler node's worker matches the queued tasks to the
//! idle nodes with `vcity-scheduler` (the same code the native benchmark measures) and submits
//! the assignments, signed by the scheduler node's operator key. The chain checks every
//! assignment again and refuses those that no longer fit; a refused task is left for
//! `ResubmitAfter` blocks before this node proposes it again, so a task nobody can take does
//! not cost a fee every block.

use alloc::vec::Vec;
use vcity_primitives::{NodeId, NodeOffer as ChainOffer, QueuedTask, TaskId};
use vcity_scheduler::{schedule, NodeOffer, SchedulerConfig, TaskRequest};

/// Queued tasks one round looks at. The auction's work grows with the batch; the rest wait for
/// the next block.
pub const TASKS_PER_ROUND: u32 = 256;

/// Idle nodes one round looks at.
pub const NODES_PER_ROUND: u32 = 1_024;

/// The assignments of one round that the chain would take (`accepts`), in calls of at most
/// `per_call`. The market's tasks and offers are put in the scheduler's terms here.
pub fn round(
	tasks: &[QueuedTask],
	nodes: &[ChainOffer],
	per_call: u32,
	accepts: impl Fn(TaskId, NodeId) -> bool,
) -> Vec<Vec<(TaskId, NodeId)>> {
	if tasks.is_empty() || nodes.is_empty() {
		return Vec::new();
	}
	let tasks: Vec<TaskRequest> = tasks.iter().map(TaskRequest::from_chain).collect();
	let nodes: Vec<NodeOffer> = nodes.iter().map(NodeOffer::from_chain).collect();
	let plan = schedule(&nodes, &tasks, &SchedulerConfig::default());
	let pairs: Vec<(TaskId, NodeId)> = plan
		.assignments
		.iter()
		.map(|a| (a.task, a.node))
		.filter(|(task, node)| accepts(*task, *node))
		.collect();
	pairs.chunks(per_call.max(1) as usize).map(<[_]>::to_vec).collect()
}

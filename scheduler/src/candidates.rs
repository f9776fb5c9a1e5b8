//! Each task's shortlist: the cheapest nodes that could take it.

use crate::{
	region::LatencyTable,
	score::pair_cost,
	types::{NodeOffer, SchedulerConfig, TaskRequest},
};
use alloc::{vec, vec::Vec};

/// A node a task may bid for, by index into the batch's nodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Candidate {
	pub node: u32,
	pub cost: u64,
}

/// For every task, its `candidates_per_task` cheapest feasible nodes, cheapest first; an empty
/// list means no node of the snapshot could ever take the task.
///
/// One pass over all pairs (tasks × nodes), each a handful of comparisons and a table lookup;
/// the shortlist is kept sorted by insertion, which is cheap because it is short.
pub fn shortlists(
	tasks: &[TaskRequest],
	nodes: &[NodeOffer],
	config: &SchedulerConfig,
) -> Vec<Vec<Candidate>> {
	let latency = LatencyTable::new();
	let keep = config.candidates_per_task.max(1);
	let mut lists = vec![Vec::with_capacity(keep); tasks.len()];
	for (task, list) in tasks.iter().zip(lists.iter_mut()) {
		for (index, node) in nodes.iter().enumerate() {
			let Some(cost) = pair_cost(task, node, &config.weights, &latency) else { continue };
			if list.len() == keep && list.last().is_some_and(|worst: &Candidate| worst.cost <= cost) {
				continue;
			}
			let at = list.partition_point(|c: &Candidate| c.cost <= cost);
			if list.len() == keep {
				list.pop();
			}
			list.insert(at, Candidate { node: index as u32, cost });
		}
	}
	lists
}

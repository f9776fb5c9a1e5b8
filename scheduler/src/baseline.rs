//! Yardsticks for the auction: the naive greedy first-fit it replaces, and an exact solver
//! for batches small enough to search completely.

use crate::{
	score::{pair_cost, placement_value},
	types::{Assignment, NodeOffer, Schedule, SchedulerConfig, TaskRequest, Unplaced},
};
use alloc::{vec, vec::Vec};
use vcity_placement::LatencyTable;

/// Each task in turn takes the first node, in snapshot order, that fits and has room.
pub fn first_fit(nodes: &[NodeOffer], tasks: &[TaskRequest], config: &SchedulerConfig) -> Schedule {
	let latency = LatencyTable::new();
	let placements = first_fit_placements(nodes, tasks, config, &latency);
	let mut schedule = Schedule::default();
	for (task, placed) in tasks.iter().zip(placements) {
		match placed {
			Some((node, cost)) => schedule.assignments.push(Assignment {
				task: task.id,
				node: nodes[node].id,
				gpus: task.gpus,
				cost,
			}),
			None => {
				let feasible =
					nodes.iter().any(|node| pair_cost(task, node, &config.weights, &latency).is_some());
				schedule.unplaced.push((
					task.id,
					if feasible { Unplaced::CapacityTaken } else { Unplaced::NoFeasibleNode },
				))
			}
		}
	}
	schedule
}

/// First-fit's placement by position: for each task (in order) the index of the node it took
/// and the pair's cost. Room is checked before the pair is scored, so a node already full
/// costs a subtraction, not a score.
pub(crate) fn first_fit_placements(
	nodes: &[NodeOffer],
	tasks: &[TaskRequest],
	config: &SchedulerConfig,
	latency: &LatencyTable,
) -> Vec<Option<(usize, u64)>> {
	let mut used = vec![0u32; nodes.len()];
	tasks
		.iter()
		.map(|task| {
			let (index, cost) = nodes.iter().enumerate().find_map(|(index, node)| {
				if node.free_gpus.saturating_sub(used[index]) < task.gpus {
					return None;
				}
				pair_cost(task, node, &config.weights, latency).map(|cost| (index, cost))
			})?;
			used[index] += task.gpus;
			Some((index, cost))
		})
		.collect()
}

/// The best schedule by exhaustive branch and bound: most GPUs put to work, then least total
/// cost.
/// Exponential in the batch: meant for about a dozen tasks on a handful of nodes.
pub fn exact(nodes: &[NodeOffer], tasks: &[TaskRequest], config: &SchedulerConfig) -> Schedule {
	let latency = LatencyTable::new();
	// Per task, its feasible nodes cheapest first, so good schedules are found early.
	let options: Vec<Vec<(usize, u64)>> = tasks
		.iter()
		.map(|task| {
			let mut list: Vec<(usize, u64)> = nodes
				.iter()
				.enumerate()
				.filter_map(|(index, node)| {
					pair_cost(task, node, &config.weights, &latency).map(|c| (index, c))
				})
				.collect();
			list.sort_by_key(|&(index, cost)| (cost, index));
			list
		})
		.collect();
	// Big tasks first: they constrain the most, so infeasible branches die early.
	let mut order: Vec<usize> = (0..tasks.len()).collect();
	order.sort_by_key(|&t| (core::cmp::Reverse(tasks[t].gpus), t));
	// optimistic[k]: the most the tasks order[k..] could still add, ignoring capacity.
	let mut optimistic = vec![0i64; tasks.len() + 1];
	for k in (0..tasks.len()).rev() {
		let gpus = tasks[order[k]].gpus;
		let best = options[order[k]].first().map_or(0, |&(_, cost)| placement_value(gpus, cost));
		optimistic[k] = optimistic[k + 1] + best;
	}
	let mut search = Search {
		tasks,
		options: &options,
		order: &order,
		optimistic: &optimistic,
		free: nodes.iter().map(|n| n.free_gpus).collect(),
		current: vec![None; tasks.len()],
		best: vec![None; tasks.len()],
		best_value: -1,
	};
	search.descend(0, 0);

	let mut schedule = Schedule::default();
	for (task, request) in tasks.iter().enumerate() {
		match search.best[task] {
			Some((node, cost)) => schedule.assignments.push(Assignment {
				task: request.id,
				node: nodes[node].id,
				gpus: request.gpus,
				cost,
			}),
			None => schedule.unplaced.push((
				request.id,
				if options[task].is_empty() { Unplaced::NoFeasibleNode } else { Unplaced::CapacityTaken },
			)),
		}
	}
	schedule
}

struct Search<'a> {
	tasks: &'a [TaskRequest],
	options: &'a [Vec<(usize, u64)>],
	order: &'a [usize],
	optimistic: &'a [i64],
	free: Vec<u32>,
	current: Vec<Option<(usize, u64)>>,
	best: Vec<Option<(usize, u64)>>,
	best_value: i64,
}

impl Search<'_> {
	fn descend(&mut self, depth: usize, value: i64) {
		if value + self.optimistic[depth] <= self.best_value {
			return;
		}
		let Some(&task) = self.order.get(depth) else {
			self.best_value = value;
			self.best.clone_from(&self.current);
			return;
		};
		let gpus = self.tasks[task].gpus;
		for &(node, cost) in &self.options[task] {
			if self.free[node] < gpus {
				continue;
			}
			self.free[node] -= gpus;
			self.current[task] = Some((node, cost));
			self.descend(depth + 1, value + placement_value(gpus, cost));
			self.current[task] = None;
			self.free[node] += gpus;
		}
		self.descend(depth + 1, value);
	}
}

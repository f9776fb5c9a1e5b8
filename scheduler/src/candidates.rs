//! Each task's shortlist: the cheapest nodes that could take it.
//!
//! Scoring every pair of a 10,000-node, 2,000-task batch costs more than the auction itself,
//! so the scan is pruned. Nodes are grouped by region and, inside a group, sorted by the part of
//! their cost that depends on them alone (reputation, stage). For a task, each group has a floor:
//! its latency, the rent at the group's lowest price, and its best node's own cost. Groups are
//! visited from the lowest floor and nodes from the cheapest own cost; once the floor exceeds
//! the task's worst shortlisted cost, nothing later can enter the list. Costs are ordered by
//! (cost, node index), so the shortlist is exactly the one a full scan gives, in any visit order.

use crate::{
	score::{latency_cost, node_cost, pair_cost, rent_cost, MAX_PAIR_COST},
	types::{NodeOffer, SchedulerConfig, TaskRequest},
};
use alloc::{collections::BTreeMap, vec::Vec};
use vcity_placement::{LatencyTable, RegionId};

/// A node a task may bid for, by index into the batch's nodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Candidate {
	pub node: u32,
	pub cost: u64,
}

impl Candidate {
	fn key(&self) -> (u64, u32) {
		(self.cost, self.node)
	}
}

/// The nodes of one region, cheapest own cost first.
struct RegionGroup {
	region: RegionId,
	/// (node's own cost, node index), sorted.
	members: Vec<(u64, u32)>,
	lowest_price: u64,
}

/// For every task, its `candidates_per_task` cheapest feasible nodes, cheapest first; an empty
/// list means no node of the snapshot could ever take the task.
pub fn shortlists(
	tasks: &[TaskRequest],
	nodes: &[NodeOffer],
	config: &SchedulerConfig,
	latency: &LatencyTable,
) -> Vec<Vec<Candidate>> {
	let keep = config.candidates_per_task.max(1);
	let groups = region_groups(nodes, config);
	tasks.iter().map(|task| shortlist(task, nodes, &groups, config, latency, keep)).collect()
}

fn region_groups(nodes: &[NodeOffer], config: &SchedulerConfig) -> Vec<RegionGroup> {
	let mut by_region: BTreeMap<RegionId, RegionGroup> = BTreeMap::new();
	for (index, node) in nodes.iter().enumerate() {
		let group = by_region.entry(node.region).or_insert_with(|| RegionGroup {
			region: node.region,
			members: Vec::new(),
			lowest_price: u64::MAX,
		});
		group.members.push((node_cost(node, &config.weights), index as u32));
		group.lowest_price = group.lowest_price.min(node.price_per_gpu_hour);
	}
	let mut groups: Vec<RegionGroup> = by_region.into_values().collect();
	for group in &mut groups {
		group.members.sort_unstable();
	}
	groups
}

fn shortlist(
	task: &TaskRequest,
	nodes: &[NodeOffer],
	groups: &[RegionGroup],
	config: &SchedulerConfig,
	latency: &LatencyTable,
	keep: usize,
) -> Vec<Candidate> {
	let weights = &config.weights;
	// (floor of the group, floor without its best node's own cost, group).
	let mut order: Vec<(u64, u64, usize)> = groups
		.iter()
		.enumerate()
		.filter_map(|(index, group)| {
			let round_trip = task.region.map_or(0, |region| latency.round_trip_ms(region, group.region));
			if task.max_latency_ms.is_some_and(|bound| round_trip > bound) {
				return None;
			}
			let base = latency_cost(round_trip, weights).saturating_add(rent_cost(
				group.lowest_price,
				task.gpus,
				weights,
			));
			let best_own = group.members.first().map_or(0, |m| m.0);
			Some((base.saturating_add(best_own), base, index))
		})
		.collect();
	order.sort_unstable();

	let mut list: Vec<Candidate> = Vec::with_capacity(keep);
	let worst = |list: &Vec<Candidate>| if list.len() == keep { list.last().map(|c| c.cost) } else { None };
	for (floor, base, index) in order {
		if worst(&list).is_some_and(|w| floor.min(MAX_PAIR_COST) > w) {
			break;
		}
		for &(own, node) in &groups[index].members {
			if worst(&list).is_some_and(|w| base.saturating_add(own).min(MAX_PAIR_COST) > w) {
				break;
			}
			let Some(cost) = pair_cost(task, &nodes[node as usize], weights, latency) else { continue };
			let candidate = Candidate { node, cost };
			if list.len() == keep && list.last().is_some_and(|last| last.key() <= candidate.key()) {
				continue;
			}
			let at = list.partition_point(|c| c.key() < candidate.key());
			if list.len() == keep {
				list.pop();
			}
			list.insert(at, candidate);
		}
	}
	list
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::workload::batch;

	/// The pruned scan keeps exactly what scoring every pair keeps.
	#[test]
	fn pruning_changes_nothing() {
		let config = SchedulerConfig::default();
		let latency = LatencyTable::new();
		for seed in 0..5 {
			let (nodes, tasks) = batch(500 + seed, 400, 60);
			let pruned = shortlists(&tasks, &nodes, &config, &latency);
			for (task, list) in tasks.iter().zip(pruned) {
				let mut all: Vec<Candidate> = nodes
					.iter()
					.enumerate()
					.filter_map(|(i, n)| {
						pair_cost(task, n, &config.weights, &latency)
							.map(|cost| Candidate { node: i as u32, cost })
					})
					.collect();
				all.sort_by_key(Candidate::key);
				all.truncate(config.candidates_per_task);
				assert_eq!(list, all, "seed {seed}, task {}", task.id);
			}
		}
	}
}

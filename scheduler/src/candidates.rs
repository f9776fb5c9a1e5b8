//! Each task's shortlist: the cheapest nodes that could take it.
//!
//! Scoring every pair of a 10,000-node, 2,000-task batch costs more than the auction itself,
//! so the scan is pruned. Nodes are grouped by region, GPU class, memory and stage and, inside a
//! group, sorted by the part of their cost that depends on them alone (reputation, stage). A
//! task skips the groups whose class, memory, stage, latency or lowest price it cannot use; for
//! the others, each group has a floor: its latency, its idle memory, the rent at the group's
//! lowest price, and its best node's own cost. Groups are
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

/// The nodes of one region with the same GPU class, memory per GPU and stage, cheapest own cost
/// first. A task's class, memory, stage and latency requirements hold for all of them or for
/// none, so a group a task cannot use is skipped whole.
struct OfferGroup {
	region: RegionId,
	gpu_class: u8,
	vram_per_gpu_gib: u32,
	stage: u8,
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
	let groups = offer_groups(nodes, config);
	tasks.iter().map(|task| shortlist(task, nodes, &groups, config, latency, keep)).collect()
}

fn offer_groups(nodes: &[NodeOffer], config: &SchedulerConfig) -> Vec<OfferGroup> {
	let mut by_kind: BTreeMap<(RegionId, u8, u32, u8), OfferGroup> = BTreeMap::new();
	for (index, node) in nodes.iter().enumerate() {
		let key = (node.region, node.gpu_class, node.vram_per_gpu_gib, node.stage);
		let group = by_kind.entry(key).or_insert_with(|| OfferGroup {
			region: node.region,
			gpu_class: node.gpu_class,
			vram_per_gpu_gib: node.vram_per_gpu_gib,
			stage: node.stage,
			members: Vec::new(),
			lowest_price: u64::MAX,
		});
		group.members.push((node_cost(node, &config.weights), index as u32));
		group.lowest_price = group.lowest_price.min(node.price_per_gpu_hour);
	}
	let mut groups: Vec<OfferGroup> = by_kind.into_values().collect();
	for group in &mut groups {
		group.members.sort_unstable();
	}
	groups
}

fn shortlist(
	task: &TaskRequest,
	nodes: &[NodeOffer],
	groups: &[OfferGroup],
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
			if group.gpu_class < task.min_gpu_class
				|| group.vram_per_gpu_gib < task.min_vram_per_gpu_gib
				|| group.stage < task.min_stage
				|| group.lowest_price > task.max_price_per_gpu_hour
			{
				return None;
			}
			let round_trip = task.region.map_or(0, |region| latency.round_trip_ms(region, group.region));
			if task.max_latency_ms.is_some_and(|bound| round_trip > bound) {
				return None;
			}
			// Memory the task leaves idle is the same on every node of the group.
			let wasted_vram = u64::from(group.vram_per_gpu_gib - task.min_vram_per_gpu_gib)
				.saturating_mul(u64::from(task.gpus));
			let base = latency_cost(round_trip, weights)
				.saturating_add(rent_cost(group.lowest_price, task.gpus, weights))
				.saturating_add(weights.wasted_vram_per_gib.saturating_mul(wasted_vram));
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

	/// The pruned scan keeps exactly what scoring every pair keeps, on the tests' batches and on
	/// markets of near-identical nodes, where costs tie across groups.
	#[test]
	fn pruning_changes_nothing() {
		use crate::markets::{market, Family};
		let config = SchedulerConfig::default();
		let latency = LatencyTable::new();
		let batches = (0..5)
			.map(|seed| batch(500 + seed, 400, 60))
			.chain([Family::Ties, Family::TightLatency].map(|family| market(family, 7, 1_200, 80)));
		for (seed, (nodes, tasks)) in batches.enumerate() {
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

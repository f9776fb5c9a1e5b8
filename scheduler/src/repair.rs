//! Repair after the auction: a task left out gets in by moving the tasks in its way to room
//! elsewhere, or by taking the place of placed tasks worth less.
//!
//! The auction decides through shortlists, and its bids grow fast under contest, so it can leave
//! out a task that would fit if one holder moved to spare GPUs on another node, or keep two small
//! tasks where one bigger task left out would put more GPUs to work. Every step here strictly
//! improves the schedule in the order the scheduler ranks schedules (more GPUs at work, then a
//! lower total cost), so the repair ends; a step budget per task bounds it on adversarial
//! batches.

use crate::{
	auction::{Holding, Market},
	candidates::Candidate,
	score::MAX_PAIR_COST,
	types::TaskRequest,
};
use alloc::{collections::VecDeque, vec, vec::Vec};
use core::cmp::Reverse;

/// Shortlist entries and holders looked at (for the task itself or for a holder it would move)
/// per task of the batch, over the whole repair: the work stays linear in the batch, however
/// many tasks a node holds.
const STEPS_PER_TASK: usize = 1_024;

/// Tries every task left out, those with the fewest nodes to go to first (then the biggest);
/// tasks a replacement or a chain leaves out try again.
pub(crate) fn repair(market: &mut Market, tasks: &[TaskRequest], lists: &[Vec<Candidate>]) {
	let mut budget = tasks.len().saturating_mul(STEPS_PER_TASK);
	let mut out: Vec<u32> = (0..tasks.len() as u32)
		.filter(|&t| market.placed_on[t as usize].is_none() && !lists[t as usize].is_empty())
		.collect();
	out.sort_by_key(|&t| (lists[t as usize].len(), Reverse(tasks[t as usize].gpus), t));
	let mut queue: VecDeque<u32> = out.into();
	while let Some(task) = queue.pop_front() {
		if budget == 0 {
			break;
		}
		if market.placed_on[task as usize].is_some() {
			continue;
		}
		if insert_by_moving(market, tasks, lists, task, &mut budget) {
			continue;
		}
		if let Some(left_out) = insert_by_chain(market, tasks, lists, task, &mut budget) {
			queue.extend(left_out);
			continue;
		}
		queue.extend(replace(market, tasks, lists, task, &mut budget));
	}
}

/// Places `task` on the cheapest node of its shortlist that has room, or that gets room when
/// some of its holders move to spare GPUs on nodes of their own shortlists. GPUs at work grow by
/// the task's; the holders stay placed.
fn insert_by_moving(
	market: &mut Market,
	tasks: &[TaskRequest],
	lists: &[Vec<Candidate>],
	task: u32,
	budget: &mut usize,
) -> bool {
	let gpus = tasks[task as usize].gpus;
	for candidate in &lists[task as usize] {
		if *budget == 0 {
			return false;
		}
		let node = candidate.node as usize;
		// A node's holders are looked at one by one: they count against the budget too.
		*budget = budget.saturating_sub(1 + market.holdings[node].len());
		if market.free(node) >= gpus {
			market.take(task, gpus, node, 0, Vec::new());
			return true;
		}
		let held: u32 = market.holdings[node].iter().map(|h| h.gpus).sum();
		if market.free(node) + held < gpus {
			continue;
		}
		// Biggest holders first, so the fewest moves free enough.
		let mut holders: Vec<Holding> = market.holdings[node].clone();
		holders.sort_by_key(|h| (Reverse(h.gpus), h.task));
		let mut freed = market.free(node);
		let mut moves: Vec<(u32, u32, usize)> = Vec::new();
		for holder in holders {
			if freed >= gpus || *budget == 0 {
				break;
			}
			let reserved = |to: usize, moves: &[(u32, u32, usize)]| -> u32 {
				moves.iter().filter(|m| m.2 == to).map(|m| m.1).sum()
			};
			let mut target = None;
			for option in &lists[holder.task as usize] {
				if *budget == 0 {
					break;
				}
				*budget -= 1;
				let to = option.node as usize;
				if to != node && market.free(to).saturating_sub(reserved(to, &moves)) >= holder.gpus {
					target = Some(to);
					break;
				}
			}
			if let Some(to) = target {
				moves.push((holder.task, holder.gpus, to));
				freed += holder.gpus;
			}
		}
		if freed >= gpus {
			for (holder, holder_gpus, to) in moves {
				market.relocate(holder, holder_gpus, to);
			}
			market.take(task, gpus, node, 0, Vec::new());
			return true;
		}
	}
	false
}

/// Places `task` through a chain of single evictions: the task takes a node by evicting one
/// holder, which takes another node by evicting one holder, and so on until the last one finds
/// room. Breadth first over the tasks met, each task and node at most once, as an augmenting
/// path in a matching: tasks with few feasible nodes get in when flexible tasks in their way
/// move along. Where no chain ends in room, one may end by leaving out fewer GPUs than `task`
/// puts to work: the smallest task met, or the holders of a node the last mover clears (those
/// that can move to room elsewhere move, the smallest of the rest leave). The tasks left out
/// are returned, to try again later.
fn insert_by_chain(
	market: &mut Market,
	tasks: &[TaskRequest],
	lists: &[Vec<Candidate>],
	task: u32,
	budget: &mut usize,
) -> Option<Vec<u32>> {
	let size = tasks[task as usize].gpus;
	// Each entry: a task that needs a node, the node it leaves (if any), and the entry that
	// evicted it.
	let mut chain: Vec<(u32, Option<u32>, usize)> = vec![(task, None, usize::MAX)];
	let mut seen_tasks = alloc::collections::BTreeSet::from([task]);
	let mut seen_nodes = alloc::collections::BTreeSet::new();
	// Where a chain may end when none ends in room: the fewest GPUs it leaves out, fewer than
	// `task`'s.
	let mut best_drop: Option<ChainEnd> = None;
	// (entry, node) of every node a mover met full, in the order met.
	let mut expanded: Vec<(usize, usize)> = Vec::new();
	let mut at = 0;
	let mut end = None;
	'search: while at < chain.len() {
		let (mover, leaves, _) = chain[at];
		let gpus = tasks[mover as usize].gpus;
		// Walked once per mover, and only if a node with room comes up.
		let mut vacated: Option<Vec<u32>> = None;
		for option in &lists[mover as usize] {
			if *budget == 0 {
				break 'search;
			}
			*budget -= 1;
			if Some(option.node) == leaves {
				continue;
			}
			let node = option.node as usize;
			let free = market.free(node);
			// A node expanded for a bigger mover may still have room for this one; a node this
			// mover's own chain vacates does not count as room (its evictor moves in there).
			if free >= gpus {
				let vacated = vacated.get_or_insert_with(|| vacated_by_chain(&chain, at, budget));
				if vacated.binary_search(&option.node).is_err() {
					end = Some((at, node));
					break 'search;
				}
				continue;
			}
			if !seen_nodes.insert(option.node) {
				continue;
			}
			*budget = budget.saturating_sub(market.holdings[node].len());
			for holder in &market.holdings[node] {
				if free + holder.gpus >= gpus && seen_tasks.insert(holder.task) {
					chain.push((holder.task, Some(option.node), at));
					if holder.gpus < size && dropped_gpus(&best_drop, &chain, tasks) > holder.gpus {
						best_drop = Some(ChainEnd::Single(chain.len() - 1));
					}
				}
			}
			expanded.push((at, node));
		}
		at += 1;
	}
	// No chain ends in room: a mover may clear a node it met instead. Its holders move to room
	// elsewhere where they can, and the fewest GPUs of the rest leave, if fewer than `task`'s.
	// Looked at only now, so chains that end in room spend nothing on it.
	if end.is_none() {
		for (entry, node) in expanded {
			if *budget == 0 || dropped_gpus(&best_drop, &chain, tasks) == 0 {
				break;
			}
			let gpus = tasks[chain[entry].0 as usize].gpus;
			if let Some(cleared) = clearing(market, tasks, lists, node, gpus, &seen_nodes, budget) {
				if cleared.lost < size && dropped_gpus(&best_drop, &chain, tasks) > cleared.lost {
					best_drop = Some(ChainEnd::Clear { entry, node, cleared });
				}
			}
		}
	}
	let (mut entry, mut node, dropped) = match (end, best_drop) {
		(Some((entry, node)), _) => (entry, node, Vec::new()),
		(None, Some(ChainEnd::Single(last))) => {
			// The task left out is the one evicted there; the entry that evicted it takes its node.
			let (left_out, Some(vacated), parent) = chain[last] else { return None };
			market.remove(left_out);
			(parent, vacated as usize, vec![left_out])
		}
		(None, Some(ChainEnd::Clear { entry, node, cleared })) => {
			for (holder, to) in cleared.moves {
				market.relocate(holder, tasks[holder as usize].gpus, to);
			}
			for &holder in &cleared.left_out {
				market.remove(holder);
			}
			(entry, node, cleared.left_out)
		}
		(None, None) => return None,
	};
	// From the end back: each mover goes where the one after it made room.
	loop {
		let (mover, leaves, parent) = chain[entry];
		let gpus = tasks[mover as usize].gpus;
		match leaves {
			Some(from) => {
				market.relocate(mover, gpus, node);
				node = from as usize;
				entry = parent;
			}
			None => {
				market.take(mover, gpus, node, 0, Vec::new());
				return Some(dropped);
			}
		}
	}
}

/// How a chain that ends in no room makes room at its end.
enum ChainEnd {
	/// The task at this entry leaves the schedule; its evictor takes its node.
	Single(usize),
	/// The mover at `entry` takes `node` once its holders have moved or left.
	Clear { entry: usize, node: usize, cleared: Clearing },
}

/// How a node gets room: holders that move (task, to), holders that leave, and their GPUs.
struct Clearing {
	moves: Vec<(u32, usize)>,
	left_out: Vec<u32>,
	lost: u32,
}

/// GPUs a chain ending at `drop` leaves out (`u32::MAX` for none yet).
fn dropped_gpus(drop: &Option<ChainEnd>, chain: &[(u32, Option<u32>, usize)], tasks: &[TaskRequest]) -> u32 {
	match drop {
		None => u32::MAX,
		Some(ChainEnd::Single(entry)) => tasks[chain[*entry].0 as usize].gpus,
		Some(ChainEnd::Clear { cleared, .. }) => cleared.lost,
	}
}

/// How `node` gets `gpus` free GPUs: its holders move, biggest first, to the cheapest node of
/// their shortlist with room (none of `avoid`, which the chain changes), and of those that
/// cannot, the smallest leave (and those the room then does not need stay); `None` if the node
/// cannot be cleared.
fn clearing(
	market: &Market,
	tasks: &[TaskRequest],
	lists: &[Vec<Candidate>],
	node: usize,
	gpus: u32,
	avoid: &alloc::collections::BTreeSet<u32>,
	budget: &mut usize,
) -> Option<Clearing> {
	let held: u32 = market.holdings[node].iter().map(|h| h.gpus).sum();
	let mut free = market.free(node);
	if free + held < gpus {
		return None;
	}
	let mut holders: Vec<(u32, u32)> = market.holdings[node].iter().map(|h| (h.task, h.gpus)).collect();
	holders.sort_by_key(|&(holder, holder_gpus)| (Reverse(holder_gpus), holder));
	let mut moves: Vec<(u32, usize)> = Vec::new();
	let mut stuck: Vec<(u32, u32)> = Vec::new();
	for (holder, holder_gpus) in holders {
		if free >= gpus {
			break;
		}
		let reserved = |to: usize, moves: &[(u32, usize)]| -> u32 {
			moves.iter().filter(|m| m.1 == to).map(|m| tasks[m.0 as usize].gpus).sum()
		};
		let mut target = None;
		for option in &lists[holder as usize] {
			if *budget == 0 {
				return None;
			}
			*budget -= 1;
			let to = option.node as usize;
			if to != node
				&& !avoid.contains(&option.node)
				&& market.free(to).saturating_sub(reserved(to, &moves)) >= holder_gpus
			{
				target = Some(to);
				break;
			}
		}
		match target {
			Some(to) => {
				moves.push((holder, to));
				free += holder_gpus;
			}
			None => stuck.push((holder, holder_gpus)),
		}
	}
	if free >= gpus {
		return Some(Clearing { moves, left_out: Vec::new(), lost: 0 });
	}
	// Smallest first, then give back, latest first, what the room does not need.
	stuck.sort_by_key(|&(holder, holder_gpus)| (holder_gpus, holder));
	let mut left_out: Vec<(u32, u32)> = Vec::new();
	for (holder, holder_gpus) in stuck {
		if free >= gpus {
			break;
		}
		free += holder_gpus;
		left_out.push((holder, holder_gpus));
	}
	if free < gpus {
		return None;
	}
	let mut index = left_out.len();
	while index > 0 {
		index -= 1;
		if free - left_out[index].1 >= gpus {
			free -= left_out[index].1;
			left_out.remove(index);
		}
	}
	let lost = left_out.iter().map(|l| l.1).sum();
	Some(Clearing { moves, left_out: left_out.into_iter().map(|l| l.0).collect(), lost })
}

/// The nodes the chain from the root to `entry` vacates, sorted; each link walked counts against
/// the budget.
fn vacated_by_chain(chain: &[(u32, Option<u32>, usize)], mut entry: usize, budget: &mut usize) -> Vec<u32> {
	let mut vacated = Vec::new();
	while let Some(&(_, leaves, parent)) = chain.get(entry) {
		*budget = budget.saturating_sub(1);
		vacated.extend(leaves);
		entry = parent;
	}
	vacated.sort_unstable();
	vacated
}

/// Puts `task` in the place of holders worth less: on a node of its shortlist, the smallest
/// holders (the costliest among equals) are evicted until there is room and those the room does
/// not need are given back; the best node where that puts more GPUs to work, or as many at a
/// lower cost, is taken. Returns the tasks evicted, to be placed again elsewhere if they can.
fn replace(
	market: &mut Market,
	tasks: &[TaskRequest],
	lists: &[Vec<Candidate>],
	task: u32,
	budget: &mut usize,
) -> Vec<u32> {
	let gpus = tasks[task as usize].gpus;
	// (GPUs gained, cost saved, node, evicted tasks) of the best replacement found.
	let mut best: Option<(i64, i64, usize, Vec<u32>)> = None;
	for candidate in &lists[task as usize] {
		if *budget == 0 {
			break;
		}
		let node = candidate.node as usize;
		*budget = budget.saturating_sub(1 + market.holdings[node].len());
		let mut holders: Vec<(u32, u32, u64)> = market.holdings[node]
			.iter()
			.map(|h| {
				let cost = market.cost(&tasks[h.task as usize], node).unwrap_or(MAX_PAIR_COST);
				(h.task, h.gpus, cost)
			})
			.collect();
		holders.sort_by_key(|&(holder, holder_gpus, cost)| (holder_gpus, Reverse(cost), holder));
		let mut free = market.free(node);
		let (mut evicted_gpus, mut evicted_cost) = (0i64, 0i64);
		let mut evicted = Vec::new();
		for (holder, holder_gpus, cost) in holders {
			if free >= gpus {
				break;
			}
			free += holder_gpus;
			evicted_gpus += i64::from(holder_gpus);
			evicted_cost = evicted_cost.saturating_add(cost as i64);
			evicted.push((holder, holder_gpus, cost));
		}
		if free < gpus {
			continue;
		}
		// Smallest first may take more than needed ({1, 1, 4} for 4 GPUs): give back, latest
		// first, each eviction the room does not need.
		let mut index = evicted.len();
		while index > 0 {
			index -= 1;
			let (_, holder_gpus, cost) = evicted[index];
			if free - holder_gpus >= gpus {
				free -= holder_gpus;
				evicted_gpus -= i64::from(holder_gpus);
				evicted_cost = evicted_cost.saturating_sub(cost as i64);
				evicted.remove(index);
			}
		}
		let evicted: Vec<u32> = evicted.into_iter().map(|(holder, _, _)| holder).collect();
		let gained = i64::from(gpus) - evicted_gpus;
		let saved = evicted_cost.saturating_sub(candidate.cost as i64);
		if gained < 0 || (gained == 0 && saved <= 0) {
			continue;
		}
		if best.as_ref().is_none_or(|b| (gained, saved) > (b.0, b.1)) {
			best = Some((gained, saved, node, evicted));
		}
	}
	let Some((_, _, node, evicted)) = best else { return vec![] };
	for &holder in &evicted {
		market.remove(holder);
	}
	market.take(task, gpus, node, 0, Vec::new());
	evicted
}

#[cfg(test)]
pub(crate) mod tests {
	use super::*;
	use crate::{candidates::shortlists, score::ScoreWeights, NodeOffer, SchedulerConfig};
	use vcity_placement::{region_of, LatencyTable};

	pub(crate) fn node(free_gpus: u32, price: u64) -> NodeOffer {
		NodeOffer {
			id: 0,
			region: region_of(b"eu-west"),
			gpu_class: 2,
			free_gpus,
			vram_per_gpu_gib: 80,
			stage: 0,
			price_per_gpu_hour: price,
			reputation_bps: 5_000,
		}
	}

	pub(crate) fn task(gpus: u32, max_price: u64) -> TaskRequest {
		TaskRequest {
			id: 0,
			gpus,
			min_vram_per_gpu_gib: 40,
			min_gpu_class: 0,
			min_stage: 0,
			region: None,
			max_latency_ms: None,
			max_price_per_gpu_hour: max_price,
		}
	}

	fn with_memory(offer: NodeOffer, vram_per_gpu_gib: u32) -> NodeOffer {
		NodeOffer { vram_per_gpu_gib, ..offer }
	}

	/// A task at the default price limit that needs `vram` GiB per GPU.
	fn needing(gpus: u32, vram: u32) -> TaskRequest {
		TaskRequest { min_vram_per_gpu_gib: vram, ..task(gpus, 1_000_000) }
	}

	/// Runs `steps` from a placement given by (task, node) indices; returns where each task ends
	/// up.
	pub(crate) fn run_from(
		nodes: &[NodeOffer],
		tasks: &[TaskRequest],
		placed: &[(u32, usize)],
		steps: impl FnOnce(&mut Market, &[Vec<Candidate>]),
	) -> Vec<Option<u32>> {
		let config = SchedulerConfig::default();
		let latency = LatencyTable::new();
		let weights = ScoreWeights::default();
		let lists = shortlists(tasks, nodes, &config, &latency);
		let mut market = Market::new(nodes, tasks.len(), &weights, &latency);
		market.seat(tasks, placed.iter().copied());
		steps(&mut market, &lists);
		market.assert_consistent(tasks, "after the steps");
		market.placed_on.clone()
	}

	fn repaired(nodes: &[NodeOffer], tasks: &[TaskRequest], placed: &[(u32, usize)]) -> Vec<Option<u32>> {
		run_from(nodes, tasks, placed, |market, lists| repair(market, tasks, lists))
	}

	/// Task 1 can run only on node 0, where task 0 sits; task 0 can also run on node 1 (dearer,
	/// but within its limit), which is held by task 2, which can move to node 2. The chain moves
	/// task 2, then task 0, and places task 1: nobody is left out.
	#[test]
	fn a_chain_of_moves_makes_room() {
		let nodes = [node(2, 500_000), node(2, 900_000), node(2, 1_900_000)];
		let tasks = [task(2, 1_000_000), task(2, 600_000), task(2, 2_000_000)];
		let placed = repaired(&nodes, &tasks, &[(0, 0), (2, 1)]);
		assert_eq!(placed, vec![Some(1), Some(0), Some(2)]);
	}

	/// Node 0 has 8 GPUs and holds a 6-GPU task that fits nowhere else; an 8-GPU task left out
	/// takes its place (a chain that ends by leaving the smaller task out): 8 GPUs at work
	/// instead of 6.
	#[test]
	fn a_bigger_task_takes_the_place_of_a_smaller_one() {
		let nodes = [node(8, 500_000), node(4, 500_000)];
		let tasks = [task(6, 1_000_000), task(8, 1_000_000)];
		let placed = repaired(&nodes, &tasks, &[(0, 0)]);
		assert_eq!(placed, vec![None, Some(0)]);
	}

	/// A 6-GPU task left out can run only on node 0 (80 GiB), held by a 6-GPU task that could
	/// also run on node 1 (48 GiB), held by a 4-GPU task that fits nowhere else and two 1-GPU
	/// tasks that fit anywhere. No single eviction frees node 1, and replacing the 6-GPU task
	/// gains nothing (and would cost more: the task left out is far away). The chain ends by
	/// clearing node 1: the 1-GPU tasks move to spare GPUs, the 4-GPU task leaves, and 15 GPUs
	/// work instead of 13.
	#[test]
	fn a_chain_ends_by_clearing_a_node() {
		let nodes = [
			node(7, 500_000),
			with_memory(node(6, 500_000), 48),
			with_memory(node(1, 500_000), 24),
			with_memory(node(1, 500_000), 24),
		];
		let mut far_away = needing(6, 80);
		far_away.region = Some(region_of(b"ap-south"));
		let tasks =
			[needing(6, 48), needing(1, 80), needing(4, 48), needing(1, 24), needing(1, 24), far_away];
		let placed = repaired(&nodes, &tasks, &[(0, 0), (1, 0), (2, 1), (3, 1), (4, 1)]);
		assert_eq!(placed[5], Some(0), "the task left out gets in");
		assert_eq!(placed[0], Some(1), "the 6-GPU holder moves along the chain");
		assert_eq!(placed[2], None, "the 4-GPU task leaves");
		let mut moved = [placed[3], placed[4]];
		moved.sort();
		assert_eq!(moved, [Some(2), Some(3)], "the 1-GPU tasks move to spare GPUs");
	}

	/// The nodes a chain moves tasks into are no room for the holders of the node it clears:
	/// node 0 has a spare GPU, the cheapest for the 1-GPU tasks on node 1, but the 7-GPU task
	/// left out takes node 0 with that GPU once the 6-GPU task there moves to node 1. The 1-GPU
	/// tasks go to the dearer nodes 2 and 3 instead, and no node is overbooked.
	#[test]
	fn a_cleared_node_sends_its_holders_off_the_chain() {
		let nodes = [
			node(8, 400_000),
			with_memory(node(6, 500_000), 48),
			with_memory(node(1, 900_000), 24),
			with_memory(node(1, 900_000), 24),
		];
		let tasks =
			[needing(6, 48), needing(1, 80), needing(4, 48), needing(1, 24), needing(1, 24), needing(7, 80)];
		let placed = repaired(&nodes, &tasks, &[(0, 0), (1, 0), (2, 1), (3, 1), (4, 1)]);
		assert_eq!((placed[5], placed[0], placed[2]), (Some(0), Some(1), None));
		let mut moved = [placed[3], placed[4]];
		moved.sort();
		assert_eq!(moved, [Some(2), Some(3)]);
	}

	/// Two 3-GPU tasks hold an 8-GPU node that no single eviction frees; the 8-GPU task left out
	/// takes the place of both: 8 GPUs at work instead of 6.
	#[test]
	fn a_bigger_task_takes_the_place_of_several_smaller_ones() {
		let nodes = [node(8, 500_000)];
		let tasks = [task(3, 1_000_000), task(3, 1_000_000), task(8, 1_000_000)];
		let placed = repaired(&nodes, &tasks, &[(0, 0), (1, 0)]);
		assert_eq!(placed, vec![None, None, Some(0)]);
	}

	/// Evicting smallest first would take {1, 1, 4} for a 4-GPU task and gain nothing; giving back
	/// the evictions the room does not need leaves the two 1-GPU tasks in, and the 4-GPU task
	/// that asks for exactly the node's memory replaces the wasteful 4-GPU one.
	#[test]
	fn a_replacement_evicts_no_more_than_it_needs() {
		let nodes = [node(6, 500_000)];
		let mut wasteful = task(4, 1_000_000);
		wasteful.min_vram_per_gpu_gib = 24;
		let mut exact_fit = task(4, 1_000_000);
		exact_fit.min_vram_per_gpu_gib = 80;
		let tasks = [task(1, 1_000_000), task(1, 1_000_000), wasteful, exact_fit];
		let placed = repaired(&nodes, &tasks, &[(0, 0), (1, 0), (2, 0)]);
		assert_eq!(placed, vec![Some(0), Some(0), None, Some(0)]);
	}

	/// Two tasks of the same size want one node; the one placed costs more there than the one
	/// left out (it asks for less memory, so it wastes more of the 80 GiB): they trade places,
	/// as many GPUs at a lower cost.
	#[test]
	fn at_equal_gpus_the_cheaper_placement_wins() {
		let nodes = [node(2, 500_000)];
		let mut wasteful = task(2, 1_000_000);
		wasteful.min_vram_per_gpu_gib = 24;
		let tasks = [wasteful, task(2, 1_000_000)];
		let placed = repaired(&nodes, &tasks, &[(0, 0)]);
		assert_eq!(placed, vec![None, Some(0)]);
	}

	/// No step of the repair or the repack may lower the GPUs at work, whatever it starts from:
	/// on the tests' own batches started from first-fit, GPUs never fall, no node is overbooked, and every task
	/// is held exactly where it is recorded as placed. On some batches the repair gains.
	#[test]
	fn repair_and_repack_never_place_fewer_gpus() {
		let config = SchedulerConfig::default();
		let latency = LatencyTable::new();
		let mut gained = 0;
		for seed in 0..30 {
			let (nodes, tasks) = crate::workload::batch(70_000 + seed, 40, 60);
			let lists = shortlists(&tasks, &nodes, &config, &latency);
			let mut market = Market::new(&nodes, tasks.len(), &config.weights, &latency);
			market.seat_first_fit(&tasks, &config);
			let before = market.placed_gpus(&tasks);
			repair(&mut market, &tasks, &lists);
			let repaired = market.placed_gpus(&tasks);
			crate::repack::repack(&mut market, &tasks, &lists);
			let after = market.placed_gpus(&tasks);
			assert!(repaired >= before && after >= repaired, "seed {seed}");
			gained += usize::from(after > before);
			market.assert_consistent(&tasks, &alloc::format!("seed {seed}"));
		}
		assert!(gained > 0, "neither the repair nor the repack ever gained over first-fit");
	}
}

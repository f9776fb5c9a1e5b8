//! Exact repack of a small neighbourhood around each task still left out after the repair.
//!
//! The repair places one task at a time. Some gains need several at once: two 4-GPU tasks that
//! only fit on an 8-GPU node take it from a 6-GPU task while the node's two 1-GPU tasks move to
//! spare GPUs elsewhere. No single move, chain or replacement gains there (a 4-GPU task in place
//! of the 6-GPU one loses two GPUs), but the few nodes and tasks involved can be searched
//! exactly.
//!
//! For each task left out (fewest feasible nodes first), one neighbourhood per node of the head
//! of its shortlist, until one gains: that node, the tasks holding it, a few nodes of their
//! shortlists and their holders, breadth first up to [`MAX_NODES`] nodes and [`MAX_TASKS`]
//! tasks, a few tasks left out that want those nodes, and for every holder its cheapest node
//! with room (only the room: that node's holders stay put). A branch and bound places those
//! tasks on those nodes or leaves them out, for the most GPUs at work and then the least cost;
//! the tasks outside stay where they are. Its result replaces the neighbourhood's placement
//! only if it puts more GPUs to work, so the schedule only improves. The search is skipped
//! where the neighbourhood has no room to gain, each search has a step limit, and every step,
//! of growth or of search, counts against a budget per task of the batch.

use crate::{auction::Market, candidates::Candidate, types::TaskRequest};
use alloc::{collections::VecDeque, vec, vec::Vec};
use core::cmp::Reverse;

/// Nodes in one neighbourhood, besides the nodes with room for its holders: the gains the
/// repair misses span three to six.
const MAX_NODES: usize = 6;
/// Tasks in one neighbourhood: the nodes' holders and the tasks left out that want them.
const MAX_TASKS: usize = 14;
/// Nodes at the head of the left-out task's shortlist, each the seed of one neighbourhood.
const SEEDS: usize = 4;
/// Nodes of each holder's shortlist taken in, besides its cheapest node with room.
const FAN_OUT: usize = 2;
/// Tasks left out taken in with each node, those with the fewest nodes to go to first.
const WANTING_PER_NODE: usize = 2;
/// Branches one search may visit.
const SEARCH_STEPS: usize = 4_096;
/// Steps of growth and search per task of the batch, over the whole repack.
const STEPS_PER_TASK: usize = 512;

/// A task of the neighbourhood: its GPUs, the neighbourhood's nodes it may take (by position in
/// the neighbourhood, cheapest first) and where it is now.
struct Member {
	task: u32,
	gpus: u32,
	options: Vec<(usize, u64)>,
	now: Option<(usize, u64)>,
}

/// Repacks the neighbourhood of every task left out, while the budget lasts; tasks a repack
/// leaves out try their own neighbourhood later.
pub(crate) fn repack(market: &mut Market, tasks: &[TaskRequest], lists: &[Vec<Candidate>]) {
	let mut budget = tasks.len().saturating_mul(STEPS_PER_TASK);
	let left_out =
		|market: &Market, t: u32| market.placed_on[t as usize].is_none() && !lists[t as usize].is_empty();
	let mut out: Vec<u32> = (0..tasks.len() as u32).filter(|&t| left_out(market, t)).collect();
	if out.is_empty() {
		return;
	}
	out.sort_by_key(|&t| (lists[t as usize].len(), Reverse(tasks[t as usize].gpus), t));
	// The tasks left out that want each node: a neighbourhood takes them in with the node.
	let mut wanting: Vec<Vec<u32>> = vec![Vec::new(); market.nodes.len()];
	for &task in &out {
		budget = budget.saturating_sub(lists[task as usize].len());
		for candidate in &lists[task as usize] {
			wanting[candidate.node as usize].push(task);
		}
	}
	let mut queue: VecDeque<u32> = out.into();
	while let Some(task) = queue.pop_front() {
		if budget == 0 {
			break;
		}
		if !left_out(market, task) {
			continue;
		}
		let seeds: Vec<usize> = lists[task as usize].iter().take(SEEDS).map(|c| c.node as usize).collect();
		for seed in seeds {
			let (nodes, members) = neighbourhood(market, tasks, lists, &wanting, task, seed, &mut budget);
			if let Some(placement) = best_placement(market, &nodes, &members, &mut budget) {
				for member in &members {
					market.remove(member.task);
				}
				for (member, at) in members.iter().zip(placement) {
					if let Some(at) = at {
						market.take(member.task, member.gpus, nodes[at], 0, Vec::new());
					}
				}
				// A task this left out may fit in a neighbourhood of its own, and one it placed no
				// longer wants anything.
				queue.extend(members.iter().map(|m| m.task).filter(|&t| left_out(market, t)));
				break;
			}
		}
	}
}

/// The nodes and tasks around `root`, breadth first from `seed` (see the module documentation).
fn neighbourhood(
	market: &Market,
	tasks: &[TaskRequest],
	lists: &[Vec<Candidate>],
	wanting: &[Vec<u32>],
	root: u32,
	seed: usize,
	budget: &mut usize,
) -> (Vec<usize>, Vec<Member>) {
	let mut nodes: Vec<usize> = Vec::new();
	let mut members: Vec<u32> = vec![root];
	// Takes a node in with its holders (the next layer to grow from) and the first tasks left
	// out that want it; those only fill what the neighbourhood frees, so they pull no nodes in.
	let take_in = |node: usize,
	               nodes: &mut Vec<usize>,
	               members: &mut Vec<u32>,
	               next: &mut Vec<u32>,
	               budget: &mut usize| {
		nodes.push(node);
		*budget = budget.saturating_sub(market.holdings[node].len());
		for holder in &market.holdings[node] {
			if members.len() < MAX_TASKS && !members.contains(&holder.task) {
				members.push(holder.task);
				next.push(holder.task);
			}
		}
		// Tasks placed since the index was built are skipped; each one skipped counts too.
		let mut taken = 0;
		for &task in &wanting[node] {
			if taken == WANTING_PER_NODE || members.len() >= MAX_TASKS {
				break;
			}
			*budget = budget.saturating_sub(1);
			if market.placed_on[task as usize].is_none() && !members.contains(&task) {
				members.push(task);
				taken += 1;
			}
		}
	};
	let mut layer = Vec::new();
	take_in(seed, &mut nodes, &mut members, &mut layer, budget);
	while !layer.is_empty() && nodes.len() < MAX_NODES && *budget > 0 {
		let mut next = Vec::new();
		for &task in &layer {
			let here = market.placed_on[task as usize].map(|n| n as usize);
			let mut added = 0;
			for candidate in &lists[task as usize] {
				if added >= FAN_OUT || nodes.len() >= MAX_NODES {
					break;
				}
				*budget = budget.saturating_sub(1);
				let node = candidate.node as usize;
				if Some(node) != here && !nodes.contains(&node) {
					take_in(node, &mut nodes, &mut members, &mut next, budget);
					added += 1;
				}
			}
		}
		layer = next;
	}
	// A holder moves only if it has somewhere to go: each one's cheapest node with room joins
	// too, without its holders (they stay; only the room is shared).
	for &task in &members {
		let Some(here) = market.placed_on[task as usize] else { continue };
		let gpus = tasks[task as usize].gpus;
		for candidate in &lists[task as usize] {
			*budget = budget.saturating_sub(1);
			let node = candidate.node as usize;
			if candidate.node != here && market.free(node) >= gpus {
				if !nodes.contains(&node) {
					nodes.push(node);
				}
				break;
			}
		}
	}
	// Every node of the neighbourhood that fits a task is an option for it, on its shortlist or
	// not (the chain checks each pair the same way): a few pair costs instead of a scan of
	// the whole shortlist.
	let members = members
		.into_iter()
		.map(|task| {
			let request = &tasks[task as usize];
			*budget = budget.saturating_sub(nodes.len());
			let mut options: Vec<(usize, u64)> = nodes
				.iter()
				.enumerate()
				.filter_map(|(at, &node)| Some((at, market.cost(request, node)?)))
				.collect();
			options.sort_by_key(|&(at, cost)| (cost, at));
			let now = market.placed_on[task as usize]
				.and_then(|node| options.iter().copied().find(|&(at, _)| nodes[at] == node as usize));
			Member { task, gpus: request.gpus, options, now }
		})
		.collect();
	(nodes, members)
}

/// The best placement of `members` on `nodes`, by position, if it is strictly better than the
/// present one: more GPUs at work (the cheapest such placement the search finds).
fn best_placement(
	market: &Market,
	nodes: &[usize],
	members: &[Member],
	budget: &mut usize,
) -> Option<Vec<Option<usize>>> {
	// The members' GPUs are the neighbourhood's to share; the holders outside it stay put. A
	// placed member is always held on one of the nodes (it came in as their holder); were it
	// not, leaving it out here would lose it.
	if members.iter().any(|m| m.now.is_none() && market.placed_on[m.task as usize].is_some()) {
		return None;
	}
	let mut capacity: Vec<u32> = nodes.iter().map(|&n| market.free(n)).collect();
	for member in members {
		if let Some((at, _)) = member.now {
			capacity[at] += member.gpus;
		}
	}
	let now_gpus: u64 = members.iter().filter(|m| m.now.is_some()).map(|m| u64::from(m.gpus)).sum();
	let now_cost: u64 = members.iter().filter_map(|m| m.now.map(|(_, cost)| cost)).sum();
	let wanted: u64 = members.iter().filter(|m| !m.options.is_empty()).map(|m| u64::from(m.gpus)).sum();
	let room: u64 = capacity.iter().map(|&c| u64::from(c)).sum();
	if wanted.min(room) <= now_gpus {
		return None;
	}
	// Biggest first, then the most constrained: the bound bites early.
	let mut order: Vec<usize> = (0..members.len()).collect();
	order.sort_by_key(|&m| (Reverse(members[m].gpus), members[m].options.len(), members[m].task));
	// For each node, the members that may take it in search order, each with the GPUs of it and
	// of every later one, and the smallest of them: the bound reads both in one lookup.
	let mut users: Vec<Vec<Users>> = vec![Vec::new(); nodes.len()];
	for (depth, &member) in order.iter().enumerate() {
		for &(at, _) in &members[member].options {
			users[at].push(Users {
				depth,
				gpus: u64::from(members[member].gpus),
				smallest: members[member].gpus,
			});
		}
	}
	for list in &mut users {
		let (mut gpus, mut smallest) = (0u64, u32::MAX);
		for user in list.iter_mut().rev() {
			gpus += user.gpus;
			smallest = smallest.min(user.smallest);
			(user.gpus, user.smallest) = (gpus, smallest);
		}
	}
	let mut search = Search {
		members,
		order: &order,
		users,
		capacity,
		choice: vec![None; members.len()],
		best: (now_gpus, now_cost),
		best_choice: None,
		steps: SEARCH_STEPS.min(*budget),
	};
	let allowed = search.steps;
	search.visit(0, 0, 0);
	*budget = budget.saturating_sub(allowed - search.steps);
	search.best_choice
}

/// A member that may take a node, at its position in the search order, with the GPUs of the
/// members from it on that may take the node too, and the smallest of them.
#[derive(Clone, Copy)]
struct Users {
	depth: usize,
	gpus: u64,
	smallest: u32,
}

/// A depth-first branch and bound over the members, biggest first.
struct Search<'a> {
	members: &'a [Member],
	order: &'a [usize],
	users: Vec<Vec<Users>>,
	capacity: Vec<u32>,
	choice: Vec<Option<usize>>,
	best: (u64, u64),
	best_choice: Option<Vec<Option<usize>>>,
	steps: usize,
}

impl Search<'_> {
	/// The most GPUs the members from `depth` on could add: on each node, no more than its
	/// GPUs left and than the GPUs of the members still to come that may take it, and nothing
	/// where even the smallest of them no longer fits.
	fn bound(&self, depth: usize) -> u64 {
		let mut total = 0u64;
		for (node, users) in self.users.iter().enumerate() {
			let Some(later) = users.get(users.partition_point(|u| u.depth < depth)) else { continue };
			let left = self.capacity[node];
			if left >= later.smallest {
				total += u64::from(left).min(later.gpus);
			}
		}
		total
	}

	fn visit(&mut self, depth: usize, gpus: u64, cost: u64) {
		if self.steps == 0 {
			return;
		}
		self.steps -= 1;
		// At the best's GPUs, no lower cost than the best's: a cost only grows down a branch.
		let bound = gpus + self.bound(depth);
		if bound < self.best.0
			|| (bound == self.best.0 && (self.best_choice.is_none() || cost >= self.best.1))
		{
			return;
		}
		let Some(&member) = self.order.get(depth) else {
			// Every member decided, and better than the best so far (the bound is exact here).
			self.best = (gpus, cost);
			self.best_choice = Some(self.choice.clone());
			return;
		};
		let size = self.members[member].gpus;
		for option in 0..self.members[member].options.len() {
			let (at, pair_cost) = self.members[member].options[option];
			if self.capacity[at] < size {
				continue;
			}
			self.capacity[at] -= size;
			self.choice[member] = Some(at);
			self.visit(depth + 1, gpus + u64::from(size), cost.saturating_add(pair_cost));
			self.capacity[at] += size;
			self.choice[member] = None;
		}
		self.visit(depth + 1, gpus, cost);
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{
		candidates::shortlists,
		repair::tests::{node, run_from, task},
		NodeOffer, SchedulerConfig,
	};
	use vcity_placement::{region_of, LatencyTable};

	/// A round trip only a node in the task's own region meets.
	const SAME_REGION_BOUND_MS: u32 = 5;

	fn node_in(free_gpus: u32, region: &[u8]) -> NodeOffer {
		NodeOffer { region: region_of(region), ..node(free_gpus, 500_000) }
	}

	/// A task that may run only in `region`, or anywhere.
	fn task_in(gpus: u32, region: Option<&[u8]>) -> TaskRequest {
		TaskRequest {
			region: region.map(region_of),
			max_latency_ms: region.map(|_| SAME_REGION_BOUND_MS),
			..task(gpus, 1_000_000)
		}
	}

	fn repacked(nodes: &[NodeOffer], tasks: &[TaskRequest], placed: &[(u32, usize)]) -> Vec<Option<u32>> {
		run_from(nodes, tasks, placed, |market, lists| {
			let before = market.placed_gpus(tasks);
			crate::repair::repair(market, tasks, lists);
			assert_eq!(market.placed_gpus(tasks), before, "the repair alone finds nothing here");
			repack(market, tasks, lists);
		})
	}

	/// An 8-GPU node in one region holds a 6-GPU task that can run only there and two 1-GPU
	/// tasks that can also run anywhere; two 4-GPU tasks left out can run only there. No single
	/// move gains (a 4-GPU task in place of the 6-GPU one loses two GPUs), but together: the
	/// 1-GPU tasks move to spare GPUs, the 4-GPU tasks take the node, 10 GPUs at work instead
	/// of 8.
	#[test]
	fn two_tasks_left_out_take_a_node_together() {
		let nodes = [node_in(8, b"eu-west"), node_in(1, b"us-east"), node_in(1, b"us-east")];
		let here = Some(&b"eu-west"[..]);
		let tasks =
			[task_in(6, here), task_in(1, None), task_in(1, None), task_in(4, here), task_in(4, here)];
		let placed = repacked(&nodes, &tasks, &[(0, 0), (1, 0), (2, 0)]);
		assert_eq!(placed[0], None);
		assert_eq!(placed[3], Some(0));
		assert_eq!(placed[4], Some(0));
		let mut moved = [placed[1], placed[2]];
		moved.sort();
		assert_eq!(moved, [Some(1), Some(2)]);
	}

	/// A neighbourhood whose GPUs are all at work stays as it is: no task moves or leaves.
	#[test]
	fn a_full_neighbourhood_is_left_alone() {
		let nodes = [node_in(8, b"eu-west")];
		let tasks = [task_in(4, None), task_in(4, None), task_in(4, None)];
		let placed = repacked(&nodes, &tasks, &[(0, 0), (1, 0)]);
		assert_eq!(placed, vec![Some(0), Some(0), None]);
	}

	/// On the market families, started from first-fit and the repair: the repack never lowers
	/// the GPUs at work, never overbooks a node, keeps every task held exactly where it is
	/// recorded as placed, and gains on some markets.
	#[test]
	fn repack_only_gains_on_the_market_families() {
		let config = SchedulerConfig::default();
		let latency = LatencyTable::new();
		let mut gained = 0;
		for family in crate::markets::Family::ALL {
			for seed in 0..8 {
				let (nodes, tasks) = crate::markets::market(family, 500 + seed, 300, 90);
				let lists = shortlists(&tasks, &nodes, &config, &latency);
				let mut market = Market::new(&nodes, tasks.len(), &config.weights, &latency);
				market.seat_first_fit(&tasks, &config);
				crate::repair::repair(&mut market, &tasks, &lists);
				let before = market.placed_gpus(&tasks);
				repack(&mut market, &tasks, &lists);
				let after = market.placed_gpus(&tasks);
				let context = alloc::format!("{} seed {seed}", family.name());
				assert!(after >= before, "{context}");
				gained += usize::from(after > before);
				market.assert_consistent(&tasks, &context);
			}
		}
		assert!(gained > 0, "the repack never gained");
	}
}

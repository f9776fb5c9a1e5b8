//! The auction that places a batch of tasks.
//!
//! Each unplaced task looks at its shortlist and, for every node on it, at its net value: the
//! placement's value ([`ASSIGN_VALUE`] per GPU minus the pair cost) minus what it must outbid to
//! get enough GPUs there (the bids of the cheapest holders per GPU, when the node's free GPUs do
//! not suffice). It bids for the best node what it would give up by going to its second best,
//! plus an increment, and evicts the holders it outbid; they bid again elsewhere. Every winning
//! bid raises the sum of bids held on a node by at least the increment, so the auction ends.
//!
//! The increment starts at one point, which keeps placements within a point per task of the
//! best for the tasks placed (Bertsekas' ε-complementary slackness), and doubles with each bid
//! the same task has to make. Tasks that fight over GPUs only one of them can have would
//! otherwise raise each other a point at a time until the loser's whole value (billions of
//! points) is used up; doubling settles such a fight in a few dozen bids, while the usual
//! contest over costs settles in the first few, where the increment is still small. A bid budget
//! per task bounds adversarial batches.
//!
//! Local search finishes the job: a task outbid everywhere on its shortlist takes the cheapest
//! free GPUs anywhere in the snapshot, every placed task moves to a cheaper node of its
//! shortlist if free GPUs there allow, and pairs of placed tasks exchange nodes where that
//! lowers their joint cost. The repair (`repair.rs`) then gets tasks still out in by moving the
//! tasks in their way, along chains, or in place of tasks worth less, and the repack
//! (`repack.rs`) searches the few nodes around each task still out exactly. A last fill gives
//! the tasks still out the free GPUs those moves left, so no task is left out beside a node
//! with room for it. Where first-fit puts more GPUs to work than the auction did, the same local search starts
//! from first-fit's placement instead, so the schedule never places fewer.

use crate::{
	baseline::first_fit_placements,
	candidates::{shortlists, Candidate},
	repack::repack,
	repair::repair,
	score::{pair_cost, placement_value, ScoreWeights},
	types::{Assignment, NodeOffer, Schedule, SchedulerConfig, TaskRequest, Unplaced},
};
use alloc::{collections::VecDeque, vec, vec::Vec};
use vcity_placement::LatencyTable;

/// A task holding GPUs on a node, with what it bid for them.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Holding {
	pub(crate) task: u32,
	pub(crate) gpus: u32,
	bid: i64,
}

impl Holding {
	/// Whether this holding pays less per GPU than `other` (exact, by cross-multiplication).
	fn cheaper_per_gpu(&self, other: &Holding) -> bool {
		i128::from(self.bid) * i128::from(other.gpus) < i128::from(other.bid) * i128::from(self.gpus)
	}
}

/// What the auction knows about the nodes while it runs, and how it scores a placement.
pub(crate) struct Market<'a> {
	pub(crate) nodes: &'a [NodeOffer],
	weights: &'a ScoreWeights,
	latency: &'a LatencyTable,
	used: Vec<u32>,
	pub(crate) holdings: Vec<Vec<Holding>>,
	pub(crate) placed_on: Vec<Option<u32>>,
}

impl<'a> Market<'a> {
	pub(crate) fn new(
		nodes: &'a [NodeOffer],
		tasks: usize,
		weights: &'a ScoreWeights,
		latency: &'a LatencyTable,
	) -> Self {
		Self {
			nodes,
			weights,
			latency,
			used: vec![0; nodes.len()],
			holdings: vec![Vec::new(); nodes.len()],
			placed_on: vec![None; tasks],
		}
	}

	/// Cost of `request` on `node`, if the node could take it when idle.
	pub(crate) fn cost(&self, request: &TaskRequest, node: usize) -> Option<u64> {
		pair_cost(request, &self.nodes[node], self.weights, self.latency)
	}

	pub(crate) fn free(&self, node: usize) -> u32 {
		self.nodes[node].free_gpus.saturating_sub(self.used[node])
	}

	/// The holders a task of `gpus` GPUs must evict from `node`, cheapest per GPU first, and the
	/// sum of their bids; `None` if even evicting all of them would not free enough.
	fn displacement(&self, node: usize, gpus: u32) -> Option<(i64, Vec<usize>)> {
		let mut missing = gpus.saturating_sub(self.free(node));
		if missing == 0 {
			return Some((0, Vec::new()));
		}
		let holdings = &self.holdings[node];
		let mut order: Vec<usize> = (0..holdings.len()).collect();
		order.sort_by(|&a, &b| {
			if holdings[a].cheaper_per_gpu(&holdings[b]) {
				core::cmp::Ordering::Less
			} else if holdings[b].cheaper_per_gpu(&holdings[a]) {
				core::cmp::Ordering::Greater
			} else {
				holdings[a].task.cmp(&holdings[b].task)
			}
		});
		let mut cost = 0i64;
		let mut evicted = Vec::new();
		for index in order {
			if missing == 0 {
				break;
			}
			cost = cost.saturating_add(holdings[index].bid);
			missing = missing.saturating_sub(holdings[index].gpus);
			evicted.push(index);
		}
		(missing == 0).then_some((cost, evicted))
	}

	/// Takes a placed task's holding off its node, freeing its GPUs there; `placed_on` is left to
	/// the caller.
	fn detach(&mut self, task: u32) -> Option<Holding> {
		let from = self.placed_on[task as usize]? as usize;
		let index = self.holdings[from].iter().position(|h| h.task == task)?;
		let holding = self.holdings[from].swap_remove(index);
		self.used[from] -= holding.gpus;
		Some(holding)
	}

	/// Takes a placed task off its node; it is out of the schedule until placed again.
	pub(crate) fn remove(&mut self, task: u32) {
		if self.detach(task).is_some() {
			self.placed_on[task as usize] = None;
		}
	}

	/// Places each (task, node index) given, without bids: a start for the local search.
	pub(crate) fn seat(&mut self, tasks: &[TaskRequest], placements: impl IntoIterator<Item = (u32, usize)>) {
		for (task, node) in placements {
			self.take(task, tasks[task as usize].gpus, node, 0, Vec::new());
		}
	}

	/// Places `task` on `node` with `bid`, evicting the holders at `evicted` (indices into the
	/// node's holdings); returns the evicted tasks.
	pub(crate) fn take(
		&mut self,
		task: u32,
		gpus: u32,
		node: usize,
		bid: i64,
		mut evicted: Vec<usize>,
	) -> Vec<u32> {
		evicted.sort_unstable_by(|a, b| b.cmp(a));
		let mut out = Vec::with_capacity(evicted.len());
		for index in evicted {
			let holding = self.holdings[node].swap_remove(index);
			self.used[node] -= holding.gpus;
			self.placed_on[holding.task as usize] = None;
			out.push(holding.task);
		}
		self.holdings[node].push(Holding { task, gpus, bid });
		self.used[node] += gpus;
		self.placed_on[task as usize] = Some(node as u32);
		out
	}

	/// GPUs the placed tasks hold.
	pub(crate) fn placed_gpus(&self, tasks: &[TaskRequest]) -> u64 {
		self.placed_on
			.iter()
			.zip(tasks)
			.filter(|(node, _)| node.is_some())
			.map(|(_, task)| u64::from(task.gpus))
			.sum()
	}

	/// Moves a placed task to free GPUs on another node, keeping its bid.
	pub(crate) fn relocate(&mut self, task: u32, gpus: u32, to: usize) {
		if let Some(holding) = self.detach(task) {
			self.holdings[to].push(holding);
			self.used[to] += gpus;
			self.placed_on[task as usize] = Some(to as u32);
		}
	}
}

#[cfg(test)]
impl Market<'_> {
	/// Seats first-fit's placement of the batch: a start for the repair's and the repack's
	/// tests.
	pub(crate) fn seat_first_fit(&mut self, tasks: &[TaskRequest], config: &SchedulerConfig) {
		let start = first_fit_placements(self.nodes, tasks, config, self.latency);
		self.seat(tasks, start.iter().enumerate().filter_map(|(t, placed)| Some((t as u32, (*placed)?.0))));
	}

	/// Panics unless no node is overbooked and every task is held exactly once, where it is
	/// recorded as placed, with its own GPUs.
	pub(crate) fn assert_consistent(&self, tasks: &[TaskRequest], context: &str) {
		let mut holders = vec![None; tasks.len()];
		for (index, node) in self.nodes.iter().enumerate() {
			let held: u32 = self.holdings[index].iter().map(|h| h.gpus).sum();
			assert!(held <= node.free_gpus, "{context}: node {index} overbooked");
			for holding in &self.holdings[index] {
				assert_eq!(holding.gpus, tasks[holding.task as usize].gpus, "{context}");
				assert!(
					holders[holding.task as usize].replace(index as u32).is_none(),
					"{context}: held twice"
				);
			}
		}
		assert_eq!(holders, self.placed_on, "{context}");
	}
}

/// Places a batch of tasks on a snapshot of nodes (see the module documentation).
///
/// Deterministic: the same input gives the same schedule on every platform.
pub fn schedule(nodes: &[NodeOffer], tasks: &[TaskRequest], config: &SchedulerConfig) -> Schedule {
	let latency = LatencyTable::new();
	let lists = shortlists(tasks, nodes, config, &latency);
	let mut market = Market::new(nodes, tasks.len(), &config.weights, &latency);
	run_auction(&mut market, tasks, &lists, config);
	improve(&mut market, tasks, &lists);
	// The auction weighs cost against GPUs placed through its shortlists; first-fit, which
	// looks at every node, can place more on some batches. Then its placement is the start,
	// improved the same way: the schedule never puts fewer GPUs to work than first-fit.
	let naive = first_fit_placements(nodes, tasks, config, &latency);
	let naive_gpus: u64 =
		naive.iter().zip(tasks).filter(|(placed, _)| placed.is_some()).map(|(_, t)| u64::from(t.gpus)).sum();
	if naive_gpus > market.placed_gpus(tasks) {
		let mut seeded = Market::new(nodes, tasks.len(), &config.weights, &latency);
		seeded.seat(
			tasks,
			naive.iter().enumerate().filter_map(|(task, placed)| Some((task as u32, (*placed)?.0))),
		);
		improve(&mut seeded, tasks, &lists);
		if seeded.placed_gpus(tasks) > market.placed_gpus(tasks) {
			market = seeded;
		}
	}
	collect(&market, tasks, &lists)
}

/// Local search after a first placement: leftovers take free GPUs, tasks move to cheaper nodes
/// and swap, the repair and the repack get tasks still out in, moves and swaps run again on
/// what they changed, and a last fill gives the tasks still out the GPUs the moves freed.
/// Nothing moves after that fill, so every task it leaves out had no node with room when it
/// looked, nor later: the schedule is maximal. No step puts fewer GPUs to work: the repair
/// takes tasks out only for one bigger than all of them together, or for one as big at a lower
/// cost, and the repack only for more GPUs.
fn improve(market: &mut Market, tasks: &[TaskRequest], lists: &[Vec<Candidate>]) {
	place_leftovers(market, tasks);
	move_to_cheaper(market, tasks, lists);
	swap_passes(market, tasks, lists);
	repair(market, tasks, lists);
	repack(market, tasks, lists);
	move_to_cheaper(market, tasks, lists);
	swap_passes(market, tasks, lists);
	place_leftovers(market, tasks);
}

fn swap_passes(market: &mut Market, tasks: &[TaskRequest], lists: &[Vec<Candidate>]) {
	for _ in 0..MAX_SWAP_PASSES {
		if !swap_pass(market, tasks, lists) {
			break;
		}
		move_to_cheaper(market, tasks, lists);
	}
}

fn run_auction(
	market: &mut Market,
	tasks: &[TaskRequest],
	lists: &[Vec<Candidate>],
	config: &SchedulerConfig,
) {
	let increment = config.bid_increment.max(1);
	let mut bids_made = vec![0u32; tasks.len()];
	let mut budget = tasks.len().saturating_mul(config.max_bids_per_task.max(1));
	let mut queue: VecDeque<u32> =
		(0..tasks.len() as u32).filter(|&t| !lists[t as usize].is_empty()).collect();
	while let Some(task) = queue.pop_front() {
		if budget == 0 {
			break;
		}
		budget -= 1;
		let gpus = tasks[task as usize].gpus;
		// Best and second-best net values; staying unplaced is worth 0.
		let mut best: Option<(i64, usize, i64, Vec<usize>)> = None;
		let mut second = 0i64;
		for candidate in &lists[task as usize] {
			let node = candidate.node as usize;
			let Some((displaced, evicted)) = market.displacement(node, gpus) else { continue };
			let net = placement_value(gpus, candidate.cost).saturating_sub(displaced);
			match &best {
				Some((best_net, ..)) if net <= *best_net => second = second.max(net),
				_ => {
					if let Some((previous, ..)) = best {
						second = second.max(previous);
					}
					best = Some((net, node, displaced, evicted));
				}
			}
		}
		let Some((net, node, displaced, evicted)) = best else { continue };
		if net <= 0 {
			continue;
		}
		let made = &mut bids_made[task as usize];
		let raise = increment.saturating_mul(1i64 << (*made).min(40));
		*made += 1;
		let bid = displaced.saturating_add(net - second).saturating_add(raise);
		queue.extend(market.take(task, gpus, node, bid, evicted));
	}
}

/// Tasks outbid on their whole shortlist take the cheapest free GPUs anywhere.
fn place_leftovers(market: &mut Market, tasks: &[TaskRequest]) {
	for (task, request) in tasks.iter().enumerate() {
		if market.placed_on[task].is_some() {
			continue;
		}
		let best = (0..market.nodes.len())
			.filter(|&node| market.free(node) >= request.gpus)
			.filter_map(|node| market.cost(request, node).map(|c| (c, node)))
			.min();
		if let Some((_, node)) = best {
			market.take(task as u32, request.gpus, node, 0, Vec::new());
		}
	}
}

/// Placed tasks move to a cheaper node of their shortlist while free GPUs allow; each move
/// lowers the total cost, so this ends.
fn move_to_cheaper(market: &mut Market, tasks: &[TaskRequest], lists: &[Vec<Candidate>]) {
	for (task, request) in tasks.iter().enumerate() {
		let Some(current) = market.placed_on[task] else { continue };
		// A node off the shortlist (a first-fit seed's) costs what the pair costs.
		let current_cost = lists[task]
			.iter()
			.find(|c| c.node == current)
			.map(|c| c.cost)
			.or_else(|| market.cost(request, current as usize))
			.unwrap_or(u64::MAX);
		// The shortlist is sorted, so the first node with room is the cheapest one.
		if let Some(better) = lists[task]
			.iter()
			.take_while(|c| c.cost < current_cost)
			.find(|c| market.free(c.node as usize) >= request.gpus)
		{
			market.relocate(task as u32, request.gpus, better.node as usize);
		}
	}
}

/// Passes of pairwise exchanges after the auction; each pass is one sweep over the placed
/// tasks, and most batches stop improving after two.
const MAX_SWAP_PASSES: usize = 4;

/// Exchanges the nodes of two placed tasks where that lowers their joint cost and both nodes
/// keep room: a task takes a cheaper node from its shortlist and the holder it displaces takes
/// the task's old node. The auction's increments and its greedy evictions leave such pairs
/// behind. Returns whether anything moved; every exchange lowers the total, so passes end.
fn swap_pass(market: &mut Market, tasks: &[TaskRequest], lists: &[Vec<Candidate>]) -> bool {
	let cost = |task: usize, node: usize, market: &Market| market.cost(&tasks[task], node);
	let mut improved = false;
	for task in 0..tasks.len() {
		let Some(own) = market.placed_on[task].map(|n| n as usize) else { continue };
		let Some(own_cost) = cost(task, own, market) else { continue };
		let gpus = tasks[task].gpus;
		// Shortlists are sorted: only the nodes cheaper for this task than its own can gain.
		'candidates: for candidate in lists[task].iter().take_while(|c| c.cost < own_cost) {
			let other = candidate.node as usize;
			if other == own {
				continue;
			}
			// No clone of the holdings: the loop leaves as soon as it changes them.
			for index in 0..market.holdings[other].len() {
				let holder = market.holdings[other][index];
				let (rival, rival_gpus) = (holder.task as usize, holder.gpus);
				let fits_own = market.used[own] - gpus + rival_gpus <= market.nodes[own].free_gpus;
				let fits_other = market.used[other] - rival_gpus + gpus <= market.nodes[other].free_gpus;
				if !(fits_own && fits_other) {
					continue;
				}
				let (Some(rival_there), Some(rival_here)) =
					(cost(rival, own, market), cost(rival, other, market))
				else {
					continue;
				};
				if candidate.cost + rival_there < own_cost + rival_here {
					market.relocate(task as u32, gpus, other);
					market.relocate(holder.task, rival_gpus, own);
					improved = true;
					break 'candidates;
				}
			}
		}
	}
	improved
}

fn collect(market: &Market, tasks: &[TaskRequest], lists: &[Vec<Candidate>]) -> Schedule {
	let mut schedule = Schedule::default();
	for (task, request) in tasks.iter().enumerate() {
		match market.placed_on[task] {
			Some(node) => {
				let offer = &market.nodes[node as usize];
				let cost = market.cost(request, node as usize).unwrap_or(u64::MAX);
				schedule.assignments.push(Assignment {
					task: request.id,
					node: offer.id,
					gpus: request.gpus,
					cost,
				});
			}
			None => {
				let reason =
					if lists[task].is_empty() { Unplaced::NoFeasibleNode } else { Unplaced::CapacityTaken };
				schedule.unplaced.push((request.id, reason));
			}
		}
	}
	schedule
}

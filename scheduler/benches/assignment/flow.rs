//! Node prices for the lower bound, from the transportation relaxation of the batch solved as a
//! min-cost flow.
//!
//! Relaxing "a task goes whole to one node" to "a task's GPUs may spread over nodes" gives a
//! transportation problem: each placed task supplies its GPUs, each node takes at most its free
//! GPUs, and a GPU of task t on node n costs c(t, n) / g(t). Its optimal dual prices on the nodes'
//! capacities are the prices at which the Lagrangian bound equals the relaxation's optimum, the
//! best bound of that kind. The flow here uses each task's cheapest nodes only; the bound
//! evaluates the prices over every pair, so it stays a valid lower bound even if a needed pair
//! was left out (it is then merely looser).

use std::{cmp::Reverse, collections::BinaryHeap};
use vcity_scheduler::{pair_cost, LatencyTable, NodeOffer, SchedulerConfig, TaskRequest};

/// Flow units per cost point: tasks take 1, 2, 4 or 8 GPUs, so c · 8 / g is a whole number.
const SCALE: i64 = 8;

struct Arc {
	to: usize,
	capacity: i64,
	cost: i64,
	reverse: usize,
}

struct Network {
	arcs: Vec<Vec<Arc>>,
}

impl Network {
	fn new(vertices: usize) -> Self {
		Self { arcs: (0..vertices).map(|_| Vec::new()).collect() }
	}

	fn add(&mut self, from: usize, to: usize, capacity: i64, cost: i64) {
		let (forward, backward) = (self.arcs[from].len(), self.arcs[to].len());
		self.arcs[from].push(Arc { to, capacity, cost, reverse: backward });
		self.arcs[to].push(Arc { to: from, capacity: 0, cost: -cost, reverse: forward });
	}
}

/// Per-GPU prices of the nodes (in cost points) from a min-cost flow over the `candidates`
/// cheapest nodes of each task (and the node `ours` chose for it), by successive shortest paths
/// with Dijkstra potentials.
pub fn flow_prices(
	nodes: &[NodeOffer],
	tasks: &[(&TaskRequest, usize)],
	config: &SchedulerConfig,
	candidates: usize,
) -> Vec<f64> {
	let latency = LatencyTable::new();
	let (source, first_node) = (0, 1 + tasks.len());
	let sink = first_node + nodes.len();
	let mut network = Network::new(sink + 1);
	let mut supply = 0;
	for (i, &(task, placed_on)) in tasks.iter().enumerate() {
		let mut options: Vec<(u64, usize)> = nodes
			.iter()
			.enumerate()
			.filter_map(|(j, node)| pair_cost(task, node, &config.weights, &latency).map(|c| (c, j)))
			.collect();
		options.sort_unstable();
		// The node the schedule chose stays an option, so the flow can always route every GPU.
		let chosen = options.iter().position(|&(_, j)| j == placed_on).filter(|&at| at >= candidates);
		if let Some(at) = chosen {
			options.swap(candidates - 1, at);
		}
		options.truncate(candidates);
		let gpus = i64::from(task.gpus);
		network.add(source, 1 + i, gpus, 0);
		supply += gpus;
		for (cost, j) in options {
			network.add(1 + i, first_node + j, gpus, cost as i64 * SCALE / gpus);
		}
	}
	for (j, node) in nodes.iter().enumerate() {
		network.add(first_node + j, sink, i64::from(node.free_gpus), 0);
	}

	let vertices = sink + 1;
	let mut potential = vec![0i64; vertices];
	let mut sent = 0;
	while sent < supply {
		let mut distance = vec![i64::MAX; vertices];
		let mut via = vec![(usize::MAX, 0usize); vertices];
		let mut queue = BinaryHeap::new();
		distance[source] = 0;
		queue.push(Reverse((0i64, source)));
		while let Some(Reverse((d, u))) = queue.pop() {
			if d > distance[u] {
				continue;
			}
			for (k, arc) in network.arcs[u].iter().enumerate() {
				if arc.capacity == 0 {
					continue;
				}
				let next = d + arc.cost + potential[u] - potential[arc.to];
				if next < distance[arc.to] {
					distance[arc.to] = next;
					via[arc.to] = (u, k);
					queue.push(Reverse((next, arc.to)));
				}
			}
		}
		if distance[sink] == i64::MAX {
			// The rest has no route among the candidates; the prices so far still give a bound.
			break;
		}
		for (p, d) in potential.iter_mut().zip(&distance) {
			if *d < i64::MAX {
				*p += d;
			}
		}
		let mut amount = supply - sent;
		let mut at = sink;
		while at != source {
			let (from, k) = via[at];
			amount = amount.min(network.arcs[from][k].capacity);
			at = from;
		}
		at = sink;
		while at != source {
			let (from, k) = via[at];
			network.arcs[from][k].capacity -= amount;
			let reverse = network.arcs[from][k].reverse;
			network.arcs[at][reverse].capacity += amount;
			at = from;
		}
		sent += amount;
	}
	node_prices(&network, tasks.len(), nodes.len())
}

/// Dual prices of the nodes' capacities for the flow found: a node with free GPUs left costs
/// nothing; a full one costs what the cheapest rerouting of one of its GPUs to spare capacity
/// elsewhere would add (Bellman-Ford over "move a task's GPU from node n to node n'" steps).
fn node_prices(network: &Network, task_count: usize, node_count: usize) -> Vec<f64> {
	let first_node = 1 + task_count;
	let sink = first_node + node_count;
	// Steps n -> n' of cost w(t, n') - w(t, n) for every task t with flow on (t, n).
	let mut steps: Vec<(usize, usize, i64)> = Vec::new();
	for t in 1..first_node {
		let arcs = &network.arcs[t];
		let used = arcs
			.iter()
			.filter(|a| a.to >= first_node && a.to < sink && network.arcs[a.to][a.reverse].capacity > 0);
		for from in used {
			for to in
				arcs.iter().filter(|a| a.to >= first_node && a.to < sink && a.to != from.to && a.capacity > 0)
			{
				steps.push((from.to - first_node, to.to - first_node, to.cost - from.cost));
			}
		}
	}
	let spare: Vec<bool> = (0..node_count)
		.map(|j| network.arcs[first_node + j].iter().any(|a| a.to == sink && a.capacity > 0))
		.collect();
	let mut price: Vec<i64> = spare.iter().map(|&s| if s { 0 } else { i64::MAX }).collect();
	for _ in 0..node_count {
		let mut changed = false;
		for &(from, to, cost) in &steps {
			if price[to] != i64::MAX && price[to] + cost < price[from] {
				price[from] = price[to] + cost;
				changed = true;
			}
		}
		if !changed {
			break;
		}
	}
	// A full node nothing can be rerouted from gets the highest price found: any price is valid
	// for the bound, this one merely keeps it from being wasted on a node that cannot matter.
	let highest = price.iter().copied().filter(|&p| p != i64::MAX).max().unwrap_or(0);
	price
		.into_iter()
		.map(|p| (if p == i64::MAX { highest } else { p }).max(0) as f64 / SCALE as f64)
		.collect()
}

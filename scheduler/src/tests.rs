//! Properties of the auction, checked against the exact solver and first-fit.

use crate::{
	exact, first_fit, schedule, score::pair_cost, workload::batch, NodeOffer, Schedule, SchedulerConfig,
	TaskRequest, Unplaced,
};
use alloc::{collections::BTreeMap, vec, vec::Vec};
use vcity_placement::{region_of, LatencyTable};

fn node(id: u64, free_gpus: u32, vram: u32, price: u64) -> NodeOffer {
	NodeOffer {
		id,
		region: region_of(b"eu-west"),
		gpu_class: 3,
		free_gpus,
		vram_per_gpu_gib: vram,
		stage: 0,
		price_per_gpu_hour: price,
		reputation_bps: 5_000,
	}
}

fn task(id: u64, gpus: u32, vram: u32) -> TaskRequest {
	TaskRequest {
		id,
		gpus,
		min_vram_per_gpu_gib: vram,
		min_gpu_class: 1,
		min_stage: 0,
		region: Some(region_of(b"eu-west")),
		max_latency_ms: None,
		max_price_per_gpu_hour: 2_000_000,
	}
}

/// Every placement is feasible, no node gives more GPUs than it has free, every task appears
/// exactly once (placed or not), and the reported costs are the pair costs.
fn assert_valid(nodes: &[NodeOffer], tasks: &[TaskRequest], result: &Schedule, config: &SchedulerConfig) {
	let latency = LatencyTable::new();
	let nodes_by_id: BTreeMap<u64, &NodeOffer> = nodes.iter().map(|n| (n.id, n)).collect();
	let tasks_by_id: BTreeMap<u64, &TaskRequest> = tasks.iter().map(|t| (t.id, t)).collect();
	let mut used: BTreeMap<u64, u32> = BTreeMap::new();
	for a in &result.assignments {
		let (n, t) = (nodes_by_id[&a.node], tasks_by_id[&a.task]);
		assert_eq!(
			pair_cost(t, n, &config.weights, &latency),
			Some(a.cost),
			"task {} on node {}",
			a.task,
			a.node
		);
		*used.entry(a.node).or_default() += t.gpus;
	}
	for (id, gpus) in used {
		assert!(gpus <= nodes_by_id[&id].free_gpus, "node {id} overbooked: {gpus}");
	}
	let mut seen: Vec<u64> =
		result.assignments.iter().map(|a| a.task).chain(result.unplaced.iter().map(|u| u.0)).collect();
	seen.sort_unstable();
	let mut expected: Vec<u64> = tasks.iter().map(|t| t.id).collect();
	expected.sort_unstable();
	assert_eq!(seen, expected);
}

#[test]
fn gpus_are_whole_and_a_task_runs_on_one_node() {
	let config = SchedulerConfig::default();
	// 4 free GPUs on each of two nodes: a 6-GPU task fits nowhere. Of 3 + 3 + 2 GPUs only two
	// tasks fit, and the two 3-GPU tasks put the most GPUs to work.
	let nodes = vec![node(1, 4, 80, 1_000_000), node(2, 4, 80, 1_000_000)];
	let tasks = vec![task(1, 6, 40), task(2, 3, 40), task(3, 3, 40), task(4, 2, 40)];
	let result = schedule(&nodes, &tasks, &config);
	assert_valid(&nodes, &tasks, &result, &config);
	assert_eq!(result.unplaced, vec![(1, Unplaced::NoFeasibleNode), (4, Unplaced::CapacityTaken)]);
	assert_eq!(result.placed_gpus(), 6);
}

#[test]
fn a_task_with_one_option_keeps_it_whatever_the_order() {
	let config = SchedulerConfig::default();
	// Only node 1 has 80 GiB GPUs. Task 1 (40 GiB) prefers node 1 (cheaper), but node 2 will do;
	// task 2 (80 GiB) has no choice. The optimum gives node 1 to task 2.
	let nodes = vec![node(1, 1, 80, 500_000), node(2, 1, 40, 1_500_000)];
	for tasks in [vec![task(1, 1, 40), task(2, 1, 80)], vec![task(2, 1, 80), task(1, 1, 40)]] {
		let result = schedule(&nodes, &tasks, &config);
		assert_valid(&nodes, &tasks, &result, &config);
		let placed: BTreeMap<u64, u64> = result.assignments.iter().map(|a| (a.task, a.node)).collect();
		assert_eq!(placed, BTreeMap::from([(1, 2), (2, 1)]));
	}
}

#[test]
fn requirements_exclude_nodes() {
	let config = SchedulerConfig::default();
	let mut far = node(1, 8, 80, 1_000_000);
	far.region = region_of(b"au-southeast");
	let mut pricey = node(2, 8, 80, 3_000_000);
	pricey.stage = 3;
	let mut weak = node(3, 8, 80, 1_000_000);
	weak.gpu_class = 1;
	let nodes = vec![far, pricey, weak];
	let mut wants = task(1, 8, 40);
	wants.max_latency_ms = Some(100);
	wants.min_gpu_class = 2;
	let result = schedule(&nodes, &[wants.clone()], &config);
	assert_eq!(result.unplaced, vec![(1, Unplaced::NoFeasibleNode)]);
	// Lifting the latency bound admits the far node; the others still fail price and class.
	wants.max_latency_ms = None;
	let result = schedule(&nodes, &[wants], &config);
	assert_eq!(result.assignments.iter().map(|a| a.node).collect::<Vec<_>>(), vec![1]);
}

#[test]
fn same_input_same_schedule() {
	let config = SchedulerConfig::default();
	let (nodes, tasks) = batch(7, 300, 120);
	assert_eq!(schedule(&nodes, &tasks, &config), schedule(&nodes, &tasks, &config));
}

#[test]
fn exact_matches_full_enumeration_on_tiny_batches() {
	let config = SchedulerConfig::default();
	let latency = LatencyTable::new();
	for seed in 0..40 {
		let (nodes, tasks) = batch(seed, 3, 4);
		// Every way to map 4 tasks to 3 nodes or nowhere: 4^4 schedules. Leaving all out is one.
		let mut best = (0u64, u64::MAX);
		for code in 0..4u32.pow(4) {
			let mut used = [0u32; 3];
			let (mut placed, mut cost, mut valid) = (0u64, 0u64, true);
			for (t, request) in tasks.iter().enumerate() {
				let choice = (code / 4u32.pow(t as u32) % 4) as usize;
				if choice == 3 {
					continue;
				}
				match pair_cost(request, &nodes[choice], &config.weights, &latency) {
					Some(c) if used[choice] + request.gpus <= nodes[choice].free_gpus => {
						used[choice] += request.gpus;
						placed += u64::from(request.gpus);
						cost += c;
					}
					_ => valid = false,
				}
			}
			if valid && (placed > best.0 || (placed == best.0 && cost < best.1)) {
				best = (placed, cost);
			}
		}
		let result = exact(&nodes, &tasks, &config);
		assert_valid(&nodes, &tasks, &result, &config);
		assert_eq!((result.placed_gpus(), result.total_cost()), best, "seed {seed}");
	}
}

#[test]
fn auction_is_near_optimal_on_contested_batches() {
	let config = SchedulerConfig::default();
	let (mut auction_cost, mut optimal_cost) = (0u64, 0u64);
	for seed in 0..60 {
		// Five nodes for nine tasks: GPUs run short, so the batch's tasks compete.
		let (nodes, tasks) = batch(1_000 + seed, 5, 9);
		let ours = schedule(&nodes, &tasks, &config);
		let best = exact(&nodes, &tasks, &config);
		assert_valid(&nodes, &tasks, &ours, &config);
		assert_valid(&nodes, &tasks, &best, &config);
		assert_eq!(ours.placed_gpus(), best.placed_gpus(), "seed {seed}: fewer GPUs put to work");
		assert!(ours.total_cost() >= best.total_cost(), "seed {seed}: cheaper than the optimum");
		auction_cost += ours.total_cost();
		optimal_cost += best.total_cost();
	}
	// Within 2% of the optimum over all batches.
	assert!(auction_cost * 100 <= optimal_cost * 102, "auction {auction_cost} vs optimum {optimal_cost}");
}

#[test]
fn auction_beats_first_fit() {
	let config = SchedulerConfig::default();
	let (nodes, tasks) = batch(42, 400, 150);
	let ours = schedule(&nodes, &tasks, &config);
	let naive = first_fit(&nodes, &tasks, &config);
	assert_valid(&nodes, &tasks, &ours, &config);
	assert_valid(&nodes, &tasks, &naive, &config);
	assert!(ours.placed_gpus() >= naive.placed_gpus());
	// Lower cost per placed task (it may place more tasks, so totals do not compare).
	let (ours_per_task, naive_per_task) = (
		ours.total_cost() / ours.assignments.len() as u64,
		naive.total_cost() / naive.assignments.len() as u64,
	);
	assert!(ours_per_task < naive_per_task, "{ours_per_task} vs {naive_per_task}");
}

/// Asserts the schedule is maximal: no task left out fits a node that kept enough free GPUs.
fn assert_maximal(
	nodes: &[NodeOffer],
	tasks: &[TaskRequest],
	result: &Schedule,
	config: &SchedulerConfig,
	label: &str,
) {
	let latency = LatencyTable::new();
	let mut used: BTreeMap<u64, u32> = BTreeMap::new();
	for a in &result.assignments {
		*used.entry(a.node).or_default() += a.gpus;
	}
	for (id, _) in &result.unplaced {
		let task = tasks.iter().find(|t| t.id == *id).unwrap();
		for node in nodes {
			let free = node.free_gpus - used.get(&node.id).copied().unwrap_or(0);
			let fits = pair_cost(task, node, &config.weights, &latency).is_some();
			assert!(
				!(fits && free >= task.gpus),
				"{label}: task {id} left out while node {} has {free} free",
				node.id
			);
		}
	}
}

/// Whatever the batch, the schedule leaves no task out that a node could still take: the last
/// pass fills free GPUs after every move (issue of a task left out beside room for it). Seed
/// 7,244 on 60 nodes is a batch where, without that pass, a later move freed the GPU a task
/// left out needed.
#[test]
fn schedules_are_maximal() {
	let config = SchedulerConfig::default();
	for seed in (7_000..7_060).chain([7_244]) {
		// Scarce, balanced and plentiful capacity.
		for (node_count, task_count) in [(20, 60), (60, 60), (120, 40), (100, 300)] {
			let (nodes, tasks) = batch(seed, node_count, task_count);
			let ours = schedule(&nodes, &tasks, &config);
			assert_valid(&nodes, &tasks, &ours, &config);
			let label = alloc::format!("seed {seed} on {node_count} nodes");
			assert_maximal(&nodes, &tasks, &ours, &config, &label);
		}
	}
}

/// The schedule never puts fewer GPUs to work than first-fit, on any batch. With every third
/// task an 8-GPU task that may run anywhere, the auction alone placed fewer than first-fit on
/// 12 of the first 258 batches of 300 tasks on 100 nodes (seed 11,013: 217 GPUs against 218);
/// it then starts from first-fit's placement.
#[test]
fn schedules_place_at_least_what_first_fit_places() {
	let config = SchedulerConfig::default();
	for seed in (11_000..11_040).chain([11_013, 11_050]) {
		for (node_count, task_count, training_heavy) in [(20, 60, false), (60, 60, false), (100, 300, true)] {
			let (nodes, mut tasks) = batch(seed, node_count, task_count);
			if training_heavy {
				for task in tasks.iter_mut().step_by(3) {
					(task.gpus, task.region, task.max_latency_ms) = (8, None, None);
				}
			}
			let ours = schedule(&nodes, &tasks, &config);
			let naive = first_fit(&nodes, &tasks, &config);
			let label = alloc::format!("seed {seed} on {node_count} nodes");
			assert_valid(&nodes, &tasks, &ours, &config);
			assert_maximal(&nodes, &tasks, &ours, &config, &label);
			assert!(
				ours.placed_gpus() >= naive.placed_gpus(),
				"{label}: {} < {}",
				ours.placed_gpus(),
				naive.placed_gpus()
			);
		}
	}
}

/// On small markets of every family from the independent generator, the schedule places as many
/// GPUs as the exact optimum, and at that placement costs little more. The seeds (900 on) are
/// not among those the constants were chosen on.
#[test]
fn places_what_the_optimum_places_on_every_market_family() {
	use crate::markets::{market, Family};
	let config = SchedulerConfig::default();
	for family in Family::ALL {
		let (mut ours_cost, mut optimum_cost) = (0u64, 0u64);
		for seed in 0..40 {
			let (nodes, tasks) = market(family, 900 + seed, 7, 10);
			let ours = schedule(&nodes, &tasks, &config);
			assert_valid(&nodes, &tasks, &ours, &config);
			let best = exact(&nodes, &tasks, &config);
			assert_eq!(ours.placed_gpus(), best.placed_gpus(), "{} seed {seed}", family.name());
			ours_cost += ours.total_cost();
			optimum_cost += best.total_cost();
		}
		assert!(
			ours_cost * 100 <= optimum_cost * 102,
			"{}: cost {ours_cost} against {optimum_cost}",
			family.name()
		);
	}
}

/// The families differ as named: twice the demand leaves about half of it out, ties repeat
/// offers, tight latency bounds most tasks, and the same seed draws the same market.
#[test]
fn market_families_are_what_they_say() {
	use crate::markets::{market, Family};
	let free = |nodes: &[NodeOffer]| nodes.iter().map(|n| u64::from(n.free_gpus)).sum::<u64>();
	let asked = |tasks: &[TaskRequest]| tasks.iter().map(|t| u64::from(t.gpus)).sum::<u64>();
	let (nodes, tasks) = market(Family::OverDemand, 1, 2_000, 600);
	assert!(asked(&tasks) >= free(&nodes) * 19 / 10, "{} asked, {} free", asked(&tasks), free(&nodes));
	let (nodes, tasks) = market(Family::Balanced, 1, 2_000, 600);
	assert!(asked(&tasks) * 10 / 11 <= free(&nodes) && free(&nodes) <= asked(&tasks) * 11 / 10);
	let (_, tasks) = market(Family::TightLatency, 1, 2_000, 600);
	assert!(tasks.iter().filter(|t| t.max_latency_ms.is_some_and(|ms| ms <= 40)).count() >= 400);
	let (nodes, _) = market(Family::Ties, 1, 2_000, 600);
	let prices: alloc::collections::BTreeSet<u64> = nodes.iter().map(|n| n.price_per_gpu_hour).collect();
	assert!(prices.len() <= 8);
	assert_eq!(market(Family::TrainingHeavy, 3, 50, 20), market(Family::TrainingHeavy, 3, 50, 20));
	let (_, tasks) = market(Family::TrainingHeavy, 1, 2_000, 600);
	assert!(tasks.iter().filter(|t| t.gpus == 8 && t.min_stage >= 1).count() >= 150);
}

//! Scheduler benchmark: quality and wall time of the auction against the exact optimum (small
//! batches) and against naive first-fit (large batches).
//!
//!   cargo bench -p vcity-scheduler --features workload
//!
//! Large batches are 10,000 nodes and 2,000 tasks. No exact solver reaches that size, so their
//! cost is compared with a lower bound: every placed task on its cheapest feasible node,
//! ignoring capacity. When every task that has a feasible node is placed, no schedule can cost
//! less than that bound, so the ratio to it is at least the ratio to the optimum.

use std::time::{Duration, Instant};
use vcity_scheduler::{
	exact, first_fit, pair_cost, schedule, workload::batch, LatencyTable, NodeOffer, Schedule,
	SchedulerConfig, TaskRequest,
};

const LARGE_NODES: usize = 10_000;
const LARGE_TASKS: usize = 2_000;
const LARGE_SEEDS: u64 = 5;
const SMALL_NODES: usize = 6;
const SMALL_TASKS: usize = 11;
const SMALL_SEEDS: u64 = 300;

fn timed<T>(run: impl FnOnce() -> T) -> (T, Duration) {
	let start = Instant::now();
	let out = run();
	(out, start.elapsed())
}

/// Σ over the placed tasks of their cheapest feasible cost, and how many tasks could be placed
/// at all.
fn lower_bound(
	nodes: &[NodeOffer],
	tasks: &[TaskRequest],
	placed: &Schedule,
	config: &SchedulerConfig,
) -> (u64, usize) {
	let latency = LatencyTable::new();
	let cheapest: Vec<Option<u64>> = tasks
		.iter()
		.map(|t| nodes.iter().filter_map(|n| pair_cost(t, n, &config.weights, &latency)).min())
		.collect();
	let placeable = cheapest.iter().filter(|c| c.is_some()).count();
	let bound = placed
		.assignments
		.iter()
		.map(|a| tasks.iter().position(|t| t.id == a.task).and_then(|i| cheapest[i]).unwrap_or(0))
		.sum();
	(bound, placeable)
}

fn large(config: &SchedulerConfig) {
	println!("large batches: {LARGE_NODES} nodes, {LARGE_TASKS} tasks");
	println!("seed | placeable | auction placed, cost/bound, time | first-fit placed, cost/bound, time");
	let mut worst_time = Duration::ZERO;
	let mut ratios = Vec::new();
	for seed in 0..LARGE_SEEDS {
		let (nodes, tasks) = batch(seed, LARGE_NODES, LARGE_TASKS);
		// Best of three, so one scheduling hiccup of the host does not count.
		let mut best = Duration::MAX;
		let mut ours = Schedule::default();
		for _ in 0..3 {
			let (result, took) = timed(|| schedule(&nodes, &tasks, config));
			best = best.min(took);
			ours = result;
		}
		let (naive, naive_time) = timed(|| first_fit(&nodes, &tasks, config));
		let (bound, placeable) = lower_bound(&nodes, &tasks, &ours, config);
		let (naive_bound, _) = lower_bound(&nodes, &tasks, &naive, config);
		let ratio = ours.total_cost() as f64 / bound as f64;
		ratios.push(ratio);
		worst_time = worst_time.max(best);
		println!(
			"{seed:>4} | {placeable:>9} | {:>5}, {:.4}, {:>6.1} ms | {:>5}, {:.4}, {:>6.1} ms",
			ours.assignments.len(),
			ratio,
			best.as_secs_f64() * 1e3,
			naive.assignments.len(),
			naive.total_cost() as f64 / naive_bound as f64,
			naive_time.as_secs_f64() * 1e3,
		);
		assert_eq!(ours.assignments.len(), placeable, "seed {seed}: a placeable task was left out");
	}
	let worst = ratios.iter().cloned().fold(0.0, f64::max);
	println!("auction: worst cost/bound {worst:.4}, worst time {:.1} ms", worst_time.as_secs_f64() * 1e3);
}

fn small(config: &SchedulerConfig) {
	println!("\nsmall batches: {SMALL_NODES} nodes, {SMALL_TASKS} tasks, {SMALL_SEEDS} seeds, exact optimum by branch and bound");
	// Costs compare only between schedules that place as many tasks as the optimum.
	let (mut ours_cost, mut ours_optimum, mut ours_fewer, mut worst) = (0u64, 0u64, 0, 1.0f64);
	let (mut naive_cost, mut naive_optimum, mut naive_fewer) = (0u64, 0u64, 0);
	let mut exact_time = Duration::ZERO;
	for seed in 0..SMALL_SEEDS {
		let (nodes, tasks) = batch(10_000 + seed, SMALL_NODES, SMALL_TASKS);
		let (best, took) = timed(|| exact(&nodes, &tasks, config));
		exact_time += took;
		let optimum = best.total_cost();
		let ours = schedule(&nodes, &tasks, config);
		if ours.assignments.len() < best.assignments.len() {
			ours_fewer += 1;
		} else {
			ours_cost += ours.total_cost();
			ours_optimum += optimum;
			if optimum > 0 {
				worst = worst.max(ours.total_cost() as f64 / optimum as f64);
			}
		}
		let naive = first_fit(&nodes, &tasks, config);
		if naive.assignments.len() < best.assignments.len() {
			naive_fewer += 1;
		} else {
			naive_cost += naive.total_cost();
			naive_optimum += optimum;
		}
	}
	println!(
		"auction:   placed fewer than the optimum in {ours_fewer:>3} of {SMALL_SEEDS}; elsewhere cost/optimum {:.4} (worst batch {worst:.4})",
		ours_cost as f64 / ours_optimum.max(1) as f64
	);
	println!(
		"first-fit: placed fewer than the optimum in {naive_fewer:>3} of {SMALL_SEEDS}; elsewhere cost/optimum {:.4}",
		naive_cost as f64 / naive_optimum.max(1) as f64
	);
	println!("exact solver: {:.1} ms per batch", exact_time.as_secs_f64() * 1e3 / SMALL_SEEDS as f64);
}

fn main() {
	let config = SchedulerConfig::default();
	large(&config);
	small(&config);
}

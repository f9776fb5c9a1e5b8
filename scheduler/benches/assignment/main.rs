//! Scheduler benchmark: quality and wall time of the auction against the exact optimum (small
//! batches) and against naive first-fit (large batches).
//!
//!   cargo bench -p vcity-scheduler --features workload
//!   SCHEDULER_OPTIMUM=python3 cargo bench -p vcity-scheduler --features workload -- markets
//!
//! The second runs only the market families (`markets.rs`) against the exact optimum, which
//! needs `pip install -r scheduler/benches/assignment/requirements.txt`. `SCHEDULER_CANDIDATES`
//! and `SCHEDULER_BIDS` override the shortlist length and the bid budget per task, for tuning.
//!
//! Large batches are 10,000 nodes and 2,000 tasks. No exact solver reaches that size, so their
//! cost is compared with a lower bound, the optimum of the batch's linear relaxation (see
//! `lower_bound` and `flow.rs`). When every task that has a feasible node is placed, the
//! optimum places the same tasks and costs at least the bound, so the ratio to the bound is at
//! least the ratio to the optimum. First-fit is compared with the same bound when it places the
//! same tasks.

mod flow;
mod markets;

use std::time::{Duration, Instant};
use vcity_scheduler::{
	exact, first_fit, pair_cost, schedule, workload::batch, LatencyTable, NodeOffer, Schedule,
	SchedulerConfig, TaskRequest,
};

const LARGE_NODES: usize = 10_000;
const LARGE_TASKS: usize = 2_000;
const LARGE_SEEDS: u64 = 3;
/// Nodes per task the relaxation's flow may use. At 400 the bound evaluated over every pair
/// equals the flow's cost on all three seeds: the prices are then optimal and the bound is the
/// relaxation's optimum itself.
const FLOW_CANDIDATES: usize = 400;
const SMALL_NODES: usize = 6;
const SMALL_TASKS: usize = 11;
const SMALL_SEEDS: u64 = 300;

fn timed<T>(run: impl FnOnce() -> T) -> (T, Duration) {
	let start = Instant::now();
	let out = run();
	(out, start.elapsed())
}

/// A lower bound on the cost of any schedule that places every task `ours` places, and how
/// many tasks could be placed at all.
///
/// Lagrangian relaxation of the GPU capacities: for any prices p ≥ 0 per GPU of each node,
/// Σ_i min_j (c_ij + g_i·p_j) − Σ_j free_j·p_j ≤ the cost of every schedule placing those tasks
/// (the priced GPUs a schedule uses never exceed the free ones). Its best value over p is the
/// optimum of the linear relaxation (tasks may split their GPUs over nodes), reached at that
/// relaxation's dual prices, which `flow::flow_prices` computes. The bound is evaluated over
/// every node–task pair, so it holds whatever the flow left out.
fn lower_bound(
	nodes: &[NodeOffer],
	tasks: &[TaskRequest],
	ours: &Schedule,
	config: &SchedulerConfig,
) -> (u64, usize) {
	let latency = LatencyTable::new();
	let placeable = tasks
		.iter()
		.filter(|t| nodes.iter().any(|n| pair_cost(t, n, &config.weights, &latency).is_some()))
		.count();
	let index: std::collections::HashMap<u64, usize> =
		nodes.iter().enumerate().map(|(j, n)| (n.id, j)).collect();
	let placed: Vec<(&TaskRequest, usize)> = ours
		.assignments
		.iter()
		.filter_map(|a| Some((tasks.iter().find(|t| t.id == a.task)?, *index.get(&a.node)?)))
		.collect();
	let prices = flow::flow_prices(nodes, &placed, config, FLOW_CANDIDATES);
	let mut bound: f64 = -nodes.iter().zip(&prices).map(|(n, p)| f64::from(n.free_gpus) * p).sum::<f64>();
	for (task, _) in &placed {
		let g = f64::from(task.gpus);
		let cheapest = nodes
			.iter()
			.zip(&prices)
			.filter_map(|(n, p)| pair_cost(task, n, &config.weights, &latency).map(|c| c as f64 + g * p))
			.min_by(|a, b| a.total_cmp(b));
		bound += cheapest.unwrap_or(0.0);
	}
	(bound.floor().max(0.0) as u64, placeable)
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
		let ratio = ours.total_cost() as f64 / bound as f64;
		ratios.push(ratio);
		worst_time = worst_time.max(best);
		println!(
			"{seed:>4} | {placeable:>9} | {:>5}, {:.4}, {:>6.1} ms | {:>5}, {:.4}, {:>6.1} ms",
			ours.assignments.len(),
			ratio,
			best.as_secs_f64() * 1e3,
			naive.assignments.len(),
			naive.total_cost() as f64 / bound as f64,
			naive_time.as_secs_f64() * 1e3,
		);
		if ours.assignments.len() < placeable {
			println!(
				"       {} placeable tasks left out: the bound covers only the placed ones",
				placeable - ours.assignments.len()
			);
		}
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
		if ours.placed_gpus() < best.placed_gpus() {
			ours_fewer += 1;
		} else {
			ours_cost += ours.total_cost();
			ours_optimum += optimum;
			if optimum > 0 {
				worst = worst.max(ours.total_cost() as f64 / optimum as f64);
			}
		}
		let naive = first_fit(&nodes, &tasks, config);
		if naive.placed_gpus() < best.placed_gpus() {
			naive_fewer += 1;
		} else {
			naive_cost += naive.total_cost();
			naive_optimum += optimum;
		}
	}
	println!(
		"auction:   put fewer GPUs to work than the optimum in {ours_fewer:>3} of {SMALL_SEEDS}; elsewhere cost/optimum {:.4} (worst batch {worst:.4})",
		ours_cost as f64 / ours_optimum.max(1) as f64
	);
	println!(
		"first-fit: put fewer GPUs to work than the optimum in {naive_fewer:>3} of {SMALL_SEEDS}; elsewhere cost/optimum {:.4}",
		naive_cost as f64 / naive_optimum.max(1) as f64
	);
	println!("exact solver: {:.1} ms per batch", exact_time.as_secs_f64() * 1e3 / SMALL_SEEDS as f64);
}

/// `cargo bench -p vcity-scheduler --features workload --bench assignment -- markets` runs the
/// market families alone.
fn main() {
	let mut config = SchedulerConfig::default();
	if let Some(keep) = std::env::var("SCHEDULER_CANDIDATES").ok().and_then(|v| v.parse().ok()) {
		config.candidates_per_task = keep;
	}
	if let Some(bids) = std::env::var("SCHEDULER_BIDS").ok().and_then(|v| v.parse().ok()) {
		config.max_bids_per_task = bids;
	}
	if !std::env::args().any(|a| a == "markets") {
		large(&config);
		small(&config);
	}
	markets::run(&config);
}

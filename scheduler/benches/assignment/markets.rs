//! The market families (`vcity_scheduler::markets`): GPUs placed and cost against the exact
//! optimum, first-fit beside it, every pair checked again.
//!
//! The optimum comes from `optimum.py` (HiGHS) when `SCHEDULER_OPTIMUM` names a Python with
//! `highspy`; without it the table shows the auction against first-fit and the checks only.
//! Each batch is written under `target/scheduler-markets/` (or `SCHEDULER_MARKETS_DIR`) with the
//! auction's placement beside it, so a solve can be repeated by hand.

use std::{
	fmt::Write as _,
	path::{Path, PathBuf},
	process::Command,
	time::{Duration, Instant},
};
use vcity_scheduler::{
	first_fit,
	markets::{market, Family},
	pair_cost, schedule, LatencyTable, NodeOffer, Schedule, SchedulerConfig, TaskRequest,
};

/// (nodes, tasks, seeds) of each size.
const SIZES: [(usize, usize, u64); 2] = [(2_000, 600, 3), (10_000, 2_000, 1)];
/// The first seed reported. The shortlist length and the repair's budget were chosen on seeds 0
/// to 2; the table is drawn from seeds the scheduler was never run on while tuning.
const FIRST_SEED: u64 = 1_000;
/// Seconds the solver may spend per stage of one batch.
const SOLVER_SECONDS: u32 = 150;

/// What the solver reported for one batch.
struct Optimum {
	gpus: u64,
	gpus_bound: u64,
	lp_gpus: u64,
	/// The least cost of a schedule placing the auction's GPUs, or the solver's lower bound on it
	/// where it stopped at its time limit: the ratio to it is never flattering.
	cost_at_ours: u64,
	/// Whether the solver proved the most GPUs (stage 1) and the least cost (stage 2) optimal.
	exact_gpus: bool,
	exact_cost: bool,
}

/// Constraint violations of a schedule: pairs that do not fit, tasks placed twice, nodes over
/// their free GPUs. Then whether it is maximal: no task left out while a node that fits it has
/// the room.
fn check(
	nodes: &[NodeOffer],
	tasks: &[TaskRequest],
	plan: &Schedule,
	config: &SchedulerConfig,
) -> (usize, bool) {
	let latency = LatencyTable::new();
	let node_at: std::collections::HashMap<u64, usize> =
		nodes.iter().enumerate().map(|(i, n)| (n.id, i)).collect();
	let task_at: std::collections::HashMap<u64, usize> =
		tasks.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
	let mut used = vec![0u32; nodes.len()];
	let mut placed = vec![false; tasks.len()];
	let mut violations = 0;
	for a in &plan.assignments {
		let (Some(&n), Some(&t)) = (node_at.get(&a.node), task_at.get(&a.task)) else {
			violations += 1;
			continue;
		};
		if placed[t] || pair_cost(&tasks[t], &nodes[n], &config.weights, &latency) != Some(a.cost) {
			violations += 1;
		}
		placed[t] = true;
		used[n] += tasks[t].gpus;
	}
	violations += nodes.iter().zip(&used).filter(|(n, &u)| u > n.free_gpus).count();
	let maximal = tasks.iter().zip(&placed).filter(|(_, &p)| !p).all(|(task, _)| {
		nodes.iter().zip(&used).all(|(node, &u)| {
			node.free_gpus.saturating_sub(u) < task.gpus
				|| pair_cost(task, node, &config.weights, &latency).is_none()
		})
	});
	(violations, maximal)
}

fn write_batch(path: &Path, nodes: &[NodeOffer], tasks: &[TaskRequest], ours: u64, config: &SchedulerConfig) {
	let latency = LatencyTable::new();
	let mut out = String::new();
	let _ = writeln!(out, "nodes {}", nodes.len());
	for n in nodes {
		let _ = write!(out, "{} ", n.free_gpus);
	}
	let _ = writeln!(out, "\ntasks {}", tasks.len());
	for t in tasks {
		let _ = write!(out, "{} ", t.gpus);
	}
	let mut pairs = String::new();
	let mut count = 0usize;
	for (i, t) in tasks.iter().enumerate() {
		for (j, n) in nodes.iter().enumerate() {
			if let Some(cost) = pair_cost(t, n, &config.weights, &latency) {
				let _ = writeln!(pairs, "{i} {j} {cost}");
				count += 1;
			}
		}
	}
	let _ = writeln!(out, "\npairs {count}");
	out.push_str(&pairs);
	let _ = writeln!(out, "ours {ours}");
	std::fs::write(path, out).expect("the batch file is written");
}

/// The auction's placement by position (task index, node index), beside the batch.
fn write_schedule(path: &Path, nodes: &[NodeOffer], tasks: &[TaskRequest], plan: &Schedule) {
	let mut out = String::new();
	for a in &plan.assignments {
		let t = tasks.iter().position(|t| t.id == a.task).unwrap_or(usize::MAX);
		let n = nodes.iter().position(|n| n.id == a.node).unwrap_or(usize::MAX);
		let _ = writeln!(out, "{t} {n}");
	}
	std::fs::write(path, out).expect("the schedule file is written");
}

fn solve(python: &str, path: &Path) -> Option<Optimum> {
	let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/assignment/optimum.py");
	let output = Command::new(python).arg(script).arg(path).arg(SOLVER_SECONDS.to_string()).output().ok()?;
	let line = String::from_utf8_lossy(&output.stdout);
	let field = |name: &str| -> Option<u64> {
		let at = line.find(&format!("\"{name}\": "))? + name.len() + 4;
		line[at..].split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
	};
	// "status": [stage 1, stage 2], each "Optimal" where the solver proved it.
	let statuses: Vec<&str> = line
		.split("\"status\": [")
		.nth(1)?
		.split(']')
		.next()?
		.split(',')
		.map(|s| s.trim().trim_matches('"'))
		.collect();
	Some(Optimum {
		gpus: field("optimum_gpus")?,
		gpus_bound: field("optimum_gpus_bound")?,
		lp_gpus: field("lp_gpus")?,
		cost_at_ours: field("cost_at_ours_bound")?,
		exact_gpus: statuses.first() == Some(&"Optimal"),
		exact_cost: statuses.get(1) == Some(&"Optimal"),
	})
}

pub fn run(config: &SchedulerConfig) {
	let python = std::env::var("SCHEDULER_OPTIMUM").ok();
	let dir = std::env::var("SCHEDULER_MARKETS_DIR")
		.map(PathBuf::from)
		.unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/scheduler-markets"));
	let _ = std::fs::create_dir_all(&dir);
	println!(
		"\nmarket families (vcity_scheduler::markets), exact optimum by HiGHS{}",
		if python.is_some() { "" } else { ": not run (set SCHEDULER_OPTIMUM=python3)" }
	);
	println!("family         | nodes x tasks | seed | demand | auction GPUs, of optimum, cost/best, time | first-fit GPUs | optimum (bound, LP) | violations, maximal");
	for family in Family::ALL {
		// `SCHEDULER_MARKETS_SMALL` skips the 10,000-node batches while tuning.
		let sizes = if std::env::var("SCHEDULER_MARKETS_SMALL").is_ok() { &SIZES[..1] } else { &SIZES[..] };
		// `SCHEDULER_MARKETS_TUNING` reports the seeds the constants were chosen on instead.
		let first = if std::env::var("SCHEDULER_MARKETS_TUNING").is_ok() { 0 } else { FIRST_SEED };
		let first =
			std::env::var("SCHEDULER_MARKETS_FIRST_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(first);
		let seeds_override: Option<u64> =
			std::env::var("SCHEDULER_MARKETS_SEEDS").ok().and_then(|v| v.parse().ok());
		for &(node_count, task_count, seeds) in sizes {
			let seeds = seeds_override.unwrap_or(seeds);
			for seed in first..first + seeds {
				let (nodes, tasks) = market(family, seed, node_count, task_count);
				let demand: u64 = tasks.iter().map(|t| u64::from(t.gpus)).sum();
				let mut best = Duration::MAX;
				let mut ours = Schedule::default();
				for _ in 0..3 {
					let start = Instant::now();
					ours = schedule(&nodes, &tasks, config);
					best = best.min(start.elapsed());
				}
				let naive = first_fit(&nodes, &tasks, config);
				let (violations, maximal) = check(&nodes, &tasks, &ours, config);
				let path = dir.join(format!(
					"{}-{node_count}x{task_count}-{seed}.txt",
					family.name().replace(' ', "-")
				));
				let optimum = python.as_deref().and_then(|python| {
					write_batch(&path, &nodes, &tasks, ours.placed_gpus(), config);
					write_schedule(&path.with_extension("ours"), &nodes, &tasks, &ours);
					solve(python, &path)
				});
				let (share, cost_ratio, optimum_text) = match &optimum {
					Some(o) => (
						// Where the solver stopped early, against its bound: never flattering.
						format!(
							"{:.2}%",
							ours.placed_gpus() as f64 * 100.0
								/ (if o.exact_gpus { o.gpus } else { o.gpus_bound }).max(1) as f64
						),
						// No cost solved (`SCHEDULER_OPTIMUM_GPUS_ONLY`): nothing to compare.
						if o.cost_at_ours == 0 {
							"-".into()
						} else {
							format!(
								"{}{:.4}",
								if o.exact_cost { "" } else { "<=" },
								ours.total_cost() as f64 / o.cost_at_ours as f64
							)
						},
						format!(
							"{}{} ({}, {})",
							o.gpus,
							if o.exact_gpus { "" } else { "*" },
							o.gpus_bound,
							o.lp_gpus
						),
					),
					None => ("-".into(), "-".into(), "-".into()),
				};
				println!(
					"{:<14} | {node_count:>6} x {task_count:<5}| {seed:>4} | {demand:>6} | {:>6}, {share:>7}, {cost_ratio}, {:>6.1} ms | {:>6} | {optimum_text} | {violations}, {}",
					family.name(),
					ours.placed_gpus(),
					best.as_secs_f64() * 1e3,
					naive.placed_gpus(),
					if maximal { "yes" } else { "NO" },
				);
			}
		}
	}
	println!("* the solver stopped at its time limit on GPUs: the share is against its bound");
	println!("<= it stopped on cost: the ratio is to its lower bound on the cost, never flattering");
}

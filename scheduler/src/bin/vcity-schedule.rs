//! `vcity-schedule`: one scheduling run over a snapshot of the market.
//!
//! Reads from standard input the JSON the chain's RPC returns, `{"tasks": [...], "nodes":
//! [...]}` with tasks as `vcity_queuedTasks` lists them and nodes as `vcity_idleNodes` does,
//! and writes `{"assignments": [[task, node], ...], "unplaced": [{"task", "reason"}]}`. The
//! scheduler service (`scripts/scheduler-service.mjs`) feeds it and submits the assignments;
//! the chain checks each one again.

use serde::{Deserialize, Serialize};
use std::io::Read;
use vcity_scheduler::{region_of, schedule, NodeOffer, SchedulerConfig, TaskRequest, Unplaced};

#[derive(Deserialize)]
struct Snapshot {
	tasks: Vec<TaskJson>,
	nodes: Vec<NodeJson>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TaskJson {
	id: u64,
	requirements: RequirementsJson,
	max_price_per_gpu_hour: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RequirementsJson {
	gpus: u32,
	min_vram_per_gpu_gib: u32,
	min_gpu_class: Option<String>,
	min_stage: u8,
	region: Option<String>,
	max_round_trip_ms: Option<u32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NodeJson {
	node: u64,
	region: String,
	gpu_class: String,
	vram_per_gpu_gib: u32,
	free_gpus: u32,
	stage: u8,
	price_per_gpu_hour: String,
	reputation: u32,
}

#[derive(Serialize)]
struct Output {
	assignments: Vec<(u64, u64)>,
	unplaced: Vec<UnplacedJson>,
}

#[derive(Serialize)]
struct UnplacedJson {
	task: u64,
	reason: &'static str,
}

/// The chain's GPU classes in order, as the RPC names them.
const CLASSES: [&str; 3] = ["consumer", "workstation", "datacenter"];

fn class(name: Option<&str>) -> Result<u8, String> {
	let name = name.unwrap_or("consumer");
	CLASSES
		.iter()
		.position(|c| *c == name)
		.map(|i| i as u8)
		.ok_or_else(|| format!("unknown GPU class {name:?}"))
}

/// Prices beyond u64 base units (18 trillion USDV per GPU-hour) are treated as the maximum.
fn price(value: &str) -> Result<u64, String> {
	let amount: u128 = value.parse().map_err(|_| format!("{value:?} is not a decimal amount"))?;
	Ok(u64::try_from(amount).unwrap_or(u64::MAX))
}

fn task(t: TaskJson) -> Result<TaskRequest, String> {
	let r = t.requirements;
	// A region without a latency bound means "in this region": the round trip within one region.
	let region = r.region.as_deref().map(|code| region_of(code.as_bytes()));
	let max_latency_ms = match (region, r.max_round_trip_ms) {
		(Some(site), None) => Some(vcity_scheduler::round_trip_ms(site, site)),
		(_, bound) => bound,
	};
	Ok(TaskRequest {
		id: t.id,
		gpus: r.gpus,
		min_vram_per_gpu_gib: r.min_vram_per_gpu_gib,
		min_gpu_class: class(r.min_gpu_class.as_deref())?,
		min_stage: r.min_stage,
		region,
		max_latency_ms,
		max_price_per_gpu_hour: price(&t.max_price_per_gpu_hour)?,
	})
}

fn node(n: NodeJson) -> Result<NodeOffer, String> {
	Ok(NodeOffer {
		id: n.node,
		region: region_of(n.region.as_bytes()),
		gpu_class: class(Some(&n.gpu_class))?,
		free_gpus: n.free_gpus,
		vram_per_gpu_gib: n.vram_per_gpu_gib,
		stage: n.stage,
		price_per_gpu_hour: price(&n.price_per_gpu_hour)?,
		reputation_bps: n.reputation,
	})
}

fn run() -> Result<Output, String> {
	let mut input = String::new();
	std::io::stdin().read_to_string(&mut input).map_err(|e| format!("reading standard input: {e}"))?;
	let snapshot: Snapshot = serde_json::from_str(&input).map_err(|e| format!("malformed snapshot: {e}"))?;
	let tasks = snapshot.tasks.into_iter().map(task).collect::<Result<Vec<_>, _>>()?;
	let nodes = snapshot.nodes.into_iter().map(node).collect::<Result<Vec<_>, _>>()?;
	let result = schedule(&nodes, &tasks, &SchedulerConfig::default());
	Ok(Output {
		assignments: result.assignments.iter().map(|a| (a.task, a.node)).collect(),
		unplaced: result
			.unplaced
			.iter()
			.map(|(task, why)| UnplacedJson {
				task: *task,
				reason: match why {
					Unplaced::NoFeasibleNode => "noFeasibleNode",
					Unplaced::CapacityTaken => "capacityTaken",
				},
			})
			.collect(),
	})
}

fn main() {
	match run() {
		Ok(output) => match serde_json::to_string(&output) {
			Ok(json) => println!("{json}"),
			Err(e) => {
				eprintln!("vcity-schedule: {e}");
				std::process::exit(1);
			}
		},
		Err(message) => {
			eprintln!("vcity-schedule: {message}");
			std::process::exit(2);
		}
	}
}

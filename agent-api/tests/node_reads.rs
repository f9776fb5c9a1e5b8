//! Every reply the agent writes reads, through `read`, as the node needs it: for each task state,
//! health and GPU source. And the node reads past what it does not need.

use serde::{de::DeserializeOwned, Serialize};
use serde_json::json;
use vcity_agent_api::*;

fn as_node_reads<T: DeserializeOwned>(reply: &impl Serialize) -> T {
	let bytes = serde_json::to_vec(reply).expect("every reply serializes");
	serde_json::from_slice(&bytes).expect("the node reads every reply the agent writes")
}

fn gpu(index: u32, health: Health) -> GpuSample {
	GpuSample {
		index,
		model: "NVIDIA GeForce RTX 4090".into(),
		memory_total_mib: 24564,
		memory_used_mib: 512,
		utilization_percent: 3,
		temperature_c: 41,
		health,
	}
}

#[test]
fn the_status_reads_as_the_node_needs_it() {
	for source in [SourceKind::Nvml, SourceKind::Profile] {
		for health in [Health::Ok, Health::Degraded, Health::Failed] {
			let status = StatusReply {
				api: API_VERSION,
				agent: "vcity-agent/0.1.0".into(),
				simulated: source == SourceKind::Profile,
				source,
				gpus: vec![gpu(0, Health::Ok), gpu(1, health)],
				load_percent: 3,
				health,
				tasks: TaskCounts { queued: 1, running: 2, finished: 3, failed: 4 },
			};
			let gpus = status
				.gpus
				.iter()
				.map(|gpu| read::GpuSample {
					model: gpu.model.clone(),
					memory_total_mib: gpu.memory_total_mib,
					health: gpu.health,
				})
				.collect();
			assert_eq!(
				as_node_reads::<read::StatusReply>(&status),
				read::StatusReply {
					api: API_VERSION,
					simulated: status.simulated,
					gpus,
					load_percent: 3,
					health
				}
			);
		}
	}
}

#[test]
fn every_task_reads_as_the_node_needs_it() {
	let task = |id: u64, state: TaskState, used_gpu_seconds: u64, workload: Workload| TaskView {
		id,
		state,
		gpus: 1,
		seconds: 60,
		workload,
		used_gpu_seconds,
		result: None,
		keyed: None,
		error: None,
	};
	let matrix = Workload::Matrix { seed: 42, size: 256, rounds: 2, key: None, mix: false, memory: None };
	let container = Workload::Container { image: "ghcr.io/acme/job:1".into(), command_hash: Hash32([1; 32]) };
	let tasks = TaskList {
		tasks: vec![
			task(3, TaskState::Queued, 0, matrix.clone()),
			task(4, TaskState::Running, 7, container),
			TaskView { result: Some(Hash32([0xab; 32])), ..task(5, TaskState::Finished, 9, matrix.clone()) },
			TaskView {
				result: Some(Hash32([0xcd; 32])),
				keyed: Some(Hash32([0xef; 32])),
				..task(
					(1 << 63) | 7,
					TaskState::Finished,
					2,
					Workload::Matrix {
						seed: 1,
						size: 64,
						rounds: 8,
						key: Some(Hash32([2; 32])),
						mix: true,
						memory: None,
					},
				)
			},
			TaskView {
				error: Some("time limit of 60 s exceeded".into()),
				..task(6, TaskState::Failed, 61, matrix)
			},
		],
	};
	let seen = tasks
		.tasks
		.iter()
		.map(|task| read::TaskView {
			id: task.id,
			state: task.state,
			used_gpu_seconds: task.used_gpu_seconds,
			result: task.result,
			keyed: task.keyed,
		})
		.collect();
	assert_eq!(as_node_reads::<read::TaskList>(&tasks), read::TaskList { tasks: seen });
}

#[test]
fn the_node_reads_past_what_it_does_not_need() {
	let status = json!({
		"api": 3, "simulated": false, "source": "rocm", "load_percent": 0, "health": "ok", "uptime_s": 5,
		"gpus": [{ "model": "AMD Instinct MI300X", "memory_total_mib": 196608, "health": "ok" }]
	});
	assert!(serde_json::from_value::<read::StatusReply>(status).is_ok());
	let tasks = json!({ "tasks": [
		{ "id": 1, "state": "queued", "workload": { "kind": "shell", "command": "ls" } },
		{ "id": 2, "state": "running", "result": "0x1234" }
	]});
	let tasks = serde_json::from_value::<read::TaskList>(tasks).expect("reads");
	assert_eq!((tasks.tasks[0].used_gpu_seconds, tasks.tasks[1].result), (0, None));
}

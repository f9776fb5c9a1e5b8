//! The agent's answers through the node's own reading of them (`pallet-agent-bridge`): every
//! request the node's offchain worker makes, answered by this router, means to the worker what
//! the agent meant. The two share the API's types; this checks the rest (statuses, the checks
//! the worker adds) and the serialization the real server does.

use super::*;
use crate::digest::Hash32;
use pallet_agent_bridge::agent::{
	forget_outcome, metrics, parse_status, parse_tasks, push_body, push_outcome, AgentError, HeldTask,
	Progress, PushOutcome,
};
use vcity_primitives::{BuiltinWorkload, Health as ChainHealth, HeartbeatMetrics, Workload as ChainWorkload};

/// Sends `body` as the worker does, with the secret or without: the status code and the reply.
async fn send(app: &Router, method: &str, uri: &str, secret: bool, body: &[u8]) -> (u16, Bytes) {
	let body = std::str::from_utf8(body).expect("the worker sends text");
	let (status, reply) = exchange(app, method, uri, secret.then_some(BEARER), body).await;
	(status.as_u16(), reply)
}

/// Starts the oldest queued task, as the runner does with two free GPUs.
async fn start_next(store: &Store) -> u64 {
	store.start_next(2).await.expect("kept").expect("a task starts").id
}

fn matrix(seed: u64) -> ChainWorkload {
	ChainWorkload::Builtin(BuiltinWorkload::MatrixProduct { seed, size: 256, rounds: 2 })
}

#[tokio::test]
async fn the_worker_reads_the_status_as_the_agent_meant_it() {
	let harness = harness().await;
	let (code, body) = send(&harness.app, "GET", "/v1/status", true, b"").await;
	assert_eq!(code, 200);
	let status = parse_status(&body).expect("the worker reads the agent's status");
	assert_eq!((status.api, status.simulated, status.gpus.len()), (vcity_agent_api::API_VERSION, true, 2));
	assert!(status
		.gpus
		.iter()
		.all(|gpu| gpu.model == "NVIDIA GeForce RTX 4090" && gpu.memory_total_mib == 24564));
	assert_eq!(metrics(&status), HeartbeatMetrics { load_percent: 0, health: ChainHealth::Healthy });
}

#[tokio::test]
async fn the_worker_s_pushes_and_forgets_get_the_answers_it_acts_on() {
	let harness = harness().await;
	let app = &harness.app;
	let push = |id, gpus, workload: &ChainWorkload| push_body(id, gpus, 60, workload, None).expect("text");
	let outcome = |code| (code, push_outcome(code));
	let (code, _) = send(app, "POST", "/v1/tasks", true, &push(7, 1, &matrix(42))).await;
	assert_eq!(outcome(code), (201, Ok(PushOutcome::Accepted)));
	let (code, _) = send(app, "POST", "/v1/tasks", true, &push(7, 1, &matrix(42))).await;
	assert_eq!(outcome(code), (200, Ok(PushOutcome::Accepted)));
	let (code, _) = send(app, "POST", "/v1/tasks", true, &push(7, 1, &matrix(43))).await;
	assert_eq!(outcome(code), (409, Ok(PushOutcome::Conflict)));
	let (code, _) = send(app, "POST", "/v1/tasks", true, &push(8, 3, &matrix(42))).await;
	assert_eq!(outcome(code), (422, Ok(PushOutcome::Unsupported)));
	let image = b"ghcr.io/acme/job:1".to_vec().try_into().expect("a short image reference");
	let container = ChainWorkload::Container { image, command_hash: [1; 32] };
	let (code, _) = send(app, "POST", "/v1/tasks", true, &push(9, 1, &container)).await;
	assert_eq!(outcome(code), (422, Ok(PushOutcome::Unsupported)), "this agent runs no containers");
	let (code, _) = send(app, "POST", "/v1/tasks", false, &push(10, 1, &matrix(42))).await;
	assert_eq!(outcome(code), (401, Err(AgentError::Unauthorized)));

	let forgotten = |code| (code, forget_outcome(code));
	let (code, _) = send(app, "DELETE", "/v1/tasks/7", true, b"").await;
	assert_eq!(forgotten(code), (204, Ok(())));
	let (code, _) = send(app, "DELETE", "/v1/tasks/7", true, b"").await;
	assert_eq!(forgotten(code), (404, Ok(())));
	let (code, _) = send(app, "DELETE", "/v1/tasks/7", false, b"").await;
	assert_eq!(forgotten(code), (401, Err(AgentError::Unauthorized)));
}

#[tokio::test]
async fn the_worker_reads_every_task_state_the_agent_lists() {
	let harness = harness().await;
	for id in 1..=4 {
		let (status, _) = authorized(&harness.app, "POST", "/v1/tasks", &matrix_task(id, 1, id)).await;
		assert_eq!(status, StatusCode::CREATED);
	}
	let digest = Hash32([0xab; 32]);
	let first = start_next(&harness.store).await;
	assert!(harness.store.finish(first, Ok(digest.into())).await.expect("kept"));
	let second = start_next(&harness.store).await;
	assert!(harness.store.finish(second, Err("time limit of 60 s exceeded".into())).await.expect("kept"));
	let third = start_next(&harness.store).await;
	assert_eq!((first, second, third), (1, 2, 3));

	let (code, body) = send(&harness.app, "GET", "/v1/tasks", true, b"").await;
	assert_eq!(code, 200);
	// Metering follows the clock, so the expected figures come from the same reply.
	let listed: Value = serde_json::from_slice(&body).expect("JSON");
	let used = |index: usize| listed["tasks"][index]["used_gpu_seconds"].as_u64().expect("metered");
	assert_eq!(
		parse_tasks(&body),
		Ok(vec![
			HeldTask { id: 1, progress: Progress::Finished { result: digest.0, keyed: None, used: used(0) } },
			HeldTask { id: 2, progress: Progress::Failed },
			HeldTask { id: 3, progress: Progress::Running { used: used(2) } },
			HeldTask { id: 4, progress: Progress::Queued },
		])
	);
}

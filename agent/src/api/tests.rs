//! The API as the offchain worker sees it, request by request through the real router.

mod contract;

use super::*;
use crate::{
	gpu::{occupancy::Occupancy, profile::ProfileSource, GpuSource},
	tasks::{container::allowlist::Allowlist, TaskState},
};
use axum::{
	body::{Body, Bytes},
	http::{Request, StatusCode},
};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

const SECRET: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const PROFILE: &str =
	r#"{ "gpus": [ { "model": "NVIDIA GeForce RTX 4090", "memory_total_mib": 24564, "count": 2 } ] }"#;

struct Harness {
	app: Router,
	store: Arc<Store>,
	shutdown: Arc<StopSignal>,
	dir: tempfile::TempDir,
}

async fn harness() -> Harness {
	let dir = tempfile::tempdir().expect("temp dir");
	let store = Arc::new(Store::open(dir.path().join("tasks.json")).await.expect("store"));
	let source = GpuSource::Profile(ProfileSource::parse(PROFILE).expect("profile"));
	let occupancy = Occupancy::new(source.count());
	let (_, gpus) = watch::channel(source.sample(&occupancy).await);
	let shutdown = Arc::new(StopSignal::default());
	let state = AppState {
		secret: Arc::new(Secret::from_value(SECRET)),
		store: Arc::clone(&store),
		admission: Arc::new(Admission {
			host_gpus: source.count(),
			containers: false,
			allowlist: Allowlist::default(),
		}),
		gpus,
		metrics: Arc::new(Metrics::new(true)),
		wake_runner: Arc::new(Notify::new()),
		shutdown: Arc::clone(&shutdown),
	};
	Harness { app: router(state), store, shutdown, dir }
}

/// The status and the body as sent.
async fn exchange(
	app: &Router,
	method: &str,
	uri: &str,
	authorization: Option<&str>,
	body: &str,
) -> (StatusCode, Bytes) {
	let mut request = Request::builder().method(method).uri(uri);
	if let Some(authorization) = authorization {
		request = request.header("authorization", authorization);
	}
	let request = request
		.header("content-type", "application/json")
		.body(Body::from(body.to_owned()))
		.expect("request");
	let response = app.clone().oneshot(request).await.expect("infallible");
	let status = response.status();
	(status, response.into_body().collect().await.expect("body").to_bytes())
}

/// The status and the body (JSON if it parses, else a string).
async fn call(
	app: &Router,
	method: &str,
	uri: &str,
	authorization: Option<&str>,
	body: &str,
) -> (StatusCode, Value) {
	let (status, bytes) = exchange(app, method, uri, authorization, body).await;
	let body = serde_json::from_slice(&bytes)
		.unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
	(status, body)
}

const BEARER: &str = concat!("Bearer ", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");

async fn authorized(app: &Router, method: &str, uri: &str, body: &str) -> (StatusCode, Value) {
	call(app, method, uri, Some(BEARER), body).await
}

fn matrix_task(id: u64, gpus: u32, seed: u64) -> String {
	let workload = json!({ "kind": "matrix", "seed": seed, "size": 256, "rounds": 2 });
	json!({ "id": id, "gpus": gpus, "seconds": 60, "workload": workload }).to_string()
}

#[tokio::test]
async fn without_the_secret_nothing_happens() {
	let harness = harness().await;
	let task = matrix_task(7, 1, 42);
	for authorization in [None, Some("Bearer wrong"), Some(SECRET), Some("Basic c2VjcmV0"), Some("Bearer ")] {
		for (method, uri, body) in [
			("POST", "/v1/tasks", task.as_str()),
			("GET", "/v1/tasks", ""),
			("GET", "/v1/status", ""),
			("DELETE", "/v1/tasks/7", ""),
		] {
			let (status, body) = call(&harness.app, method, uri, authorization, body).await;
			assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {uri} with {authorization:?}");
			assert_eq!(body, json!({ "error": "unauthorized", "message": "missing or wrong bearer secret" }));
		}
	}
	assert!(harness.store.list().await.is_empty());
	let (status, body) = call(&harness.app, "GET", "/v1/tasks", Some(&format!("bearer {SECRET}")), "").await;
	assert_eq!((status, body), (StatusCode::OK, json!({ "tasks": [] })));
}

#[tokio::test]
async fn a_new_task_is_201_the_same_again_200_another_with_its_id_409() {
	let harness = harness().await;
	let (status, body) = authorized(&harness.app, "POST", "/v1/tasks", &matrix_task(7, 1, 42)).await;
	assert_eq!(status, StatusCode::CREATED);
	assert_eq!(
		body,
		json!({
			"id": 7, "state": "queued", "gpus": 1, "seconds": 60,
			"workload": { "kind": "matrix", "seed": 42, "size": 256, "rounds": 2 },
			"used_gpu_seconds": 0, "result": null, "error": null
		})
	);
	let (status, again) = authorized(&harness.app, "POST", "/v1/tasks", &matrix_task(7, 1, 42)).await;
	assert_eq!((status, again), (StatusCode::OK, body));
	for other in [matrix_task(7, 1, 43), matrix_task(7, 2, 42)] {
		let (status, body) = authorized(&harness.app, "POST", "/v1/tasks", &other).await;
		assert_eq!(status, StatusCode::CONFLICT);
		assert_eq!(body["error"], "conflicting_task");
	}
	let (_, list) = authorized(&harness.app, "GET", "/v1/tasks", "").await;
	assert_eq!(list["tasks"].as_array().map(Vec::len), Some(1));
	assert_eq!(list["tasks"][0]["workload"]["seed"], 42);
}

#[tokio::test]
async fn an_accepted_task_is_on_disk_before_the_answer() {
	let harness = harness().await;
	let (status, _) = authorized(&harness.app, "POST", "/v1/tasks", &matrix_task(9, 2, 1)).await;
	assert_eq!(status, StatusCode::CREATED);
	let reopened = Store::open(harness.dir.path().join("tasks.json")).await.expect("reopened");
	let tasks = reopened.list().await;
	assert_eq!(tasks.len(), 1);
	assert_eq!((tasks[0].id, tasks[0].gpus, tasks[0].state), (9, 2, TaskState::Queued));
}

#[tokio::test]
async fn tasks_the_agent_cannot_run_are_422() {
	let harness = harness().await;
	let matrix = |gpus: u32, size: u32, rounds: u32| {
		let workload = json!({ "kind": "matrix", "seed": 1, "size": size, "rounds": rounds });
		json!({ "id": 1, "gpus": gpus, "seconds": 60, "workload": workload }).to_string()
	};
	let container = json!({
		"id": 1, "gpus": 1, "seconds": 60,
		"workload": {
			"kind": "container",
			"image": "ghcr.io/acme/job:1",
			"command_hash": format!("0x{}", "ab".repeat(32))
		}
	})
	.to_string();
	for body in
		[matrix(0, 8, 1), matrix(3, 8, 1), matrix(1, 0, 1), matrix(1, 8, 0), matrix(1, 4097, 1), container]
	{
		let (status, reply) = authorized(&harness.app, "POST", "/v1/tasks", &body).await;
		assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
		assert_eq!(reply["error"], "unsupported");
		assert!(reply["message"].as_str().is_some_and(|message| !message.is_empty()));
	}
	assert!(harness.store.list().await.is_empty());
}

#[tokio::test]
async fn a_body_that_is_not_a_task_is_400() {
	let harness = harness().await;
	for body in [
		"",
		"{",
		r#"{ "id": 1 }"#,
		r#"{ "id": "1", "gpus": 1, "seconds": 60,
		     "workload": { "kind": "matrix", "seed": 1, "size": 8, "rounds": 1 } }"#,
		r#"{ "id": 1, "gpus": 1, "seconds": 60, "workload": { "kind": "shell", "command": "ls" } }"#,
		r#"{ "id": 1, "gpus": -1, "seconds": 60,
		     "workload": { "kind": "matrix", "seed": 1, "size": 8, "rounds": 1 } }"#,
		r#"{ "id": 1, "gpus": 1, "seconds": 60,
		     "workload": { "kind": "container", "image": "a", "command_hash": "0x12" } }"#,
	] {
		let (status, reply) = authorized(&harness.app, "POST", "/v1/tasks", body).await;
		assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
		assert_eq!(reply["error"], "bad_request");
	}
	assert!(harness.store.list().await.is_empty());
}

#[tokio::test]
async fn a_body_over_64_kib_is_refused() {
	let harness = harness().await;
	let padding = " ".repeat(MAX_BODY_BYTES);
	let body = format!("{}{padding}", matrix_task(1, 1, 1));
	let (status, reply) = authorized(&harness.app, "POST", "/v1/tasks", &body).await;
	assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
	assert_eq!(reply["error"], "payload_too_large");
	assert!(harness.store.list().await.is_empty());
}

#[tokio::test]
async fn delete_forgets_a_task_once() {
	let harness = harness().await;
	authorized(&harness.app, "POST", "/v1/tasks", &matrix_task(7, 1, 42)).await;
	let (status, _) = authorized(&harness.app, "DELETE", "/v1/tasks/7", "").await;
	assert_eq!(status, StatusCode::NO_CONTENT);
	assert!(harness.store.list().await.is_empty());
	let (status, reply) = authorized(&harness.app, "DELETE", "/v1/tasks/7", "").await;
	assert_eq!(status, StatusCode::NOT_FOUND);
	assert_eq!(reply, json!({ "error": "unknown_task", "message": "no task with id 7" }));
	let (status, reply) = authorized(&harness.app, "DELETE", "/v1/tasks/seven", "").await;
	assert_eq!((status, &reply["error"]), (StatusCode::BAD_REQUEST, &json!("bad_request")));
}

#[tokio::test]
async fn status_describes_the_simulated_gpus_and_the_tasks() {
	let harness = harness().await;
	authorized(&harness.app, "POST", "/v1/tasks", &matrix_task(7, 1, 42)).await;
	let (status, body) = authorized(&harness.app, "GET", "/v1/status", "").await;
	assert_eq!(status, StatusCode::OK);
	let gpu = json!({
		"index": 0, "model": "NVIDIA GeForce RTX 4090", "memory_total_mib": 24564, "memory_used_mib": 0,
		"utilization_percent": 0, "temperature_c": 40, "health": "ok"
	});
	assert_eq!(body["api"], vcity_agent_api::API_VERSION);
	assert_eq!(body["agent"], concat!("vcity-agent/", env!("CARGO_PKG_VERSION")));
	assert_eq!((&body["simulated"], &body["source"]), (&json!(true), &json!("profile")));
	assert_eq!(body["gpus"][0], gpu);
	assert_eq!(body["gpus"][1]["index"], 1);
	assert_eq!((&body["load_percent"], &body["health"]), (&json!(0), &json!("ok")));
	assert_eq!(body["tasks"], json!({ "queued": 1, "running": 0, "finished": 0, "failed": 0 }));
	let (status, metrics) = authorized(&harness.app, "GET", "/v1/metrics", "").await;
	assert_eq!(status, StatusCode::OK);
	assert_eq!(metrics, json!({ "simulated": true, "gpus": body["gpus"] }));
}

#[tokio::test]
async fn health_and_prometheus_metrics_need_no_secret() {
	let harness = harness().await;
	call(&harness.app, "GET", "/v1/tasks", None, "").await;
	let (status, body) = call(&harness.app, "GET", "/healthz", None, "").await;
	assert_eq!((status, body), (StatusCode::OK, json!("ok")));
	let (status, body) = call(&harness.app, "GET", "/metrics", None, "").await;
	assert_eq!(status, StatusCode::OK);
	let text = body.as_str().expect("text").to_owned();
	for line in [
		r#"vcity_agent_gpu_utilization_percent{index="1",model="NVIDIA GeForce RTX 4090"} 0"#,
		r#"vcity_agent_gpu_memory_total_bytes{index="0",model="NVIDIA GeForce RTX 4090"} 25757220864"#,
		"vcity_agent_simulated 1",
		"vcity_agent_unauthorized_requests_total 1",
		r#"vcity_agent_http_requests_total{route="/v1/tasks",status="401"} 1"#,
	] {
		assert!(text.lines().any(|candidate| candidate == line), "no {line:?} in\n{text}");
	}
}

#[tokio::test]
async fn unknown_routes_and_methods_get_json_errors() {
	let harness = harness().await;
	let (status, body) = call(&harness.app, "GET", "/v2/nothing", None, "").await;
	assert_eq!((status, &body["error"]), (StatusCode::NOT_FOUND, &json!("not_found")));
	let (status, body) = call(&harness.app, "PUT", "/healthz", None, "").await;
	assert_eq!((status, &body["error"]), (StatusCode::METHOD_NOT_ALLOWED, &json!("method_not_allowed")));
}

#[tokio::test]
async fn while_stopping_the_api_answers_503() {
	let harness = harness().await;
	harness.shutdown.stop();
	let (status, body) = authorized(&harness.app, "POST", "/v1/tasks", &matrix_task(7, 1, 42)).await;
	assert_eq!((status, &body["error"]), (StatusCode::SERVICE_UNAVAILABLE, &json!("shutting_down")));
	assert!(harness.store.list().await.is_empty());
}

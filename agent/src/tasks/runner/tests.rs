//! The runner with a real store and real workloads: results, GPU accounting, stops, limits.

use super::*;
use crate::tasks::{admission::Admission, TaskSpec, TaskState, TaskView};
use std::sync::atomic::AtomicBool;
use tokio::task::JoinHandle;

const HOST_GPUS: u32 = 2;
/// Large enough never to finish within a test, each row still a moment's work.
const ENDLESS: (u32, u32) = (512, 1_000_000);

struct Harness {
	store: Arc<Store>,
	occupancy: Arc<Occupancy>,
	wake: Arc<Notify>,
	shutdown: Arc<StopSignal>,
	runner: JoinHandle<()>,
	dir: tempfile::TempDir,
}

async fn start(grace: Duration) -> Harness {
	let dir = tempfile::tempdir().expect("temp dir");
	let store = Arc::new(Store::open(dir.path().join("tasks.json")).await.expect("store"));
	let occupancy = Arc::new(Occupancy::new(HOST_GPUS));
	let wake = Arc::new(Notify::new());
	let shutdown = Arc::new(StopSignal::default());
	let config = RunnerConfig {
		max_parallel: 2,
		grace,
		container_runtime: None,
		container_memory_mib: 64,
		allowlist: Allowlist::default(),
	};
	let runner = Runner::new(
		Arc::clone(&store),
		Arc::clone(&occupancy),
		Arc::new(Metrics::new(true)),
		config,
		Arc::clone(&wake),
	);
	let runner = tokio::spawn(runner.run(Arc::clone(&shutdown)));
	Harness { store, occupancy, wake, shutdown, runner, dir }
}

impl Harness {
	async fn admit(&self, id: u64, gpus: u32, seconds: u64, (size, rounds): (u32, u32)) {
		let spec = TaskSpec {
			id,
			gpus,
			seconds,
			workload: Workload::Matrix { seed: id, size, rounds, key: None, mix: false, memory: None },
		};
		self.store
			.admit(
				spec,
				&Admission { host_gpus: HOST_GPUS, containers: false, allowlist: Allowlist::default() },
			)
			.await
			.expect("admitted");
		self.wake.notify_one();
	}

	async fn task(&self, id: u64) -> Option<TaskView> {
		self.store.list().await.into_iter().find(|task| task.id == id)
	}

	async fn wait_for(&self, id: u64, state: TaskState) -> TaskView {
		let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
		loop {
			if let Some(task) = self.task(id).await.filter(|task| task.state == state) {
				return task;
			}
			assert!(tokio::time::Instant::now() < deadline, "task {id} never became {state:?}");
			tokio::time::sleep(Duration::from_millis(20)).await;
		}
	}

	async fn wait_for_free_gpus(&self, free: u32) {
		let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
		while self.occupancy.free() != free {
			assert!(tokio::time::Instant::now() < deadline, "GPUs were not freed");
			tokio::time::sleep(Duration::from_millis(20)).await;
		}
	}
}

#[tokio::test]
async fn a_matrix_task_finishes_with_the_verifiable_digest() {
	let harness = start(Duration::from_secs(30)).await;
	harness.admit(1, 2, 60, (32, 3)).await;
	let task = harness.wait_for(1, TaskState::Finished).await;
	let expected = matrix::digest(MatrixParams { seed: 1, size: 32, rounds: 3 }, 1, &AtomicBool::new(false))
		.expect("digest");
	assert_eq!(task.result, Some(expected));
	assert_eq!(task.error, None);
	// At least one started second, times 2 GPUs.
	assert!(task.used_gpu_seconds >= 2 && task.used_gpu_seconds % 2 == 0, "{}", task.used_gpu_seconds);
	harness.wait_for_free_gpus(HOST_GPUS).await;
}

#[tokio::test]
async fn a_task_waits_until_its_gpus_are_free() {
	let harness = start(Duration::from_secs(30)).await;
	harness.admit(1, 2, 3600, ENDLESS).await;
	harness.wait_for(1, TaskState::Running).await;
	assert_eq!(harness.occupancy.free(), 0);
	harness.admit(2, 1, 60, (8, 1)).await;
	tokio::time::sleep(Duration::from_millis(300)).await;
	assert_eq!(harness.task(2).await.map(|task| task.state), Some(TaskState::Queued));
	assert!(harness.store.forget(1).await.expect("forgotten"));
	harness.wait_for(2, TaskState::Finished).await;
	harness.wait_for_free_gpus(HOST_GPUS).await;
}

#[tokio::test]
async fn forgetting_a_running_task_stops_it_and_frees_its_gpus() {
	let harness = start(Duration::from_secs(30)).await;
	harness.admit(1, 1, 3600, ENDLESS).await;
	harness.wait_for(1, TaskState::Running).await;
	assert_eq!(harness.occupancy.free(), 1);
	assert!(harness.store.forget(1).await.expect("forgotten"));
	harness.wait_for_free_gpus(HOST_GPUS).await;
	assert!(harness.task(1).await.is_none());
}

#[tokio::test]
async fn a_task_past_its_time_limit_fails() {
	let harness = start(Duration::from_secs(1)).await;
	harness.admit(1, 1, 0, ENDLESS).await;
	let task = harness.wait_for(1, TaskState::Failed).await;
	assert_eq!(task.error.as_deref(), Some("time limit of 1 s exceeded"));
	assert!(task.used_gpu_seconds >= 1);
	harness.wait_for_free_gpus(HOST_GPUS).await;
}

#[tokio::test]
async fn stopping_the_agent_leaves_a_running_task_running_on_disk() {
	let harness = start(Duration::from_secs(30)).await;
	harness.admit(1, 1, 3600, ENDLESS).await;
	harness.wait_for(1, TaskState::Running).await;
	harness.shutdown.stop();
	tokio::time::timeout(Duration::from_secs(10), harness.runner)
		.await
		.expect("runner stopped")
		.expect("joined");
	let file = tokio::fs::read(harness.dir.path().join("tasks.json")).await.expect("task file");
	let file: serde_json::Value = serde_json::from_slice(&file).expect("json");
	assert_eq!(file["tasks"][0]["state"], "running");
	let reopened = Store::open(harness.dir.path().join("tasks.json")).await.expect("reopened");
	assert_eq!(reopened.list().await[0].state, TaskState::Queued);
}

//! Persistence of the task store: what is written comes back, running tasks come back queued.

use super::*;
use crate::{digest::Hash32, tasks::container::allowlist::Allowlist};

const ADMISSION: Admission =
	Admission { host_gpus: 2, containers: false, allowlist: Allowlist::new(Vec::new()) };

fn matrix_spec(id: u64, gpus: u32) -> TaskSpec {
	TaskSpec {
		id,
		gpus,
		seconds: 60,
		workload: Workload::Matrix { seed: id, size: 8, rounds: 1, key: None, mix: false, memory: None },
	}
}

async fn open(dir: &tempfile::TempDir) -> Store {
	Store::open(dir.path().join("tasks.json")).await.expect("opens")
}

#[tokio::test]
async fn admitted_tasks_survive_a_reopen() {
	let dir = tempfile::tempdir().expect("temp dir");
	let store = open(&dir).await;
	assert!(matches!(store.admit(matrix_spec(3, 1), &ADMISSION).await, Ok(Admitted::New(_))));
	assert!(matches!(store.admit(matrix_spec(1, 2), &ADMISSION).await, Ok(Admitted::New(_))));
	let before = store.list().await;
	drop(store);
	let reopened = open(&dir).await;
	assert_eq!(reopened.list().await, before);
	assert_eq!(before.iter().map(|task| task.id).collect::<Vec<_>>(), vec![1, 3]);
}

#[tokio::test]
async fn a_running_task_is_queued_again_after_a_restart() {
	let dir = tempfile::tempdir().expect("temp dir");
	let store = open(&dir).await;
	store.admit(matrix_spec(5, 1), &ADMISSION).await.expect("admitted");
	let started = store.start_next(2).await.expect("persisted").expect("started");
	assert_eq!(started.id, 5);
	assert_eq!(store.counts().await, TaskCounts { running: 1, ..TaskCounts::default() });
	// Dropped without finishing, as when the agent stops or crashes mid-task.
	drop(store);
	let reopened = open(&dir).await;
	let tasks = reopened.list().await;
	assert_eq!(tasks.len(), 1);
	assert_eq!(tasks[0].state, TaskState::Queued);
	assert_eq!(tasks[0].used_gpu_seconds, 0);
	assert!(reopened.start_next(2).await.expect("persisted").is_some());
}

#[tokio::test]
async fn finished_and_failed_tasks_keep_their_outcome() {
	let dir = tempfile::tempdir().expect("temp dir");
	let store = open(&dir).await;
	store.admit(matrix_spec(1, 2), &ADMISSION).await.expect("admitted");
	store.admit(matrix_spec(2, 1), &ADMISSION).await.expect("admitted");
	let digest = Hash32([7; 32]);
	store.start_next(2).await.expect("persisted").expect("started");
	assert!(store.finish(1, Ok(digest.into())).await.expect("persisted"));
	store.start_next(2).await.expect("persisted").expect("started");
	assert!(store.finish(2, Err("boom".into())).await.expect("persisted"));
	// Not running any more: a second finish changes nothing.
	assert!(!store.finish(2, Ok(digest.into())).await.expect("persisted"));
	drop(store);
	let tasks = open(&dir).await.list().await;
	assert_eq!(
		(tasks[0].state, tasks[0].result, tasks[0].used_gpu_seconds),
		(TaskState::Finished, Some(digest), 2)
	);
	assert_eq!((tasks[1].state, tasks[1].error.as_deref()), (TaskState::Failed, Some("boom")));
	assert_eq!(tasks[1].used_gpu_seconds, 1);
}

#[tokio::test]
async fn tasks_start_in_order_and_only_when_their_gpus_are_free() {
	let dir = tempfile::tempdir().expect("temp dir");
	let store = open(&dir).await;
	store.admit(matrix_spec(1, 2), &ADMISSION).await.expect("admitted");
	store.admit(matrix_spec(2, 1), &ADMISSION).await.expect("admitted");
	// Task 1 needs 2 GPUs; task 2, which would fit in 1, waits behind it.
	assert!(store.start_next(1).await.expect("persisted").is_none());
	assert_eq!(store.start_next(2).await.expect("persisted").map(|started| started.id), Some(1));
	assert_eq!(store.start_next(1).await.expect("persisted").map(|started| started.id), Some(2));
	assert!(store.start_next(2).await.expect("persisted").is_none());
}

#[tokio::test]
async fn forgetting_persists_and_stops_a_running_task() {
	let dir = tempfile::tempdir().expect("temp dir");
	let store = open(&dir).await;
	store.admit(matrix_spec(1, 1), &ADMISSION).await.expect("admitted");
	let started = store.start_next(2).await.expect("persisted").expect("started");
	assert!(store.forget(1).await.expect("persisted"));
	assert!(started.stop.is_stopped());
	assert!(!store.forget(1).await.expect("persisted"));
	assert!(!store.finish(1, Ok(Hash32([0; 32]).into())).await.expect("persisted"));
	drop(store);
	assert!(open(&dir).await.list().await.is_empty());
}

#[tokio::test]
async fn same_task_again_is_existing_and_another_with_its_id_conflicts() {
	let dir = tempfile::tempdir().expect("temp dir");
	let store = open(&dir).await;
	store.admit(matrix_spec(1, 1), &ADMISSION).await.expect("admitted");
	assert!(matches!(store.admit(matrix_spec(1, 1), &ADMISSION).await, Ok(Admitted::Existing(_))));
	let other = TaskSpec { seconds: 61, ..matrix_spec(1, 1) };
	assert!(matches!(store.admit(other, &ADMISSION).await, Err(AdmitError::Conflict(1))));
	assert!(matches!(store.admit(matrix_spec(2, 3), &ADMISSION).await, Err(AdmitError::Unsupported(_))));
	assert_eq!(store.list().await.len(), 1);
}

#[tokio::test]
async fn a_damaged_file_is_refused_not_overwritten() {
	let dir = tempfile::tempdir().expect("temp dir");
	let path = dir.path().join("tasks.json");
	tokio::fs::write(&path, b"{ not json").await.expect("written");
	assert!(matches!(Store::open(path.clone()).await, Err(StoreError::Parse { .. })));
	assert_eq!(tokio::fs::read(&path).await.expect("still there"), b"{ not json");
}

/// A check has a deadline on chain; a queued task waits for its GPUs however long: the check
/// starts first, and tasks keep their order behind it.
#[tokio::test]
async fn a_queued_check_starts_before_queued_tasks_and_keeps_its_key() {
	let dir = tempfile::tempdir().expect("temp dir");
	let store = open(&dir).await;
	store.admit(matrix_spec(4, 1), &ADMISSION).await.expect("admitted");
	store.admit(matrix_spec(5, 1), &ADMISSION).await.expect("admitted");
	let check = TaskSpec {
		id: vcity_agent_api::check_task_id(9).expect("in range"),
		gpus: 1,
		seconds: 60,
		workload: Workload::Matrix {
			seed: 1,
			size: 8,
			rounds: 2,
			key: Some(Hash32([3; 32])),
			mix: true,
			memory: None,
		},
	};
	store.admit(check.clone(), &ADMISSION).await.expect("admitted");
	let first = store.start_next(2).await.expect("persisted").expect("started");
	assert_eq!(first.id, check.id);
	assert_eq!(first.workload, check.workload);
	assert_eq!(store.start_next(1).await.expect("persisted").expect("started").id, 4);
	assert!(store.start_next(0).await.expect("persisted").is_none(), "no GPU left for task 5");
}

#[tokio::test]
async fn a_mixed_check_without_a_key_is_refused() {
	let dir = tempfile::tempdir().expect("temp dir");
	let store = open(&dir).await;
	let spec = TaskSpec {
		id: vcity_agent_api::check_task_id(1).expect("in range"),
		gpus: 1,
		seconds: 60,
		workload: Workload::Matrix { seed: 1, size: 8, rounds: 2, key: None, mix: true, memory: None },
	};
	assert!(store.admit(spec, &ADMISSION).await.is_err());
}

#[tokio::test]
async fn a_memory_walk_outside_a_mixed_check_or_beyond_the_hosts_table_is_refused() {
	use vcity_agent_api::{MemoryWalk, MEMORY_LANES};
	let dir = tempfile::tempdir().expect("temp dir");
	let store = open(&dir).await;
	let spec = |id: u64, mix: bool, items: u64| TaskSpec {
		id: vcity_agent_api::check_task_id(id).expect("in range"),
		gpus: 1,
		seconds: 60,
		workload: Workload::Matrix {
			seed: 1,
			size: 8,
			rounds: 2,
			key: Some(Hash32([3; 32])),
			mix,
			memory: Some(MemoryWalk { items, reads: items }),
		},
	};
	assert!(store.admit(spec(1, false, 2 * MEMORY_LANES), &ADMISSION).await.is_err(), "not mixed");
	let too_large = (crate::tasks::memory_walk::MAX_TABLE_BYTES / 64 / MEMORY_LANES + 1) * MEMORY_LANES;
	assert!(store.admit(spec(2, true, too_large), &ADMISSION).await.is_err(), "beyond the host's table");
	assert!(store.admit(spec(3, true, MEMORY_LANES + 1), &ADMISSION).await.is_err(), "not whole lanes");
	store.admit(spec(4, true, 2 * MEMORY_LANES), &ADMISSION).await.expect("a challenge's walk is admitted");
}

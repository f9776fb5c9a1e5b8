//! The tasks the agent holds, in memory and in `<data-dir>/tasks.json`. Every change of state is
//! written (atomically: temporary file, fsync, rename) before anyone is told of it, so a task the
//! API accepted survives a crash, and a task that was running runs again after a restart.

use serde::{Deserialize, Serialize};
use std::{
	collections::BTreeMap,
	io,
	path::{Path, PathBuf},
	sync::Arc,
	time::{Instant, SystemTime, UNIX_EPOCH},
};
use tokio::{io::AsyncWriteExt, sync::Mutex};
use tracing::info;
use vcity_agent_api::{TaskCounts, CHECK_ID_BASE};

use super::{
	admission::{Admission, Unsupported},
	Run, TaskOutput, TaskRecord, TaskSpec, TaskState, TaskView, Workload,
};
use crate::stop::StopSignal;

/// Version of the file's layout.
const FILE_VERSION: u32 = 1;

pub struct Store {
	path: PathBuf,
	/// By id; ids come from the chain in order, so this is also oldest first.
	tasks: Mutex<BTreeMap<u64, TaskRecord>>,
}

#[derive(Serialize)]
struct FileOut<'a> {
	version: u32,
	tasks: Vec<&'a TaskRecord>,
}

#[derive(Deserialize)]
struct FileIn {
	version: u32,
	tasks: Vec<TaskRecord>,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
	#[error("cannot read the task file {}: {source}", .path.display())]
	Read { path: PathBuf, source: io::Error },
	#[error("the task file {} is invalid ({source}); move it away to start with no tasks", .path.display())]
	Parse { path: PathBuf, source: serde_json::Error },
	#[error("the task file {} has layout version {found}; this agent reads {FILE_VERSION}", .path.display())]
	Version { path: PathBuf, found: u32 },
	#[error("cannot write the task file {}: {source}", .path.display())]
	Write { path: PathBuf, source: io::Error },
	#[error("cannot encode the tasks: {0}")]
	Encode(#[source] serde_json::Error),
}

pub enum Admitted {
	New(TaskView),
	/// The same task was already held (a retried push).
	Existing(TaskView),
}

#[derive(Debug, thiserror::Error)]
pub enum AdmitError {
	#[error("task {0} is held with another workload")]
	Conflict(u64),
	#[error(transparent)]
	Unsupported(#[from] Unsupported),
	#[error(transparent)]
	Store(#[from] StoreError),
}

/// A task the runner has just moved to `running`.
pub struct Started {
	pub id: u64,
	pub gpus: u32,
	pub seconds: u64,
	pub workload: Workload,
	pub stop: Arc<StopSignal>,
}

impl Store {
	/// Loads the tasks at `path` (none if the file does not exist yet). A task that was running
	/// when the agent stopped is queued again, to run from the start; the file is rewritten at
	/// once, so a data directory the agent cannot write is found now rather than at the first task.
	pub async fn open(path: PathBuf) -> Result<Self, StoreError> {
		let tasks = match tokio::fs::read(&path).await {
			Ok(bytes) => parse(&path, &bytes)?,
			Err(error) if error.kind() == io::ErrorKind::NotFound => BTreeMap::new(),
			Err(source) => return Err(StoreError::Read { path, source }),
		};
		persist(&path, &tasks).await?;
		Ok(Self { path, tasks: Mutex::new(tasks) })
	}

	/// Takes a task in, or finds it already held; persisted before it returns.
	pub async fn admit(&self, spec: TaskSpec, admission: &Admission) -> Result<Admitted, AdmitError> {
		let mut tasks = self.tasks.lock().await;
		if let Some(held) = tasks.get(&spec.id) {
			return if held.is_same_task(&spec) {
				Ok(Admitted::Existing(held.view()))
			} else {
				Err(AdmitError::Conflict(spec.id))
			};
		}
		admission.check(&spec)?;
		let record = TaskRecord::queued(spec, now_ms());
		let (id, view) = (record.id, record.view());
		tasks.insert(id, record);
		if let Err(error) = persist(&self.path, &tasks).await {
			tasks.remove(&id);
			return Err(error.into());
		}
		Ok(Admitted::New(view))
	}

	pub async fn list(&self) -> Vec<TaskView> {
		self.tasks.lock().await.values().map(TaskRecord::view).collect()
	}

	pub async fn counts(&self) -> TaskCounts {
		let mut counts = TaskCounts::default();
		for record in self.tasks.lock().await.values() {
			let count = match record.state {
				TaskState::Queued => &mut counts.queued,
				TaskState::Running => &mut counts.running,
				TaskState::Finished => &mut counts.finished,
				TaskState::Failed => &mut counts.failed,
			};
			*count = count.saturating_add(1);
		}
		counts
	}

	/// Drops a task, stopping it if it runs; false if it was not held.
	pub async fn forget(&self, id: u64) -> Result<bool, StoreError> {
		let mut tasks = self.tasks.lock().await;
		let Some(record) = tasks.remove(&id) else {
			return Ok(false);
		};
		if let Err(error) = persist(&self.path, &tasks).await {
			tasks.insert(id, record);
			return Err(error);
		}
		// Under the lock, so a task cannot start between being forgotten and being stopped.
		if let Some(run) = &record.run {
			run.stop.stop();
		}
		Ok(true)
	}

	/// Moves the oldest queued task to `running` if its GPUs fit in `free_gpus`. Strictly in
	/// order: a task that does not fit yet waits for GPUs, and the ones after it wait too, so a
	/// task needing many GPUs is not starved by a stream of small ones.
	pub async fn start_next(&self, free_gpus: u32) -> Result<Option<Started>, StoreError> {
		let mut tasks = self.tasks.lock().await;
		// Checks first: a verifier's recomputation and a capacity challenge have deadlines on
		// chain that a queued task has not; their ids sort after every task's.
		let queued = |record: &TaskRecord| record.state == TaskState::Queued;
		let first_check = tasks.range(CHECK_ID_BASE..).map(|(_, record)| record).find(|r| queued(r));
		let Some(id) = first_check.or_else(|| tasks.values().find(|r| queued(r))).map(|record| record.id)
		else {
			return Ok(None);
		};
		let Some(record) = tasks.get_mut(&id) else { return Ok(None) };
		if record.gpus > free_gpus {
			return Ok(None);
		}
		let stop = Arc::new(StopSignal::default());
		record.state = TaskState::Running;
		record.started_at_ms = Some(now_ms());
		record.run = Some(Run { since: Instant::now(), stop: Arc::clone(&stop) });
		let started = Started {
			id: record.id,
			gpus: record.gpus,
			seconds: record.seconds,
			workload: record.workload.clone(),
			stop,
		};
		if let Err(error) = persist(&self.path, &tasks).await {
			if let Some(record) = tasks.get_mut(&started.id) {
				record.state = TaskState::Queued;
				record.started_at_ms = None;
				record.run = None;
			}
			return Err(error);
		}
		Ok(Some(started))
	}

	/// Ends a running task with its result or error, metering its GPU-seconds; false if it is no
	/// longer held (forgotten meanwhile) or not running.
	pub async fn finish(&self, id: u64, outcome: Result<TaskOutput, String>) -> Result<bool, StoreError> {
		let mut tasks = self.tasks.lock().await;
		let Some(record) = tasks.get_mut(&id).filter(|record| record.state == TaskState::Running) else {
			return Ok(false);
		};
		record.used_gpu_seconds = record.metered_gpu_seconds();
		record.run = None;
		record.ended_at_ms = Some(now_ms());
		match outcome {
			Ok(output) => {
				record.state = TaskState::Finished;
				record.result = Some(output.digest);
				record.keyed = output.keyed;
			}
			Err(error) => {
				record.state = TaskState::Failed;
				record.error = Some(error);
			}
		}
		persist(&self.path, &tasks).await?;
		Ok(true)
	}
}

fn parse(path: &Path, bytes: &[u8]) -> Result<BTreeMap<u64, TaskRecord>, StoreError> {
	let file: FileIn = serde_json::from_slice(bytes)
		.map_err(|source| StoreError::Parse { path: path.to_owned(), source })?;
	if file.version != FILE_VERSION {
		return Err(StoreError::Version { path: path.to_owned(), found: file.version });
	}
	let mut tasks = BTreeMap::new();
	for mut record in file.tasks {
		if record.state == TaskState::Running {
			info!(
				task = record.id,
				"the task was running when the agent stopped; it runs again from the start"
			);
			record.state = TaskState::Queued;
			record.started_at_ms = None;
			record.used_gpu_seconds = 0;
		}
		tasks.insert(record.id, record);
	}
	Ok(tasks)
}

async fn persist(path: &Path, tasks: &BTreeMap<u64, TaskRecord>) -> Result<(), StoreError> {
	let file = FileOut { version: FILE_VERSION, tasks: tasks.values().collect() };
	let bytes = serde_json::to_vec_pretty(&file).map_err(StoreError::Encode)?;
	write_atomically(path, &bytes).await.map_err(|source| StoreError::Write { path: path.to_owned(), source })
}

/// Readers (and a crash) see the old file or the new one, never a part of one.
async fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
	let temporary = path.with_extension("json.tmp");
	let mut file = tokio::fs::File::create(&temporary).await?;
	file.write_all(bytes).await?;
	file.flush().await?;
	file.sync_all().await?;
	drop(file);
	tokio::fs::rename(&temporary, path).await?;
	// The rename itself is durable only once the directory is synced.
	if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
		tokio::fs::File::open(dir).await?.sync_all().await?;
	}
	Ok(())
}

fn now_ms() -> u64 {
	SystemTime::now()
		.duration_since(UNIX_EPOCH)
		.map_or(0, |since| u64::try_from(since.as_millis()).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests;

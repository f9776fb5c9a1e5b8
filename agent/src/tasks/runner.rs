//! Runs the queued tasks: starts them in order while GPUs (and `--max-parallel-tasks`) allow,
//! drives each to its result, error or time limit, and records how it ended.
//!
//! Stopping the agent stops the running tasks without recording anything, so they stay
//! `running` on disk and run again from the start after a restart.

use std::{collections::HashMap, sync::Arc, time::Duration};
use tokio::{
	sync::Notify,
	task::{Id, JoinError, JoinSet},
};
use tracing::{error, info, warn};

use super::{
	container::{self, allowlist::Allowlist, ContainerRuntime},
	matrix::{self, MatrixParams},
	process::RunError,
	store::{Started, Store},
	TaskOutput, Workload,
};
use crate::{gpu::occupancy::Occupancy, metrics::Metrics, stop::StopSignal};

/// Longest wait, when the agent stops, for the running tasks to wind down (containers removed).
const SHUTDOWN_WAIT: Duration = Duration::from_secs(20);
const MIB: u64 = 1024 * 1024;

#[derive(Debug)]
pub struct RunnerConfig {
	pub max_parallel: usize,
	/// Time a task may run beyond its `seconds`.
	pub grace: Duration,
	pub container_runtime: Option<ContainerRuntime>,
	pub container_memory_mib: u64,
	/// The containers tasks may run, the same list admission checked them against.
	pub allowlist: Allowlist,
}

pub struct Runner {
	store: Arc<Store>,
	occupancy: Arc<Occupancy>,
	metrics: Arc<Metrics>,
	config: Arc<RunnerConfig>,
	/// Notified when a task is accepted.
	wake: Arc<Notify>,
}

/// How a task's run ended.
enum Outcome {
	Finished(TaskOutput),
	Failed(String),
	/// Forgotten, or the agent is stopping: nothing to record.
	Stopped,
}

/// A task this runner drives.
struct Active {
	task: u64,
	stop: Arc<StopSignal>,
	gpus: Vec<u32>,
}

impl Runner {
	pub fn new(
		store: Arc<Store>,
		occupancy: Arc<Occupancy>,
		metrics: Arc<Metrics>,
		config: RunnerConfig,
		wake: Arc<Notify>,
	) -> Self {
		Self { store, occupancy, metrics, config: Arc::new(config), wake }
	}

	pub async fn run(self, shutdown: Arc<StopSignal>) {
		let mut running = JoinSet::new();
		let mut active = HashMap::new();
		loop {
			self.start_ready(&mut running, &mut active).await;
			tokio::select! {
				() = shutdown.stopped() => break,
				() = self.wake.notified() => {},
				Some(joined) = running.join_next_with_id() => self.settle(joined, &mut active).await,
			}
		}

		for task in active.values() {
			task.stop.stop();
		}
		let wind_down = async {
			while let Some(joined) = running.join_next_with_id().await {
				self.settle(joined, &mut active).await;
			}
		};
		if tokio::time::timeout(SHUTDOWN_WAIT, wind_down).await.is_err() {
			warn!("some tasks did not stop within {SHUTDOWN_WAIT:?}; they are aborted");
		}
	}

	async fn start_ready(&self, running: &mut JoinSet<Outcome>, active: &mut HashMap<Id, Active>) {
		while active.len() < self.config.max_parallel {
			let started = match self.store.start_next(self.occupancy.free()).await {
				Ok(Some(started)) => started,
				Ok(None) => return,
				Err(error) => {
					error!("cannot start a task: {error}");
					return;
				}
			};
			// Only this runner claims GPUs, so the free ones `start_next` saw are still free.
			let gpus = self.occupancy.claim(started.gpus, self.memory_per_gpu_mib(&started));
			info!(task = started.id, gpus = ?gpus, "task started");
			let (task, stop) = (started.id, Arc::clone(&started.stop));
			let handle = running.spawn(drive(started, Arc::clone(&self.config)));
			active.insert(handle.id(), Active { task, stop, gpus });
		}
	}

	async fn settle(&self, joined: Result<(Id, Outcome), JoinError>, active: &mut HashMap<Id, Active>) {
		let (id, outcome) = match joined {
			Ok(ended) => ended,
			Err(error) => (error.id(), Outcome::Failed(format!("the agent's task driver failed: {error}"))),
		};
		let Some(ended) = active.remove(&id) else {
			return;
		};
		self.occupancy.release(&ended.gpus);
		let (result, counter) = match outcome {
			Outcome::Finished(output) => {
				info!(task = ended.task, result = %output.digest, "task finished");
				(Ok(output), &self.metrics.tasks_finished)
			}
			Outcome::Failed(reason) => {
				warn!(task = ended.task, "task failed: {reason}");
				(Err(reason), &self.metrics.tasks_failed)
			}
			Outcome::Stopped => {
				info!(task = ended.task, "task stopped");
				return;
			}
		};
		match self.store.finish(ended.task, result).await {
			Ok(true) => {
				counter.inc();
			}
			Ok(false) => {}
			Err(error) => error!(task = ended.task, "cannot record how the task ended: {error}"),
		}
	}

	/// What a simulated GPU shows as used by the task: its working set spread over its GPUs.
	fn memory_per_gpu_mib(&self, task: &Started) -> u64 {
		let total_mib = match &task.workload {
			Workload::Matrix { seed, size, rounds, memory, .. } => {
				let table = memory.map_or(0, |walk| walk.table_bytes());
				MatrixParams { seed: *seed, size: *size, rounds: *rounds }
					.working_set_bytes()
					.saturating_add(table)
					.div_ceil(MIB)
			}
			Workload::Container { .. } => self.config.container_memory_mib,
		};
		total_mib.div_ceil(u64::from(task.gpus.max(1)))
	}
}

/// Runs one task to its end. Its time limit is its paid `seconds` plus the grace period.
async fn drive(task: Started, config: Arc<RunnerConfig>) -> Outcome {
	let limit = Duration::from_secs(task.seconds).saturating_add(config.grace);
	match &task.workload {
		Workload::Matrix { seed, size, rounds, key, mix, memory } => {
			let table_items = memory.map(|walk| walk.items);
			info!(
				task = task.id,
				device = "cpu",
				size,
				rounds,
				mix,
				?table_items,
				"running the matrix workload"
			);
			let params = MatrixParams { seed: *seed, size: *size, rounds: *rounds };
			let check = key.map(|key| matrix::CheckKey { key, mix: *mix, memory: *memory });
			matrix_within(params, check, limit, &task.stop).await
		}
		Workload::Container { image, command_hash } => {
			let Some(runtime) = &config.container_runtime else {
				return Outcome::Failed("no container runtime is available on this host".into());
			};
			// Admission found the entry, but a task queued before a restart may meet another list.
			let allowed = match config.allowlist.find(image, command_hash) {
				Ok(allowed) => allowed,
				Err(refused) => return Outcome::Failed(format!("{refused}; the container was not run")),
			};
			let command = allowed.command.argv();
			info!(
				task = task.id, runtime = runtime.name, image, ?command, %command_hash,
				"running the container"
			);
			let ran =
				container::run(runtime, task.id, allowed, config.container_memory_mib, limit, &task.stop)
					.await;
			match ran {
				Ok(digest) => Outcome::Finished(digest.into()),
				Err(RunError::Stopped) => Outcome::Stopped,
				Err(error) => Outcome::Failed(error.to_string()),
			}
		}
	}
}

async fn matrix_within(
	params: MatrixParams,
	check: Option<matrix::CheckKey>,
	limit: Duration,
	stop: &StopSignal,
) -> Outcome {
	let work = matrix::run(params, check, stop.flag());
	tokio::pin!(work);
	tokio::select! {
		result = &mut work => return matrix_outcome(result),
		() = tokio::time::sleep(limit) => {},
	}
	// The computation checks the flag before every row, so it ends promptly.
	stop.stop();
	match work.await {
		// It completed just as the limit passed.
		Ok(digests) => Outcome::Finished(digests.into()),
		Err(_) => Outcome::Failed(format!("time limit of {} s exceeded", limit.as_secs())),
	}
}

fn matrix_outcome(result: Result<matrix::MatrixDigests, matrix::MatrixError>) -> Outcome {
	match result {
		Ok(digests) => Outcome::Finished(digests.into()),
		Err(matrix::MatrixError::Stopped) => Outcome::Stopped,
		Err(error) => Outcome::Failed(error.to_string()),
	}
}

#[cfg(test)]
mod tests;

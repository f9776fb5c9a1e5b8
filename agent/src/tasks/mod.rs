//! Tasks the node hands to the agent: what one asks for ([`TaskSpec`]), where it stands
//! ([`TaskRecord`]) and how the API shows it ([`TaskView`]).

pub mod admission;
pub mod container;
pub mod cores;
pub mod matrix;
pub mod memory_walk;
pub mod process;
pub mod runner;
pub mod store;

use serde::{Deserialize, Serialize};
use std::{sync::Arc, time::Duration, time::Instant};

use crate::{digest::Hash32, stop::StopSignal};

/// A task as the node hands it over, its state, and how the API shows it; the task file keeps
/// `Workload` and `TaskState` in the same form.
pub use vcity_agent_api::{TaskSpec, TaskState, TaskView, Workload};

/// What a finished task gives: its result digest and, for a check with a key, the output's
/// digest under that key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TaskOutput {
	pub digest: Hash32,
	pub keyed: Option<Hash32>,
}

impl From<Hash32> for TaskOutput {
	fn from(digest: Hash32) -> Self {
		Self { digest, keyed: None }
	}
}

impl From<matrix::MatrixDigests> for TaskOutput {
	fn from(digests: matrix::MatrixDigests) -> Self {
		Self { digest: digests.digest, keyed: digests.keyed }
	}
}

/// A task as the agent keeps it (and persists it, all but `run`).
#[derive(Debug, Serialize, Deserialize)]
pub struct TaskRecord {
	pub id: u64,
	pub state: TaskState,
	pub gpus: u32,
	pub seconds: u64,
	pub workload: Workload,
	/// Final once the task has ended; while it runs, see [`TaskRecord::metered_gpu_seconds`].
	pub used_gpu_seconds: u64,
	pub result: Option<Hash32>,
	/// A finished check's keyed digest (absent from task files written before checks had keys).
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub keyed: Option<Hash32>,
	pub error: Option<String>,
	pub accepted_at_ms: u64,
	pub started_at_ms: Option<u64>,
	pub ended_at_ms: Option<u64>,
	/// Present while the task runs in this process.
	#[serde(skip)]
	pub run: Option<Run>,
}

#[derive(Debug)]
pub struct Run {
	/// Monotonic, so metering does not jump with the wall clock.
	pub since: Instant,
	pub stop: Arc<StopSignal>,
}

impl TaskRecord {
	pub fn queued(spec: TaskSpec, now_ms: u64) -> Self {
		Self {
			id: spec.id,
			state: TaskState::Queued,
			gpus: spec.gpus,
			seconds: spec.seconds,
			workload: spec.workload,
			used_gpu_seconds: 0,
			result: None,
			keyed: None,
			error: None,
			accepted_at_ms: now_ms,
			started_at_ms: None,
			ended_at_ms: None,
			run: None,
		}
	}

	/// Whether `spec` is this task again (a retried push), rather than another task with its id.
	pub fn is_same_task(&self, spec: &TaskSpec) -> bool {
		self.gpus == spec.gpus && self.seconds == spec.seconds && self.workload == spec.workload
	}

	/// Whole seconds of run time so far, rounded up, times the GPUs (`TaskView::used_gpu_seconds`).
	/// Computed from the clock on every read, so it is never more than a moment stale while the
	/// task runs.
	pub fn metered_gpu_seconds(&self) -> u64 {
		match &self.run {
			Some(run) => ceil_seconds(run.since.elapsed()).saturating_mul(u64::from(self.gpus)),
			None => self.used_gpu_seconds,
		}
	}

	pub fn view(&self) -> TaskView {
		TaskView {
			id: self.id,
			state: self.state,
			gpus: self.gpus,
			seconds: self.seconds,
			workload: self.workload.clone(),
			used_gpu_seconds: self.metered_gpu_seconds(),
			result: self.result,
			keyed: self.keyed,
			error: self.error.clone(),
		}
	}
}

fn ceil_seconds(elapsed: Duration) -> u64 {
	elapsed.as_secs() + u64::from(elapsed.subsec_nanos() > 0)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn wire_form_matches_the_api_document() {
		let spec: TaskSpec = serde_json::from_str(
			r#"{ "id": 7, "gpus": 1, "seconds": 60,
			     "workload": { "kind": "matrix", "seed": 42, "size": 256, "rounds": 2 } }"#,
		)
		.expect("parses");
		let view = serde_json::to_value(TaskRecord::queued(spec, 0).view()).expect("serialises");
		assert_eq!(
			view,
			serde_json::json!({
				"id": 7, "state": "queued", "gpus": 1, "seconds": 60,
				"workload": { "kind": "matrix", "seed": 42, "size": 256, "rounds": 2 },
				"used_gpu_seconds": 0, "result": null, "error": null
			})
		);
		let container: Workload = serde_json::from_str(&format!(
			r#"{{ "kind": "container", "image": "ghcr.io/acme/job:1", "command_hash": "0x{}" }}"#,
			"ab".repeat(32)
		))
		.expect("parses");
		assert!(matches!(container, Workload::Container { ref image, .. } if image == "ghcr.io/acme/job:1"));
	}

	#[test]
	fn metering_rounds_every_started_second_up() {
		assert_eq!(ceil_seconds(Duration::ZERO), 0);
		assert_eq!(ceil_seconds(Duration::from_millis(1)), 1);
		assert_eq!(ceil_seconds(Duration::from_secs(2)), 2);
		assert_eq!(ceil_seconds(Duration::from_millis(2001)), 3);
	}
}

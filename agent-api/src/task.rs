//! The tasks the node hands to the agent: `POST /v1/tasks`, `GET /v1/tasks`. The agent keeps
//! [`Workload`], [`TaskState`] and [`Hash32`] in this form in its task file too
//! (`<data-dir>/tasks.json`), so changing one changes that file's layout.

use crate::Hash32;
use alloc::{string::String, vec::Vec};
use serde::{Deserialize, Serialize};

/// What a task runs (docs/agent-api.md, "Workloads").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Workload {
	/// The built-in, verifiable matrix product (`MatrixProduct` on chain).
	Matrix {
		seed: u64,
		size: u32,
		rounds: u32,
		/// A verification check's key: the agent also hashes the output under it
		/// ([`TaskView::keyed`]), which only a host that computed the output can do. A task
		/// has none.
		#[serde(default, skip_serializing_if = "Option::is_none")]
		key: Option<Hash32>,
		/// A capacity challenge: each round's product is mixed with the key before the next
		/// round (docs/agent-api.md, "Workloads"), so the rounds cannot be collapsed into powers
		/// of `B` and take the time they claim. Needs a `key`; both digests cover the mixed
		/// chain.
		#[serde(default, skip_serializing_if = "core::ops::Not::not")]
		mix: bool,
		/// A capacity challenge's memory walk: a table sized to the GPUs' declared memory,
		/// filled from the key and then read at random (docs/agent-api.md, "Memory walk"). Needs
		/// a mixed check; both digests cover it.
		#[serde(default, skip_serializing_if = "Option::is_none")]
		memory: Option<MemoryWalk>,
	},
	/// An image the operator allows, pinned by digest (`name@sha256:…`), run in a sandbox. The
	/// chain carries `command_hash`, the BLAKE2b-256 of a command line (each argument followed by
	/// a NUL), not the line itself: the agent runs the command the operator configured for the
	/// image whose hash matches, and refuses the task if none does.
	Container { image: String, command_hash: Hash32 },
}

/// The size of a memory walk: `items` items of [`MEMORY_ITEM_BYTES`](crate::MEMORY_ITEM_BYTES)
/// in the table, a multiple of [`MEMORY_LANES`](crate::MEMORY_LANES) with at least two a lane,
/// and `reads` random reads of it, a multiple of the lanes too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemoryWalk {
	pub items: u64,
	pub reads: u64,
}

impl MemoryWalk {
	/// Bytes the table takes.
	pub fn table_bytes(&self) -> u64 {
		self.items.saturating_mul(crate::MEMORY_ITEM_BYTES)
	}

	/// Whether the chain could have asked for it: whole lanes, two items a lane at least.
	pub fn well_formed(&self) -> bool {
		let lanes = crate::MEMORY_LANES;
		self.items >= 2 * lanes && self.items.is_multiple_of(lanes) && self.reads.is_multiple_of(lanes)
	}
}

/// The body of `POST /v1/tasks`: a task as the chain assigned it to the node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskSpec {
	/// The chain's task id; the agent holds at most one task per id.
	pub id: u64,
	pub gpus: u32,
	/// Wall-clock seconds the task may occupy its GPUs.
	pub seconds: u64,
	pub workload: Workload,
}

/// Where a task stands on the agent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskState {
	/// Accepted, waiting for GPUs.
	Queued,
	Running,
	/// Ended with a result.
	Finished,
	/// Could not be run to the end; see [`TaskView::error`].
	Failed,
}

/// A task as `GET /v1/tasks` lists it and `POST /v1/tasks` answers with it: the task handed over
/// and the agent's fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskView {
	pub id: u64,
	pub state: TaskState,
	pub gpus: u32,
	pub seconds: u64,
	pub workload: Workload,
	/// GPU-seconds metered so far: whole seconds of run time, rounded up, times `gpus`. A task
	/// that runs again after the agent restarted starts again from 0.
	pub used_gpu_seconds: u64,
	/// The digest of a `finished` task.
	pub result: Option<Hash32>,
	/// For a matrix workload with a `key`: the output's digest under that key.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub keyed: Option<Hash32>,
	/// Why a `failed` task failed, a sentence.
	pub error: Option<String>,
}

/// The reply to `GET /v1/tasks`: every task the agent holds, in id order (the chain numbers
/// tasks in order, so oldest first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskList {
	pub tasks: Vec<TaskView>,
}

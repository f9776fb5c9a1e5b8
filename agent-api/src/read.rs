//! The replies as the node's offchain worker reads them: of each reply, only the fields the
//! worker acts on, under the reply's own names. The rest is skipped unread, so an agent may add
//! fields, GPU sources or workload kinds without breaking the nodes that speak its
//! [`API_VERSION`](crate::API_VERSION); a field listed here is one it cannot rename, drop or
//! retype without a new version. Every reply the agent writes reads through these (this crate's
//! tests, and the agent's through the worker's own parser).

use crate::{Hash32, Health, TaskState};
use alloc::{string::String, vec::Vec};
use serde::{Deserialize, Deserializer};

/// [`crate::StatusReply`] as the node reads it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct StatusReply {
	pub api: u32,
	pub simulated: bool,
	pub gpus: Vec<GpuSample>,
	pub load_percent: u32,
	pub health: Health,
}

/// [`crate::GpuSample`] as the node reads it: enough to match the GPU with the registered ones.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct GpuSample {
	pub model: String,
	pub memory_total_mib: u64,
	pub health: Health,
}

/// [`crate::TaskList`] as the node reads it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct TaskList {
	pub tasks: Vec<TaskView>,
}

/// [`crate::TaskView`] as the node reads it: its progress, not its terms (the chain has those).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct TaskView {
	pub id: u64,
	pub state: TaskState,
	/// Absent reads as 0.
	#[serde(default)]
	pub used_gpu_seconds: u64,
	/// Absent, `null`, or text that is not a digest reads as none: the worker needs a digest of
	/// a `finished` task only, and refuses one without it by name rather than the whole list.
	#[serde(default, deserialize_with = "digest_if_any")]
	pub result: Option<Hash32>,
	/// The keyed digest of a finished check, read like `result`.
	#[serde(default, deserialize_with = "digest_if_any")]
	pub keyed: Option<Hash32>,
}

fn digest_if_any<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Hash32>, D::Error> {
	Ok(Option::<String>::deserialize(deserializer)?.and_then(|text| text.parse().ok()))
}

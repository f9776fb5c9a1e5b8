//! What the agent reports about its host: `GET /v1/status` and `GET /v1/metrics`.

use alloc::{string::String, vec::Vec};
use serde::{Deserialize, Serialize};

/// Health of one GPU, or of the host. A GPU is `degraded` at 85 °C or more, or when the driver
/// cannot read one of its metrics, and `failed` when the driver loses it; the host is `failed`
/// when every GPU is, `degraded` when any is not `ok`, else `ok`.
///
/// Ordered from best to worst, so the worst of several findings is their maximum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Health {
	Ok,
	Degraded,
	Failed,
}

/// Where the agent's GPU readings come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
	/// The driver, through NVML.
	Nvml,
	/// A simulated host read from `--gpu-profile`; every reply that describes the GPUs then
	/// says `simulated: true`.
	Profile,
}

/// One GPU in the agent's latest sample (taken every `--poll-interval-ms`, and whenever a task
/// takes or frees GPUs, so no reply waits on the driver).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GpuSample {
	pub index: u32,
	/// The name the driver gives, e.g. `NVIDIA GeForce RTX 4090`. The node compares it with the
	/// model registered on chain, so the operator registers this exact name.
	pub model: String,
	pub memory_total_mib: u64,
	pub memory_used_mib: u64,
	pub utilization_percent: u32,
	pub temperature_c: u32,
	pub health: Health,
}

/// How many tasks the agent holds, by state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskCounts {
	pub queued: u32,
	pub running: u32,
	pub finished: u32,
	pub failed: u32,
}

/// The reply to `GET /v1/status`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusReply {
	/// [`API_VERSION`](crate::API_VERSION).
	pub api: u32,
	/// The agent's name and version, e.g. `vcity-agent/0.1.0`.
	pub agent: String,
	/// Whether [`Self::source`] is a profile.
	pub simulated: bool,
	pub source: SourceKind,
	pub gpus: Vec<GpuSample>,
	/// Mean utilization of the GPUs, rounded, 0 to 100.
	pub load_percent: u32,
	/// The host's health, from its GPUs'.
	pub health: Health,
	pub tasks: TaskCounts,
}

/// The reply to `GET /v1/metrics`: the per-GPU part of the status alone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GpuMetricsReply {
	pub simulated: bool,
	pub gpus: Vec<GpuSample>,
}

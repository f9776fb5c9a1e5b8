//! Whether the agent's machine is the node the chain knows, and the heartbeat it earns.
//!
//! A node registers its GPU model, count and memory; Proof-of-Capacity pays for them. The
//! worker only beats while the agent reports at least that many GPUs of that model with that
//! memory, so a machine that lost a GPU (or an agent on the wrong host) takes the node Offline
//! instead of claiming capacity it does not have.

use crate::agent;
use vcity_agent_api::{read::StatusReply, Health};
use vcity_primitives::{GpuSpec, HeartbeatMetrics};

/// Drivers report a little less memory than the marketing size (24,564 MiB for a 24 GiB card):
/// a GPU counts if it has 95% of the registered memory.
pub const VRAM_TOLERANCE_PERCENT: u64 = 95;

/// Why the worker does not beat for the node.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mismatch {
	/// The agent reports fewer working GPUs of the registered model and memory than registered.
	MissingGpus { registered: u32, found: u32 },
}

impl core::fmt::Display for Mismatch {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		match self {
			Self::MissingGpus { registered, found } => write!(
				f,
				"the agent reports {found} working GPU(s) of the registered model and memory, the node registered \
				 {registered}: no heartbeat until they match"
			),
		}
	}
}

/// GPUs of `status` that match the registered model (ignoring case and surrounding spaces)
/// and memory, and work: a GPU the driver lost stays listed, as `failed`, and is not capacity.
pub fn matching_gpus(spec: &GpuSpec, status: &StatusReply) -> u32 {
	let model = core::str::from_utf8(&spec.model).unwrap_or_default().trim();
	let needed_mib = u64::from(spec.vram_per_gpu_gib).saturating_mul(1024);
	let count = status
		.gpus
		.iter()
		.filter(|gpu| gpu.health != Health::Failed)
		.filter(|gpu| gpu.model.trim().eq_ignore_ascii_case(model))
		.filter(|gpu| {
			gpu.memory_total_mib.saturating_mul(100) >= needed_mib.saturating_mul(VRAM_TOLERANCE_PERCENT)
		})
		.count();
	u32::try_from(count).unwrap_or(u32::MAX)
}

/// The metrics to beat with, if the agent's GPUs cover the registered ones.
pub fn metrics_for(spec: &GpuSpec, status: &StatusReply) -> Result<HeartbeatMetrics, Mismatch> {
	let found = matching_gpus(spec, status);
	if found < spec.count {
		return Err(Mismatch::MissingGpus { registered: spec.count, found });
	}
	Ok(agent::metrics(status))
}

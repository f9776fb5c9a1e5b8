//! What the offchain worker of an operator's node needs to bridge its GPU agent to the chain:
//! where the agent is, and read access to the node's liveness and tasks.
//!
//! The registry and the market implement the traits; the agent bridge only reads through them,
//! so it never depends on either pallet.

use crate::{Digest, GpuSeconds, HeartbeatMetrics, Moment, NodeId, TaskId, Workload};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use scale_info::TypeInfo;

/// Key under which nodes before the `vcity_agent_link` host functions kept the agent's settings
/// in their offchain database (the `PERSISTENT` kind), secret included, where the offchain RPC
/// could read and replace them. Nothing reads it any more; the node deletes it at start.
pub const LEGACY_AGENT_SETTINGS_KEY: &[u8] = b"vcity/agent/settings";

/// Key under which those nodes kept their boot id; deleted at start like
/// [`LEGACY_AGENT_SETTINGS_KEY`].
pub const LEGACY_NODE_BOOT_KEY: &[u8] = b"vcity/node/boot";

/// Where the offchain worker reaches the GPU agent. The node holds it in memory and hands it to
/// its offchain workers through the `vcity_agent_link` host functions (`agent_link.rs`).
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq)]
pub struct AgentSettings {
	/// Base URL, e.g. `http://127.0.0.1:8790`.
	pub url: Vec<u8>,
	/// The agent's shared secret, sent as a bearer token.
	pub secret: Vec<u8>,
}

/// Without the secret, so that no log line or panic message carries it.
impl core::fmt::Debug for AgentSettings {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.debug_struct("AgentSettings")
			.field("url", &alloc::string::String::from_utf8_lossy(&self.url))
			.field("secret", &"<redacted>")
			.finish()
	}
}

/// Whether a node may beat now.
pub trait HeartbeatGate<AccountId> {
	/// Whether the registry would accept this heartbeat from `operator` for `node` now: the
	/// worker asks before it submits, so a beat it cannot land never reaches the pool.
	fn heartbeat_due(operator: &AccountId, node: NodeId, metrics: &HeartbeatMetrics) -> bool;
}

/// Where a task stands on the node that took it.
#[derive(Encode, Decode, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub enum TaskStage<BlockNumber> {
	/// The node must acknowledge or decline before block `ack_by`.
	Assigned { ack_by: BlockNumber },
	/// Acknowledged, not started.
	Acknowledged,
	/// Running since chain time `started_ms`, with `used_gpu_seconds` reported so far.
	Running { started_ms: Moment, used_gpu_seconds: GpuSeconds },
	/// Delivered with `result`; nothing more is needed from the node.
	Delivered { result: Digest },
	/// Settled, refunded or disputed: nothing more is needed from the node either.
	Closed,
}

/// A task as the node that took it sees it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct NodeTask<BlockNumber> {
	pub id: TaskId,
	/// The node it is with, if any.
	pub node: Option<NodeId>,
	pub stage: TaskStage<BlockNumber>,
	pub gpus: u32,
	/// Wall-clock seconds the task may occupy its GPUs.
	pub seconds: u64,
	/// Last block in which it may be delivered.
	pub deadline: BlockNumber,
	pub workload: Workload,
	/// Whether the node is paid what it meters (else the whole size on delivery).
	pub metered: bool,
}

impl<BlockNumber> NodeTask<BlockNumber> {
	/// GPUs × seconds: the most the node may bill.
	pub fn size_gpu_seconds(&self) -> GpuSeconds {
		u64::from(self.gpus).saturating_mul(self.seconds)
	}
}

/// Read access to the tasks of a node, for the offchain worker (it iterates, so it is not for
/// use in a block).
pub trait NodeTasks<BlockNumber> {
	/// Tasks the node holds GPUs for (assigned, acknowledged or running), oldest first; not
	/// its history, so the worker's reads do not grow with the node's past.
	fn tasks_of_node(node: NodeId) -> Vec<NodeTask<BlockNumber>>;
	/// Any task.
	fn task(id: TaskId) -> Option<NodeTask<BlockNumber>>;
}

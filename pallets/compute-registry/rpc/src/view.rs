//! The JSON shapes of the registry's RPC and their conversions from the runtime's types: a node
//! with SS58 accounts, text and its GPUs' total memory, and the filter of a listing. Enums and
//! roles render themselves.

use jsonrpsee::types::error::ErrorObjectOwned;
use serde::{Deserialize, Serialize};
use sp_core::crypto::{AccountId32, Ss58Codec};
use vcity_primitives::{
	Balance, GpuSpec, Health, NodeFilter, NodeId, NodeInfo, NodeKind, NodePage, NodeRoles, NodeStatus,
	ReputationTier, SlashRecord,
};
use vcity_rpc_common::{invalid, parse_name, parse_ss58, text};

/// One node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeInfoJson {
	pub id: NodeId,
	pub did: String,
	pub owner: String,
	pub operator: String,
	pub kind: NodeKind,
	pub roles: NodeRoles,
	pub gpu: GpuJson,
	pub region: String,
	/// USDV base units (6 decimals) per GPU-hour.
	pub price_per_gpu_hour: String,
	/// VCAI base units (18 decimals).
	pub stake: String,
	pub required_stake: String,
	pub status: NodeStatus,
	/// Basis points, 0..=10000; 5000 is neutral.
	pub reputation: u32,
	pub tier: ReputationTier,
	pub registered_at: u32,
	pub last_heartbeat_ms: Option<u64>,
	pub online_gpu_seconds: u64,
	pub load_percent: u8,
	pub health: Health,
	pub tasks_completed: u32,
	pub tasks_failed: u32,
	/// The node's closed slash cases, oldest first (the last 16): what each took and where
	/// it went, or that an appeal cancelled it. `vcity_offences` has the offences themselves.
	pub slash_history: Vec<SlashRecord<u32>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GpuJson {
	pub model: String,
	pub count: u32,
	pub vram_per_gpu_gib: u32,
	pub total_vram_gib: u32,
}

/// A GPU spec as a client names it, for `vcity_requiredStake`: `{ model, count, vramPerGpuGib }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GpuSpecJson {
	pub model: String,
	pub count: u32,
	pub vram_per_gpu_gib: u32,
}

impl TryFrom<GpuSpecJson> for GpuSpec {
	type Error = ErrorObjectOwned;

	fn try_from(gpu: GpuSpecJson) -> Result<Self, Self::Error> {
		let model =
			gpu.model.into_bytes().try_into().map_err(|_| {
				invalid("invalid GPU spec: the model name is longer than 64 bytes".to_string())
			})?;
		Ok(GpuSpec { model, count: gpu.count, vram_per_gpu_gib: gpu.vram_per_gpu_gib })
	}
}

/// A page of nodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodePageJson {
	pub nodes: Vec<NodeInfoJson>,
	/// Pass as `page.cursor` to continue; absent on the last page.
	pub next_cursor: Option<NodeId>,
}

/// Which nodes; every given field must match.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NodeFilterJson {
	/// `registered`, `online`, `offline`, `unbonding`, `exited`, `suspended` or `banned`.
	pub status: Option<String>,
	/// `stable` or `flexible`.
	pub kind: Option<String>,
	/// SS58 address of the owner.
	pub owner: Option<String>,
	pub region: Option<String>,
	pub min_total_vram_gib: Option<u32>,
}

impl From<NodeInfo<AccountId32, Balance>> for NodeInfoJson {
	fn from(n: NodeInfo<AccountId32, Balance>) -> Self {
		Self {
			id: n.id,
			did: text(&n.did),
			owner: n.owner.to_ss58check(),
			operator: n.operator.to_ss58check(),
			kind: n.kind,
			roles: n.roles,
			gpu: GpuJson {
				model: text(&n.gpu.model),
				count: n.gpu.count,
				vram_per_gpu_gib: n.gpu.vram_per_gpu_gib,
				total_vram_gib: n.gpu.total_vram_gib(),
			},
			region: text(&n.region),
			price_per_gpu_hour: n.price_per_gpu_hour.to_string(),
			stake: n.stake.to_string(),
			required_stake: n.required_stake.to_string(),
			status: n.status,
			reputation: n.reputation,
			tier: n.tier,
			registered_at: n.registered_at,
			last_heartbeat_ms: n.last_heartbeat_ms,
			online_gpu_seconds: n.online_gpu_seconds,
			load_percent: n.load_percent,
			health: n.health,
			tasks_completed: n.tasks_completed,
			tasks_failed: n.tasks_failed,
			slash_history: Vec::new(),
		}
	}
}

impl From<NodePage<AccountId32, Balance>> for NodePageJson {
	fn from(page: NodePage<AccountId32, Balance>) -> Self {
		Self { nodes: page.nodes.into_iter().map(Into::into).collect(), next_cursor: page.next_cursor }
	}
}

impl TryFrom<NodeFilterJson> for NodeFilter<AccountId32> {
	type Error = ErrorObjectOwned;

	fn try_from(f: NodeFilterJson) -> Result<Self, Self::Error> {
		let status: Option<NodeStatus> = f.status.map(|s| parse_name("status", &s)).transpose()?;
		let kind: Option<NodeKind> = f.kind.map(|k| parse_name("kind", &k)).transpose()?;
		let owner = f.owner.map(|o| parse_ss58("owner", &o)).transpose()?;
		Ok(NodeFilter {
			status,
			kind,
			owner,
			region: f.region.map(String::into_bytes),
			min_total_vram_gib: f.min_total_vram_gib,
		})
	}
}

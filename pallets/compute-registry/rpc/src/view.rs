//! The JSON shapes of the RPC and their conversions from the runtime's types.

use jsonrpsee::types::error::{ErrorObject, ErrorObjectOwned};
use serde::{Deserialize, Serialize};
use sp_core::crypto::{AccountId32, Ss58Codec};
use vcity_primitives::{
	Balance, Health, NodeFilter, NodeId, NodeInfo, NodeKind, NodePage, NodeRoles, NodeStatus, ReputationTier,
};

/// One node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeInfoJson {
	pub id: NodeId,
	pub did: String,
	pub owner: String,
	pub operator: String,
	pub kind: String,
	pub roles: RolesJson,
	pub gpu: GpuJson,
	pub region: String,
	/// USDV base units (6 decimals) per GPU-hour.
	pub price_per_gpu_hour: String,
	/// VCAI base units (18 decimals).
	pub stake: String,
	pub required_stake: String,
	pub status: String,
	/// Basis points, 0..=10000; 5000 is neutral.
	pub reputation: u32,
	pub tier: String,
	pub registered_at: u32,
	pub last_heartbeat_ms: Option<u64>,
	pub online_gpu_seconds: u64,
	pub load_percent: u8,
	pub health: String,
	pub tasks_completed: u32,
	pub tasks_failed: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RolesJson {
	pub compute: bool,
	pub verifier: bool,
	pub scheduler: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GpuJson {
	pub model: String,
	pub count: u32,
	pub vram_per_gpu_gib: u32,
	pub total_vram_gib: u32,
}

/// A page of nodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodePageJson {
	pub nodes: Vec<NodeInfoJson>,
	/// Pass as `page.cursor` to continue; absent on the last page.
	pub next_cursor: Option<NodeId>,
}

/// Which page: start at node id `cursor` (default 1), at most `limit` nodes (default 50, max 500).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PageJson {
	pub cursor: Option<NodeId>,
	pub limit: Option<u32>,
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

fn ss58(account: &AccountId32) -> String {
	account.to_ss58check()
}

fn text(bytes: &[u8]) -> String {
	String::from_utf8_lossy(bytes).into_owned()
}

/// The name of a status in the JSON.
pub fn status_name(status: NodeStatus) -> &'static str {
	match status {
		NodeStatus::Registered => "registered",
		NodeStatus::Online => "online",
		NodeStatus::Offline => "offline",
		NodeStatus::Unbonding => "unbonding",
		NodeStatus::Exited => "exited",
		NodeStatus::Suspended => "suspended",
		NodeStatus::Banned => "banned",
	}
}

fn kind_name(kind: NodeKind) -> &'static str {
	match kind {
		NodeKind::Stable => "stable",
		NodeKind::Flexible => "flexible",
	}
}

fn health_name(health: Health) -> &'static str {
	match health {
		Health::Healthy => "healthy",
		Health::Degraded => "degraded",
		Health::Failing => "failing",
	}
}

fn tier_name(tier: ReputationTier) -> &'static str {
	match tier {
		ReputationTier::Bronze => "bronze",
		ReputationTier::Silver => "silver",
		ReputationTier::Gold => "gold",
	}
}

impl From<NodeInfo<AccountId32, Balance>> for NodeInfoJson {
	fn from(n: NodeInfo<AccountId32, Balance>) -> Self {
		let NodeRoles { compute, verifier, scheduler } = n.roles;
		Self {
			id: n.id,
			did: text(&n.did),
			owner: ss58(&n.owner),
			operator: ss58(&n.operator),
			kind: kind_name(n.kind).into(),
			roles: RolesJson { compute, verifier, scheduler },
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
			status: status_name(n.status).into(),
			reputation: n.reputation,
			tier: tier_name(n.tier).into(),
			registered_at: n.registered_at,
			last_heartbeat_ms: n.last_heartbeat_ms,
			online_gpu_seconds: n.online_gpu_seconds,
			load_percent: n.load_percent,
			health: health_name(n.health).into(),
			tasks_completed: n.tasks_completed,
			tasks_failed: n.tasks_failed,
		}
	}
}

impl From<NodePage<AccountId32, Balance>> for NodePageJson {
	fn from(page: NodePage<AccountId32, Balance>) -> Self {
		Self { nodes: page.nodes.into_iter().map(Into::into).collect(), next_cursor: page.next_cursor }
	}
}

fn bad_filter(message: String) -> ErrorObjectOwned {
	ErrorObject::owned(crate::codes::INVALID_PARAMS, message, None::<()>)
}

impl TryFrom<NodeFilterJson> for NodeFilter<AccountId32> {
	type Error = ErrorObjectOwned;

	fn try_from(f: NodeFilterJson) -> Result<Self, Self::Error> {
		let status = f
			.status
			.map(|s| {
				[
					NodeStatus::Registered,
					NodeStatus::Online,
					NodeStatus::Offline,
					NodeStatus::Unbonding,
					NodeStatus::Exited,
					NodeStatus::Suspended,
					NodeStatus::Banned,
				]
				.into_iter()
				.find(|status| status_name(*status) == s)
				.ok_or_else(|| bad_filter(format!("unknown status {s:?}")))
			})
			.transpose()?;
		let kind = f
			.kind
			.map(|k| match k.as_str() {
				"stable" => Ok(NodeKind::Stable),
				"flexible" => Ok(NodeKind::Flexible),
				_ => Err(bad_filter(format!("unknown kind {k:?}"))),
			})
			.transpose()?;
		let owner = f
			.owner
			.map(|o| {
				AccountId32::from_ss58check(&o)
					.map_err(|_| bad_filter(format!("owner {o:?} is not an SS58 address")))
			})
			.transpose()?;
		Ok(NodeFilter {
			status,
			kind,
			owner,
			region: f.region.map(String::into_bytes),
			min_total_vram_gib: f.min_total_vram_gib,
		})
	}
}

//! Compute nodes as every pallet and client sees them.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::ConstU32, BoundedVec};
use scale_info::TypeInfo;

/// Identity of a compute node; assigned in order and never reused.
pub type NodeId = u64;

/// Prefix of every node's decentralized identifier; the DID is this prefix and the decimal id.
pub const DID_PREFIX: &[u8] = b"did:vcity:";

/// The DID `did:vcity:<id>` of a node. Derived, not stored: the id alone identifies the node.
pub fn node_did(id: NodeId) -> Vec<u8> {
	let mut did = DID_PREFIX.to_vec();
	did.extend_from_slice(alloc::format!("{id}").as_bytes());
	did
}

/// The node id a DID names, if it is exactly `did:vcity:` followed by a canonical decimal u64.
pub fn parse_did(did: &[u8]) -> Option<NodeId> {
	let digits = did.strip_prefix(DID_PREFIX)?;
	let canonical = !digits.is_empty()
		&& digits.iter().all(u8::is_ascii_digit)
		&& (digits.len() == 1 || digits[0] != b'0');
	if !canonical {
		return None;
	}
	core::str::from_utf8(digits).ok()?.parse().ok()
}

/// Largest GPU model name kept on chain, in bytes.
pub type MaxModelLen = ConstU32<64>;
/// Largest region code kept on chain, in bytes.
pub type MaxRegionLen = ConstU32<32>;
/// A GPU model name such as `NVIDIA H100 80GB`.
pub type GpuModel = BoundedVec<u8, MaxModelLen>;
/// A region code such as `eu-west` or an ISO country code.
pub type Region = BoundedVec<u8, MaxRegionLen>;

/// Where and how a node runs (docs/registry.md#kinds-and-roles).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum NodeKind {
	/// Data-centre hardware with service-level commitments.
	Stable,
	/// Individual or edge hardware that comes and goes.
	Flexible,
}

/// What a node offers the network; at least one role is required.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct NodeRoles {
	/// Runs users' tasks.
	pub compute: bool,
	/// Checks capacity and deliveries of other nodes.
	pub verifier: bool,
	/// Matches tasks to nodes.
	pub scheduler: bool,
}

impl NodeRoles {
	/// Whether the node has no role at all.
	pub fn is_empty(&self) -> bool {
		!(self.compute || self.verifier || self.scheduler)
	}
}

/// The GPUs a node offers.
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct GpuSpec {
	/// Model name as the agent reports it.
	pub model: GpuModel,
	/// Number of GPUs.
	pub count: u32,
	/// Memory of each GPU in GiB.
	pub vram_per_gpu_gib: u32,
}

impl GpuSpec {
	/// Memory of all GPUs together in GiB (saturating; the registry bounds both factors).
	pub fn total_vram_gib(&self) -> u32 {
		self.count.saturating_mul(self.vram_per_gpu_gib)
	}
}

/// Status of a node as clients see it. Online and Offline are derived from liveness when read,
/// so no block ever scans nodes to mark them offline.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum NodeStatus {
	/// Registered and staked, no heartbeat yet.
	Registered,
	/// Proved liveness in the current or the previous heartbeat window.
	Online,
	/// Missed at least one whole heartbeat window.
	Offline,
	/// Leaving: the stake returns once the unbonding period ends.
	Unbonding,
	/// Left; the stake is back with the owner and the record stays as history.
	Exited,
	/// Stopped by the slashing pallet while an offence is handled.
	Suspended,
	/// Permanently excluded after a severe offence.
	Banned,
}

/// Health a node's agent reports with each heartbeat.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum Health {
	/// All GPUs usable.
	#[default]
	Healthy,
	/// Some GPUs or resources impaired.
	Degraded,
	/// The node cannot take work.
	Failing,
}

/// Load and health metrics carried by a heartbeat.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug, Default,
)]
pub struct HeartbeatMetrics {
	/// Share of the node's GPU capacity in use, 0..=100.
	pub load_percent: u8,
	/// Reported health.
	pub health: Health,
}

/// Reputation tier that sets a node's share of task fees (docs/economics.md#fee-split).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum ReputationTier {
	/// New or low-rated nodes.
	Bronze,
	/// Well-rated nodes.
	Silver,
	/// Best-rated nodes.
	Gold,
}

/// Everything a client wants to know about one node (runtime API and RPC).
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct NodeInfo<AccountId, Balance> {
	pub id: NodeId,
	pub did: Vec<u8>,
	pub owner: AccountId,
	pub operator: AccountId,
	pub kind: NodeKind,
	pub roles: NodeRoles,
	pub gpu: GpuSpec,
	pub region: Vec<u8>,
	/// USDV base units per GPU-hour.
	pub price_per_gpu_hour: Balance,
	/// VCAI held as the node's stake.
	pub stake: Balance,
	/// Stake the current schedule asks of this GPU spec.
	pub required_stake: Balance,
	pub status: NodeStatus,
	/// Reputation in basis points (0..=10_000, 5_000 neutral), decayed to now.
	pub reputation: u32,
	pub tier: ReputationTier,
	/// Block of registration.
	pub registered_at: u32,
	pub last_heartbeat_ms: Option<u64>,
	/// GPU-seconds of proven online time since registration.
	pub online_gpu_seconds: u64,
	pub load_percent: u8,
	pub health: Health,
	pub tasks_completed: u32,
	pub tasks_failed: u32,
}

/// Which nodes a listing returns; every present field must match.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct NodeFilter<AccountId> {
	pub status: Option<NodeStatus>,
	pub kind: Option<NodeKind>,
	pub owner: Option<AccountId>,
	pub region: Option<Vec<u8>>,
	pub min_total_vram_gib: Option<u32>,
}

impl<AccountId> Default for NodeFilter<AccountId> {
	fn default() -> Self {
		Self { status: None, kind: None, owner: None, region: None, min_total_vram_gib: None }
	}
}

/// One page of a node listing, in id order.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct NodePage<AccountId, Balance> {
	pub nodes: Vec<NodeInfo<AccountId, Balance>>,
	/// The id to pass as cursor for the next page, if any ids remain.
	pub next_cursor: Option<NodeId>,
}

/// How a task delivered by a node ended, as the market and verification pallets report it.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug,
)]
pub enum DeliveryOutcome {
	/// Delivered; `quality_percent` (0..=100) is the verified quality, and `weight` how much of
	/// a full observation the delivery is (what it paid against the payment a full one takes):
	/// a score follows the business a node serves, not the number of tasks, however small.
	Completed { quality_percent: u8, weight: sp_runtime::Perbill },
	/// Not delivered, or rejected by verification.
	Failed,
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn did_round_trips_and_rejects_non_canonical_forms() {
		assert_eq!(node_did(42), b"did:vcity:42".to_vec());
		assert_eq!(parse_did(b"did:vcity:42"), Some(42));
		assert_eq!(parse_did(b"did:vcity:0"), Some(0));
		assert_eq!(parse_did(&node_did(u64::MAX)), Some(u64::MAX));
		for bad in [
			&b"did:vcity:"[..],
			b"did:vcity:042",
			b"did:vcity:+1",
			b"did:vcity: 1",
			b"did:other:1",
			b"did:vcity:18446744073709551616",
		] {
			assert_eq!(parse_did(bad), None, "{:?}", core::str::from_utf8(bad));
		}
	}

	#[test]
	fn total_vram_multiplies_count_by_memory() {
		let spec = GpuSpec { model: Default::default(), count: 8, vram_per_gpu_gib: 80 };
		assert_eq!(spec.total_vram_gib(), 640);
	}
}

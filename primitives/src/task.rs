//! Tasks as users submit them and as the market, the scheduler nodes and clients see them.

use crate::{
	node::{GpuModel, NodeId, Region},
	units::{Balance, GpuSeconds},
};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::ConstU32, BoundedVec};
use scale_info::TypeInfo;

/// Identity of a task; assigned in order from 1 and never reused.
pub type TaskId = u64;

/// A 32-byte digest (result of a task, hash of a container command).
pub type Digest = [u8; 32];

/// Largest container image reference kept on chain, in bytes.
pub type MaxImageLen = ConstU32<256>;

/// Classes of GPU models, lowest first. A task that asks for a class runs on that class or a
/// higher one.
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
	PartialOrd,
	Ord,
	Debug,
	Default,
)]
pub enum GpuClass {
	/// Gaming and unknown cards.
	#[default]
	Consumer,
	/// Workstation and inference cards (RTX A-series, L4, L40, T4, A10...).
	Workstation,
	/// Training accelerators (A100, H100, H200, B200, MI300...).
	Datacenter,
}

/// Model names that mark a data-centre accelerator, matched as whole words.
const DATACENTER_MODELS: &[&[u8]] = &[
	b"A100", b"A800", b"H100", b"H800", b"H200", b"H20", b"B100", b"B200", b"GB200", b"MI250", b"MI300X",
	b"MI300",
];
/// Model names that mark a workstation or inference card, matched as whole words.
const WORKSTATION_MODELS: &[&[u8]] = &[
	b"A2", b"A10", b"A16", b"A30", b"A40", b"A4000", b"A5000", b"A6000", b"L4", b"L20", b"L40", b"L40S",
	b"T4", b"V100", b"QUADRO", b"ADA",
];

/// The class of a GPU model name as the agent reports it (e.g. `NVIDIA H100 80GB HBM3`).
///
/// Unknown names fall in the lowest class, so a model the table does not know can never be sent
/// a task that asked for better hardware; verification checks the declared model itself.
/// Memory per GPU the stake schedule assumes of a class at least: a model name that claims a
/// better class (and its Proof-of-Capacity factor) stakes as that class's cards do, whatever
/// memory it declares. Data-centre accelerators have 80 GiB and more (the 40 GiB A100 stakes as
/// its 80 GiB sibling); workstation and inference cards 16 GiB and more.
pub fn class_floor_vram_gib(class: GpuClass) -> u32 {
	match class {
		GpuClass::Consumer => 0,
		GpuClass::Workstation => 16,
		GpuClass::Datacenter => 80,
	}
}

pub fn gpu_class(model: &[u8]) -> GpuClass {
	let has = |names: &[&[u8]]| {
		model
			.split(|b| !b.is_ascii_alphanumeric())
			.any(|word| names.iter().any(|name| word.eq_ignore_ascii_case(name)))
	};
	if has(DATACENTER_MODELS) {
		GpuClass::Datacenter
	} else if has(WORKSTATION_MODELS) {
		GpuClass::Workstation
	} else {
		GpuClass::Consumer
	}
}

/// Where a task may run.
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub enum Placement {
	/// Any region.
	Anywhere,
	/// Only nodes that declared this region.
	InRegion(Region),
	/// Nodes whose estimated round trip to `region` is at most `max_round_trip_ms`.
	Near { region: Region, max_round_trip_ms: u32 },
}

/// What a task needs of a node.
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct TaskRequirements {
	/// Whole GPUs the task occupies on one node.
	pub gpus: u32,
	/// Least memory of each of those GPUs, in GiB.
	pub min_vram_per_gpu_gib: u32,
	/// Least GPU class.
	pub min_gpu_class: GpuClass,
	/// Least multi-GPU stage of the node; "high-load training" tasks ask for 1 or more.
	pub min_stage: u8,
	pub placement: Placement,
}

/// Built-in workloads whose result any verifier can recompute from the parameters.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug,
)]
pub enum BuiltinWorkload {
	/// Seeded matrix products of side `size`, repeated `rounds` times; the digest covers the result.
	MatrixProduct { seed: u64, size: u32, rounds: u32 },
}

/// What agents run, which the chain enforces on submission: one definition for both sides.
pub use vcity_agent_api::{matrix_min_seconds, matrix_work, MATRIX_REFERENCE_RATE, MAX_MATRIX_SIZE};

/// What the node runs.
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub enum Workload {
	/// A deterministic workload with a recomputable result digest.
	Builtin(BuiltinWorkload),
	/// A container image reference and the hash of the command line it runs.
	Container { image: BoundedVec<u8, MaxImageLen>, command_hash: Digest },
}

/// How the user pays.
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
pub enum Billing {
	/// The whole size is paid on delivery, whatever the run took.
	PerTask,
	/// Pay as you go: the GPU-seconds the node meters are paid, capped by the size; the rest
	/// of the escrow is refunded.
	Metered,
}

/// Where a task stands, as clients see it.
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
pub enum TaskStatus {
	/// Waiting for a node.
	Queued,
	/// Given to a node that has not acknowledged it yet.
	Assigned,
	/// Acknowledged by the node, not started.
	Acknowledged,
	/// Running on the node.
	Running,
	/// Delivered with a result digest; the dispute window is open.
	Delivered,
	/// The user disputed the result; settlement waits for the resolution.
	Disputed,
	/// Paid out: node share, scheduler fee, protocol revenue, refund of the unused escrow.
	Settled,
	/// Ended without payment (cancelled, expired, failed, or a dispute upheld); escrow refunded.
	Refunded,
}

/// Everything a client wants to know about one task (runtime API and RPC).
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct TaskInfo<AccountId, Balance, BlockNumber> {
	pub id: TaskId,
	pub owner: AccountId,
	pub requirements: TaskRequirements,
	/// Wall-clock seconds the task occupies its GPUs.
	pub seconds: u64,
	/// GPUs × seconds.
	pub size_gpu_seconds: GpuSeconds,
	pub deadline: BlockNumber,
	pub max_price_per_gpu_hour: Balance,
	pub workload: Workload,
	pub billing: Billing,
	/// USDV still held for the task (zero once it has ended).
	pub escrow: Balance,
	pub status: TaskStatus,
	pub node: Option<NodeId>,
	/// Scheduler node that assigned it, if one did.
	pub scheduler: Option<NodeId>,
	/// Price per GPU-hour agreed at assignment.
	pub price_per_gpu_hour: Option<Balance>,
	/// GPU-seconds metered so far (metered billing).
	pub used_gpu_seconds: GpuSeconds,
	pub result: Option<Digest>,
	/// USDV paid out of the escrow (node, scheduler, protocol together).
	pub paid: Balance,
	/// USDV released back to the owner.
	pub refunded: Balance,
	/// The owner's rating, 1 to 5 stars.
	pub rating: Option<u8>,
}

/// Network-wide figures of the market.
#[derive(
	Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(
	rename_all = "camelCase",
	bound(serialize = "Balance: core::fmt::Display", deserialize = "Balance: core::str::FromStr")
)]
pub struct MarketStats<Balance> {
	pub queued: u32,
	/// Assigned, acknowledged, running, delivered or disputed.
	pub in_progress: u32,
	pub settled: u64,
	pub refunded: u64,
	/// USDV held for open tasks.
	#[serde(with = "crate::json::decimal")]
	pub escrow: Balance,
	/// USDV paid for delivered compute since genesis.
	#[serde(with = "crate::json::decimal")]
	pub volume: Balance,
	/// GPU-seconds available and consumed in the current period, and their ratio in parts per
	/// billion (capped at one billion; none while nothing is available).
	pub available_gpu_seconds: GpuSeconds,
	pub consumed_gpu_seconds: GpuSeconds,
	pub utilization_ppb: Option<u32>,
}

/// A node as the matching sees it: what it offers and whether it can take work now.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct NodeOffer {
	pub node: NodeId,
	pub region: Vec<u8>,
	pub gpu_model: GpuModel,
	pub gpu_class: GpuClass,
	pub vram_per_gpu_gib: u32,
	/// GPUs not taken by tasks.
	pub free_gpus: u32,
	pub stage: u8,
	pub price_per_gpu_hour: Balance,
	/// Reputation in basis points.
	pub reputation: u32,
}

/// One page of tasks, in storage order.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct TaskPage<AccountId, Balance, BlockNumber> {
	pub tasks: Vec<TaskInfo<AccountId, Balance, BlockNumber>>,
	/// The cursor for the next page (the last task of this one), if any remain.
	pub next_cursor: Option<TaskId>,
}

/// One page of node offers, in the online index's order.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct NodeOfferPage {
	pub nodes: Vec<NodeOffer>,
	/// The id to pass as cursor for the next page, if any ids remain.
	pub next_cursor: Option<NodeId>,
}

/// What a user would pay for a task and which nodes could run it now.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Quote<Balance> {
	/// Online nodes that meet the requirements and have the GPUs free, cheapest first.
	pub candidates: Vec<NodeOffer>,
	/// Cost at the cheapest and at the dearest candidate's price.
	pub lowest_cost: Option<Balance>,
	pub highest_cost: Option<Balance>,
	/// Where the next quote goes on, if the scan stopped at its bound before the end of the
	/// online nodes (the node to pass as its cursor).
	pub next_cursor: Option<NodeId>,
}

/// A quote as version 1 of the market's runtime API (before spec 108) returned it, for reading
/// old blocks.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct QuoteV1<Balance> {
	pub candidates: Vec<NodeOffer>,
	pub lowest_cost: Option<Balance>,
	pub highest_cost: Option<Balance>,
	/// Whether the listing stopped at its scan bound before seeing every node.
	pub truncated: bool,
}

/// A queued task as a scheduler node matches it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct QueuedTask {
	pub id: TaskId,
	pub requirements: TaskRequirements,
	/// USDV base units per GPU-hour the owner pays at most.
	pub max_price_per_gpu_hour: Balance,
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn gpu_classes_come_from_whole_model_words() {
		assert_eq!(gpu_class(b"NVIDIA H100 80GB HBM3"), GpuClass::Datacenter);
		assert_eq!(gpu_class(b"NVIDIA A100-SXM4-40GB"), GpuClass::Datacenter);
		assert_eq!(gpu_class(b"AMD Instinct MI300X"), GpuClass::Datacenter);
		assert_eq!(gpu_class(b"NVIDIA L40S"), GpuClass::Workstation);
		assert_eq!(gpu_class(b"Tesla T4"), GpuClass::Workstation);
		assert_eq!(gpu_class(b"NVIDIA GeForce RTX 4090"), GpuClass::Consumer);
		// "H1000" is not "H100": a word must match whole.
		assert_eq!(gpu_class(b"Fake H1000"), GpuClass::Consumer);
		assert_eq!(gpu_class(b""), GpuClass::Consumer);
	}
}

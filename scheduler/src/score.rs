//! The cost of placing a task on a node, and whether it may go there at all.

use crate::types::{NodeOffer, TaskRequest};
use vcity_placement::LatencyTable;

/// Value of placing one GPU's worth of task, in cost points. It dwarfs every pair cost, so a
/// schedule that puts more GPUs to work always beats one that puts fewer at a lower cost:
/// utilization first (docs/economics.md#controller aims at 80%), then quality. Counting GPUs rather
/// than tasks keeps many small tasks from crowding out one multi-GPU training task.
pub const ASSIGN_VALUE: i64 = 1 << 32;
/// Ceiling of a pair's cost, so that [`ASSIGN_VALUE`] always dominates.
pub const MAX_PAIR_COST: u64 = 1 << 28;

/// Value of placing a task of `gpus` GPUs at `cost`.
pub fn placement_value(gpus: u32, cost: u64) -> i64 {
	ASSIGN_VALUE.saturating_mul(i64::from(gpus)).saturating_sub(cost as i64)
}
/// Highest multi-GPU stage that earns a scheduling bonus.
const TOP_STAGE: u64 = vcity_placement::MAX_MULTI_GPU_STAGE as u64;
const FULL_REPUTATION_BPS: u64 = 10_000;

/// How much each property of a placement costs, in points. With the defaults, 100 ms of
/// latency, 1 USDV per hour of rent, half the reputation scale and 250 GiB of idle VRAM weigh
/// about the same. Rent and idle VRAM count per GPU taken: a big task cares more about both.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScoreWeights {
	/// Per millisecond of round trip between the task's and the node's region.
	pub latency_per_ms: u64,
	/// Per GiB of VRAM the task leaves unused on the GPUs it takes.
	pub wasted_vram_per_gib: u64,
	/// Per thousandth of a USDV the task pays per hour (price per GPU-hour × GPUs).
	pub price_per_milli_usdv: u64,
	/// Per 10 basis points of reputation the node lacks.
	pub reputation_per_10_bps: u64,
	/// Per multi-GPU stage the node lacks (staged nodes go first: docs/registry.md#multi-gpu-stages).
	pub stage_priority: u64,
}

impl Default for ScoreWeights {
	fn default() -> Self {
		Self {
			latency_per_ms: 10,
			wasted_vram_per_gib: 4,
			price_per_milli_usdv: 1,
			reputation_per_10_bps: 2,
			stage_priority: 300,
		}
	}
}

/// Whether the node meets every requirement of the task when it is otherwise idle, and if so
/// the cost of the placement. The runtime checks the same requirements on chain.
pub fn pair_cost(
	task: &TaskRequest,
	node: &NodeOffer,
	weights: &ScoreWeights,
	latency: &LatencyTable,
) -> Option<u64> {
	let fits = task.gpus > 0
		&& node.free_gpus >= task.gpus
		&& node.gpu_class >= task.min_gpu_class
		&& node.vram_per_gpu_gib >= task.min_vram_per_gpu_gib
		&& node.stage >= task.min_stage
		&& node.price_per_gpu_hour <= task.max_price_per_gpu_hour;
	if !fits {
		return None;
	}
	let round_trip = task.region.map_or(0, |region| latency.round_trip_ms(region, node.region));
	if task.max_latency_ms.is_some_and(|bound| round_trip > bound) {
		return None;
	}
	let wasted_vram =
		u64::from(node.vram_per_gpu_gib - task.min_vram_per_gpu_gib).saturating_mul(u64::from(task.gpus));
	let cost = latency_cost(round_trip, weights)
		.saturating_add(weights.wasted_vram_per_gib.saturating_mul(wasted_vram))
		.saturating_add(rent_cost(node.price_per_gpu_hour, task.gpus, weights))
		.saturating_add(node_cost(node, weights));
	Some(cost.min(MAX_PAIR_COST))
}

/// Cost of a round trip of `round_trip_ms`.
pub(crate) fn latency_cost(round_trip_ms: u32, weights: &ScoreWeights) -> u64 {
	weights.latency_per_ms.saturating_mul(u64::from(round_trip_ms))
}

/// Cost of the rent of `gpus` GPUs at `price_per_gpu_hour`; grows with the price.
pub(crate) fn rent_cost(price_per_gpu_hour: u64, gpus: u32, weights: &ScoreWeights) -> u64 {
	// USDV has 6 decimals: a thousandth of a USDV is 1,000 base units. Dividing by a constant
	// keeps the scan over all pairs free of real divisions.
	let rent_milli_usdv = price_per_gpu_hour.saturating_mul(u64::from(gpus)) / 1_000;
	weights.price_per_milli_usdv.saturating_mul(rent_milli_usdv)
}

/// The part of every placement's cost that depends on the node alone: reputation and stage.
pub(crate) fn node_cost(node: &NodeOffer, weights: &ScoreWeights) -> u64 {
	let reputation_gap = FULL_REPUTATION_BPS.saturating_sub(u64::from(node.reputation_bps)) / 10;
	let stage_gap = TOP_STAGE.saturating_sub(u64::from(node.stage));
	weights
		.reputation_per_10_bps
		.saturating_mul(reputation_gap)
		.saturating_add(weights.stage_priority.saturating_mul(stage_gap))
}

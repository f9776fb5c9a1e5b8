//! The chain's tasks and node offers in the scheduler's terms, for the scheduler node's offchain
//! worker.

use crate::{NodeOffer, TaskRequest};
use vcity_primitives::{
	region_of, round_trip_ms, Balance, GpuClass, NodeOffer as ChainOffer, Placement, QueuedTask,
};

/// The scheduler's rank of a GPU class: a higher rank satisfies any task asking for a lower one.
pub fn class_rank(class: GpuClass) -> u8 {
	match class {
		GpuClass::Consumer => 0,
		GpuClass::Workstation => 1,
		GpuClass::Datacenter => 2,
	}
}

/// Prices beyond u64 base units (18 trillion USDV per GPU-hour) are treated as the maximum.
fn price(amount: Balance) -> u64 {
	u64::try_from(amount).unwrap_or(u64::MAX)
}

impl TaskRequest {
	/// A queued task as the scheduler sees it. "In a region" is scored as the round trip within
	/// that region; the chain checks the exact rule again when the assignment lands.
	pub fn from_chain(task: &QueuedTask) -> Self {
		let requirements = &task.requirements;
		let (region, max_latency_ms) = match &requirements.placement {
			Placement::Anywhere => (None, None),
			Placement::InRegion(code) => {
				let site = region_of(code);
				(Some(site), Some(round_trip_ms(site, site)))
			}
			Placement::Near { region, max_round_trip_ms } => {
				(Some(region_of(region)), Some(*max_round_trip_ms))
			}
		};
		TaskRequest {
			id: task.id,
			gpus: requirements.gpus,
			min_vram_per_gpu_gib: requirements.min_vram_per_gpu_gib,
			min_gpu_class: class_rank(requirements.min_gpu_class),
			min_stage: requirements.min_stage,
			region,
			max_latency_ms,
			max_price_per_gpu_hour: price(task.max_price_per_gpu_hour),
		}
	}
}

impl NodeOffer {
	/// A node's offer as the market reports it.
	pub fn from_chain(offer: &ChainOffer) -> Self {
		NodeOffer {
			id: offer.node,
			region: region_of(&offer.region),
			gpu_class: class_rank(offer.gpu_class),
			free_gpus: offer.free_gpus,
			vram_per_gpu_gib: offer.vram_per_gpu_gib,
			stage: offer.stage,
			price_per_gpu_hour: price(offer.price_per_gpu_hour),
			reputation_bps: offer.reputation,
		}
	}
}

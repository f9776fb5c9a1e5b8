//! Seeded, realistic batches for the tests and the benchmark: a mix of consumer and
//! data-centre GPUs around the world, and tasks from single-GPU inference to 8-GPU training.

use crate::types::{NodeOffer, TaskRequest};
use alloc::vec::Vec;
use vcity_placement::{multi_gpu_stage, RegionId, KNOWN_REGIONS, UNKNOWN_REGION};

/// A small deterministic generator (SplitMix64), so workloads need no dependency.
pub struct Rng(u64);

impl Rng {
	pub fn new(seed: u64) -> Self {
		Self(seed)
	}

	pub fn next_u64(&mut self) -> u64 {
		self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
		z ^ (z >> 31)
	}

	/// Uniform in `low..=high`.
	pub fn range(&mut self, low: u64, high: u64) -> u64 {
		low + self.next_u64() % (high - low + 1)
	}

	/// An index drawn with the given relative weights.
	pub fn weighted(&mut self, weights: &[u64]) -> usize {
		let mut pick = self.range(0, weights.iter().sum::<u64>() - 1);
		for (index, &weight) in weights.iter().enumerate() {
			if pick < weight {
				return index;
			}
			pick -= weight;
		}
		weights.len() - 1
	}
}

/// A GPU model on the market: class, memory and a typical price in USDV base units per hour.
struct Model {
	class: u8,
	vram_gib: u32,
	price: u64,
	share: u64,
}

const MODELS: &[Model] = &[
	Model { class: 1, vram_gib: 24, price: 220_000, share: 30 }, // RTX 3090
	Model { class: 1, vram_gib: 24, price: 350_000, share: 25 }, // RTX 4090
	Model { class: 2, vram_gib: 48, price: 800_000, share: 15 }, // L40S
	Model { class: 3, vram_gib: 40, price: 1_100_000, share: 10 }, // A100 40GB
	Model { class: 3, vram_gib: 80, price: 1_600_000, share: 12 }, // A100 80GB
	Model { class: 4, vram_gib: 80, price: 2_500_000, share: 8 }, // H100
];
/// GPUs per node and how common each count is.
const GPU_COUNTS: &[u32] = &[1, 2, 4, 8];
const GPU_COUNT_SHARES: &[u64] = &[45, 25, 18, 12];
/// Region popularity, in the order of the region table; the rest of the weight is unknown codes.
const REGION_SHARES: &[u64] = &[14, 8, 10, 3, 3, 7, 4, 9, 3, 2, 1, 5, 6, 4, 5, 3, 4, 4, 3];
const UNKNOWN_REGION_SHARE: u64 = 2;

fn region(rng: &mut Rng) -> RegionId {
	let mut shares = REGION_SHARES.to_vec();
	shares.push(UNKNOWN_REGION_SHARE);
	let index = rng.weighted(&shares);
	if index >= KNOWN_REGIONS {
		UNKNOWN_REGION
	} else {
		index as RegionId
	}
}

/// `count` nodes; some already run tasks, so not all their GPUs are free.
pub fn nodes(rng: &mut Rng, count: usize) -> Vec<NodeOffer> {
	let model_shares: Vec<u64> = MODELS.iter().map(|m| m.share).collect();
	(0..count)
		.map(|index| {
			let model = &MODELS[rng.weighted(&model_shares)];
			let gpus = GPU_COUNTS[rng.weighted(GPU_COUNT_SHARES)];
			let busy = if rng.range(0, 3) == 0 { rng.range(0, u64::from(gpus) - 1) as u32 } else { 0 };
			NodeOffer {
				id: index as u64 + 1,
				region: region(rng),
				gpu_class: model.class,
				free_gpus: gpus - busy,
				vram_per_gpu_gib: model.vram_gib,
				stage: multi_gpu_stage(gpus * model.vram_gib),
				price_per_gpu_hour: model.price * rng.range(70, 130) / 100,
				reputation_bps: rng.range(2_000, 9_500) as u32,
			}
		})
		.collect()
}

/// `count` tasks: mostly single-GPU inference, some multi-GPU training that asks for a stage.
pub fn tasks(rng: &mut Rng, count: usize) -> Vec<TaskRequest> {
	let model_shares: Vec<u64> = MODELS.iter().map(|m| m.share).collect();
	(0..count)
		.map(|index| {
			let model = &MODELS[rng.weighted(&model_shares)];
			let gpus = [1, 2, 4, 8][rng.weighted(&[60, 15, 15, 10])];
			let training = gpus == 8 && rng.range(0, 4) == 0;
			let region = (rng.range(0, 4) > 0).then(|| region(rng)).filter(|&r| r != UNKNOWN_REGION);
			let max_latency_ms = (region.is_some() && rng.range(0, 9) < 3).then(|| rng.range(40, 150) as u32);
			TaskRequest {
				id: index as u64 + 1,
				gpus,
				min_vram_per_gpu_gib: model.vram_gib,
				min_gpu_class: model.class,
				min_stage: u8::from(training),
				region,
				max_latency_ms,
				max_price_per_gpu_hour: model.price * rng.range(100, 160) / 100,
			}
		})
		.collect()
}

/// A batch with `node_count` nodes and `task_count` tasks from one seed.
pub fn batch(seed: u64, node_count: usize, task_count: usize) -> (Vec<NodeOffer>, Vec<TaskRequest>) {
	let mut rng = Rng::new(seed);
	let nodes = nodes(&mut rng, node_count);
	let tasks = tasks(&mut rng, task_count);
	(nodes, tasks)
}

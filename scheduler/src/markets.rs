//! Market families for the benchmark, drawn independently of [`crate::workload`] (the tests'
//! generator): the GPU models on sale today from RTX 3090 to H200 at their going rates, nodes of
//! 1 to 8 GPUs partly busy, and demand shaped by family (balanced, twice the capacity,
//! training-heavy, tight latency bounds, near-identical nodes that tie). The benchmark reports
//! the scheduler's quality on seeds it was not tuned on (docs/scheduler.md#quality).
//!
//! Classes are the chain's ranks (0 consumer, 1 workstation, 2 data centre), prices USDV base
//! units (6 decimals) per GPU-hour.

use crate::{
	types::{NodeOffer, TaskRequest},
	workload::Rng,
};
use alloc::vec::Vec;
use vcity_placement::{multi_gpu_stage, RegionId, KNOWN_REGIONS, UNKNOWN_REGION};

/// The shape of a market.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
	/// Demand about equal to the free GPUs.
	Balanced,
	/// Twice as many GPUs asked for as are free.
	OverDemand,
	/// A third of the tasks are 8-GPU training runs that need a multi-GPU stage, among small ones.
	TrainingHeavy,
	/// Most tasks bound their round trip to 10–40 ms around their own region.
	TightLatency,
	/// Nodes drawn from a handful of templates: equal prices, reputations and regions tie.
	Ties,
}

impl Family {
	/// Every family, in the order the benchmark reports them.
	pub const ALL: [Family; 5] =
		[Family::Balanced, Family::OverDemand, Family::TrainingHeavy, Family::TightLatency, Family::Ties];

	/// The family's name in reports.
	pub fn name(self) -> &'static str {
		match self {
			Family::Balanced => "balanced",
			Family::OverDemand => "over-demand",
			Family::TrainingHeavy => "training-heavy",
			Family::TightLatency => "tight latency",
			Family::Ties => "ties",
		}
	}

	/// GPUs asked for per free GPU.
	fn demand_ratio_percent(self) -> u64 {
		match self {
			Family::OverDemand => 200,
			Family::TrainingHeavy => 110,
			_ => 100,
		}
	}
}

/// A GPU model: chain class, memory per GPU, going rate in USDV base units per GPU-hour, and
/// its share of nodes on the market.
struct GpuModel {
	class: u8,
	vram_gib: u32,
	rate: u64,
	share: u64,
	/// Relative odds of 1, 2, 4 and 8 GPUs per node: consumer cards sit in small rigs, data-centre
	/// cards in 8-GPU servers.
	rig_odds: [u64; 4],
}

const MODELS: &[GpuModel] = &[
	GpuModel { class: 0, vram_gib: 24, rate: 190_000, share: 20, rig_odds: [55, 30, 12, 3] }, // RTX 3090
	GpuModel { class: 0, vram_gib: 24, rate: 340_000, share: 22, rig_odds: [50, 30, 15, 5] }, // RTX 4090
	GpuModel { class: 1, vram_gib: 48, rate: 490_000, share: 9, rig_odds: [30, 30, 30, 10] }, // RTX A6000
	GpuModel { class: 1, vram_gib: 48, rate: 790_000, share: 10, rig_odds: [20, 25, 35, 20] }, // L40S
	GpuModel { class: 2, vram_gib: 40, rate: 1_050_000, share: 8, rig_odds: [15, 20, 30, 35] }, // A100 40 GB
	GpuModel { class: 2, vram_gib: 80, rate: 1_450_000, share: 12, rig_odds: [10, 15, 25, 50] }, // A100 80 GB
	GpuModel { class: 2, vram_gib: 80, rate: 2_300_000, share: 13, rig_odds: [5, 10, 20, 65] }, // H100
	GpuModel { class: 2, vram_gib: 141, rate: 3_400_000, share: 6, rig_odds: [5, 5, 15, 75] }, // H200
];
const RIG_SIZES: [u32; 4] = [1, 2, 4, 8];

/// Where GPUs are: most in North America, Europe and East Asia, a few behind unknown codes.
fn region(rng: &mut Rng) -> RegionId {
	// Weights in the order of the chain's region table, then unknown.
	const WEIGHTS: [u64; KNOWN_REGIONS + 1] = [18, 9, 12, 4, 3, 9, 5, 11, 3, 2, 1, 4, 5, 3, 6, 3, 5, 4, 3, 2];
	let index = rng.weighted(&WEIGHTS);
	if index >= KNOWN_REGIONS {
		UNKNOWN_REGION
	} else {
		index as RegionId
	}
}

fn model(rng: &mut Rng) -> &'static GpuModel {
	let shares: Vec<u64> = MODELS.iter().map(|m| m.share).collect();
	&MODELS[rng.weighted(&shares)]
}

/// A market of `node_count` nodes and `task_count` tasks of `family`, from `seed`.
pub fn market(
	family: Family,
	seed: u64,
	node_count: usize,
	task_count: usize,
) -> (Vec<NodeOffer>, Vec<TaskRequest>) {
	let mut rng = Rng::new(seed ^ 0x005E_ED0F_A110_C47E);
	let tasks = tasks(family, &mut rng, task_count);
	let demand: u64 = tasks.iter().map(|t| u64::from(t.gpus)).sum();
	let nodes = nodes(family, &mut rng, node_count, demand);
	(nodes, tasks)
}

fn tasks(family: Family, rng: &mut Rng, count: usize) -> Vec<TaskRequest> {
	(0..count)
		.map(|index| {
			let training = match family {
				Family::TrainingHeavy => rng.range(0, 2) == 0,
				_ => rng.range(0, 11) == 0,
			};
			let (gpus, min_vram, min_class, min_stage) = if training {
				// Large models: 40–141 GiB per GPU, a data-centre card, a stage by size.
				let vram = [40, 48, 80, 80, 141][rng.range(0, 4) as usize];
				let class = if vram > 48 { 2 } else { rng.range(1, 2) as u8 };
				(8, vram, class, rng.range(1, 3) as u8)
			} else {
				let gpus = [1, 1, 1, 1, 2, 2, 3, 4, 4, 6, 8][rng.range(0, 10) as usize];
				let vram = [8, 12, 16, 16, 24, 24, 40, 48, 80][rng.range(0, 8) as usize];
				let class = match vram {
					0..=24 => u8::from(rng.range(0, 5) == 0),
					25..=48 => rng.range(1, 2) as u8,
					_ => 2,
				};
				(gpus, vram, class, 0)
			};
			// The budget follows the cheapest model that meets the ask, with a spread of
			// willingness to pay; some buyers bid under the going rate.
			let reference = MODELS
				.iter()
				.filter(|m| m.class >= min_class && m.vram_gib >= min_vram)
				.map(|m| m.rate)
				.min()
				.unwrap_or(MODELS[MODELS.len() - 1].rate);
			let max_price = reference * rng.range(85, 260) / 100;
			let (region, max_latency_ms) = match family {
				Family::TightLatency if rng.range(0, 9) < 8 => {
					let region = region(rng);
					let region = if region != UNKNOWN_REGION { region } else { 0 };
					(Some(region), Some(rng.range(10, 40) as u32))
				}
				_ => match rng.range(0, 9) {
					0..=4 => (None, None),
					5..=7 => (Some(region(rng)).filter(|&r| r != UNKNOWN_REGION), None),
					_ => {
						let region = Some(region(rng)).filter(|&r| r != UNKNOWN_REGION);
						(region, region.map(|_| rng.range(30, 180) as u32))
					}
				},
			};
			TaskRequest {
				id: 1_000_000 + index as u64 * 7,
				gpus,
				min_vram_per_gpu_gib: min_vram,
				min_gpu_class: min_class,
				min_stage,
				region,
				max_latency_ms,
				max_price_per_gpu_hour: max_price,
			}
		})
		.collect()
}

/// Nodes whose free GPUs add up to about `demand` divided by the family's demand ratio. A node is
/// either idle or runs earlier tasks on part or all of its GPUs; the share of idle nodes is set
/// so the free GPUs meet the target. Busy nodes stay in the snapshot: they fit nothing, as on a
/// chain where the scheduler reads offers a block old.
fn nodes(family: Family, rng: &mut Rng, count: usize, demand: u64) -> Vec<NodeOffer> {
	// One template per model, in three regions.
	let templates: Vec<NodeOffer> = MODELS
		.iter()
		.enumerate()
		.map(|(index, _)| {
			let mut node = node(rng);
			let model = &MODELS[index];
			node.gpu_class = model.class;
			node.vram_per_gpu_gib = model.vram_gib;
			node.stage = multi_gpu_stage(node.free_gpus * model.vram_gib);
			node.price_per_gpu_hour = model.rate;
			node.region = [0, 7, 14][index % 3];
			node
		})
		.collect();
	let mut nodes: Vec<NodeOffer> = (0..count)
		.map(|_| match family {
			Family::Ties => {
				let shares: Vec<u64> = MODELS.iter().map(|m| m.share).collect();
				let mut node = templates[rng.weighted(&shares)].clone();
				// Near-identical: a tenth differ in reputation by a few basis points.
				if rng.range(0, 9) == 0 {
					node.reputation_bps = node.reputation_bps.saturating_sub(rng.range(1, 20) as u32);
				}
				node
			}
			_ => node(rng),
		})
		.collect();
	// Per node: a draw deciding whether it is idle, and its free GPUs if it is not.
	// A busy node has all its GPUs taken two times in three, else some.
	let draws: Vec<(u64, u32)> = nodes
		.iter()
		.map(|n| {
			let partial =
				if rng.range(0, 2) == 0 { rng.range(0, u64::from(n.free_gpus) - 1) as u32 } else { 0 };
			(rng.range(0, 999), partial)
		})
		.collect();
	let free_at = |idle_per_mille: u64| -> u64 {
		nodes
			.iter()
			.zip(&draws)
			.map(|(n, &(draw, partial))| u64::from(if draw < idle_per_mille { n.free_gpus } else { partial }))
			.sum()
	};
	let target = demand * 100 / family.demand_ratio_percent();
	// The free GPUs grow with the idle share: the least share that reaches the target.
	let (mut low, mut high) = (0u64, 1_000u64);
	while low < high {
		let middle = (low + high) / 2;
		if free_at(middle) >= target {
			high = middle;
		} else {
			low = middle + 1;
		}
	}
	for (index, (node, &(draw, partial))) in nodes.iter_mut().zip(&draws).enumerate() {
		if draw >= low {
			node.free_gpus = partial;
		}
		node.id = 10 + index as u64 * 3;
	}
	nodes
}

/// One node, all GPUs free; [`nodes`] then marks some busy.
fn node(rng: &mut Rng) -> NodeOffer {
	let model = model(rng);
	let gpus = RIG_SIZES[rng.weighted(&model.rig_odds)];
	NodeOffer {
		id: 0,
		region: region(rng),
		gpu_class: model.class,
		free_gpus: gpus,
		vram_per_gpu_gib: model.vram_gib,
		stage: multi_gpu_stage(gpus * model.vram_gib),
		price_per_gpu_hour: model.rate * rng.range(75, 140) / 100,
		reputation_bps: match rng.range(0, 9) {
			0 => rng.range(1_000, 4_000),
			1..=6 => rng.range(4_500, 8_000),
			_ => rng.range(8_000, 10_000),
		} as u32,
	}
}

//! The compute market: USDV escrow held through `pallet-assets-holder`, nodes from the registry,
//! protocol revenue to the buyback treasury.

use crate::{
	AccountId, AssetsHolder, ChainClock, ComputeRegistry, DayScaledBlocks, Runtime, RuntimeHoldReason, DAYS,
	MILLI_SECS_PER_BLOCK,
};
use frame_support::{
	parameter_types,
	traits::{fungible::ItemOf, ConstU128, ConstU32, ConstU64},
};
use vcity_primitives::USDV_ASSET_ID;

parameter_types! {
	pub const UsdvAssetId: u32 = USDV_ASSET_ID;
	pub const MaxDeadlineBlocks: crate::BlockNumber = 90 * DAYS;
}

/// USDV as a single fungible with holds.
pub type Usdv = ItemOf<AssetsHolder, UsdvAssetId, AccountId>;

impl pallet_compute_market::Config for Runtime {
	type Stablecoin = Usdv;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Registry = ComputeRegistry;
	type Reputation = ComputeRegistry;
	type DeliveryRewards = crate::Rewards;
	/// Verifiers audit recomputable deliveries and decide their disputes.
	type Audits = crate::Verification;
	/// Failed deliveries are offences.
	type Offences = crate::Slashing;
	type Capacity = ComputeRegistry;
	/// Protocol fees go to the buyback treasury, which records them and sells them for VCAI.
	type RevenueSink = crate::Buyback;
	type Clock = ChainClock;
	/// Root or the parameters track.
	type GovernanceOrigin = super::governance::ParametersOrigin;
	/// Root or the appeals track, for the disputes no audit decides: results that cannot be
	/// recomputed, and audits left without a verdict.
	type DisputeOrigin = super::governance::AppealsOrigin;
	type MaxGpusPerNode = ConstU32<{ super::registry::MAX_GPUS_PER_NODE }>;
	type MaxVramPerGpuGib = ConstU32<{ super::registry::MAX_VRAM_PER_GPU_GIB }>;
	type BlockTimeMs = ConstU64<MILLI_SECS_PER_BLOCK>;
	/// Thirty days.
	type MaxTaskSeconds = ConstU64<{ 30 * 24 * 3_600 }>;
	type MaxDeadlineBlocks = MaxDeadlineBlocks;
	/// Longer than the shortest lifetime of the offchain worker's transactions (4 blocks, the
	/// shortest mortal era), so a lost acknowledgement is sent again in time.
	type MinAckWindow = ConstU32<5>;
	/// As many as a node has GPUs, so one batch can fill the largest node with one-GPU tasks.
	type MaxAssignmentsPerBatch = ConstU32<{ super::registry::MAX_GPUS_PER_NODE }>;
	/// Each timeout may settle a task (a few transfers); 128 of each kind stay well inside a block.
	type MaxTimeoutsPerBlock = ConstU32<128>;
	/// Thirty of the chain's days (half an hour on `dev-fast`).
	type TaskRetention = DayScaledBlocks<{ 30 * DAYS }>;
	/// A tenth of a USDV.
	type MinTaskEscrow = ConstU128<{ vcity_primitives::USDV / 10 }>;
	/// 10 USDV: eighteen five-star deliveries of 10 USDV lift a new node to Gold, as many as it
	/// takes of any size to add up to the same business (docs/economics.md#reputation).
	type FullReputationPayment = ConstU128<{ 10 * vcity_primitives::USDV }>;
	// Three picked nodes failing take a new scheduler (5,000) to 3,645, three failures a node:
	// it stops until heartbeats and successes bring it back (about a day online).
	type MinTrustedReputation = ConstU32<4_000>;
	type WeightInfo = pallet_compute_market::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MarketBenchmarks;
}

impl pallet_assets_holder::Config for Runtime {
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeEvent = crate::RuntimeEvent;
}

/// USDV, nodes and register depth for the market's benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct MarketBenchmarks;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_compute_market::BenchmarkHelper<AccountId> for MarketBenchmarks {
	fn fund(who: &AccountId, amount: crate::Balance) {
		use frame_support::traits::fungibles::Mutate;
		let _ = crate::Assets::mint_into(USDV_ASSET_ID, who, amount);
	}

	fn online_node(
		owner: &AccountId,
		operator: &AccountId,
		gpus: u32,
		scheduler: bool,
	) -> vcity_primitives::NodeId {
		use frame_support::traits::fungible::Mutate;
		use vcity_primitives::{GpuSpec, HeartbeatMetrics, NodeKind, NodeRoles, VCAI};
		let owner = owner.clone();
		let gpu = GpuSpec {
			model: frame_support::BoundedVec::truncate_from(b"NVIDIA H100 80GB HBM3".to_vec()),
			count: gpus,
			vram_per_gpu_gib: 80,
		};
		let stake = ComputeRegistry::required_stake(&gpu).unwrap_or(VCAI);
		let _ = crate::Balances::set_balance(&owner, stake.saturating_mul(2));
		let _ = crate::Balances::set_balance(operator, VCAI);
		let id = pallet_compute_registry::NextNodeId::<Runtime>::get();
		let _ = ComputeRegistry::register_node(
			crate::RuntimeOrigin::signed(owner),
			NodeKind::Stable,
			NodeRoles { compute: true, verifier: false, scheduler },
			gpu,
			frame_support::BoundedVec::truncate_from(b"eu-west".to_vec()),
			vcity_primitives::USDV,
			operator.clone(),
			stake,
		);
		let _ = ComputeRegistry::heartbeat(
			crate::RuntimeOrigin::signed(operator.clone()),
			id,
			HeartbeatMetrics::default(),
		);
		id
	}

	fn fill_register(count: u32) {
		pallet_compute_registry::benchmarking::populate::<Runtime>(count);
	}
}

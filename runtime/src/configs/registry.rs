//! The compute-node registry.

use crate::{
	Balance, Balances, ChainClock, DayScaledBlocks, DayScaledMs, Runtime, RuntimeHoldReason, DAYS,
	MILLI_SECS_PER_BLOCK,
};
use frame_support::{
	parameter_types,
	traits::{ConstU32, ConstU64, Get},
};
use sp_runtime::FixedU128;
use vcity_primitives::VCAI;

/// Most GPUs one node may declare, and most memory per GPU; the market refuses tasks beyond them.
pub const MAX_GPUS_PER_NODE: u32 = 64;
pub const MAX_VRAM_PER_GPU_GIB: u32 = 1024;

parameter_types! {
	pub MinStakeMultiplier: FixedU128 = FixedU128::from_rational(1, 10);
	pub MaxStakeMultiplier: FixedU128 = FixedU128::from_u32(10);
	/// Heartbeats rank above untipped transfers (whose priority is about the number that fit
	/// in a block, a few thousand) so busy blocks do not mark healthy nodes offline; any real
	/// tip still ranks higher.
	pub const HeartbeatPriority: u64 = 1 << 20;
	/// At most 374 beats per block: at the weight `CheckWeight` charges a beat (2.00 ms: the call
	/// with its entry into the online index and the Proof-of-Capacity credit, the pool and stake
	/// check, every other transaction extension, the fee's included although it is skipped, and
	/// the base) just under half of a block's normal-class weight (a runtime test checks it), and
	/// with 10-minute windows (100 blocks) it serves 37,400 nodes. A larger register needs a
	/// longer window or the attested windows of docs/liveness.md.
	pub const MaxHeartbeatsPerBlock: u32 = 374;
	/// 10 VCAI (0.10 USDV at the reference price) for a node's record: nothing beside the
	/// stake a node holds (thousands of VCAI), while a million records left behind would tie up
	/// ten million VCAI until their owners reap them.
	pub const NodeRecordDeposit: Balance = 10 * VCAI;
	/// Sixteen entries of the online index a block: a node silent for good leaves it within
	/// (online nodes / 16) blocks, 94 minutes for 15,000 nodes, and the sweep's cost stays flat.
	pub const OnlineSweepPerBlock: u32 = 16;
}

impl pallet_compute_registry::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Clock = ChainClock;
	/// The market's utilization of each closed period and the buyback's day-average price.
	type StakeMarket = StakeMarketInputs;
	/// The rewards' controller steers to the same 80%.
	type TargetUtilization = super::rewards::TargetUtilization;
	/// A node's stake stays held while it has tasks in the market.
	type OpenWork = crate::ComputeMarket;
	type CapacityRewards = crate::Rewards;
	/// Downtime with committed work is an offence, and a pending slash keeps the stake held.
	type Offences = crate::Slashing;
	type Penalties = crate::Slashing;
	type OpenChecks = crate::Verification;
	/// Root or the parameters track.
	type GovernanceOrigin = super::governance::ParametersOrigin;
	/// 28 of the chain's days (28 minutes on `dev-fast`): an offence found up to a week after the
	/// node's last work, pending for up to 14 days and waiting up to 7 more for an appeal's
	/// decision, still finds the stake (docs/slashing.md#no-escape-by-exit; a runtime test
	/// checks the sum).
	type UnbondingPeriod = DayScaledBlocks<{ super::slashing::UNBONDING_DAYS * DAYS }>;
	type MaxGpusPerNode = ConstU32<MAX_GPUS_PER_NODE>;
	type MaxVramPerGpuGib = ConstU32<MAX_VRAM_PER_GPU_GIB>;
	/// A minute to a day of the chain's day (12 s to a minute on `dev-fast`).
	type MinHeartbeatWindowMs = DayScaledMs<60_000>;
	type MaxHeartbeatWindowMs = DayScaledMs<{ crate::DAY_MS }>;
	type MinStakeMultiplier = MinStakeMultiplier;
	type MaxStakeMultiplier = MaxStakeMultiplier;
	/// Reputation's distance from neutral halves in 30 of the chain's days of silence.
	type ReputationHalfLifeMs = DayScaledMs<{ 30 * crate::DAY_MS }>;
	type BlockTimeMs = ConstU64<MILLI_SECS_PER_BLOCK>;
	type HeartbeatPriority = HeartbeatPriority;
	type MaxHeartbeatsPerBlock = MaxHeartbeatsPerBlock;
	type RecordDeposit = NodeRecordDeposit;
	/// The market (tasks not ended) and the rewards (points not claimed) pay a node's owner
	/// through its record, so it stays until both are done.
	type RecordUse = (crate::ComputeMarket, crate::Rewards);
	type OnlineSweepPerBlock = OnlineSweepPerBlock;
	type WeightInfo = pallet_compute_registry::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkClock;
}

/// What the stake multiplier follows: the usage the market metered in a closed period (its hook
/// closes a period before the registry's reads it), and VCAI's price averaged over a chain day.
pub struct StakeMarketInputs;
impl vcity_primitives::StakeMarket for StakeMarketInputs {
	fn utilization(period: vcity_primitives::PeriodIndex) -> Option<sp_runtime::Perbill> {
		<crate::ComputeMarket as vcity_primitives::UsageMeter<crate::AccountId, vcity_primitives::Balance>>::utilization(
			period,
		)
	}
	fn vcai_per_usdv() -> Option<vcity_primitives::VcaiPerUsdv> {
		<crate::Buyback as vcity_primitives::VcaiPrice>::vcai_per_usdv()
	}
}

/// Moves the chain's time for the registry's benchmarks. It sets the timestamp and tells the
/// chain clock, as the timestamp inherent would, but skips Aura: a benchmark has no slot to match.
#[cfg(feature = "runtime-benchmarks")]
pub struct BenchmarkClock;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_compute_registry::BenchmarkHelper for BenchmarkClock {
	fn set_time(now_ms: u64) {
		use frame_support::traits::OnTimestampSet;
		pallet_timestamp::Now::<Runtime>::put(now_ms);
		ChainClock::on_timestamp_set(now_ms);
	}
	fn period_ms() -> u64 {
		pallet_chain_clock::Periods::<Runtime>::get().current.length_ms
	}
}

/// The stake tiers before the class factor (spec 114 and earlier) and the ones after, for the
/// registry's migration to storage version 1.
pub struct ClassFactorTierLists;
impl Get<pallet_compute_registry::migrations::v1::TierLists> for ClassFactorTierLists {
	fn get() -> pallet_compute_registry::migrations::v1::TierLists {
		let before = alloc::vec![
			(0, 1_000 * VCAI),
			(16, 2_000 * VCAI),
			(24, 5_000 * VCAI),
			(48, 10_000 * VCAI),
			(80, 20_000 * VCAI),
		];
		(before, crate::genesis_config_presets::default_stake_tiers())
	}
}

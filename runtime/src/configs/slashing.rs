//! Slashing: offences from the market, the registry and verification become slashes of the
//! registry's stake holds, pending a week and appealable: root or a referendum of the DAO's
//! appeals track decides.

use super::accounts::TreasuryAccount;
#[cfg(feature = "runtime-benchmarks")]
use crate::AccountId;
use crate::{
	Balances, BlockNumber, Buyback, ComputeMarket, ComputeRegistry, DayScaledBlocks, Rewards, Runtime,
	RuntimeHoldReason, DAYS,
};
use frame_support::traits::ConstU32;

/// Days an offence may be found after a node's last work: an audit ends within hours of a
/// delivery and a dispute's within its resolution week; a node still online is challenged at
/// 10% a day (half the nodes within a week), which a node leaving ends.
pub const DETECTION_DAYS: BlockNumber = 7;
/// The longest pending window governance may set.
pub const MAX_DEFERRAL_DAYS: BlockNumber = 14;
/// The longest an appeal may wait for its decision after the window.
pub const MAX_APPEAL_GRACE_DAYS: BlockNumber = 7;
/// Unbonding covers detection, the longest window and the longest grace.
pub const UNBONDING_DAYS: BlockNumber = DETECTION_DAYS + MAX_DEFERRAL_DAYS + MAX_APPEAL_GRACE_DAYS;

impl pallet_slashing::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Registry = ComputeRegistry;
	/// A ban takes back the tasks in the node's hands and voids its open period's points.
	type OnBanned = (ComputeMarket, Rewards);
	/// The buyback's time-weighted price values what the users hit had paid.
	type Price = Buyback;
	/// The DAO treasury.
	type Treasury = TreasuryAccount;
	/// Root or the parameters track.
	type GovernanceOrigin = super::governance::ParametersOrigin;
	/// Root or the appeals track: veVCAI holders vote on appeals.
	type AppealOrigin = super::governance::AppealsOrigin;
	/// A day to two weeks of the chain's days.
	type MinDeferral = DayScaledBlocks<DAYS>;
	type MaxDeferral = DayScaledBlocks<{ MAX_DEFERRAL_DAYS * DAYS }>;
	type MaxAppealGrace = DayScaledBlocks<{ MAX_APPEAL_GRACE_DAYS * DAYS }>;
	/// A year of the chain's days.
	type MaxRepeatWindow = DayScaledBlocks<{ 365 * DAYS }>;
	/// Four a block: a severe case's execution (sixteen compensations, eight reporters, a ban
	/// taking back up to 64 tasks, about 0.13 s at the charged weights) is the heaviest; a
	/// runtime test checks four stay under half a block's normal-class weight. A thousand
	/// cases due at once execute within 250 blocks (25 minutes).
	type MaxExecutionsPerBlock = ConstU32<4>;
	type WeightInfo = pallet_slashing::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = SlashingBenchmarks;
}

/// The parameters a chain that gains the pallet by an upgrade starts with: the standard windows
/// on the chain's day (a week pending, three days' grace, 30 days of repeats).
pub struct UpgradeParams;
impl frame_support::traits::Get<pallet_slashing::SlashParams<BlockNumber>> for UpgradeParams {
	fn get() -> pallet_slashing::SlashParams<BlockNumber> {
		pallet_slashing::SlashParams {
			deferral: DayScaledBlocks::<{ 7 * DAYS }>::get(),
			appeal_grace: DayScaledBlocks::<{ 3 * DAYS }>::get(),
			repeat_window: DayScaledBlocks::<{ 30 * DAYS }>::get(),
			..Default::default()
		}
	}
}

/// Staked nodes and a VCAI price for the slashing benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct SlashingBenchmarks;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_slashing::benchmarking::BenchmarkHelper<AccountId> for SlashingBenchmarks {
	fn register_node(owner: &AccountId) -> vcity_primitives::NodeId {
		<super::rewards::RewardsBenchmarks as pallet_rewards::benchmarking::BenchmarkHelper<AccountId>>::register_node(owner)
	}

	fn set_price(vcai_per_usdv: crate::Balance) {
		pallet_buyback::benchmarking::set_average_price::<Runtime>(vcai_per_usdv);
	}
}

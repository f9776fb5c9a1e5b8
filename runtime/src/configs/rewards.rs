//! The ecosystem incentive pool: released by transfers out of the pool account funded at
//! genesis, steered by the market's utilization, earned by the registry's heartbeats and the
//! market's settlements. The pot the claims are paid from and the grants account keep the
//! existential deposit from genesis.

use super::accounts::{GrantsAccount, IncentivePoolPalletId};
#[cfg(feature = "runtime-benchmarks")]
use crate::AccountId;
use crate::{Balances, Buyback, ChainClock, ComputeMarket, ComputeRegistry, Runtime};
use frame_support::{
	parameter_types,
	traits::{ConstU128, ConstU32, ConstU64},
};
use sp_runtime::Perbill;
use vcity_primitives::{INCENTIVE_POOL, INCENTIVE_SCHEDULE_MS};

parameter_types! {
	/// docs/economics.md#controller: U_target = 80%, k = 0.1.
	pub const TargetUtilization: Perbill = Perbill::from_percent(80);
	pub const ControllerGain: Perbill = Perbill::from_percent(10);
}

impl pallet_rewards::Config for Runtime {
	type Currency = Balances;
	type Clock = ChainClock;
	type Registry = ComputeRegistry;
	/// A pending moderate or severe slash stops a node's rewards.
	type Penalties = crate::Slashing;
	type Usage = ComputeMarket;
	/// The buyback's time-weighted price: the fee caps on delivery rewards and rebates are
	/// valued at the price the treasury's own rounds trust.
	type Price = Buyback;
	/// Root or the parameters track.
	type GovernanceOrigin = super::governance::ParametersOrigin;
	type PalletId = IncentivePoolPalletId;
	type GrantsAccount = GrantsAccount;
	type PoolTotal = ConstU128<INCENTIVE_POOL>;
	/// 522 weeks of chain time, on `dev-fast` too: its short periods each release little.
	type ScheduleMs = ConstU64<INCENTIVE_SCHEDULE_MS>;
	type TargetUtilization = TargetUtilization;
	type ControllerGain = ControllerGain;
	/// A year of weekly periods per claim.
	type MaxPeriodsPerClaim = ConstU32<52>;
	type WeightInfo = pallet_rewards::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = RewardsBenchmarks;
}

/// Nodes, bans, spend and time for the rewards' benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct RewardsBenchmarks;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_rewards::benchmarking::BenchmarkHelper<AccountId> for RewardsBenchmarks {
	fn register_node(owner: &AccountId) -> vcity_primitives::NodeId {
		use frame_support::traits::fungible::Mutate as _;
		use vcity_primitives::{GpuSpec, NodeKind, NodeRoles, VCAI};
		let _ = Balances::set_balance(owner, 1_000_000_000 * VCAI);
		let model = b"H100".to_vec().try_into().unwrap_or_default();
		let gpu = GpuSpec { model, count: 8, vram_per_gpu_gib: 80 };
		let stake = ComputeRegistry::required_stake(&gpu).unwrap_or(1_000_000 * VCAI);
		let id = pallet_compute_registry::NextNodeId::<Runtime>::get();
		let operator: AccountId = frame_benchmarking::account("rewards-operator", id as u32, 0);
		let registered = ComputeRegistry::register_node(
			crate::RuntimeOrigin::signed(owner.clone()),
			NodeKind::Stable,
			NodeRoles { compute: true, verifier: false, scheduler: false },
			gpu,
			b"eu-west".to_vec().try_into().unwrap_or_default(),
			1_000_000,
			operator,
			stake,
		);
		debug_assert!(registered.is_ok(), "the benchmark node registers: {registered:?}");
		id
	}

	fn ban_node(node: vcity_primitives::NodeId) {
		use vcity_primitives::NodeSlashing;
		let banned = <ComputeRegistry as NodeSlashing<AccountId, crate::Balance>>::ban(node);
		debug_assert!(banned.is_ok(), "the benchmark node is banned: {banned:?}");
	}

	fn record_spend(period: vcity_primitives::PeriodIndex, who: &AccountId, amount: crate::Balance) {
		pallet_compute_market::Spend::<Runtime>::mutate(period, who, |s| *s = s.saturating_add(amount));
		pallet_compute_market::TotalSpend::<Runtime>::mutate(period, |s| *s = s.saturating_add(amount));
	}

	fn set_time(now_ms: u64) {
		<super::registry::BenchmarkClock as pallet_compute_registry::BenchmarkHelper>::set_time(now_ms);
	}
}

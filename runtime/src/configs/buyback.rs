//! The buyback treasury: the market's revenue sink, selling USDV for VCAI on the AMM's VCAI/USDV
//! pool and dropping it to veVCAI lockers. Its account is derived from its pallet id; genesis
//! gives it the existential deposit in VCAI.

use super::accounts::BuybackPalletId;
use super::amm::VcaiUsdvPool;
use crate::{AccountId, Balances, ChainClock, Runtime, VeVcai};
use frame_support::traits::{fungible::ItemOf, ConstU32};
use vcity_primitives::DayIndex;

impl pallet_buyback::Config for Runtime {
	/// USDV straight from `pallet-assets`: the treasury holds none of it on hold.
	type Stablecoin = ItemOf<crate::Assets, super::market::UsdvAssetId, AccountId>;
	type Currency = Balances;
	type Pool = VcaiUsdvPool;
	type LockerRewards = VeVcai;
	type Clock = ChainClock;
	/// Root or the parameters track.
	type GovernanceOrigin = super::governance::ParametersOrigin;
	type PalletId = BuybackPalletId;
	/// At least a minute of the chain's day (ten blocks; two on `dev-fast`, whose days are ten
	/// blocks), at most a day of the chain's clock, the length of the kept price samples. The
	/// rewards pallet values its fee caps at that day's average (`VcaiPrice`).
	type MinTwapWindow = crate::DayScaledBlocks<{ crate::MINUTES }>;
	type MaxTwapWindow = crate::DayScaledBlocks<{ crate::DAYS }>;
	/// A month.
	type MaxIntervalDays = ConstU32<{ 30 as DayIndex }>;
	type WeightInfo = pallet_buyback::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BuybackBenchmarks;
}

/// The pool and the veVCAI storage for the buyback's benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct BuybackBenchmarks;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_buyback::benchmarking::BenchmarkHelper<AccountId> for BuybackBenchmarks {
	fn create_pool(usdv: crate::Balance, vcai: crate::Balance) {
		use super::amm::{UsdvKind, Vcai};
		use alloc::boxed::Box;
		use frame_support::traits::{
			fungible::{Inspect as _, Mutate as _},
			fungibles::Mutate as _,
		};
		use pallet_buyback::BuybackPool;
		let provider: AccountId = frame_benchmarking::account("liquidity", 0, 0);
		let _ = Balances::set_balance(
			&provider,
			vcai.saturating_mul(2).saturating_add(Balances::minimum_balance()),
		);
		let _ = crate::Assets::mint_into(vcity_primitives::USDV_ASSET_ID, &provider, usdv.saturating_mul(2));
		let origin = crate::RuntimeOrigin::signed(provider.clone());
		// Presets with a pool already have one; the benchmark then deepens it to at least the
		// asked liquidity.
		let (usdv_now, vcai_now) = VcaiUsdvPool::reserves().unwrap_or_default();
		if usdv_now == 0 {
			let _ = crate::AssetConversion::create_pool(
				origin.clone(),
				Box::new(Vcai::get()),
				Box::new(UsdvKind::get()),
			);
		}
		let _ = crate::AssetConversion::add_liquidity(
			origin,
			Box::new(Vcai::get()),
			Box::new(UsdvKind::get()),
			vcai.saturating_sub(vcai_now).max(1),
			usdv.saturating_sub(usdv_now).max(1),
			0,
			0,
			provider,
		);
	}

	fn fill_lockers(n: u32) {
		pallet_ve_vcai::benchmarking::populate::<Runtime>(n);
	}
}

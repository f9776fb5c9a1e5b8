//! veVCAI: locks held from VCAI balances, days from the chain clock, the distributor's account
//! derived from its pallet id (genesis gives it the existential deposit).

use super::accounts::VeDistributorPalletId;
use crate::{Balances, ChainClock, Runtime, RuntimeHoldReason};
use frame_support::traits::{ConstU128, ConstU32};
use vcity_primitives::{VCAI, VE_MAX_LOCK_DAYS};

impl pallet_ve_vcai::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Clock = ChainClock;
	/// One VCAI: small enough for anyone, large enough that spam locks cost something real.
	type MinLockAmount = ConstU128<VCAI>;
	type MaxLockDays = ConstU32<VE_MAX_LOCK_DAYS>;
	/// Sixty-four days on which the account changed its lock; a vote reads a snapshot at most
	/// weeks old, so even an account that changes its lock daily keeps every day a vote needs.
	type MaxHistory = ConstU32<64>;
	/// After a stall, sixteen days a block: a month of missed days closes within two blocks.
	type MaxCatchUpDays = ConstU32<16>;
	type PalletId = VeDistributorPalletId;
	type WeightInfo = pallet_ve_vcai::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = super::registry::BenchmarkClock;
}

/// The registry's benchmark clock also moves days for the ve benchmarks: same timestamp, same
/// chain clock, counted from the first block (or from a fixed start in an empty benchmark state).
#[cfg(feature = "runtime-benchmarks")]
impl pallet_ve_vcai::benchmarking::BenchmarkHelper for super::registry::BenchmarkClock {
	fn set_day(day: vcity_primitives::DayIndex) {
		use pallet_compute_registry::BenchmarkHelper;
		let calendar = pallet_chain_clock::Calendar::<Runtime>::get();
		let start = calendar.start_ms.unwrap_or(1_700_000_000_000);
		Self::set_time(start + u64::from(day) * calendar.day_ms + calendar.day_ms / 2);
	}
}

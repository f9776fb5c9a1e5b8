//! Weights for `pallet_compute_registry`, from its benchmarks (`benchmarking.rs`).
//!
//! Regenerate with `scripts/benchmark-weights.sh`. PROVISIONAL: these figures are estimates
//! written before the first benchmark run on reference hardware; the script replaces them.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_compute_registry`.
pub trait WeightInfo {
	fn register_node(n: u32, ) -> Weight;
	fn bond_extra() -> Weight;
	fn heartbeat(n: u32, ) -> Weight;
	fn check_heartbeat() -> Weight;
	fn update_price() -> Weight;
	fn update_region() -> Weight;
	fn change_operator() -> Weight;
	fn deregister() -> Weight;
	fn withdraw_unbonded() -> Weight;
	fn set_stake_schedule() -> Weight;
	fn set_stake_multiplier() -> Weight;
	fn set_heartbeat_window() -> Weight;
	fn on_initialize_same_period() -> Weight;
	fn on_initialize_new_period() -> Weight;
}

/// Weights for `pallet_compute_registry` using the Substrate node and recommended hardware.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register_node(_n: u32, ) -> Weight {
		Weight::from_parts(60_000_000, 3_700)
			.saturating_add(T::DbWeight::get().reads(7_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	fn bond_extra() -> Weight {
		Weight::from_parts(45_000_000, 3_700)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn heartbeat(_n: u32, ) -> Weight {
		Weight::from_parts(30_000_000, 3_700)
			.saturating_add(T::DbWeight::get().reads(7_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn check_heartbeat() -> Weight {
		Weight::from_parts(12_000_000, 3_700)
			.saturating_add(T::DbWeight::get().reads(5_u64))
	}
	fn update_price() -> Weight {
		Weight::from_parts(15_000_000, 3_700)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn update_region() -> Weight {
		Weight::from_parts(15_000_000, 3_700)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn change_operator() -> Weight {
		Weight::from_parts(25_000_000, 3_700)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn deregister() -> Weight {
		Weight::from_parts(20_000_000, 3_700)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn withdraw_unbonded() -> Weight {
		Weight::from_parts(50_000_000, 3_700)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(7_u64))
	}
	fn set_stake_schedule() -> Weight {
		Weight::from_parts(10_000_000, 0)
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn set_stake_multiplier() -> Weight {
		Weight::from_parts(10_000_000, 1_500)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn set_heartbeat_window() -> Weight {
		Weight::from_parts(8_000_000, 0)
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn on_initialize_same_period() -> Weight {
		Weight::from_parts(4_000_000, 1_500)
			.saturating_add(T::DbWeight::get().reads(3_u64))
	}
	fn on_initialize_new_period() -> Weight {
		Weight::from_parts(10_000_000, 1_500)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn register_node(_n: u32, ) -> Weight { Weight::from_parts(60_000_000, 3_700).saturating_add(RocksDbWeight::get().reads_writes(7, 6)) }
	fn bond_extra() -> Weight { Weight::from_parts(45_000_000, 3_700).saturating_add(RocksDbWeight::get().reads_writes(3, 3)) }
	fn heartbeat(_n: u32, ) -> Weight { Weight::from_parts(30_000_000, 3_700).saturating_add(RocksDbWeight::get().reads_writes(7, 3)) }
	fn check_heartbeat() -> Weight { Weight::from_parts(12_000_000, 3_700).saturating_add(RocksDbWeight::get().reads(5)) }
	fn update_price() -> Weight { Weight::from_parts(15_000_000, 3_700).saturating_add(RocksDbWeight::get().reads_writes(1, 1)) }
	fn update_region() -> Weight { Weight::from_parts(15_000_000, 3_700).saturating_add(RocksDbWeight::get().reads_writes(1, 1)) }
	fn change_operator() -> Weight { Weight::from_parts(25_000_000, 3_700).saturating_add(RocksDbWeight::get().reads_writes(2, 3)) }
	fn deregister() -> Weight { Weight::from_parts(20_000_000, 3_700).saturating_add(RocksDbWeight::get().reads_writes(3, 3)) }
	fn withdraw_unbonded() -> Weight { Weight::from_parts(50_000_000, 3_700).saturating_add(RocksDbWeight::get().reads_writes(5, 7)) }
	fn set_stake_schedule() -> Weight { Weight::from_parts(10_000_000, 0).saturating_add(RocksDbWeight::get().writes(1)) }
	fn set_stake_multiplier() -> Weight { Weight::from_parts(10_000_000, 1_500).saturating_add(RocksDbWeight::get().reads_writes(1, 1)) }
	fn set_heartbeat_window() -> Weight { Weight::from_parts(8_000_000, 0).saturating_add(RocksDbWeight::get().writes(1)) }
	fn on_initialize_same_period() -> Weight { Weight::from_parts(4_000_000, 1_500).saturating_add(RocksDbWeight::get().reads(3)) }
	fn on_initialize_new_period() -> Weight { Weight::from_parts(10_000_000, 1_500).saturating_add(RocksDbWeight::get().reads_writes(4, 2)) }
}

//! Weights for `pallet_buyback`. Placeholder figures until `scripts/benchmark-weights.sh
//! pallet_buyback` measures them; the script overwrites this file.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::ParityDbWeight}};
use core::marker::PhantomData;

/// Weight functions of `pallet_buyback`.
pub trait WeightInfo {
	fn on_initialize_idle() -> Weight;
	fn on_initialize_drop() -> Weight;
	fn on_initialize_round(n: u32, ) -> Weight;
	fn set_params() -> Weight;
}

/// Weights measured on the reference machine, with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn on_initialize_idle() -> Weight {
		Weight::from_parts(50_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(10_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	fn on_initialize_drop() -> Weight {
		Weight::from_parts(100_000_000, 12000)
			.saturating_add(ParityDbWeight::get().reads(16_u64))
			.saturating_add(ParityDbWeight::get().writes(6_u64))
	}
	fn on_initialize_round(_n: u32, ) -> Weight {
		Weight::from_parts(400_000_000, 20000)
			.saturating_add(ParityDbWeight::get().reads(30_u64))
			.saturating_add(ParityDbWeight::get().writes(14_u64))
	}
	fn set_params() -> Weight {
		Weight::from_parts(20_000_000, 0)
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn on_initialize_idle() -> Weight {
		Weight::from_parts(50_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(10_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	fn on_initialize_drop() -> Weight {
		Weight::from_parts(100_000_000, 12000)
			.saturating_add(ParityDbWeight::get().reads(16_u64))
			.saturating_add(ParityDbWeight::get().writes(6_u64))
	}
	fn on_initialize_round(_n: u32, ) -> Weight {
		Weight::from_parts(400_000_000, 20000)
			.saturating_add(ParityDbWeight::get().reads(30_u64))
			.saturating_add(ParityDbWeight::get().writes(14_u64))
	}
	fn set_params() -> Weight {
		Weight::from_parts(20_000_000, 0)
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
}

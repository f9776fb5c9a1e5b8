
//! Weights for `pallet_ve_vcai`.
//!
//! PROVISIONAL: written by hand before the first run of `scripts/benchmark-weights.sh` on this
//! pallet, from its storage accesses (counted from the code) and times twice those measured for
//! the market's calls of similar shape. The script overwrites this file with measured figures.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::ParityDbWeight}};
use core::marker::PhantomData;

/// Weight functions of `pallet_ve_vcai`.
pub trait WeightInfo {
	fn create_lock(n: u32, ) -> Weight;
	fn increase_amount(n: u32, ) -> Weight;
	fn extend_unlock(n: u32, ) -> Weight;
	fn withdraw(n: u32, ) -> Weight;
	fn claim(n: u32, ) -> Weight;
	fn drop_rewards(n: u32, ) -> Weight;
	fn close_days(d: u32, n: u32, ) -> Weight;
}

/// Weights for the runtime, with its database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn create_lock(_n: u32, ) -> Weight {
		Weight::from_parts(400_000_000, 20_000)
			.saturating_add(T::DbWeight::get().reads(20_u64))
			.saturating_add(T::DbWeight::get().writes(14_u64))
	}
	fn increase_amount(_n: u32, ) -> Weight {
		Weight::from_parts(400_000_000, 20_000)
			.saturating_add(T::DbWeight::get().reads(22_u64))
			.saturating_add(T::DbWeight::get().writes(15_u64))
	}
	fn extend_unlock(_n: u32, ) -> Weight {
		Weight::from_parts(400_000_000, 20_000)
			.saturating_add(T::DbWeight::get().reads(20_u64))
			.saturating_add(T::DbWeight::get().writes(13_u64))
	}
	fn withdraw(_n: u32, ) -> Weight {
		Weight::from_parts(400_000_000, 20_000)
			.saturating_add(T::DbWeight::get().reads(20_u64))
			.saturating_add(T::DbWeight::get().writes(14_u64))
	}
	fn claim(_n: u32, ) -> Weight {
		Weight::from_parts(400_000_000, 20_000)
			.saturating_add(T::DbWeight::get().reads(20_u64))
			.saturating_add(T::DbWeight::get().writes(12_u64))
	}
	fn drop_rewards(_n: u32, ) -> Weight {
		Weight::from_parts(300_000_000, 12_000)
			.saturating_add(T::DbWeight::get().reads(14_u64))
			.saturating_add(T::DbWeight::get().writes(11_u64))
	}
	fn close_days(d: u32, _n: u32, ) -> Weight {
		Weight::from_parts(20_000_000, 2_000)
			.saturating_add(Weight::from_parts(200_000_000, 5_000).saturating_mul(d.into()))
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().reads((5_u64).saturating_mul(d.into())))
			.saturating_add(T::DbWeight::get().writes(1_u64))
			.saturating_add(T::DbWeight::get().writes((5_u64).saturating_mul(d.into())))
	}
}

/// For tests: the same figures with ParityDB's database weights.
impl WeightInfo for () {
	fn create_lock(_n: u32, ) -> Weight {
		Weight::from_parts(400_000_000, 20_000)
			.saturating_add(ParityDbWeight::get().reads(20_u64))
			.saturating_add(ParityDbWeight::get().writes(14_u64))
	}
	fn increase_amount(_n: u32, ) -> Weight {
		Weight::from_parts(400_000_000, 20_000)
			.saturating_add(ParityDbWeight::get().reads(22_u64))
			.saturating_add(ParityDbWeight::get().writes(15_u64))
	}
	fn extend_unlock(_n: u32, ) -> Weight {
		Weight::from_parts(400_000_000, 20_000)
			.saturating_add(ParityDbWeight::get().reads(20_u64))
			.saturating_add(ParityDbWeight::get().writes(13_u64))
	}
	fn withdraw(_n: u32, ) -> Weight {
		Weight::from_parts(400_000_000, 20_000)
			.saturating_add(ParityDbWeight::get().reads(20_u64))
			.saturating_add(ParityDbWeight::get().writes(14_u64))
	}
	fn claim(_n: u32, ) -> Weight {
		Weight::from_parts(400_000_000, 20_000)
			.saturating_add(ParityDbWeight::get().reads(20_u64))
			.saturating_add(ParityDbWeight::get().writes(12_u64))
	}
	fn drop_rewards(_n: u32, ) -> Weight {
		Weight::from_parts(300_000_000, 12_000)
			.saturating_add(ParityDbWeight::get().reads(14_u64))
			.saturating_add(ParityDbWeight::get().writes(11_u64))
	}
	fn close_days(d: u32, _n: u32, ) -> Weight {
		Weight::from_parts(20_000_000, 2_000)
			.saturating_add(Weight::from_parts(200_000_000, 5_000).saturating_mul(d.into()))
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().reads((5_u64).saturating_mul(d.into())))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
			.saturating_add(ParityDbWeight::get().writes((5_u64).saturating_mul(d.into())))
	}
}

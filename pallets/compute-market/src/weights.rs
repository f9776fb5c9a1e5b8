//! Weights for `pallet_compute_market`. Provisional until `scripts/benchmark-weights.sh
//! pallet_compute_market` regenerates this file from the pallet's benchmarks.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::ParityDbWeight}};
use core::marker::PhantomData;

/// Weight functions of `pallet_compute_market`.
pub trait WeightInfo {
	fn submit_task(n: u32, ) -> Weight;
	fn cancel_task() -> Weight;
	fn assign_tasks(b: u32, n: u32, ) -> Weight;
	fn assign_directly() -> Weight;
	fn acknowledge_task(n: u32, ) -> Weight;
	fn decline_task() -> Weight;
	fn start_task() -> Weight;
	fn report_usage() -> Weight;
	fn complete_task(n: u32, ) -> Weight;
	fn report_failure() -> Weight;
	fn rate_task() -> Weight;
	fn dispute_task() -> Weight;
	fn resolve_dispute() -> Weight;
	fn settle() -> Weight;
	fn expire_task() -> Weight;
	fn set_params() -> Weight;
	fn on_initialize(k: u32, ) -> Weight;
}

/// Weights for `pallet_compute_market` on the runtime's database.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn submit_task(n: u32, ) -> Weight {
		Weight::from_parts(300_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(12_u64))
			.saturating_add(T::DbWeight::get().writes(12_u64))
			.saturating_add(Weight::from_parts(1_000, 0).saturating_mul(n.into()))
	}
	fn cancel_task() -> Weight {
		Weight::from_parts(300_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(12_u64))
			.saturating_add(T::DbWeight::get().writes(12_u64))
	}
	fn assign_tasks(b: u32, n: u32, ) -> Weight {
		Weight::from_parts(300_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(12_u64))
			.saturating_add(T::DbWeight::get().writes(12_u64))
			.saturating_add(Weight::from_parts(300_000_000, 10_000).saturating_mul(b.into()))
			.saturating_add(T::DbWeight::get().reads(12_u64).saturating_mul(b.into()))
			.saturating_add(T::DbWeight::get().writes(12_u64).saturating_mul(b.into()))
			.saturating_add(Weight::from_parts(1_000, 0).saturating_mul(n.into()))
	}
	fn assign_directly() -> Weight {
		Weight::from_parts(300_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(12_u64))
			.saturating_add(T::DbWeight::get().writes(12_u64))
	}
	fn acknowledge_task(n: u32, ) -> Weight {
		Weight::from_parts(300_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(12_u64))
			.saturating_add(T::DbWeight::get().writes(12_u64))
			.saturating_add(Weight::from_parts(1_000, 0).saturating_mul(n.into()))
	}
	fn decline_task() -> Weight {
		Weight::from_parts(300_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(12_u64))
			.saturating_add(T::DbWeight::get().writes(12_u64))
	}
	fn start_task() -> Weight {
		Weight::from_parts(300_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(12_u64))
			.saturating_add(T::DbWeight::get().writes(12_u64))
	}
	fn report_usage() -> Weight {
		Weight::from_parts(300_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(12_u64))
			.saturating_add(T::DbWeight::get().writes(12_u64))
	}
	fn complete_task(n: u32, ) -> Weight {
		Weight::from_parts(300_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(12_u64))
			.saturating_add(T::DbWeight::get().writes(12_u64))
			.saturating_add(Weight::from_parts(1_000, 0).saturating_mul(n.into()))
	}
	fn report_failure() -> Weight {
		Weight::from_parts(300_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(12_u64))
			.saturating_add(T::DbWeight::get().writes(12_u64))
	}
	fn rate_task() -> Weight {
		Weight::from_parts(300_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(12_u64))
			.saturating_add(T::DbWeight::get().writes(12_u64))
	}
	fn dispute_task() -> Weight {
		Weight::from_parts(300_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(12_u64))
			.saturating_add(T::DbWeight::get().writes(12_u64))
	}
	fn resolve_dispute() -> Weight {
		Weight::from_parts(300_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(12_u64))
			.saturating_add(T::DbWeight::get().writes(12_u64))
	}
	fn settle() -> Weight {
		Weight::from_parts(300_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(12_u64))
			.saturating_add(T::DbWeight::get().writes(12_u64))
	}
	fn expire_task() -> Weight {
		Weight::from_parts(300_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(12_u64))
			.saturating_add(T::DbWeight::get().writes(12_u64))
	}
	fn set_params() -> Weight {
		Weight::from_parts(300_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(12_u64))
			.saturating_add(T::DbWeight::get().writes(12_u64))
	}
	fn on_initialize(k: u32, ) -> Weight {
		Weight::from_parts(300_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(12_u64))
			.saturating_add(T::DbWeight::get().writes(12_u64))
			.saturating_add(Weight::from_parts(300_000_000, 10_000).saturating_mul(k.into()))
			.saturating_add(T::DbWeight::get().reads(12_u64).saturating_mul(k.into()))
			.saturating_add(T::DbWeight::get().writes(12_u64).saturating_mul(k.into()))
	}
}

/// The same figures with ParityDB weights, for tests and mocks.
impl WeightInfo for () {
	fn submit_task(n: u32, ) -> Weight {
		Weight::from_parts(300_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(12_u64))
			.saturating_add(ParityDbWeight::get().writes(12_u64))
			.saturating_add(Weight::from_parts(1_000, 0).saturating_mul(n.into()))
	}
	fn cancel_task() -> Weight {
		Weight::from_parts(300_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(12_u64))
			.saturating_add(ParityDbWeight::get().writes(12_u64))
	}
	fn assign_tasks(b: u32, n: u32, ) -> Weight {
		Weight::from_parts(300_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(12_u64))
			.saturating_add(ParityDbWeight::get().writes(12_u64))
			.saturating_add(Weight::from_parts(300_000_000, 10_000).saturating_mul(b.into()))
			.saturating_add(ParityDbWeight::get().reads(12_u64).saturating_mul(b.into()))
			.saturating_add(ParityDbWeight::get().writes(12_u64).saturating_mul(b.into()))
			.saturating_add(Weight::from_parts(1_000, 0).saturating_mul(n.into()))
	}
	fn assign_directly() -> Weight {
		Weight::from_parts(300_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(12_u64))
			.saturating_add(ParityDbWeight::get().writes(12_u64))
	}
	fn acknowledge_task(n: u32, ) -> Weight {
		Weight::from_parts(300_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(12_u64))
			.saturating_add(ParityDbWeight::get().writes(12_u64))
			.saturating_add(Weight::from_parts(1_000, 0).saturating_mul(n.into()))
	}
	fn decline_task() -> Weight {
		Weight::from_parts(300_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(12_u64))
			.saturating_add(ParityDbWeight::get().writes(12_u64))
	}
	fn start_task() -> Weight {
		Weight::from_parts(300_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(12_u64))
			.saturating_add(ParityDbWeight::get().writes(12_u64))
	}
	fn report_usage() -> Weight {
		Weight::from_parts(300_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(12_u64))
			.saturating_add(ParityDbWeight::get().writes(12_u64))
	}
	fn complete_task(n: u32, ) -> Weight {
		Weight::from_parts(300_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(12_u64))
			.saturating_add(ParityDbWeight::get().writes(12_u64))
			.saturating_add(Weight::from_parts(1_000, 0).saturating_mul(n.into()))
	}
	fn report_failure() -> Weight {
		Weight::from_parts(300_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(12_u64))
			.saturating_add(ParityDbWeight::get().writes(12_u64))
	}
	fn rate_task() -> Weight {
		Weight::from_parts(300_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(12_u64))
			.saturating_add(ParityDbWeight::get().writes(12_u64))
	}
	fn dispute_task() -> Weight {
		Weight::from_parts(300_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(12_u64))
			.saturating_add(ParityDbWeight::get().writes(12_u64))
	}
	fn resolve_dispute() -> Weight {
		Weight::from_parts(300_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(12_u64))
			.saturating_add(ParityDbWeight::get().writes(12_u64))
	}
	fn settle() -> Weight {
		Weight::from_parts(300_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(12_u64))
			.saturating_add(ParityDbWeight::get().writes(12_u64))
	}
	fn expire_task() -> Weight {
		Weight::from_parts(300_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(12_u64))
			.saturating_add(ParityDbWeight::get().writes(12_u64))
	}
	fn set_params() -> Weight {
		Weight::from_parts(300_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(12_u64))
			.saturating_add(ParityDbWeight::get().writes(12_u64))
	}
	fn on_initialize(k: u32, ) -> Weight {
		Weight::from_parts(300_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(12_u64))
			.saturating_add(ParityDbWeight::get().writes(12_u64))
			.saturating_add(Weight::from_parts(300_000_000, 10_000).saturating_mul(k.into()))
			.saturating_add(ParityDbWeight::get().reads(12_u64).saturating_mul(k.into()))
			.saturating_add(ParityDbWeight::get().writes(12_u64).saturating_mul(k.into()))
	}
}

//! What the market tells other pallets: the usage meter the rewards pallet reads (capacity
//! offered, from the registry's heartbeats, against compute consumed and paid for, per period),
//! and the open work that keeps a node's stake held in the registry.

use crate::pallet::*;
use vcity_primitives::{Balance, CapacityMeter, GpuSeconds, NodeId, OpenWork, PeriodIndex, UsageMeter};

impl<T: Config> UsageMeter<T::AccountId, Balance> for Pallet<T> {
	fn available_gpu_seconds(period: PeriodIndex) -> GpuSeconds {
		T::Capacity::available_gpu_seconds(period)
	}

	fn consumed_gpu_seconds(period: PeriodIndex) -> GpuSeconds {
		ConsumedGpuSeconds::<T>::get(period)
	}

	fn spend_of(period: PeriodIndex, who: &T::AccountId) -> Balance {
		Spend::<T>::get(period, who)
	}

	fn total_spend(period: PeriodIndex) -> Balance {
		TotalSpend::<T>::get(period)
	}
}

impl<T: Config> OpenWork for Pallet<T> {
	fn open_tasks(node: NodeId) -> u32 {
		OpenTasksOfNode::<T>::get(node)
	}
}

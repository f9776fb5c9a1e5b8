//! What the market tells other pallets: the usage meter the rewards pallet reads (capacity
//! offered, from the registry's heartbeats, against compute consumed and paid for, per period),
//! the open work that keeps a node's stake held in the registry, and the node's tasks its
//! offchain worker hands to the GPU agent.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use frame_system::pallet_prelude::BlockNumberFor;
use vcity_primitives::{
	Balance, Billing, CapacityMeter, GpuSeconds, NodeId, NodeTask, NodeTasks, OpenWork, PeriodIndex, TaskId,
	TaskStage, UsageMeter,
};

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

	fn fees_of(period: PeriodIndex, who: &T::AccountId) -> Balance {
		FeesPaid::<T>::get(period, who)
	}
}

impl<T: Config> OpenWork for Pallet<T> {
	fn open_tasks(node: NodeId) -> u32 {
		OpenTasksOfNode::<T>::get(node)
	}
}

impl<T: Config> Pallet<T> {
	fn node_task(id: TaskId, task: TaskOf<T>) -> NodeTask<BlockNumberFor<T>> {
		let stage = match task.state {
			TaskState::Assigned { ack_by, .. } => TaskStage::Assigned { ack_by },
			TaskState::Acknowledged { .. } => TaskStage::Acknowledged,
			TaskState::Running { started_ms, used_gpu_seconds, .. } => {
				TaskStage::Running { started_ms, used_gpu_seconds }
			}
			TaskState::Delivered { result, .. } => TaskStage::Delivered { result },
			_ => TaskStage::Closed,
		};
		NodeTask {
			id,
			node: task.state.engagement().map(|e| e.node),
			stage,
			gpus: task.requirements.gpus,
			seconds: task.seconds,
			deadline: task.deadline,
			metered: task.billing == Billing::Metered,
			workload: task.workload,
		}
	}
}

impl<T: Config> NodeTasks<BlockNumberFor<T>> for Pallet<T> {
	fn tasks_of_node(node: NodeId) -> Vec<NodeTask<BlockNumberFor<T>>> {
		// The index is hashed, so its order is not the tasks' order.
		let mut tasks: Vec<_> = TasksInHand::<T>::iter_key_prefix(node)
			.filter_map(|id| Tasks::<T>::get(id).map(|task| Self::node_task(id, task)))
			.collect();
		tasks.sort_by_key(|task| task.id);
		tasks
	}

	fn task(id: TaskId) -> Option<NodeTask<BlockNumberFor<T>>> {
		Tasks::<T>::get(id).map(|task| Self::node_task(id, task))
	}
}

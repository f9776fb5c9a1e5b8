//! What the market tells other pallets: the usage meter the rewards pallet reads (capacity
//! offered, from the registry's heartbeats, against compute consumed and paid for, per period),
//! the open work that keeps a node's stake held in the registry, and the node's tasks its
//! offchain worker hands to the GPU agent.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Saturating;
use vcity_primitives::{
	Balance, Billing, CapacityMeter, Clock, GpuSeconds, NodeId, NodeTask, NodeTasks, OpenWork, PeriodIndex,
	TaskId, TaskStage, UsageMeter,
};

impl<T: Config> UsageMeter<T::AccountId, Balance> for Pallet<T> {
	fn available_gpu_seconds(period: PeriodIndex) -> GpuSeconds {
		T::Capacity::available_gpu_seconds(period)
	}

	fn consumed_gpu_seconds(period: PeriodIndex) -> GpuSeconds {
		GpuSeconds::try_from(ConsumedGpuMs::<T>::get(period) / 1_000).unwrap_or(GpuSeconds::MAX)
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

/// The consumption meter: GPUs running at arm's length × the chain time they run, counted into
/// the period the time falls in. O(1) per call: it moves when a counted task starts or stops
/// running, and at the first block of each period.
impl<T: Config> Pallet<T> {
	/// Counts the running GPUs' time since the last count into the periods it fell in.
	pub(crate) fn accrue_usage() {
		let now = T::Clock::now_ms();
		let current = T::Clock::period_index();
		let mark = UsageMark::<T>::get();
		let running = u128::from(RunningGpus::<T>::get());
		if running > 0 && now > mark.since_ms {
			if current > mark.period {
				// Periods a stall skipped have no blocks: the rewards pallet closes the last
				// open one up to the current one's start, and so does this count.
				let boundary = T::Clock::period_start_ms(current).unwrap_or(now).clamp(mark.since_ms, now);
				Self::count_usage(mark.period, running.saturating_mul(u128::from(boundary - mark.since_ms)));
				Self::count_usage(current, running.saturating_mul(u128::from(now - boundary)));
			} else {
				Self::count_usage(current, running.saturating_mul(u128::from(now - mark.since_ms)));
			}
		}
		UsageMark::<T>::put(MeterMark { since_ms: now.max(mark.since_ms), period: current.max(mark.period) });
	}

	/// In the first block of a period, counts the last one's tail; a read otherwise.
	pub(crate) fn accrue_usage_on_new_period() -> frame_support::weights::Weight {
		use frame_support::traits::Get;
		if T::Clock::period_index() > UsageMark::<T>::get().period {
			Self::accrue_usage();
			T::DbWeight::get().reads_writes(5, 4)
		} else {
			T::DbWeight::get().reads(2)
		}
	}

	fn count_usage(period: PeriodIndex, gpu_ms: u128) {
		let owed = ConsumptionDebt::<T>::get();
		let repaid = owed.min(gpu_ms);
		if repaid > 0 {
			ConsumptionDebt::<T>::put(owed - repaid);
		}
		ConsumedGpuMs::<T>::mutate(period, |c| c.saturating_accrue(gpu_ms - repaid));
	}

	/// Takes `gpu_ms` of consumption back: from the open period as far as it holds, the rest
	/// from the next consumption counted.
	pub(crate) fn give_back_usage(gpu_ms: u128) {
		if gpu_ms == 0 {
			return;
		}
		Self::accrue_usage();
		let period = T::Clock::period_index();
		let held = ConsumedGpuMs::<T>::get(period);
		let taken = held.min(gpu_ms);
		ConsumedGpuMs::<T>::insert(period, held - taken);
		ConsumptionDebt::<T>::mutate(|owed| owed.saturating_accrue(gpu_ms - taken));
	}

	/// A task bought at arm's length starts running: its GPUs count from now.
	pub(crate) fn start_usage(task: &mut TaskOf<T>) {
		Self::accrue_usage();
		RunningGpus::<T>::mutate(|gpus| gpus.saturating_accrue(u64::from(task.requirements.gpus)));
		task.counts_as_usage = true;
		task.counted_gpu_ms = 0;
	}

	/// A counted task stops running (delivered, given up or expired): its GPUs stop counting,
	/// and what its run added is recorded on it.
	pub(crate) fn stop_usage(task: &mut TaskOf<T>, started_ms: u64) {
		if !task.counts_as_usage {
			return;
		}
		Self::accrue_usage();
		let gpus = u64::from(task.requirements.gpus);
		RunningGpus::<T>::mutate(|running| running.saturating_reduce(gpus));
		let ran_ms = T::Clock::now_ms().saturating_sub(started_ms);
		task.counted_gpu_ms = u128::from(gpus).saturating_mul(u128::from(ran_ms));
	}

	/// A counted run ends without payment: all it added is given back, and the task, if it
	/// runs again elsewhere, counts afresh.
	pub(crate) fn void_usage(task: &mut TaskOf<T>) {
		if let TaskState::Running { started_ms, .. } = task.state {
			Self::stop_usage(task, started_ms);
		}
		if task.counts_as_usage {
			Self::give_back_usage(core::mem::take(&mut task.counted_gpu_ms));
			task.counts_as_usage = false;
		}
	}
}

impl<T: Config> OpenWork for Pallet<T> {
	fn open_tasks(node: NodeId) -> u32 {
		OpenTasksOfNode::<T>::get(node)
	}
	fn committed_tasks(node: NodeId) -> u32 {
		CommittedTasks::<T>::get(node)
	}
}

/// A task not ended pays its node's owner when it settles, so the record must stay until then.
impl<T: Config> vcity_primitives::NodeRecordUse for Pallet<T> {
	fn in_use(node: NodeId) -> bool {
		OpenTasksOfNode::<T>::get(node) > 0
	}
	fn in_use_weight() -> frame_support::weights::Weight {
		<T::DbWeight as frame_support::traits::Get<_>>::get().reads(1)
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

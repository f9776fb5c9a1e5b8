//! The views behind the market's runtime API. They read storage only and are never called from
//! a dispatchable.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use frame_system::pallet_prelude::BlockNumberFor;
use vcity_primitives::{
	gpu_class, Balance, Clock, MarketStats, NodeId, NodeOffer, NodeRegistry, NodeStatus, TaskId, TaskInfo,
	TaskPage, UsageMeter,
};

/// Most entries one page returns.
pub const MAX_PAGE: u32 = 500;

/// A page of tasks of a runtime.
pub type TaskPageOf<T> = TaskPage<<T as frame_system::Config>::AccountId, Balance, BlockNumberFor<T>>;

impl<T: Config> Pallet<T> {
	/// A task as clients see it.
	pub fn task_info(id: TaskId) -> Option<TaskInfo<T::AccountId, Balance, BlockNumberFor<T>>> {
		let task = Tasks::<T>::get(id)?;
		let engagement = task.state.engagement();
		let (used_gpu_seconds, result) = match task.state {
			TaskState::Running { used_gpu_seconds, .. } => (used_gpu_seconds, None),
			TaskState::Delivered { billed_gpu_seconds, result, .. }
			| TaskState::Disputed { billed_gpu_seconds, result, .. } => (billed_gpu_seconds, Some(result)),
			TaskState::Settled { result, .. } => (0, Some(result)),
			_ => (0, None),
		};
		Some(TaskInfo {
			id,
			size_gpu_seconds: task.size_gpu_seconds(),
			owner: task.owner,
			requirements: task.requirements,
			seconds: task.seconds,
			deadline: task.deadline,
			max_price_per_gpu_hour: task.max_price_per_gpu_hour,
			workload: task.workload,
			billing: task.billing,
			escrow: task.escrow,
			status: task.state.status(),
			node: engagement.map(|e| e.node),
			scheduler: engagement.and_then(|e| e.scheduler),
			price_per_gpu_hour: engagement.map(|e| e.price_per_gpu_hour),
			used_gpu_seconds,
			result,
			paid: task.paid,
			refunded: task.refunded,
			rating: task.rating,
		})
	}

	/// A page of an owner's tasks in id order, from `cursor` on.
	pub fn tasks_of_owner(owner: &T::AccountId, cursor: TaskId, limit: u32) -> TaskPageOf<T> {
		let mut ids: Vec<TaskId> = TasksOfOwner::<T>::iter_key_prefix(owner).collect();
		Self::page(&mut ids, cursor, limit)
	}

	/// A page of a node's tasks in id order, from `cursor` on.
	pub fn tasks_of_node(node: NodeId, cursor: TaskId, limit: u32) -> TaskPageOf<T> {
		let mut ids: Vec<TaskId> = TasksOfNode::<T>::iter_key_prefix(node).collect();
		Self::page(&mut ids, cursor, limit)
	}

	/// A page of the tasks waiting for a node, oldest first: what a scheduler matches.
	pub fn queued_tasks(cursor: TaskId, limit: u32) -> TaskPageOf<T> {
		let mut ids: Vec<TaskId> = QueuedTasks::<T>::iter_keys().collect();
		Self::page(&mut ids, cursor, limit)
	}

	fn page(ids: &mut [TaskId], cursor: TaskId, limit: u32) -> TaskPageOf<T> {
		// Twox keys do not iterate in id order; sorting the ids keeps cursors stable.
		ids.sort_unstable();
		let limit = limit.clamp(1, MAX_PAGE) as usize;
		let mut rest = ids.iter().copied().filter(|id| *id >= cursor);
		let tasks = rest.by_ref().take(limit).filter_map(Self::task_info).collect();
		TaskPage { tasks, next_cursor: rest.next() }
	}

	/// What a node offers the matching now, if it is online with the compute role.
	pub fn node_offer(node: NodeId) -> Option<NodeOffer> {
		let profile = T::Registry::profile(node)?;
		if profile.status != NodeStatus::Online || !profile.roles.compute {
			return None;
		}
		Some(NodeOffer {
			node,
			region: profile.region.to_vec(),
			gpu_class: gpu_class(&profile.gpu.model),
			vram_per_gpu_gib: profile.gpu.vram_per_gpu_gib,
			free_gpus: Self::free_gpus(node, profile.gpu.count),
			stage: Self::stage_of(profile.gpu.total_vram_gib()),
			price_per_gpu_hour: profile.price_per_gpu_hour,
			reputation: profile.reputation,
			gpu_model: profile.gpu.model,
		})
	}

	/// Network-wide figures.
	pub fn market_stats() -> MarketStats<Balance> {
		let counters = Stats::<T>::get();
		let period = T::Clock::period_index();
		let available = <Self as UsageMeter<T::AccountId, Balance>>::available_gpu_seconds(period);
		let consumed = ConsumedGpuSeconds::<T>::get(period);
		MarketStats {
			queued: counters.queued,
			in_progress: counters.in_progress,
			settled: counters.settled,
			refunded: counters.refunded,
			escrow: counters.escrow,
			volume: counters.volume,
			available_gpu_seconds: available,
			consumed_gpu_seconds: consumed,
			utilization_ppb: <Self as UsageMeter<T::AccountId, Balance>>::utilization(period).deconstruct(),
		}
	}
}

/// Most candidates a quote lists.
pub const MAX_QUOTE_CANDIDATES: usize = 20;

impl<T: Config> Pallet<T> {
	/// What a task with `req` would cost for `seconds` and which of `nodes` could take it now:
	/// online compute nodes that meet every requirement, have the GPUs free and ask at most
	/// `max_price_per_gpu_hour` (if given), cheapest first. `truncated` says whether `nodes` was
	/// cut short by its caller's scan bound.
	pub fn quote(
		req: &vcity_primitives::TaskRequirements,
		seconds: u64,
		max_price_per_gpu_hour: Option<Balance>,
		nodes: impl Iterator<Item = NodeId>,
		truncated: bool,
	) -> vcity_primitives::Quote<Balance> {
		let max_price = max_price_per_gpu_hour.unwrap_or(Balance::MAX);
		let mut candidates: Vec<NodeOffer> = nodes
			.filter_map(|node| {
				let profile = T::Registry::profile(node)?;
				let usable = profile.status == NodeStatus::Online
					&& Self::node_suits(&profile, req, max_price).is_ok()
					&& Self::free_gpus(node, profile.gpu.count) >= req.gpus;
				usable.then(|| Self::node_offer(node)).flatten()
			})
			.collect();
		candidates.sort_by_key(|offer| {
			(offer.price_per_gpu_hour, core::cmp::Reverse(offer.reputation), offer.node)
		});
		let cost =
			|offer: &NodeOffer| vcity_primitives::compute_cost(offer.price_per_gpu_hour, req.gpus, seconds);
		let lowest_cost = candidates.first().and_then(cost);
		let highest_cost = candidates.last().and_then(cost);
		candidates.truncate(MAX_QUOTE_CANDIDATES);
		vcity_primitives::Quote { candidates, lowest_cost, highest_cost, truncated }
	}
}

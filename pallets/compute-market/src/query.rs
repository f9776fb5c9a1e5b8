//! The views behind the market's runtime API. They read storage only and are never called from
//! a dispatchable.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use frame_system::pallet_prelude::BlockNumberFor;
use vcity_primitives::{
	gpu_class, Balance, Clock, MarketStats, NodeId, NodeOffer, NodeProfile, NodeRegistry, NodeStatus, TaskId,
	TaskInfo, TaskPage, UsageMeter,
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
			TaskState::Settled { billed_gpu_seconds, result, .. } => (billed_gpu_seconds, Some(result)),
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

	/// A page of an owner's tasks, continuing after task `cursor` (0: from the start).
	pub fn tasks_of_owner(owner: &T::AccountId, cursor: TaskId, limit: u32) -> TaskPageOf<T> {
		let ids: alloc::boxed::Box<dyn Iterator<Item = TaskId>> = match cursor {
			0 => alloc::boxed::Box::new(TasksOfOwner::<T>::iter_key_prefix(owner)),
			after => alloc::boxed::Box::new(TasksOfOwner::<T>::iter_key_prefix_from(
				owner,
				TasksOfOwner::<T>::hashed_key_for(owner, after),
			)),
		};
		Self::page(ids, limit)
	}

	/// A page of a node's tasks, continuing after task `cursor` (0: from the start).
	pub fn tasks_of_node(node: NodeId, cursor: TaskId, limit: u32) -> TaskPageOf<T> {
		let ids: alloc::boxed::Box<dyn Iterator<Item = TaskId>> = match cursor {
			0 => alloc::boxed::Box::new(TasksOfNode::<T>::iter_key_prefix(node)),
			after => alloc::boxed::Box::new(TasksOfNode::<T>::iter_key_prefix_from(
				node,
				TasksOfNode::<T>::hashed_key_for(node, after),
			)),
		};
		Self::page(ids, limit)
	}

	/// A page of the tasks waiting for a node, continuing after task `cursor` (0: from the
	/// start): what a scheduler matches.
	pub fn queued_tasks(cursor: TaskId, limit: u32) -> TaskPageOf<T> {
		Self::page(Self::queued_ids(cursor), limit)
	}

	/// The ids of the queued tasks after task `cursor` (0: from the start), in storage order.
	pub(crate) fn queued_ids(cursor: TaskId) -> alloc::boxed::Box<dyn Iterator<Item = TaskId>> {
		match cursor {
			0 => alloc::boxed::Box::new(QueuedTasks::<T>::iter_keys()),
			after => alloc::boxed::Box::new(QueuedTasks::<T>::iter_keys_from(
				QueuedTasks::<T>::hashed_key_for(after),
			)),
		}
	}

	/// Up to `limit` tasks of `ids`. Pages follow the storage order (by key hash, not by id) and
	/// each reads only its own entries, so walking all pages costs as much as one full scan.
	fn page(mut ids: impl Iterator<Item = TaskId>, limit: u32) -> TaskPageOf<T> {
		let limit = limit.clamp(1, MAX_PAGE) as usize;
		let tasks: Vec<_> = ids.by_ref().take(limit).filter_map(Self::task_info).collect();
		let more = ids.next().is_some();
		let next_cursor = if more { tasks.last().map(|t| t.id) } else { None };
		TaskPage { tasks, next_cursor }
	}

	/// What a node offers the matching now, if it is online, staked and has the compute role.
	pub fn node_offer(node: NodeId) -> Option<NodeOffer> {
		Self::offer_of_profile(node, T::Registry::profile(node)?)
	}

	/// The offer of an online, fully staked compute node whose profile has been read already.
	pub(crate) fn offer_of_profile(
		node: NodeId,
		profile: NodeProfile<T::AccountId, Balance>,
	) -> Option<NodeOffer> {
		let assignable = profile.status == NodeStatus::Online && profile.roles.compute && profile.staked;
		assignable.then(|| Self::offer_of(node, profile))
	}

	/// The offer of a node whose profile has been read already.
	fn offer_of(node: NodeId, profile: NodeProfile<T::AccountId, Balance>) -> NodeOffer {
		NodeOffer {
			node,
			region: profile.region.to_vec(),
			gpu_class: gpu_class(&profile.gpu.model),
			vram_per_gpu_gib: profile.gpu.vram_per_gpu_gib,
			free_gpus: Self::free_gpus(node, profile.gpu.count),
			stage: Self::stage_of(profile.gpu.total_vram_gib()),
			price_per_gpu_hour: profile.price_per_gpu_hour,
			reputation: profile.reputation,
			gpu_model: profile.gpu.model,
		}
	}

	/// Network-wide figures.
	pub fn market_stats() -> MarketStats<Balance> {
		let counters = Stats::<T>::get();
		let period = T::Clock::period_index();
		let available = <Self as UsageMeter<T::AccountId, Balance>>::available_gpu_seconds(period);
		let consumed = <Self as UsageMeter<T::AccountId, Balance>>::consumed_gpu_seconds(period);
		MarketStats {
			queued: counters.queued,
			in_progress: counters.in_progress,
			settled: counters.settled,
			refunded: counters.refunded,
			escrow: counters.escrow,
			volume: counters.volume,
			available_gpu_seconds: available,
			consumed_gpu_seconds: consumed,
			utilization_ppb: <Self as UsageMeter<T::AccountId, Balance>>::utilization(period)
				.map(|u| u.deconstruct()),
		}
	}
}

/// Most candidates a quote lists.
pub const MAX_QUOTE_CANDIDATES: usize = 20;

/// Entries of the online index one quote looks at; each costs a profile read.
pub const QUOTE_SCAN: u32 = 2_000;

/// Entries of the online index one page of idle nodes looks at.
pub const IDLE_SCAN: u32 = 2_000;

impl<T: Config> Pallet<T> {
	/// What a task with `req` would cost for `seconds` and which online compute nodes could take
	/// it now: those that meet every requirement, have the GPUs free and ask at most
	/// `max_price_per_gpu_hour` (if given), cheapest first. One call looks at up to
	/// [`QUOTE_SCAN`] entries of the online index after node `cursor` (0: from the start); the
	/// quote's `next_cursor` says where the next call goes on, and a client that wants the whole
	/// network merges the pages.
	pub fn quote(
		req: &vcity_primitives::TaskRequirements,
		seconds: u64,
		max_price_per_gpu_hour: Option<Balance>,
		cursor: NodeId,
	) -> vcity_primitives::Quote<Balance> {
		let max_price = max_price_per_gpu_hour.unwrap_or(Balance::MAX);
		let (ids, next_cursor) = T::Registry::online_compute_nodes(cursor, QUOTE_SCAN);
		// Without parameters no node may be assigned, so none is a candidate.
		let Ok(params) = Self::params() else {
			return vcity_primitives::Quote {
				candidates: Vec::new(),
				lowest_cost: None,
				highest_cost: None,
				next_cursor,
			};
		};
		let mut candidates: Vec<NodeOffer> = ids
			.into_iter()
			.filter_map(|node| {
				let profile = T::Registry::profile(node)?;
				let usable = profile.status == NodeStatus::Online
					&& profile.staked
					&& Self::node_suits(&profile, req, max_price, &params.price_floor).is_ok()
					&& Self::free_gpus(node, profile.gpu.count) >= req.gpus;
				// `node_suits` checked the compute role; the profile is read once per node.
				usable.then(|| Self::offer_of(node, profile))
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
		vcity_primitives::Quote { candidates, lowest_cost, highest_cost, next_cursor }
	}

	/// A page of online compute nodes with at least one free GPU: up to `limit` of them from
	/// at most [`IDLE_SCAN`] entries of the online index after node `cursor` (0: from the
	/// start), and where the next page goes on.
	pub fn idle_node_page(cursor: NodeId, limit: u32) -> vcity_primitives::NodeOfferPage {
		let limit = limit.clamp(1, MAX_PAGE);
		let (ids, next) = T::Registry::online_compute_nodes(cursor, IDLE_SCAN);
		let mut nodes = Vec::new();
		let mut last = cursor;
		for id in ids {
			if nodes.len() as u32 == limit {
				return vcity_primitives::NodeOfferPage { nodes, next_cursor: Some(last) };
			}
			last = id;
			nodes.extend(Self::node_offer(id).filter(|offer| offer.free_gpus > 0));
		}
		vcity_primitives::NodeOfferPage { nodes, next_cursor: next }
	}
}

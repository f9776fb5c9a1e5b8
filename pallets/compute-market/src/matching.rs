//! The market as a scheduler node's worker matches it: the same queued tasks and idle nodes the
//! `vcity_queuedTasks` and `vcity_idleNodes` RPCs list, and the market's own check of a proposal.
//! Read off chain by the worker, never from a dispatchable.

use crate::pallet::*;
use alloc::vec::Vec;
use frame_support::traits::Get;
use vcity_primitives::{Matching, NodeId, NodeOffer, NodeRegistry, QueuedTask, TaskId};

/// Online nodes one scheduler round looks through for idle ones; the next round goes on from
/// there. Each costs a profile read, so this bounds the worker's reads per block.
pub const IDLE_NODE_SCAN: u32 = 2_000;

/// Queued tasks one scheduler round looks through, taken or skipped: a queue full of tasks no
/// node can take still costs a round no more than this.
pub const QUEUE_SCAN: u32 = 2_048;

impl<T: Config> Matching for Pallet<T> {
	fn assignable_tasks(
		cursor: TaskId,
		limit: u32,
		skip: &dyn Fn(TaskId) -> bool,
	) -> (Vec<QueuedTask>, TaskId) {
		let mut tasks: Vec<QueuedTask> = Vec::new();
		// Without parameters no task is deliverable: the whole queue is left for later rounds.
		let Ok(params) = Self::params() else { return (tasks, 0) };
		// The next round goes on after the last task this one looked at.
		let mut last = cursor;
		for (scanned, id) in Self::queued_ids(cursor).enumerate() {
			// Full, or looked far enough for one round.
			if tasks.len() as u32 == limit || scanned as u32 == QUEUE_SCAN {
				return (tasks, last);
			}
			last = id;
			// Skipped before the limit, so tasks no node takes cannot fill every round.
			if skip(id) {
				continue;
			}
			let Some(task) = Tasks::<T>::get(id) else { continue };
			if Self::deliverable_from_now(task.seconds, task.deadline, &params) {
				tasks.push(QueuedTask {
					id,
					requirements: task.requirements,
					max_price_per_gpu_hour: task.max_price_per_gpu_hour,
				});
			}
		}
		// The end of the queue: the next round starts from its beginning.
		(tasks, 0)
	}

	fn idle_nodes(cursor: NodeId, limit: u32, scheduler: NodeId) -> (Vec<NodeOffer>, NodeId) {
		// The scheduler's own nodes and distrusted ones are no candidates (`Rejection::OwnNode`,
		// `NodeDistrusted`), so the matcher never spends a task's round on one.
		let Some(assigner) = Self::assigner(scheduler) else { return (Vec::new(), cursor) };
		let (ids, next) = T::Registry::online_compute_nodes(cursor, IDLE_NODE_SCAN);
		let mut offers = Vec::new();
		// The next round goes on after the last node this one looked at.
		let mut last = cursor;
		for id in ids {
			if offers.len() as u32 == limit {
				return (offers, last);
			}
			last = id;
			let offer = T::Registry::profile(id)
				.filter(|profile| !assigner.controls(profile) && Self::is_trusted(profile))
				.and_then(|profile| Self::offer_of_profile(id, profile))
				.filter(|offer| offer.free_gpus > 0);
			offers.extend(offer);
		}
		// The scan's end, or the index's (0: the next round starts from its beginning).
		(offers, next.unwrap_or(0))
	}

	fn may_schedule(scheduler: NodeId) -> bool {
		T::Registry::profile(scheduler).is_some_and(|profile| Self::ensure_may_schedule(&profile).is_ok())
	}

	fn accepts(task: TaskId, node: NodeId, scheduler: NodeId) -> bool {
		let (Some(task), Ok(params)) = (Tasks::<T>::get(task), Self::params()) else {
			return false;
		};
		let Some(assigner) = Self::assigner(scheduler) else { return false };
		Self::check_assignment(&task, node, Some(&assigner), &params).is_ok()
	}

	/// The largest batch charged at most half of what one normal transaction may weigh. A batch
	/// the pool refuses as too heavy would never be included, and the scheduler would send it
	/// again every block; half leaves room for the rest of the block's traffic.
	fn max_assignments_per_call() -> u32 {
		use frame_support::dispatch::DispatchClass;
		let weights = <T as frame_system::Config>::BlockWeights::get();
		let normal = weights.get(DispatchClass::Normal);
		let limit = normal.max_extrinsic.or(normal.max_total).unwrap_or(weights.max_block);
		let half = limit.saturating_div(2);
		(1..=T::MaxAssignmentsPerBatch::get())
			.rev()
			.find(|items| crate::assign_batch_weight::<T>(*items).all_lte(half))
			.unwrap_or(1)
	}
}

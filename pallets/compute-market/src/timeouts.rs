//! The timeout queue: what must happen to a task at a given block unless it has moved on.
//!
//! Each block holds at most `MaxTimeoutsPerBlock` entries of each kind and `on_initialize` takes
//! only its own block's lists, so the hook's work is bounded whatever the number of open tasks.
//! An entry is removed when its task moves on, so stale entries do not hold slots that live tasks need; and
//! when an entry fires it is checked against the task's state anyway, so one left behind changes
//! nothing.

use crate::{pallet::*, types::*, weights::WeightInfo, TIMEOUT_PROBE_BLOCKS};
use frame_support::{pallet_prelude::*, storage::with_storage_layer};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{One, Saturating};
use vcity_primitives::TaskId;

impl<T: Config> Pallet<T> {
	/// The first block from `at` (and after the current one) whose queue has room, looking at
	/// most [`TIMEOUT_PROBE_BLOCKS`] blocks ahead.
	pub(crate) fn free_timeout_slot(
		at: BlockNumberFor<T>,
		timeout: Timeout,
	) -> Result<BlockNumberFor<T>, Error<T>> {
		let next_block = frame_system::Pallet::<T>::block_number().saturating_add(One::one());
		let mut block = at.max(next_block);
		for _ in 0..TIMEOUT_PROBE_BLOCKS {
			if Timeouts::<T>::decode_len(block, timeout).unwrap_or(0) < T::MaxTimeoutsPerBlock::get() as usize
			{
				return Ok(block);
			}
			block.saturating_inc();
		}
		Err(Error::<T>::Rejected(Rejection::TimeoutQueueFull))
	}

	/// Queues `timeout` of task `id` at `block`, a slot [`Self::free_timeout_slot`] found.
	pub(crate) fn push_timeout(
		block: BlockNumberFor<T>,
		id: TaskId,
		timeout: Timeout,
	) -> Result<(), Error<T>> {
		Timeouts::<T>::try_mutate(block, timeout, |due| {
			due.try_push(id).map_err(|_| Error::<T>::Rejected(Rejection::TimeoutQueueFull))
		})
	}

	/// Takes task `id` out of the `timeout` queue of `block`, if it is there.
	pub(crate) fn remove_timeout(block: BlockNumberFor<T>, timeout: Timeout, id: TaskId) {
		Timeouts::<T>::mutate_exists(block, timeout, |due| {
			if let Some(tasks) = due {
				tasks.retain(|task| *task != id);
				if tasks.is_empty() {
					*due = None;
				}
			}
		});
	}

	/// Where an ended task's record is dropped. When every block probed is full the record is
	/// kept for good; it is bounded and its owner paid a fee to end it.
	pub(crate) fn forget_slot() -> Option<BlockNumberFor<T>> {
		let now = frame_system::Pallet::<T>::block_number();
		Self::free_timeout_slot(now.saturating_add(T::TaskRetention::get()), Timeout::Forget).ok()
	}

	/// Fires the timeouts due at `now`, each in its own storage layer so one failure undoes only
	/// itself.
	pub(crate) fn run_timeouts(now: BlockNumberFor<T>) -> Weight {
		let mut count = 0u32;
		for timeout in Timeout::ALL {
			let due = Timeouts::<T>::take(now, timeout);
			count.saturating_accrue(due.len() as u32);
			for task in due {
				if let Err(error) = with_storage_layer(|| Self::fire(task, timeout, now)) {
					Self::deposit_event(Event::TimeoutFailed { task, timeout, error });
				}
			}
		}
		T::WeightInfo::on_initialize(count).saturating_add(
			crate::settlement_rewards_weight::<T>()
				.saturating_add(crate::in_hand_weight::<T>())
				.saturating_add(crate::usage_meter_weight::<T>())
				.saturating_add(crate::offence_weight::<T>())
				.saturating_add(crate::failure_weight::<T>())
				.saturating_mul(u64::from(count)),
		)
	}

	fn fire(id: TaskId, timeout: Timeout, now: BlockNumberFor<T>) -> DispatchResult {
		let Some(mut task) = Tasks::<T>::get(id) else { return Ok(()) };
		match (timeout, task.state) {
			(Timeout::Ack, TaskState::Assigned { engagement, ack_by }) if ack_by == now => {
				Self::requeue_after_failure(id, task, engagement)
			}
			(Timeout::Deadline, state) if state == TaskState::Queued || state.occupies_gpus() => {
				let refunded = Self::end_unpaid(id, &mut task, RefundReason::Expired)?;
				Self::deposit_event(Event::TaskRefunded {
					task: id,
					reason: RefundReason::Expired,
					refunded,
				});
				Ok(())
			}
			// An audit under way settles or refunds the task with its verdict.
			(Timeout::Dispute, TaskState::Delivered { dispute_until, .. }) if dispute_until == now => {
				Self::settle_unless_audited(id, task)
			}
			(Timeout::Resolve, TaskState::Disputed { resolve_by, .. }) if resolve_by == now => {
				Self::settle_unless_audited(id, task)
			}
			(Timeout::Forget, state) if state.is_final() => {
				Self::forget(id, &task);
				Ok(())
			}
			_ => Ok(()),
		}
	}

	/// Drops an ended task's record and its index entries.
	fn forget(id: TaskId, task: &TaskOf<T>) {
		Tasks::<T>::remove(id);
		TasksOfOwner::<T>::remove(&task.owner, id);
		if let Some(engagement) = task.state.engagement() {
			TasksOfNode::<T>::remove(engagement.node, id);
		}
		Self::deposit_event(Event::TaskForgotten { task: id });
	}
}

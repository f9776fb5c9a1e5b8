//! A task's life on its node: acknowledge, start, metered usage, delivery, or failure; and what
//! happens when the node does not answer.

use crate::{pallet::*, types::*};
use frame_support::{ensure, pallet_prelude::*};
use sp_runtime::traits::Saturating;
use vcity_primitives::{
	Billing, DeliveryOutcome, DeliveryReporter, Digest, GpuSeconds, NodeId, NodeRegistry, TaskId,
};

impl<T: Config> Pallet<T> {
	/// The task, if `who` is the operator key of the node it is with.
	fn task_of_node(who: &T::AccountId, id: TaskId) -> Result<(TaskOf<T>, Engagement), DispatchError> {
		let task = Tasks::<T>::get(id).ok_or(Error::<T>::UnknownTask)?;
		let engagement = task.state.engagement().ok_or(Error::<T>::NotTaskNode)?;
		ensure!(T::Registry::node_of_operator(who) == Some(engagement.node), Error::<T>::NotTaskNode);
		Ok((task, engagement))
	}

	/// Gives a task's GPUs back to its node.
	fn free_node_gpus(node: NodeId, task: &TaskOf<T>) {
		GpusInUse::<T>::mutate_exists(node, |used| {
			let left = used.unwrap_or(0).saturating_sub(task.requirements.gpus);
			*used = (left > 0).then_some(left);
		});
	}

	pub(crate) fn do_acknowledge(who: T::AccountId, id: TaskId) -> DispatchResult {
		let (mut task, engagement) = Self::task_of_node(&who, id)?;
		ensure!(matches!(task.state, TaskState::Assigned { .. }), Error::<T>::WrongTaskState);
		task.state = TaskState::Acknowledged { engagement };
		Tasks::<T>::insert(id, task);
		Self::deposit_event(Event::TaskAcknowledged { task: id, node: engagement.node });
		Ok(())
	}

	pub(crate) fn do_start(who: T::AccountId, id: TaskId) -> DispatchResult {
		let (mut task, engagement) = Self::task_of_node(&who, id)?;
		ensure!(matches!(task.state, TaskState::Acknowledged { .. }), Error::<T>::WrongTaskState);
		task.state = TaskState::Running { engagement, used_gpu_seconds: 0 };
		Tasks::<T>::insert(id, task);
		Self::deposit_event(Event::TaskStarted { task: id, node: engagement.node });
		Ok(())
	}

	/// Metered usage may only grow and never beyond the task's size.
	fn ensure_valid_usage(task: &TaskOf<T>, previous: GpuSeconds, used: GpuSeconds) -> DispatchResult {
		ensure!(used >= previous, Error::<T>::UsageDecreased);
		ensure!(used <= task.size_gpu_seconds(), Error::<T>::UsageAboveSize);
		Ok(())
	}

	pub(crate) fn do_report_usage(who: T::AccountId, id: TaskId, used: GpuSeconds) -> DispatchResult {
		let (mut task, engagement) = Self::task_of_node(&who, id)?;
		let TaskState::Running { used_gpu_seconds, .. } = task.state else {
			return Err(Error::<T>::WrongTaskState.into());
		};
		Self::ensure_valid_usage(&task, used_gpu_seconds, used)?;
		task.state = TaskState::Running { engagement, used_gpu_seconds: used };
		Tasks::<T>::insert(id, task);
		Self::deposit_event(Event::UsageReported { task: id, used_gpu_seconds: used });
		Ok(())
	}

	pub(crate) fn do_complete(
		who: T::AccountId,
		id: TaskId,
		result: Digest,
		used: GpuSeconds,
	) -> DispatchResult {
		let (mut task, engagement) = Self::task_of_node(&who, id)?;
		let TaskState::Running { used_gpu_seconds, .. } = task.state else {
			return Err(Error::<T>::WrongTaskState.into());
		};
		Self::ensure_valid_usage(&task, used_gpu_seconds, used)?;
		let billed_gpu_seconds = match task.billing {
			Billing::PerTask => task.size_gpu_seconds(),
			Billing::Metered => used,
		};
		let params = Self::params()?;
		let now = frame_system::Pallet::<T>::block_number();
		let dispute_until = Self::free_timeout_slot(now.saturating_add(params.dispute_window))?;

		Self::push_timeout(dispute_until, id, Timeout::Dispute)?;
		Self::free_node_gpus(engagement.node, &task);
		task.state = TaskState::Delivered { engagement, billed_gpu_seconds, result, dispute_until };
		Tasks::<T>::insert(id, task);
		Self::deposit_event(Event::TaskDelivered {
			task: id,
			node: engagement.node,
			result,
			billed_gpu_seconds,
			dispute_until,
		});
		Ok(())
	}

	pub(crate) fn do_report_failure(who: T::AccountId, id: TaskId) -> DispatchResult {
		let (mut task, _) = Self::task_of_node(&who, id)?;
		ensure!(task.state.occupies_gpus(), Error::<T>::WrongTaskState);
		let refunded = Self::end_unpaid(id, &mut task, RefundReason::NodeFailed)?;
		Self::deposit_event(Event::TaskRefunded { task: id, reason: RefundReason::NodeFailed, refunded });
		Ok(())
	}

	/// The node let its acknowledgement window pass: the task goes back to the queue and the
	/// node's reputation records a failure.
	pub(crate) fn requeue(id: TaskId, mut task: TaskOf<T>, engagement: Engagement) -> DispatchResult {
		Self::free_node_gpus(engagement.node, &task);
		task.state = TaskState::Queued;
		Tasks::<T>::insert(id, task);
		QueuedTasks::<T>::insert(id, ());
		TasksOfNode::<T>::remove(engagement.node, id);
		Stats::<T>::mutate(|s| {
			s.in_progress.saturating_dec();
			s.queued.saturating_inc();
		});
		T::Reputation::report_delivery(engagement.node, DeliveryOutcome::Failed)?;
		Self::deposit_event(Event::TaskRequeued { task: id, node: engagement.node });
		Ok(())
	}

	/// Ends a task without payment: the whole escrow goes back, the node's GPUs are freed and,
	/// if a node had taken the task, its reputation records a failure (except on the owner's
	/// own cancellation, which only a queued task allows). Returns the amount refunded.
	pub(crate) fn end_unpaid(
		id: TaskId,
		task: &mut TaskOf<T>,
		reason: RefundReason,
	) -> Result<vcity_primitives::Balance, DispatchError> {
		let engagement = task.state.engagement();
		let was_queued = task.state == TaskState::Queued;
		if let Some(engagement) = engagement {
			if task.state.occupies_gpus() {
				Self::free_node_gpus(engagement.node, task);
			}
			T::Reputation::report_delivery(engagement.node, DeliveryOutcome::Failed)?;
		}
		let refunded = Self::release_escrow(task)?;
		task.state = TaskState::Refunded { reason, engagement };
		let forget_at = Self::forget_slot();
		Tasks::<T>::insert(id, &*task);
		if was_queued {
			QueuedTasks::<T>::remove(id);
		}
		if let Some(at) = forget_at {
			Self::push_timeout(at, id, Timeout::Forget)?;
		}
		Stats::<T>::mutate(|s| {
			if was_queued {
				s.queued.saturating_dec();
			} else {
				s.in_progress.saturating_dec();
			}
			s.refunded.saturating_inc();
		});
		Ok(refunded)
	}
}

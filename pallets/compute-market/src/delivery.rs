//! A task's life on its node: acknowledge or decline, start, metered usage, delivery, or giving
//! up; and what happens when the node does not answer or the deadline passes.
//!
//! Reputation is only docked for what the node chose: letting the acknowledgement window pass,
//! not starting a task it acknowledged, or giving one up. Declining an unwanted assignment costs
//! nothing, so sending a node work it cannot run is no way to hurt it. Every failure counts
//! against the scheduler that made the assignment too: a scheduler answers for its picks.
//!
//! Billing never exceeds the time run: a per-task price is paid for the GPUs × the chain time
//! from start to delivery, up to the task's size, and metered usage is held to the same bound.

use crate::{pallet::*, types::*};
use frame_support::{ensure, pallet_prelude::*};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{One, Saturating, UniqueSaturatedInto};
use vcity_primitives::{
	Balance, Billing, Clock, DeliveryAudits, DeliveryOutcome, DeliveryReporter, Digest, GpuSeconds, NodeId,
	NodeRegistry, NodeStatus, Offence, OffenceEvidence, OffenceReport, OffenceReporter, TaskId, Workload,
};

impl<T: Config> Pallet<T> {
	/// The task, if `who` is the operator key of the node it is with.
	fn task_of_node(who: &T::AccountId, id: TaskId) -> Result<(TaskOf<T>, Engagement), DispatchError> {
		let task = Tasks::<T>::get(id).ok_or(Error::<T>::Rejected(Rejection::UnknownTask))?;
		let engagement = task.state.engagement().ok_or(Error::<T>::NotTaskNode)?;
		ensure!(T::Registry::node_of_operator(who) == Some(engagement.node), Error::<T>::NotTaskNode);
		Ok((task, engagement))
	}

	/// A suspended, unbonding or offline node takes on no more work: it may not acknowledge or
	/// start a task (it may still deliver one it is running, or give it up).
	fn ensure_node_online(node: NodeId) -> DispatchResult {
		let online = T::Registry::profile(node).is_some_and(|p| p.status == NodeStatus::Online);
		ensure!(online, Error::<T>::Rejected(Rejection::NodeNotOnline));
		Ok(())
	}

	/// Gives a task's GPUs back to its node: the task leaves the node's hands (and its
	/// commitment, if it had acknowledged the task).
	fn free_node_gpus(node: NodeId, id: TaskId, task: &TaskOf<T>) {
		let assigned_at = TasksInHand::<T>::take(node, id).unwrap_or_default();
		if matches!(task.state, TaskState::Acknowledged { .. } | TaskState::Running { .. }) {
			CommittedTasks::<T>::mutate_exists(node, |count| {
				let left = count.unwrap_or(0).saturating_sub(1);
				*count = (left > 0).then_some(left);
			});
		}
		let in_use = GpusInUse::<T>::mutate_exists(node, |used| {
			let left = used.unwrap_or(0).saturating_sub(task.requirements.gpus);
			*used = (left > 0).then_some(left);
			left
		});
		T::Audits::gpus_freed(node, task.requirements.gpus, assigned_at.unique_saturated_into(), in_use);
	}

	pub(crate) fn do_acknowledge(who: T::AccountId, id: TaskId) -> DispatchResult {
		let (mut task, engagement) = Self::task_of_node(&who, id)?;
		let TaskState::Assigned { ack_by, .. } = task.state else {
			return Err(Error::<T>::WrongTaskState.into());
		};
		ensure!(frame_system::Pallet::<T>::block_number() < ack_by, Error::<T>::WrongTaskState);
		Self::ensure_node_online(engagement.node)?;
		Self::remove_timeout(ack_by, Timeout::Ack, id);
		let acked_at = frame_system::Pallet::<T>::block_number();
		CommittedTasks::<T>::mutate(engagement.node, |count| count.saturating_inc());
		task.state = TaskState::Acknowledged { engagement, acked_at };
		Tasks::<T>::insert(id, task);
		Self::deposit_event(Event::TaskAcknowledged { task: id, node: engagement.node });
		Ok(())
	}

	/// The node will not run the task (its agent cannot, or the terms do not suit it): the task
	/// goes back to the queue, never to be offered to this node again, and ends refunded once
	/// [`MAX_DECLINES`] nodes have turned it down.
	pub(crate) fn do_decline(who: T::AccountId, id: TaskId) -> DispatchResult {
		let (mut task, engagement) = Self::task_of_node(&who, id)?;
		let TaskState::Assigned { ack_by, .. } = task.state else {
			return Err(Error::<T>::WrongTaskState.into());
		};
		Self::remove_timeout(ack_by, Timeout::Ack, id);
		// A node is assigned a task at most once after declining it, so the list only fills with
		// distinct nodes; when it is full this decline is the last.
		let recorded = task.declined_by.try_push(engagement.node).is_ok();
		Self::deposit_event(Event::TaskDeclined { task: id, node: engagement.node });
		if recorded && !task.declined_by.is_full() {
			Self::return_to_queue(id, task, engagement);
		} else {
			let refunded = Self::end_unpaid(id, &mut task, RefundReason::Declined)?;
			Self::deposit_event(Event::TaskRefunded { task: id, reason: RefundReason::Declined, refunded });
		}
		Ok(())
	}

	pub(crate) fn do_start(who: T::AccountId, id: TaskId) -> DispatchResult {
		let (mut task, engagement) = Self::task_of_node(&who, id)?;
		ensure!(matches!(task.state, TaskState::Acknowledged { .. }), Error::<T>::WrongTaskState);
		Self::ensure_node_online(engagement.node)?;
		// Started now, it could not run its seconds before the deadline: the node gives it up
		// (`report_failure`) for another node, or sits on it at its own record's cost
		// (`counts_against_node`); a late start must not make holding it free.
		ensure!(
			frame_system::Pallet::<T>::block_number().saturating_add(Self::run_blocks(task.seconds))
				<= task.deadline,
			Error::<T>::Rejected(Rejection::DeadlineTooClose)
		);
		// Only compute bought from someone else's node is consumption: a node's owner renting
		// their own node moves no utilization.
		let bought = T::Registry::profile(engagement.node)
			.is_some_and(|node| task.owner != node.owner && task.owner != node.operator);
		if bought {
			Self::start_usage(&mut task);
		}
		task.state = TaskState::Running { engagement, started_ms: T::Clock::now_ms(), used_gpu_seconds: 0 };
		Tasks::<T>::insert(id, task);
		Self::deposit_event(Event::TaskStarted { task: id, node: engagement.node });
		Ok(())
	}

	/// The task's GPUs × the chain time since it started, in whole seconds rounded up (a node's
	/// own clock may run a little ahead of the block's): the most any billing may charge now.
	pub(crate) fn elapsed_gpu_seconds(task: &TaskOf<T>, started_ms: u64) -> GpuSeconds {
		let elapsed_seconds = T::Clock::now_ms().saturating_sub(started_ms).div_ceil(1_000);
		elapsed_seconds.saturating_mul(u64::from(task.requirements.gpus))
	}

	/// Metered usage may only grow, never beyond the task's size, and never beyond its GPUs
	/// times the chain time since it started: a node cannot bill an hour it has not run.
	fn ensure_valid_usage(
		task: &TaskOf<T>,
		started_ms: u64,
		previous: GpuSeconds,
		used: GpuSeconds,
	) -> DispatchResult {
		ensure!(used >= previous, Error::<T>::UsageDecreased);
		ensure!(used <= task.size_gpu_seconds(), Error::<T>::UsageAboveSize);
		ensure!(
			task.billing == Billing::PerTask || used <= Self::elapsed_gpu_seconds(task, started_ms),
			Error::<T>::UsageAboveElapsed
		);
		Ok(())
	}

	pub(crate) fn do_report_usage(who: T::AccountId, id: TaskId, used: GpuSeconds) -> DispatchResult {
		let (mut task, engagement) = Self::task_of_node(&who, id)?;
		let TaskState::Running { started_ms, used_gpu_seconds, .. } = task.state else {
			return Err(Error::<T>::WrongTaskState.into());
		};
		Self::ensure_valid_usage(&task, started_ms, used_gpu_seconds, used)?;
		task.state = TaskState::Running { engagement, started_ms, used_gpu_seconds: used };
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
		let TaskState::Running { started_ms, used_gpu_seconds, .. } = task.state else {
			return Err(Error::<T>::WrongTaskState.into());
		};
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now <= task.deadline, Error::<T>::DeadlinePassed);
		Self::ensure_valid_usage(&task, started_ms, used_gpu_seconds, used)?;
		// A per-task price covers the time the task ran, up to its size: finishing at once
		// bills nothing, so no delivery is bought without GPUs held for it.
		let billed_gpu_seconds = match task.billing {
			Billing::PerTask => task.size_gpu_seconds().min(Self::elapsed_gpu_seconds(&task, started_ms)),
			Billing::Metered => used,
		};
		let params = Self::params()?;
		let dispute_until =
			Self::free_timeout_slot(Self::window_end(now, params.dispute_window), Timeout::Dispute)?;

		Self::push_timeout(dispute_until, id, Timeout::Dispute)?;
		Self::remove_timeout(task.deadline_slot, Timeout::Deadline, id);
		Self::free_node_gpus(engagement.node, id, &task);
		Self::stop_usage(&mut task, started_ms);
		task.state = TaskState::Delivered { engagement, billed_gpu_seconds, result, dispute_until };
		let recomputable = matches!(task.workload, Workload::Builtin(_));
		Tasks::<T>::insert(id, task);
		if recomputable {
			T::Audits::delivered(id);
		}
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
		let (task, engagement) = Self::task_of_node(&who, id)?;
		ensure!(
			matches!(task.state, TaskState::Acknowledged { .. } | TaskState::Running { .. }),
			Error::<T>::WrongTaskState
		);
		Self::requeue_after_failure(id, task, engagement)
	}

	/// The first block after a window of `window` blocks that opens now: the window's last
	/// block is `now + window`, so the timeout fires in the block after it.
	pub(crate) fn window_end(now: BlockNumberFor<T>, window: BlockNumberFor<T>) -> BlockNumberFor<T> {
		now.saturating_add(window).saturating_add(One::one())
	}

	/// A task the node took has ended or left it.
	pub(crate) fn close_on_node(node: NodeId) {
		OpenTasksOfNode::<T>::mutate_exists(node, |open| {
			let left = open.unwrap_or(0).saturating_sub(1);
			*open = (left > 0).then_some(left);
		});
	}

	/// A failure of the node, and of the scheduler that gave it the task if the scheduler has
	/// not answered for this node in this period yet: a scheduler answers for its choice of a
	/// node, not for each task a node it chose drops, or one node failing a batch on purpose
	/// would bar an honest scheduler.
	pub(crate) fn record_failure(engagement: &Engagement) -> DispatchResult {
		T::Reputation::report_delivery(engagement.node, DeliveryOutcome::Failed)?;
		if let Some(scheduler) = engagement.scheduler {
			if Self::charge_scheduler(scheduler, engagement.node) {
				T::Reputation::report_delivery(scheduler, DeliveryOutcome::Failed)?;
			}
		}
		Ok(())
	}

	/// A lapsed acknowledgement window: the node's failure (and its scheduler's), once for all
	/// the assignments the node let lapse in this block ([`LapsesCharged`]).
	fn record_lapse(engagement: &Engagement) -> DispatchResult {
		let now = frame_system::Pallet::<T>::block_number();
		let first = LapsesCharged::<T>::mutate(|(block, nodes)| {
			if *block != now {
				*block = now;
				nodes.clear();
			}
			if nodes.contains(&engagement.node) {
				return false;
			}
			// A full list charges every lapse after it: it only ever spares.
			let _ = nodes.try_push(engagement.node);
			true
		});
		if first {
			Self::record_failure(engagement)?;
		}
		Ok(())
	}

	/// Notes that `scheduler` answers for a failure of `node` in this period; false if it
	/// already has.
	fn charge_scheduler(scheduler: NodeId, node: NodeId) -> bool {
		let period = T::Clock::period_index();
		SchedulerCharges::<T>::mutate(scheduler, |charges| {
			if charges.contains(&(node, period)) {
				return false;
			}
			charges.retain(|(_, charged_in)| *charged_in == period);
			if charges.is_full() {
				charges.remove(0);
			}
			let _ = charges.try_push((node, period));
			true
		})
	}

	/// Takes a task back from its node and queues it for another.
	pub(crate) fn return_to_queue(id: TaskId, mut task: TaskOf<T>, engagement: Engagement) {
		Self::void_usage(&mut task);
		Self::free_node_gpus(engagement.node, id, &task);
		Self::close_on_node(engagement.node);
		task.state = TaskState::Queued;
		Tasks::<T>::insert(id, task);
		QueuedTasks::<T>::insert(id, ());
		TasksOfNode::<T>::remove(engagement.node, id);
		Stats::<T>::mutate(|s| {
			s.in_progress.saturating_dec();
			s.queued.saturating_inc();
		});
	}

	/// The node let its acknowledgement window pass or gave the task up: its reputation records
	/// a failure and the task goes back to the queue, so a node that takes tasks and drops them
	/// cannot end them for their owner. Once no node could finish before the deadline, the
	/// queue has nothing to offer and the task ends with its escrow refunded.
	pub(crate) fn requeue_after_failure(
		id: TaskId,
		task: TaskOf<T>,
		engagement: Engagement,
	) -> DispatchResult {
		let params = Self::params()?;
		let lapsed = matches!(task.state, TaskState::Assigned { .. });
		if Self::deliverable_from_now(task.seconds, task.deadline, &params) {
			Self::return_to_queue(id, task, engagement);
			if lapsed {
				Self::record_lapse(&engagement)?;
			} else {
				Self::record_failure(&engagement)?;
			}
			Self::deposit_event(Event::TaskRequeued { task: id, node: engagement.node });
		} else {
			let mut task = task;
			// `end_unpaid` records the failure of a node that had acknowledged; one that let its
			// acknowledgement window pass fails here, or lapsing near the deadline would be free.
			if lapsed {
				Self::record_lapse(&engagement)?;
			}
			let refunded = Self::end_unpaid(id, &mut task, RefundReason::NodeFailed)?;
			Self::deposit_event(Event::TaskRefunded { task: id, reason: RefundReason::NodeFailed, refunded });
		}
		Ok(())
	}

	pub(crate) fn do_expire(id: TaskId) -> DispatchResult {
		let mut task = Tasks::<T>::get(id).ok_or(Error::<T>::Rejected(Rejection::UnknownTask))?;
		ensure!(task.state == TaskState::Queued || task.state.occupies_gpus(), Error::<T>::WrongTaskState);
		ensure!(frame_system::Pallet::<T>::block_number() > task.deadline, Error::<T>::DeadlineNotReached);
		let refunded = Self::end_unpaid(id, &mut task, RefundReason::Expired)?;
		Self::deposit_event(Event::TaskRefunded { task: id, reason: RefundReason::Expired, refunded });
		Ok(())
	}

	/// The chain time after which a task started at `started_ms` is overdue: its seconds and a
	/// start window's grace. Its owner may cancel it from then, and a deadline passing after it
	/// is the node's failure.
	pub(crate) fn overdue_from(
		task: &TaskOf<T>,
		started_ms: u64,
		params: &MarketParams<BlockNumberFor<T>>,
	) -> u64 {
		let start_window: u64 = params.start_window.unique_saturated_into();
		let grace_ms = start_window.saturating_mul(T::BlockTimeMs::get());
		started_ms.saturating_add(task.seconds.saturating_mul(1_000)).saturating_add(grace_ms)
	}

	/// Whether the node is to blame for its task ending unpaid for `reason`
	/// (docs/slashing.md#what-the-market-reports). A deadline that came before the node could
	/// have finished is the deadline's: acknowledged, it still had its start window; running, the
	/// task's seconds and a start window's grace had not passed since it started. Otherwise a
	/// scheduler and a user acting together could set a deadline no node meets and be paid the
	/// node's slash as compensation.
	pub(crate) fn node_failed_delivery(task: &TaskOf<T>, reason: RefundReason) -> bool {
		if !reason.is_failed_delivery() {
			return false;
		}
		if reason != RefundReason::Expired {
			return true;
		}
		let Ok(params) = Self::params() else { return false };
		match task.state {
			TaskState::Acknowledged { acked_at, .. } => {
				acked_at.saturating_add(params.start_window) < task.deadline
			}
			TaskState::Running { started_ms, .. } => {
				Self::expired_at_ms(task) > Self::overdue_from(task, started_ms, &params)
			}
			_ => false,
		}
	}

	/// The chain time the task's deadline ran out: the end of its deadline block, however much
	/// later its expiry was handled (a full timeout queue, a late `expire_task`), so what is
	/// held against the node does not depend on when someone else acted.
	fn expired_at_ms(task: &TaskOf<T>) -> u64 {
		let now = frame_system::Pallet::<T>::block_number();
		let late: u64 = now.saturating_sub(task.deadline.saturating_add(One::one())).unique_saturated_into();
		T::Clock::now_ms().saturating_sub(late.saturating_mul(T::BlockTimeMs::get()))
	}

	/// Whether a task ending unpaid for `reason` goes on its committed node's record (and its
	/// scheduler's). Giving it up, a false result and a failed delivery do. An expiry does when
	/// the node had the time: acknowledged early enough to run the task's seconds before the
	/// deadline, or started long enough before it to have run them (a start too late to finish is
	/// refused). A deadline that came sooner is the task's own terms; a cancellation before any
	/// node took it, a decline or a ban is no one's failure. `end_unpaid` also records every
	/// failed delivery ([`Self::node_failed_delivery`], which may take stake), so a slashable
	/// failure is always a failure on the record too, and a node sitting on a task it could have
	/// finished loses reputation even inside the grace a slash allows.
	pub(crate) fn counts_against_node(task: &TaskOf<T>, reason: RefundReason) -> bool {
		match reason {
			RefundReason::NodeFailed
			| RefundReason::FalseResult
			| RefundReason::NotStarted
			| RefundReason::Overdue
			| RefundReason::DisputeUpheld => true,
			RefundReason::Expired => match task.state {
				TaskState::Acknowledged { acked_at, .. } => {
					acked_at.saturating_add(Self::run_blocks(task.seconds)) <= task.deadline
				}
				TaskState::Running { started_ms, .. } => {
					started_ms.saturating_add(task.seconds.saturating_mul(1_000)) <= Self::expired_at_ms(task)
				}
				_ => false,
			},
			RefundReason::Cancelled | RefundReason::Declined | RefundReason::NodeBanned => false,
		}
	}

	/// Who a failed task hit, and what it would have paid: the agreed price for its whole size
	/// (never more than the escrow), not the escrow, whose maximum price the user chose alone.
	/// A task the node's own owner or operator bought hit no one: the node's slash must not
	/// flow back to its owner as compensation.
	pub(crate) fn victim_of(task: &TaskOf<T>, engagement: &Engagement) -> Option<(T::AccountId, Balance)> {
		let node = T::Registry::profile(engagement.node)?;
		if task.owner == node.owner || task.owner == node.operator {
			return None;
		}
		let worth = vcity_primitives::compute_cost(
			engagement.price_per_gpu_hour,
			task.requirements.gpus,
			task.seconds,
		)?
		.min(task.escrow);
		Some((task.owner.clone(), worth))
	}

	/// Ends a task without payment: the whole escrow goes back, the node's GPUs are freed and,
	/// if a node had acknowledged the task, its reputation records a failure. Returns the amount
	/// refunded.
	pub(crate) fn end_unpaid(
		id: TaskId,
		task: &mut TaskOf<T>,
		reason: RefundReason,
	) -> Result<Balance, DispatchError> {
		Self::void_usage(task);
		let engagement = task.state.engagement();
		let was_queued = task.state == TaskState::Queued;
		let node_was_committed = !matches!(task.state, TaskState::Queued | TaskState::Assigned { .. });
		match task.state {
			TaskState::Assigned { ack_by, .. } => Self::remove_timeout(ack_by, Timeout::Ack, id),
			TaskState::Delivered { dispute_until, .. } => {
				Self::remove_timeout(dispute_until, Timeout::Dispute, id)
			}
			TaskState::Disputed { resolve_by, .. } => Self::remove_timeout(resolve_by, Timeout::Resolve, id),
			_ => {}
		}
		if let Some(engagement) = engagement {
			if task.state.occupies_gpus() {
				Self::free_node_gpus(engagement.node, id, task);
			}
			Self::close_on_node(engagement.node);
			let failed_delivery = node_was_committed && Self::node_failed_delivery(task, reason);
			if node_was_committed && (failed_delivery || Self::counts_against_node(task, reason)) {
				Self::record_failure(&engagement)?;
			}
			if failed_delivery {
				T::Offences::report_offence(OffenceReport {
					node: engagement.node,
					offence: Offence::FailedDelivery,
					evidence: OffenceEvidence::Task(id),
					victim: Self::victim_of(task, &engagement),
					reporters: alloc::vec::Vec::new(),
				});
			}
		}
		Self::remove_timeout(task.deadline_slot, Timeout::Deadline, id);
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

//! The invariants `try_state` checks. The per-block work itself is the timeout queue
//! (`timeouts.rs`).

use crate::pallet::*;

impl<T: Config> Pallet<T> {
	/// Invariants:
	/// - escrow is exact: for every owner, USDV held under [`HoldReason::TaskEscrow`] equals the
	///   escrow of their open tasks, and the counters' escrow equals the sum over all tasks;
	/// - no funds appear or vanish: each task's escrow, paid and refunded add up to the maximum
	///   cost held when it was submitted, and an ended task holds nothing;
	/// - the indexes agree with the tasks: queued tasks, GPUs in use and open tasks per node,
	///   owner and node listings, and the queued and in-progress counters;
	/// - every open task ends: each waiting step has its timeout queued (or its block has passed,
	///   when the timeout failed and the permissionless calls must finish it);
	/// - the consumption meter counts exactly the GPUs of the running tasks that count, and a
	///   task records consumption only while it may still be paid for it;
	/// - a task never lists more declines than [`MAX_DECLINES`] nor the same node twice.
	// Native builds have it too, so other pallets' tests and the runtime's check these invariants
	// after their own flows; the wasm runtime carries it only with `try-runtime`.
	#[cfg(any(feature = "try-runtime", feature = "std"))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use crate::types::*;
		use alloc::collections::btree_map::BTreeMap;
		use frame_support::{ensure, traits::fungible::InspectHold};
		use sp_runtime::traits::Saturating;
		use vcity_primitives::{compute_cost, Balance, NodeId};

		let mut escrow_by_owner: BTreeMap<T::AccountId, Balance> = BTreeMap::new();
		let mut gpus_by_node: BTreeMap<NodeId, u32> = BTreeMap::new();
		let mut open_by_node: BTreeMap<NodeId, u32> = BTreeMap::new();
		let mut committed_by_node: BTreeMap<NodeId, u32> = BTreeMap::new();
		let now = frame_system::Pallet::<T>::block_number();
		let queued_at = |block, timeout, id| now >= block || Timeouts::<T>::get(block, timeout).contains(&id);
		let (mut escrow, mut queued, mut in_progress) = (0 as Balance, 0u32, 0u32);
		let mut running_counted: u64 = 0;
		let next = NextTaskId::<T>::get();
		for (id, task) in Tasks::<T>::iter() {
			ensure!(id < next, "a task id is not below NextTaskId");
			let held_at_submit =
				compute_cost(task.max_price_per_gpu_hour, task.requirements.gpus, task.seconds)
					.ok_or("a task's maximum cost overflows")?;
			ensure!(
				task.escrow.saturating_add(task.paid).saturating_add(task.refunded) == held_at_submit,
				"escrow, payments and refunds of a task do not add up to its deposit"
			);
			ensure!(!task.state.is_final() || task.escrow == 0, "an ended task still holds escrow");
			ensure!(TasksOfOwner::<T>::contains_key(&task.owner, id), "owner index misses a task");
			ensure!(
				QueuedTasks::<T>::contains_key(id) == (task.state == TaskState::Queued),
				"queue index disagrees with a task"
			);
			let waiting_on = match task.state {
				TaskState::Assigned { ack_by, .. } => Some((ack_by, Timeout::Ack)),
				TaskState::Delivered { dispute_until, .. } => Some((dispute_until, Timeout::Dispute)),
				TaskState::Disputed { resolve_by, .. } => Some((resolve_by, Timeout::Resolve)),
				_ => None,
			};
			if let Some((block, timeout)) = waiting_on {
				ensure!(queued_at(block, timeout, id), "a task waits on a timeout that is not queued");
			}
			if task.state == TaskState::Queued || task.state.occupies_gpus() {
				ensure!(
					queued_at(task.deadline_slot, Timeout::Deadline, id),
					"an open task's deadline is not queued"
				);
			}
			if let Some(engagement) = task.state.engagement() {
				ensure!(TasksOfNode::<T>::contains_key(engagement.node, id), "node index misses a task");
				if !task.state.is_final() {
					open_by_node.entry(engagement.node).or_default().saturating_inc();
				}
				if matches!(task.state, TaskState::Acknowledged { .. } | TaskState::Running { .. }) {
					committed_by_node.entry(engagement.node).or_default().saturating_inc();
				}
				if task.state.occupies_gpus() {
					gpus_by_node
						.entry(engagement.node)
						.or_default()
						.saturating_accrue(task.requirements.gpus);
				}
			}
			if task.counts_as_usage {
				match task.state {
					TaskState::Running { .. } => {
						running_counted.saturating_accrue(u64::from(task.requirements.gpus))
					}
					TaskState::Delivered { .. } | TaskState::Disputed { .. } => {}
					_ => {
						ensure!(task.counted_gpu_ms == 0, "an ended or waiting task still holds consumption")
					}
				}
			}
			let mut declined = task.declined_by.to_vec();
			declined.sort();
			declined.dedup();
			ensure!(declined.len() == task.declined_by.len(), "a node declined a task twice");
			escrow_by_owner.entry(task.owner.clone()).or_default().saturating_accrue(task.escrow);
			escrow.saturating_accrue(task.escrow);
			match task.state {
				TaskState::Queued => queued.saturating_inc(),
				ref state if !state.is_final() => in_progress.saturating_inc(),
				_ => {}
			}
		}
		for (owner, expected) in escrow_by_owner {
			let held = T::Stablecoin::balance_on_hold(&HoldReason::TaskEscrow.into(), &owner);
			ensure!(held == expected, "USDV held from an owner differs from the escrow of their tasks");
		}
		ensure!(
			RunningGpus::<T>::get() == running_counted,
			"the consumption meter's running GPUs disagree with tasks"
		);
		let stats = Stats::<T>::get();
		ensure!(stats.escrow == escrow, "escrow counter differs from the sum over tasks");
		ensure!(stats.queued == queued && stats.in_progress == in_progress, "task counters disagree");
		for (node, used) in GpusInUse::<T>::iter() {
			ensure!(gpus_by_node.remove(&node) == Some(used), "GPUs in use disagree with tasks");
		}
		ensure!(gpus_by_node.is_empty(), "a node's GPUs are taken by tasks but not counted");
		for (node, open) in OpenTasksOfNode::<T>::iter() {
			ensure!(open_by_node.remove(&node) == Some(open), "open tasks of a node disagree with tasks");
		}
		ensure!(open_by_node.is_empty(), "a node has open tasks that are not counted");
		for (node, committed) in CommittedTasks::<T>::iter() {
			ensure!(
				committed_by_node.remove(&node) == Some(committed),
				"committed tasks of a node disagree with tasks"
			);
		}
		ensure!(committed_by_node.is_empty(), "a node has committed tasks that are not counted");
		for id in QueuedTasks::<T>::iter_keys() {
			ensure!(Tasks::<T>::contains_key(id), "the queue names an unknown task");
		}
		for (_, id, ()) in TasksOfOwner::<T>::iter() {
			ensure!(Tasks::<T>::contains_key(id), "owner index names an unknown task");
		}
		for (_, id, ()) in TasksOfNode::<T>::iter() {
			ensure!(Tasks::<T>::contains_key(id), "node index names an unknown task");
		}
		for (node, id, _) in TasksInHand::<T>::iter() {
			let held = Tasks::<T>::get(id)
				.and_then(|task| task.state.occupies_gpus().then(|| task.state.engagement()).flatten());
			ensure!(held.is_some_and(|e| e.node == node), "a task in a node's hands does not hold its GPUs");
		}
		for (id, task) in Tasks::<T>::iter() {
			if let (true, Some(engagement)) = (task.state.occupies_gpus(), task.state.engagement()) {
				ensure!(
					TasksInHand::<T>::contains_key(engagement.node, id),
					"a task holding GPUs is not in hand"
				);
			}
		}
		Ok(())
	}
}

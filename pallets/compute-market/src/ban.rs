//! What a ban ends: the tasks in the banned node's hands go back to the queue, or are refunded
//! when no other node could still finish them. Its delivered tasks are refunded when they would
//! settle (`settle.rs`): no result of a banned node is paid.

use crate::{pallet::*, timeouts_weight, types::*};
use frame_support::{pallet_prelude::*, traits::Get};
use vcity_primitives::{NodeId, OnNodeBanned, TaskId};

impl<T: Config> OnNodeBanned for Pallet<T> {
	fn node_banned(node: NodeId) -> Weight {
		// Each task in hand holds at least one of the node's GPUs: at most `MaxGpusPerNode`.
		let in_hand: alloc::vec::Vec<TaskId> = TasksInHand::<T>::iter_key_prefix(node).collect();
		let count = in_hand.len() as u64;
		for id in in_hand {
			if let Err(error) = frame_support::storage::with_storage_layer(|| Self::take_back(id)) {
				Self::deposit_event(Event::TaskTakeBackFailed { task: id, error });
			}
		}
		timeouts_weight::<T>(1).saturating_mul(count).saturating_add(T::DbWeight::get().reads(1))
	}

	fn node_banned_weight() -> Weight {
		timeouts_weight::<T>(1)
			.saturating_mul(u64::from(T::MaxGpusPerNode::get()))
			.saturating_add(T::DbWeight::get().reads(1))
	}
}

impl<T: Config> Pallet<T> {
	/// Takes a task back from a banned node.
	fn take_back(id: TaskId) -> DispatchResult {
		let Some(mut task) = Tasks::<T>::get(id) else { return Ok(()) };
		let Some(engagement) = task.state.engagement().filter(|_| task.state.occupies_gpus()) else {
			return Ok(());
		};
		let params = Self::params()?;
		if Self::deliverable_from_now(task.seconds, task.deadline, &params) {
			if let TaskState::Assigned { ack_by, .. } = task.state {
				Self::remove_timeout(ack_by, Timeout::Ack, id);
			}
			Self::return_to_queue(id, task, engagement);
			Self::deposit_event(Event::TaskRequeued { task: id, node: engagement.node });
		} else {
			let refunded = Self::end_unpaid(id, &mut task, RefundReason::NodeBanned)?;
			Self::deposit_event(Event::TaskRefunded { task: id, reason: RefundReason::NodeBanned, refunded });
		}
		Ok(())
	}
}

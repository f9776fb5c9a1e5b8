//! Storage migrations of the market.

use crate::{pallet::*, types::TaskState};
use frame_support::{migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade};
use sp_runtime::traits::Saturating;

/// Version 1 counts each node's committed tasks (acknowledged or running) in
/// [`CommittedTasks`], which the registry asks when a node stops beating: downtime with work
/// committed is an offence. This counts the tasks version 0 left in the nodes' hands.
///
/// Only the tasks in hand are read (each holds a GPU, so at most the network's GPUs): a read of
/// the index entry and of the task each, a write per node with committed tasks. 10,000 tasks in
/// hand take 0.16 s at ParityDB's weights; the networks on version 0 hold far fewer.
pub mod v1 {
	use super::*;

	pub struct CountCommittedTasks<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for CountCommittedTasks<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut counts: alloc::collections::BTreeMap<vcity_primitives::NodeId, u32> = Default::default();
			let mut reads = 0u64;
			for (node, task) in TasksInHand::<T>::iter_keys() {
				reads.saturating_accrue(2);
				let committed = Tasks::<T>::get(task).is_some_and(|t| {
					matches!(t.state, TaskState::Acknowledged { .. } | TaskState::Running { .. })
				});
				if committed {
					counts.entry(node).or_default().saturating_inc();
				}
			}
			for (node, count) in &counts {
				CommittedTasks::<T>::insert(node, count);
			}
			T::DbWeight::get().reads_writes(reads, counts.len() as u64)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			Pallet::<T>::do_try_state()
		}
	}

	/// Runs once, on a chain whose market is at storage version 0, and sets version 1.
	pub type MigrateV0ToV1<T> =
		VersionedMigration<0, 1, CountCommittedTasks<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}

/// Version 2 keeps, with each task in a node's hands, the block it was assigned in: a capacity
/// challenge a node owes for the GPUs its tasks held at a draw waits for those tasks alone
/// (docs/verification.md#busy-nodes-owe-their-challenge). Version 1 kept no block, so every task
/// in hand is given block 0: it was assigned before any draw, and a challenge owed for it
/// counts its GPUs, the strict reading.
///
/// One read and one write a task in hand, at most the network's GPUs.
pub mod v2 {
	use super::*;

	pub struct RecordAssignmentBlock<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for RecordAssignmentBlock<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut moved = 0u64;
			TasksInHand::<T>::translate::<(), _>(|_node, _task, ()| {
				moved.saturating_inc();
				Some(Zero::zero())
			});
			T::DbWeight::get().reads_writes(moved, moved)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			Pallet::<T>::do_try_state()
		}
	}

	/// Runs once, on a chain whose market is at storage version 1, and sets version 2.
	pub type MigrateV1ToV2<T> =
		VersionedMigration<1, 2, RecordAssignmentBlock<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}

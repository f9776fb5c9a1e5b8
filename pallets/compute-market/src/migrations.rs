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
			for (node, task, ()) in TasksInHand::<T>::iter() {
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

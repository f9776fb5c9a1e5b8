//! Storage migrations of the rewards.

use crate::pallet::*;
use frame_support::{migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade};

/// Version 0 kept a node's points after they were claimed, flagged `claimed`; version 1 removes
/// them with the claim, so a node's entries are exactly what it is still owed, which is what
/// keeps its record from being reaped. This drops the claimed entries version 0 left.
///
/// It runs in one block: two reads an entry and a write a claimed one, at ParityDB's weights
/// (8 µs a read, 50 µs a write) 0.66 s for 10,000 entries all claimed, a third of a block. The
/// networks on version 0 (dev, local, staging, weeks old) hold far fewer; a larger one would
/// need it as a multi-block migration.
pub mod v1 {
	use super::*;

	pub struct DropClaimedNodePoints<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for DropClaimedNodePoints<T> {
		fn on_runtime_upgrade() -> Weight {
			let claimed: alloc::vec::Vec<_> = NodePoints::<T>::iter()
				.filter(|(_, _, points)| points.claimed)
				.map(|(node, period, _)| (node, period))
				.collect();
			let read = NodePoints::<T>::iter_keys().count() as u64;
			for (node, period) in &claimed {
				NodePoints::<T>::remove(node, period);
			}
			T::DbWeight::get().reads_writes(read.saturating_mul(2), claimed.len() as u64)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			ensure!(
				NodePoints::<T>::iter_values().all(|points| !points.claimed),
				"a claimed period's points are left behind"
			);
			Ok(())
		}
	}

	/// Runs once, on a chain whose rewards are at storage version 0, and sets version 1.
	pub type MigrateV0ToV1<T> =
		VersionedMigration<0, 1, DropClaimedNodePoints<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}

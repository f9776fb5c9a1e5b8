//! Storage migrations of the chain clock.

use crate::pallet::*;
use frame_support::{
	migrations::VersionedMigration,
	pallet_prelude::*,
	storage::{storage_prefix, unhashed},
	traits::{PalletInfoAccess, UncheckedOnRuntimeUpgrade},
};
use vcity_primitives::Moment;

/// Version 0 kept the chain's start alone (`ChainStart`) and took the day's length from the
/// runtime. Version 1 keeps both in `Calendar`; a chain of version 0 had 24-hour days (the
/// runtime's only length outside test builds), so that is the length it keeps, and its day and
/// period indices do not move.
pub mod v1 {
	use super::*;

	/// The version-0 value, read by its raw key: the item no longer exists in the pallet.
	fn v0_chain_start_key<T: Config>() -> [u8; 32] {
		storage_prefix(<Pallet<T> as PalletInfoAccess>::name().as_bytes(), b"ChainStart")
	}

	pub struct CalendarFromChainStart<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for CalendarFromChainStart<T> {
		fn on_runtime_upgrade() -> Weight {
			let start_ms = unhashed::take::<Moment>(&v0_chain_start_key::<T>());
			Calendar::<T>::put(ChainCalendar { start_ms, day_ms: crate::STANDARD_DAY_MS });
			T::DbWeight::get().reads_writes(1, 2)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			Ok(unhashed::get::<Moment>(&v0_chain_start_key::<T>()).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let start_ms = Option::<Moment>::decode(&mut &state[..]).map_err(|_| "pre-upgrade state")?;
			let calendar = Calendar::<T>::get();
			ensure!(calendar.start_ms == start_ms, "the chain's start moved");
			ensure!(calendar.day_ms == crate::STANDARD_DAY_MS, "a version-0 chain keeps 24-hour days");
			ensure!(!unhashed::exists(&v0_chain_start_key::<T>()), "the version-0 item is left behind");
			Ok(())
		}
	}

	/// Runs once, on a chain whose clock is at storage version 0, and sets version 1.
	pub type MigrateV0ToV1<T> =
		VersionedMigration<0, 1, CalendarFromChainStart<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;

	#[cfg(test)]
	pub(crate) fn put_v0_chain_start<T: Config>(start_ms: Moment) {
		unhashed::put(&v0_chain_start_key::<T>(), &start_ms);
	}
}

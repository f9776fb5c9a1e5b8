//! Storage migrations of the slashing pallet.

use crate::pallet::*;
use frame_support::{migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade};
use frame_system::pallet_prelude::BlockNumberFor;

/// A chain that gains the pallet by an upgrade has no genesis for it: version 1 sets the
/// parameters the runtime gives (its windows on the chain's day), which a chain built with the
/// pallet had from its genesis preset. Without it the defaults, in blocks of 24-hour days, would
/// stand, out of the bounds of a chain whose day is shorter.
pub mod v1 {
	use super::*;

	pub struct SetParams<T, P>(core::marker::PhantomData<(T, P)>);

	impl<T: Config, P: Get<crate::SlashParams<BlockNumberFor<T>>>> UncheckedOnRuntimeUpgrade for SetParams<T, P> {
		fn on_runtime_upgrade() -> Weight {
			let params = P::get();
			match Pallet::<T>::ensure_valid_params(&params) {
				Ok(()) => Params::<T>::put(params),
				Err(error) => {
					log::error!(target: "runtime::slashing", "the runtime's parameters are invalid: {error:?}")
				}
			}
			T::DbWeight::get().writes(1)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			Pallet::<T>::ensure_valid_params(&Params::<T>::get())
				.map_err(|_| "invalid slashing parameters".into())
		}
	}

	/// Runs once, on a chain whose slashing pallet is at storage version 0 (it had none), and
	/// sets version 1.
	pub type MigrateV0ToV1<T, P> =
		VersionedMigration<0, 1, SetParams<T, P>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}

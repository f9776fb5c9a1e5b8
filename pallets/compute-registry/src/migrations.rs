//! Storage migrations of the registry.

use crate::{pallet::*, types::StakeTier};
use alloc::vec::Vec;
use frame_support::{migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade};
use vcity_primitives::Balance;

/// Version 1: the stake follows the class factor Proof of Capacity pays (docs/economics.md#stake).
/// The runtime's tiers used to price data-centre cards in a tier of their own, 80 GiB and up;
/// multiplied by the class factor (2.0×) that tier would ask twice what it did, and every
/// data-centre node would find itself under-staked at the upgrade. A schedule that is the
/// runtime's old default is replaced by its new one, the multiplier kept, so a data-centre card
/// stakes what it did and a workstation card 1.5× (what it earns). A schedule governance set
/// itself is left for governance to restate, with an error in the log.
pub mod v1 {
	use super::*;

	/// The runtime's old default tiers and its new ones, as genesis gives them.
	pub type TierLists = (Vec<(u32, Balance)>, Vec<(u32, Balance)>);

	pub struct ClassFactorTiers<T, D>(core::marker::PhantomData<(T, D)>);

	impl<T: Config, D: Get<TierLists>> UncheckedOnRuntimeUpgrade for ClassFactorTiers<T, D> {
		fn on_runtime_upgrade() -> Weight {
			let (old, new) = D::get();
			let mut schedule = Schedule::<T>::get();
			let current: Vec<_> =
				schedule.tiers.iter().map(|t| (t.min_vram_per_gpu_gib, t.stake_per_gpu)).collect();
			if current != old {
				log::error!(
					target: "runtime::compute-registry",
					"the stake tiers are not the old default; restate them for the class factor"
				);
				return T::DbWeight::get().reads(1);
			}
			let tiers = new
				.into_iter()
				.map(|(min_vram_per_gpu_gib, stake_per_gpu)| StakeTier {
					min_vram_per_gpu_gib,
					stake_per_gpu,
				})
				.collect::<Vec<_>>();
			match BoundedVec::try_from(tiers) {
				Ok(tiers) => {
					schedule.tiers = tiers;
					if schedule.tiers_are_valid() {
						Schedule::<T>::put(schedule);
					} else {
						log::error!(target: "runtime::compute-registry", "the runtime's new tiers are invalid");
					}
				}
				Err(_) => {
					log::error!(target: "runtime::compute-registry", "the runtime's new tiers are too many")
				}
			}
			T::DbWeight::get().reads_writes(1, 1)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			ensure!(Schedule::<T>::get().tiers_are_valid(), "invalid stake tiers");
			Ok(())
		}
	}

	/// Runs once, on a chain whose registry is at storage version 0, and sets version 1.
	pub type MigrateV0ToV1<T, D> =
		VersionedMigration<0, 1, ClassFactorTiers<T, D>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}

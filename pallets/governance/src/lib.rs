//! # Governance: the DAO's origins and tracks
//!
//! The DAO governs through `pallet-referenda` (the lifecycle: deposits, discussion, decision,
//! confirmation), `pallet-scheduler` (enactment) and `pallet-preimage` (proposals' calls); the
//! votes are counted by `pallet-ve-voting` in veVCAI weight. This pallet is the part those need
//! from us:
//!
//! - **Origins.** A passed referendum dispatches as root (the root track) or as one of
//!   [`DaoOrigin`]'s kinds of decision, each with its own track. The runtime accepts each
//!   governed call from root or from the one origin that suits it ([`EnsureParameters`] and the
//!   others).
//! - **Tracks.** [`Tracks`] gives `pallet-referenda` the seven tracks. Their deposits, periods and
//!   minimum turnout are stored ([`SettingsOf`]), set at genesis (a fast dev chain shortens the
//!   periods) and changed by the root track with [`Pallet::set_track`]; a track with nothing
//!   stored uses the production table ([`DaoTrack::production`]). Every track passes a proposal
//!   with more aye than nay weight once its turnout is reached.
//!
//! See `docs/governance.md` for the tracks table and the reasons behind it.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use origins::*;
pub use pallet::*;
pub use tracks::Tracks;
pub use types::*;
pub use weights::WeightInfo;

mod origins;
mod tracks;
mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
#[cfg(test)]
mod tests;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;

	/// Version 0: the layout since the DAO's first release.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Changes a track's settings: the root track, since the settings decide what every
		/// other track takes to pass.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Blocks in 24 hours at the chain's block time: the production table counts in days.
		#[pallet::constant]
		type BlocksPerDay: Get<u32>;
		type WeightInfo: WeightInfo;
	}

	#[pallet::origin]
	pub type Origin = DaoOrigin;

	/// Settings of each track governance or genesis set; the others use the production table.
	#[pallet::storage]
	pub type SettingsOf<T: Config> =
		StorageMap<_, Twox64Concat, TrackId, TrackSettings<BlockNumberFor<T>>, OptionQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Tracks whose settings differ from the production table (a fast dev chain's periods).
		pub tracks: Vec<(TrackId, TrackSettings<BlockNumberFor<T>>)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for (id, settings) in &self.tracks {
				let checked = Pallet::<T>::check_settings(*id, settings);
				assert!(checked.is_ok(), "genesis sets track {id} out of bounds: {checked:?}");
				SettingsOf::<T>::insert(id, settings);
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A track's settings changed; referenda already on it are judged by them from now on.
		TrackSet { track: TrackId, settings: TrackSettings<BlockNumberFor<T>> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No track has this id.
		UnknownTrack,
		/// A track must decide at least one referendum at a time.
		NoDecidingSlot,
		/// Every period is at least one block.
		ZeroPeriod,
		/// The confirmation must fit inside the decision period.
		ConfirmLongerThanDecision,
		/// A track without a minimum turnout would pass anything one voter supports.
		ZeroTurnout,
		/// A free decision deposit would let anyone hold a track's deciding slots.
		ZeroDeposit,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Sets a track's deposit, periods and minimum turnout.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::set_track())]
		pub fn set_track(
			origin: OriginFor<T>,
			track: TrackId,
			settings: TrackSettings<BlockNumberFor<T>>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::check_settings(track, &settings)?;
			SettingsOf::<T>::insert(track, settings);
			Self::deposit_event(Event::TrackSet { track, settings });
			Ok(())
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Every stored setting is one `set_track` would accept.
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			for (track, settings) in SettingsOf::<T>::iter() {
				Self::check_settings(track, &settings)
					.map_err(|_| "a track's stored settings are out of bounds")?;
			}
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		pub(crate) fn check_settings(
			track: TrackId,
			settings: &TrackSettings<BlockNumberFor<T>>,
		) -> Result<(), Error<T>> {
			ensure!(DaoTrack::from_id(track).is_some(), Error::<T>::UnknownTrack);
			ensure!(settings.max_deciding > 0, Error::<T>::NoDecidingSlot);
			let periods = [
				settings.prepare_period,
				settings.decision_period,
				settings.confirm_period,
				settings.min_enactment_period,
			];
			ensure!(periods.iter().all(|period| !period.is_zero()), Error::<T>::ZeroPeriod);
			ensure!(
				settings.confirm_period <= settings.decision_period,
				Error::<T>::ConfirmLongerThanDecision
			);
			ensure!(!settings.min_turnout.is_zero(), Error::<T>::ZeroTurnout);
			ensure!(settings.decision_deposit > 0, Error::<T>::ZeroDeposit);
			Ok(())
		}
	}
}

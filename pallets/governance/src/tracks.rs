//! The tracks as `pallet-referenda` reads them.

use crate::{pallet::*, DaoOrigin, DaoTrack, TrackId, TrackSettings};
use alloc::borrow::Cow;
use core::marker::PhantomData;
use frame_support::traits::{CallerTrait, Get, OriginTrait};
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_referenda::{Curve, Track, TrackInfo, TracksInfo};
use sp_runtime::Perbill;
use vcity_primitives::{Balance, MAJORITY_APPROVAL};

impl<T: Config> Pallet<T> {
	/// A track's settings: stored, or the production table. The metadata's `tracks` constant
	/// is computed the same way when it is built: clients should read `settingsOf` (or
	/// `vcity_referendum`) rather than trust a cached copy after a `set_track`.
	pub fn settings(track: DaoTrack) -> TrackSettings<BlockNumberFor<T>> {
		SettingsOf::<T>::get(track.id()).unwrap_or_else(|| track.production(T::BlocksPerDay::get()))
	}

	/// A track as `pallet-referenda` reads it.
	pub fn track_info(track: DaoTrack) -> TrackInfo<Balance, BlockNumberFor<T>> {
		let settings = Self::settings(track);
		TrackInfo {
			name: sp_runtime::str_array(track.name()),
			max_deciding: settings.max_deciding,
			decision_deposit: settings.decision_deposit,
			prepare_period: settings.prepare_period,
			decision_period: settings.decision_period,
			confirm_period: settings.confirm_period,
			min_enactment_period: settings.min_enactment_period,
			min_approval: flat(MAJORITY_APPROVAL),
			min_support: flat(settings.min_turnout),
		}
	}
}

/// The same requirement throughout the decision period.
fn flat(level: Perbill) -> Curve {
	Curve::LinearDecreasing { length: Perbill::one(), floor: level, ceil: level }
}

/// The DAO's tracks for `pallet-referenda`: the root track for root, one track for each
/// [`DaoOrigin`].
pub struct Tracks<T>(PhantomData<T>);

impl<T: Config> TracksInfo<Balance, BlockNumberFor<T>> for Tracks<T>
where
	<T::RuntimeOrigin as OriginTrait>::PalletsOrigin: Clone + TryInto<DaoOrigin>,
{
	type Id = TrackId;
	type RuntimeOrigin = <T::RuntimeOrigin as OriginTrait>::PalletsOrigin;

	fn tracks() -> impl Iterator<Item = Cow<'static, Track<TrackId, Balance, BlockNumberFor<T>>>> {
		DaoTrack::ALL
			.into_iter()
			.map(|track| Cow::Owned(Track { id: track.id(), info: Pallet::<T>::track_info(track) }))
	}

	fn info(id: TrackId) -> Option<Cow<'static, TrackInfo<Balance, BlockNumberFor<T>>>> {
		DaoTrack::from_id(id).map(|track| Cow::Owned(Pallet::<T>::track_info(track)))
	}

	fn track_for(origin: &Self::RuntimeOrigin) -> Result<TrackId, ()> {
		if origin.is_root() {
			return Ok(DaoTrack::Root.id());
		}
		let dao: DaoOrigin = origin.clone().try_into().map_err(|_| ())?;
		Ok(dao.track().id())
	}
}

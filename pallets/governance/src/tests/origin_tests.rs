//! Each governed call accepts the one origin that suits it, and a track is chosen by origin.

use super::*;
use crate::{
	DaoOrigin, DaoTrack, EnsureAppeal, EnsureCanceller, EnsureParameters, EnsureRepricing,
	EnsureStrategicIssuance, EnsureTreasurySpending, Tracks,
};
use frame_support::traits::{EnsureOrigin, OriginTrait};
use pallet_referenda::TracksInfo;

const DAO_ORIGINS: [DaoOrigin; 6] = [
	DaoOrigin::Parameters,
	DaoOrigin::StrategicIssuance,
	DaoOrigin::Repricing,
	DaoOrigin::TreasurySpending,
	DaoOrigin::Appeal,
	DaoOrigin::Canceller,
];

fn accepted(origin: DaoOrigin) -> [bool; 6] {
	let o = || RuntimeOrigin::from(origin);
	[
		EnsureParameters::try_origin(o()).is_ok(),
		EnsureStrategicIssuance::try_origin(o()).is_ok(),
		EnsureRepricing::try_origin(o()).is_ok(),
		EnsureTreasurySpending::try_origin(o()).is_ok(),
		EnsureAppeal::try_origin(o()).is_ok(),
		EnsureCanceller::try_origin(o()).is_ok(),
	]
}

#[test]
fn each_check_accepts_its_own_origin_and_no_other() {
	for (index, origin) in DAO_ORIGINS.into_iter().enumerate() {
		let mut expected = [false; 6];
		expected[index] = true;
		assert_eq!(accepted(origin), expected, "{origin:?}");
	}
}

#[test]
fn root_signed_and_none_are_not_a_dao_origin() {
	for origin in [RuntimeOrigin::root(), RuntimeOrigin::signed(1), RuntimeOrigin::none()] {
		assert!(EnsureParameters::try_origin(origin.clone()).is_err());
		assert!(EnsureAppeal::try_origin(origin).is_err());
	}
}

#[test]
fn a_refused_origin_comes_back_unchanged() {
	let refused = EnsureParameters::try_origin(RuntimeOrigin::from(DaoOrigin::Repricing)).unwrap_err();
	assert!(EnsureRepricing::try_origin(refused).is_ok());
}

#[test]
fn root_submits_on_the_root_track_and_each_origin_on_its_own() {
	new_test_ext().execute_with(|| {
		let root = RuntimeOrigin::root().caller().clone();
		assert_eq!(Tracks::<Test>::track_for(&root), Ok(DaoTrack::Root.id()));
		for origin in DAO_ORIGINS {
			let caller = RuntimeOrigin::from(origin).caller().clone();
			assert_eq!(Tracks::<Test>::track_for(&caller), Ok(origin.track().id()));
		}
		let signed = RuntimeOrigin::signed(1).caller().clone();
		assert_eq!(Tracks::<Test>::track_for(&signed), Err(()));
		let none = RuntimeOrigin::none().caller().clone();
		assert_eq!(Tracks::<Test>::track_for(&none), Err(()));
	});
}

#[test]
fn every_track_but_root_belongs_to_exactly_one_origin() {
	for track in DaoTrack::ALL.into_iter().filter(|t| *t != DaoTrack::Root) {
		assert_eq!(DAO_ORIGINS.iter().filter(|o| o.track() == track).count(), 1, "{track:?}");
	}
}

//! The tracks `pallet-referenda` reads: ids, names, the production table, governed settings.

use super::*;
use crate::{DaoTrack, Error, Event, SettingsOf, TrackSettings, Tracks};
use frame_support::{assert_noop, assert_ok};
use pallet_referenda::{Curve, TracksInfo};
use sp_runtime::{DispatchError, Perbill};
use vcity_primitives::MAJORITY_APPROVAL as APPROVAL_THRESHOLD;
use vcity_primitives::VCAI;

const DAY: u64 = BLOCKS_PER_DAY as u64;

fn production(track: DaoTrack) -> TrackSettings<u64> {
	track.production(BLOCKS_PER_DAY)
}

#[test]
fn tracks_are_sorted_with_distinct_ids_and_names_that_fit() {
	new_test_ext().execute_with(|| {
		assert_ok!(<Tracks<Test> as TracksInfo<_, _>>::check_integrity());
		let ids: Vec<_> = Tracks::<Test>::track_ids().collect();
		assert_eq!(ids, vec![0, 1, 2, 3, 4, 5, 6]);
		for track in DaoTrack::ALL {
			assert_eq!(DaoTrack::from_id(track.id()), Some(track));
			assert!(track.name().len() <= 25);
			let info = Tracks::<Test>::info(track.id()).unwrap();
			assert!(info.name.starts_with(track.name().as_bytes()));
		}
		assert!(Tracks::<Test>::info(7).is_none());
	});
}

#[test]
fn the_root_track_is_the_strictest() {
	let root = production(DaoTrack::Root);
	for track in DaoTrack::ALL.into_iter().filter(|t| ![DaoTrack::Root, DaoTrack::Cancellations].contains(t))
	{
		let other = production(track);
		assert!(root.min_turnout > other.min_turnout, "{track:?}");
		assert!(root.decision_deposit > other.decision_deposit, "{track:?}");
		assert!(root.max_deciding <= other.max_deciding || track == DaoTrack::Repricing, "{track:?}");
		assert!(root.prepare_period >= other.prepare_period, "{track:?}");
		assert!(root.decision_period >= other.decision_period, "{track:?}");
	}
	assert_eq!(root.decision_deposit, 1_000_000 * VCAI);
	assert_eq!(root.min_turnout, Perbill::from_percent(30));
}

#[test]
fn proposals_are_discussed_a_week_and_appeals_end_inside_the_grace() {
	for track in
		DaoTrack::ALL.into_iter().filter(|t| ![DaoTrack::Appeals, DaoTrack::Cancellations].contains(t))
	{
		assert_eq!(production(track).prepare_period, 7 * DAY, "{track:?}");
	}
	// An appeal lodged on the pending window's last block must be decided within the 3-day grace
	// (docs/slashing.md "Appeals"): discussion, decision and enactment together take less.
	// A confirmation may run past the decision period's end.
	let last_block = |s: TrackSettings<u64>| {
		s.prepare_period + s.decision_period + s.confirm_period + s.min_enactment_period
	};
	let appeal = production(DaoTrack::Appeals);
	assert!(last_block(appeal) < 3 * DAY, "{} blocks", last_block(appeal));
	assert_eq!(appeal.decision_deposit, 100 * VCAI);
	// A cancellation ends before any approved referendum of another track is enacted: at the
	// soonest a week of discussion, a confirmation and an enactment after its submission.
	let cancel = last_block(production(DaoTrack::Cancellations));
	for track in
		DaoTrack::ALL.into_iter().filter(|t| ![DaoTrack::Appeals, DaoTrack::Cancellations].contains(t))
	{
		let p = production(track);
		assert!(cancel < p.prepare_period + p.confirm_period + p.min_enactment_period, "{track:?}");
	}
}

#[test]
fn every_period_is_a_block_at_least_on_the_shortest_day() {
	for track in DaoTrack::ALL {
		let settings = track.production::<u64>(10);
		assert!(settings.prepare_period >= 1 && settings.confirm_period >= 1, "{track:?}");
	}
}

#[test]
fn every_track_passes_more_aye_than_nay_weight_at_its_turnout() {
	new_test_ext().execute_with(|| {
		for track in DaoTrack::ALL {
			let info = Tracks::<Test>::info(track.id()).unwrap();
			let flat = |level| Curve::LinearDecreasing { length: Perbill::one(), floor: level, ceil: level };
			assert_eq!(info.min_approval, flat(APPROVAL_THRESHOLD));
			assert_eq!(info.min_support, flat(production(track).min_turnout));
			// The same requirement from the decision's first block to its last.
			for x in [Perbill::zero(), Perbill::from_percent(50), Perbill::one()] {
				assert!(info.min_approval.passing(x, APPROVAL_THRESHOLD));
				assert!(!info.min_approval.passing(x, Perbill::from_percent(50)));
			}
		}
	});
}

#[test]
fn genesis_and_governance_set_a_track_and_referenda_read_it() {
	let fast = TrackSettings {
		max_deciding: 3,
		decision_deposit: 5 * VCAI,
		prepare_period: 2,
		decision_period: 20,
		confirm_period: 2,
		min_enactment_period: 1,
		min_turnout: Perbill::from_percent(10),
	};
	ext_with(vec![(DaoTrack::Parameters.id(), fast)]).execute_with(|| {
		let info = Tracks::<Test>::info(DaoTrack::Parameters.id()).unwrap();
		assert_eq!((info.prepare_period, info.decision_period, info.confirm_period), (2, 20, 2));
		assert_eq!(info.decision_deposit, 5 * VCAI);
		// Tracks genesis left alone use the production table.
		assert_eq!(Tracks::<Test>::info(DaoTrack::Root.id()).unwrap().prepare_period, 7 * DAY);

		let stricter = TrackSettings { min_turnout: Perbill::from_percent(40), ..fast };
		assert_noop!(
			Governance::set_track(RuntimeOrigin::signed(1), DaoTrack::Parameters.id(), stricter),
			DispatchError::BadOrigin
		);
		assert_ok!(Governance::set_track(RuntimeOrigin::root(), DaoTrack::Parameters.id(), stricter));
		System::assert_last_event(
			Event::TrackSet { track: DaoTrack::Parameters.id(), settings: stricter }.into(),
		);
		let info = Tracks::<Test>::info(DaoTrack::Parameters.id()).unwrap();
		assert!(!info.min_support.passing(Perbill::zero(), Perbill::from_percent(39)));
		assert!(info.min_support.passing(Perbill::zero(), Perbill::from_percent(40)));
	});
}

#[test]
fn settings_out_of_bounds_are_refused_with_their_names() {
	new_test_ext().execute_with(|| {
		let good = production(DaoTrack::Parameters);
		let id = DaoTrack::Parameters.id();
		let set = |track, settings| Governance::set_track(RuntimeOrigin::root(), track, settings);
		assert_noop!(set(7, good), Error::<Test>::UnknownTrack);
		assert_noop!(set(id, TrackSettings { decision_deposit: 0, ..good }), Error::<Test>::ZeroDeposit);
		assert_noop!(set(id, TrackSettings { max_deciding: 0, ..good }), Error::<Test>::NoDecidingSlot);
		assert_noop!(set(id, TrackSettings { prepare_period: 0, ..good }), Error::<Test>::ZeroPeriod);
		assert_noop!(set(id, TrackSettings { min_enactment_period: 0, ..good }), Error::<Test>::ZeroPeriod);
		assert_noop!(
			set(id, TrackSettings { confirm_period: good.decision_period + 1, ..good }),
			Error::<Test>::ConfirmLongerThanDecision
		);
		assert_noop!(
			set(id, TrackSettings { min_turnout: Perbill::zero(), ..good }),
			Error::<Test>::ZeroTurnout
		);
		assert!(SettingsOf::<Test>::get(id).is_none());
	});
}

#[test]
#[should_panic(expected = "genesis sets track 1 out of bounds")]
fn a_genesis_out_of_bounds_is_refused() {
	let zero = TrackSettings { min_turnout: Perbill::zero(), ..production(DaoTrack::Parameters) };
	let _ = ext_with(vec![(DaoTrack::Parameters.id(), zero)]);
}

use crate as pallet_chain_clock;
use frame_support::{assert_noop, assert_ok, derive_impl, parameter_types, traits::OnTimestampSet};
use frame_system::RawOrigin;
use sp_runtime::BuildStorage;
use vcity_primitives::Clock;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Timestamp: pallet_timestamp,
		ChainClock: pallet_chain_clock,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {
	type OnTimestampSet = ChainClock;
}

parameter_types! {
	pub const MinDayMs: u64 = 100;
	pub const MaxDayMs: u64 = 24 * 3_600_000;
}

#[derive_impl(pallet_chain_clock::config_preludes::TestDefaultConfig)]
impl pallet_chain_clock::Config for Test {
	type Time = Timestamp;
	type MinDayMs = MinDayMs;
	type MaxDayMs = MaxDayMs;
	type GovernanceOrigin = frame_system::EnsureRoot<u64>;
}

/// The genesis storage of a chain with these lengths, or the genesis build's refusal.
fn genesis_storage(day_ms: u64, period_ms: u64) -> sp_runtime::Storage {
	let chain_clock = pallet_chain_clock::GenesisConfig { day_ms, period_ms, ..Default::default() };
	RuntimeGenesisConfig { chain_clock, ..Default::default() }.build_storage().unwrap()
}

/// Days of a second and weekly periods, so tests move days with small numbers.
pub(crate) fn new_test_ext() -> sp_io::TestExternalities {
	let mut ext: sp_io::TestExternalities = genesis_storage(1_000, 7_000).into();
	ext.execute_with(|| System::set_block_number(1));
	ext
}

#[test]
fn first_timestamp_is_day_zero_and_later_ones_do_not_move_it() {
	new_test_ext().execute_with(|| {
		assert_eq!(ChainClock::day_index(), 0);
		Timestamp::set_timestamp(50_000);
		assert_eq!(pallet_chain_clock::Calendar::<Test>::get().start_ms, Some(50_000));
		Timestamp::set_timestamp(50_999);
		assert_eq!(ChainClock::day_index(), 0);
		Timestamp::set_timestamp(51_000);
		assert_eq!(ChainClock::day_index(), 1);
		assert_eq!(ChainClock::period_index(), 0);
		Timestamp::set_timestamp(57_000);
		assert_eq!(ChainClock::day_index(), 7);
		assert_eq!(ChainClock::period_index(), 1);
		assert_eq!(pallet_chain_clock::Calendar::<Test>::get().start_ms, Some(50_000));
		assert_eq!(ChainClock::now_ms(), 57_000);
	});
}

#[test]
fn start_is_recorded_only_once() {
	new_test_ext().execute_with(|| {
		ChainClock::on_timestamp_set(10);
		ChainClock::on_timestamp_set(20);
		assert_eq!(pallet_chain_clock::Calendar::<Test>::get().start_ms, Some(10));
	});
}

#[test]
fn a_new_period_length_applies_from_the_next_period() {
	new_test_ext().execute_with(|| {
		Timestamp::set_timestamp(50_000);
		Timestamp::set_timestamp(60_000); // period 1 (57,000..64,000)
		assert_eq!(ChainClock::period_index(), 1);
		assert_ok!(ChainClock::set_period_length(RawOrigin::Root.into(), 1_000));
		// Period 1 keeps its end at 64,000; daily periods follow.
		assert_eq!(ChainClock::period_start_ms(2), Some(64_000));
		assert_eq!(ChainClock::period_start_ms(3), Some(65_000));
		Timestamp::set_timestamp(63_999);
		assert_eq!(ChainClock::period_index(), 1);
		Timestamp::set_timestamp(64_000);
		assert_eq!(ChainClock::period_index(), 2);
		Timestamp::set_timestamp(66_500);
		assert_eq!(ChainClock::period_index(), 4);
		// Back to weekly: period 4 ends at 67,000 as it began, as a daily one.
		assert_ok!(ChainClock::set_period_length(RawOrigin::Root.into(), 7_000));
		assert_eq!(ChainClock::period_start_ms(5), Some(67_000));
		assert_eq!(ChainClock::period_start_ms(6), Some(74_000));
		assert_eq!(ChainClock::period_start_ms(0), None, "before the run in force");
		Timestamp::set_timestamp(74_000);
		assert_eq!(ChainClock::period_index(), 6);
		System::assert_last_event(
			pallet_chain_clock::Event::PeriodLengthSet {
				from_period: 5,
				starts_ms: 67_000,
				length_ms: 7_000,
			}
			.into(),
		);
		assert_ok!(ChainClock::do_try_state());
	});
}

#[test]
fn a_second_change_in_the_same_period_replaces_the_first() {
	new_test_ext().execute_with(|| {
		Timestamp::set_timestamp(50_000);
		assert_ok!(ChainClock::set_period_length(RawOrigin::Root.into(), 1_000));
		assert_ok!(ChainClock::set_period_length(RawOrigin::Root.into(), 2_000));
		assert_eq!(ChainClock::period_start_ms(1), Some(57_000));
		assert_eq!(ChainClock::period_start_ms(2), Some(59_000));
	});
}

#[test]
fn period_lengths_out_of_bounds_or_from_strangers_are_refused() {
	new_test_ext().execute_with(|| {
		Timestamp::set_timestamp(50_000);
		let before = pallet_chain_clock::Periods::<Test>::get();
		assert_noop!(
			ChainClock::set_period_length(RawOrigin::Root.into(), 999),
			pallet_chain_clock::Error::<Test>::PeriodLengthOutOfRange
		);
		assert_noop!(
			ChainClock::set_period_length(RawOrigin::Root.into(), 28_001),
			pallet_chain_clock::Error::<Test>::PeriodLengthOutOfRange
		);
		assert_noop!(
			ChainClock::set_period_length(RawOrigin::Signed(1).into(), 2_000),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_eq!(pallet_chain_clock::Periods::<Test>::get(), before);
	});
}

#[test]
fn the_day_is_the_genesis_length_and_bounds_periods_in_whole_days() {
	new_test_ext().execute_with(|| {
		assert_eq!(ChainClock::day_ms(), 1_000);
		assert_eq!(ChainClock::period_bounds(), 1_000..=28_000);
		Timestamp::set_timestamp(50_000);
		assert_eq!(ChainClock::day_start_ms(3), 53_000);
		assert_eq!(ChainClock::day_of(53_999), 3);
	});
}

#[test]
#[should_panic(expected = "the genesis day length is outside MinDayMs..=MaxDayMs")]
fn a_genesis_day_outside_its_bounds_is_refused() {
	genesis_storage(99, 700);
}

#[test]
#[should_panic(expected = "the genesis period length is outside MinPeriodDays..=MaxPeriodDays")]
fn a_genesis_period_outside_its_bounds_is_refused() {
	genesis_storage(1_000, 999);
}

#[test]
fn a_version_0_chain_keeps_its_start_and_24_hour_days() {
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	new_test_ext().execute_with(|| {
		// A chain of version 0: the start in its own item, no calendar, the version unset.
		pallet_chain_clock::Calendar::<Test>::kill();
		StorageVersion::new(0).put::<ChainClock>();
		crate::migrations::v1::put_v0_chain_start::<Test>(1_700_000_000_000);
		crate::migrations::v1::MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(
			pallet_chain_clock::Calendar::<Test>::get(),
			pallet_chain_clock::ChainCalendar { start_ms: Some(1_700_000_000_000), day_ms: 24 * 3_600_000 }
		);
		assert_eq!(ChainClock::on_chain_storage_version(), StorageVersion::new(1));
		// Once is enough: a second run changes nothing.
		pallet_chain_clock::Calendar::<Test>::mutate(|c| c.start_ms = Some(5));
		crate::migrations::v1::MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(pallet_chain_clock::Calendar::<Test>::get().start_ms, Some(5));
	});
}

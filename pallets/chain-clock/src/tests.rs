use crate as pallet_chain_clock;
use frame_support::{derive_impl, parameter_types, traits::OnTimestampSet};
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

impl pallet_timestamp::Config for Test {
	type Moment = u64;
	type OnTimestampSet = ChainClock;
	type MinimumPeriod = frame_support::traits::ConstU64<1>;
	type WeightInfo = ();
}

parameter_types! {
	pub const DayMs: u64 = 1_000;
	pub const PeriodMs: u64 = 7_000;
}

impl pallet_chain_clock::Config for Test {
	type DayMs = DayMs;
	type PeriodMs = PeriodMs;
}

fn new_test_ext() -> sp_io::TestExternalities {
	frame_system::GenesisConfig::<Test>::default().build_storage().unwrap().into()
}

#[test]
fn first_timestamp_is_day_zero_and_later_ones_do_not_move_it() {
	new_test_ext().execute_with(|| {
		assert_eq!(ChainClock::day_index(), 0);
		Timestamp::set_timestamp(50_000);
		assert_eq!(pallet_chain_clock::ChainStart::<Test>::get(), Some(50_000));
		Timestamp::set_timestamp(50_999);
		assert_eq!(ChainClock::day_index(), 0);
		Timestamp::set_timestamp(51_000);
		assert_eq!(ChainClock::day_index(), 1);
		assert_eq!(ChainClock::period_index(), 0);
		Timestamp::set_timestamp(57_000);
		assert_eq!(ChainClock::day_index(), 7);
		assert_eq!(ChainClock::period_index(), 1);
		assert_eq!(pallet_chain_clock::ChainStart::<Test>::get(), Some(50_000));
		assert_eq!(ChainClock::now_ms(), 57_000);
	});
}

#[test]
fn start_is_recorded_only_once() {
	new_test_ext().execute_with(|| {
		ChainClock::on_timestamp_set(10);
		ChainClock::on_timestamp_set(20);
		assert_eq!(pallet_chain_clock::ChainStart::<Test>::get(), Some(10));
	});
}

//! Mock runtime and shared helpers for the ve pallet's tests.

mod distributor_tests;
mod lock_tests;
mod reference_tests;

use crate::{self as pallet_ve_vcai, *};
use frame_support::{
	assert_ok, derive_impl, parameter_types,
	traits::{fungible::Inspect, ConstU128, ConstU32, Hooks},
	PalletId,
};
use sp_runtime::BuildStorage;
use vcity_primitives::{Balance, DayIndex, Moment, VCAI};

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Timestamp: pallet_timestamp,
		ChainClock: pallet_chain_clock,
		VeVcai: pallet_ve_vcai,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type AccountStore = System;
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type RuntimeHoldReason = RuntimeHoldReason;
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {
	type OnTimestampSet = ChainClock;
}

#[derive_impl(pallet_chain_clock::config_preludes::TestDefaultConfig)]
impl pallet_chain_clock::Config for Test {
	type Time = Timestamp;
	type GovernanceOrigin = frame_system::EnsureRoot<AccountId>;
}

parameter_types! {
	pub const VePalletId: PalletId = PalletId(*b"vc/vevca");
	pub static MinLock: Balance = 1;
}

impl Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Clock = ChainClock;
	type MinLockAmount = MinLock;
	type MaxLockDays = ConstU32<{ vcity_primitives::VE_MAX_LOCK_DAYS }>;
	type MaxHistory = ConstU32<MAX_HISTORY>;
	type MaxCatchUpDays = ConstU32<MAX_CATCH_UP_DAYS>;
	type PalletId = VePalletId;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TimeMover;
}

#[cfg(feature = "runtime-benchmarks")]
pub struct TimeMover;
#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper for TimeMover {
	fn set_day(day: DayIndex) {
		// The benchmarks start from genesis storage, before any block set the chain's start.
		if pallet_chain_clock::Calendar::<Test>::get().start_ms.is_none() {
			pallet_chain_clock::Calendar::<Test>::mutate(|c| c.start_ms = Some(GENESIS_MS));
		}
		set_day(day);
	}
}

pub const EXISTENTIAL_DEPOSIT: Balance = 1;
/// A day of the mock is a second, so a whole four-year lock is 1,461 s of mock time.
pub const DAY_MS: Moment = 1_000;
/// The chain's first block is at this time: day 0 starts here, not at the Unix epoch.
pub const GENESIS_MS: Moment = 1_700_000_000_000;
pub const MAX_HISTORY: u32 = 6;
pub const MAX_CATCH_UP_DAYS: u32 = 4;
pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CHARLIE: AccountId = 3;
pub const DAVE: AccountId = 4;
pub const TREASURY: AccountId = 99;
/// Holds more than ten billion VCAI, to lock all of them and keep the existential deposit.
pub const WHALE: AccountId = 50;
/// Ten billion VCAI: the whole supply, so even the largest lock is covered.
pub const FUNDS: Balance = 10_000_000_000 * VCAI;

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut balances: Vec<(AccountId, Balance)> =
		[ALICE, BOB, CHARLIE, DAVE, TREASURY].into_iter().map(|who| (who, FUNDS)).collect();
	balances.extend((10..40).map(|who| (who, FUNDS)));
	balances.push((WHALE, FUNDS + VCAI));
	// The distributor keeps its existential deposit from genesis on.
	balances.push((VeVcai::distributor_account(), EXISTENTIAL_DEPOSIT));
	pallet_balances::GenesisConfig::<Test> { balances, ..Default::default() }
		.assimilate_storage(&mut storage)
		.unwrap();
	pallet_chain_clock::GenesisConfig::<Test> { day_ms: DAY_MS, period_ms: 7 * DAY_MS, ..Default::default() }
		.assimilate_storage(&mut storage)
		.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		pallet_timestamp::Now::<Test>::put(GENESIS_MS);
		pallet_chain_clock::Calendar::<Test>::mutate(|c| c.start_ms = Some(GENESIS_MS));
	});
	ext
}

/// Runs a test and then checks the pallet's invariants and that no VCAI was created or lost.
pub fn test(body: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		let issuance = Balances::total_issuance();
		body();
		assert_ok!(VeVcai::do_try_state());
		assert_eq!(Balances::total_issuance(), issuance, "VCAI was created or destroyed");
	});
}

pub fn today() -> DayIndex {
	<ChainClock as vcity_primitives::Clock>::day_index()
}

/// Milliseconds at which `day` starts, plus `offset` into it.
pub fn time_of(day: DayIndex, offset: Moment) -> Moment {
	GENESIS_MS + Moment::from(day) * DAY_MS + offset
}

/// Moves the clock into `day` without running any hook: the next call closes the day before.
pub fn set_day(day: DayIndex) {
	pallet_timestamp::Now::<Test>::put(time_of(day, DAY_MS / 2));
}

/// A new block whose hook sees the current clock, as the block after a day begins does.
pub fn next_block() {
	let number = System::block_number() + 1;
	System::set_block_number(number);
	VeVcai::on_initialize(number);
}

/// Moves into `day` and runs blocks until the hook has closed every day before it.
pub fn go_to_day(day: DayIndex) {
	set_day(day);
	next_block();
	while Global::<Test>::get().day < day {
		next_block();
	}
}

pub fn lock(who: AccountId, amount: Balance, unlock_day: DayIndex) {
	assert_ok!(VeVcai::create_lock(RuntimeOrigin::signed(who), amount, time_of(unlock_day, 0)));
}

pub fn drop_vcai(amount: Balance) {
	assert_ok!(VeVcai::drop_rewards(RuntimeOrigin::signed(TREASURY), amount));
}

pub fn free(who: AccountId) -> Balance {
	Balances::balance(&who)
}

pub fn slope(amount: Balance) -> Balance {
	crate::math::slope_of(amount).unwrap()
}

pub fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::VeVcai(e) = r.event { Some(e) } else { None })
		.collect()
}

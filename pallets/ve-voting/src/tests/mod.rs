//! A runtime with the real veVCAI pallet (locks, snapshots) and a list of polls standing in for
//! `pallet-referenda`, whose lifecycle the runtime's tests cover.

mod reference_tests;
mod vote_tests;

use crate::{self as pallet_ve_voting, *};
use alloc::collections::BTreeMap;
use frame_support::{
	assert_ok, derive_impl, parameter_types,
	traits::{ConstU128, ConstU32, Hooks, PollStatus, Polling, VoteTally},
	PalletId,
};
use sp_runtime::{BuildStorage, DispatchError};
use vcity_primitives::{Balance, DayIndex, Moment, VCAI};

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;
pub type PollIndex = u32;
pub type Class = u16;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Timestamp: pallet_timestamp,
		ChainClock: pallet_chain_clock,
		VeVcai: pallet_ve_vcai,
		VeVoting: pallet_ve_voting,
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
	type ExistentialDeposit = ConstU128<1>;
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
}

impl pallet_ve_vcai::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Clock = ChainClock;
	type MinLockAmount = ConstU128<1>;
	type MaxLockDays = ConstU32<{ vcity_primitives::VE_MAX_LOCK_DAYS }>;
	type MaxHistory = ConstU32<MAX_HISTORY>;
	type MaxCatchUpDays = ConstU32<4>;
	type PalletId = VePalletId;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Mover;
}

impl Config for Test {
	type Polls = TestPolls;
	type VeWeights = VeVcai;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Mover;
}

#[cfg(feature = "runtime-benchmarks")]
pub struct Mover;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_ve_vcai::benchmarking::BenchmarkHelper for Mover {
	fn set_day(day: DayIndex) {
		set_day(day);
	}
}
#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper<AccountId> for Mover {
	fn give_weight(who: &AccountId) {
		use frame_support::traits::fungible::Mutate;
		assert_ok!(Balances::mint_into(who, 1_000 * VCAI));
		// Each benchmark run starts from genesis storage, before any block set the clock.
		let today = today();
		set_day(today);
		lock(*who, 100 * VCAI, today + 365);
		go_to_day(today + 1);
	}
}

/// A day of the mock is a second.
pub const DAY_MS: Moment = 1_000;
pub const GENESIS_MS: Moment = 1_700_000_000_000;
/// Few checkpoints, so the tests reach the end of an account's kept history.
pub const MAX_HISTORY: u32 = 4;
pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CHARLIE: AccountId = 3;
pub const DAVE: AccountId = 4;
pub const FUNDS: Balance = 1_000_000_000 * VCAI;

/// A poll as `pallet-referenda` would hold it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum TestPollState {
	Ongoing(VeTally<Test>, Class),
	Completed(u64, bool),
}

parameter_types! {
	pub static Polls: BTreeMap<PollIndex, TestPollState> = BTreeMap::new();
}

pub struct TestPolls;
impl Polling<VeTally<Test>> for TestPolls {
	type Index = PollIndex;
	type Votes = vcity_primitives::VeWeight;
	type Moment = u64;
	type Class = Class;

	fn classes() -> Vec<Class> {
		vec![0, 1]
	}

	fn as_ongoing(index: PollIndex) -> Option<(VeTally<Test>, Class)> {
		match Polls::get().get(&index) {
			Some(TestPollState::Ongoing(tally, class)) => Some((tally.clone(), *class)),
			_ => None,
		}
	}

	fn access_poll<R>(
		index: PollIndex,
		f: impl FnOnce(PollStatus<&mut VeTally<Test>, u64, Class>) -> R,
	) -> R {
		let mut polls = Polls::get();
		let result = match polls.get_mut(&index) {
			Some(TestPollState::Ongoing(tally, class)) => f(PollStatus::Ongoing(tally, *class)),
			Some(TestPollState::Completed(when, approved)) => f(PollStatus::Completed(*when, *approved)),
			None => f(PollStatus::None),
		};
		Polls::set(polls);
		result
	}

	fn try_access_poll<R>(
		index: PollIndex,
		f: impl FnOnce(PollStatus<&mut VeTally<Test>, u64, Class>) -> Result<R, DispatchError>,
	) -> Result<R, DispatchError> {
		let mut polls = Polls::get();
		let result = match polls.get_mut(&index) {
			Some(TestPollState::Ongoing(tally, class)) => f(PollStatus::Ongoing(tally, *class)),
			Some(TestPollState::Completed(when, approved)) => f(PollStatus::Completed(*when, *approved)),
			None => f(PollStatus::None),
		}?;
		Polls::set(polls);
		Ok(result)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn create_ongoing(class: Class) -> Result<PollIndex, ()> {
		Ok(submit(class))
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn end_ongoing(index: PollIndex, approved: bool) -> Result<(), ()> {
		decide(index, approved);
		Ok(())
	}
}

/// Submits a poll now: its tally is weighed in today's snapshot, as a referendum's is.
pub fn submit(class: Class) -> PollIndex {
	let mut polls = Polls::get();
	let index = polls.keys().next_back().map_or(0, |last| last + 1);
	polls.insert(index, TestPollState::Ongoing(VeTally::new(class), class));
	Polls::set(polls);
	index
}

pub fn decide(index: PollIndex, approved: bool) {
	let mut polls = Polls::get();
	polls.insert(index, TestPollState::Completed(System::block_number(), approved));
	Polls::set(polls);
}

pub fn tally(index: PollIndex) -> VeTally<Test> {
	TestPolls::as_ongoing(index).expect("the poll is ongoing").0
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut balances: Vec<(AccountId, Balance)> = (1..=40).map(|who| (who, FUNDS)).collect();
	balances.push((pallet_ve_vcai::Pallet::<Test>::distributor_account(), 1));
	pallet_balances::GenesisConfig::<Test> { balances, ..Default::default() }
		.assimilate_storage(&mut storage)
		.unwrap();
	pallet_chain_clock::GenesisConfig::<Test> { day_ms: DAY_MS, period_ms: 7 * DAY_MS, ..Default::default() }
		.assimilate_storage(&mut storage)
		.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		Polls::set(BTreeMap::new());
		System::set_block_number(1);
		pallet_timestamp::Now::<Test>::put(GENESIS_MS);
		pallet_chain_clock::Calendar::<Test>::mutate(|c| c.start_ms = Some(GENESIS_MS));
	});
	ext
}

/// Runs a test, then checks both pallets' invariants and that voting moved no VCAI.
pub fn test(body: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		let issuance = pallet_balances::TotalIssuance::<Test>::get();
		body();
		assert_ok!(VeVoting::do_try_state());
		assert_ok!(VeVcai::do_try_state());
		assert_eq!(pallet_balances::TotalIssuance::<Test>::get(), issuance, "VCAI was created or destroyed");
	});
}

pub fn time_of(day: DayIndex, offset: Moment) -> Moment {
	GENESIS_MS + Moment::from(day) * DAY_MS + offset
}

pub fn set_day(day: DayIndex) {
	if pallet_chain_clock::Calendar::<Test>::get().start_ms.is_none() {
		pallet_chain_clock::Calendar::<Test>::mutate(|c| c.start_ms = Some(GENESIS_MS));
	}
	pallet_timestamp::Now::<Test>::put(time_of(day, DAY_MS / 2));
}

/// Moves into `day` and runs blocks until veVCAI has closed every day before it.
pub fn go_to_day(day: DayIndex) {
	set_day(day);
	loop {
		let number = System::block_number() + 1;
		System::set_block_number(number);
		VeVcai::on_initialize(number);
		if pallet_ve_vcai::Global::<Test>::get().day >= day {
			break;
		}
	}
}

pub fn today() -> DayIndex {
	<ChainClock as vcity_primitives::Clock>::day_index()
}

pub fn lock(who: AccountId, amount: Balance, unlock_day: DayIndex) {
	assert_ok!(VeVcai::create_lock(RuntimeOrigin::signed(who), amount, time_of(unlock_day, 0)));
}

pub fn vote(who: AccountId, poll: PollIndex, choice: VoteChoice) -> sp_runtime::DispatchResult {
	VeVoting::vote(RuntimeOrigin::signed(who), poll, choice)
}

pub fn slope(amount: Balance) -> Balance {
	pallet_ve_vcai::math::slope_of(amount).unwrap()
}

//! A runtime with VCAI, USDV (a second balances instance), vesting on block numbers, and the
//! revenue, locks and clock the pallet reads set by each test.

mod issuance_tests;
mod quota_tests;
mod repricing_tests;
mod spending_tests;

use crate::{self as pallet_supply, *};
use frame_support::{
	assert_ok, derive_impl, parameter_types,
	traits::{ConstU128, ConstU32, WithdrawReasons},
};
use frame_system::EnsureRoot;
use sp_runtime::{traits::ConvertInto, BuildStorage, Perbill};
use vcity_primitives::{Balance, Clock, DayIndex, Moment, PeriodIndex, ProtocolRevenue, VeWeights, VCAI};

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(2)]
	pub type Usdv = pallet_balances<Instance2>;
	#[runtime::pallet_index(3)]
	pub type Vesting = pallet_vesting;
	#[runtime::pallet_index(4)]
	pub type Supply = pallet_supply;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type AccountStore = System;
	type ExistentialDeposit = ConstU128<ED>;
	type RuntimeHoldReason = RuntimeHoldReason;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config<pallet_balances::Instance2> for Test {
	type Balance = Balance;
	type AccountStore = frame_support::traits::StorageMapShim<
		pallet_balances::Account<Test, pallet_balances::Instance2>,
		AccountId,
		pallet_balances::AccountData<Balance>,
	>;
	type ExistentialDeposit = ConstU128<1>;
	type RuntimeHoldReason = RuntimeHoldReason;
}

parameter_types! {
	pub UnvestedFundsAllowedWithdrawReasons: WithdrawReasons =
		WithdrawReasons::except(WithdrawReasons::TRANSFER | WithdrawReasons::RESERVE);
}

impl pallet_vesting::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type BlockNumberToBalance = ConvertInto;
	type MinVestedTransfer = ConstU128<1>;
	type WeightInfo = ();
	type UnvestedFundsAllowedWithdrawReasons = UnvestedFundsAllowedWithdrawReasons;
	type BlockNumberProvider = System;
	const MAX_VESTING_SCHEDULES: u32 = 3;
}

parameter_types! {
	/// USDV of protocol revenue since genesis, as the buyback's books would say.
	pub static Revenue: Balance = 0;
	/// VCAI in unexpired locks, as veVCAI would say.
	pub static Locked: Balance = 0;
	pub static Today: DayIndex = 0;
	pub const Treasury: AccountId = TREASURY;
}

pub struct TestRevenue;
impl ProtocolRevenue for TestRevenue {
	fn cumulative_revenue() -> Balance {
		Revenue::get()
	}
}

pub struct TestLocks;
impl VeWeights<AccountId> for TestLocks {
	fn snapshot_day() -> DayIndex {
		Today::get()
	}
	fn weight_at(_: &AccountId, _: DayIndex) -> Option<vcity_primitives::VeWeight> {
		None
	}
	fn total_weight_at(_: DayIndex) -> Option<vcity_primitives::VeWeight> {
		None
	}
	fn total_locked() -> Balance {
		Locked::get()
	}
}

/// Days as the test sets them; only the day index is read.
pub struct TestClock;
impl Clock for TestClock {
	fn now_ms() -> Moment {
		Moment::from(Today::get()) * 86_400_000
	}
	fn day_ms() -> Moment {
		86_400_000
	}
	fn day_index() -> DayIndex {
		Today::get()
	}
	fn day_of(moment: Moment) -> DayIndex {
		(moment / 86_400_000) as DayIndex
	}
	fn day_start_ms(day: DayIndex) -> Moment {
		Moment::from(day) * 86_400_000
	}
	fn period_index() -> PeriodIndex {
		Today::get() / 7
	}
	fn period_start_ms(period: PeriodIndex) -> Option<Moment> {
		Some(Moment::from(period) * 7 * 86_400_000)
	}
}

/// Ten blocks a day: vesting ticks are blocks here.
pub const TICKS_PER_DAY: u32 = 10;

impl Config for Test {
	type Currency = Balances;
	type Stablecoin = Usdv;
	type Vesting = Vesting;
	type VestingClock = System;
	type VestingTicksPerDay = ConstU32<TICKS_PER_DAY>;
	type Revenue = TestRevenue;
	type VeWeights = TestLocks;
	type Clock = TestClock;
	type TreasuryAccount = Treasury;
	type IssuanceOrigin = EnsureRoot<AccountId>;
	type RepricingOrigin = EnsureRoot<AccountId>;
	type SpendOrigin = EnsureRoot<AccountId>;
	type YearlyCap = YearlyCap;
	type MaxPartners = ConstU32<4>;
	type MaxVestingDays = ConstU32<3_650>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Stager;
}

parameter_types! {
	pub const YearlyCap: Perbill = Perbill::from_percent(5);
}

#[cfg(feature = "runtime-benchmarks")]
pub struct Stager;
#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper<AccountId> for Stager {
	fn reach_stages(stages: &StageSizes) {
		Revenue::set(stages.revenue);
		Locked::set(stages.equity);
	}
}

pub const ED: Balance = VCAI / 1_000;
pub const TREASURY: AccountId = 99;
pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CHARLIE: AccountId = 3;
/// The genesis supply: ten billion VCAI, as on the chain.
pub const SUPPLY: Balance = 10_000_000_000 * VCAI;
/// One revenue and one equity stage at the whitepaper's sizes.
pub const REVENUE_STAGE: Balance = 2_000_000 * vcity_primitives::USDV;
pub const EQUITY_STAGE: Balance = 500_000_000 * VCAI;

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(TREASURY, 2_000_000_000 * VCAI), (ALICE, SUPPLY - 2_000_000_000 * VCAI)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_balances::GenesisConfig::<Test, pallet_balances::Instance2> {
		balances: vec![(TREASURY, 1_000 * vcity_primitives::USDV)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_supply::GenesisConfig::<Test>::default().assimilate_storage(&mut storage).unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		Revenue::set(0);
		Locked::set(0);
		Today::set(0);
	});
	ext
}

/// Runs a test, then checks the pallet's invariants and that VCAI grew by exactly what the
/// strategic issuances minted: nothing else mints or burns.
pub fn test(body: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		body();
		assert_ok!(Supply::do_try_state());
		assert_eq!(pallet_balances::TotalIssuance::<Test>::get(), SUPPLY + TotalIssued::<Test>::get());
	});
}

/// Revenue and locks reaching `stages` stages each.
pub fn reach(revenue_stages: u32, equity_stages: u32) {
	Revenue::set(REVENUE_STAGE * Balance::from(revenue_stages));
	Locked::set(EQUITY_STAGE * Balance::from(equity_stages));
}

pub fn issue(grants: Vec<(AccountId, Balance)>, terms: VestingTerms) -> sp_runtime::DispatchResult {
	Supply::strategic_issuance(RuntimeOrigin::root(), grants.try_into().unwrap(), terms)
}

pub fn year_terms() -> VestingTerms {
	VestingTerms { cliff_days: 30, vesting_days: 365 }
}

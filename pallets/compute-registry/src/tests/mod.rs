//! Mock runtime and shared builder for the registry's tests, on the real chain clock.

mod extension_tests;
mod heartbeat_tests;
mod online_index_tests;
mod reap_tests;
mod registration_tests;
mod reputation_tests;
mod stake_tests;
mod status_tests;

use crate::{self as pallet_compute_registry, *};
use core::cell::Cell;
use frame_support::{
	assert_ok, derive_impl, parameter_types,
	traits::{ConstU32, ConstU64, Hooks},
	BoundedVec,
};
use sp_runtime::{BuildStorage, FixedU128};
use vcity_primitives::{
	Balance, Clock, GpuSpec, HeartbeatMetrics, Moment, NodeId, NodeKind, NodeRoles, PeriodIndex,
	StakeAdjustment, StakeMarket, VcaiPerUsdv, VCAI,
};

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Timestamp: pallet_timestamp,
		ChainClock: pallet_chain_clock,
		Registry: pallet_compute_registry,
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

use frame_support::traits::ConstU128;

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {
	type OnTimestampSet = ChainClock;
}

#[derive_impl(pallet_chain_clock::config_preludes::TestDefaultConfig)]
impl pallet_chain_clock::Config for Test {
	type Time = Timestamp;
	type GovernanceOrigin = frame_system::EnsureRoot<AccountId>;
}

pub const EXISTENTIAL_DEPOSIT: Balance = VCAI / 100;
/// The first block's timestamp: the chain's start.
pub const START_MS: Moment = 1_000_000_000;
pub const DAY_MS: Moment = 24 * 3_600_000;
pub const PERIOD_MS: Moment = 7 * DAY_MS;
pub const WINDOW_MS: Moment = 600_000;
pub const HALF_LIFE_MS: Moment = 30 * 24 * 3_600_000;
pub const UNBONDING_BLOCKS: u64 = 100;
pub const OWNER: AccountId = 1;
pub const OPERATOR: AccountId = 2;
pub const OTHER_OWNER: AccountId = 3;
pub const OTHER_OPERATOR: AccountId = 4;
pub const STRANGER: AccountId = 5;
pub const POT: AccountId = 9;
pub const OWNER_FUNDS: Balance = 1_000_000 * VCAI;
/// Held for each node's record until the record is reaped.
pub const RECORD_DEPOSIT: Balance = 5 * VCAI;

/// VCAI per USDV the tests' stake tiers are priced at: a cent per VCAI.
pub const REFERENCE_PRICE: VcaiPerUsdv = 100 * VCAI;

thread_local! {
	static RECORD_IN_USE: Cell<bool> = const { Cell::new(false) };
	static UTILIZATION: Cell<Option<sp_runtime::Perbill>> = const { Cell::new(None) };
	static PRICE: Cell<Option<VcaiPerUsdv>> = const { Cell::new(None) };
}

/// Moves the chain's time `ms` on, as later blocks' timestamps would.
pub fn advance_ms(ms: Moment) {
	Timestamp::set_timestamp(ChainClock::now_ms() + ms);
}

/// A market whose utilization (the same every period) and price a test sets.
pub struct MockMarket;
impl StakeMarket for MockMarket {
	fn utilization(_period: PeriodIndex) -> Option<sp_runtime::Perbill> {
		UTILIZATION.with(|u| u.get())
	}
	fn vcai_per_usdv() -> Option<VcaiPerUsdv> {
		PRICE.with(|p| p.get())
	}
}

/// Other pallets' claim on exited records, as a test sets it.
pub struct MockRecordUse;
impl vcity_primitives::NodeRecordUse for MockRecordUse {
	fn in_use(_node: NodeId) -> bool {
		RECORD_IN_USE.with(|u| u.get())
	}
	fn in_use_weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::zero()
	}
}

pub fn records_in_use(in_use: bool) {
	RECORD_IN_USE.with(|u| u.set(in_use));
}

pub fn market_runs_at(percent: u32) {
	UTILIZATION.with(|u| u.set(Some(sp_runtime::Perbill::from_percent(percent))));
}

pub fn vcai_trades_at(vcai_per_usdv: Option<VcaiPerUsdv>) {
	PRICE.with(|p| p.set(vcai_per_usdv));
}

/// Proof of Capacity as the registry sees it: the default multi-GPU coefficients and class
/// factors, which the stake follows, and no points.
pub struct StagedCapacity;
impl vcity_primitives::CapacityRewards for StagedCapacity {
	fn capacity_proven(_proof: vcity_primitives::CapacityProof) {}
	fn capacity_proven_weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::zero()
	}
	fn multi_gpu_permille(total_vram_gib: u32) -> u32 {
		vcity_primitives::stage_factor(&vcity_primitives::RewardsParams::default().multi_gpu, total_vram_gib)
	}
	fn class_permille(class: vcity_primitives::GpuClass) -> u32 {
		vcity_primitives::RewardsParams::default().gpu_class.of(class)
	}
}

parameter_types! {
	pub const TargetUtilization: sp_runtime::Perbill = sp_runtime::Perbill::from_percent(80);
	pub const MinStakeMultiplier: FixedU128 = FixedU128::from_rational(1, 10);
	pub const MaxStakeMultiplier: FixedU128 = FixedU128::from_u32(10);
}

impl pallet_compute_registry::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Clock = ChainClock;
	type StakeMarket = MockMarket;
	type TargetUtilization = TargetUtilization;
	type OpenWork = ();
	type CapacityRewards = StagedCapacity;
	type Offences = ();
	type Penalties = ();
	type OpenChecks = ();
	type GovernanceOrigin = frame_system::EnsureRoot<AccountId>;
	type UnbondingPeriod = ConstU64<UNBONDING_BLOCKS>;
	type MaxGpusPerNode = ConstU32<64>;
	type MaxVramPerGpuGib = ConstU32<1024>;
	type MinHeartbeatWindowMs = ConstU64<60_000>;
	type MaxHeartbeatWindowMs = ConstU64<3_600_000>;
	type MinStakeMultiplier = MinStakeMultiplier;
	type MaxStakeMultiplier = MaxStakeMultiplier;
	type ReputationHalfLifeMs = ConstU64<HALF_LIFE_MS>;
	type BlockTimeMs = ConstU64<6_000>;
	type HeartbeatPriority = ConstU64<1_000>;
	type MaxHeartbeatsPerBlock = ConstU32<3>;
	type RecordDeposit = ConstU128<RECORD_DEPOSIT>;
	type RecordUse = MockRecordUse;
	type OnlineSweepPerBlock = ConstU32<2>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TimeMover;
}

#[cfg(feature = "runtime-benchmarks")]
pub struct TimeMover;
#[cfg(feature = "runtime-benchmarks")]
impl BenchmarkHelper for TimeMover {
	fn set_time(now_ms: Moment) {
		Timestamp::set_timestamp(now_ms);
	}
	fn period_ms() -> Moment {
		PERIOD_MS
	}
}

/// Stake per GPU by memory tier in the tests: 1,000 VCAI below 24 GiB, 2,500 from 24, 5,000 from
/// 80, before the class factor (a data-centre card, 2.0×, stakes 10,000 VCAI).
pub fn test_tiers() -> Vec<(u32, Balance)> {
	vec![(0, 1_000 * VCAI), (24, 2_500 * VCAI), (80, 5_000 * VCAI)]
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	UTILIZATION.with(|u| u.set(None));
	PRICE.with(|p| p.set(None));
	RECORD_IN_USE.with(|u| u.set(false));
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![
			(OWNER, OWNER_FUNDS),
			(OPERATOR, VCAI),
			(OTHER_OWNER, OWNER_FUNDS),
			(OTHER_OPERATOR, VCAI),
			(STRANGER, VCAI),
			(POT, VCAI),
		],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_compute_registry::GenesisConfig::<Test> {
		heartbeat_window_ms: WINDOW_MS,
		stake_tiers: test_tiers(),
		stake_multiplier_percent: 100,
		stake_adjustment: StakeAdjustment { reference_vcai_per_usdv: REFERENCE_PRICE, ..Default::default() },
		_config: Default::default(),
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_chain_clock::GenesisConfig::<Test> { day_ms: DAY_MS, period_ms: PERIOD_MS, ..Default::default() }
		.assimilate_storage(&mut storage)
		.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		Timestamp::set_timestamp(START_MS);
	});
	ext
}

/// Runs a test and then checks the pallet's invariants (held stake == Σ node stakes, state counts).
pub fn test(f: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		f();
		Registry::do_try_state().expect("registry invariants hold");
	});
}

pub fn h100s(count: u32) -> GpuSpec {
	GpuSpec { model: BoundedVec::try_from(b"NVIDIA H100".to_vec()).unwrap(), count, vram_per_gpu_gib: 80 }
}

pub fn region(code: &str) -> vcity_primitives::Region {
	BoundedVec::try_from(code.as_bytes().to_vec()).unwrap()
}

pub fn compute_only() -> NodeRoles {
	NodeRoles { compute: true, verifier: false, scheduler: false }
}

/// Registers `count` H100s for `owner` run by `operator`, with exactly the required stake.
pub fn register(owner: AccountId, operator: AccountId, count: u32) -> NodeId {
	let id = NextNodeId::<Test>::get();
	let stake = Registry::required_stake(&h100s(count)).unwrap();
	assert_ok!(Registry::register_node(
		RuntimeOrigin::signed(owner),
		NodeKind::Stable,
		compute_only(),
		h100s(count),
		region("eu-west"),
		2_000_000,
		operator,
		stake,
	));
	id
}

pub fn beat(operator: AccountId, node: NodeId) -> sp_runtime::DispatchResult {
	Registry::heartbeat(RuntimeOrigin::signed(operator), node, HeartbeatMetrics::default())
}

pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Registry::on_initialize(next);
	}
}

pub fn last_event() -> RuntimeEvent {
	System::events().pop().expect("an event").event
}

//! Mock runtime for the slashing tests: real balances, the real chain clock and the real
//! registry, whose hold is the stake; the market's committed work, what a ban ends elsewhere and
//! VCAI's price are tables the tests set.

mod appeal_tests;
mod bug_class_tests;
mod execute_tests;
mod report_tests;

use crate::{self as pallet_slashing, *};
use core::cell::{Cell, RefCell};
use frame_support::{
	assert_ok, derive_impl, parameter_types,
	traits::{fungible::Inspect as _, ConstU128, ConstU32, ConstU64, Hooks},
	BoundedVec,
};
use sp_runtime::{BuildStorage, FixedU128, Perbill};
use std::collections::BTreeMap;
use vcity_primitives::{
	Balance, Clock, GpuSpec, Moment, NodeId, NodeKind, NodeRoles, Offence, OffenceEvidence, OffenceReport,
	OffenceReporter, VCAI,
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
		Slashing: pallet_slashing,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

pub const EXISTENTIAL_DEPOSIT: Balance = VCAI / 100;

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

pub const START_MS: Moment = 1_000_000_000;
pub const DAY_MS: Moment = 24 * 3_600_000;
pub const WINDOW_MS: Moment = 600_000;
pub const DEFERRAL: u64 = 50;
pub const GRACE: u64 = 20;
pub const REPEAT_WINDOW: u64 = 1_000;
/// Longer than the longest pending window and grace: the runtime's rule.
pub const UNBONDING_BLOCKS: u64 = 400;
pub const APPEAL_DEPOSIT: Balance = 100 * VCAI;
pub const OWNER: AccountId = 1;
pub const OPERATOR: AccountId = 2;
pub const OTHER_OWNER: AccountId = 3;
pub const OTHER_OPERATOR: AccountId = 4;
pub const USER: AccountId = 5;
pub const OTHER_USER: AccountId = 6;
pub const VERIFIER: AccountId = 7;
pub const TREASURY: AccountId = 99;
pub const OWNER_FUNDS: Balance = 1_000_000 * VCAI;
/// Per GPU of up to 24 GiB, and of 24 GiB or more.
pub const STAKE_PER_GPU: Balance = 10_000 * VCAI;
/// VCAI a whole USDV buys in the tests: a cent per VCAI.
pub const PRICE: Balance = 100 * VCAI;

thread_local! {
	static COMMITTED: RefCell<BTreeMap<NodeId, u32>> = const { RefCell::new(BTreeMap::new()) };
	static BANNED: RefCell<Vec<NodeId>> = const { RefCell::new(Vec::new()) };
	static VCAI_PRICE: Cell<Option<Balance>> = const { Cell::new(Some(PRICE)) };
}

/// The market's committed work per node, as a test sets it.
pub struct MockWork;
impl vcity_primitives::OpenWork for MockWork {
	fn open_tasks(node: NodeId) -> u32 {
		Self::committed_tasks(node)
	}
	fn committed_tasks(node: NodeId) -> u32 {
		COMMITTED.with(|c| c.borrow().get(&node).copied().unwrap_or(0))
	}
}

pub fn commit_tasks(node: NodeId, count: u32) {
	COMMITTED.with(|c| c.borrow_mut().insert(node, count));
}

/// What the rest of the chain would undo on a ban: the tests see which nodes it was told of.
pub struct MockOnBanned;
impl vcity_primitives::OnNodeBanned for MockOnBanned {
	fn node_banned(node: NodeId) -> frame_support::weights::Weight {
		BANNED.with(|b| b.borrow_mut().push(node));
		frame_support::weights::Weight::zero()
	}
	fn node_banned_weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::zero()
	}
}

pub fn bans_announced() -> Vec<NodeId> {
	BANNED.with(|b| b.borrow().clone())
}

pub struct MockPrice;
impl vcity_primitives::VcaiPrice for MockPrice {
	fn vcai_per_usdv() -> Option<Balance> {
		VCAI_PRICE.with(|p| p.get())
	}
}

pub fn set_price(price: Option<Balance>) {
	VCAI_PRICE.with(|p| p.set(price));
}

parameter_types! {
	pub const TargetUtilization: Perbill = Perbill::from_percent(80);
	pub const MinStakeMultiplier: FixedU128 = FixedU128::from_rational(1, 10);
	pub const MaxStakeMultiplier: FixedU128 = FixedU128::from_u32(10);
	pub const Treasury: AccountId = TREASURY;
}

impl pallet_compute_registry::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Clock = ChainClock;
	type StakeMarket = ();
	type TargetUtilization = TargetUtilization;
	type OpenWork = MockWork;
	type CapacityRewards = ();
	type Offences = Slashing;
	type Penalties = Slashing;
	type OpenChecks = ();
	type GovernanceOrigin = frame_system::EnsureRoot<AccountId>;
	type UnbondingPeriod = ConstU64<UNBONDING_BLOCKS>;
	type MaxGpusPerNode = ConstU32<64>;
	type MaxVramPerGpuGib = ConstU32<1024>;
	type MinHeartbeatWindowMs = ConstU64<60_000>;
	type MaxHeartbeatWindowMs = ConstU64<3_600_000>;
	type MinStakeMultiplier = MinStakeMultiplier;
	type MaxStakeMultiplier = MaxStakeMultiplier;
	type ReputationHalfLifeMs = ConstU64<{ 30 * DAY_MS }>;
	type BlockTimeMs = ConstU64<6_000>;
	type HeartbeatPriority = ConstU64<1_000>;
	type MaxHeartbeatsPerBlock = ConstU32<100>;
	type RecordDeposit = ConstU128<{ VCAI }>;
	type RecordUse = ();
	type OnlineSweepPerBlock = ConstU32<8>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = RegistryTime;
}

#[cfg(feature = "runtime-benchmarks")]
pub struct RegistryTime;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_compute_registry::BenchmarkHelper for RegistryTime {
	fn set_time(now_ms: Moment) {
		Timestamp::set_timestamp(now_ms);
	}
	fn period_ms() -> Moment {
		7 * DAY_MS
	}
}

impl pallet_slashing::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Registry = Registry;
	type OnBanned = MockOnBanned;
	type Price = MockPrice;
	type Treasury = Treasury;
	type GovernanceOrigin = frame_system::EnsureRoot<AccountId>;
	type AppealOrigin = frame_system::EnsureRoot<AccountId>;
	type MinDeferral = ConstU64<10>;
	// Wide enough for the defaults' days of 6-second blocks.
	type MaxDeferral = ConstU64<200_000>;
	type MaxAppealGrace = ConstU64<100_000>;
	type MaxRepeatWindow = ConstU64<1_000_000>;
	type MaxExecutionsPerBlock = ConstU32<2>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchNodes;
}

#[cfg(feature = "runtime-benchmarks")]
pub struct BenchNodes;
#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper<AccountId> for BenchNodes {
	fn register_node(owner: &AccountId) -> NodeId {
		use frame_support::traits::fungible::Mutate;
		let _ = Balances::set_balance(owner, OWNER_FUNDS);
		let operator = 1_000_000 + *owner;
		let id = pallet_compute_registry::NextNodeId::<Test>::get();
		assert_ok!(Registry::register_node(
			RuntimeOrigin::signed(*owner),
			NodeKind::Stable,
			compute_only(),
			gpus(1),
			BoundedVec::truncate_from(b"eu".to_vec()),
			1_000,
			operator,
			STAKE_PER_GPU,
		));
		id
	}
	fn set_price(vcai_per_usdv: Balance) {
		set_price(Some(vcai_per_usdv));
	}
}

pub fn test_params() -> SlashParams<u64> {
	SlashParams {
		deferral: DEFERRAL,
		appeal_grace: GRACE,
		repeat_window: REPEAT_WINDOW,
		appeal_deposit: APPEAL_DEPOSIT,
		..Default::default()
	}
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	COMMITTED.with(|c| c.borrow_mut().clear());
	BANNED.with(|b| b.borrow_mut().clear());
	set_price(Some(PRICE));
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![
			(OWNER, OWNER_FUNDS),
			(OPERATOR, VCAI),
			(OTHER_OWNER, OWNER_FUNDS),
			(OTHER_OPERATOR, VCAI),
			(VERIFIER, VCAI),
			(TREASURY, VCAI),
		],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_compute_registry::GenesisConfig::<Test> {
		heartbeat_window_ms: WINDOW_MS,
		stake_tiers: vec![(0, STAKE_PER_GPU)],
		stake_multiplier_percent: 100,
		stake_adjustment: Default::default(),
		_config: Default::default(),
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_chain_clock::GenesisConfig::<Test> { day_ms: DAY_MS, period_ms: 7 * DAY_MS, ..Default::default() }
		.assimilate_storage(&mut storage)
		.unwrap();
	pallet_slashing::GenesisConfig::<Test> { params: test_params() }
		.assimilate_storage(&mut storage)
		.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		Timestamp::set_timestamp(START_MS);
	});
	ext
}

/// What no slash may change: VCAI's total issuance.
pub fn issuance() -> Balance {
	Balances::total_issuance()
}

/// Runs a test, then checks both pallets' invariants (the registry's: each owner's held stake is
/// the sum of its nodes' recorded stakes) and that no VCAI was minted or burnt.
pub fn test(f: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		let before = issuance();
		f();
		Registry::do_try_state().expect("registry invariants hold");
		Slashing::do_try_state().expect("slashing invariants hold");
		assert_eq!(issuance(), before, "a slash minted or burnt VCAI");
	});
}

pub fn gpus(count: u32) -> GpuSpec {
	GpuSpec { model: BoundedVec::truncate_from(b"NVIDIA RTX 4090".to_vec()), count, vram_per_gpu_gib: 24 }
}

pub fn compute_only() -> NodeRoles {
	NodeRoles { compute: true, verifier: false, scheduler: false }
}

/// Registers a node of `count` GPUs for `owner`, run by `operator`, with the required stake.
pub fn register(owner: AccountId, operator: AccountId, count: u32) -> NodeId {
	let id = pallet_compute_registry::NextNodeId::<Test>::get();
	assert_ok!(Registry::register_node(
		RuntimeOrigin::signed(owner),
		NodeKind::Stable,
		compute_only(),
		gpus(count),
		BoundedVec::truncate_from(b"eu-west".to_vec()),
		1_000_000,
		operator,
		STAKE_PER_GPU * Balance::from(count),
	));
	id
}

/// The stake the registry holds for `node`.
pub fn stake(node: NodeId) -> Balance {
	pallet_compute_registry::Nodes::<Test>::get(node).map_or(0, |n| n.stake)
}

pub fn report(node: NodeId, offence: Offence, task: u64, victim: Option<(AccountId, Balance)>) {
	Slashing::report_offence(OffenceReport {
		node,
		offence,
		evidence: OffenceEvidence::Task(task),
		victim,
		reporters: Vec::new(),
	});
}

/// Runs blocks up to and including `n`, with their hooks and 6-second timestamps.
pub fn run_to(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Timestamp::set_timestamp(ChainClock::now_ms() + 6_000);
		<Registry as Hooks<u64>>::on_initialize(next);
		<Slashing as Hooks<u64>>::on_initialize(next);
	}
}

/// Runs blocks, at most `limit`, until a case is pending against `node`; returns it.
pub fn run_until_case(node: NodeId, limit: u64) -> Option<(u64, crate::report::CaseOf<Test>)> {
	for _ in 0..limit {
		if let Some(case) = Slashing::pending_case(node) {
			return Some(case);
		}
		run_to(System::block_number() + 1);
	}
	Slashing::pending_case(node)
}

pub fn free(who: AccountId) -> Balance {
	Balances::balance(&who)
}

pub fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Slashing(e) = r.event { Some(e) } else { None })
		.collect()
}

//! Mock runtime for the market's tests: the real registry for nodes, `pallet-assets` with
//! `pallet-assets-holder` for USDV holds (as in the runtime), and the real chain clock, whose
//! time tests move by hand.

mod assign_tests;
mod audit_tests;
mod delivery_tests;
mod griefing_tests;
mod matching_tests;
mod offence_tests;
mod self_dealing_tests;
mod settle_tests;
mod submit_tests;
mod usage_tests;

use crate::{self as pallet_compute_market, *};
use core::cell::RefCell;
use frame_support::{
	assert_ok, derive_impl, parameter_types,
	traits::{
		fungible::{Inspect, InspectHold},
		AsEnsureOriginWithArg, ConstU128, ConstU32, ConstU64, Hooks,
	},
	BoundedVec,
};
use frame_system::{EnsureRoot, EnsureSigned};
use sp_runtime::{BuildStorage, FixedU128};
use vcity_primitives::{
	Balance, Billing, BuiltinWorkload, Clock, GpuClass, GpuSpec, HeartbeatMetrics, Moment, NodeId, NodeKind,
	NodeRoles, Placement, Region, RevenueSink, TaskId, TaskRequirements, Workload, USDV, VCAI,
};

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Assets: pallet_assets,
		AssetsHolder: pallet_assets_holder,
		Timestamp: pallet_timestamp,
		ChainClock: pallet_chain_clock,
		Registry: pallet_compute_registry,
		Market: pallet_compute_market,
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
	type ExistentialDeposit = ConstU128<{ VCAI / 100 }>;
	type RuntimeHoldReason = RuntimeHoldReason;
}

pub const USDV_ID: u32 = 1000;
/// As in the runtime: 0.01 USDV.
pub const USDV_MIN_BALANCE: Balance = USDV / 100;

#[derive_impl(pallet_assets::config_preludes::TestDefaultConfig)]
impl pallet_assets::Config for Test {
	type Balance = Balance;
	type AssetId = u32;
	type AssetIdParameter = u32;
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type Freezer = ();
	type Holder = AssetsHolder;
}

impl pallet_assets_holder::Config for Test {
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeEvent = RuntimeEvent;
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {
	type OnTimestampSet = ChainClock;
}

#[derive_impl(pallet_chain_clock::config_preludes::TestDefaultConfig)]
impl pallet_chain_clock::Config for Test {
	type Time = Timestamp;
	type GovernanceOrigin = EnsureRoot<AccountId>;
}

/// The first block's timestamp: the chain's start.
pub const START_MS: Moment = 1_000_000_000;
pub const DAY_MS: Moment = 24 * 3_600_000;
pub const PERIOD_MS: Moment = 7 * DAY_MS;
pub const WINDOW_MS: Moment = 600_000;

thread_local! {
	static REVENUE_NOTED: RefCell<Vec<Balance>> = const { RefCell::new(Vec::new()) };
}

/// Moves the chain's time `ms` on, as later blocks' timestamps would.
pub fn advance_ms(ms: Moment) {
	Timestamp::set_timestamp(ChainClock::now_ms() + ms);
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
	type StakeMarket = ();
	type TargetUtilization = TargetUtilization;
	type OpenWork = Market;
	type CapacityRewards = ();
	type Offences = ();
	type Penalties = ();
	type OpenChecks = ();
	type GovernanceOrigin = EnsureRoot<AccountId>;
	type UnbondingPeriod = ConstU64<100>;
	type MaxGpusPerNode = ConstU32<64>;
	type MaxVramPerGpuGib = ConstU32<1024>;
	type MinHeartbeatWindowMs = ConstU64<60_000>;
	type MaxHeartbeatWindowMs = ConstU64<3_600_000>;
	type MinStakeMultiplier = MinStakeMultiplier;
	type MaxStakeMultiplier = MaxStakeMultiplier;
	type ReputationHalfLifeMs = ConstU64<{ 30 * 24 * 3_600_000 }>;
	type BlockTimeMs = ConstU64<6_000>;
	type HeartbeatPriority = ConstU64<1_000>;
	type MaxHeartbeatsPerBlock = ConstU32<1_000>;
	type RecordDeposit = ConstU128<{ vcity_primitives::VCAI }>;
	type RecordUse = Market;
	type OnlineSweepPerBlock = ConstU32<4>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockRegistryBench;
}

#[cfg(feature = "runtime-benchmarks")]
pub struct MockRegistryBench;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_compute_registry::BenchmarkHelper for MockRegistryBench {
	fn set_time(now_ms: Moment) {
		Timestamp::set_timestamp(now_ms);
	}
	fn period_ms() -> Moment {
		PERIOD_MS
	}
}

/// Protocol revenue goes to this account.
pub const TREASURY: AccountId = 99;

/// The treasury as revenue sink; remembers each noted amount so tests can compare.
pub struct MockTreasury;
impl RevenueSink<AccountId, Balance> for MockTreasury {
	fn account() -> AccountId {
		TREASURY
	}
	fn note_revenue(amount: Balance) {
		REVENUE_NOTED.with(|r| r.borrow_mut().push(amount));
	}
}

thread_local! {
	static OFFENCES: RefCell<Vec<vcity_primitives::OffenceReport<AccountId>>> = const { RefCell::new(Vec::new()) };
}

/// The slashing pallet as the market reports to it: each report, in order.
pub struct MockOffences;
impl vcity_primitives::OffenceReporter<AccountId> for MockOffences {
	fn report_offence(report: vcity_primitives::OffenceReport<AccountId>) {
		OFFENCES.with(|o| o.borrow_mut().push(report));
	}
	fn report_offence_weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::zero()
	}
}

/// The offences the market reported so far.
pub fn offences() -> Vec<vcity_primitives::OffenceReport<AccountId>> {
	OFFENCES.with(|o| o.borrow().clone())
}

thread_local! {
	static CREDITED: RefCell<Vec<(NodeId, vcity_primitives::DeliveryCredit)>> = const { RefCell::new(Vec::new()) };
}

/// Proof-of-Delivery as the rewards pallet would receive it: each credit, in order.
pub struct MockDeliveryRewards;
impl vcity_primitives::DeliveryRewards for MockDeliveryRewards {
	fn delivered(node: NodeId, credit: vcity_primitives::DeliveryCredit) {
		CREDITED.with(|c| c.borrow_mut().push((node, credit)));
	}
	fn delivered_weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::zero()
	}
	fn void_delivery(
		_node: NodeId,
		_period: vcity_primitives::PeriodIndex,
		_credit: vcity_primitives::DeliveryCredit,
	) {
	}
	fn void_delivery_weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::zero()
	}
}

/// Verification as the tests set it: which tasks are under audit, what disputes answer, the fee.
#[derive(Default)]
pub struct AuditsState {
	pub announced: Vec<TaskId>,
	pub open: std::collections::BTreeSet<TaskId>,
	pub disputes_audited: bool,
	pub fee_share: sp_runtime::Permill,
	pub fee_account: Option<AccountId>,
	/// GPUs each node was given back, in order, with the block their task was assigned in.
	pub freed: Vec<(NodeId, u32, u64, u32)>,
	/// GPUs of each node withheld for a challenge it owes.
	pub withheld: std::collections::BTreeMap<NodeId, u32>,
}

thread_local! {
	pub static AUDITS: RefCell<AuditsState> = RefCell::new(AuditsState::default());
}

pub struct MockAudits;
impl vcity_primitives::DeliveryAudits<AccountId> for MockAudits {
	fn delivered(task: TaskId) {
		AUDITS.with(|a| a.borrow_mut().announced.push(task));
	}
	fn delivered_weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::zero()
	}
	fn disputed(task: TaskId, _owner: &AccountId) -> Result<bool, sp_runtime::DispatchError> {
		Ok(AUDITS.with(|a| {
			let mut audits = a.borrow_mut();
			let audited = audits.disputes_audited;
			if audited {
				audits.open.insert(task);
			}
			audited
		}))
	}
	fn disputed_weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::zero()
	}
	fn audit_open(task: TaskId) -> bool {
		AUDITS.with(|a| a.borrow().open.contains(&task))
	}
	fn fee_share() -> sp_runtime::Permill {
		AUDITS.with(|a| a.borrow().fee_share)
	}
	fn fee_account() -> Option<AccountId> {
		AUDITS.with(|a| a.borrow().fee_account)
	}
	fn gpus_freed(node: NodeId, gpus: u32, assigned_at: u64, in_use: u32) {
		AUDITS.with(|a| a.borrow_mut().freed.push((node, gpus, assigned_at, in_use)));
	}
	fn gpus_freed_weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::zero()
	}
	fn gpus_withheld(node: NodeId) -> u32 {
		AUDITS.with(|a| a.borrow().withheld.get(&node).copied().unwrap_or(0))
	}
}

/// What settlements credited as Proof-of-Delivery so far.
pub fn credited() -> Vec<(NodeId, vcity_primitives::DeliveryCredit)> {
	CREDITED.with(|c| c.borrow().clone())
}

pub fn revenue_noted() -> Balance {
	REVENUE_NOTED.with(|r| r.borrow().iter().sum())
}

pub type Usdv = frame_support::traits::fungible::ItemOf<AssetsHolder, UsdvId, AccountId>;
parameter_types! {
	pub const UsdvId: u32 = USDV_ID;
}

pub const ACK_WINDOW: u64 = 10;
/// Blocks a node has to start a task it acknowledged.
pub const START_WINDOW: u64 = 20;
pub const DISPUTE_WINDOW: u64 = 50;
pub const RESOLUTION_WINDOW: u64 = 100;
pub const RETENTION: u64 = 1_000;

impl pallet_compute_market::Config for Test {
	type Stablecoin = Usdv;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Registry = Registry;
	type Reputation = Registry;
	type DeliveryRewards = MockDeliveryRewards;
	type Audits = MockAudits;
	type Offences = MockOffences;
	type Capacity = Registry;
	type RevenueSink = MockTreasury;
	type Clock = ChainClock;
	type GovernanceOrigin = EnsureRoot<AccountId>;
	type DisputeOrigin = EnsureRoot<AccountId>;
	type MaxGpusPerNode = ConstU32<64>;
	type MaxVramPerGpuGib = ConstU32<1024>;
	type BlockTimeMs = ConstU64<6_000>;
	type MaxTaskSeconds = ConstU64<{ 30 * 24 * 3_600 }>;
	type MaxDeadlineBlocks = ConstU64<1_000_000>;
	type MinAckWindow = ConstU64<3>;
	type MaxAssignmentsPerBatch = ConstU32<16>;
	type MaxTimeoutsPerBlock = ConstU32<8>;
	type MinTaskEscrow = ConstU128<100>;
	type FullReputationPayment = ConstU128<{ 10 * USDV }>;
	type MinTrustedReputation = ConstU32<4_000>;
	type TaskRetention = ConstU64<RETENTION>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockMarketBench;
}

/// Funds, nodes and register depth for the benchmarks, run as tests on this mock.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockMarketBench;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_compute_market::BenchmarkHelper<AccountId> for MockMarketBench {
	fn fund(who: &AccountId, amount: Balance) {
		use frame_support::traits::fungibles::Mutate;
		Assets::mint_into(USDV_ID, who, amount).unwrap();
	}
	fn online_node(owner: &AccountId, operator: &AccountId, gpus: u32, scheduler: bool) -> NodeId {
		use frame_support::traits::fungible::Mutate;
		let owner = *owner;
		let gpu = GpuSpec {
			model: BoundedVec::truncate_from(b"NVIDIA H100".to_vec()),
			count: gpus,
			vram_per_gpu_gib: 80,
		};
		let stake = Registry::required_stake(&gpu).unwrap();
		Balances::set_balance(&owner, stake * 2);
		let id = pallet_compute_registry::NextNodeId::<Test>::get();
		let roles = NodeRoles { compute: true, verifier: false, scheduler };
		assert_ok!(Registry::register_node(
			RuntimeOrigin::signed(owner),
			NodeKind::Stable,
			roles,
			gpu,
			region("eu-west"),
			USDV,
			*operator,
			stake
		));
		assert_ok!(Registry::heartbeat(RuntimeOrigin::signed(*operator), id, HeartbeatMetrics::default()));
		id
	}
	fn fill_register(count: u32) {
		pallet_compute_registry::benchmarking::populate::<Test>(count);
	}
}

pub const USER: AccountId = 10;
pub const OTHER_USER: AccountId = 11;
pub const POOR_USER: AccountId = 12;
/// Owner and operator keys of nodes: owner `10 * k + 100`, operator `10 * k + 101`.
pub const STRANGER: AccountId = 50;
pub const USER_USDV: Balance = 1_000_000 * USDV;

pub fn owner_of(k: u64) -> AccountId {
	100 + 10 * k
}

pub fn operator_of(k: u64) -> AccountId {
	101 + 10 * k
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	REVENUE_NOTED.with(|r| r.borrow_mut().clear());
	CREDITED.with(|c| c.borrow_mut().clear());
	AUDITS.with(|a| *a.borrow_mut() = AuditsState::default());
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut vcai: Vec<(AccountId, Balance)> =
		vec![(USER, VCAI), (OTHER_USER, VCAI), (POOR_USER, VCAI), (STRANGER, VCAI), (TREASURY, VCAI)];
	for k in 0..10 {
		vcai.push((owner_of(k), 10_000_000 * VCAI));
		vcai.push((operator_of(k), VCAI));
	}
	pallet_balances::GenesisConfig::<Test> { balances: vcai, ..Default::default() }
		.assimilate_storage(&mut storage)
		.unwrap();
	pallet_assets::GenesisConfig::<Test> {
		assets: vec![(USDV_ID, TREASURY, true, USDV_MIN_BALANCE)],
		metadata: vec![],
		accounts: vec![
			(USDV_ID, USER, USER_USDV),
			(USDV_ID, OTHER_USER, USER_USDV),
			(USDV_ID, POOR_USER, USDV),
		],
		next_asset_id: None,
		reserves: vec![],
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_compute_registry::GenesisConfig::<Test> {
		heartbeat_window_ms: WINDOW_MS,
		stake_tiers: vec![(0, 1_000 * VCAI)],
		stake_multiplier_percent: 100,
		// No grace: a raise of the stake binds at once (the registry's tests cover the grace).
		stake_adjustment: vcity_primitives::StakeAdjustment { grace_periods: 0, ..Default::default() },
		_config: Default::default(),
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_chain_clock::GenesisConfig::<Test> { day_ms: DAY_MS, period_ms: PERIOD_MS, ..Default::default() }
		.assimilate_storage(&mut storage)
		.unwrap();
	pallet_compute_market::GenesisConfig::<Test> {
		ack_window: ACK_WINDOW,
		start_window: START_WINDOW,
		price_floor: crate::DEFAULT_PRICE_FLOOR,
		dispute_window: DISPUTE_WINDOW,
		resolution_window: RESOLUTION_WINDOW,
		fee_split_percent: [85, 88, 91, 1],
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		Timestamp::set_timestamp(START_MS);
	});
	ext
}

/// Runs a test, then checks both pallets' invariants and that no USDV was created or destroyed.
pub fn test(f: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		let issuance = Usdv::total_issuance();
		f();
		Market::do_try_state().expect("market invariants hold");
		Registry::do_try_state().expect("registry invariants hold");
		assert_eq!(Usdv::total_issuance(), issuance, "USDV is never minted or burnt by the market");
	});
}

pub fn usdv(who: AccountId) -> Balance {
	Usdv::total_balance(&who)
}

pub fn held(who: AccountId) -> Balance {
	Usdv::balance_on_hold(&HoldReason::TaskEscrow.into(), &who)
}

pub fn region(code: &str) -> Region {
	BoundedVec::try_from(code.as_bytes().to_vec()).unwrap()
}

/// What a test node offers.
#[derive(Clone)]
pub struct NodeTerms {
	pub model: &'static str,
	pub gpus: u32,
	pub vram: u32,
	pub region: &'static str,
	pub price: Balance,
	pub scheduler: bool,
}

impl Default for NodeTerms {
	fn default() -> Self {
		Self {
			model: "NVIDIA H100 80GB",
			gpus: 8,
			vram: 80,
			region: "eu-west",
			price: 2 * USDV,
			scheduler: false,
		}
	}
}

/// Registers node number `k` with `terms` and makes it online; returns its id.
pub fn online_node(k: u64, terms: NodeTerms) -> NodeId {
	online_node_of(owner_of(k), operator_of(k), terms)
}

/// Registers a node of `owner` run by `operator` with `terms` and makes it online.
pub fn online_node_of(owner: AccountId, operator: AccountId, terms: NodeTerms) -> NodeId {
	let id = pallet_compute_registry::NextNodeId::<Test>::get();
	let gpu = GpuSpec {
		model: BoundedVec::try_from(terms.model.as_bytes().to_vec()).unwrap(),
		count: terms.gpus,
		vram_per_gpu_gib: terms.vram,
	};
	let stake = Registry::required_stake(&gpu).unwrap();
	let roles = NodeRoles { compute: !terms.scheduler, verifier: false, scheduler: terms.scheduler };
	assert_ok!(Registry::register_node(
		RuntimeOrigin::signed(owner),
		NodeKind::Stable,
		roles,
		gpu,
		region(terms.region),
		terms.price,
		operator,
		stake,
	));
	assert_ok!(Registry::heartbeat(RuntimeOrigin::signed(operator), id, HeartbeatMetrics::default()));
	id
}

/// Every node in service beats, as its agent would while time passes: a test that lets an
/// hour run keeps its nodes online.
pub fn keep_nodes_online() {
	for (id, node) in pallet_compute_registry::Nodes::<Test>::iter() {
		if node.state == pallet_compute_registry::NodeState::Active {
			assert_ok!(Registry::heartbeat(
				RuntimeOrigin::signed(node.operator),
				id,
				HeartbeatMetrics::default()
			));
		}
	}
}

/// Price floors of one base unit, for tests of prices far below the real floors.
pub fn lower_price_floors() {
	let mut params = Market::params().unwrap();
	params.price_floor = PriceFloor { consumer: 1, workstation: 1, datacenter: 1 };
	assert_ok!(Market::set_params(RuntimeOrigin::root(), params));
}

/// A scheduler node, number 9.
pub fn scheduler_node() -> NodeId {
	online_node(9, NodeTerms { scheduler: true, ..Default::default() })
}

pub fn scheduler_key() -> AccountId {
	operator_of(9)
}

/// Requirements of a plain task: `gpus` GPUs of at least 40 GiB anywhere.
pub fn needs(gpus: u32) -> TaskRequirements {
	TaskRequirements {
		gpus,
		min_vram_per_gpu_gib: 40,
		min_gpu_class: GpuClass::Consumer,
		min_stage: 0,
		placement: Placement::Anywhere,
	}
}

pub fn matrix() -> Workload {
	Workload::Builtin(BuiltinWorkload::MatrixProduct { seed: 7, size: 1024, rounds: 4 })
}

/// Submits `req` for one hour at up to 3 USDV per GPU-hour, due in 2,000 blocks.
pub fn submit(who: AccountId, req: TaskRequirements, billing: Billing) -> TaskId {
	let id = NextTaskId::<Test>::get();
	assert_ok!(Market::submit_task(
		RuntimeOrigin::signed(who),
		req,
		3_600,
		System::block_number() + 2_000,
		3 * USDV,
		matrix(),
		billing
	));
	id
}

/// `USER` submits a one-GPU matrix task of `seconds`, due at block `deadline`, billed per task.
pub fn submit_due(seconds: u64, deadline: u64) -> TaskId {
	let id = NextTaskId::<Test>::get();
	assert_ok!(Market::submit_task(
		RuntimeOrigin::signed(USER),
		needs(1),
		seconds,
		deadline,
		3 * USDV,
		matrix(),
		Billing::PerTask
	));
	id
}

/// Assigns through the scheduler node (which must exist) and returns the events' rejections.
pub fn assign(items: Vec<(TaskId, NodeId)>) -> Vec<(TaskId, NodeId, Rejection)> {
	System::reset_events();
	assert_ok!(Market::assign_tasks(
		RuntimeOrigin::signed(scheduler_key()),
		BoundedVec::try_from(items).unwrap()
	));
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Market(Event::AssignmentRejected { task, node, reason }) => {
				Some((task, node, reason))
			}
			_ => None,
		})
		.collect()
}

/// Runs task `id` on node number `k` from acknowledgement to delivery, letting `used` seconds
/// of chain time pass while it runs (enough for `used` metered GPU-seconds on any GPU count),
/// and the node beats once the time has passed, so it stays online for the next task.
pub fn deliver(k: u64, id: TaskId, used: u64) {
	let operator = RuntimeOrigin::signed(operator_of(k));
	assert_ok!(Market::acknowledge_task(operator.clone(), id));
	assert_ok!(Market::start_task(operator.clone(), id));
	if used > 0 {
		advance_ms(used * 1_000);
		keep_nodes_online();
	}
	assert_ok!(Market::complete_task(operator, id, [7; 32], used));
}

/// The block in which a window of `window` blocks opened at `opened` has closed.
pub fn closed(opened: u64, window: u64) -> u64 {
	opened + window + 1
}

pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Market::on_initialize(next);
	}
}

pub fn status(id: TaskId) -> vcity_primitives::TaskStatus {
	Market::task_info(id).expect("task exists").status
}

pub fn market_events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Market(e) = r.event { Some(e) } else { None })
		.collect()
}

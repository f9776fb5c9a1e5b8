//! Mock runtime and shared helpers for the rewards' tests: real balances and the real chain
//! clock; the registry and the market are stood in for by tables the tests fill (node owners and
//! statuses, capacity, consumption and spend per period), since this pallet only reads them
//! through `NodeRegistry` and `UsageMeter`. The runtime's tests run it with the real ones.

mod claim_tests;
mod controller_tests;
mod fee_cap_tests;
mod migration_tests;
mod schedule_tests;
mod simulation_tests;

use crate::{self as pallet_rewards, *};
use frame_support::{
	assert_ok, derive_impl, parameter_types,
	traits::{fungible::Inspect as _, ConstU128, ConstU32, ConstU64, Hooks},
	PalletId,
};
use frame_system::EnsureRoot;
use sp_runtime::{traits::AccountIdConversion, BuildStorage, Perbill};
use std::{cell::RefCell, collections::BTreeMap};
use vcity_primitives::{
	Balance, Clock, GpuSeconds, GpuSpec, Moment, NodeId, NodeProfile, NodeRegistry, NodeRoles, NodeStatus,
	PeriodIndex, ReputationTier, RewardsParams, UsageMeter, INCENTIVE_POOL, INCENTIVE_SCHEDULE_MS, VCAI,
};

type Block = frame_system::mocking::MockBlock<Test>;
/// Wide enough that the pool account and the pot (its sub-account) do not collide when truncated.
pub type AccountId = u128;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Timestamp: pallet_timestamp,
		ChainClock: pallet_chain_clock,
		Rewards: pallet_rewards,
	}
);

pub const EXISTENTIAL_DEPOSIT: Balance = VCAI / 1_000;
pub const DAY_MS: Moment = 24 * 3_600_000;
pub const WEEK_MS: Moment = 7 * DAY_MS;
pub const BLOCK_MS: Moment = 6_000;
/// The first block's timestamp: the chain's start.
pub const START_MS: Moment = 1_700_000_000_000;
pub const GRANTS: AccountId = 999;
pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CHARLIE: AccountId = 3;

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = sp_runtime::traits::IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type AccountStore = System;
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
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

parameter_types! {
	pub const RewardsPalletId: PalletId = PalletId(*b"vc/pool_");
	pub const Grants: AccountId = GRANTS;
	pub const Target: Perbill = Perbill::from_percent(80);
	pub const Gain: Perbill = Perbill::from_percent(10);
}

impl pallet_rewards::Config for Test {
	type Currency = Balances;
	type Clock = ChainClock;
	type Registry = MockRegistry;
	type Penalties = MockPenalties;
	type Usage = MockUsage;
	type Price = MockPrice;
	type GovernanceOrigin = EnsureRoot<AccountId>;
	type PalletId = RewardsPalletId;
	type GrantsAccount = Grants;
	type PoolTotal = ConstU128<INCENTIVE_POOL>;
	type ScheduleMs = ConstU64<INCENTIVE_SCHEDULE_MS>;
	type TargetUtilization = Target;
	type ControllerGain = Gain;
	type MaxPeriodsPerClaim = ConstU32<52>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockHelper;
}

thread_local! {
	static NODES: RefCell<BTreeMap<NodeId, (AccountId, NodeStatus)>> = const { RefCell::new(BTreeMap::new()) };
	static AVAILABLE: RefCell<BTreeMap<PeriodIndex, GpuSeconds>> = const { RefCell::new(BTreeMap::new()) };
	static CONSUMED: RefCell<BTreeMap<PeriodIndex, GpuSeconds>> = const { RefCell::new(BTreeMap::new()) };
	static SPEND: RefCell<BTreeMap<(PeriodIndex, AccountId), Balance>> = const { RefCell::new(BTreeMap::new()) };
	static FEES: RefCell<BTreeMap<(PeriodIndex, AccountId), Balance>> = const { RefCell::new(BTreeMap::new()) };
	static PRICE: RefCell<Option<Balance>> = const { RefCell::new(Some(UNCAPPED_PRICE)) };
	static SUSPENDED: RefCell<Vec<NodeId>> = const { RefCell::new(Vec::new()) };
}

/// Pending slashes that stop rewards, as tests set them.
pub struct MockPenalties;
impl vcity_primitives::PenaltyStatus for MockPenalties {
	fn rewards_suspended(node: NodeId) -> bool {
		SUSPENDED.with(|s| s.borrow().contains(&node))
	}
	fn slash_pending(node: NodeId) -> bool {
		Self::rewards_suspended(node)
	}
	fn penalty_status_weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::zero()
	}
}

pub fn suspend_rewards(node: NodeId, suspended: bool) {
	SUSPENDED.with(|s| {
		let mut list = s.borrow_mut();
		list.retain(|n| *n != node);
		if suspended {
			list.push(node);
		}
	});
}

/// Node owners and statuses, as tests set them.
pub struct MockRegistry;
impl NodeRegistry<AccountId, Balance> for MockRegistry {
	fn owner(node: NodeId) -> Option<AccountId> {
		NODES.with(|n| n.borrow().get(&node).map(|(owner, _)| *owner))
	}
	fn operator(node: NodeId) -> Option<AccountId> {
		Self::owner(node)
	}
	fn node_of_operator(operator: &AccountId) -> Option<NodeId> {
		NODES.with(|n| n.borrow().iter().find(|(_, (owner, _))| owner == operator).map(|(id, _)| *id))
	}
	fn gpu_spec(_node: NodeId) -> Option<GpuSpec> {
		None
	}
	fn status(node: NodeId) -> Option<NodeStatus> {
		NODES.with(|n| n.borrow().get(&node).map(|(_, status)| *status))
	}
	fn stake(_node: NodeId) -> Option<(Balance, Balance)> {
		None
	}
	fn price_per_gpu_hour(_node: NodeId) -> Option<Balance> {
		None
	}
	fn reputation_tier(_node: NodeId) -> Option<ReputationTier> {
		None
	}
	fn profile(node: NodeId) -> Option<NodeProfile<AccountId, Balance>> {
		let owner = Self::owner(node)?;
		Some(NodeProfile {
			owner,
			operator: owner,
			roles: NodeRoles::default(),
			gpu: GpuSpec { model: Default::default(), count: 1, vram_per_gpu_gib: 24 },
			region: Default::default(),
			price_per_gpu_hour: 0,
			price_raised_ms: 0,
			status: Self::status(node)?,
			reputation: 5_000,
			tier: ReputationTier::Bronze,
			completion: Perbill::one(),
			staked: true,
		})
	}
	fn online_compute_nodes(cursor: NodeId, limit: u32) -> (Vec<NodeId>, Option<NodeId>) {
		let ids: Vec<NodeId> = NODES.with(|n| n.borrow().keys().copied().filter(|id| *id > cursor).collect());
		let page: Vec<NodeId> = ids.iter().copied().take(limit as usize).collect();
		let next = (ids.len() > page.len()).then(|| page.last().copied()).flatten();
		(page, next)
	}
}

/// Capacity, consumption and spend per period, as tests set them.
pub struct MockUsage;
impl UsageMeter<AccountId, Balance> for MockUsage {
	fn available_gpu_seconds(period: PeriodIndex) -> GpuSeconds {
		AVAILABLE.with(|a| a.borrow().get(&period).copied().unwrap_or(0))
	}
	fn consumed_gpu_seconds(period: PeriodIndex) -> GpuSeconds {
		CONSUMED.with(|c| c.borrow().get(&period).copied().unwrap_or(0))
	}
	fn spend_of(period: PeriodIndex, who: &AccountId) -> Balance {
		SPEND.with(|s| s.borrow().get(&(period, *who)).copied().unwrap_or(0))
	}
	fn total_spend(period: PeriodIndex) -> Balance {
		SPEND.with(|s| s.borrow().iter().filter(|((p, _), _)| *p == period).map(|(_, v)| *v).sum())
	}
	fn fees_of(period: PeriodIndex, who: &AccountId) -> Balance {
		FEES.with(|f| f.borrow().get(&(period, *who)).copied().unwrap_or(0))
	}
}

/// A VCAI price so high that no fee cap binds: the tests of sharing see the pots' shares whole.
pub const UNCAPPED_PRICE: Balance = 1_000_000_000_000 * VCAI;

/// VCAI's price as tests set it (`None`: no price).
pub struct MockPrice;
impl vcity_primitives::VcaiPrice for MockPrice {
	fn vcai_per_usdv() -> Option<Balance> {
		PRICE.with(|p| *p.borrow())
	}
}

pub fn set_price(price: Option<Balance>) {
	PRICE.with(|p| *p.borrow_mut() = price);
}

pub fn add_node(node: NodeId, owner: AccountId) {
	NODES.with(|n| n.borrow_mut().insert(node, (owner, NodeStatus::Online)));
}

pub fn set_status(node: NodeId, status: NodeStatus) {
	NODES.with(|n| n.borrow_mut().get_mut(&node).expect("a node the test added").1 = status);
}

pub fn set_usage(period: PeriodIndex, available: GpuSeconds, consumed: GpuSeconds) {
	AVAILABLE.with(|a| a.borrow_mut().insert(period, available));
	CONSUMED.with(|c| c.borrow_mut().insert(period, consumed));
}

/// `who` paid `amount` in `period`, all of it protocol fee (so no rebate cap binds unless a
/// test sets a price).
pub fn add_spend(period: PeriodIndex, who: AccountId, amount: Balance) {
	add_spend_with_fee(period, who, amount, amount);
}

pub fn add_spend_with_fee(period: PeriodIndex, who: AccountId, amount: Balance, fee: Balance) {
	SPEND.with(|s| *s.borrow_mut().entry((period, who)).or_default() += amount);
	FEES.with(|f| *f.borrow_mut().entry((period, who)).or_default() += fee);
}

#[cfg(feature = "runtime-benchmarks")]
pub struct MockHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper<AccountId> for MockHelper {
	fn register_node(owner: &AccountId) -> NodeId {
		let id = 1_000 + NODES.with(|n| n.borrow().len() as NodeId);
		add_node(id, *owner);
		id
	}
	fn ban_node(node: NodeId) {
		set_status(node, NodeStatus::Banned);
	}
	fn record_spend(period: PeriodIndex, who: &AccountId, amount: Balance) {
		add_spend(period, *who, amount);
	}
	fn set_time(now_ms: Moment) {
		Timestamp::set_timestamp(now_ms);
	}
}

pub fn pool() -> AccountId {
	RewardsPalletId::get().into_account_truncating()
}

pub fn pot() -> AccountId {
	Rewards::pot_account()
}

pub fn balance(who: AccountId) -> Balance {
	Balances::balance(&who)
}

/// VCAI in existence at genesis: the pool, the deposits of the pot and the grants account, and
/// 1,000 VCAI for each of the users.
pub const USER_FUNDS: Balance = 1_000 * VCAI;

pub fn new_test_ext() -> sp_io::TestExternalities {
	SUSPENDED.with(|s| s.borrow_mut().clear());
	NODES.with(|n| n.borrow_mut().clear());
	AVAILABLE.with(|a| a.borrow_mut().clear());
	CONSUMED.with(|c| c.borrow_mut().clear());
	SPEND.with(|s| s.borrow_mut().clear());
	FEES.with(|f| f.borrow_mut().clear());
	PRICE.with(|p| *p.borrow_mut() = Some(UNCAPPED_PRICE));
	let storage = RuntimeGenesisConfig {
		balances: pallet_balances::GenesisConfig {
			balances: vec![
				(pool(), INCENTIVE_POOL),
				(pot(), EXISTENTIAL_DEPOSIT),
				(GRANTS, EXISTENTIAL_DEPOSIT),
				(ALICE, USER_FUNDS),
				(BOB, USER_FUNDS),
				(CHARLIE, USER_FUNDS),
			],
			..Default::default()
		},
		rewards: pallet_rewards::GenesisConfig {
			params: Default::default(),
			supply_share: Perbill::from_percent(50),
			_config: Default::default(),
		},
		..Default::default()
	}
	.build_storage()
	.unwrap();
	let mut ext: sp_io::TestExternalities = storage.into();
	ext.execute_with(|| {
		System::set_block_number(1);
		Rewards::on_initialize(1);
		Timestamp::set_timestamp(START_MS);
	});
	ext
}

/// Runs a test and then checks the pallet's invariants and that no VCAI was minted or burnt.
pub fn test(body: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		let issuance = Balances::total_issuance();
		body();
		assert_ok!(Rewards::do_try_state());
		assert_eq!(Balances::total_issuance(), issuance, "VCAI was minted or burnt");
	});
}

/// One block at `at_ms`: the hooks see the previous block's time, then the timestamp is set.
pub fn block_at(at_ms: Moment) {
	let n = System::block_number() + 1;
	System::set_block_number(n);
	Rewards::on_initialize(n);
	Timestamp::set_timestamp(at_ms);
}

/// Blocks until the period after the open one has begun and the open one is closed.
pub fn close_period() -> PeriodIndex {
	let open = OpenPeriod::<Test>::get();
	let next_start = ChainClock::period_start_ms(open + 1).expect("the clock knows the next period");
	block_at(next_start.max(now() + BLOCK_MS));
	block_at(now() + BLOCK_MS);
	assert!(OpenPeriod::<Test>::get() > open, "period {open} was not closed");
	open
}

/// The period points accrue to now.
pub fn current_period() -> PeriodIndex {
	ChainClock::period_index()
}

/// A capacity proof of `gpu_seconds` on a node of 8 GPUs of 80 GiB, fully staked.
pub fn beat(node: NodeId, gpu_seconds: GpuSeconds) {
	use vcity_primitives::{CapacityProof, CapacityRewards};
	Rewards::capacity_proven(CapacityProof {
		node,
		gpu_seconds,
		gpu_class: vcity_primitives::GpuClass::Datacenter,
		total_vram_gib: 640,
		stake: 100 * VCAI,
		required_stake: 100 * VCAI,
	});
}

pub fn last_event() -> Event<Test> {
	System::events()
		.into_iter()
		.rev()
		.find_map(|r| if let RuntimeEvent::Rewards(e) = r.event { Some(e) } else { None })
		.expect("a rewards event")
}

/// A delivery paid `amount` × 1,000 USDV base units, all of it protocol fee, of the given
/// quality: a full-quality `amount` earns `amount` × 1,000 points, the scale the tests' figures
/// were set in.
pub fn credit(amount: u128, quality: Perbill) -> vcity_primitives::DeliveryCredit {
	vcity_primitives::DeliveryCredit { payment: amount * 1_000, protocol_fee: amount * 1_000, quality }
}

/// A delivery of `amount` × 1,000 USDV base units of the given quality, all of it fee.
pub fn deliver(node: NodeId, amount: u128, quality: Perbill) {
	use vcity_primitives::DeliveryRewards;
	Rewards::delivered(node, credit(amount, quality));
}

/// The chain's time now.
pub fn now() -> Moment {
	pallet_timestamp::Now::<Test>::get()
}

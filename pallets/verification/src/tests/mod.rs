//! Mock runtime for the verification tests: real balances (VCAI stakes and USDV alike), the real
//! chain clock and the real registry, whose nodes are the verifiers; the market's deliveries
//! and the slashing pallet's inbox are tables the tests read and set.

mod answer_tests;
mod attestation_tests;
mod audit_tests;
mod challenge_tests;
mod migration_tests;
mod owed_tests;
mod pool_tests;
mod proof_tests;

use crate::{self as pallet_verification, *};
use core::cell::RefCell;
use frame_support::{
	assert_ok, derive_impl, parameter_types,
	traits::{fungible::Mutate as _, ConstU128, ConstU32, ConstU64, Hooks},
	BoundedVec, PalletId,
};
use sp_runtime::{testing::TestSignature, BuildStorage, FixedU128, Perbill};
use std::collections::BTreeMap;
use vcity_primitives::{
	answer_commitment, AuditVerdict, AuditableDelivery, Balance, BuiltinWorkload, CheckAnswer, Clock, Digest,
	GpuSpec, JobId, NodeId, NodeKind, NodeRoles, OffenceReport, TaskId, USDV, VCAI,
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
		Verification: pallet_verification,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

pub const EXISTENTIAL_DEPOSIT: Balance = USDV / 100;

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

pub const START_MS: u64 = 1_000_000_000;
pub const DAY_MS: u64 = 24 * 3_600_000;
pub const WINDOW_MS: u64 = 600_000;
pub const STAKE_PER_GPU: Balance = 1_000 * VCAI;
pub const FUNDS: Balance = 1_000_000 * VCAI;
/// The node under test: owner 1, operator 2.
pub const NODE_OWNER: AccountId = 1;
pub const NODE_OPERATOR: AccountId = 2;
/// The task's buyer.
pub const BUYER: AccountId = 3;
pub const ANYONE: AccountId = 4;
/// Verifier `i` (from 0) is owned by `VERIFIER_OWNER + i` and run by `VERIFIER_OPERATOR + i`.
pub const VERIFIER_OWNER: AccountId = 100;
pub const VERIFIER_OPERATOR: AccountId = 200;
pub const TASK: TaskId = 7;
pub const RESULT: Digest = [7; 32];
pub const WRONG: Digest = [9; 32];
pub const CLAIM: Balance = 3 * USDV;
/// What each delivery pays: its 2% fee funds a sampled audit's three rewards many times over.
pub const PAYMENT: Balance = 100 * USDV;

thread_local! {
	static DELIVERIES: RefCell<BTreeMap<TaskId, (AuditableDelivery<AccountId>, bool)>> =
		const { RefCell::new(BTreeMap::new()) };
	static VERDICTS: RefCell<Vec<(TaskId, AuditVerdict)>> = const { RefCell::new(Vec::new()) };
	static REPORTS: RefCell<Vec<OffenceReport<AccountId>>> = const { RefCell::new(Vec::new()) };
	static BUSY_GPUS: RefCell<BTreeMap<NodeId, u32>> = const { RefCell::new(BTreeMap::new()) };
}

/// The market as the tests set it: a delivery stays auditable until a verdict ends it.
pub struct MockMarket;
impl vcity_primitives::AuditedTasks<AccountId> for MockMarket {
	fn auditable(task: TaskId) -> Option<AuditableDelivery<AccountId>> {
		DELIVERIES.with(|d| d.borrow().get(&task).filter(|(_, open)| *open).map(|(d, _)| d.clone()))
	}
	fn delivered_result(task: TaskId) -> Option<(NodeId, Digest)> {
		DELIVERIES.with(|d| d.borrow().get(&task).map(|(d, _)| (d.node, d.result)))
	}
	fn audit_concluded(task: TaskId, verdict: AuditVerdict) -> Result<(), sp_runtime::DispatchError> {
		VERDICTS.with(|v| v.borrow_mut().push((task, verdict)));
		if verdict != AuditVerdict::Inconclusive {
			DELIVERIES.with(|d| d.borrow_mut().get_mut(&task).map(|(_, open)| *open = false));
		}
		Ok(())
	}
	fn audit_concluded_weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::zero()
	}
	fn idle_gpus(node: NodeId, declared: u32) -> u32 {
		declared.saturating_sub(BUSY_GPUS.with(|b| b.borrow().get(&node).copied().unwrap_or(0)))
	}
}

/// Sets the GPUs of `node` that tasks hold, as the market would.
pub fn set_busy_gpus(node: NodeId, gpus: u32) {
	BUSY_GPUS.with(|b| b.borrow_mut().insert(node, gpus));
}

/// The slashing pallet's inbox.
pub struct MockOffences;
impl vcity_primitives::OffenceReporter<AccountId> for MockOffences {
	fn report_offence(report: OffenceReport<AccountId>) {
		REPORTS.with(|r| r.borrow_mut().push(report));
	}
	fn report_offence_weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::zero()
	}
}

pub fn deliver(task: TaskId, node: NodeId, result: Digest, owner: AccountId) {
	let delivery = AuditableDelivery {
		node,
		owner,
		workload: BuiltinWorkload::MatrixProduct { seed: 1, size: 64, rounds: 1 },
		result,
		payment: PAYMENT,
		victim: Some((owner, CLAIM)),
	};
	DELIVERIES.with(|d| d.borrow_mut().insert(task, (delivery, true)));
	<Verification as vcity_primitives::DeliveryAudits<AccountId>>::delivered(task);
}

pub fn verdicts() -> Vec<(TaskId, AuditVerdict)> {
	VERDICTS.with(|v| v.borrow().clone())
}

pub fn reports() -> Vec<OffenceReport<AccountId>> {
	REPORTS.with(|r| r.borrow().clone())
}

parameter_types! {
	pub const TargetUtilization: Perbill = Perbill::from_percent(80);
	pub const MinStakeMultiplier: FixedU128 = FixedU128::from_rational(1, 10);
	pub const MaxStakeMultiplier: FixedU128 = FixedU128::from_u32(10);
	pub const VerificationPalletId: PalletId = PalletId(*b"vc/verif");
}

impl pallet_compute_registry::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Clock = ChainClock;
	type StakeMarket = ();
	type TargetUtilization = TargetUtilization;
	type OpenWork = ();
	type CapacityRewards = ();
	type Offences = ();
	type Penalties = ();
	type OpenChecks = Verification;
	type GovernanceOrigin = frame_system::EnsureRoot<AccountId>;
	type UnbondingPeriod = ConstU64<100>;
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
	fn set_time(now_ms: u64) {
		Timestamp::set_timestamp(now_ms);
	}
	fn period_ms() -> u64 {
		7 * DAY_MS
	}
}

impl pallet_verification::Config for Test {
	type Stablecoin = Balances;
	type Payments = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Registry = Registry;
	type Market = MockMarket;
	type Offences = MockOffences;
	type Signature = TestSignature;
	type PalletId = VerificationPalletId;
	type GovernanceOrigin = frame_system::EnsureRoot<AccountId>;
	type MaxVerifiers = ConstU32<40>;
	type MaxDrawsPerBlock = ConstU32<4>;
	type MaxJobEndsPerBlock = ConstU32<4>;
	type MaxChallengesPerBlock = ConstU32<2>;
	type Clock = ChainClock;
	type BlockTimeMs = ConstU64<6_000>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchNodes;
}

#[cfg(feature = "runtime-benchmarks")]
pub struct BenchNodes;
#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper<AccountId, TestSignature> for BenchNodes {
	fn online_node(owner: &AccountId, operator: &AccountId, verifier: bool) -> NodeId {
		let _ = Balances::set_balance(owner, FUNDS);
		register(*owner, *operator, roles(verifier))
	}
	fn fund(who: &AccountId, amount: Balance) {
		let _ = Balances::set_balance(who, balance(*who) + amount);
	}
	fn deliver(node: NodeId, owner: &AccountId) -> TaskId {
		let task = DELIVERIES.with(|d| d.borrow().len() as TaskId + 1);
		deliver(task, node, RESULT, *owner);
		task
	}
	fn fill_register(count: u32) {
		pallet_compute_registry::benchmarking::populate::<Test>(count);
	}
	fn operator_key() -> AccountId {
		5_000
	}
	fn sign(signer: &AccountId, payload: &[u8]) -> TestSignature {
		TestSignature(*signer, payload.to_vec())
	}
}

/// Parameters the tests start from: three verifiers, a quorum of two, every delivery audited.
pub fn test_params() -> VerificationParams<u64> {
	VerificationParams {
		audit_fraction: Perbill::one(),
		commit_window: 10,
		reveal_window: 5,
		answer_reward: USDV / 20,
		dispute_deposit: USDV / 2,
		..Default::default()
	}
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	DELIVERIES.with(|d| d.borrow_mut().clear());
	VERDICTS.with(|v| v.borrow_mut().clear());
	REPORTS.with(|r| r.borrow_mut().clear());
	BUSY_GPUS.with(|b| b.borrow_mut().clear());
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut balances = vec![(NODE_OWNER, FUNDS), (NODE_OPERATOR, VCAI), (BUYER, FUNDS), (ANYONE, VCAI)];
	for i in 0..8 {
		balances.push((VERIFIER_OWNER + i, FUNDS));
		balances.push((VERIFIER_OPERATOR + i, VCAI));
	}
	pallet_balances::GenesisConfig::<Test> { balances, ..Default::default() }
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
	// No challenge unless a test asks for them: audits' tests keep their nodes to themselves.
	let challenges = ChallengeParams { daily_fraction: Perbill::zero(), ..ChallengeParams::for_cpu_hosts() };
	pallet_verification::GenesisConfig::<Test> { params: test_params(), challenges }
		.assimilate_storage(&mut storage)
		.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		Timestamp::set_timestamp(START_MS);
		// The verification fees the market would have paid in.
		assert_ok!(Balances::mint_into(&Verification::pot(), 10 * USDV));
	});
	ext
}

/// What no audit may change: the total issuance.
pub fn issuance() -> Balance {
	Balances::total_issuance()
}

/// Runs a test, then checks the pallet's invariants and that nothing was minted or burnt.
pub fn test(f: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		let before = issuance();
		f();
		Verification::do_try_state().expect("verification invariants hold");
		assert_eq!(issuance(), before, "verification minted or burnt funds");
	});
}

pub fn roles(verifier: bool) -> NodeRoles {
	NodeRoles { compute: !verifier, verifier, scheduler: false }
}

/// Registers an online node for `owner`, run by `operator`.
pub fn register(owner: AccountId, operator: AccountId, roles: NodeRoles) -> NodeId {
	register_gpus(owner, operator, roles, 1)
}

/// Registers an online node of `gpus` RTX 4090s for `owner`, run by `operator`.
pub fn register_gpus(owner: AccountId, operator: AccountId, roles: NodeRoles, gpus: u32) -> NodeId {
	let id = pallet_compute_registry::NextNodeId::<Test>::get();
	assert_ok!(Registry::register_node(
		RuntimeOrigin::signed(owner),
		NodeKind::Stable,
		roles,
		GpuSpec {
			model: BoundedVec::truncate_from(b"NVIDIA RTX 4090".to_vec()),
			count: gpus,
			vram_per_gpu_gib: 24
		},
		BoundedVec::truncate_from(b"eu-west".to_vec()),
		1_000_000,
		operator,
		STAKE_PER_GPU * Balance::from(gpus),
	));
	assert_ok!(Registry::heartbeat(RuntimeOrigin::signed(operator), id, Default::default()));
	id
}

/// The node under test.
pub fn compute_node() -> NodeId {
	register(NODE_OWNER, NODE_OPERATOR, roles(false))
}

/// `count` verifier nodes in the pool.
pub fn verifiers(count: u64) -> Vec<NodeId> {
	(0..count)
		.map(|i| {
			let node = register(VERIFIER_OWNER + i, VERIFIER_OPERATOR + i, roles(true));
			assert_ok!(Verification::join_pool(RuntimeOrigin::signed(VERIFIER_OWNER + i), node));
			node
		})
		.collect()
}

/// The operator key of a verifier node.
pub fn operator_of(node: NodeId) -> AccountId {
	pallet_compute_registry::Nodes::<Test>::get(node).unwrap().operator
}

pub fn owner_of(node: NodeId) -> AccountId {
	pallet_compute_registry::Nodes::<Test>::get(node).unwrap().owner
}

/// Runs blocks up to and including `n`, with their hooks and 6-second timestamps.
pub fn run_to(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		System::set_parent_hash(sp_runtime::testing::H256::repeat_byte(next as u8));
		Timestamp::set_timestamp(ChainClock::now_ms() + 6_000);
		<Registry as Hooks<u64>>::on_initialize(next);
		<Verification as Hooks<u64>>::on_initialize(next);
	}
}

/// The disputant of an audit.
pub fn disputant_of(job: &JobOf<Test>) -> Option<(AccountId, Balance)> {
	match &job.subject {
		JobSubject::Delivery { disputant, .. } => *disputant,
		JobSubject::Capacity { .. } => None,
	}
}

/// The job open for `task` (after its draw).
pub fn job_of(task: TaskId) -> Option<(JobId, JobOf<Test>)> {
	match AuditOfTask::<Test>::get(task)? {
		AuditStatus::Open(id) => Jobs::<Test>::get(id).map(|job| (id, job)),
		AuditStatus::Drawing { .. } => None,
	}
}

/// Delivers `TASK` from a fresh compute node and runs to its draw; returns the node and the job.
pub fn audited_delivery(result: Digest) -> (NodeId, JobId, JobOf<Test>) {
	let node = compute_node();
	deliver(TASK, node, result, BUYER);
	run_to(System::block_number() + u64::from(DRAW_DELAY));
	let (id, job) = job_of(TASK).expect("the delivery is audited");
	(node, id, job)
}

pub fn salt_of(verifier: NodeId) -> [u8; 32] {
	[verifier as u8; 32]
}

/// The answer of a verifier whose recomputation gave `digest`: the keyed digest stands for the
/// output under the job's key, which only someone who computed the output knows.
pub fn honest(digest: Digest) -> CheckAnswer {
	CheckAnswer { digest, keyed: sp_io::hashing::blake2_256(&digest) }
}

pub fn commit(job: JobId, verifier: NodeId, answer: Digest) {
	commit_answer_of(job, verifier, honest(answer));
}

pub fn commit_answer_of(job: JobId, verifier: NodeId, answer: CheckAnswer) {
	let commitment = answer_commitment(job, verifier, &answer, &salt_of(verifier));
	assert_ok!(Verification::commit_answer(RuntimeOrigin::signed(operator_of(verifier)), job, commitment));
}

pub fn reveal(job: JobId, verifier: NodeId, answer: Digest) {
	reveal_answer_of(job, verifier, honest(answer));
}

pub fn reveal_answer_of(job: JobId, verifier: NodeId, answer: CheckAnswer) {
	assert_ok!(Verification::reveal_answer(
		RuntimeOrigin::signed(operator_of(verifier)),
		job,
		answer,
		salt_of(verifier)
	));
}

/// USDV (here, the one balance) an account holds, free and held.
pub fn balance(who: AccountId) -> Balance {
	use frame_support::traits::fungible::Inspect;
	Balances::total_balance(&who)
}

pub fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Verification(e) = r.event { Some(e) } else { None })
		.collect()
}

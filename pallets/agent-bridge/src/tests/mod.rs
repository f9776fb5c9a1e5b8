//! Mock runtime and the scripted agent for the worker's tests.
//!
//! The worker runs for real: real signing with a `vcty` key from an in-memory keystore, real
//! HTTP requests through the offchain externalities (`TestOffchainExt` checks each one against
//! the exchange a test scripts, header and body included), a real transaction pool extension
//! the tests read back, the real chain clock. The registry and the market are tables the tests
//! fill, and the calls the worker builds are carried in `remark`s so a test can read which step
//! was submitted; the runtime's tests run the worker against the real pallets.

mod agent_tests;
mod plan_tests;
mod worker_tests;

use crate::{self as pallet_agent_bridge, crypto, tasks::Report, OperatorCalls};
use codec::{Decode, Encode};
use frame_support::{derive_impl, parameter_types, traits::ConstU64};
use frame_system::offchain::{AppCrypto, CreateSignedTransaction, CreateTransactionBase, SigningTypes};
use sp_core::offchain::{
	testing::{OffchainState, PendingRequest, PoolState, TestOffchainExt, TestTransactionPoolExt},
	DbExternalities, Externalities, HttpError, HttpRequestId, HttpRequestStatus, OffchainDbExt,
	OffchainWorkerExt, OpaqueNetworkState, StorageKind, Timestamp as OffchainTimestamp, TransactionPoolExt,
};
use sp_keystore::{testing::MemoryKeystore, Keystore, KeystoreExt};
use sp_runtime::{
	generic::{Preamble, UncheckedExtrinsic},
	traits::{IdentifyAccount, IdentityLookup, Verify},
	AccountId32, BuildStorage, MultiSignature, MultiSigner,
};
use std::{
	cell::RefCell,
	collections::{BTreeMap, VecDeque},
	sync::{Arc, Mutex},
};
use vcity_primitives::{
	AgentLink, AgentLinkExt, AgentSettings, Balance, Digest, GpuSeconds, GpuSpec, HeartbeatGate,
	HeartbeatMetrics, Matching, Moment, NodeId, NodeOffer, NodeProfile, NodeRegistry, NodeRoles, NodeStatus,
	NodeTask, NodeTasks, QueuedTask, ReputationTier, TaskId,
};

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = AccountId32;
pub type Extrinsic = UncheckedExtrinsic<AccountId, RuntimeCall, MultiSignature, ()>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Timestamp: pallet_timestamp,
		ChainClock: pallet_chain_clock,
		AgentBridge: pallet_agent_bridge,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
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

/// The first block's timestamp: the chain's start, and the time of every block the tests run.
pub const START_MS: Moment = 1_000_000;

impl SigningTypes for Test {
	type Public = MultiSigner;
	type Signature = MultiSignature;
}

impl<C> CreateTransactionBase<C> for Test
where
	RuntimeCall: From<C>,
{
	type Extrinsic = Extrinsic;
	type RuntimeCall = RuntimeCall;
}

/// The payload the mock signs: the nonce and the call.
pub fn signed_payload(nonce: u32, call: &RuntimeCall) -> Vec<u8> {
	(nonce, call).encode()
}

impl<C> CreateSignedTransaction<C> for Test
where
	RuntimeCall: From<C>,
{
	fn create_signed_transaction<A: AppCrypto<MultiSigner, MultiSignature>>(
		call: RuntimeCall,
		public: MultiSigner,
		account: AccountId,
		nonce: u32,
	) -> Option<Extrinsic> {
		let signature = A::sign(&signed_payload(nonce, &call), public)?;
		Some(Extrinsic::new_signed(call, account, signature, ()))
	}
}

/// What the worker submitted, as the mock's calls carry it.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
pub enum Sent {
	Heartbeat(NodeId, HeartbeatMetrics),
	Report(TaskId, Report),
	Assign(Vec<(TaskId, NodeId)>),
}

pub struct RemarkCalls;

fn carry(sent: Sent) -> RuntimeCall {
	RuntimeCall::System(frame_system::Call::remark { remark: sent.encode() })
}

impl OperatorCalls<RuntimeCall> for RemarkCalls {
	fn heartbeat(node: NodeId, metrics: HeartbeatMetrics) -> RuntimeCall {
		carry(Sent::Heartbeat(node, metrics))
	}
	fn acknowledge_task(task: TaskId) -> RuntimeCall {
		carry(Sent::Report(task, Report::Acknowledge))
	}
	fn decline_task(task: TaskId) -> RuntimeCall {
		carry(Sent::Report(task, Report::Decline))
	}
	fn start_task(task: TaskId) -> RuntimeCall {
		carry(Sent::Report(task, Report::Start))
	}
	fn report_usage(task: TaskId, used: GpuSeconds) -> RuntimeCall {
		carry(Sent::Report(task, Report::Usage(used)))
	}
	fn complete_task(task: TaskId, result: Digest, used: GpuSeconds) -> RuntimeCall {
		carry(Sent::Report(task, Report::Complete(result, used)))
	}
	fn report_failure(task: TaskId) -> RuntimeCall {
		carry(Sent::Report(task, Report::Failure))
	}
	fn assign_tasks(assignments: Vec<(TaskId, NodeId)>) -> Option<RuntimeCall> {
		(assignments.len() <= MAX_PER_CALL as usize).then(|| carry(Sent::Assign(assignments)))
	}
	fn commit_answer(job: vcity_primitives::JobId, commitment: [u8; 32]) -> RuntimeCall {
		carry(Sent::Report(vcity_agent_api::check_task_id(job).unwrap(), Report::Commit(commitment)))
	}
	fn join_pool(node: NodeId) -> RuntimeCall {
		carry(Sent::Report(vcity_agent_api::check_task_id(0).unwrap(), Report::JoinPool(node)))
	}
	fn reveal_answer(
		job: vcity_primitives::JobId,
		answer: vcity_primitives::CheckAnswer,
		salt: [u8; 32],
	) -> RuntimeCall {
		carry(Sent::Report(vcity_agent_api::check_task_id(job).unwrap(), Report::Reveal(answer, salt)))
	}
}

/// Most assignments one call of the mock takes.
pub const MAX_PER_CALL: u32 = 2;

pub struct MockMatching;

impl Matching for MockMatching {
	fn assignable_tasks(
		cursor: TaskId,
		limit: u32,
		skip: &dyn Fn(TaskId) -> bool,
	) -> (Vec<QueuedTask>, TaskId) {
		CHAIN.with(|c| {
			let chain = c.borrow();
			let tasks: Vec<_> = chain
				.queued
				.iter()
				.filter(|t| t.id > cursor && !skip(t.id))
				.take(limit as usize)
				.cloned()
				.collect();
			let next = if tasks.len() as u32 == limit { tasks.last().map_or(0, |t| t.id) } else { 0 };
			(tasks, next)
		})
	}
	fn idle_nodes(cursor: NodeId, limit: u32, _scheduler: NodeId) -> (Vec<NodeOffer>, NodeId) {
		CHAIN.with(|c| {
			let chain = c.borrow();
			let offers: Vec<_> =
				chain.idle.iter().filter(|o| o.node >= cursor).take(limit as usize).cloned().collect();
			let next = offers.last().map_or(0, |o| o.node + 1);
			(offers, next)
		})
	}
	fn may_schedule(_scheduler: NodeId) -> bool {
		CHAIN.with(|c| {
			let chain = c.borrow();
			chain.roles.scheduler && chain.status == NodeStatus::Online && !chain.scheduler_distrusted
		})
	}
	fn accepts(task: TaskId, node: NodeId, _scheduler: NodeId) -> bool {
		CHAIN.with(|c| !c.borrow().refused.contains(&(task, node)))
	}
	fn max_assignments_per_call() -> u32 {
		MAX_PER_CALL
	}
}

/// The registry and the market as tables.
pub struct Chain {
	pub operators: BTreeMap<AccountId, (NodeId, GpuSpec)>,
	pub heartbeat_due: bool,
	pub tasks: Vec<NodeTask<u64>>,
	/// Roles and status of every node.
	pub roles: NodeRoles,
	pub status: NodeStatus,
	/// What a scheduler sees.
	pub queued: Vec<QueuedTask>,
	pub idle: Vec<NodeOffer>,
	/// Pairs the chain would refuse.
	pub refused: Vec<(TaskId, NodeId)>,
	/// Whether the scheduler's reputation is below what assigning needs.
	pub scheduler_distrusted: bool,
}

impl Default for Chain {
	fn default() -> Self {
		Chain {
			operators: BTreeMap::new(),
			heartbeat_due: true,
			tasks: Vec::new(),
			roles: NodeRoles { compute: true, verifier: false, scheduler: false },
			status: NodeStatus::Online,
			queued: Vec::new(),
			idle: Vec::new(),
			refused: Vec::new(),
			scheduler_distrusted: false,
		}
	}
}

thread_local! {
	pub static CHAIN: RefCell<Chain> = RefCell::new(Chain::default());
}

pub struct MockRegistry;

impl NodeRegistry<AccountId, Balance> for MockRegistry {
	fn owner(_: NodeId) -> Option<AccountId> {
		None
	}
	fn operator(node: NodeId) -> Option<AccountId> {
		CHAIN.with(|c| c.borrow().operators.iter().find(|(_, (n, _))| *n == node).map(|(a, _)| a.clone()))
	}
	fn node_of_operator(operator: &AccountId) -> Option<NodeId> {
		CHAIN.with(|c| c.borrow().operators.get(operator).map(|(node, _)| *node))
	}
	fn gpu_spec(node: NodeId) -> Option<GpuSpec> {
		CHAIN.with(|c| c.borrow().operators.values().find(|(n, _)| *n == node).map(|(_, spec)| spec.clone()))
	}
	fn status(node: NodeId) -> Option<NodeStatus> {
		Self::profile(node).map(|p| p.status)
	}
	fn stake(_: NodeId) -> Option<(Balance, Balance)> {
		None
	}
	fn price_per_gpu_hour(_: NodeId) -> Option<Balance> {
		None
	}
	fn reputation_tier(_: NodeId) -> Option<ReputationTier> {
		None
	}
	fn profile(node: NodeId) -> Option<NodeProfile<AccountId, Balance>> {
		let operator = Self::operator(node)?;
		CHAIN.with(|c| {
			let chain = c.borrow();
			Some(NodeProfile {
				owner: operator.clone(),
				operator,
				roles: chain.roles,
				gpu: Self::gpu_spec(node)?,
				region: Default::default(),
				price_per_gpu_hour: 0,
				price_raised_ms: 0,
				status: chain.status,
				reputation: 5_000,
				tier: ReputationTier::Bronze,
				completion: Default::default(),
				staked: true,
			})
		})
	}
	fn online_compute_nodes(cursor: NodeId, limit: u32) -> (Vec<NodeId>, Option<NodeId>) {
		let mut ids: Vec<NodeId> =
			CHAIN.with(|c| c.borrow().operators.values().map(|(node, _)| *node).collect());
		ids.sort_unstable();
		ids.dedup();
		ids.retain(|id| *id > cursor);
		let page: Vec<NodeId> = ids.iter().copied().take(limit as usize).collect();
		let next = (ids.len() > page.len()).then(|| page.last().copied()).flatten();
		(page, next)
	}
}

impl HeartbeatGate<AccountId> for MockRegistry {
	fn heartbeat_due(operator: &AccountId, node: NodeId, _: &HeartbeatMetrics) -> bool {
		CHAIN.with(|c| {
			let chain = c.borrow();
			chain.heartbeat_due && chain.operators.get(operator).is_some_and(|(n, _)| *n == node)
		})
	}
}

pub struct MockMarket;

impl NodeTasks<u64> for MockMarket {
	fn tasks_of_node(node: NodeId) -> Vec<NodeTask<u64>> {
		CHAIN.with(|c| c.borrow().tasks.iter().filter(|t| t.node == Some(node)).cloned().collect())
	}
	fn task(id: TaskId) -> Option<NodeTask<u64>> {
		CHAIN.with(|c| c.borrow().tasks.iter().find(|t| t.id == id).cloned())
	}
}

parameter_types! {
	pub const ResubmitAfter: u64 = 16;
}

impl pallet_agent_bridge::Config for Test {
	type OperatorKey = crypto::OperatorKey;
	type Registry = MockRegistry;
	type Market = MockMarket;
	type Matching = MockMatching;
	type Verification = ();
	type Calls = RemarkCalls;
	type Clock = ChainClock;
	type AgentTimeoutMs = ConstU64<2_000>;
	type ResubmitAfter = ResubmitAfter;
}

pub const AGENT_URL: &str = "http://127.0.0.1:8790";
pub const SECRET: &str = "5ec2e7";
pub const NODE: NodeId = 1;
/// The boot id of the node a [`World`] starts as.
pub const BOOT: u64 = 1;

/// The settings a node started with `--agent-url` [`AGENT_URL`] and a secret file holding
/// [`SECRET`] hands its worker.
pub fn agent_settings() -> AgentSettings {
	AgentSettings { url: AGENT_URL.into(), secret: SECRET.into() }
}

/// Offchain externalities that answer with the status a test scripts, or never (a hung agent).
/// Requests and bodies go through `TestOffchainExt`, which checks them against the script.
#[derive(Clone)]
pub struct ScriptedAgent {
	inner: TestOffchainExt,
	statuses: Arc<Mutex<VecDeque<Option<u16>>>>,
	answers: Arc<Mutex<BTreeMap<u16, Option<u16>>>>,
}

impl Externalities for ScriptedAgent {
	fn is_validator(&self) -> bool {
		self.inner.is_validator()
	}
	fn network_state(&self) -> Result<OpaqueNetworkState, ()> {
		self.inner.network_state()
	}
	fn timestamp(&mut self) -> OffchainTimestamp {
		self.inner.timestamp()
	}
	fn sleep_until(&mut self, deadline: OffchainTimestamp) {
		self.inner.sleep_until(deadline)
	}
	fn random_seed(&mut self) -> [u8; 32] {
		self.inner.random_seed()
	}
	fn http_request_start(&mut self, method: &str, uri: &str, meta: &[u8]) -> Result<HttpRequestId, ()> {
		self.inner.http_request_start(method, uri, meta)
	}
	fn http_request_add_header(&mut self, id: HttpRequestId, name: &str, value: &str) -> Result<(), ()> {
		self.inner.http_request_add_header(id, name, value)
	}
	fn http_request_write_body(
		&mut self,
		id: HttpRequestId,
		chunk: &[u8],
		deadline: Option<OffchainTimestamp>,
	) -> Result<(), HttpError> {
		if chunk.is_empty() {
			let status = self.statuses.lock().unwrap().pop_front().expect("the test scripted this request");
			self.answers.lock().unwrap().insert(id.0, status);
		}
		self.inner.http_request_write_body(id, chunk, deadline)
	}
	fn http_response_wait(
		&mut self,
		ids: &[HttpRequestId],
		_: Option<OffchainTimestamp>,
	) -> Vec<HttpRequestStatus> {
		let answers = self.answers.lock().unwrap();
		ids.iter()
			.map(|id| match answers.get(&id.0) {
				Some(Some(code)) => HttpRequestStatus::Finished(*code),
				Some(None) => HttpRequestStatus::DeadlineReached,
				None => HttpRequestStatus::Invalid,
			})
			.collect()
	}
	fn http_response_headers(&mut self, id: HttpRequestId) -> Vec<(Vec<u8>, Vec<u8>)> {
		self.inner.http_response_headers(id)
	}
	fn http_response_read_body(
		&mut self,
		id: HttpRequestId,
		buffer: &mut [u8],
		deadline: Option<OffchainTimestamp>,
	) -> Result<usize, HttpError> {
		self.inner.http_response_read_body(id, buffer, deadline)
	}
	fn set_authorized_nodes(&mut self, nodes: Vec<sp_core::OpaquePeerId>, authorized_only: bool) {
		self.inner.set_authorized_nodes(nodes, authorized_only)
	}
}

impl DbExternalities for ScriptedAgent {
	fn local_storage_set(&mut self, kind: StorageKind, key: &[u8], value: &[u8]) {
		self.inner.local_storage_set(kind, key, value)
	}
	fn local_storage_clear(&mut self, kind: StorageKind, key: &[u8]) {
		self.inner.local_storage_clear(kind, key)
	}
	fn local_storage_compare_and_set(
		&mut self,
		kind: StorageKind,
		key: &[u8],
		old_value: Option<&[u8]>,
		new_value: &[u8],
	) -> bool {
		self.inner.local_storage_compare_and_set(kind, key, old_value, new_value)
	}
	fn local_storage_get(&mut self, kind: StorageKind, key: &[u8]) -> Option<Vec<u8>> {
		self.inner.local_storage_get(kind, key)
	}
}

/// A test's world: the externalities, the agent's script, the pool, the operator.
pub struct World {
	pub ext: sp_io::TestExternalities,
	pub offchain: Arc<parking_lot::RwLock<OffchainState>>,
	pub pool: Arc<parking_lot::RwLock<PoolState>>,
	statuses: Arc<Mutex<VecDeque<Option<u16>>>>,
	pub operator: AccountId,
}

/// Registered GPUs of the test node: two RTX 4090 of 24 GiB.
pub fn rtx4090x2() -> GpuSpec {
	GpuSpec { model: b"NVIDIA GeForce RTX 4090".to_vec().try_into().unwrap(), count: 2, vram_per_gpu_gib: 24 }
}

impl World {
	/// A keystore holding the operator key of node [`NODE`], the agent's settings in place when
	/// `configured`.
	pub fn new(configured: bool) -> Self {
		let keystore = MemoryKeystore::new();
		let public = keystore
			.sr25519_generate_new(crypto::KEY_TYPE, Some("//Operator"))
			.expect("the keystore makes a key");
		let operator = MultiSigner::from(public).into_account();
		let (offchain_ext, offchain) = TestOffchainExt::new();
		let (pool_ext, pool) = TestTransactionPoolExt::new();
		let statuses = Arc::new(Mutex::new(VecDeque::new()));
		let scripted = ScriptedAgent {
			inner: offchain_ext,
			statuses: statuses.clone(),
			answers: Arc::new(Mutex::new(BTreeMap::new())),
		};
		let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.register_extension(OffchainWorkerExt::new(scripted.clone()));
		ext.register_extension(OffchainDbExt::new(scripted));
		ext.register_extension(TransactionPoolExt::new(pool_ext));
		ext.register_extension(KeystoreExt::new(keystore));
		// As a node does: the settings in its memory, handed to the worker by the extension.
		let settings = configured.then(agent_settings);
		ext.register_extension(AgentLinkExt(AgentLink { settings, boot: BOOT }));
		ext.execute_with(|| {
			System::set_block_number(1);
			Timestamp::set_timestamp(START_MS);
		});
		CHAIN.with(|c| {
			*c.borrow_mut() = Chain::default();
			c.borrow_mut().operators.insert(operator.clone(), (NODE, rtx4090x2()));
		});
		World { ext, offchain, pool, statuses, operator }
	}

	/// The node restarts with the same settings and a new boot id. Its offchain database stays,
	/// as on a node; the test's pool keeps what was sent, so [`World::sent`] still lists it.
	pub fn restart(&mut self, boot: u64) {
		self.ext.register_extension(AgentLinkExt(AgentLink { settings: Some(agent_settings()), boot }));
	}

	/// Scripts one exchange: the request the worker must send, and the agent's answer (`None`:
	/// the agent never answers).
	pub fn expect(&self, method: &str, path: &str, body: Option<&str>, status: Option<u16>, reply: &str) {
		let mut headers = vec![("Authorization".to_string(), format!("Bearer {SECRET}"))];
		if body.is_some() {
			headers.push(("Content-Type".to_string(), "application/json".to_string()));
		}
		self.offchain.write().expect_request(PendingRequest {
			method: method.into(),
			uri: format!("{AGENT_URL}{path}"),
			headers,
			body: body.unwrap_or_default().as_bytes().to_vec(),
			response: Some(reply.as_bytes().to_vec()),
			sent: true,
			..Default::default()
		});
		self.statuses.lock().unwrap().push_back(status);
	}

	/// Runs the worker for block `block`.
	pub fn run(&mut self, block: u64) {
		self.ext.execute_with(|| {
			System::set_block_number(block);
			// A node discards what an offchain run writes to the chain's state (the nonces it
			// counts up as it signs); only the offchain database keeps its writes.
			sp_io::storage::start_transaction();
			<AgentBridge as frame_support::traits::Hooks<u64>>::offchain_worker(block);
			sp_io::storage::rollback_transaction();
		});
	}

	/// What the pool holds, checked: signed by the operator with a valid signature over the
	/// nonce and the call.
	pub fn sent(&self) -> Vec<(u32, Sent)> {
		self.pool
			.read()
			.transactions
			.iter()
			.map(|bytes| {
				let xt = Extrinsic::decode(&mut &bytes[..]).expect("an extrinsic");
				let Preamble::Signed(signer, signature, ()) = xt.preamble else { panic!("unsigned") };
				assert_eq!(signer, self.operator, "signed by the operator key");
				let call = xt.function;
				let nonce = (0..16u32)
					.find(|nonce| signature.verify(&signed_payload(*nonce, &call)[..], &self.operator))
					.expect("a valid signature by the operator key");
				let RuntimeCall::System(frame_system::Call::remark { remark }) = call else {
					panic!("a remark")
				};
				(nonce, Sent::decode(&mut &remark[..]).expect("a step"))
			})
			.collect()
	}

	/// Whether every scripted exchange happened.
	pub fn script_done(&self) -> bool {
		self.statuses.lock().unwrap().is_empty()
	}
}

/// Makes the chain's operator account have used `nonce` transactions (as after inclusion).
pub fn set_nonce(world: &mut World, nonce: u32) {
	let operator = world.operator.clone();
	world.ext.execute_with(|| frame_system::Account::<Test>::mutate(&operator, |a| a.nonce = nonce));
}

/// The status JSON of an agent with `gpus` RTX 4090 cards.
pub fn status_json(gpus: usize, load: u8, health: &str) -> String {
	let gpu = r#"{"index":0,"model":"NVIDIA GeForce RTX 4090","memory_total_mib":24564,"memory_used_mib":0,"utilization_percent":0,"temperature_c":40,"health":"ok"}"#;
	let list = vec![gpu; gpus].join(",");
	format!(
		r#"{{"api":3,"agent":"vcity-agent/0.1.0","simulated":true,"source":"profile","gpus":[{list}],"load_percent":{load},"health":"{health}","tasks":{{"queued":0,"running":0,"finished":0,"failed":0}}}}"#
	)
}

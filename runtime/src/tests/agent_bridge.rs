//! The agent bridge's worker in the real runtime: what it signs with the `vcty` key passes the
//! pool's checks (the runtime's own transaction extensions) and does on chain what it says. A
//! task goes from assignment to delivery with the agent's digest, and no hand-signed step.

use super::{preset_storage, register_market_nodes, START_MS};
use crate::{
	AccountId, AgentBridge, ComputeMarket, ComputeRegistry, Executive, Runtime, RuntimeOrigin, System,
	UncheckedExtrinsic,
};
use codec::Decode;
use frame_support::{assert_ok, traits::Hooks, BoundedVec};
use pallet_compute_market::TaskState;
use sp_core::{
	offchain::{
		testing::{OffchainState, PendingRequest, PoolState, TestOffchainExt, TestTransactionPoolExt},
		OffchainDbExt, OffchainWorkerExt, TransactionPoolExt,
	},
	H256,
};
use sp_keyring::Sr25519Keyring;
use sp_keystore::{testing::MemoryKeystore, Keystore, KeystoreExt};
use sp_runtime::transaction_validity::TransactionSource;
use std::sync::Arc;
use vcity_primitives::{
	AgentLink, AgentLinkExt, AgentSettings, Billing, BuiltinWorkload, NodeId, TaskId, Workload, USDV,
};

const URL: &str = "http://127.0.0.1:8790";
const SECRET: &str = "0f0f";

struct Node {
	ext: sp_io::TestExternalities,
	offchain: Arc<parking_lot::RwLock<OffchainState>>,
	pool: Arc<parking_lot::RwLock<PoolState>>,
}

impl Node {
	/// The dev chain with the operator keys `suris` in the keystore.
	fn new(suris: &[&str]) -> Self {
		let mut ext = preset_storage(crate::genesis_config_presets::DEV_PRESET);
		let keystore = MemoryKeystore::new();
		for suri in suris {
			keystore.sr25519_generate_new(pallet_agent_bridge::crypto::KEY_TYPE, Some(suri)).unwrap();
		}
		let (offchain_ext, offchain) = TestOffchainExt::new();
		let (pool_ext, pool) = TestTransactionPoolExt::new();
		ext.register_extension(OffchainWorkerExt::new(offchain_ext.clone()));
		ext.register_extension(OffchainDbExt::new(offchain_ext));
		ext.register_extension(TransactionPoolExt::new(pool_ext));
		ext.register_extension(KeystoreExt::new(keystore));
		// The node's settings reach the worker only through this extension, as on a node.
		let settings = AgentSettings { url: URL.into(), secret: SECRET.into() };
		ext.register_extension(AgentLinkExt(AgentLink { settings: Some(settings), boot: 1 }));
		ext.execute_with(|| pallet_timestamp::Now::<Runtime>::put(START_MS));
		Node { ext, offchain, pool }
	}

	fn expect(&self, method: &str, path: &str, body: Option<String>, reply: String) {
		let mut headers = vec![("Authorization".to_string(), format!("Bearer {SECRET}"))];
		if body.is_some() {
			headers.push(("Content-Type".to_string(), "application/json".to_string()));
		}
		self.offchain.write().expect_request(PendingRequest {
			method: method.into(),
			uri: format!("{URL}{path}"),
			headers,
			body: body.unwrap_or_default().into_bytes(),
			response: Some(reply.into_bytes()),
			sent: true,
			..Default::default()
		});
	}

	/// Moves to `block` at `ms`, runs the worker as a node does (its state writes discarded),
	/// then puts what it submitted through the pool's validation and into the block. Returns
	/// how many transactions it submitted.
	fn run_worker_and_include(&mut self, block: u32, ms: u64) -> usize {
		let pool = self.pool.clone();
		self.ext.execute_with(|| {
			System::set_block_number(block);
			frame_system::BlockHash::<Runtime>::insert(block - 1, H256::repeat_byte(block as u8));
			pallet_timestamp::Now::<Runtime>::put(ms);
			sp_io::storage::start_transaction();
			AgentBridge::offchain_worker(block);
			sp_io::storage::rollback_transaction();
			let submitted = std::mem::take(&mut pool.write().transactions);
			for bytes in &submitted {
				let xt = UncheckedExtrinsic::decode(&mut &bytes[..]).expect("an extrinsic");
				let validity = Executive::validate_transaction(
					TransactionSource::Local,
					xt.clone(),
					H256::repeat_byte(1),
				);
				assert!(validity.is_ok(), "the pool accepts it: {validity:?}");
				// Validation initialised the next block; apply in the block the worker saw.
				System::set_block_number(block);
				pallet_timestamp::Now::<Runtime>::put(ms);
				assert_ok!(Executive::apply_extrinsic(xt).expect("applies"));
			}
			submitted.len()
		})
	}
}

fn status_of_eight_h100() -> String {
	status_of(8)
}

/// The agent's status with `gpus` H100 cards.
fn status_of(gpus: usize) -> String {
	let gpu = r#"{"index":0,"model":"NVIDIA H100 80GB HBM3","memory_total_mib":81559,"memory_used_mib":0,"utilization_percent":0,"temperature_c":35,"health":"ok"}"#;
	format!(
		r#"{{"api":3,"agent":"vcity-agent/0.1.0","simulated":true,"source":"profile","gpus":[{}],"load_percent":0,"health":"ok","tasks":{{"queued":0,"running":0,"finished":0,"failed":0}}}}"#,
		vec![gpu; gpus].join(",")
	)
}

/// Eve's task of a minute on four data-centre GPUs, running the matrix workload of `seed`.
fn submit_task(seed: u64, size: u32, rounds: u32) -> TaskId {
	let id = pallet_compute_market::NextTaskId::<Runtime>::get();
	assert_ok!(ComputeMarket::submit_task(
		RuntimeOrigin::signed(Sr25519Keyring::Eve.to_account_id()),
		super::market_requirements(),
		60,
		System::block_number() + 500,
		3 * USDV,
		Workload::Builtin(BuiltinWorkload::MatrixProduct { seed, size, rounds }),
		Billing::PerTask,
	));
	id
}

fn submit_and_assign(node: NodeId) -> TaskId {
	let id = submit_task(42, 256, 2);
	assert_ok!(ComputeMarket::assign_tasks(
		RuntimeOrigin::signed(Sr25519Keyring::Dave.to_account_id()),
		BoundedVec::try_from(vec![(id, node)]).unwrap()
	));
	id
}

fn state_of(task: TaskId) -> TaskState<u32> {
	pallet_compute_market::Tasks::<Runtime>::get(task).unwrap().state
}

#[test]
fn a_task_goes_from_assignment_to_delivery_through_the_worker_alone() {
	let mut node = Node::new(&["//Bob"]);
	let bob: AccountId = Sr25519Keyring::Bob.to_account_id();
	let (id, task) = node.ext.execute_with(|| {
		let (id, _) = register_market_nodes();
		(id, submit_and_assign(id))
	});
	let fee_payer_before = node.ext.execute_with(|| crate::Balances::free_balance(&bob));

	// Block 2: the node beat already this window; the task is handed over and acknowledged.
	node.expect("GET", "/v1/status", None, status_of_eight_h100());
	node.expect("GET", "/v1/tasks", None, r#"{"tasks":[]}"#.into());
	let body = format!(
		r#"{{"id":{task},"gpus":4,"seconds":60,"workload":{{"kind":"matrix","seed":42,"size":256,"rounds":2}}}}"#
	);
	node.expect("POST", "/v1/tasks", Some(body), "{}".into());
	assert_eq!(node.run_worker_and_include(2, START_MS + 6_000), 1);
	node.ext.execute_with(|| assert!(matches!(state_of(task), TaskState::Acknowledged { .. })));

	// Block 3: the agent runs it; the start is reported.
	node.expect("GET", "/v1/status", None, status_of_eight_h100());
	node.expect(
		"GET",
		"/v1/tasks",
		None,
		format!(r#"{{"tasks":[{{"id":{task},"state":"running","used_gpu_seconds":4}}]}}"#),
	);
	assert_eq!(node.run_worker_and_include(3, START_MS + 12_000), 1);
	node.ext.execute_with(|| assert!(matches!(state_of(task), TaskState::Running { .. })));

	// Block 5: done; the digest lands as the agent computed it.
	let digest = "c3".repeat(32);
	let finished = format!(
		r#"{{"tasks":[{{"id":{task},"state":"finished","used_gpu_seconds":8,"result":"0x{digest}"}}]}}"#
	);
	node.expect("GET", "/v1/status", None, status_of_eight_h100());
	node.expect("GET", "/v1/tasks", None, finished.clone());
	assert_eq!(node.run_worker_and_include(5, START_MS + 24_000), 1);
	node.ext.execute_with(|| {
		let TaskState::Delivered { result, engagement, .. } = state_of(task) else { panic!("delivered") };
		assert_eq!(result, [0xc3; 32]);
		assert_eq!(engagement.node, id);
		ComputeMarket::do_try_state().expect("market invariants hold");
		ComputeRegistry::do_try_state().expect("registry invariants hold");
	});

	// Block 6: the chain has the result; the agent is told to forget the task, nothing is sent.
	node.expect("GET", "/v1/status", None, status_of_eight_h100());
	node.expect("GET", "/v1/tasks", None, finished);
	node.expect("DELETE", &format!("/v1/tasks/{task}"), None, String::new());
	assert_eq!(node.run_worker_and_include(6, START_MS + 30_000), 0);

	// The operator paid the fees of three calls, in VCAI; nothing else left its account.
	let spent = fee_payer_before - node.ext.execute_with(|| crate::Balances::free_balance(&bob));
	assert!(spent > 0 && spent < crate::VCAI, "three small fees, not {spent}");
}

#[test]
fn the_worker_s_heartbeat_is_free_and_lands_when_the_window_opens() {
	let mut node = Node::new(&["//Bob"]);
	let bob: AccountId = Sr25519Keyring::Bob.to_account_id();
	let id = node.ext.execute_with(|| register_market_nodes().0);
	let window = node.ext.execute_with(pallet_compute_registry::HeartbeatWindowMs::<Runtime>::get);
	let before = node.ext.execute_with(|| crate::Balances::free_balance(&bob));
	node.expect("GET", "/v1/status", None, status_of_eight_h100());
	node.expect("GET", "/v1/tasks", None, r#"{"tasks":[]}"#.into());
	let next_window = START_MS + window;
	assert_eq!(node.run_worker_and_include(2, next_window), 1);
	node.ext.execute_with(|| {
		let beat = pallet_compute_registry::Heartbeats::<Runtime>::get(id).expect("a beat");
		assert_eq!(beat.at_ms, next_window);
		assert_eq!(crate::Balances::free_balance(&bob), before, "a heartbeat pays no fee");
	});
}

#[test]
fn a_scheduler_node_s_worker_assigns_a_queued_task_and_the_chain_takes_it() {
	// Dave operates the scheduler node (node 2); Bob's compute node (node 1) is not operated
	// from this keystore, so the agent serves the scheduler node.
	let mut node = Node::new(&["//Dave"]);
	let (compute, scheduler, task) = node.ext.execute_with(|| {
		let (compute, scheduler) = register_market_nodes();
		let task = submit_task(7, 64, 1);
		(compute, scheduler, task)
	});
	// Its agent (one H100, as registered) answers; the node beat already this window.
	node.expect("GET", "/v1/status", None, status_of(1));
	node.expect("GET", "/v1/tasks", None, r#"{"tasks":[]}"#.into());
	assert_eq!(node.run_worker_and_include(2, START_MS + 6_000), 1);
	node.ext.execute_with(|| {
		let TaskState::Assigned { engagement, .. } = state_of(task) else { panic!("assigned") };
		assert_eq!(engagement.node, compute);
		assert_eq!(engagement.scheduler, Some(scheduler));
	});
	// Nothing left to match: no more transactions.
	node.expect("GET", "/v1/status", None, status_of(1));
	node.expect("GET", "/v1/tasks", None, r#"{"tasks":[]}"#.into());
	assert_eq!(node.run_worker_and_include(3, START_MS + 12_000), 0);
}

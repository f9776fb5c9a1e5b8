//! The real runtime in `TestExternalities`, one file per topic. This file holds what several
//! topics use: the presets' externalities, the time the tests start the chain at, a block of
//! every hook, the runtime's fee extensions, and a market with a compute node and a scheduler.

mod agent_bridge;
mod buyback;
mod fees;
mod governance;
mod market;
mod presets;
mod records;
mod rewards;
mod self_dealing;
mod slashing;
mod stake;
mod time_scales;
#[cfg(feature = "try-runtime")]
mod upgrade;
mod ve;
mod verification;
mod vesting;

use crate::{
	genesis_config_presets::*, AccountId, Balances, ComputeRegistry, Runtime, RuntimeCall,
	RuntimeGenesisConfig, RuntimeOrigin, System, Vesting,
};
use frame_support::{
	assert_ok, dispatch::GetDispatchInfo, traits::fungible::Inspect, traits::VestingSchedule, BoundedVec,
};
use sp_genesis_builder::PresetId;
use sp_keyring::Sr25519Keyring;
use sp_runtime::{traits::DispatchTransaction, BuildStorage};
use vcity_primitives::{GpuSpec, HeartbeatMetrics, NodeKind, NodeRoles, USDV_ASSET_ID, VCAI};

/// The timestamp tests give the chain's first block: day 0 and period 0 start here.
const START_MS: u64 = 1_700_000_000_000;

pub(crate) fn preset_storage(name: &str) -> sp_io::TestExternalities {
	let json = get_preset(&PresetId::from(name)).expect("preset exists");
	let config: RuntimeGenesisConfig = serde_json::from_slice(&json).expect("preset parses");
	let mut ext: sp_io::TestExternalities = config.build_storage().expect("preset builds").into();
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Gives the chain its first block's timestamp, [`START_MS`]: the start of day 0.
pub(crate) fn start_clock() {
	use frame_support::traits::OnTimestampSet;
	pallet_timestamp::Now::<Runtime>::put(START_MS);
	crate::ChainClock::on_timestamp_set(START_MS);
}

/// One block: every pallet's hook in the runtime's own order (veVCAI's before the buyback's), then
/// the timestamp 6 s later.
fn next_block() {
	let number = System::block_number() + 1;
	System::set_block_number(number);
	<crate::AllPalletsWithSystem as frame_support::traits::OnInitialize<crate::BlockNumber>>::on_initialize(
		number,
	);
	let now = pallet_timestamp::Now::<Runtime>::get();
	pallet_timestamp::Now::<Runtime>::put(now + crate::MILLI_SECS_PER_BLOCK);
}

/// Runs blocks until the buyback's oracle holds a day of prices, as on a chain that has been up
/// for a day: the rewards' fee caps are valued at the day's average.
fn warm_price_oracle() {
	use frame_support::traits::Get;
	let window = <Runtime as pallet_buyback::Config>::MaxTwapWindow::get();
	for _ in 0..window + 2 {
		next_block();
	}
	assert!(<crate::Buyback as vcity_primitives::VcaiPrice>::vcai_per_usdv().is_some());
}

/// The heartbeat check and the fee, in the runtime's order.
type FeeExtensions = (
	pallet_compute_registry::CheckHeartbeat<Runtime>,
	pallet_skip_feeless_payment::SkipCheckIfFeeless<
		Runtime,
		pallet_asset_conversion_tx_payment::ChargeAssetTxPayment<Runtime>,
	>,
);

/// The extensions with the fee paid in VCAI (`None`) or in the AMM-traded asset named.
fn extensions_paying_in(asset: Option<crate::configs::amm::AssetKind>) -> FeeExtensions {
	(
		Default::default(),
		pallet_asset_conversion_tx_payment::ChargeAssetTxPayment::<Runtime>::from(0, asset).into(),
	)
}

fn extensions() -> FeeExtensions {
	extensions_paying_in(None)
}

/// Two nodes for the market: an 8 × H100 compute node (owner Alice, operator Bob) and a scheduler
/// (owner Charlie, operator Dave), both online.
fn register_market_nodes() -> (vcity_primitives::NodeId, vcity_primitives::NodeId) {
	let register = |owner: Sr25519Keyring, operator: Sr25519Keyring, scheduler: bool| {
		let id = pallet_compute_registry::NextNodeId::<Runtime>::get();
		let gpu = GpuSpec {
			model: BoundedVec::try_from(b"NVIDIA H100 80GB HBM3".to_vec()).unwrap(),
			count: if scheduler { 1 } else { 8 },
			vram_per_gpu_gib: 80,
		};
		let stake = ComputeRegistry::required_stake(&gpu).unwrap();
		assert_ok!(ComputeRegistry::register_node(
			RuntimeOrigin::signed(owner.to_account_id()),
			NodeKind::Stable,
			NodeRoles { compute: !scheduler, verifier: false, scheduler },
			gpu,
			BoundedVec::try_from(b"eu-west".to_vec()).unwrap(),
			2 * vcity_primitives::USDV,
			operator.to_account_id(),
			stake,
		));
		assert_ok!(ComputeRegistry::heartbeat(
			RuntimeOrigin::signed(operator.to_account_id()),
			id,
			HeartbeatMetrics::default()
		));
		id
	};
	(
		register(Sr25519Keyring::Alice, Sr25519Keyring::Bob, false),
		register(Sr25519Keyring::Charlie, Sr25519Keyring::Dave, true),
	)
}

/// Four H100s for an hour at 2 USDV per GPU-hour: `user` submits, the scheduler assigns `node`,
/// Bob's agent runs and completes it, `user` rates it. Returns the task's id.
fn run_task(user: &AccountId, node: vcity_primitives::NodeId) -> vcity_primitives::TaskId {
	let id = deliver_task(user, node, 1);
	assert_ok!(crate::ComputeMarket::rate_task(RuntimeOrigin::signed(user.clone()), id, 5));
	id
}

/// The task of [`run_task`] up to its delivery, before it is rated and settled; `seed` makes
/// each task's workload its own. The task runs its hour of chain time: billing follows the
/// time the GPUs were held.
fn deliver_task(user: &AccountId, node: vcity_primitives::NodeId, seed: u64) -> vcity_primitives::TaskId {
	use crate::ComputeMarket;
	use vcity_primitives::{BuiltinWorkload, Workload};
	let workload = Workload::Builtin(BuiltinWorkload::MatrixProduct { seed, size: 512, rounds: 2 });
	let id = submit_market_task(user, 3_600, 2_000, workload);
	assert_ok!(ComputeMarket::assign_tasks(
		RuntimeOrigin::signed(Sr25519Keyring::Dave.to_account_id()),
		BoundedVec::try_from(vec![(id, node)]).unwrap()
	));
	let operator = RuntimeOrigin::signed(Sr25519Keyring::Bob.to_account_id());
	assert_ok!(ComputeMarket::acknowledge_task(operator.clone(), id));
	assert_ok!(ComputeMarket::start_task(operator.clone(), id));
	pallet_timestamp::Now::<Runtime>::mutate(|now| *now += 3_600_000);
	assert_ok!(ComputeMarket::complete_task(operator, id, [3; 32], 14_400));
	id
}

/// `user` submits a task of `market_requirements` for `seconds`, due `due_in` blocks from now, at
/// up to 3 USDV per GPU-hour, billed per task. Returns its id.
fn submit_market_task(
	user: &AccountId,
	seconds: u64,
	due_in: u32,
	workload: vcity_primitives::Workload,
) -> vcity_primitives::TaskId {
	let id = pallet_compute_market::NextTaskId::<Runtime>::get();
	assert_ok!(crate::ComputeMarket::submit_task(
		RuntimeOrigin::signed(user.clone()),
		market_requirements(),
		seconds,
		System::block_number() + due_in,
		3 * vcity_primitives::USDV,
		workload,
		vcity_primitives::Billing::PerTask,
	));
	id
}

fn market_requirements() -> vcity_primitives::TaskRequirements {
	use vcity_primitives::{GpuClass, Placement, TaskRequirements};
	TaskRequirements {
		gpus: 4,
		min_vram_per_gpu_gib: 80,
		min_gpu_class: GpuClass::Datacenter,
		min_stage: 1,
		placement: Placement::Near {
			region: BoundedVec::try_from(b"eu-central".to_vec()).unwrap(),
			max_round_trip_ms: 50,
		},
	}
}

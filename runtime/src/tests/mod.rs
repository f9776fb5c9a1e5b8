//! The real runtime in `TestExternalities`: genesis presets and the registry's fee-less heartbeat
//! through the runtime's own transaction extensions.

mod agent_bridge;
mod buyback;
mod rewards;
mod time_scales;

use crate::{
	genesis_config_presets::*, AccountId, Balances, ComputeRegistry, Runtime, RuntimeCall,
	RuntimeGenesisConfig, RuntimeOrigin, System, Vesting, MONTHS,
};
use frame_support::{
	assert_ok, dispatch::GetDispatchInfo, traits::fungible::Inspect, traits::VestingSchedule, BoundedVec,
};
use sp_genesis_builder::PresetId;
use sp_keyring::Sr25519Keyring;
use sp_runtime::{traits::DispatchTransaction, BuildStorage};
use vcity_primitives::{GpuSpec, HeartbeatMetrics, NodeKind, NodeRoles, USDV_ASSET_ID, VCAI};

pub(crate) fn preset_storage(name: &str) -> sp_io::TestExternalities {
	let json = get_preset(&PresetId::from(name)).expect("preset exists");
	let config: RuntimeGenesisConfig = serde_json::from_slice(&json).expect("preset parses");
	let mut ext: sp_io::TestExternalities = config.build_storage().expect("preset builds").into();
	ext.execute_with(|| System::set_block_number(1));
	ext
}

#[test]
fn every_preset_issues_exactly_ten_billion_vcai() {
	// Staging funds no dev accounts; the others fund them out of the liquidity bucket.
	for (name, funded) in
		[(DEV_PRESET, true), (DEV_FAST_PRESET, true), (LOCAL_TESTNET_PRESET, true), (STAGING_PRESET, false)]
	{
		preset_storage(name).execute_with(|| {
			assert_eq!(Balances::total_issuance(), TOTAL_SUPPLY, "{name}");
			assert_eq!(TOTAL_SUPPLY, 10_000_000_000 * VCAI);
			let (dev_balance, paid_out) = if funded {
				(DEV_ACCOUNT_VCAI, dev_accounts().len() as u128 * DEV_ACCOUNT_VCAI)
			} else {
				(0, 0)
			};
			// The existential deposits of the accounts kept alive (ve distributor, buyback
			// treasury, rewards pot, grants), and the AMM pool's VCAI where a preset seeds one,
			// come out of the same bucket.
			let pool = if funded { DEV_POOL_VCAI } else { 0 };
			let kept_alive = kept_alive_accounts().len() as u128 * crate::EXISTENTIAL_DEPOSIT;
			let paid_out = paid_out + kept_alive + pool;
			assert_eq!(Balances::free_balance(Sr25519Keyring::Alice.to_account_id()), dev_balance, "{name}");
			let liquidity = Balances::total_balance(&bucket_account("initial-liquidity"));
			assert_eq!(liquidity, 100_000_000 * VCAI - paid_out, "{name}");
		});
	}
}

#[test]
fn allocation_table_matches_spec_buckets() {
	let total: u128 = ALLOCATION.iter().map(|b| b.amount).sum();
	assert_eq!(total, TOTAL_SUPPLY);
	preset_storage(DEV_PRESET).execute_with(|| {
		for bucket in ALLOCATION {
			let held = Balances::total_balance(&bucket_account(bucket.name));
			let expected = if bucket.name == "initial-liquidity" {
				bucket.amount
					- dev_accounts().len() as u128 * DEV_ACCOUNT_VCAI
					- kept_alive_accounts().len() as u128 * crate::EXISTENTIAL_DEPOSIT
					- DEV_POOL_VCAI
			} else {
				bucket.amount
			};
			assert_eq!(held, expected, "{}", bucket.name);
		}
	});
}

#[test]
fn vesting_follows_the_release_terms() {
	preset_storage(DEV_PRESET).execute_with(|| {
		let team = bucket_account("core-team");
		let private = bucket_account("private-sale");
		let advisors = bucket_account("strategic-advisors");
		System::set_block_number(0);
		// Core team: nothing at TGE, nothing during the 18-month cliff.
		assert_eq!(Vesting::vesting_balance(&team), Some(2_000_000_000 * VCAI));
		// Private sale: 21.91% free at TGE.
		assert_eq!(Vesting::vesting_balance(&private), Some(2_350_000_000 * VCAI - 514_885_000 * VCAI));
		System::set_block_number(18 * MONTHS);
		assert_eq!(Vesting::vesting_balance(&team), Some(2_000_000_000 * VCAI));
		// Per-block amounts round down, so the last base units vest one block later.
		System::set_block_number(18 * MONTHS + 1);
		assert_eq!(Vesting::vesting_balance(&advisors), Some(0));
		assert_eq!(Vesting::vesting_balance(&private), Some(0));
		System::set_block_number(18 * MONTHS + 21 * MONTHS);
		let left = Vesting::vesting_balance(&team).unwrap();
		// Half of the 42 months after the cliff: half is still locked (up to per-block rounding).
		assert!(left.abs_diff(1_000_000_000 * VCAI) < VCAI, "{left}");
		System::set_block_number(18 * MONTHS + 43 * MONTHS);
		assert_eq!(Vesting::vesting_balance(&team), Some(0));
	});
}

#[test]
fn usdv_is_a_sufficient_six_decimal_asset_minted_to_dev_accounts() {
	use frame_support::traits::fungibles::metadata::Inspect as MetadataInspect;
	preset_storage(DEV_PRESET).execute_with(|| {
		let bob = Sr25519Keyring::Bob.to_account_id();
		assert_eq!(crate::Assets::balance(USDV_ASSET_ID, &bob), DEV_ACCOUNT_USDV);
		assert_eq!(crate::Assets::decimals(USDV_ASSET_ID), 6);
		assert_eq!(crate::Assets::symbol(USDV_ASSET_ID), b"USDV".to_vec());
		// Sufficient: an account with USDV and no VCAI exists.
		let fresh = AccountId::from([7u8; 32]);
		assert_ok!(crate::Assets::transfer(
			RuntimeOrigin::signed(bob),
			USDV_ASSET_ID.into(),
			fresh.clone().into(),
			5 * vcity_primitives::USDV
		));
		assert!(System::account_exists(&fresh));
		assert_eq!(Balances::total_balance(&fresh), 0);
	});
}

#[test]
fn staging_has_no_sudo_and_local_has_four_validators() {
	preset_storage(STAGING_PRESET).execute_with(|| assert_eq!(pallet_sudo::Key::<Runtime>::get(), None));
	preset_storage(LOCAL_TESTNET_PRESET).execute_with(|| {
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 4);
		assert_eq!(crate::Grandpa::grandpa_authorities().len(), 4);
	});
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

#[test]
fn a_valid_heartbeat_is_free_and_an_invalid_one_never_enters_a_block() {
	preset_storage(DEV_PRESET).execute_with(|| {
		// Set the time directly: Aura would insist the slot of a set timestamp matches its own.
		pallet_timestamp::Now::<Runtime>::put(1_700_000_000_000);
		let owner = Sr25519Keyring::Alice.to_account_id();
		let operator = Sr25519Keyring::Bob.to_account_id();
		let gpu = GpuSpec {
			model: BoundedVec::try_from(b"RTX 4090".to_vec()).unwrap(),
			count: 2,
			vram_per_gpu_gib: 24,
		};
		let stake = ComputeRegistry::required_stake(&gpu).unwrap();
		assert_eq!(stake, 10_000 * VCAI);
		assert_ok!(ComputeRegistry::register_node(
			RuntimeOrigin::signed(owner),
			NodeKind::Flexible,
			NodeRoles { compute: true, verifier: false, scheduler: false },
			gpu,
			BoundedVec::try_from(b"eu-west".to_vec()).unwrap(),
			500_000,
			operator.clone(),
			stake,
		));
		let call = RuntimeCall::ComputeRegistry(pallet_compute_registry::Call::heartbeat {
			node: 1,
			metrics: HeartbeatMetrics::default(),
		});
		let info = call.get_dispatch_info();
		let len = 100;

		let before = Balances::free_balance(&operator);
		let result = extensions().dispatch_transaction(
			RuntimeOrigin::signed(operator.clone()),
			call.clone(),
			&info,
			len,
			0,
		);
		assert_ok!(result.expect("valid heartbeat is accepted"));
		assert_eq!(Balances::free_balance(&operator), before, "a valid heartbeat pays no fee");

		// The same beat again in this window is refused before dispatch: no fee, no block space.
		assert!(extensions()
			.dispatch_transaction(RuntimeOrigin::signed(operator.clone()), call.clone(), &info, len, 0)
			.is_err());
		let stranger = Sr25519Keyring::Charlie.to_account_id();
		let stranger_before = Balances::free_balance(&stranger);
		assert!(extensions()
			.dispatch_transaction(RuntimeOrigin::signed(stranger.clone()), call, &info, len, 0)
			.is_err());
		assert_eq!(Balances::free_balance(&stranger), stranger_before);

		// Other calls still pay.
		let transfer = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
			dest: stranger.clone().into(),
			value: VCAI,
		});
		let info = transfer.get_dispatch_info();
		assert_ok!(extensions()
			.dispatch_transaction(RuntimeOrigin::signed(operator.clone()), transfer, &info, len, 0)
			.expect("transfer is valid"));
		assert!(Balances::free_balance(&operator) < before - VCAI);
	});
}

#[test]
fn fees_go_to_the_treasury_and_issuance_stays_ten_billion() {
	preset_storage(DEV_PRESET).execute_with(|| {
		let payer = Sr25519Keyring::Alice.to_account_id();
		let payee = Sr25519Keyring::Ferdie.to_account_id();
		let treasury = bucket_account("reserve-governance");
		let (payer_before, treasury_before) =
			(Balances::free_balance(&payer), Balances::free_balance(&treasury));
		let transfer = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
			dest: payee.into(),
			value: VCAI,
		});
		let info = transfer.get_dispatch_info();
		assert_ok!(extensions()
			.dispatch_transaction(RuntimeOrigin::signed(payer.clone()), transfer, &info, 100, 0)
			.expect("transfer is valid"));
		let fee = payer_before - VCAI - Balances::free_balance(&payer);
		assert!(fee > 0);
		// Invariant: the fee moved, nothing was burnt or minted.
		assert_eq!(Balances::free_balance(&treasury), treasury_before + fee);
		assert_eq!(Balances::total_issuance(), 10_000_000_000 * VCAI);
	});
}

#[test]
fn staging_funds_no_dev_account() {
	preset_storage(STAGING_PRESET).execute_with(|| {
		for account in [Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Ferdie] {
			assert_eq!(Balances::free_balance(account.to_account_id()), 0);
		}
		assert_eq!(Balances::total_issuance(), 10_000_000_000 * VCAI);
	});
}

#[test]
fn the_heartbeat_quota_leaves_most_of_a_block_to_paid_transactions() {
	use frame_support::dispatch::DispatchClass;
	use sp_runtime::traits::TransactionExtension;
	let call = RuntimeCall::ComputeRegistry(pallet_compute_registry::Call::heartbeat {
		node: 1,
		metrics: HeartbeatMetrics::default(),
	});
	let weights = <Runtime as frame_system::Config>::BlockWeights::get();
	let normal = weights.get(DispatchClass::Normal);
	let one_beat = call
		.get_dispatch_info()
		.call_weight
		.saturating_add(pallet_compute_registry::CheckHeartbeat::<Runtime>::new().weight(&call))
		.saturating_add(normal.base_extrinsic);
	let quota = <Runtime as pallet_compute_registry::Config>::MaxHeartbeatsPerBlock::get();
	let beats = one_beat.saturating_mul(quota.into()).ref_time();
	let budget = normal.max_total.expect("normal class is bounded").ref_time();
	// The full quota of beats takes at most half of what normal transactions may use.
	assert!(beats * 2 <= budget, "{quota} beats of {one_beat:?} exceed half of {budget}");
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
/// each task's workload its own.
fn deliver_task(user: &AccountId, node: vcity_primitives::NodeId, seed: u64) -> vcity_primitives::TaskId {
	use crate::ComputeMarket;
	use vcity_primitives::{Billing, BuiltinWorkload, Workload, USDV};
	let id = pallet_compute_market::NextTaskId::<Runtime>::get();
	assert_ok!(ComputeMarket::submit_task(
		RuntimeOrigin::signed(user.clone()),
		market_requirements(),
		3_600,
		System::block_number() + 2_000,
		3 * USDV,
		Workload::Builtin(BuiltinWorkload::MatrixProduct { seed, size: 512, rounds: 2 }),
		Billing::PerTask,
	));
	assert_ok!(ComputeMarket::assign_tasks(
		RuntimeOrigin::signed(Sr25519Keyring::Dave.to_account_id()),
		BoundedVec::try_from(vec![(id, node)]).unwrap()
	));
	let operator = RuntimeOrigin::signed(Sr25519Keyring::Bob.to_account_id());
	assert_ok!(ComputeMarket::acknowledge_task(operator.clone(), id));
	assert_ok!(ComputeMarket::start_task(operator.clone(), id));
	assert_ok!(ComputeMarket::complete_task(operator, id, [3; 32], 14_400));
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

#[test]
fn a_task_paid_in_usdv_splits_between_node_scheduler_and_treasury() {
	use crate::ComputeMarket;
	use frame_support::traits::fungibles::Inspect as _;
	use vcity_primitives::USDV;

	preset_storage(DEV_PRESET).execute_with(|| {
		pallet_timestamp::Now::<Runtime>::put(1_700_000_000_000);
		let usdv = |who: &AccountId| crate::Assets::balance(USDV_ASSET_ID, who);
		let (node, scheduler) = register_market_nodes();
		let user = Sr25519Keyring::Eve.to_account_id();
		let (user_before, node_before, scheduler_before) = (
			usdv(&user),
			usdv(&Sr25519Keyring::Alice.to_account_id()),
			usdv(&Sr25519Keyring::Charlie.to_account_id()),
		);
		let treasury = crate::Buyback::treasury_account();
		let issuance = crate::Assets::total_issuance(USDV_ASSET_ID);

		let quote = ComputeMarket::quote(&market_requirements(), 3_600, Some(3 * USDV), 1..3, false);
		assert_eq!(quote.candidates.iter().map(|c| c.node).collect::<Vec<_>>(), vec![node]);
		assert_eq!(quote.lowest_cost, Some(8 * USDV));
		let task = run_task(&user, node);
		assert_eq!(task, 1);
		// 4 GPUs × 1 h × 2 USDV = 8 USDV of the 12 held; Bronze split 85 / 1 / 14.
		assert_eq!(user_before - usdv(&user), 8 * USDV);
		assert_eq!(usdv(&Sr25519Keyring::Alice.to_account_id()) - node_before, 6_800_000);
		assert_eq!(usdv(&Sr25519Keyring::Charlie.to_account_id()) - scheduler_before, 80_000);
		assert_eq!(usdv(&treasury), 1_120_000);
		assert_eq!(pallet_buyback::Ledger::<Runtime>::get().revenue, 1_120_000, "recorded as revenue");
		assert_eq!(crate::Assets::total_issuance(USDV_ASSET_ID), issuance);
		assert_eq!(ComputeMarket::market_stats().escrow, 0);
		assert_eq!(ComputeMarket::task_info(1).unwrap().scheduler, Some(scheduler));
		ComputeMarket::do_try_state().expect("market invariants hold");
		ComputeRegistry::do_try_state().expect("registry invariants hold");

		// The runtime API as the RPC calls it: the node is idle again, the task is the user's.
		use pallet_compute_market_runtime_api::runtime_decl_for_compute_market_api::ComputeMarketApiV1;
		let idle = <Runtime as ComputeMarketApiV1<_, _, _, _>>::idle_nodes(0, 10);
		assert_eq!(idle.nodes.iter().map(|n| (n.node, n.free_gpus)).collect::<Vec<_>>(), vec![(node, 8)]);
		assert_eq!(idle.next_cursor, None);
		let mine = <Runtime as ComputeMarketApiV1<_, _, _, _>>::tasks_of_owner(user.clone(), 0, 10);
		assert_eq!((mine.tasks.len(), mine.next_cursor), (1, None));
		let stats = <Runtime as ComputeMarketApiV1<_, _, _, _>>::market_stats();
		assert_eq!((stats.settled, stats.volume), (1, 8 * USDV));
	});
}

mod ve {
	use super::*;
	use crate::{VeVcai, DAY_MS};
	use frame_support::traits::Hooks;
	use pallet_ve_vcai_runtime_api::runtime_decl_for_ve_vcai_api::VeVcaiApiV1;

	const START_MS: u64 = 1_700_000_000_000;

	fn enter_day(day: u32) {
		pallet_timestamp::Now::<Runtime>::put(START_MS + u64::from(day) * DAY_MS + 1);
		let number = System::block_number() + 1;
		System::set_block_number(number);
		VeVcai::on_initialize(number);
	}

	#[test]
	fn a_locker_is_paid_a_day_drop_through_the_runtime_and_its_api() {
		preset_storage(DEV_PRESET).execute_with(|| {
			let alice = Sr25519Keyring::Alice.to_account_id();
			let bob = Sr25519Keyring::Bob.to_account_id();
			pallet_chain_clock::Calendar::<Runtime>::mutate(|c| c.start_ms = Some(START_MS));
			enter_day(0);
			let amount = 1_000 * VCAI;
			let unlock = START_MS + 100 * DAY_MS;
			assert_ok!(VeVcai::create_lock(RuntimeOrigin::signed(alice.clone()), amount, unlock));
			let lock = <Runtime as VeVcaiApiV1<_, _, _>>::lock(alice.clone()).expect("a lock");
			assert_eq!((lock.amount, lock.unlock_day, lock.unlock_ms), (amount, 100, unlock));
			assert_eq!(lock.weight, lock.slope * 100);
			enter_day(1);
			assert_ok!(VeVcai::drop_rewards(RuntimeOrigin::signed(bob), 10 * VCAI));
			enter_day(2);
			let pending = <Runtime as VeVcaiApiV1<_, _, _>>::pending_rewards(alice.clone());
			assert!(pending <= 10 * VCAI && pending + 1 >= 10 * VCAI, "{pending}");
			let before = Balances::free_balance(&alice);
			assert_ok!(VeVcai::claim(RuntimeOrigin::signed(alice.clone())));
			assert_eq!(Balances::free_balance(&alice), before + pending);
			let totals = <Runtime as VeVcaiApiV1<_, _, _>>::totals();
			assert_eq!(
				(totals.day, totals.locked, totals.distributed, totals.claimed),
				(2, amount, 10 * VCAI, pending)
			);
			assert_eq!(totals.weight, lock.slope * 98);
			assert_eq!(<Runtime as VeVcaiApiV1<_, _, _>>::weight_at(alice.clone(), 1), Some(lock.slope * 99));
			assert_eq!(<Runtime as VeVcaiApiV1<_, _, _>>::total_weight_at(1), Some(lock.slope * 99));
			assert_eq!(<Runtime as VeVcaiApiV1<_, _, _>>::weight(alice), lock.slope * 98);
			VeVcai::do_try_state().expect("ve invariants hold");
			assert_eq!(Balances::total_issuance(), TOTAL_SUPPLY);
		});
	}
}

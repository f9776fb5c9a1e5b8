//! The market through the real runtime: a task paid in USDV splits between the node, the
//! scheduler and the treasury, and the runtime API reports it as the RPC does.

use super::*;

#[test]
fn a_task_paid_in_usdv_splits_between_node_scheduler_and_treasury() {
	use crate::ComputeMarket;
	use frame_support::traits::fungibles::Inspect as _;
	use vcity_primitives::USDV;

	preset_storage(DEV_PRESET).execute_with(|| {
		pallet_timestamp::Now::<Runtime>::put(START_MS);
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

		let quote = ComputeMarket::quote(&market_requirements(), 3_600, Some(3 * USDV), 0);
		assert_eq!(quote.candidates.iter().map(|c| c.node).collect::<Vec<_>>(), vec![node]);
		assert_eq!(quote.lowest_cost, Some(8 * USDV));
		let task = run_task(&user, node);
		assert_eq!(task, 1);
		// 4 GPUs × 1 h × 2 USDV = 8 USDV of the 12 held; Bronze split 85 / 1 / 14, of which 2 pay
		// the verifiers.
		assert_eq!(user_before - usdv(&user), 8 * USDV);
		assert_eq!(usdv(&Sr25519Keyring::Alice.to_account_id()) - node_before, 6_800_000);
		assert_eq!(usdv(&Sr25519Keyring::Charlie.to_account_id()) - scheduler_before, 80_000);
		assert_eq!(usdv(&treasury), 960_000);
		assert_eq!(pallet_buyback::Ledger::<Runtime>::get().revenue, 960_000, "recorded as revenue");
		assert_eq!(usdv(&crate::Verification::pot()), USDV_MIN_BALANCE + 160_000, "the verification fee");
		assert_eq!(crate::Assets::total_issuance(USDV_ASSET_ID), issuance);
		assert_eq!(ComputeMarket::market_stats().escrow, 0);
		assert_eq!(ComputeMarket::task_info(1).unwrap().scheduler, Some(scheduler));
		ComputeMarket::do_try_state().expect("market invariants hold");
		ComputeRegistry::do_try_state().expect("registry invariants hold");

		// The runtime API as the RPC calls it: the node (beating again after its task's hour) is
		// idle again, the task is the user's.
		assert_ok!(ComputeRegistry::heartbeat(
			RuntimeOrigin::signed(Sr25519Keyring::Bob.to_account_id()),
			node,
			vcity_primitives::HeartbeatMetrics::default()
		));
		use pallet_compute_market_runtime_api::runtime_decl_for_compute_market_api::ComputeMarketApiV2;
		let idle = <Runtime as ComputeMarketApiV2<_, _, _, _>>::idle_nodes(0, 10);
		assert_eq!(idle.nodes.iter().map(|n| (n.node, n.free_gpus)).collect::<Vec<_>>(), vec![(node, 8)]);
		assert_eq!(idle.next_cursor, None);
		let mine = <Runtime as ComputeMarketApiV2<_, _, _, _>>::tasks_of_owner(user.clone(), 0, 10);
		assert_eq!((mine.tasks.len(), mine.next_cursor), (1, None));
		let stats = <Runtime as ComputeMarketApiV2<_, _, _, _>>::market_stats();
		assert_eq!((stats.settled, stats.volume), (1, 8 * USDV));
	});
}

/// The scheduler's worker never builds a batch the pool would refuse as too heavy: the batch size
/// it is given is charged at most half of a normal transaction's weight, and is at least one.
#[test]
fn a_schedulers_batch_fits_a_block() {
	use frame_support::{dispatch::DispatchClass, traits::Get};
	use vcity_primitives::Matching;
	preset_storage(DEV_PRESET).execute_with(|| {
		let items = <crate::ComputeMarket as Matching>::max_assignments_per_call();
		let weights = <Runtime as frame_system::Config>::BlockWeights::get();
		let max_extrinsic = weights.get(DispatchClass::Normal).max_extrinsic.expect("a normal-class bound");
		let batch = pallet_compute_market::assign_batch_weight::<Runtime>(items);
		println!(
			"batch of {items}: {} ms of a {} ms transaction bound",
			batch.ref_time() / 1_000_000_000,
			max_extrinsic.ref_time() / 1_000_000_000
		);
		assert!(items >= 1);
		assert!(batch.all_lte(max_extrinsic / 2));
		let max = <Runtime as pallet_compute_market::Config>::MaxAssignmentsPerBatch::get();
		if items < max {
			let one_more = pallet_compute_market::assign_batch_weight::<Runtime>(items + 1);
			assert!(!one_more.all_lte(max_extrinsic / 2), "the largest batch that fits");
		}
	});
}

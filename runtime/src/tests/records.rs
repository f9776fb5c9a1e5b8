//! Every record a user adds is paid for by a deposit returned when the record goes: a node's
//! record, reaped once nothing pays through it any more, and the accounts and approvals anyone
//! can open on a pool token.

use super::*;
use crate::{PoolAssets, Rewards, STANDARD_TIMES};
use frame_support::{assert_noop, traits::fungible::InspectHold, traits::Get};

const HEARTBEAT_WINDOW_MS: u64 = STANDARD_TIMES.heartbeat_window_ms;
const PERIOD_MS: u64 = STANDARD_TIMES.period_ms;

#[test]
fn an_exited_node_is_reaped_once_its_rewards_are_claimed_and_leaves_no_record() {
	preset_storage(DEV_PRESET).execute_with(|| {
		pallet_chain_clock::Calendar::<Runtime>::mutate(|c| c.start_ms = Some(START_MS));
		pallet_timestamp::Now::<Runtime>::put(START_MS);
		let issuance = Balances::total_issuance();
		let alice = Sr25519Keyring::Alice.to_account_id();
		let record_hold =
			crate::RuntimeHoldReason::ComputeRegistry(pallet_compute_registry::HoldReason::NodeRecord);
		let (node, _scheduler) = register_market_nodes();
		assert_eq!(Balances::balance_on_hold(&record_hold, &alice), 10 * VCAI);

		// A window of capacity proven: the node is owed points of period 0.
		pallet_timestamp::Now::<Runtime>::put(START_MS + HEARTBEAT_WINDOW_MS);
		assert_ok!(ComputeRegistry::heartbeat(
			RuntimeOrigin::signed(Sr25519Keyring::Bob.to_account_id()),
			node,
			HeartbeatMetrics::default()
		));
		assert!(pallet_rewards::NodePoints::<Runtime>::get(node, 0).is_some());

		// The node leaves: unbonding, then its stake back.
		assert_ok!(ComputeRegistry::deregister(RuntimeOrigin::signed(alice.clone()), node));
		let unbonding: crate::BlockNumber =
			<Runtime as pallet_compute_registry::Config>::UnbondingPeriod::get();
		System::set_block_number(System::block_number() + unbonding);
		assert_ok!(ComputeRegistry::withdraw_unbonded(RuntimeOrigin::signed(alice.clone()), node));
		// Its points are unclaimed (the period is still open): the record must name the owner.
		assert_noop!(
			ComputeRegistry::reap_node(RuntimeOrigin::signed(alice.clone()), node),
			pallet_compute_registry::Error::<Runtime>::RecordInUse
		);

		// Period 1 begins and closes period 0; the owner claims, and nothing is owed any more.
		pallet_timestamp::Now::<Runtime>::put(START_MS + PERIOD_MS);
		next_block();
		let periods = BoundedVec::truncate_from(vec![0]);
		assert_ok!(Rewards::claim_node_rewards(RuntimeOrigin::signed(alice.clone()), node, periods));
		assert_eq!(pallet_rewards::NodePoints::<Runtime>::iter_prefix(node).count(), 0);

		let before = Balances::balance(&alice);
		assert_ok!(ComputeRegistry::reap_node(RuntimeOrigin::signed(alice.clone()), node));
		assert_eq!(Balances::balance(&alice), before + 10 * VCAI, "the deposit is free again");
		assert_eq!(Balances::balance_on_hold(&record_hold, &alice), 0);
		assert!(pallet_compute_registry::Nodes::<Runtime>::get(node).is_none());
		assert!(!pallet_compute_registry::RecordDeposits::<Runtime>::contains_key(node));
		assert!(!pallet_compute_registry::OnlineComputeNodes::<Runtime>::contains_key(node));
		// Rewards move VCAI out of the pot; no deposit is minted or burnt.
		assert_eq!(Balances::total_issuance(), issuance);
		ComputeRegistry::do_try_state().expect("registry invariants hold");
	});
}

#[test]
fn accounts_and_approvals_on_a_pool_token_cost_a_deposit_returned_when_they_go() {
	preset_storage(DEV_PRESET).execute_with(|| {
		let (_, pool) = pallet_asset_conversion::Pools::<Runtime>::iter().next().expect("the dev pool");
		let lp_token = pool.lp_token;
		let bob = Sr25519Keyring::Bob.to_account_id();
		let charlie = Sr25519Keyring::Charlie.to_account_id();
		let reserved = Balances::reserved_balance(&bob);

		assert_ok!(PoolAssets::approve_transfer(
			RuntimeOrigin::signed(bob.clone()),
			lp_token,
			charlie.clone().into(),
			1
		));
		assert_eq!(Balances::reserved_balance(&bob), reserved + crate::configs::ApprovalDeposit::get());
		assert_ok!(PoolAssets::cancel_approval(RuntimeOrigin::signed(bob.clone()), lp_token, charlie.into()));
		assert_eq!(Balances::reserved_balance(&bob), reserved);

		assert_ok!(PoolAssets::touch(RuntimeOrigin::signed(bob.clone()), lp_token));
		assert_eq!(Balances::reserved_balance(&bob), reserved + crate::configs::AssetAccountDeposit::get());
		assert_ok!(PoolAssets::refund(RuntimeOrigin::signed(bob.clone()), lp_token, false));
		assert_eq!(Balances::reserved_balance(&bob), reserved);
	});
}

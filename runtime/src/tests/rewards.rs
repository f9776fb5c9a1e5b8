//! The incentive pool through the real runtime: the registry's heartbeats earn Proof-of-Capacity,
//! a settled task earns Proof-of-Delivery and a rebate, the period's close releases a week of the
//! schedule by transfer, and the owners and the user claim it. Issuance stays 10 billion VCAI.

use super::*;
use crate::{ChainClock, Rewards, STANDARD_TIMES};

/// The dev preset's lengths: 24-hour days, weekly periods.
const HEARTBEAT_WINDOW_MS: u64 = STANDARD_TIMES.heartbeat_window_ms;
const PERIOD_MS: u64 = STANDARD_TIMES.period_ms;
use pallet_rewards::schedule::released;
use vcity_primitives::{Clock, NodeSlashing, NodeStatus, INCENTIVE_POOL, INCENTIVE_SCHEDULE_MS};

fn beat(operator: Sr25519Keyring, node: vcity_primitives::NodeId) {
	assert_ok!(ComputeRegistry::heartbeat(
		RuntimeOrigin::signed(operator.to_account_id()),
		node,
		HeartbeatMetrics::default()
	));
}

#[test]
fn every_preset_funds_the_pool_and_keeps_the_pot_and_grants_alive() {
	for name in [DEV_PRESET, LOCAL_TESTNET_PRESET, STAGING_PRESET] {
		preset_storage(name).execute_with(|| {
			assert_eq!(Balances::balance(&Rewards::pool_account()), INCENTIVE_POOL, "{name}");
			assert_eq!(Balances::balance(&Rewards::pot_account()), crate::EXISTENTIAL_DEPOSIT, "{name}");
			let grants = <Runtime as pallet_rewards::Config>::GrantsAccount::get();
			assert_eq!(Balances::balance(&grants), crate::EXISTENTIAL_DEPOSIT, "{name}");
			assert_eq!(pallet_rewards::SupplyShare::<Runtime>::get(), INITIAL_SUPPLY_SHARE);
			Rewards::do_try_state().expect("rewards invariants hold at genesis");
		});
	}
}

#[test]
fn heartbeats_and_a_task_earn_a_week_of_the_pool_and_the_owners_and_the_user_claim_it() {
	preset_storage(DEV_PRESET).execute_with(|| {
		pallet_chain_clock::Calendar::<Runtime>::mutate(|c| c.start_ms = Some(START_MS));
		pallet_timestamp::Now::<Runtime>::put(START_MS);
		let (node, scheduler) = register_market_nodes();
		// Three windows of beats after the first: each proves a whole window of capacity.
		for window in 1..=3 {
			pallet_timestamp::Now::<Runtime>::put(START_MS + window * HEARTBEAT_WINDOW_MS);
			beat(Sr25519Keyring::Bob, node);
			beat(Sr25519Keyring::Dave, scheduler);
		}
		let eve = Sr25519Keyring::Eve.to_account_id();
		run_task(&eve, node);
		let paid = pallet_compute_market::Spend::<Runtime>::get(0, &eve);
		assert!(paid > 0);
		let fee = pallet_compute_market::FeesPaid::<Runtime>::get(0, &eve);
		// Bronze: 85% to the node, 1% to the scheduler, 2% to the verifiers, 12% kept by the
		// protocol.
		assert_eq!(fee, paid * 12 / 100);
		warm_price_oracle();

		// Period 1 begins; its first block closes period 0.
		pallet_timestamp::Now::<Runtime>::put(START_MS + PERIOD_MS);
		next_block();
		assert_eq!(ChainClock::period_index(), 1);
		let r = Rewards::period(0).expect("period 0 is closed");
		assert_eq!(r.released, released(INCENTIVE_POOL, PERIOD_MS, INCENTIVE_SCHEDULE_MS));
		assert_eq!(r.released / VCAI, 3_831_417, "a week of 2e9 over 522 weeks");
		assert_eq!(r.to_grants, 0);
		// 8 H100 (data-centre 2×, 640 GiB 1.5×, staked 1×), 600 s a window, three windows; the
		// scheduler-only node's H100 cannot be rented, so it proves no capacity. 14,400
		// GPU-seconds delivered at five stars, paid 8 USDV: delivery points are the USDV paid.
		let compute = 8 * 600 * 3_000 * 3;
		assert_eq!(r.capacity_points, (compute * 3) as u128);
		assert_eq!(r.delivery_points, paid);
		// The dev pool prices a USDV at 100 VCAI; the caps are 30% of the fee's worth each.
		// A day's average of the pool (the day's buyback round moved it by a hair).
		assert!(r.vcai_per_usdv.abs_diff(100 * VCAI) < VCAI / 10, "{}", r.vcai_per_usdv);
		let delivery_cap = vcity_primitives::fee_cap(fee, r.vcai_per_usdv, r.delivery_per_fee);
		let rebate_cap = vcity_primitives::fee_cap(fee, r.vcai_per_usdv, r.rebate_per_fee);
		// 30% of 0.96 USDV at 100 VCAI: 28.8 VCAI each.
		assert_eq!(delivery_cap, rebate_cap);
		assert!(delivery_cap.abs_diff(28_800_000_000_000_000_000) < VCAI / 10, "{delivery_cap}");
		assert_eq!(r.spend, paid);
		assert_eq!(r.utilization, Some(sp_runtime::Perbill::from_rational(14_400u64, 3 * 8 * 600)));

		let alice = Sr25519Keyring::Alice.to_account_id();
		let pending = Rewards::pending_node_rewards(node);
		// The whole capacity pot, and of the delivery pot only what the fee caps: one user's
		// 8 USDV cannot buy a week's delivery pot. The rest waits in the next period.
		let expected = r.capacity_pot + delivery_cap;
		assert!(pending.total.abs_diff(expected) <= 1, "{} vs {expected}", pending.total);
		let before = Balances::balance(&alice);
		let periods = BoundedVec::truncate_from(vec![0]);
		assert_ok!(Rewards::claim_node_rewards(RuntimeOrigin::signed(alice.clone()), node, periods.clone()));
		assert_eq!(Balances::balance(&alice), before + pending.total);
		assert_eq!(
			Rewards::pending_node_rewards(scheduler).total,
			0,
			"a scheduler-only node earns no capacity"
		);
		let before = Balances::balance(&eve);
		assert_ok!(Rewards::claim_rebates(RuntimeOrigin::signed(eve.clone()), periods.clone()));
		assert_eq!(
			Balances::balance(&eve),
			before + rebate_cap,
			"the only user's rebate is capped by its fee"
		);
		let held_back = r.delivery_pot - delivery_cap + r.demand_pot - rebate_cap;
		assert_eq!(pallet_rewards::Carry::<Runtime>::get(), r.carried_out + held_back);

		// The node is banned for good: what it earns in period 1 goes back into the pot.
		pallet_timestamp::Now::<Runtime>::put(START_MS + PERIOD_MS + HEARTBEAT_WINDOW_MS);
		beat(Sr25519Keyring::Bob, node);
		assert_ok!(<ComputeRegistry as NodeSlashing<AccountId, crate::Balance>>::ban(node));
		assert_eq!(
			<ComputeRegistry as vcity_primitives::NodeRegistry<_, _>>::status(node),
			Some(NodeStatus::Banned)
		);
		pallet_timestamp::Now::<Runtime>::put(START_MS + 2 * PERIOD_MS);
		next_block();
		let periods = BoundedVec::truncate_from(vec![1]);
		assert!(Rewards::claim_node_rewards(RuntimeOrigin::signed(alice), node, periods.clone()).is_err());
		assert_ok!(Rewards::forfeit_rewards(RuntimeOrigin::signed(eve), node, periods));
		assert!(pallet_rewards::Carry::<Runtime>::get() > 0);

		Rewards::do_try_state().expect("rewards invariants hold");
		crate::ComputeMarket::do_try_state().expect("market invariants hold");
		assert_eq!(Balances::total_issuance(), TOTAL_SUPPLY, "releases are transfers");
	});
}

#[test]
fn self_dealt_work_and_a_suspended_node_earn_no_points_and_no_rebate() {
	use crate::ComputeMarket;
	preset_storage(DEV_PRESET).execute_with(|| {
		pallet_chain_clock::Calendar::<Runtime>::mutate(|c| c.start_ms = Some(START_MS));
		pallet_timestamp::Now::<Runtime>::put(START_MS);
		let (node, scheduler) = register_market_nodes();
		let alice = Sr25519Keyring::Alice.to_account_id();
		// The node's owner buys from their own node: GPUs used, no points, no rebate.
		run_task(&alice, node);
		assert!(pallet_rewards::NodePoints::<Runtime>::get(node, 0).is_none_or(|p| p.delivery == 0));
		assert_eq!(pallet_compute_market::Spend::<Runtime>::get(0, &alice), 0);
		// Nor does it count as consumption: utilization measures compute bought from others.
		assert_eq!(pallet_compute_market::ConsumedGpuMs::<Runtime>::get(0), 0);

		// An hour later both nodes beat again, and Eve's task is delivered; then the node is
		// suspended before it settles.
		beat(Sr25519Keyring::Bob, node);
		beat(Sr25519Keyring::Dave, scheduler);
		let eve = Sr25519Keyring::Eve.to_account_id();
		let id = deliver_task(&eve, node, 2);
		assert_ok!(<ComputeRegistry as NodeSlashing<AccountId, crate::Balance>>::suspend(node));
		assert_ok!(ComputeMarket::rate_task(RuntimeOrigin::signed(eve.clone()), id, 5));
		assert!(pallet_rewards::NodePoints::<Runtime>::get(node, 0).is_none_or(|p| p.delivery == 0));
		// The user still paid at arm's length: that spend earns its rebate.
		assert!(pallet_compute_market::Spend::<Runtime>::get(0, &eve) > 0);
		// A suspended node's beat is refused, so it proves no more capacity either.
		let capacity = pallet_rewards::NodePoints::<Runtime>::get(node, 0).map(|p| p.capacity_points());
		pallet_timestamp::Now::<Runtime>::mutate(|now| *now += HEARTBEAT_WINDOW_MS);
		assert!(ComputeRegistry::heartbeat(
			RuntimeOrigin::signed(Sr25519Keyring::Bob.to_account_id()),
			node,
			HeartbeatMetrics::default()
		)
		.is_err());
		assert_eq!(
			pallet_rewards::NodePoints::<Runtime>::get(node, 0).map(|p| p.capacity_points()),
			capacity
		);
		Rewards::do_try_state().expect("rewards invariants hold");
		assert_eq!(Balances::total_issuance(), TOTAL_SUPPLY);
	});
}

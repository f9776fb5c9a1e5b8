//! Slashing through the real runtime: the market's failed delivery becomes a case, the rewards
//! stop while it is pending, an appeal is rejected and the slash
//! compensates the user; a severe case bans the node, takes its tasks back and voids its open
//! period's points. VCAI's issuance stays 10 billion throughout.

use super::*;
use crate::{ChainClock, ComputeMarket, Rewards, Slashing};
use vcity_primitives::{
	BuiltinWorkload, Clock, Offence, OffenceEvidence, OffenceReport, OffenceReporter, OffenceTier,
	PenaltyStatus, SlashOutcome, TaskStatus, Workload, USDV,
};

/// A minute of a task on four H100s, submitted by `user` with room for the `dev-fast` windows,
/// assigned to `node` by the scheduler, acknowledged and started by Bob's agent.
fn start_short_task(user: &AccountId, node: vcity_primitives::NodeId) -> vcity_primitives::TaskId {
	let seed = pallet_compute_market::NextTaskId::<Runtime>::get();
	let workload = Workload::Builtin(BuiltinWorkload::MatrixProduct { seed, size: 512, rounds: 2 });
	let id = submit_market_task(user, 60, 40, workload);
	assert_ok!(ComputeMarket::assign_tasks(
		RuntimeOrigin::signed(Sr25519Keyring::Dave.to_account_id()),
		BoundedVec::try_from(vec![(id, node)]).unwrap()
	));
	let operator = RuntimeOrigin::signed(Sr25519Keyring::Bob.to_account_id());
	assert_ok!(ComputeMarket::acknowledge_task(operator.clone(), id));
	assert_ok!(ComputeMarket::start_task(operator, id));
	id
}

fn check_invariants() {
	ComputeRegistry::do_try_state().expect("registry invariants hold: held stake is recorded stake");
	ComputeMarket::do_try_state().expect("market invariants hold");
	Rewards::do_try_state().expect("rewards invariants hold");
	Slashing::do_try_state().expect("slashing invariants hold");
	assert_eq!(Balances::total_issuance(), TOTAL_SUPPLY, "slashes move VCAI, never mint or burn it");
}

#[test]
fn a_node_that_drops_a_started_task_is_slashed_after_its_appeal_fails_and_the_user_is_compensated() {
	preset_storage(DEV_FAST_PRESET).execute_with(|| {
		start_clock();
		warm_price_oracle();
		let (node, _scheduler) = register_market_nodes();
		let eve = Sr25519Keyring::Eve.to_account_id();
		let task = start_short_task(&eve, node);
		// What the task would have paid at the node's price, 2 USDV per GPU-hour: the user's claim.
		let put_up = vcity_primitives::compute_cost(2 * USDV, 4, 60).unwrap();
		assert!(put_up < pallet_compute_market::Tasks::<Runtime>::get(task).unwrap().escrow);
		let stake = ComputeRegistry::held_stake_of(&Sr25519Keyring::Alice.to_account_id());
		let eve_vcai = Balances::balance(&eve);

		// The agent keeps beating but never delivers: the deadline passes on a task it had
		// started, a failed delivery.
		while ComputeMarket::task_info(task).unwrap().status != TaskStatus::Refunded {
			next_block();
			let _ = ComputeRegistry::heartbeat(
				RuntimeOrigin::signed(Sr25519Keyring::Bob.to_account_id()),
				node,
				HeartbeatMetrics::default(),
			);
		}
		let (id, case) = Slashing::pending_case(node).expect("the offences opened a case");
		assert_eq!(case.offences.to_vec(), vec![(Offence::FailedDelivery, OffenceEvidence::Task(task))]);
		assert_eq!(
			(case.tier, case.fraction),
			(OffenceTier::Moderate, sp_runtime::Perbill::from_percent(10))
		);
		assert_eq!(case.victims[0].who, eve);
		assert_eq!(case.victims[0].payment, put_up);

		// A moderate case stops the node's rewards: its next beat proves no capacity.
		assert!(Slashing::rewards_suspended(node));
		let period = ChainClock::period_index();
		let points = pallet_rewards::NodePoints::<Runtime>::get(node, period);
		let window = pallet_compute_registry::HeartbeatWindowMs::<Runtime>::get();
		pallet_timestamp::Now::<Runtime>::mutate(|now| *now += window);
		assert_ok!(ComputeRegistry::heartbeat(
			RuntimeOrigin::signed(Sr25519Keyring::Bob.to_account_id()),
			node,
			HeartbeatMetrics::default()
		));
		assert_eq!(pallet_rewards::NodePoints::<Runtime>::get(node, ChainClock::period_index()), points);

		let alice = RuntimeOrigin::signed(Sr25519Keyring::Alice.to_account_id());
		assert_ok!(Slashing::appeal(alice, id));
		assert_ok!(Slashing::decide_appeal(RuntimeOrigin::root(), id, false));
		check_invariants();
		while Slashing::pending_case(node).is_some() {
			next_block();
		}
		let Some(SlashOutcome::Executed { slashed, compensated, .. }) =
			Slashing::slash_history(node).last().map(|r| r.outcome)
		else {
			panic!("the case executed");
		};
		assert_eq!(slashed, stake / 10);
		// Eve's task would have paid 0.133334 USDV, worth about 13 VCAI at the pool's price: all
		// of it comes back.
		let worth = put_up * <crate::Buyback as vcity_primitives::VcaiPrice>::vcai_per_usdv().unwrap() / USDV;
		assert_eq!(compensated, worth);
		assert_eq!(Balances::balance(&eve), eve_vcai + worth);
		assert_eq!(ComputeRegistry::held_stake_of(&Sr25519Keyring::Alice.to_account_id()), stake - slashed);
		assert!(!Slashing::rewards_suspended(node));
		check_invariants();
	});
}

#[test]
fn a_severe_case_bans_the_node_takes_its_tasks_back_and_voids_its_open_points() {
	preset_storage(DEV_FAST_PRESET).execute_with(|| {
		start_clock();
		warm_price_oracle();
		let (node, _scheduler) = register_market_nodes();
		let eve = Sr25519Keyring::Eve.to_account_id();
		let task = start_short_task(&eve, node);
		// A window later its beat proves a window of capacity.
		let window = pallet_compute_registry::HeartbeatWindowMs::<Runtime>::get();
		pallet_timestamp::Now::<Runtime>::mutate(|now| *now += window);
		assert_ok!(ComputeRegistry::heartbeat(
			RuntimeOrigin::signed(Sr25519Keyring::Bob.to_account_id()),
			node,
			HeartbeatMetrics::default()
		));
		let period = ChainClock::period_index();
		assert!(
			pallet_rewards::NodePoints::<Runtime>::get(node, period).is_some(),
			"its beat earned capacity"
		);

		Slashing::report_offence(OffenceReport {
			node,
			offence: Offence::FakeCapacity,
			evidence: OffenceEvidence::Check(1),
			victim: None,
			reporters: vec![Sr25519Keyring::Ferdie.to_account_id()],
		});
		assert_eq!(
			<ComputeRegistry as vcity_primitives::NodeRegistry<_, _>>::status(node),
			Some(vcity_primitives::NodeStatus::Suspended)
		);
		let (_, case) = Slashing::pending_case(node).unwrap();
		for _ in System::block_number()..case.execute_at {
			next_block();
		}
		assert_eq!(
			<ComputeRegistry as vcity_primitives::NodeRegistry<_, _>>::status(node),
			Some(vcity_primitives::NodeStatus::Banned)
		);
		assert_eq!(ComputeRegistry::held_stake_of(&Sr25519Keyring::Alice.to_account_id()), 0);
		// The task it held went back to the queue or, too late for another node, was refunded.
		let status = ComputeMarket::task_info(task).unwrap().status;
		assert!(matches!(status, TaskStatus::Queued | TaskStatus::Refunded), "{status:?}");
		assert_eq!(pallet_compute_market::GpusInUse::<Runtime>::get(node), 0);
		// Nothing in the open period; what it earned in a closed one goes back to the pool.
		assert!(pallet_rewards::NodePoints::<Runtime>::get(node, ChainClock::period_index()).is_none());
		assert!(period < ChainClock::period_index(), "the pending window spans a dev-fast period");
		assert_ok!(Rewards::forfeit_rewards(
			RuntimeOrigin::signed(eve),
			node,
			BoundedVec::truncate_from(vec![period])
		));
		assert!(pallet_rewards::NodePoints::<Runtime>::get(node, period).is_none());
		check_invariants();
	});
}

/// The block hook's worst: every case due in a block severe, each with its compensations,
/// reporters and a ban that takes back a node's every task. It must leave most of a block for
/// transactions.
#[test]
fn a_block_of_executions_fits_well_within_the_normal_class() {
	use frame_support::traits::Get;
	let per_case = Slashing::execution_weight();
	let cases: u32 = <Runtime as pallet_slashing::Config>::MaxExecutionsPerBlock::get();
	let hook = per_case.saturating_mul(u64::from(cases));
	let normal = <Runtime as frame_system::Config>::BlockWeights::get()
		.get(frame_support::dispatch::DispatchClass::Normal)
		.max_total
		.unwrap();
	assert!(hook.ref_time() * 2 < normal.ref_time(), "{hook:?} vs {normal:?}");
	assert!(hook.proof_size() * 2 < normal.proof_size(), "{hook:?} vs {normal:?}");
}

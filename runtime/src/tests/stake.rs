//! The stake multiplier on the real runtime: the registry's hook runs after the market's, so it
//! reads the utilization of the period the market has just closed.

use super::*;
use crate::{ChainClock, ComputeRegistry};
use sp_runtime::{traits::One, FixedPointNumber, FixedU128, Perbill};
use vcity_primitives::Clock;

#[test]
fn an_idle_period_raises_the_stake_multiplier_one_step() {
	preset_storage(DEV_FAST_PRESET).execute_with(|| {
		start_clock();
		// A day of prices first (twelve blocks on dev-fast): without one the multiplier holds.
		warm_price_oracle();
		let (node, _scheduler) = register_market_nodes();
		let operator = Sr25519Keyring::Bob.to_account_id();
		let multiplier = || pallet_compute_registry::Schedule::<Runtime>::get().multiplier;
		assert_eq!(multiplier(), FixedU128::one());
		let period = ChainClock::period_index();
		// A period, a minute on dev-fast: the node beats in every window and nobody rents it.
		while pallet_compute_registry::ScheduleUpdatedIn::<Runtime>::get() <= period {
			next_block();
			let beat = ComputeRegistry::heartbeat(
				RuntimeOrigin::signed(operator.clone()),
				node,
				HeartbeatMetrics::default(),
			);
			// Most blocks fall inside a window the node has already beaten in.
			assert!(
				beat.is_ok()
					|| beat == Err(pallet_compute_registry::Error::<Runtime>::HeartbeatTooEarly.into())
			);
		}
		let mut adjusted = System::events().into_iter().filter_map(|record| match record.event {
			crate::RuntimeEvent::ComputeRegistry(pallet_compute_registry::Event::StakeAdjusted {
				period,
				utilization,
				new,
				..
			}) => Some((period, utilization, new)),
			_ => None,
		});
		// Capacity was proven and none of it consumed: U = 0, the aim is 1.8×, one 10% step.
		let ten_percent = FixedU128::saturating_from_rational(11, 10);
		assert_eq!(adjusted.next_back(), Some((period + 1, Some(Perbill::zero()), ten_percent)));
		assert_eq!(multiplier(), FixedU128::saturating_from_rational(11, 10));
		// The node registered at 1× keeps being offered work through the grace.
		let profile = <ComputeRegistry as vcity_primitives::NodeRegistry<_, _>>::profile(node).unwrap();
		assert!(profile.staked);
	});
}

/// A task runs across the period's end: only the market's hook, closing the period, counts its
/// GPU-seconds into it. The registry's adjustment reads that figure, so it must run after the
/// market's hook; run before, it would see no consumption at all.
#[test]
fn the_adjustment_reads_the_period_the_market_has_closed() {
	use crate::ComputeMarket;
	use vcity_primitives::{Billing, BuiltinWorkload, UsageMeter, Workload, USDV};
	preset_storage(DEV_FAST_PRESET).execute_with(|| {
		start_clock();
		let (node, _scheduler) = register_market_nodes();
		let operator = Sr25519Keyring::Bob.to_account_id();
		let user = Sr25519Keyring::Ferdie.to_account_id();
		let beat = || {
			let _ = ComputeRegistry::heartbeat(
				RuntimeOrigin::signed(operator.clone()),
				node,
				HeartbeatMetrics::default(),
			);
		};
		for _ in 0..3 {
			next_block();
			beat();
		}
		let id = pallet_compute_market::NextTaskId::<Runtime>::get();
		assert_ok!(ComputeMarket::submit_task(
			RuntimeOrigin::signed(user),
			market_requirements(),
			3_600,
			System::block_number() + 2_000,
			3 * USDV,
			Workload::Builtin(BuiltinWorkload::MatrixProduct { seed: 7, size: 512, rounds: 2 }),
			Billing::PerTask,
		));
		assert_ok!(ComputeMarket::assign_tasks(
			RuntimeOrigin::signed(Sr25519Keyring::Dave.to_account_id()),
			BoundedVec::try_from(vec![(id, node)]).unwrap()
		));
		assert_ok!(ComputeMarket::acknowledge_task(RuntimeOrigin::signed(operator.clone()), id));
		assert_ok!(ComputeMarket::start_task(RuntimeOrigin::signed(operator.clone()), id));
		assert_eq!(<ComputeMarket as UsageMeter<AccountId, u128>>::consumed_gpu_seconds(0), 0);
		while pallet_compute_registry::ScheduleUpdatedIn::<Runtime>::get() == 0 {
			next_block();
			beat();
		}
		let closed = <ComputeMarket as UsageMeter<AccountId, u128>>::utilization(0);
		assert!(closed.is_some_and(|u| u > Perbill::zero()), "{closed:?}");
		let seen = System::events().into_iter().find_map(|record| match record.event {
			crate::RuntimeEvent::ComputeRegistry(pallet_compute_registry::Event::StakeAdjusted {
				utilization,
				..
			}) => Some(utilization),
			_ => None,
		});
		assert_eq!(seen, Some(closed), "the registry saw the closed period's utilization");
	});
}

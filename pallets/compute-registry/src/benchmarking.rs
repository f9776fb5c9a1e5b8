//! Benchmarks (frame-benchmarking v2) for every call and hook of the registry.
//!
//! `register_node` and `heartbeat` take `n`, the number of nodes already registered, from 10 to
//! 100,000: their weight must not grow with the register (no hidden O(n)).

use super::*;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, Get},
	BoundedVec,
};
use frame_system::RawOrigin;
use sp_runtime::{traits::Zero, FixedU128};
use vcity_primitives::{
	Balance, Clock, GpuSpec, Health, HeartbeatMetrics, NodeId, NodeKind, NodeRoles, VCAI,
};

const SEED: u32 = 0;
/// Nodes (and, in the market, open tasks) in storage at the top of the range: 100,000 on the
/// runtime, where the weights are measured; a thousand when the benchmarks run as unit tests,
/// which check that each benchmark runs and asserts, not how its cost grows (natively, in a debug
/// build, filling 100,000 entries takes most of a minute per benchmark).
#[cfg(not(test))]
const MAX_REGISTER: u32 = 100_000;
#[cfg(test)]
const MAX_REGISTER: u32 = 1_000;

fn gpu_spec<T: Config>() -> GpuSpec {
	GpuSpec {
		// The longest model name allowed: the largest record to read and write.
		model: BoundedVec::truncate_from(alloc::vec![b'G'; 64]),
		count: T::MaxGpusPerNode::get(),
		vram_per_gpu_gib: T::MaxVramPerGpuGib::get(),
	}
}

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	T::Currency::set_balance(&who, 1_000_000_000 * VCAI);
	who
}

/// Fills the register with `n` nodes straight in storage (no holds: only their number matters).
/// Other pallets' benchmarks use it to measure their calls against a deep register.
pub fn populate<T: Config>(n: u32) {
	let owner: T::AccountId = account("crowd", 0, SEED);
	let template = Node {
		owner: owner.clone(),
		operator: owner,
		kind: NodeKind::Flexible,
		roles: NodeRoles { compute: true, verifier: false, scheduler: false },
		gpu: gpu_spec::<T>(),
		region: BoundedVec::try_from(b"eu-west".to_vec()).unwrap_or_default(),
		price_per_gpu_hour: 1,
		price_raised_ms: 0,
		stake: 0,
		state: NodeState::Active,
		registered_at: Zero::zero(),
		reputation: Reputation { score: 5_000, updated_ms: 0 },
		history: ServiceHistory::default(),
	};
	let first = NextNodeId::<T>::get();
	for i in 0..n as NodeId {
		let id = first + i;
		Nodes::<T>::insert(id, &template);
		NodeOfOperator::<T>::insert(account::<T::AccountId>("crowd-operator", id as u32, SEED), id);
	}
	NextNodeId::<T>::put(first + n as NodeId);
}

/// Registers a real node for `owner`, run by `operator`.
fn register<T: Config>(owner: &T::AccountId, operator: &T::AccountId) -> Result<NodeId, BenchmarkError> {
	let gpu = gpu_spec::<T>();
	let stake = Pallet::<T>::required_stake(&gpu).unwrap_or(Balance::MAX / 4);
	let terms = Registration {
		kind: NodeKind::Stable,
		roles: NodeRoles { compute: true, verifier: true, scheduler: true },
		gpu,
		region: BoundedVec::try_from(b"eu-west".to_vec()).unwrap_or_default(),
		price_per_gpu_hour: 2_000_000,
		operator: operator.clone(),
		stake,
	};
	Pallet::<T>::do_register_node(owner.clone(), terms).map_err(Into::into)
}

/// A node registered by a funded owner; returns the owner and the node.
fn owned_node<T: Config>() -> Result<(T::AccountId, NodeId), BenchmarkError> {
	let owner = funded::<T>("owner", 0);
	let node = register::<T>(&owner, &account("operator", 0, SEED))?;
	Ok((owner, node))
}

/// A node that has beaten once, with the clock moved into its next window so it may beat again;
/// returns the operator and the node.
fn beating_node<T: Config>() -> Result<(T::AccountId, NodeId), BenchmarkError> {
	let owner = funded::<T>("owner", 0);
	let operator = funded::<T>("operator", 0);
	let node = register::<T>(&owner, &operator)?;
	next_window::<T>();
	Pallet::<T>::do_heartbeat(operator.clone(), node, HeartbeatMetrics::default())?;
	next_window::<T>();
	// Out of the online index, as after a silence the sweep noticed: the measured beat puts it
	// back, the dearest a beat can be.
	OnlineComputeNodes::<T>::remove(node);
	Ok((operator, node))
}

/// Moves the chain clock one heartbeat window ahead.
fn next_window<T: Config>() {
	let now = T::Clock::now_ms();
	T::BenchmarkHelper::set_time(now.saturating_add(HeartbeatWindowMs::<T>::get()));
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_node(n: Linear<10, MAX_REGISTER>) -> Result<(), BenchmarkError> {
		populate::<T>(n);
		let owner = funded::<T>("owner", 0);
		let operator: T::AccountId = account("operator", 0, SEED);
		let gpu = gpu_spec::<T>();
		let stake = Pallet::<T>::required_stake(&gpu).map_err(sp_runtime::DispatchError::from)?;
		let region = BoundedVec::try_from(b"eu-west".to_vec()).map_err(|_| BenchmarkError::Stop("region"))?;
		let roles = NodeRoles { compute: true, verifier: true, scheduler: true };

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), NodeKind::Stable, roles, gpu, region, 2_000_000, operator.clone(), stake);

		assert!(NodeOfOperator::<T>::contains_key(&operator));

		Ok(())
	}

	#[benchmark]
	fn bond_extra() -> Result<(), BenchmarkError> {
		let (owner, node) = owned_node::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), node, VCAI);

		assert!(Nodes::<T>::get(node).is_some_and(|n| n.stake > VCAI));

		Ok(())
	}

	#[benchmark]
	fn heartbeat(n: Linear<10, MAX_REGISTER>) -> Result<(), BenchmarkError> {
		populate::<T>(n);
		let (operator, node) = beating_node::<T>()?;
		let metrics = HeartbeatMetrics { load_percent: 50, health: Health::Degraded };

		#[extrinsic_call]
		_(RawOrigin::Signed(operator), node, metrics);

		assert_eq!(Heartbeats::<T>::get(node).map(|h| h.load_percent), Some(50));
		assert!(OnlineComputeNodes::<T>::contains_key(node));

		Ok(())
	}

	#[benchmark]
	fn check_heartbeat(n: Linear<10, MAX_REGISTER>) -> Result<(), BenchmarkError> {
		populate::<T>(n);
		let (operator, node) = beating_node::<T>()?;
		let (result, in_block);

		// What the pool extension does: the heartbeat rule, then the block's quota.
		#[block]
		{
			result = Pallet::<T>::check_heartbeat(&operator, node, &HeartbeatMetrics::default());
			in_block = Pallet::<T>::heartbeats_in_this_block();
		}

		assert!(result.is_ok());
		assert!(in_block < T::MaxHeartbeatsPerBlock::get());

		Ok(())
	}

	#[benchmark]
	fn update_price() -> Result<(), BenchmarkError> {
		let (owner, node) = owned_node::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), node, 3_000_000);

		assert_eq!(Nodes::<T>::get(node).map(|n| n.price_per_gpu_hour), Some(3_000_000));

		Ok(())
	}

	#[benchmark]
	fn update_region() -> Result<(), BenchmarkError> {
		let (owner, node) = owned_node::<T>()?;
		let region: vcity_primitives::Region =
			BoundedVec::try_from(alloc::vec![b'r'; 32]).map_err(|_| BenchmarkError::Stop("region"))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), node, region.clone());

		assert_eq!(Nodes::<T>::get(node).map(|n| n.region), Some(region));

		Ok(())
	}

	#[benchmark]
	fn change_operator() -> Result<(), BenchmarkError> {
		let (owner, node) = owned_node::<T>()?;
		let new_operator: T::AccountId = account("operator", 1, SEED);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), node, new_operator.clone());

		assert_eq!(NodeOfOperator::<T>::get(&new_operator), Some(node));

		Ok(())
	}

	#[benchmark]
	fn deregister() -> Result<(), BenchmarkError> {
		let (owner, node) = owned_node::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), node);

		assert!(Nodes::<T>::get(node).is_some_and(|n| matches!(n.state, NodeState::Unbonding { .. })));

		Ok(())
	}

	#[benchmark]
	fn withdraw_unbonded() -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner", 0);
		let operator = funded::<T>("operator", 0);
		let node = register::<T>(&owner, &operator)?;
		next_window::<T>();
		Pallet::<T>::do_heartbeat(operator, node, HeartbeatMetrics::default())?;
		Pallet::<T>::do_deregister(owner.clone(), node)?;
		let unlock = frame_system::Pallet::<T>::block_number() + T::UnbondingPeriod::get();
		frame_system::Pallet::<T>::set_block_number(unlock);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), node);

		assert!(Nodes::<T>::get(node).is_some_and(|n| n.state == NodeState::Exited));

		Ok(())
	}

	#[benchmark]
	fn set_stake_schedule() -> Result<(), BenchmarkError> {
		let tiers: alloc::vec::Vec<StakeTier> = (0..8)
			.map(|i| StakeTier { min_vram_per_gpu_gib: i * 16, stake_per_gpu: (i as Balance + 1) * VCAI })
			.collect();
		let schedule = StakeSchedule {
			tiers: BoundedVec::try_from(tiers).unwrap_or_default(),
			multiplier: FixedU128::from_u32(1),
		};

		#[extrinsic_call]
		_(RawOrigin::Root, schedule.clone());

		assert_eq!(Schedule::<T>::get(), schedule);

		Ok(())
	}

	#[benchmark]
	fn set_stake_multiplier() -> Result<(), BenchmarkError> {
		let multiplier = T::MaxStakeMultiplier::get();

		#[extrinsic_call]
		_(RawOrigin::Root, multiplier);

		assert_eq!(Schedule::<T>::get().multiplier, multiplier);

		Ok(())
	}

	#[benchmark]
	fn set_stake_adjustment() -> Result<(), BenchmarkError> {
		let params = vcity_primitives::StakeAdjustment {
			grace_periods: vcity_primitives::MAX_STAKE_GRACE_PERIODS,
			..Default::default()
		};

		#[extrinsic_call]
		_(RawOrigin::Root, params);

		assert_eq!(StakeAdjustmentParams::<T>::get(), params);

		Ok(())
	}

	#[benchmark]
	fn set_heartbeat_window() -> Result<(), BenchmarkError> {
		let window = T::MaxHeartbeatWindowMs::get();

		#[extrinsic_call]
		_(RawOrigin::Root, window);

		assert_eq!(HeartbeatWindowMs::<T>::get(), window);

		Ok(())
	}

	#[benchmark]
	fn on_initialize_same_period() -> Result<(), BenchmarkError> {
		ScheduleUpdatedIn::<T>::put(T::Clock::period_index());

		#[block]
		{
			Pallet::<T>::maybe_reset_multiplier();
		}

		Ok(())
	}

	#[benchmark]
	fn on_initialize_new_period() -> Result<(), BenchmarkError> {
		// The first timestamp fixes the clock's origin; only then does a later one start period 1.
		let start = T::Clock::now_ms();
		T::BenchmarkHelper::set_time(start);
		T::BenchmarkHelper::set_time(start.saturating_add(T::BenchmarkHelper::period_ms()));
		let period = T::Clock::period_index();
		if period == 0 {
			return Err(BenchmarkError::Stop("the clock did not reach a new period"));
		}
		ScheduleUpdatedIn::<T>::put(period - 1);

		#[block]
		{
			Pallet::<T>::maybe_reset_multiplier();
		}

		assert_eq!(ScheduleUpdatedIn::<T>::get(), period);

		Ok(())
	}

	/// `n` entries of the online index whose nodes stopped beating: each is checked and
	/// dropped, the dearest a sweep's entry can be.
	#[benchmark]
	fn sweep_online_nodes(n: Linear<0, 100>) -> Result<(), BenchmarkError> {
		populate::<T>(n);
		let first = NextNodeId::<T>::get() - NodeId::from(n);
		for id in first..first + NodeId::from(n) {
			OnlineComputeNodes::<T>::insert(id, ());
			Heartbeats::<T>::insert(
				id,
				HeartbeatRecord { at_ms: 0, load_percent: 0, health: Health::Healthy },
			);
		}
		for _ in 0..3 {
			next_window::<T>();
		}
		let checked;

		#[block]
		{
			checked = Pallet::<T>::sweep_online(n).0;
		}

		assert_eq!(checked, n);
		assert_eq!(OnlineComputeNodes::<T>::count(), 0);

		Ok(())
	}

	#[benchmark]
	fn reap_node() -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner", 0);
		let operator = funded::<T>("operator", 0);
		let node = register::<T>(&owner, &operator)?;
		Pallet::<T>::do_deregister(owner.clone(), node)?;
		let unlock = frame_system::Pallet::<T>::block_number() + T::UnbondingPeriod::get();
		frame_system::Pallet::<T>::set_block_number(unlock);
		Pallet::<T>::do_withdraw_unbonded(owner.clone(), node)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), node);

		assert!(!Nodes::<T>::contains_key(node));
		assert!(!RecordDeposits::<T>::contains_key(node));

		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::tests::new_test_ext(), crate::tests::Test);
}

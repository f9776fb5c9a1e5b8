//! Benchmarks. The period hook, the points hooks and the node claims run against 10 and against
//! 100,000 nodes' points in storage (`n`), the rebate claims against as many users' spend, to show
//! their cost does not grow with the network.

use crate::*;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungible::{Inspect, Mutate},
		EnsureOrigin, Get,
	},
	BoundedVec,
};
use frame_system::RawOrigin;
use sp_runtime::Perbill;
use vcity_primitives::{
	Balance, CapacityProof, CapacityRewards, Clock, DeliveryCredit, DeliveryRewards, Moment, NodeId,
	PeriodIndex, PeriodRewards, RewardsParams, VCAI,
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
/// Ids of the nodes that only fill storage, far from those the helper registers.
const CROWD: NodeId = 1 << 40;

/// What the benchmarks need from the runtime.
pub trait BenchmarkHelper<AccountId> {
	/// Registers a node owned by `owner` (funding it as needed); returns the node.
	fn register_node(owner: &AccountId) -> NodeId;
	/// Bans the node.
	fn ban_node(node: NodeId);
	/// Records `amount` USDV paid by `who` for compute in `period` (the market's meter).
	fn record_spend(period: PeriodIndex, who: &AccountId, amount: Balance);
	/// Sets the chain's time (as the timestamp inherent would).
	fn set_time(now_ms: Moment);
}

/// `n` nodes with points in `period`.
fn populate<T: Config>(n: u32, period: PeriodIndex) {
	let points =
		NodePeriodPoints { capacity: 1_000, windows: 10, delivery: 1_000, fees: 1_000, claimed: false };
	for i in 0..n {
		NodePoints::<T>::insert(CROWD + NodeId::from(i), period, points);
	}
	PeriodTotals::<T>::insert(
		period,
		PointTotals {
			capacity: points.capacity_points() * u128::from(n),
			delivery: points.delivery * u128::from(n),
		},
	);
}

/// `n` users who spent in `period` and claimed its rebate.
fn populate_users<T: Config>(n: u32, period: PeriodIndex) {
	for i in 0..n {
		let user: T::AccountId = account("crowd", i, SEED);
		T::BenchmarkHelper::record_spend(period, &user, 1_000);
		RebatesClaimed::<T>::insert(user, period, ());
	}
}

/// `count` closed periods with pots of 1,000 VCAI each, paid into the pot account.
fn closed_periods<T: Config>(count: u32) {
	let pots = 1_000 * VCAI;
	for period in 0..count {
		Periods::<T>::insert(
			period,
			PeriodRewards {
				released: 3 * pots,
				capacity_pot: pots,
				delivery_pot: pots,
				demand_pot: pots,
				capacity_points: 2_000,
				delivery_points: 2_000,
				spend: 2_000,
				supply_share: Perbill::from_percent(50),
				..Default::default()
			},
		);
	}
	OpenPeriod::<T>::put(count);
	let pot = Pallet::<T>::pot_account();
	T::Currency::set_balance(&pot, T::Currency::minimum_balance() + 3 * pots * Balance::from(count));
}

fn periods<T: Config>(count: u32) -> BoundedVec<PeriodIndex, T::MaxPeriodsPerClaim> {
	BoundedVec::truncate_from((0..count).collect())
}

fn node_points<T: Config>(node: NodeId, count: u32) {
	for period in 0..count {
		NodePoints::<T>::insert(
			node,
			period,
			NodePeriodPoints { capacity: 100, windows: 10, delivery: 1_000, fees: 1_000, claimed: false },
		);
	}
}

fn proof(node: NodeId) -> CapacityProof {
	CapacityProof {
		node,
		gpu_seconds: 8 * 600,
		gpu_class: vcity_primitives::GpuClass::Datacenter,
		total_vram_gib: 640,
		stake: 10_000 * VCAI,
		required_stake: 8_000 * VCAI,
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn on_initialize_idle() {
		#[block]
		{
			Pallet::<T>::on_block();
		}
	}

	/// The first block of a period: the release, the pots, the controller, the snapshot.
	#[benchmark]
	fn on_initialize_close(n: Linear<10, MAX_REGISTER>) -> Result<(), BenchmarkError> {
		populate::<T>(n, 0);
		let user: T::AccountId = whitelisted_caller();
		T::BenchmarkHelper::record_spend(0, &user, 1_000_000);
		T::Currency::set_balance(&Pallet::<T>::pool_account(), T::PoolTotal::get());
		T::Currency::set_balance(&Pallet::<T>::pot_account(), T::Currency::minimum_balance());
		T::Currency::set_balance(&T::GrantsAccount::get(), T::Currency::minimum_balance());
		let params = RewardsParams { release_percent: Perbill::from_percent(90), ..Default::default() };
		Params::<T>::put(params);
		T::BenchmarkHelper::set_time(1_000_000);
		let next = T::Clock::period_start_ms(1).ok_or(BenchmarkError::Stop("the clock has no period 1"))?;
		T::BenchmarkHelper::set_time(next);
		#[block]
		{
			Pallet::<T>::on_block();
		}
		let record = Periods::<T>::get(0).ok_or(BenchmarkError::Stop("period 0 was not closed"))?;
		assert!(record.released > 0 && record.to_grants > 0);
		Ok(())
	}

	/// A heartbeat's first credit in a period (an insert, the dearer case).
	#[benchmark]
	fn capacity_proven(n: Linear<10, MAX_REGISTER>) {
		populate::<T>(n, 0);
		#[block]
		{
			<Pallet<T> as CapacityRewards>::capacity_proven(proof(7));
		}
		assert_eq!(NodePoints::<T>::get(7, 0).map(|p| p.windows), Some(1));
	}

	#[benchmark]
	fn delivered(n: Linear<10, MAX_REGISTER>) {
		populate::<T>(n, 0);
		#[block]
		{
			let credit =
				DeliveryCredit { payment: 3_600, protocol_fee: 504, quality: Perbill::from_percent(80) };
			<Pallet<T> as DeliveryRewards>::delivered(7, credit);
		}
		assert!(NodePoints::<T>::get(7, 0).is_some_and(|p| p.delivery > 0));
	}

	/// A delivery voided in a closed period not yet claimed: the dearer case, in which the node's
	/// share is worked out twice and the difference carried.
	#[benchmark]
	fn void_delivery(n: Linear<10, MAX_REGISTER>) {
		populate::<T>(n, 0);
		closed_periods::<T>(1);
		node_points::<T>(7, 1);
		#[block]
		{
			let credit = DeliveryCredit { payment: 1, protocol_fee: 0, quality: Perbill::one() };
			<Pallet<T> as DeliveryRewards>::void_delivery(7, 0, credit);
		}
		assert!(Carry::<T>::get() > 0);
	}

	#[benchmark]
	fn claim_node_rewards(p: Linear<1, { T::MaxPeriodsPerClaim::get() }>, n: Linear<10, MAX_REGISTER>) {
		populate::<T>(n, 0);
		let owner: T::AccountId = whitelisted_caller();
		let node = T::BenchmarkHelper::register_node(&owner);
		closed_periods::<T>(p);
		node_points::<T>(node, p);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), node, periods::<T>(p));
		assert!(NodePoints::<T>::get(node, 0).is_none());
	}

	#[benchmark]
	fn claim_rebates(p: Linear<1, { T::MaxPeriodsPerClaim::get() }>, n: Linear<10, MAX_REGISTER>) {
		populate_users::<T>(n, 0);
		let user: T::AccountId = account("user", 0, SEED);
		// The rebate is paid to an account that did not exist: the dearer transfer.
		for period in 0..p {
			T::BenchmarkHelper::record_spend(period, &user, 1_000);
		}
		closed_periods::<T>(p);
		#[extrinsic_call]
		_(RawOrigin::Signed(user.clone()), periods::<T>(p));
		assert!(RebatesClaimed::<T>::contains_key(&user, 0));
	}

	#[benchmark]
	fn forfeit_rewards(p: Linear<1, { T::MaxPeriodsPerClaim::get() }>) {
		let owner: T::AccountId = account("owner", 0, SEED);
		let node = T::BenchmarkHelper::register_node(&owner);
		T::BenchmarkHelper::ban_node(node);
		closed_periods::<T>(p);
		node_points::<T>(node, p);
		let caller: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), node, periods::<T>(p));
		assert!(Carry::<T>::get() > 0);
	}

	#[benchmark]
	fn set_params() -> Result<(), BenchmarkError> {
		let origin = T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let params = RewardsParams { capacity_share: Perbill::from_percent(60), ..Default::default() };
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params.clone());
		assert_eq!(Params::<T>::get(), params);
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::tests::new_test_ext(), crate::tests::Test);
}

//! Benchmarks: every call and the daily hook at their worst, with 10 to 1,000,000 lockers in
//! storage. Each call closes the day before it (the first call of a day does) and accrues two
//! checkpoint segments, the most an account can have open.

use super::*;
use frame_benchmarking::v2::*;
use frame_support::traits::fungible::{Inspect, Mutate};
use frame_system::RawOrigin;
use vcity_primitives::{Balance, Clock, DayIndex, Moment, VCAI};

const SEED: u32 = 0;
/// Lockers in storage at the top of the range: a million on the runtime, a thousand when the
/// benchmarks run as unit tests (natively, where filling a million entries takes minutes).
#[cfg(not(test))]
const MAX_LOCKERS: u32 = 1_000_000;
#[cfg(test)]
const MAX_LOCKERS: u32 = 1_000;
const LOCKED: Balance = 1_000 * VCAI;

/// Moves the chain's clock, which the benchmarks need and the pallet never does.
pub trait BenchmarkHelper {
	/// Sets the current time into `day`.
	fn set_day(day: DayIndex);
}

/// Fills the lock and account maps with `n` lockers, so the trie has the depth of a chain with
/// that many. Only storage: the figures the calls read do not depend on these entries.
pub fn populate<T: Config>(n: u32) {
	let checkpoint = Checkpoint { from: 1, slope: 1, unlock_day: 2 };
	for i in 0..n {
		let who: T::AccountId = account("filler", i, SEED);
		Locks::<T>::insert(&who, LockInfo { amount: 1, unlock_day: 2 });
		let mut record = VeAccount::<T::MaxHistory>::default();
		let _ = record.checkpoints.try_push(checkpoint);
		Accounts::<T>::insert(&who, record);
	}
}

fn funded<T: Config>(name: &'static str) -> T::AccountId {
	let who: T::AccountId = account(name, 0, SEED);
	T::Currency::set_balance(&who, 1_000_000 * VCAI);
	let pot = Pallet::<T>::distributor_account();
	T::Currency::set_balance(&pot, T::Currency::minimum_balance().saturating_add(1_000_000 * VCAI));
	who
}

fn unlock_time<T: Config>(day: DayIndex) -> Moment {
	T::Clock::day_start_ms(day)
}

/// A locker with two checkpoints that both have rewards to accrue, on day 4 with day 3 open.
fn locker_with_open_rewards<T: Config>(unlock_day: DayIndex) -> T::AccountId {
	let who = funded::<T>("locker");
	let dropper = funded::<T>("dropper");
	T::BenchmarkHelper::set_day(0);
	let _ = Pallet::<T>::close_days(0, 1);
	assert!(Pallet::<T>::do_create_lock(&who, LOCKED, unlock_time::<T>(unlock_day)).is_ok());
	T::BenchmarkHelper::set_day(1);
	assert!(Pallet::<T>::do_drop(&dropper, VCAI).is_ok());
	assert!(Pallet::<T>::do_increase_amount(&who, LOCKED).is_ok());
	T::BenchmarkHelper::set_day(2);
	assert!(Pallet::<T>::do_drop(&dropper, VCAI).is_ok());
	T::BenchmarkHelper::set_day(3);
	assert!(Pallet::<T>::do_drop(&dropper, VCAI).is_ok());
	T::BenchmarkHelper::set_day(4);
	who
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_lock(n: Linear<10, MAX_LOCKERS>) {
		populate::<T>(n);
		let other = locker_with_open_rewards::<T>(30);
		let who = funded::<T>("new");
		let _ = other;
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), LOCKED, unlock_time::<T>(40));
		assert!(Locks::<T>::contains_key(&who));
	}

	#[benchmark]
	fn increase_amount(n: Linear<10, MAX_LOCKERS>) {
		populate::<T>(n);
		let who = locker_with_open_rewards::<T>(30);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), LOCKED);
		assert_eq!(Locks::<T>::get(&who).map(|l| l.amount), Some(3 * LOCKED));
	}

	#[benchmark]
	fn extend_unlock(n: Linear<10, MAX_LOCKERS>) {
		populate::<T>(n);
		let who = locker_with_open_rewards::<T>(30);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), unlock_time::<T>(60));
		assert_eq!(Locks::<T>::get(&who).map(|l| l.unlock_day), Some(60));
	}

	#[benchmark]
	fn withdraw(n: Linear<10, MAX_LOCKERS>) {
		populate::<T>(n);
		// Unlocks on day 4: rewards of days 1 to 3 are still to accrue when it leaves.
		let who = locker_with_open_rewards::<T>(4);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(!Locks::<T>::contains_key(&who));
	}

	#[benchmark]
	fn claim(n: Linear<10, MAX_LOCKERS>) {
		populate::<T>(n);
		let who = locker_with_open_rewards::<T>(30);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(Accounts::<T>::get(&who).is_some_and(|a| a.owed == 0 && a.accrued_to == 4));
	}

	#[benchmark]
	fn drop_rewards(n: Linear<10, MAX_LOCKERS>) {
		populate::<T>(n);
		let _ = locker_with_open_rewards::<T>(30);
		let dropper = funded::<T>("dropper");
		#[extrinsic_call]
		_(RawOrigin::Signed(dropper), VCAI);
		assert_eq!(PendingDrop::<T>::get(), VCAI);
	}

	/// `d` days closed by one block's hook after a stall, each with a slope change to apply; the
	/// first shares a drop (after it nothing is pending, since a closed day's drop is shared or
	/// carried, and sharing costs more than carrying).
	#[benchmark]
	fn close_days(d: Linear<0, 16>, n: Linear<10, MAX_LOCKERS>) {
		populate::<T>(n);
		let _ = locker_with_open_rewards::<T>(30);
		for day in 4..=3 + d {
			SlopeChanges::<T>::insert(day, 1);
		}
		T::BenchmarkHelper::set_day(3 + d);
		#[block]
		{
			let _ = Pallet::<T>::close_days(3 + d, d);
		}
		assert_eq!(Global::<T>::get().day, 3 + d);
	}

	impl_benchmark_test_suite!(Pallet, crate::tests::new_test_ext(), crate::tests::Test);
}

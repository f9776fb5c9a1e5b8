//! Benchmarks: a vote and its removal cost the same with 10 or 100,000 votes already cast.

use crate::*;
use frame_benchmarking::v2::*;
use frame_support::traits::{PollStatus, Polling};
use frame_system::RawOrigin;
use vcity_primitives::VeWeights;

/// Sets up what the benchmarks need of the rest of the runtime.
pub trait BenchmarkHelper<AccountId> {
	/// Gives `who` veVCAI weight and closes the day, so the snapshot a referendum submitted next
	/// reads holds it.
	fn give_weight(who: &AccountId);
}

/// An ongoing referendum weighed in a snapshot that holds `voter`, with `others` votes of one
/// unit each already counted on it.
fn referendum_with_votes<T: Config>(
	voter: &T::AccountId,
	others: u32,
) -> Result<PollIndexOf<T>, BenchmarkError> {
	T::BenchmarkHelper::give_weight(voter);
	let class = T::Polls::classes().into_iter().next().ok_or(BenchmarkError::Weightless)?;
	let poll = T::Polls::create_ongoing(class).map_err(|_| "no referendum could be created")?;
	for index in 0..others {
		let who: T::AccountId = account("voter", index, 0);
		VoteOf::<T>::insert(poll, who, CastVote { choice: VoteChoice::Aye, weight: 1 });
	}
	T::Polls::access_poll(poll, |status| {
		if let PollStatus::Ongoing(tally, _) = status {
			tally.ayes = tally.ayes.saturating_add(others.into());
			tally.voters = tally.voters.saturating_add(others);
		}
	});
	Ok(poll)
}

/// The first vote on a referendum in a block moves its alarm to the next block, which
/// `pallet-referenda` does through the scheduler (one agenda entry cancelled, one added): the
/// measured vote comes a block after the setup's, so it pays for that.
fn next_block<T: Config>() {
	let now = frame_system::Pallet::<T>::block_number();
	frame_system::Pallet::<T>::set_block_number(now + 1u32.into());
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// The worst case: the caller replaces an earlier vote, taking it out of the tally first.
	#[benchmark]
	fn vote(v: Linear<10, 100_000>) -> Result<(), BenchmarkError> {
		let caller: T::AccountId = whitelisted_caller();
		let poll = referendum_with_votes::<T>(&caller, v)?;
		Pallet::<T>::vote(RawOrigin::Signed(caller.clone()).into(), poll, VoteChoice::Aye)?;
		next_block::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), poll, VoteChoice::Nay);
		let (tally, _) = T::Polls::as_ongoing(poll).ok_or("the referendum ended")?;
		let weight = T::VeWeights::weight_at(&caller, tally.snapshot_day).unwrap_or_default();
		assert_eq!(tally.nays, weight);
		Ok(())
	}

	#[benchmark]
	fn remove_vote(v: Linear<10, 100_000>) -> Result<(), BenchmarkError> {
		let caller: T::AccountId = whitelisted_caller();
		let poll = referendum_with_votes::<T>(&caller, v)?;
		Pallet::<T>::vote(RawOrigin::Signed(caller.clone()).into(), poll, VoteChoice::Aye)?;
		next_block::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), poll);
		assert!(VoteOf::<T>::get(poll, &caller).is_none());
		Ok(())
	}

	#[benchmark]
	fn cleanup_poll(n: Linear<1, 1_000>) -> Result<(), BenchmarkError> {
		let caller: T::AccountId = whitelisted_caller();
		let poll = referendum_with_votes::<T>(&caller, n)?;
		T::Polls::end_ongoing(poll, true).map_err(|_| "the referendum could not end")?;
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), poll, n);
		assert_eq!(VoteOf::<T>::iter_prefix(poll).count(), 0);
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::tests::new_test_ext(), crate::tests::Test);
}

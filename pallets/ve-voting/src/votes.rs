//! Casting, replacing and removing votes.

use crate::{pallet::*, CastVote, PollIndexOf, VoteChoice};
use frame_support::{
	ensure,
	traits::{PollStatus, Polling},
};
use sp_runtime::DispatchResult;
use vcity_primitives::VeWeights;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_vote(who: T::AccountId, poll: PollIndexOf<T>, choice: VoteChoice) -> DispatchResult {
		let weight = T::Polls::try_access_poll(poll, |status| {
			let PollStatus::Ongoing(tally, _) = status else { return Err(Error::<T>::NotOngoing.into()) };
			let weight =
				T::VeWeights::weight_at(&who, tally.snapshot_day).ok_or(Error::<T>::SnapshotUnavailable)?;
			ensure!(weight > 0, Error::<T>::NoWeight);
			if let Some(earlier) = VoteOf::<T>::get(poll, &who) {
				tally.remove(earlier.choice, earlier.weight);
			}
			tally.add(choice, weight);
			VoteOf::<T>::insert(poll, &who, CastVote { choice, weight });
			Ok(weight)
		})?;
		Self::deposit_event(Event::Voted { who, poll, choice, weight });
		Ok(())
	}

	pub(crate) fn do_remove_vote(who: T::AccountId, poll: PollIndexOf<T>) -> DispatchResult {
		let vote = VoteOf::<T>::get(poll, &who).ok_or(Error::<T>::NoVote)?;
		T::Polls::try_access_poll(poll, |status| {
			// A decided referendum's tally is final: only the record goes.
			if let PollStatus::Ongoing(tally, _) = status {
				tally.remove(vote.choice, vote.weight);
			}
			VoteOf::<T>::remove(poll, &who);
			Ok(())
		})?;
		Self::deposit_event(Event::VoteRemoved { who, poll });
		Ok(())
	}

	pub(crate) fn do_cleanup_poll(poll: PollIndexOf<T>, max: u32) -> DispatchResult {
		ensure!(T::Polls::as_ongoing(poll).is_none(), Error::<T>::PollOngoing);
		// Drained one by one: `clear_prefix`'s limit counts only keys already in the database.
		let removed = VoteOf::<T>::drain_prefix(poll).take(max as usize).count() as u32;
		let more = VoteOf::<T>::iter_prefix(poll).next().is_some();
		Self::deposit_event(Event::PollCleaned { poll, removed, more });
		Ok(())
	}
}

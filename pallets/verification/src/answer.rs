//! Verifiers' answers, in two steps: a commitment that hides the answer, then the reveal.
//!
//! The reveal phase begins when every verifier of the job has committed, or when the commit
//! phase ends: before that no answer is public, so a verifier cannot copy another's. Every
//! revealed salt is mixed into the entropy of later draws.

use crate::{pallet::*, JobOf};
use frame_support::{ensure, pallet_prelude::*};
use vcity_primitives::{answer_commitment, Digest, JobId, NodeId, NodeRegistry};

impl<T: Config> Pallet<T> {
	/// The open job and the seat `who` answers for in it.
	fn seat_of(who: &T::AccountId, id: JobId) -> Result<(JobOf<T>, usize, NodeId), DispatchError> {
		let job = Jobs::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		let node = T::Registry::node_of_operator(who).ok_or(Error::<T>::NotDrawn)?;
		let seat = job.seats.iter().position(|seat| seat.verifier == node).ok_or(Error::<T>::NotDrawn)?;
		Ok((job, seat, node))
	}

	pub(crate) fn do_commit(who: T::AccountId, id: JobId, commitment: [u8; 32]) -> DispatchResult {
		let (mut job, seat, node) = Self::seat_of(&who, id)?;
		ensure!(frame_system::Pallet::<T>::block_number() < job.commit_by, Error::<T>::CommitPhaseOver);
		ensure!(job.seats[seat].commitment.is_none(), Error::<T>::AlreadyCommitted);
		job.seats[seat].commitment = Some(commitment);
		Jobs::<T>::insert(id, job);
		Self::deposit_event(Event::AnswerCommitted { job: id, verifier: node });
		Ok(())
	}

	pub(crate) fn do_reveal(who: T::AccountId, id: JobId, answer: Digest, salt: [u8; 32]) -> DispatchResult {
		let (mut job, seat, node) = Self::seat_of(&who, id)?;
		let now = frame_system::Pallet::<T>::block_number();
		let reveal_phase = (now >= job.commit_by || job.all_committed()) && now < job.reveal_by;
		ensure!(reveal_phase, Error::<T>::NotRevealPhase);
		let commitment = job.seats[seat].commitment.ok_or(Error::<T>::NotCommitted)?;
		ensure!(job.seats[seat].answer.is_none(), Error::<T>::AlreadyRevealed);
		ensure!(answer_commitment(id, node, &answer, &salt) == commitment, Error::<T>::CommitmentMismatch);
		job.seats[seat].answer = Some(answer);
		Self::mix_salt(&salt);
		Self::deposit_event(Event::AnswerRevealed { job: id, verifier: node, answer });
		// Everyone who committed has revealed and nobody else can commit: nothing is left to
		// wait for.
		let waiting = job.seats.iter().any(|seat| seat.commitment.is_some() && seat.answer.is_none());
		let commits_closed = now >= job.commit_by || job.all_committed();
		if !waiting && commits_closed {
			JobEnds::<T>::mutate(job.reveal_by, |ends| ends.retain(|&other| other != id));
			return Self::conclude(id, job);
		}
		Jobs::<T>::insert(id, job);
		Ok(())
	}
}

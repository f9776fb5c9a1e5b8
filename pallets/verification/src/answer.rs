//! Answers, in two steps: a commitment that hides the answer, then the reveal.
//!
//! The reveal phase begins when every verifier of the job (and a challenged node) has
//! committed, or when the commit phase ends: before that no answer is public, so nobody can copy
//! another's. Every revealed salt is mixed into the entropy of later draws.

use crate::{pallet::*, types::*, JobOf};
use frame_support::{ensure, pallet_prelude::*};
use vcity_primitives::{answer_commitment, CheckAnswer, JobId, NodeId, NodeRegistry};

impl<T: Config> Pallet<T> {
	/// The open job, and the node `who` answers for in it (a drawn verifier or the challenged
	/// node).
	fn answerer(who: &T::AccountId, id: JobId) -> Result<(JobOf<T>, NodeId), DispatchError> {
		let job = Jobs::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		let node = T::Registry::node_of_operator(who).ok_or(Error::<T>::NotDrawn)?;
		ensure!(job.answers(node), Error::<T>::NotDrawn);
		Ok((job, node))
	}

	/// The seat `node` answers in.
	fn seat_mut(job: &mut JobOf<T>, node: NodeId) -> Result<&mut Seat, Error<T>> {
		if let JobSubject::Capacity { seat, .. } = &mut job.subject {
			if seat.verifier == node {
				return Ok(seat);
			}
		}
		job.seats.iter_mut().find(|seat| seat.verifier == node).ok_or(Error::<T>::NotDrawn)
	}

	pub(crate) fn do_commit(who: T::AccountId, id: JobId, commitment: [u8; 32]) -> DispatchResult {
		let (mut job, node) = Self::answerer(&who, id)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < job.commit_by, Error::<T>::CommitPhaseOver);
		// A challenged node's answer after its deadline is refused, not judged: a commitment
		// that waited in the pool is no evidence of a smaller machine, and a faker that knows
		// it is late stays silent anyway. Late is no answer: downtime.
		if let JobSubject::Capacity { seat, answer_by, .. } = &job.subject {
			ensure!(seat.verifier != node || now <= *answer_by, Error::<T>::DeadlinePassed);
		}
		let seat = Self::seat_mut(&mut job, node)?;
		ensure!(seat.commitment.is_none(), Error::<T>::AlreadyCommitted);
		seat.commitment = Some(commitment);
		if let JobSubject::Capacity { seat, committed_at, .. } = &mut job.subject {
			if seat.verifier == node {
				*committed_at = Some(now);
			}
		}
		Jobs::<T>::insert(id, job);
		Self::deposit_event(Event::AnswerCommitted { job: id, verifier: node });
		Ok(())
	}

	pub(crate) fn do_reveal(
		who: T::AccountId,
		id: JobId,
		answer: CheckAnswer,
		salt: [u8; 32],
	) -> DispatchResult {
		let (mut job, node) = Self::answerer(&who, id)?;
		let now = frame_system::Pallet::<T>::block_number();
		let commits_closed = now >= job.commit_by || job.all_committed();
		ensure!(commits_closed && now < job.reveal_by, Error::<T>::NotRevealPhase);
		let seat = Self::seat_mut(&mut job, node)?;
		let commitment = seat.commitment.ok_or(Error::<T>::NotCommitted)?;
		ensure!(seat.answer.is_none(), Error::<T>::AlreadyRevealed);
		ensure!(answer_commitment(id, node, &answer, &salt) == commitment, Error::<T>::CommitmentMismatch);
		seat.answer = Some(answer);
		Self::mix_salt(&salt);
		Self::deposit_event(Event::AnswerRevealed { job: id, verifier: node, answer });
		// Everyone who committed has revealed and nobody else can commit: nothing is left to
		// wait for.
		if !job.reveals_awaited() {
			JobEnds::<T>::mutate(job.reveal_by, |ends| ends.retain(|&other| other != id));
			return Self::conclude(id, job);
		}
		Jobs::<T>::insert(id, job);
		Ok(())
	}
}

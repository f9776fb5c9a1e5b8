//! Open-access proofs: misconduct the chain can check by itself, reported by whoever finds it.
//!
//! A node's operator key signs every result the node delivers on chain. If the same key also
//! signed, off chain, another result for that task (given to a user, say), or two different
//! answers to one job, the node lied in one of them: that is a false result for a task,
//! tampering for a job it verifies and fake capacity for its own challenge, all severe. The signatures are checked against the node's operator key
//! of the moment (a key replaced since is no longer the node's word), and the genesis hash in
//! the signed bytes keeps a statement of another chain from counting here.

use crate::pallet::*;
use alloc::vec;
use frame_support::{ensure, pallet_prelude::*};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{Verify, Zero};
use vcity_primitives::{
	AuditedTasks, NodeId, NodeRegistry, Offence, OffenceEvidence, OffenceReport, OffenceReporter,
	ResultStatement, StatementSubject,
};

impl<T: Config> Pallet<T> {
	fn verify_statement(
		statement: &ResultStatement,
		signature: &T::Signature,
		signer: &T::AccountId,
	) -> DispatchResult {
		let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		let payload = statement.signing_payload(genesis.as_ref());
		ensure!(signature.verify(&payload[..], signer), Error::<T>::BadSignature);
		Ok(())
	}

	pub(crate) fn do_prove(
		reporter: T::AccountId,
		node: NodeId,
		first: (ResultStatement, T::Signature),
		second: Option<(ResultStatement, T::Signature)>,
	) -> DispatchResult {
		let operator = T::Registry::operator(node).ok_or(Error::<T>::UnknownNode)?;
		let (statement, signature) = first;
		Self::verify_statement(&statement, &signature, &operator)?;
		let subject = statement.subject;
		let delivered = match subject {
			StatementSubject::Task(task) => {
				let (by, result) = T::Market::delivered_result(task).ok_or(Error::<T>::NotNodesSubject)?;
				ensure!(by == node, Error::<T>::NotNodesSubject);
				Some(result)
			}
			StatementSubject::Job(job) => {
				ensure!(
					Jobs::<T>::get(job).is_some_and(|job| job.answers(node)),
					Error::<T>::NotNodesSubject
				);
				None
			}
		};
		let other = match second {
			Some((other, other_signature)) => {
				Self::verify_statement(&other, &other_signature, &operator)?;
				ensure!(other.subject == subject, Error::<T>::NoConflict);
				other.digest
			}
			None => delivered.ok_or(Error::<T>::NoConflict)?,
		};
		ensure!(other != statement.digest, Error::<T>::NoConflict);
		ensure!(!Proven::<T>::contains_key(node, subject), Error::<T>::AlreadyProven);
		Proven::<T>::insert(node, subject, ());
		let (offence, evidence, victim) = match subject {
			StatementSubject::Task(task) => (
				Offence::FalseResult,
				OffenceEvidence::Task(task),
				T::Market::auditable(task).and_then(|delivery| delivery.victim),
			),
			// Two answers to its own challenge: the node tried its luck with capacity it lacks.
			StatementSubject::Job(job) if Self::is_challenge_of(node, job) => {
				(Offence::FakeCapacity, OffenceEvidence::Check(job), None)
			}
			StatementSubject::Job(job) => (Offence::VerifierTampering, OffenceEvidence::Check(job), None),
		};
		// A node's own people earn no cut of its slash.
		let own = T::Registry::owner(node).as_ref() == Some(&reporter) || operator == reporter;
		let reporters = if own { vec![] } else { vec![reporter.clone()] };
		T::Offences::report_offence(OffenceReport { node, offence, evidence, victim, reporters });
		Self::deposit_event(Event::MisconductProven { node, subject, reporter });
		Ok(())
	}
}

//! Tallying a job: the verdict, each verifier's standing, the pay, the reports, and for an audit
//! the deposit and what the market does with the task (a challenge's verdict is
//! `challenge.rs`'s).
//!
//! A quorum of matching answers decides. Against the node's digest it is a false result
//! (severe), reported with the agreeing verifiers' owners as reporters, who share the
//! reporter's cut of the slash; matching it, the task settles at once. A verifier that never
//! revealed is reported absent (minor) and one that answered against the quorum is reported for
//! dissent (moderate); with no quorum, no answer is known to be wrong and only absence is. Pay
//! comes from the verification fees the market pays in, one `answer_reward` per matching
//! answer while the fees last: the pallet never mints.

use crate::{pallet::*, types::*, JobOf, WeightInfo};
use alloc::vec::Vec;
use frame_support::{
	pallet_prelude::*,
	storage::with_storage_layer,
	traits::{
		fungible::{Inspect, InspectHold, Mutate, MutateHold},
		tokens::{DepositConsequence, Fortitude, Precision, Preservation, Provenance, Restriction},
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::Saturating;
use vcity_primitives::{
	AuditVerdict, AuditedTasks, Balance, CheckAnswer, Digest, JobId, NodeRegistry, Offence, OffenceEvidence,
	OffenceReport, OffenceReporter, StatementSubject, TaskId, MAX_CASE_REPORTERS,
};

impl<T: Config> Pallet<T> {
	/// The most one tally costs: a report and a payment per seat, the false result's report,
	/// the deposit and the market's settlement or refund.
	pub fn conclude_weight() -> Weight {
		let seats = u64::from(MAX_VERIFIERS_PER_JOB);
		T::WeightInfo::conclude(MAX_VERIFIERS_PER_JOB)
			.saturating_add(T::Offences::report_offence_weight().saturating_mul(seats + 1))
			// The job's end slot, taken off when the last reveal tallies it early; a challenged
			// node's indexes.
			.saturating_add(T::DbWeight::get().reads_writes(2, 4))
			.saturating_add(T::Market::audit_concluded_weight())
	}

	/// Tallies the jobs whose reveal phase ends now.
	pub(crate) fn end_jobs(now: BlockNumberFor<T>) -> Weight {
		let due = JobEnds::<T>::take(now);
		for &id in &due {
			let Some(job) = Jobs::<T>::get(id) else { continue };
			if job.reveal_by != now {
				continue;
			}
			let _ = with_storage_layer(|| Self::conclude(id, job));
		}
		Self::conclude_weight().saturating_mul(due.len() as u64)
	}

	/// Judges a job and acts on the verdict; the job is closed.
	pub(crate) fn conclude(id: JobId, job: JobOf<T>) -> DispatchResult {
		Self::close(id, &job);
		let answer = job.decided_answer();
		match &job.subject {
			JobSubject::Delivery { task, claimed, victim, disputant } => {
				Self::conclude_audit(id, &job, *task, *claimed, victim, disputant, answer)
			}
			JobSubject::Capacity { .. } => Self::conclude_challenge(id, &job, answer),
		}
		Ok(())
	}

	/// Takes the job and every index of it out of storage.
	fn close(id: JobId, job: &JobOf<T>) {
		Jobs::<T>::remove(id);
		match job.subject {
			JobSubject::Delivery { task, .. } => AuditOfTask::<T>::remove(task),
			JobSubject::Capacity { .. } => Self::close_challenge(job.node, id),
		}
		for seat in job.seats.iter().chain(job.node_seat()) {
			JobsOfVerifier::<T>::remove(seat.verifier, id);
			OpenJobsOf::<T>::mutate_exists(seat.verifier, |open| {
				let left = open.unwrap_or(0).saturating_sub(1);
				*open = (left > 0).then_some(left);
			});
		}
	}

	/// An audit's verdict: the deposit, the market, the verifiers, the false result.
	#[allow(clippy::too_many_arguments)]
	fn conclude_audit(
		id: JobId,
		job: &JobOf<T>,
		task: TaskId,
		claimed: Digest,
		victim: &Option<(T::AccountId, Balance)>,
		disputant: &Option<(T::AccountId, Balance)>,
		answer: Option<CheckAnswer>,
	) {
		let verdict = match answer {
			Some(found) if found.digest == claimed => AuditVerdict::Passed,
			Some(_) => AuditVerdict::Failed,
			None => AuditVerdict::Inconclusive,
		};
		// A deposit forfeited for a right result joins the fees first: it pays this audit. A
		// false result's task is refunded and brings no fee: its verifiers are paid as the
		// reporters of the slash instead.
		let mut budget = if verdict == AuditVerdict::Failed { 0 } else { job.budget };
		if let Some((who, deposit)) = disputant {
			match verdict {
				AuditVerdict::Passed => budget.saturating_accrue(Self::forfeit_deposit(id, who, *deposit)),
				AuditVerdict::Failed | AuditVerdict::Inconclusive => Self::return_deposit(id, who, *deposit),
			}
		}
		// The market first: a settlement pays the task's own verification fee in, toward this
		// audit's pay.
		if let Err(error) = with_storage_layer(|| T::Market::audit_concluded(task, verdict)) {
			Self::deposit_event(Event::VerdictNotApplied { job: id, task, error });
		}
		let reporters = Self::judge_verifiers(id, job, answer, budget);
		if verdict == AuditVerdict::Failed {
			// A false result already proven by signed statements was reported with its victim:
			// the user is compensated once.
			let subject = StatementSubject::Task(task);
			let proven = Proven::<T>::contains_key(job.node, subject);
			Proven::<T>::insert(job.node, subject, ());
			T::Offences::report_offence(OffenceReport {
				node: job.node,
				offence: Offence::FalseResult,
				evidence: OffenceEvidence::Task(task),
				victim: if proven { None } else { victim.clone() },
				reporters,
			});
		}
		Self::deposit_event(Event::AuditConcluded {
			job: id,
			task,
			verdict,
			answer: answer.map(|a| a.digest),
		});
	}

	/// Each verifier's standing against the quorum's `answer`: reported if absent or against
	/// it, paid from the fees if with it (the reward, or an equal share of `budget` if that is
	/// less). Returns the owners of the verifiers that matched: a slash's reporters.
	pub(crate) fn judge_verifiers(
		id: JobId,
		job: &JobOf<T>,
		answer: Option<CheckAnswer>,
		budget: Balance,
	) -> Vec<T::AccountId> {
		let agreeing = job.seats.iter().filter(|seat| seat.answer.is_some() && seat.answer == answer).count();
		let reward = Params::<T>::get().answer_reward.min(budget / (agreeing.max(1) as Balance));
		let mut reporters = Vec::new();
		for seat in &job.seats {
			let standing = match (seat.answer, answer) {
				(None, _) => AnswerStanding::Absent,
				(Some(given), Some(decided)) if given == decided => AnswerStanding::Agreed,
				(Some(_), Some(_)) => AnswerStanding::Dissented,
				(Some(_), None) => AnswerStanding::Undecided,
			};
			let offence = match standing {
				AnswerStanding::Absent => Some(Offence::VerifierAbsent),
				AnswerStanding::Dissented => Some(Offence::VerifierDissent),
				AnswerStanding::Agreed | AnswerStanding::Undecided => None,
			};
			if let Some(offence) = offence {
				T::Offences::report_offence(OffenceReport {
					node: seat.verifier,
					offence,
					evidence: OffenceEvidence::Check(id),
					victim: None,
					reporters: Vec::new(),
				});
			}
			let mut paid = 0;
			if standing == AnswerStanding::Agreed {
				if let Some(owner) = T::Registry::owner(seat.verifier) {
					paid = Self::pay_from_pot(&owner, reward);
					if reporters.len() < MAX_CASE_REPORTERS as usize && !reporters.contains(&owner) {
						reporters.push(owner);
					}
				}
			}
			Self::deposit_event(Event::VerifierJudged { job: id, verifier: seat.verifier, standing, paid });
		}
		reporters
	}

	/// Pays `amount` of the verification fees to `to`, or nothing if the fees held cannot cover
	/// it (or `to` cannot take it); returns what was paid.
	fn pay_from_pot(to: &T::AccountId, amount: Balance) -> Balance {
		if amount == 0 {
			return 0;
		}
		let pot = Self::pot();
		let paid = T::Payments::transfer(&pot, to, amount, Preservation::Preserve).is_ok();
		if paid {
			amount
		} else {
			0
		}
	}

	/// A disputant's deposit pays for the audit of a result that was right: it joins the fees.
	/// Returns what was forfeited.
	fn forfeit_deposit(job: JobId, who: &T::AccountId, amount: Balance) -> Balance {
		let reason = HoldReason::DisputeDeposit.into();
		let held = T::Stablecoin::balance_on_hold(&reason, who).min(amount);
		let pot = Self::pot();
		let can_take =
			T::Stablecoin::can_deposit(&pot, held, Provenance::Extant) == DepositConsequence::Success;
		let moved = can_take
			&& T::Stablecoin::transfer_on_hold(
				&reason,
				who,
				&pot,
				held,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Polite,
			)
			.is_ok();
		if moved {
			Self::deposit_event(Event::DepositForfeited { job, who: who.clone(), amount: held });
			held
		} else {
			Self::return_deposit(job, who, held);
			0
		}
	}
}

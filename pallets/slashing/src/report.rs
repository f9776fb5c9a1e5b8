//! Reports: an offence opens the node's case or joins the one pending, in O(1) whatever the
//! number of nodes or cases.

use crate::{pallet::*, types::*, weights::WeightInfo};
use frame_support::{pallet_prelude::*, traits::Get};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{Saturating, Zero};
use vcity_primitives::{
	AppealState, NodeId, NodeRegistry, NodeSlashing, NodeStatus, Offence, OffenceRecord, OffenceReport,
	OffenceReporter, OffenceTier, PenaltyStatus, SlashCase, SlashCaseId, Victim, CHARGED_NETWORK_SIZE,
};

/// A pending case of this runtime.
pub type CaseOf<T> = SlashCase<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;

impl<T: Config> Pallet<T> {
	/// Queues `case` in `queue` to execute once block `at` has come; returns `at`.
	pub(crate) fn schedule(queue: DueKind, case: SlashCaseId, at: BlockNumberFor<T>) -> BlockNumberFor<T> {
		DueBounds::<T>::mutate(queue, |(_, back)| {
			DueQueue::<T>::insert(queue, *back, (at, case));
			back.saturating_inc();
		});
		at
	}

	/// Downtime within the repeat window of an executed slash is repeated downtime.
	fn escalate(offence: Offence, repeats: u32) -> Offence {
		match offence {
			Offence::UnannouncedDowntime if repeats > 0 => Offence::RepeatedDowntime,
			other => other,
		}
	}

	pub(crate) fn do_report(report: OffenceReport<T::AccountId>) {
		let OffenceReport { node, offence, evidence, victim, reporters } = report;
		let reason = match T::Registry::status(node) {
			None => Some(DropReason::UnknownNode),
			Some(NodeStatus::Exited | NodeStatus::Banned) => Some(DropReason::NodeGone),
			Some(_) => None,
		};
		if let Some(reason) = reason {
			Self::deposit_event(Event::OffenceDropped { node, offence, reason });
			return;
		}
		let now = frame_system::Pallet::<T>::block_number();
		let params = Params::<T>::get();
		let repeats = Self::repeats_of(node, now, params.repeat_window);
		let offence = Self::escalate(offence, repeats);
		let tier = offence.tier();
		let fraction = Self::fraction_for(&params, tier, repeats);

		let (id, mut case) =
			match CaseOfNode::<T>::get(node).and_then(|id| Cases::<T>::get(id).map(|c| (id, c))) {
				Some(open) => open,
				None => {
					let id = NextCaseId::<T>::mutate(|next| {
						let id = *next;
						next.saturating_inc();
						id
					});
					let execute_at = now.saturating_add(params.deferral);
					let case = SlashCase {
						node,
						tier,
						fraction,
						stake_at_open: T::Registry::held_stake(node).unwrap_or(0),
						opened_at: now,
						execute_at: Self::schedule(DueKind::Window, id, execute_at),
						grace_given: false,
						offences: Default::default(),
						offence_count: 0,
						victims: Default::default(),
						reporters: Default::default(),
						appeal: AppealState::None,
						suspended: false,
					};
					CaseOfNode::<T>::insert(node, id);
					Self::deposit_event(Event::SlashPending { case: id, node, execute_at: case.execute_at });
					(id, case)
				}
			};

		// The case takes the gravest of its offences: one incident is punished once. An offence
		// that makes it graver gets a whole pending window of its own, and a rejected appeal
		// does not cover it: the owner may appeal again.
		let graver = tier > case.tier || fraction > case.fraction;
		case.tier = case.tier.max(tier);
		case.fraction = case.fraction.max(fraction);
		let window_end = now.saturating_add(params.deferral);
		if graver && window_end > case.execute_at {
			case.execute_at = Self::schedule(DueKind::Window, id, window_end);
			case.grace_given = false;
			if case.appeal == AppealState::Rejected {
				case.appeal = AppealState::None;
			}
		}
		case.offence_count.saturating_inc();
		let _ = case.offences.try_push((offence, evidence));
		if let Some((who, payment)) = victim.filter(|(_, payment)| !payment.is_zero()) {
			match case.victims.iter_mut().find(|v| v.who == who) {
				Some(known) => known.payment.saturating_accrue(payment),
				None => {
					let _ = case.victims.try_push(Victim { who, payment });
				}
			}
		}
		for reporter in reporters {
			if !case.reporters.contains(&reporter) {
				let _ = case.reporters.try_push(reporter);
			}
		}
		// A severe offence stops the node at once: no new tasks, no rewards, no exit.
		if case.tier == OffenceTier::Severe && !case.suspended {
			case.suspended = T::Registry::suspend(node).is_ok();
		}
		Cases::<T>::insert(id, &case);

		OffenceLog::<T>::mutate(node, |log| {
			if log.is_full() {
				log.remove(0);
			}
			let _ = log.try_push(OffenceRecord { offence, evidence, at: now, case: id });
		});
		Self::deposit_event(Event::OffenceReported {
			node,
			offence,
			evidence,
			case: id,
			tier: case.tier,
			fraction: case.fraction,
		});
	}

	/// The pending case of a node.
	pub fn pending_case(node: NodeId) -> Option<(SlashCaseId, CaseOf<T>)> {
		let id = CaseOfNode::<T>::get(node)?;
		Cases::<T>::get(id).map(|case| (id, case))
	}
}

impl<T: Config> OffenceReporter<T::AccountId> for Pallet<T> {
	fn report_offence(report: OffenceReport<T::AccountId>) {
		Self::do_report(report)
	}

	fn report_offence_weight() -> Weight {
		T::WeightInfo::report_offence(CHARGED_NETWORK_SIZE)
	}
}

impl<T: Config> PenaltyStatus for Pallet<T> {
	fn rewards_suspended(node: NodeId) -> bool {
		Self::pending_case(node).is_some_and(|(_, case)| case.tier >= OffenceTier::Moderate)
	}

	fn slash_pending(node: NodeId) -> bool {
		CaseOfNode::<T>::contains_key(node)
	}

	fn penalty_status_weight() -> Weight {
		T::DbWeight::get().reads(2)
	}
}

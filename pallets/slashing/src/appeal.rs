//! Appeals: once per case, by the node's owner, with a deposit; decided by the appeal origin.

use crate::{pallet::*, weights::WeightInfo};
use frame_support::{
	ensure,
	pallet_prelude::*,
	storage::with_storage_layer,
	traits::{
		fungible::{Inspect, MutateHold},
		tokens::{Fortitude, Precision, Preservation, Restriction},
	},
};
use vcity_primitives::{
	AppealState, NodeRegistry, NodeSlashing, SlashCaseId, SlashOutcome, CHARGED_NETWORK_SIZE,
};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_appeal(who: T::AccountId, id: SlashCaseId) -> DispatchResult {
		let mut case = Cases::<T>::get(id).ok_or(Error::<T>::UnknownCase)?;
		ensure!(T::Registry::owner(case.node).as_ref() == Some(&who), Error::<T>::NotNodeOwner);
		ensure!(case.appeal == AppealState::None, Error::<T>::AlreadyAppealed);
		// An appeal comes within the pending window: one lodged later would hold a due case
		// until someone decides it.
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < case.execute_at && !case.grace_given, Error::<T>::AppealWindowClosed);
		let deposit = Params::<T>::get().appeal_deposit;
		let spendable = T::Currency::reducible_balance(&who, Preservation::Preserve, Fortitude::Polite);
		ensure!(spendable >= deposit, Error::<T>::InsufficientBalance);
		T::Currency::hold(&HoldReason::AppealDeposit.into(), &who, deposit)?;
		case.appeal = AppealState::Pending { appellant: who.clone(), deposit, lodged_at: now };
		Cases::<T>::insert(id, case);
		Self::deposit_event(Event::Appealed { case: id, appellant: who, deposit });
		Ok(())
	}

	pub(crate) fn do_decide_appeal(id: SlashCaseId, upheld: bool) -> DispatchResult {
		let mut case = Cases::<T>::get(id).ok_or(Error::<T>::UnknownCase)?;
		let AppealState::Pending { appellant, deposit, .. } = case.appeal.clone() else {
			return Err(Error::<T>::NoPendingAppeal.into());
		};
		if upheld {
			T::Currency::release(
				&HoldReason::AppealDeposit.into(),
				&appellant,
				deposit,
				Precision::BestEffort,
			)?;
			// Its queue entry finds no case when it comes up, and is skipped.
			Self::close(id, &case, SlashOutcome::Cancelled);
			if case.suspended {
				// The node may have been banned meanwhile by nothing else; a failure here means it
				// is no longer suspended, which is what resuming wants anyway.
				let _ = T::Registry::resume(case.node);
			}
			Self::deposit_event(Event::AppealUpheld { case: id, node: case.node });
			return Ok(());
		}
		T::Currency::transfer_on_hold(
			&HoldReason::AppealDeposit.into(),
			&appellant,
			&T::Treasury::get(),
			deposit,
			Precision::BestEffort,
			Restriction::Free,
			Fortitude::Force,
		)?;
		case.appeal = AppealState::Rejected;
		let now = frame_system::Pallet::<T>::block_number();
		Self::deposit_event(Event::AppealRejected { case: id, node: case.node });
		Cases::<T>::insert(id, &case);
		if case.grace_given || now >= case.execute_at {
			// Its window has ended and it only waited for this decision. The rejection stands
			// even if the execution fails: the case then waits for `execute_slash`.
			if let Err(error) = with_storage_layer(|| Self::execute(id, case)) {
				Self::deposit_event(Event::ExecutionFailed { case: id, error });
			}
		}
		Ok(())
	}

	/// What deciding an appeal may cost at most: a rejection may execute the slash, and a
	/// severe one bans the node.
	pub fn decide_appeal_weight() -> Weight {
		let rejected = T::WeightInfo::decide_appeal_rejected(CHARGED_NETWORK_SIZE)
			.saturating_add(<T::OnBanned as vcity_primitives::OnNodeBanned>::node_banned_weight());
		T::WeightInfo::decide_appeal_upheld(CHARGED_NETWORK_SIZE).max(rejected)
	}
}

//! What holds after every block (`try_state`).

use crate::pallet::*;
use frame_support::{ensure, traits::fungible::InspectHold};
use vcity_primitives::{AppealState, Balance};

impl<T: Config> Pallet<T> {
	/// Invariants: every pending case is its node's one case and the other way round; every
	/// appeal deposit held is a pending appeal's; every pending case not yet due is queued for
	/// its block; the case count is the number of cases.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let mut deposits: alloc::collections::BTreeMap<T::AccountId, Balance> = Default::default();
		for (id, case) in Cases::<T>::iter() {
			ensure!(CaseOfNode::<T>::get(case.node) == Some(id), "a pending case is not its node's case");
			ensure!(case.fraction <= sp_runtime::Perbill::one(), "a fraction above the whole stake");
			if let AppealState::Pending { appellant, deposit, .. } = &case.appeal {
				let held = deposits.entry(appellant.clone()).or_default();
				*held = held.saturating_add(*deposit);
			}
		}
		for (node, id) in CaseOfNode::<T>::iter() {
			ensure!(
				Cases::<T>::get(id).is_some_and(|c| c.node == node),
				"a node points at a case not its own"
			);
		}
		// Every appeal deposit held is a pending appeal's, and the other way round.
		for (who, deposit) in &deposits {
			let held = T::Currency::balance_on_hold(&HoldReason::AppealDeposit.into(), who);
			ensure!(held == *deposit, "appeal deposits held differ from the pending appeals'");
		}
		// Every pending case comes up in the queue at its block, and nothing lies outside it.
		let mut queued = alloc::collections::BTreeSet::new();
		for (queue, index, (at, id)) in DueQueue::<T>::iter() {
			let (front, back) = DueBounds::<T>::get(queue);
			ensure!((front..back).contains(&index), "a queue entry outside the queue's bounds");
			queued.insert((at, id));
		}
		let now = frame_system::Pallet::<T>::block_number();
		for (id, case) in Cases::<T>::iter() {
			// A case whose entry came up and whose execution failed waits for `execute_slash`.
			ensure!(
				queued.contains(&(case.execute_at, id)) || case.execute_at <= now,
				"a pending case is not queued for its block"
			);
		}
		ensure!(Cases::<T>::count() as usize == Cases::<T>::iter().count(), "the case count drifted");
		Ok(())
	}
}

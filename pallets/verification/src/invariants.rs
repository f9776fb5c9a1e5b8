//! What holds after every block (`try_state`).

use crate::{audit::AuditStatus, pallet::*, types::JobSubject};
use alloc::collections::{BTreeMap, BTreeSet};
use frame_support::{
	ensure,
	traits::{fungible::InspectHold, Get},
};
use vcity_primitives::{AuditedTasks, Balance, NodeRegistry};

impl<T: Config> Pallet<T> {
	/// Invariants: the pool's slots and its index agree and are dense; every open audit is its
	/// task's, and every open challenge its node's, and the other way round; every job and every draw is queued for its block;
	/// every dispute deposit held is an open dispute's; an owed challenge withholds no more GPUs
	/// than it is owed, and waits to open exactly when it withholds some.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let size = PoolSize::<T>::get();
		let mut slots = 0u32;
		for (slot, node) in PoolSlot::<T>::iter() {
			ensure!(slot < size, "a pool slot beyond the pool's size");
			ensure!(SlotOfVerifier::<T>::get(node) == Some(slot), "a pool slot its node does not point at");
			slots += 1;
		}
		ensure!(slots == size, "the pool's size is not its number of slots");
		ensure!(SlotOfVerifier::<T>::iter().count() as u32 == size, "a node points at no slot");

		let now = frame_system::Pallet::<T>::block_number();
		let ends: BTreeSet<_> =
			JobEnds::<T>::iter().flat_map(|(at, ids)| ids.into_iter().map(move |id| (at, id))).collect();
		let draws: BTreeSet<_> = Draws::<T>::iter().flat_map(|(_, tasks)| tasks.into_iter()).collect();
		let mut deposits: BTreeMap<T::AccountId, Balance> = BTreeMap::new();
		let mut note = |who: &T::AccountId, amount: Balance| {
			let held = deposits.entry(who.clone()).or_default();
			*held = held.saturating_add(amount);
		};
		for (id, job) in Jobs::<T>::iter() {
			match &job.subject {
				JobSubject::Delivery { task, disputant, .. } => {
					ensure!(
						AuditOfTask::<T>::get(task) == Some(AuditStatus::Open(id)),
						"a job is not its task's audit"
					);
					if let Some((who, amount)) = disputant {
						note(who, *amount);
					}
				}
				JobSubject::Capacity { seat, answer_by, .. } => {
					ensure!(
						ChallengeOf::<T>::get(job.node) == Some(id)
							|| OwedChallengeOf::<T>::get(job.node) == Some(id),
						"a challenge its node does not point at"
					);
					ensure!(seat.verifier == job.node, "a challenge answered by another node");
					ensure!(*answer_by <= job.commit_by, "a challenge's deadline after its commit phase");
				}
			}
			ensure!(job.reveal_by <= now || ends.contains(&(job.reveal_by, id)), "an open job is not queued");
			ensure!(job.quorum as usize <= job.seats.len(), "a job whose quorum no answers can reach");
			for seat in job.seats.iter().chain(job.node_seat()) {
				ensure!(
					JobsOfVerifier::<T>::contains_key(seat.verifier, id),
					"a drawn verifier does not see its job"
				);
			}
		}
		for (node, id) in ChallengeOf::<T>::iter().chain(OwedChallengeOf::<T>::iter()) {
			ensure!(Jobs::<T>::get(id).is_some_and(|job| job.node == node), "a node's challenge is not open");
		}
		for (node, id) in OwedChallengeOf::<T>::iter() {
			ensure!(ChallengeOf::<T>::get(node) != Some(id), "a challenge in both of its node's slots");
		}
		let mut open_jobs: BTreeMap<vcity_primitives::NodeId, u32> = BTreeMap::new();
		for (verifier, _, ()) in JobsOfVerifier::<T>::iter() {
			*open_jobs.entry(verifier).or_default() += 1;
		}
		ensure!(
			OpenJobsOf::<T>::iter().collect::<BTreeMap<_, _>>() == open_jobs,
			"a verifier's count of open jobs is not its jobs"
		);
		for (verifier, id, ()) in JobsOfVerifier::<T>::iter() {
			ensure!(
				Jobs::<T>::get(id).is_some_and(|job| job.answers(verifier)),
				"a verifier indexed for a job it is not drawn for"
			);
		}
		for (task, status) in AuditOfTask::<T>::iter() {
			match status {
				AuditStatus::Open(id) => {
					ensure!(
						Jobs::<T>::get(id).is_some_and(|job| job.task() == Some(task)),
						"an audit without its job"
					)
				}
				AuditStatus::Drawing { disputant } => {
					ensure!(draws.contains(&task), "an audit waiting for a draw that is not queued");
					if let Some((who, amount)) = disputant {
						note(&who, amount);
					}
				}
			}
		}
		for (node, owed) in ChallengeOwed::<T>::iter() {
			ensure!(owed.gpus > 0, "an owed challenge of no GPUs");
			ensure!(owed.withheld <= owed.gpus, "more GPUs withheld than owed");
			ensure!(
				(owed.withheld > 0) == OwedReady::<T>::contains_key(node),
				"withheld GPUs whose challenge is not waited for, or the other way round"
			);
			// A debt nothing is waited for is one a task's end will make due: no stake is held
			// for a debt that can never be paid.
			if owed.withheld == 0 {
				if let Some(profile) = T::Registry::profile(node) {
					ensure!(
						T::Market::idle_gpus(node, profile.gpu.count) < profile.gpu.count,
						"an owed challenge no task's end can make due"
					);
				}
			}
		}
		for node in OwedReady::<T>::iter_keys() {
			ensure!(ChallengeOwed::<T>::contains_key(node), "a node waits for a challenge it does not owe");
		}
		let cap = u64::from(T::MaxChallengesPerBlock::get()).saturating_mul(crate::challenge::WHOLE);
		ensure!(ChallengeCredit::<T>::get() <= cap, "challenge credit above one block's cap");
		for (who, amount) in &deposits {
			let held = T::Stablecoin::balance_on_hold(&HoldReason::DisputeDeposit.into(), who);
			ensure!(held == *amount, "dispute deposits held differ from the open disputes'");
		}
		Ok(())
	}
}

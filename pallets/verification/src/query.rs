//! What verifiers' offchain workers and clients read.

use crate::{pallet::*, types::JobSubject};
use alloc::vec::Vec;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::Saturating;
use vcity_primitives::{AssignedJob, JobId, NodeId, VerifierJobs};

impl<T: Config> Pallet<T> {
	/// The nodes in the pool, in slot order.
	pub fn pool_nodes() -> Vec<NodeId> {
		(0..PoolSize::<T>::get()).filter_map(PoolSlot::<T>::get).collect()
	}
}

impl<T: Config> VerifierJobs<BlockNumberFor<T>> for Pallet<T> {
	fn job_open(job: JobId) -> bool {
		Jobs::<T>::contains_key(job)
	}

	fn should_rejoin(node: NodeId) -> bool {
		DroppedFromPool::<T>::contains_key(node) && !SlotOfVerifier::<T>::contains_key(node)
	}

	fn jobs_of(node: NodeId) -> Vec<AssignedJob<BlockNumberFor<T>>> {
		let now = frame_system::Pallet::<T>::block_number();
		JobsOfVerifier::<T>::iter_key_prefix(node)
			.filter_map(|id| {
				let job = Jobs::<T>::get(id)?;
				// A challenged node is shown its deadline as its commit phase: an answer after it
				// is judged late, which costs more than none.
				// A commitment landing in `answer_by` itself is in time.
				let (seat, gpus, commit_by) = match &job.subject {
					JobSubject::Capacity { seat, gpus, answer_by, .. } if seat.verifier == node => {
						(*seat, *gpus, answer_by.saturating_add(1u32.into()).min(job.commit_by))
					}
					_ => (*job.seats.iter().find(|seat| seat.verifier == node)?, 1, job.commit_by),
				};
				Some(AssignedJob {
					id,
					workload: job.workload,
					key: job.key,
					mixed: matches!(job.subject, JobSubject::Capacity { .. }),
					memory: match job.subject {
						JobSubject::Capacity { memory, .. } => memory,
						JobSubject::Delivery { .. } => None,
					},
					gpus,
					commit_by,
					reveal_by: job.reveal_by,
					committed: seat.commitment.is_some(),
					revealed: seat.answer.is_some(),
					reveal_open: now >= job.commit_by || job.all_committed(),
				})
			})
			.collect()
	}
}

//! What verification reads of a delivered task, and what its verdict does
//! (docs/verification.md#what-the-market-does).
//!
//! While an audit is under way the task's settlement waits: the dispute window's and the
//! resolution window's timeouts pass it by, and the verdict settles it (a pass), refunds it (a
//! false result) or lets it go on (no verdict: settled at once if its window has closed).

use crate::{pallet::*, types::*, WeightInfo};
use frame_support::pallet_prelude::*;
use vcity_primitives::{
	AuditVerdict, AuditableDelivery, AuditedTasks, DeliveryAudits, Digest, NodeId, TaskId, Workload,
};

impl<T: Config> Pallet<T> {
	/// Settles a delivered task whose window has closed, unless an audit of it is under way.
	pub(crate) fn settle_unless_audited(id: TaskId, task: TaskOf<T>) -> DispatchResult {
		if T::Audits::audit_open(id) {
			return Ok(());
		}
		Self::settle_delivered(id, task)
	}
}

impl<T: Config> AuditedTasks<T::AccountId> for Pallet<T> {
	fn auditable(id: TaskId) -> Option<AuditableDelivery<T::AccountId>> {
		let task = Tasks::<T>::get(id)?;
		// A settled task is auditable too: its owner's rating settles it at once, and must not
		// spare its node the audit the draw may give it.
		let (TaskState::Delivered { engagement, result, billed_gpu_seconds, .. }
		| TaskState::Disputed { engagement, result, billed_gpu_seconds, .. }
		| TaskState::Settled { engagement, result, billed_gpu_seconds }) = task.state
		else {
			return None;
		};
		let Workload::Builtin(workload) = task.workload else { return None };
		let victim = match task.state {
			// Paid already: what the user paid is what a false result cost them.
			TaskState::Settled { .. } => Self::victim_of(&task, &engagement).map(|(who, _)| (who, task.paid)),
			_ => Self::victim_of(&task, &engagement),
		};
		Some(AuditableDelivery {
			node: engagement.node,
			owner: task.owner.clone(),
			workload,
			result,
			payment: vcity_primitives::compute_cost(engagement.price_per_gpu_hour, 1, billed_gpu_seconds)
				.unwrap_or_default(),
			victim,
		})
	}

	fn delivered_result(id: TaskId) -> Option<(NodeId, Digest)> {
		match Tasks::<T>::get(id)?.state {
			TaskState::Delivered { engagement, result, .. }
			| TaskState::Disputed { engagement, result, .. }
			| TaskState::Settled { engagement, result, .. } => Some((engagement.node, result)),
			_ => None,
		}
	}

	fn audit_concluded(id: TaskId, verdict: AuditVerdict) -> DispatchResult {
		let Some(mut task) = Tasks::<T>::get(id) else { return Ok(()) };
		let now = frame_system::Pallet::<T>::block_number();
		let window_closed = match task.state {
			TaskState::Delivered { dispute_until, .. } => dispute_until <= now,
			TaskState::Disputed { resolve_by, .. } => resolve_by <= now,
			// Settled by its owner's rating, or ended otherwise meanwhile: nothing to do.
			_ => return Ok(()),
		};
		match verdict {
			AuditVerdict::Passed => Self::settle_delivered(id, task),
			AuditVerdict::Failed => {
				let refunded = Self::end_unpaid(id, &mut task, RefundReason::FalseResult)?;
				Self::deposit_event(Event::TaskRefunded {
					task: id,
					reason: RefundReason::FalseResult,
					refunded,
				});
				Ok(())
			}
			AuditVerdict::Inconclusive if window_closed => Self::settle_delivered(id, task),
			AuditVerdict::Inconclusive => Ok(()),
		}
	}

	fn idle_gpus(node: NodeId, declared: u32) -> u32 {
		Self::idle_gpus(node, declared)
	}

	fn audit_concluded_weight() -> Weight {
		// A settlement or a refund: the costlier of the timeouts that end a task.
		T::WeightInfo::settle().saturating_add(crate::timeouts_weight::<T>(1))
	}
}

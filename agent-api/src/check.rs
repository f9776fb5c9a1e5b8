//! Verification checks: a verifier node's agent recomputes another node's result, and a
//! challenged node's agent computes its challenge, as a task of its own. A check runs the same
//! workload as the task it checks, under an id of its own range, so the node never mistakes a
//! check for one of its tasks; it carries its job's key, and the agent hashes the output under
//! it too, which proves the output was computed (the result digest alone may be public).

/// Task ids from here on are checks: the node hands its agent verification job `j` as task
/// `CHECK_ID_BASE + j`. The chain numbers its tasks from 1 and never reaches this.
pub const CHECK_ID_BASE: u64 = 1 << 63;

/// The agent task id of verification job `job`, if the job's id is in range.
pub fn check_task_id(job: u64) -> Option<u64> {
	(job < CHECK_ID_BASE).then_some(CHECK_ID_BASE | job)
}

/// The verification job an agent task id is the check of, if it is one.
pub fn job_of_check(id: u64) -> Option<u64> {
	id.checked_sub(CHECK_ID_BASE)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn check_ids_round_trip_and_never_meet_task_ids() {
		for job in [0, 1, 42, CHECK_ID_BASE - 1] {
			let id = check_task_id(job).unwrap();
			assert_eq!(job_of_check(id), Some(job));
		}
		assert_eq!(check_task_id(CHECK_ID_BASE), None);
		assert_eq!(job_of_check(1), None);
		assert_eq!(job_of_check(CHECK_ID_BASE - 1), None);
	}
}

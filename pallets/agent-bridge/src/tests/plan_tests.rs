//! The worker's decisions, task by task: each step is reported only from the stage before it.

use crate::{
	agent::{HeldTask, Progress},
	tasks::{billable, plan, Action, ForgetReason, Report},
};
use vcity_primitives::{BuiltinWorkload, NodeTask, TaskStage, Workload};

const NODE: u64 = 1;
const NOW: u64 = 100;
const NOW_MS: u64 = 1_000_000;

fn task(id: u64, stage: TaskStage<u64>) -> NodeTask<u64> {
	NodeTask {
		id,
		node: Some(NODE),
		stage,
		gpus: 2,
		seconds: 60,
		deadline: 200,
		workload: Workload::Builtin(BuiltinWorkload::MatrixProduct { seed: 1, size: 64, rounds: 1 }),
		metered: false,
	}
}

fn held(id: u64, progress: Progress) -> HeldTask {
	HeldTask { id, progress }
}

fn plan_one(chain: &[NodeTask<u64>], agent: &[HeldTask]) -> Vec<Action> {
	let all = chain.to_vec();
	plan(NODE, NOW, NOW_MS, chain, |id| all.iter().find(|t| t.id == id).cloned(), agent)
}

#[test]
fn an_assigned_task_is_handed_over_then_acknowledged() {
	let assigned = task(1, TaskStage::Assigned { ack_by: 110 });
	assert_eq!(plan_one(std::slice::from_ref(&assigned), &[]), vec![Action::PushAndAcknowledge(1)]);
	assert_eq!(
		plan_one(std::slice::from_ref(&assigned), &[held(1, Progress::Queued)]),
		vec![Action::Submit(1, Report::Acknowledge)]
	);
	assert_eq!(plan_one(&[assigned], &[held(1, Progress::Failed)]), vec![Action::Submit(1, Report::Decline)]);
	// An acknowledgement lands in the next block at the earliest, which must be before ack_by.
	let late = task(1, TaskStage::Assigned { ack_by: NOW + 1 });
	assert_eq!(plan_one(&[late], &[]), vec![], "past the acknowledgement window the chain takes it back");
}

#[test]
fn a_task_starts_when_the_agent_runs_it_and_completes_with_its_digest() {
	let acknowledged = task(1, TaskStage::Acknowledged);
	assert_eq!(plan_one(std::slice::from_ref(&acknowledged), &[held(1, Progress::Queued)]), vec![]);
	assert_eq!(
		plan_one(std::slice::from_ref(&acknowledged), &[held(1, Progress::Running { used: 2 })]),
		vec![Action::Submit(1, Report::Start)]
	);
	assert_eq!(
		plan_one(&[acknowledged], &[]),
		vec![Action::Push(1)],
		"an agent that lost the task gets it again"
	);

	let running = task(1, TaskStage::Running { started_ms: NOW_MS - 30_000, used_gpu_seconds: 0 });
	let done = held(1, Progress::Finished { result: [7; 32], keyed: None, used: 12 });
	assert_eq!(
		plan_one(std::slice::from_ref(&running), &[done]),
		vec![Action::Submit(1, Report::Complete([7; 32], 12))]
	);
	assert_eq!(
		plan_one(std::slice::from_ref(&running), &[held(1, Progress::Failed)]),
		vec![Action::Submit(1, Report::Failure)]
	);
	assert_eq!(plan_one(&[running], &[]), vec![Action::Push(1)]);
}

#[test]
fn a_result_after_the_deadline_is_not_reported() {
	let mut running = task(1, TaskStage::Running { started_ms: NOW_MS - 30_000, used_gpu_seconds: 0 });
	// Delivered in the next block at the earliest, past a deadline of this one.
	running.deadline = NOW;
	assert_eq!(
		plan_one(&[running], &[held(1, Progress::Finished { result: [7; 32], keyed: None, used: 12 })]),
		vec![]
	);
}

#[test]
fn metered_usage_is_bounded_by_size_chain_time_and_what_was_reported() {
	let mut running = task(1, TaskStage::Running { started_ms: NOW_MS - 30_000, used_gpu_seconds: 10 });
	running.metered = true;
	// 30 s on chain × 2 GPUs = 60 GPU-seconds at most.
	assert_eq!(billable(&running, NOW_MS - 30_000, 10, 500, NOW_MS), 60);
	assert_eq!(billable(&running, NOW_MS - 30_000, 10, 4, NOW_MS), 10, "never below what was reported");
	running.metered = false;
	assert_eq!(billable(&running, NOW_MS - 30_000, 10, 500, NOW_MS), 120, "the size bounds a per-task bill");

	running.metered = true;
	// A tenth of the 120 GPU-second size is 12: from 10, 22 is a step and 15 is not.
	assert_eq!(plan_one(std::slice::from_ref(&running), &[held(1, Progress::Running { used: 15 })]), vec![]);
	assert_eq!(
		plan_one(&[running], &[held(1, Progress::Running { used: 22 })]),
		vec![Action::Submit(1, Report::Usage(22))]
	);
}

#[test]
fn the_agent_forgets_what_the_chain_no_longer_needs_and_what_is_not_this_node_s() {
	let delivered = task(1, TaskStage::Delivered { result: [7; 32] });
	let done = held(1, Progress::Finished { result: [7; 32], keyed: None, used: 12 });
	assert_eq!(plan_one(&[delivered], &[done]), vec![Action::Forget(1, ForgetReason::Done)]);

	let mut elsewhere = task(2, TaskStage::Running { started_ms: 0, used_gpu_seconds: 0 });
	elsewhere.node = Some(NODE + 1);
	let stray = held(2, Progress::Finished { result: [9; 32], keyed: None, used: 5 });
	let actions = plan(NODE, NOW, NOW_MS, &[], |id| (id == 2).then(|| elsewhere.clone()), &[stray]);
	assert_eq!(actions, vec![Action::Forget(2, ForgetReason::NotAssigned { had_result: true })]);
	let unknown = plan(NODE, NOW, NOW_MS, &[], |_| None, &[held(3, Progress::Queued)]);
	assert_eq!(unknown, vec![Action::Forget(3, ForgetReason::NotAssigned { had_result: false })]);
}

mod checks {
	use crate::{
		agent::{HeldTask, Progress},
		verify::{plan_checks, CheckAction},
	};
	use vcity_agent_api::check_task_id;
	use vcity_primitives::{AssignedJob, BuiltinWorkload, CheckAnswer};

	fn job(id: u64, committed: bool, revealed: bool, reveal_open: bool) -> AssignedJob<u64> {
		AssignedJob {
			id,
			workload: BuiltinWorkload::MatrixProduct { seed: 1, size: 64, rounds: 1 },
			key: [3; 32],
			mixed: false,
			memory: None,
			gpus: 1,
			commit_by: 20,
			reveal_by: 30,
			committed,
			revealed,
			reveal_open,
		}
	}

	fn held(job: u64, progress: Progress) -> HeldTask {
		HeldTask { id: check_task_id(job).unwrap(), progress }
	}

	#[test]
	fn a_new_job_is_pushed_then_committed_once_the_agent_has_the_answer() {
		let open = |_| true;
		assert_eq!(plan_checks(10, &[job(1, false, false, false)], &[], open), vec![CheckAction::Push(1)]);
		let running = [held(1, Progress::Running { used: 3 })];
		assert_eq!(plan_checks(10, &[job(1, false, false, false)], &running, open), vec![]);
		let done = [held(1, Progress::Finished { result: [5; 32], keyed: Some([6; 32]), used: 3 })];
		assert_eq!(
			plan_checks(10, &[job(1, false, false, false)], &done, open),
			vec![CheckAction::Commit(1, CheckAnswer { digest: [5; 32], keyed: [6; 32] })]
		);
		// An agent that did not hash the output under the key gave no answer to commit.
		let unkeyed = [held(1, Progress::Finished { result: [5; 32], keyed: None, used: 3 })];
		assert_eq!(plan_checks(10, &[job(1, false, false, false)], &unkeyed, open), vec![]);
	}

	#[test]
	fn nothing_is_committed_too_late_and_nothing_revealed_before_its_phase() {
		let done = [held(1, Progress::Finished { result: [5; 32], keyed: None, used: 3 })];
		let open = |_| true;
		assert_eq!(
			plan_checks(19, &[job(1, false, false, false)], &done, open),
			vec![],
			"lands at 20, too late"
		);
		assert_eq!(
			plan_checks(12, &[job(1, true, false, false)], &done, open),
			vec![],
			"others may still commit"
		);
		assert_eq!(plan_checks(12, &[job(1, true, false, true)], &done, open), vec![CheckAction::Reveal(1)]);
		assert_eq!(
			plan_checks(29, &[job(1, true, false, true)], &done, open),
			vec![],
			"lands at 30, too late"
		);
		assert_eq!(plan_checks(25, &[job(1, true, true, true)], &done, open), vec![CheckAction::Drop(1)]);
	}

	#[test]
	fn checks_of_closed_jobs_are_forgotten_and_tasks_are_left_alone() {
		let held = [
			held(1, Progress::Finished { result: [5; 32], keyed: None, used: 3 }),
			HeldTask { id: 7, progress: Progress::Queued },
		];
		assert_eq!(
			plan_checks::<u64>(10, &[], &held, |_| false),
			vec![CheckAction::Forget(check_task_id(1).unwrap())]
		);
		// Another verifier node of the keystore may still need the check of an open job.
		assert_eq!(plan_checks::<u64>(10, &[], &held, |_| true), vec![]);
	}

	/// The agent's time for a check covers the walk as well as the matrix chain: the largest
	/// walk alone takes over two minutes at the reference rate, four times that on the agent.
	#[test]
	fn a_check_has_time_for_its_memory_walk() {
		use crate::verify::check_seconds;
		use vcity_primitives::MemoryWalk;
		let small = BuiltinWorkload::MatrixProduct { seed: 1, size: 64, rounds: 4 };
		assert_eq!(check_seconds(&small, None), 60, "a minute at least");
		let items = 16_777_216;
		assert_eq!(check_seconds(&small, Some(MemoryWalk { items, reads: 16 * items })), 4 * (1 + 143));
		let large = BuiltinWorkload::MatrixProduct { seed: 1, size: 4_096, rounds: 2 };
		assert_eq!(check_seconds(&large, Some(MemoryWalk { items, reads: 16 * items })), 4 * (1_375 + 143));
	}

	/// An agent of API version 2 is still spoken to, and given every job but one that walks
	/// memory, which it would answer wrong.
	#[test]
	fn an_older_agent_is_not_given_a_walk() {
		use crate::verify::agent_computes;
		use vcity_primitives::MemoryWalk;
		let plain = job(1, false, false, false);
		let walking =
			AssignedJob { memory: Some(MemoryWalk { items: 2_048, reads: 2_048 }), ..plain.clone() };
		assert!(agent_computes(&plain, 2) && agent_computes(&plain, 3));
		assert!(!agent_computes(&walking, 2));
		assert!(agent_computes(&walking, 3));
	}
}

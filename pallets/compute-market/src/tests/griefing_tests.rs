//! Griefing, replayed (docs/economics.md#self-dealing): work no agent can run, or cannot finish
//! in the seconds paid, sent to a node to cost it reputation or fees. The chain refuses such work
//! at submission; work a node's agent turns down is declined for free, never offered to that
//! node again, and ends refunded once enough nodes have turned it down.

use super::*;
use frame_support::assert_noop;
use vcity_primitives::{matrix_min_seconds, Matching, NodeRegistry, TaskStatus, MAX_MATRIX_SIZE};

fn submit_matrix(size: u32, rounds: u32, seconds: u64) -> sp_runtime::DispatchResult {
	let workload = Workload::Builtin(BuiltinWorkload::MatrixProduct { seed: 1, size, rounds });
	Market::submit_task(
		RuntimeOrigin::signed(USER),
		needs(1),
		seconds,
		System::block_number() + 2_000,
		3 * USDV,
		workload,
		Billing::PerTask,
	)
}

/// Path 6: a matrix larger than any agent computes is refused, so no task waits on nodes that
/// can only decline it.
#[test]
fn a_matrix_no_agent_computes_is_refused() {
	test(|| {
		let seconds = matrix_min_seconds(MAX_MATRIX_SIZE + 1, 1);
		assert_noop!(submit_matrix(MAX_MATRIX_SIZE + 1, 1, seconds), Error::<Test>::WorkloadTooLarge);
		assert_ok!(submit_matrix(MAX_MATRIX_SIZE, 1, matrix_min_seconds(MAX_MATRIX_SIZE, 1)));
	});
}

/// Path 5: a matrix whose work cannot fit the seconds paid at the reference rate is refused: a
/// node that acknowledges a task the chain took has the time to finish it, so a run cut short is
/// its own failure, never the task's terms.
#[test]
fn work_that_cannot_fit_its_seconds_is_refused() {
	test(|| {
		// 4,096³ × 10 rounds at 10⁸ multiply-adds a second: 6,872 s.
		let least = matrix_min_seconds(MAX_MATRIX_SIZE, 10);
		assert_eq!(least, 6_872);
		assert_noop!(submit_matrix(MAX_MATRIX_SIZE, 10, least - 1), Error::<Test>::WorkExceedsSeconds);
		assert_ok!(submit_matrix(MAX_MATRIX_SIZE, 10, least));
	});
}

/// Path 6: a task every node's agent turns down bounces no more: each node that declines is not
/// offered it again, and the `MAX_DECLINES`-th decline ends it with the escrow refunded. No
/// node's reputation moved, and nothing was paid.
#[test]
fn a_task_nobody_runs_ends_refunded_after_its_declines() {
	test(|| {
		let nodes: Vec<NodeId> =
			(0..MAX_DECLINES as u64).map(|k| online_node(k, NodeTerms::default())).collect();
		let scheduler = scheduler_node();
		let id = submit(USER, needs(1), Billing::PerTask);
		let before = usdv(USER);
		for (k, node) in nodes.iter().enumerate() {
			assert_eq!(assign(vec![(id, *node)]), vec![]);
			assert_ok!(Market::decline_task(RuntimeOrigin::signed(operator_of(k as u64)), id));
			if k + 1 < nodes.len() {
				assert_eq!(status(id), TaskStatus::Queued);
				assert!(!Market::accepts(id, *node, scheduler), "not offered to a node that declined it");
			}
		}
		assert_eq!(status(id), TaskStatus::Refunded);
		assert!(market_events().contains(&Event::TaskRefunded {
			task: id,
			reason: RefundReason::Declined,
			refunded: Market::task_info(id).unwrap().refunded,
		}));
		assert_eq!((usdv(USER), held(USER)), (before, 0));
		for node in nodes {
			let info = Registry::node_info(node).unwrap();
			assert_eq!((info.tasks_failed, info.tasks_completed), (0, 0));
			assert_eq!(Registry::profile(node).unwrap().status, vcity_primitives::NodeStatus::Online);
		}
		assert!(Tasks::<Test>::get(id).unwrap().declined_by.is_full());
	});
}

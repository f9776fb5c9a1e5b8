//! What a scheduler node's offchain worker spends on one scheduling round, measured inside the
//! runtime's wasm by frame-omni-bencher (`scripts/benchmark-weights.sh pallet_agent_bridge`): a
//! round of the worker's own size (256 tasks on 1,024 nodes) and the 10,000-node, 2,000-task
//! batches the scheduler's native benchmark reports (balanced and twice the demand). Nothing on chain is weighed by these figures:
//! the worker runs off chain, and its time is compared with its run budget
//! (docs/scheduler.md#in-the-offchain-worker).

use crate::*;
use frame_benchmarking::v2::*;
use vcity_scheduler::{
	markets::{market, Family},
	SchedulerConfig,
};

#[benchmarks]
mod benchmarks {
	use super::*;

	/// One round as the worker runs it: the most tasks and nodes it reads in a block, with more
	/// demand than room.
	#[benchmark]
	fn schedule_round() {
		let (nodes, tasks) = market(
			Family::OverDemand,
			1_000,
			schedule::NODES_PER_ROUND as usize,
			schedule::TASKS_PER_ROUND as usize,
		);
		let plan;
		#[block]
		{
			plan = vcity_scheduler::schedule(&nodes, &tasks, &SchedulerConfig::default());
		}
		assert!(!plan.assignments.is_empty());
	}

	/// The native benchmark's large batch, for the ratio of wasm to native time.
	#[benchmark]
	fn schedule_large_batch() {
		let (nodes, tasks) = market(Family::Balanced, 1_000, 10_000, 2_000);
		let plan;
		#[block]
		{
			plan = vcity_scheduler::schedule(&nodes, &tasks, &SchedulerConfig::default());
		}
		assert!(!plan.assignments.is_empty());
	}

	/// The same size with twice the demand: the contested case, where the auction and the
	/// repair work hardest.
	#[benchmark]
	fn schedule_large_contested_batch() {
		let (nodes, tasks) = market(Family::OverDemand, 1_000, 10_000, 2_000);
		let plan;
		#[block]
		{
			plan = vcity_scheduler::schedule(&nodes, &tasks, &SchedulerConfig::default());
		}
		assert!(!plan.assignments.is_empty());
	}

	impl_benchmark_test_suite!(Pallet, sp_io::TestExternalities::default(), crate::tests::Test);
}

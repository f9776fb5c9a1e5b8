//! Benchmarks (frame-benchmarking v2) for every call and the timeout hook of the market.
//!
//! `submit_task`, `assign_tasks`, `acknowledge_task` and `complete_task` take `n`, the number of
//! registered nodes and of open tasks already there, from 10 to 100,000: their weight must not
//! grow with either. Settling paths pay a scheduler, so they measure the most transfers.

use super::*;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{EnsureOrigin, Get, Hooks},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::traits::{One, Saturating};
use vcity_primitives::{
	Balance, Billing, GpuClass, NodeId, Placement, TaskId, TaskRequirements, Workload, USDV,
};

const SEED: u32 = 0;
/// Nodes (and, in the market, open tasks) in storage at the top of the range: 100,000 on the
/// runtime, where the weights are measured; a thousand when the benchmarks run as unit tests,
/// which check that each benchmark runs and asserts, not how its cost grows (natively, in a debug
/// build, filling 100,000 entries takes most of a minute per benchmark).
#[cfg(not(test))]
const MAX_REGISTER: u32 = 100_000;
#[cfg(test)]
const MAX_REGISTER: u32 = 1_000;
/// USDV given to each benchmark user: enough for any task the benchmarks submit.
const FUNDS: Balance = 1_000_000_000 * USDV;

/// One GPU near eu-west: the latency check is the costliest placement to verify.
fn requirements() -> TaskRequirements {
	TaskRequirements {
		gpus: 1,
		min_vram_per_gpu_gib: 1,
		min_gpu_class: GpuClass::Consumer,
		min_stage: 0,
		placement: Placement::Near {
			region: BoundedVec::truncate_from(b"eu-west".to_vec()),
			max_round_trip_ms: 1_000,
		},
	}
}

fn workload() -> Workload {
	Workload::Container { image: BoundedVec::truncate_from(alloc::vec![b'i'; 256]), command_hash: [1; 32] }
}

fn user<T: Config>(index: u32) -> T::AccountId {
	let who: T::AccountId = account("user", index, SEED);
	T::BenchmarkHelper::fund(&who, FUNDS);
	who
}

fn deadline<T: Config>() -> BlockNumberFor<T> {
	frame_system::Pallet::<T>::block_number().saturating_add(100_000u32.into())
}

/// `n` nodes in the register and `n` queued tasks in the market, straight in storage.
fn populate<T: Config>(n: u32) {
	T::BenchmarkHelper::fill_register(n);
	let owner: T::AccountId = account("crowd", 0, SEED);
	let template = crate::types::Task {
		owner: owner.clone(),
		queued_ms: 0,
		requirements: requirements(),
		seconds: 3_600,
		deadline: deadline::<T>(),
		deadline_slot: deadline::<T>(),
		max_price_per_gpu_hour: USDV,
		workload: workload(),
		billing: Billing::PerTask,
		escrow: USDV,
		counts_as_usage: false,
		counted_gpu_ms: 0,
		declined_by: Default::default(),
		state: TaskState::Queued,
		paid: 0,
		refunded: 0,
		rating: None,
	};
	let first = NextTaskId::<T>::get();
	for id in first..first + TaskId::from(n) {
		Tasks::<T>::insert(id, &template);
		QueuedTasks::<T>::insert(id, ());
		TasksOfOwner::<T>::insert(&owner, id, ());
	}
	NextTaskId::<T>::put(first + TaskId::from(n));
}

fn submit<T: Config>(owner: &T::AccountId) -> Result<TaskId, BenchmarkError> {
	let terms = submit::Terms {
		requirements: requirements(),
		seconds: 3_600,
		deadline: deadline::<T>(),
		max_price_per_gpu_hour: 10 * USDV,
		workload: workload(),
		// Paid in full whatever the run took: settlement moves every share.
		billing: Billing::PerTask,
	};
	Pallet::<T>::do_submit(owner.clone(), terms).map_err(Into::into)
}

/// Compute node number `index`, online, with as many GPUs as a node may have; returns its
/// operator and id. Each has its own owner, so settlements pay distinct accounts.
fn compute_node<T: Config>(index: u32) -> (T::AccountId, NodeId) {
	let owner: T::AccountId = account("node-owner", index, SEED);
	let operator: T::AccountId = account("operator", index, SEED);
	let node = T::BenchmarkHelper::online_node(&owner, &operator, T::MaxGpusPerNode::get(), false);
	(operator, node)
}

/// The scheduler node's operator.
fn scheduler<T: Config>() -> T::AccountId {
	let owner: T::AccountId = account("scheduler-owner", 0, SEED);
	let operator: T::AccountId = account("scheduler", 0, SEED);
	T::BenchmarkHelper::online_node(&owner, &operator, 1, true);
	operator
}

/// A compute node (with a scheduler node to assign through); returns the node's operator, the
/// node and the scheduler's operator.
fn nodes<T: Config>() -> (T::AccountId, NodeId, T::AccountId) {
	let (operator, node) = compute_node::<T>(0);
	(operator, node, scheduler::<T>())
}

/// Fills the `timeout` queues of the blocks from `from` but the last the queue would look at,
/// so the call measured probes the whole window before it finds room.
fn crowd<T: Config>(timeout: Timeout, from: BlockNumberFor<T>) {
	let full = BoundedVec::truncate_from(alloc::vec![0; T::MaxTimeoutsPerBlock::get() as usize]);
	let mut block = from;
	for _ in 1..crate::TIMEOUT_PROBE_BLOCKS {
		Timeouts::<T>::insert(block, timeout, &full);
		block.saturating_inc();
	}
}

/// The first block of a window of `window` blocks opening now.
fn window_end<T: Config>(window: BlockNumberFor<T>) -> BlockNumberFor<T> {
	Pallet::<T>::window_end(frame_system::Pallet::<T>::block_number(), window)
}

fn params<T: Config>() -> Result<MarketParams<BlockNumberFor<T>>, BenchmarkError> {
	Pallet::<T>::params().map_err(|_| BenchmarkError::Stop("no market parameters"))
}

/// A task assigned by the scheduler to a node; returns the owner, the node's operator and the task.
fn assigned<T: Config>() -> Result<(T::AccountId, T::AccountId, TaskId), BenchmarkError> {
	let (operator, node, scheduler) = nodes::<T>();
	let owner = user::<T>(0);
	let task = submit::<T>(&owner)?;
	let batch = BoundedVec::truncate_from(alloc::vec![(task, node)]);
	Pallet::<T>::do_assign_batch(scheduler, batch)?;
	Ok((owner, operator, task))
}

fn running<T: Config>() -> Result<(T::AccountId, T::AccountId, TaskId), BenchmarkError> {
	let (owner, operator, task) = assigned::<T>()?;
	Pallet::<T>::do_acknowledge(operator.clone(), task)?;
	Pallet::<T>::do_start(operator.clone(), task)?;
	Ok((owner, operator, task))
}

fn delivered<T: Config>() -> Result<(T::AccountId, TaskId), BenchmarkError> {
	let (owner, operator, task) = running::<T>()?;
	Pallet::<T>::do_complete(operator, task, [9; 32], 1_800)?;
	// Settling also schedules the record's removal: make it probe the whole window.
	let retention = frame_system::Pallet::<T>::block_number().saturating_add(T::TaskRetention::get());
	crowd::<T>(Timeout::Forget, retention);
	Ok((owner, task))
}

fn assert_status<T: Config>(task: TaskId, status: vcity_primitives::TaskStatus) {
	assert_eq!(Pallet::<T>::task_info(task).map(|t| t.status), Some(status));
}

#[benchmarks]
mod benchmarks {
	use super::*;
	use vcity_primitives::TaskStatus;

	#[benchmark]
	fn submit_task(n: Linear<10, MAX_REGISTER>) -> Result<(), BenchmarkError> {
		populate::<T>(n);
		let owner = user::<T>(0);
		let id = NextTaskId::<T>::get();
		crowd::<T>(Timeout::Deadline, deadline::<T>().saturating_add(One::one()));

		#[extrinsic_call]
		_(
			RawOrigin::Signed(owner),
			requirements(),
			3_600,
			deadline::<T>(),
			10 * USDV,
			workload(),
			Billing::PerTask,
		);

		assert_status::<T>(id, TaskStatus::Queued);
		Ok(())
	}

	#[benchmark]
	fn cancel_task() -> Result<(), BenchmarkError> {
		let owner = user::<T>(0);
		let task = submit::<T>(&owner)?;
		crowd::<T>(
			Timeout::Forget,
			frame_system::Pallet::<T>::block_number().saturating_add(T::TaskRetention::get()),
		);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), task);

		assert_status::<T>(task, TaskStatus::Refunded);
		Ok(())
	}

	#[benchmark]
	fn assign_tasks(
		b: Linear<1, { T::MaxAssignmentsPerBatch::get() }>,
		n: Linear<10, MAX_REGISTER>,
	) -> Result<(), BenchmarkError> {
		populate::<T>(n);
		let scheduler = scheduler::<T>();
		// Each item its own owner and node: nothing one item reads is warm for the next.
		let mut batch = alloc::vec::Vec::new();
		for i in 0..b {
			let (_, node) = compute_node::<T>(i);
			batch.push((submit::<T>(&user::<T>(i))?, node));
		}
		crowd::<T>(Timeout::Ack, window_end::<T>(params::<T>()?.ack_window));
		let last = batch.last().map(|(task, _)| *task).unwrap_or_default();
		let batch = BoundedVec::truncate_from(batch);

		#[extrinsic_call]
		_(RawOrigin::Signed(scheduler), batch);

		assert_status::<T>(last, TaskStatus::Assigned);
		Ok(())
	}

	#[benchmark]
	fn assign_directly() -> Result<(), BenchmarkError> {
		let (_, node, _) = nodes::<T>();
		let owner = user::<T>(0);
		let task = submit::<T>(&owner)?;
		crowd::<T>(Timeout::Ack, window_end::<T>(params::<T>()?.ack_window));

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), task, node);

		assert_status::<T>(task, TaskStatus::Assigned);
		Ok(())
	}

	#[benchmark]
	fn acknowledge_task(n: Linear<10, MAX_REGISTER>) -> Result<(), BenchmarkError> {
		populate::<T>(n);
		let (_, operator, task) = assigned::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(operator), task);

		assert_status::<T>(task, TaskStatus::Acknowledged);
		Ok(())
	}

	#[benchmark]
	fn decline_task() -> Result<(), BenchmarkError> {
		let (_, operator, task) = assigned::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(operator), task);

		assert_status::<T>(task, TaskStatus::Queued);
		Ok(())
	}

	#[benchmark]
	fn start_task() -> Result<(), BenchmarkError> {
		let (_, operator, task) = assigned::<T>()?;
		Pallet::<T>::do_acknowledge(operator.clone(), task)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(operator), task);

		assert_status::<T>(task, TaskStatus::Running);
		Ok(())
	}

	#[benchmark]
	fn report_usage() -> Result<(), BenchmarkError> {
		let (_, operator, task) = running::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(operator), task, 600);

		assert_eq!(Pallet::<T>::task_info(task).map(|t| t.used_gpu_seconds), Some(600));
		Ok(())
	}

	#[benchmark]
	fn complete_task(n: Linear<10, MAX_REGISTER>) -> Result<(), BenchmarkError> {
		populate::<T>(n);
		let (_, operator, task) = running::<T>()?;
		crowd::<T>(Timeout::Dispute, window_end::<T>(params::<T>()?.dispute_window));

		#[extrinsic_call]
		_(RawOrigin::Signed(operator), task, [9; 32], 1_800);

		assert_status::<T>(task, TaskStatus::Delivered);
		Ok(())
	}

	/// Giving up a running task whose deadline leaves no time for another node: the refund,
	/// which moves funds, rather than the requeue.
	#[benchmark]
	fn report_failure() -> Result<(), BenchmarkError> {
		let (_, operator, task) = running::<T>()?;
		let deadline = Tasks::<T>::get(task).map(|t| t.deadline).ok_or(BenchmarkError::Stop("no task"))?;
		frame_system::Pallet::<T>::set_block_number(deadline);
		crowd::<T>(Timeout::Forget, deadline.saturating_add(T::TaskRetention::get()));

		#[extrinsic_call]
		_(RawOrigin::Signed(operator), task);

		assert_status::<T>(task, TaskStatus::Refunded);
		Ok(())
	}

	#[benchmark]
	fn expire_task() -> Result<(), BenchmarkError> {
		let (_, _, task) = running::<T>()?;
		let deadline = Tasks::<T>::get(task).map(|t| t.deadline).ok_or(BenchmarkError::Stop("no task"))?;
		let after = deadline.saturating_add(One::one());
		frame_system::Pallet::<T>::set_block_number(after);
		crowd::<T>(Timeout::Forget, after.saturating_add(T::TaskRetention::get()));
		let caller: T::AccountId = account("caller", 0, SEED);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), task);

		assert_status::<T>(task, TaskStatus::Refunded);
		Ok(())
	}

	#[benchmark]
	fn rate_task() -> Result<(), BenchmarkError> {
		let (owner, task) = delivered::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), task, 5);

		assert_status::<T>(task, TaskStatus::Settled);
		Ok(())
	}

	#[benchmark]
	fn dispute_task() -> Result<(), BenchmarkError> {
		let (owner, task) = delivered::<T>()?;
		crowd::<T>(Timeout::Resolve, window_end::<T>(params::<T>()?.resolution_window));

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), task);

		assert_status::<T>(task, TaskStatus::Disputed);
		Ok(())
	}

	#[benchmark]
	fn resolve_dispute() -> Result<(), BenchmarkError> {
		let (owner, task) = delivered::<T>()?;
		crowd::<T>(Timeout::Resolve, window_end::<T>(params::<T>()?.resolution_window));
		Pallet::<T>::do_dispute(owner, task)?;
		let origin = T::DisputeOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		// A rejected dispute settles: the costlier resolution.
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, task, false);

		assert_status::<T>(task, TaskStatus::Settled);
		Ok(())
	}

	#[benchmark]
	fn settle() -> Result<(), BenchmarkError> {
		let (_, task) = delivered::<T>()?;
		let closes = window_end::<T>(params::<T>()?.dispute_window);
		frame_system::Pallet::<T>::set_block_number(closes);
		crowd::<T>(Timeout::Forget, closes.saturating_add(T::TaskRetention::get()));
		let caller: T::AccountId = account("caller", 0, SEED);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), task);

		assert_status::<T>(task, TaskStatus::Settled);
		Ok(())
	}

	#[benchmark]
	fn set_params() -> Result<(), BenchmarkError> {
		let origin = T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let params = MarketParams {
			ack_window: 20u32.into(),
			start_window: 300u32.into(),
			dispute_window: 100u32.into(),
			resolution_window: 1_000u32.into(),
			fee_split: FeeSplit::DEFAULT,
			price_floor: PriceFloor { consumer: 1, workstation: 1, datacenter: 1 },
		};

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params);

		assert_eq!(Params::<T>::get(), Some(params));
		Ok(())
	}

	/// `k` delivered tasks whose dispute windows close in the same block, each of its own owner
	/// on its own node: each settles, paying node, scheduler and protocol and refunding the rest.
	#[benchmark]
	fn on_initialize(k: Linear<0, { T::MaxTimeoutsPerBlock::get() }>) -> Result<(), BenchmarkError> {
		let scheduler = scheduler::<T>();
		let mut tasks = alloc::vec::Vec::new();
		for i in 0..k {
			let (operator, node) = compute_node::<T>(i);
			let task = submit::<T>(&user::<T>(i))?;
			Pallet::<T>::do_assign_batch(
				scheduler.clone(),
				BoundedVec::truncate_from(alloc::vec![(task, node)]),
			)?;
			Pallet::<T>::do_acknowledge(operator.clone(), task)?;
			Pallet::<T>::do_start(operator.clone(), task)?;
			Pallet::<T>::do_complete(operator, task, [9; 32], 1_800)?;
			tasks.push(task);
		}
		let due = window_end::<T>(params::<T>()?.dispute_window);
		assert_eq!(Timeouts::<T>::decode_len(due, Timeout::Dispute).unwrap_or(0), k as usize);
		frame_system::Pallet::<T>::set_block_number(due);

		#[block]
		{
			Pallet::<T>::on_initialize(due);
		}

		for task in tasks {
			assert_status::<T>(task, TaskStatus::Settled);
		}
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::tests::new_test_ext(), crate::tests::Test);
}

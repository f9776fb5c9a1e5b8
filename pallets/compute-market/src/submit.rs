//! Submitting a task: checking its terms, holding its escrow; and cancelling a queued one.
//! Every check runs before the first write, so a refused call changes nothing.

use crate::{pallet::*, types::Task, types::*};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, MutateHold},
		tokens::{Fortitude, Precision, Preservation},
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{One, Saturating, UniqueSaturatedInto};
use vcity_primitives::{
	compute_cost, matrix_min_seconds, region_of, round_trip_ms, Balance, Billing, BuiltinWorkload, Clock,
	Placement, TaskId, TaskRequirements, Workload, MAX_MATRIX_SIZE, UNKNOWN_REGION,
};

/// What an owner asks for when submitting a task.
pub struct Terms<BlockNumber> {
	pub requirements: TaskRequirements,
	pub seconds: u64,
	pub deadline: BlockNumber,
	pub max_price_per_gpu_hour: Balance,
	pub workload: Workload,
	pub billing: Billing,
}

impl<T: Config> Pallet<T> {
	/// The parameters in force.
	pub fn params() -> Result<MarketParams<BlockNumberFor<T>>, Error<T>> {
		Params::<T>::get().ok_or(Error::<T>::NoParams)
	}

	/// Parameters governance may set: non-zero windows and a valid split.
	pub fn ensure_valid_params(params: &MarketParams<BlockNumberFor<T>>) -> Result<(), Error<T>> {
		let zero = BlockNumberFor::<T>::zero();
		// Each window is at least a block and at most as far out as a deadline may lie, so every
		// timeout falls due; a dispute's resolution never ends before its dispute window would.
		let windows =
			[params.ack_window, params.start_window, params.dispute_window, params.resolution_window];
		let longest = T::MaxDeadlineBlocks::get();
		ensure!(windows.iter().all(|window| *window > zero && *window <= longest), Error::<T>::InvalidParams);
		ensure!(params.ack_window >= T::MinAckWindow::get(), Error::<T>::InvalidParams);
		ensure!(params.resolution_window >= params.dispute_window, Error::<T>::InvalidParams);
		ensure!(params.fee_split.is_valid(), Error::<T>::InvalidParams);
		ensure!(params.price_floor.is_valid(), Error::<T>::InvalidParams);
		Ok(())
	}

	/// Rejects requirements that no node the registry admits could ever meet.
	pub fn ensure_satisfiable(req: &TaskRequirements) -> Result<(), Error<T>> {
		ensure!(req.gpus > 0, Error::<T>::ZeroGpus);
		ensure!(req.gpus <= T::MaxGpusPerNode::get(), Error::<T>::TooManyGpus);
		ensure!(req.min_vram_per_gpu_gib <= T::MaxVramPerGpuGib::get(), Error::<T>::VramUnavailable);
		// Stages only grow with VRAM: if the largest node the registry admits falls short, every
		// node does.
		if req.min_stage > 0 {
			let largest_node = T::MaxGpusPerNode::get().saturating_mul(T::MaxVramPerGpuGib::get());
			ensure!(Self::stage_of(largest_node) >= req.min_stage, Error::<T>::StageUnavailable);
		}
		match &req.placement {
			Placement::Anywhere => {}
			Placement::InRegion(region) => ensure!(!region.is_empty(), Error::<T>::EmptyRegion),
			Placement::Near { region, max_round_trip_ms } => {
				let site = region_of(region);
				ensure!(site != UNKNOWN_REGION, Error::<T>::UnknownRegion);
				ensure!(*max_round_trip_ms >= round_trip_ms(site, site), Error::<T>::LatencyUnreachable);
			}
		}
		Ok(())
	}

	/// A workload some agent can run in the seconds paid: a matrix no larger than the agents
	/// compute, whose work fits the task's seconds at the reference rate
	/// (docs/market.md#work-estimate). A container's image is each node's to accept or decline.
	fn ensure_valid_workload(workload: &Workload, seconds: u64) -> Result<(), Error<T>> {
		match workload {
			Workload::Builtin(BuiltinWorkload::MatrixProduct { size, rounds, .. }) => {
				ensure!(*size > 0 && *rounds > 0, Error::<T>::InvalidWorkload);
				ensure!(*size <= MAX_MATRIX_SIZE, Error::<T>::WorkloadTooLarge);
				ensure!(seconds >= matrix_min_seconds(*size, *rounds), Error::<T>::WorkExceedsSeconds);
			}
			Workload::Container { image, .. } => ensure!(!image.is_empty(), Error::<T>::InvalidWorkload),
		}
		Ok(())
	}

	/// Blocks a run of `seconds` takes.
	pub(crate) fn run_blocks(seconds: u64) -> BlockNumberFor<T> {
		blocks_for(seconds, T::BlockTimeMs::get()).unique_saturated_into()
	}

	/// Blocks from now until a task of `seconds` could be delivered if a node took it now.
	pub(crate) fn blocks_to_deliver(
		seconds: u64,
		params: &MarketParams<BlockNumberFor<T>>,
	) -> BlockNumberFor<T> {
		params.ack_window.saturating_add(Self::run_blocks(seconds))
	}

	/// Whether a task of `seconds` taken by a node now could be delivered by `deadline`.
	pub(crate) fn deliverable_from_now(
		seconds: u64,
		deadline: BlockNumberFor<T>,
		params: &MarketParams<BlockNumberFor<T>>,
	) -> bool {
		frame_system::Pallet::<T>::block_number().saturating_add(Self::blocks_to_deliver(seconds, params))
			<= deadline
	}

	pub(crate) fn do_submit(
		owner: T::AccountId,
		terms: Terms<BlockNumberFor<T>>,
	) -> Result<TaskId, DispatchError> {
		let params = Self::params()?;
		Self::ensure_satisfiable(&terms.requirements)?;
		ensure!(terms.seconds > 0, Error::<T>::ZeroDuration);
		ensure!(terms.seconds <= T::MaxTaskSeconds::get(), Error::<T>::TaskTooLong);
		ensure!(terms.max_price_per_gpu_hour > 0, Error::<T>::ZeroPrice);
		ensure!(
			terms.max_price_per_gpu_hour >= params.price_floor.of(terms.requirements.min_gpu_class),
			Error::<T>::PriceBelowFloor
		);
		Self::ensure_valid_workload(&terms.workload, terms.seconds)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(terms.deadline > now, Error::<T>::DeadlineInPast);
		ensure!(
			terms.deadline <= now.saturating_add(T::MaxDeadlineBlocks::get()),
			Error::<T>::DeadlineTooFar
		);
		let earliest = now.saturating_add(Self::blocks_to_deliver(terms.seconds, &params));
		ensure!(terms.deadline >= earliest, Error::<T>::DeadlineTooSoon);
		let escrow = compute_cost(terms.max_price_per_gpu_hour, terms.requirements.gpus, terms.seconds)
			.ok_or(Error::<T>::Overflow)?;
		ensure!(escrow >= T::MinTaskEscrow::get(), Error::<T>::EscrowTooSmall);
		let spendable = T::Stablecoin::reducible_balance(&owner, Preservation::Preserve, Fortitude::Polite);
		ensure!(spendable >= escrow, Error::<T>::CannotPayEscrow);
		let id = NextTaskId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		// The task may be delivered in its deadline block; it expires in the block after.
		let deadline_slot =
			Self::free_timeout_slot(terms.deadline.saturating_add(One::one()), Timeout::Deadline)?;

		T::Stablecoin::hold(&HoldReason::TaskEscrow.into(), &owner, escrow)
			.map_err(|_| Error::<T>::CannotPayEscrow)?;
		NextTaskId::<T>::put(next);
		let task = Task {
			owner: owner.clone(),
			queued_ms: T::Clock::now_ms(),
			requirements: terms.requirements,
			seconds: terms.seconds,
			deadline: terms.deadline,
			deadline_slot,
			max_price_per_gpu_hour: terms.max_price_per_gpu_hour,
			workload: terms.workload,
			billing: terms.billing,
			escrow,
			counts_as_usage: false,
			counted_gpu_ms: 0,
			declined_by: BoundedVec::new(),
			state: TaskState::Queued,
			paid: 0,
			refunded: 0,
			rating: None,
		};
		Tasks::<T>::insert(id, task);
		QueuedTasks::<T>::insert(id, ());
		TasksOfOwner::<T>::insert(&owner, id, ());
		Self::push_timeout(deadline_slot, id, Timeout::Deadline)?;
		Stats::<T>::mutate(|s| {
			s.queued.saturating_inc();
			s.escrow.saturating_accrue(escrow);
		});
		Self::deposit_event(Event::TaskSubmitted { task: id, owner, escrow });
		Ok(id)
	}

	/// A queued task ends at once. An acknowledged one ends once the node has let the start
	/// window pass, a running one once its seconds and a start window more have: a node that
	/// takes a task and sits on it would otherwise freeze the owner's escrow until the deadline
	/// with nothing at stake, so the failure is the node's (and its scheduler's).
	pub(crate) fn do_cancel(who: T::AccountId, id: TaskId) -> DispatchResult {
		let mut task = Tasks::<T>::get(id).ok_or(Error::<T>::Rejected(Rejection::UnknownTask))?;
		ensure!(task.owner == who, Error::<T>::NotTaskOwner);
		match task.state {
			TaskState::Queued => {
				let refunded = Self::end_unpaid(id, &mut task, RefundReason::Cancelled)?;
				Self::deposit_event(Event::TaskCancelled { task: id, refunded });
			}
			TaskState::Acknowledged { acked_at, .. } => {
				let start_by = acked_at.saturating_add(Self::params()?.start_window);
				ensure!(frame_system::Pallet::<T>::block_number() > start_by, Error::<T>::StartWindowOpen);
				let refunded = Self::end_unpaid(id, &mut task, RefundReason::NotStarted)?;
				Self::deposit_event(Event::TaskRefunded {
					task: id,
					reason: RefundReason::NotStarted,
					refunded,
				});
			}
			TaskState::Running { started_ms, .. } => {
				// Started and never delivered: past its seconds and a start window's grace, the
				// node is sitting on it, and the owner's escrow is not its to freeze until the
				// deadline either.
				let overdue_from = Self::overdue_from(&task, started_ms, &Self::params()?);
				ensure!(T::Clock::now_ms() > overdue_from, Error::<T>::NotOverdue);
				let refunded = Self::end_unpaid(id, &mut task, RefundReason::Overdue)?;
				Self::deposit_event(Event::TaskRefunded {
					task: id,
					reason: RefundReason::Overdue,
					refunded,
				});
			}
			_ => return Err(Error::<T>::Rejected(Rejection::TaskNotQueued).into()),
		}
		Ok(())
	}

	/// Releases what is left of a task's escrow to its owner. The hold exists for as long as
	/// the escrow is recorded, so this moves exactly `task.escrow`.
	pub(crate) fn release_escrow(task: &mut TaskOf<T>) -> Result<Balance, DispatchError> {
		let amount = task.escrow;
		if amount > 0 {
			T::Stablecoin::release(&HoldReason::TaskEscrow.into(), &task.owner, amount, Precision::Exact)?;
		}
		task.escrow = 0;
		task.refunded.saturating_accrue(amount);
		Stats::<T>::mutate(|s| s.escrow.saturating_reduce(amount));
		Ok(amount)
	}
}

//! Whether a node can take a task, and giving tasks to nodes: a scheduler's batch, checked item
//! by item, or the owner's own pick.

use crate::{pallet::*, types::*};
use frame_support::{ensure, pallet_prelude::*};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Saturating;
use vcity_primitives::{
	gpu_class, multi_gpu_stage, region_of, round_trip_ms, Balance, DeliveryAudits, NodeId, NodeProfile,
	NodeRegistry, NodeStatus, Placement, TaskId, TaskRequirements,
};

impl<T: Config> Pallet<T> {
	/// The node's multi-GPU stage (docs/registry.md#multi-gpu-stages).
	pub fn stage_of(total_vram_gib: u32) -> u8 {
		multi_gpu_stage(total_vram_gib)
	}

	/// Whether the node's hardware, place and price suit the requirements, whatever its load.
	pub fn node_suits(
		node: &NodeProfile<T::AccountId, Balance>,
		req: &TaskRequirements,
		max_price_per_gpu_hour: Balance,
		floor: &PriceFloor,
	) -> Result<(), Rejection> {
		ensure!(node.roles.compute, Rejection::NotComputeNode);
		let class = gpu_class(&node.gpu.model);
		ensure!(class >= req.min_gpu_class, Rejection::GpuClassTooLow);
		ensure!(node.price_per_gpu_hour >= floor.of(class), Rejection::PriceBelowFloor);
		ensure!(node.gpu.vram_per_gpu_gib >= req.min_vram_per_gpu_gib, Rejection::VramTooSmall);
		ensure!(Self::stage_of(node.gpu.total_vram_gib()) >= req.min_stage, Rejection::StageTooLow);
		ensure!(node.gpu.count >= req.gpus, Rejection::TooFewGpus);
		match &req.placement {
			Placement::Anywhere => {}
			Placement::InRegion(region) => {
				ensure!(region.eq_ignore_ascii_case(&node.region), Rejection::WrongRegion)
			}
			Placement::Near { region, max_round_trip_ms } => {
				let round_trip = round_trip_ms(region_of(region), region_of(&node.region));
				ensure!(round_trip <= *max_round_trip_ms, Rejection::TooFar);
			}
		}
		ensure!(node.price_per_gpu_hour <= max_price_per_gpu_hour, Rejection::PriceAboveMax);
		Ok(())
	}

	/// GPUs of the node no task holds.
	pub fn idle_gpus(node: NodeId, total: u32) -> u32 {
		total.saturating_sub(GpusInUse::<T>::get(node))
	}

	/// GPUs of the node a task may take: idle, and not withheld for a capacity challenge the
	/// node owes (docs/verification.md#busy-nodes-owe-their-challenge).
	pub fn free_gpus(node: NodeId, total: u32) -> u32 {
		Self::idle_gpus(node, total).saturating_sub(T::Audits::gpus_withheld(node))
	}

	/// Whether `node` can take the queued task now, given by `scheduler` (`None`: the owner's
	/// own pick). Returns the price it would take it at.
	///
	/// A scheduler never gives work to a node its own owner or operator controls: it would pick
	/// itself for the fees and the reputation. The price is one the node had before the task
	/// was queued, so no node raises its price onto a task it sees waiting.
	pub fn check_assignment(
		task: &TaskOf<T>,
		node: NodeId,
		scheduler: Option<&Assigner<T::AccountId>>,
		params: &MarketParams<BlockNumberFor<T>>,
	) -> Result<Balance, Rejection> {
		ensure!(task.state == TaskState::Queued, Rejection::TaskNotQueued);
		ensure!(!task.declined_by.contains(&node), Rejection::DeclinedByNode);
		let profile = T::Registry::profile(node).ok_or(Rejection::UnknownNode)?;
		ensure!(profile.status == NodeStatus::Online, Rejection::NodeNotOnline);
		ensure!(profile.staked, Rejection::UnderStaked);
		ensure!(!scheduler.is_some_and(|s| s.controls(&profile)), Rejection::OwnNode);
		ensure!(scheduler.is_none() || Self::is_trusted(&profile), Rejection::NodeDistrusted);
		// Within one block the chain cannot tell the order: a price set in the task's own block
		// counts as before it, which no node can count on without ordering the block itself.
		ensure!(profile.price_raised_ms <= task.queued_ms, Rejection::PriceRaisedSinceQueued);
		Self::node_suits(&profile, &task.requirements, task.max_price_per_gpu_hour, &params.price_floor)?;
		ensure!(Self::free_gpus(node, profile.gpu.count) >= task.requirements.gpus, Rejection::GpusBusy);
		ensure!(Self::deliverable_from_now(task.seconds, task.deadline, params), Rejection::DeadlineTooClose);
		Ok(profile.price_per_gpu_hour)
	}

	/// Checks and applies one assignment; nothing changes if it is refused.
	fn try_assign(
		id: TaskId,
		node: NodeId,
		assigner: Option<&Assigner<T::AccountId>>,
		params: &MarketParams<BlockNumberFor<T>>,
	) -> Result<(), Rejection> {
		let mut task = Tasks::<T>::get(id).ok_or(Rejection::UnknownTask)?;
		let price_per_gpu_hour = Self::check_assignment(&task, node, assigner, params)?;
		let scheduler = assigner.map(|s| s.node);
		let now = frame_system::Pallet::<T>::block_number();
		let ack_by = Self::free_timeout_slot(Self::window_end(now, params.ack_window), Timeout::Ack)
			.map_err(|_| Rejection::TimeoutQueueFull)?;
		Self::push_timeout(ack_by, id, Timeout::Ack).map_err(|_| Rejection::TimeoutQueueFull)?;

		let engagement = Engagement { node, scheduler, price_per_gpu_hour };
		task.state = TaskState::Assigned { engagement, ack_by };
		Tasks::<T>::insert(id, &task);
		QueuedTasks::<T>::remove(id);
		TasksOfNode::<T>::insert(node, id, ());
		TasksInHand::<T>::insert(node, id, now);
		GpusInUse::<T>::mutate(node, |used| used.saturating_accrue(task.requirements.gpus));
		OpenTasksOfNode::<T>::mutate(node, |open| open.saturating_inc());
		Stats::<T>::mutate(|s| {
			s.queued.saturating_dec();
			s.in_progress.saturating_inc();
		});
		Self::deposit_event(Event::TaskAssigned { task: id, node, scheduler, price_per_gpu_hour, ack_by });
		Ok(())
	}

	/// The scheduler node `node` and who controls it, read once for a whole batch.
	pub fn assigner(node: NodeId) -> Option<Assigner<T::AccountId>> {
		T::Registry::profile(node).map(|p| Assigner { node, owner: p.owner, operator: p.operator })
	}

	/// The online scheduler node `who` signs for.
	fn scheduler_node_of(who: &T::AccountId) -> Result<Assigner<T::AccountId>, Error<T>> {
		let node = T::Registry::node_of_operator(who).ok_or(Error::<T>::NotScheduler)?;
		let profile = T::Registry::profile(node).ok_or(Error::<T>::NotScheduler)?;
		Self::ensure_may_schedule(&profile)?;
		Ok(Assigner { node, owner: profile.owner, operator: profile.operator })
	}

	/// Whether a node may assign tasks: an online node with the scheduler role whose reputation
	/// failures have not taken below [`Config::MinTrustedReputation`].
	pub(crate) fn ensure_may_schedule(profile: &NodeProfile<T::AccountId, Balance>) -> Result<(), Error<T>> {
		ensure!(profile.roles.scheduler && profile.status == NodeStatus::Online, Error::<T>::NotScheduler);
		ensure!(Self::is_trusted(profile), Error::<T>::SchedulerDistrusted);
		Ok(())
	}

	/// Whether failures have left the node's reputation at [`Config::MinTrustedReputation`] or
	/// above: a scheduler node needs it to assign, a node to be given tasks by a scheduler.
	pub fn is_trusted(profile: &NodeProfile<T::AccountId, Balance>) -> bool {
		profile.reputation >= T::MinTrustedReputation::get()
	}

	pub(crate) fn do_assign_batch(
		who: T::AccountId,
		assignments: BoundedVec<(TaskId, NodeId), T::MaxAssignmentsPerBatch>,
	) -> DispatchResult {
		let scheduler = Self::scheduler_node_of(&who)?;
		let params = Self::params()?;
		for (task, node) in assignments {
			if let Err(reason) = Self::try_assign(task, node, Some(&scheduler), &params) {
				Self::deposit_event(Event::AssignmentRejected { task, node, reason });
			}
		}
		Ok(())
	}

	pub(crate) fn do_assign_directly(who: T::AccountId, id: TaskId, node: NodeId) -> DispatchResult {
		let task = Tasks::<T>::get(id).ok_or(Error::<T>::Rejected(Rejection::UnknownTask))?;
		ensure!(task.owner == who, Error::<T>::NotTaskOwner);
		let params = Self::params()?;
		Self::try_assign(id, node, None, &params).map_err(|reason| Error::<T>::Rejected(reason).into())
	}
}

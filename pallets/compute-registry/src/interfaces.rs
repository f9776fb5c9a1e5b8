//! The `vcity-primitives` traits through which other pallets use the registry.

use crate::{pallet::*, reputation, types::*};
use frame_support::{ensure, pallet_prelude::*, traits::Get};
use sp_runtime::traits::Saturating;
use vcity_primitives::{
	Balance, CapacityMeter, Clock, DeliveryOutcome, DeliveryReporter, GpuSeconds, GpuSpec, HeartbeatGate,
	HeartbeatMetrics, NodeId, NodeProfile, NodeRegistry, NodeSlashing, NodeStatus, PeriodIndex,
	ReputationTier,
};

impl<T: Config> Pallet<T> {
	/// A node's status now; Online and Offline follow from its heartbeats.
	pub fn status_of(id: NodeId, node: &NodeOf<T>) -> NodeStatus {
		match node.state {
			NodeState::Active if !Heartbeats::<T>::contains_key(id) => NodeStatus::Registered,
			NodeState::Active if Self::beat_recently(id) => NodeStatus::Online,
			NodeState::Active => NodeStatus::Offline,
			NodeState::Suspended { .. } => NodeStatus::Suspended,
			NodeState::Unbonding { .. } => NodeStatus::Unbonding,
			NodeState::Exited => NodeStatus::Exited,
			NodeState::Banned => NodeStatus::Banned,
		}
	}

	/// A node's reputation score decayed to now.
	pub fn reputation_now(node: &NodeOf<T>) -> u32 {
		reputation::decayed(&node.reputation, T::Clock::now_ms(), T::ReputationHalfLifeMs::get())
	}
}

impl<T: Config> NodeRegistry<T::AccountId, Balance> for Pallet<T> {
	fn online_compute_nodes(cursor: NodeId, limit: u32) -> (alloc::vec::Vec<NodeId>, Option<NodeId>) {
		Self::online_compute_page(cursor, limit)
	}

	fn compute_sample_space() -> (NodeId, u32) {
		(NextNodeId::<T>::get(), OnlineComputeNodes::<T>::count())
	}

	fn owner(node: NodeId) -> Option<T::AccountId> {
		Nodes::<T>::get(node).map(|n| n.owner)
	}

	fn operator(node: NodeId) -> Option<T::AccountId> {
		Nodes::<T>::get(node).map(|n| n.operator)
	}

	fn node_of_operator(operator: &T::AccountId) -> Option<NodeId> {
		NodeOfOperator::<T>::get(operator)
	}

	fn gpu_spec(node: NodeId) -> Option<GpuSpec> {
		Nodes::<T>::get(node).map(|n| n.gpu)
	}

	fn status(node: NodeId) -> Option<NodeStatus> {
		Nodes::<T>::get(node).map(|n| Self::status_of(node, &n))
	}

	fn stake(node: NodeId) -> Option<(Balance, Balance)> {
		let n = Nodes::<T>::get(node)?;
		Some((n.stake, Self::required_stake_of_node(&n.gpu).ok()?))
	}

	fn price_per_gpu_hour(node: NodeId) -> Option<Balance> {
		Nodes::<T>::get(node).map(|n| n.price_per_gpu_hour)
	}

	fn reputation_tier(node: NodeId) -> Option<ReputationTier> {
		Nodes::<T>::get(node).map(|n| reputation::tier(Self::reputation_now(&n)))
	}

	fn profile(id: NodeId) -> Option<NodeProfile<T::AccountId, Balance>> {
		let node = Nodes::<T>::get(id)?;
		let status = Self::status_of(id, &node);
		let reputation = Self::reputation_now(&node);
		// A spec the schedule cannot price is not staked: nothing can be asked of it, so nothing
		// is given to it (as the heartbeat credits it no capacity).
		let staked = Self::required_stake_of_node(&node.gpu).is_ok_and(|required| node.stake >= required);
		Some(NodeProfile {
			owner: node.owner,
			operator: node.operator,
			roles: node.roles,
			gpu: node.gpu,
			region: node.region,
			price_per_gpu_hour: node.price_per_gpu_hour,
			price_raised_ms: node.price_raised_ms,
			status,
			reputation,
			tier: reputation::tier(reputation),
			completion: node.history.completion(),
			staked,
		})
	}
}

impl<T: Config> NodeSlashing<T::AccountId, Balance> for Pallet<T> {
	fn held_stake(node: NodeId) -> Option<Balance> {
		Nodes::<T>::get(node).map(|n| n.stake)
	}

	fn slash(node: NodeId, amount: Balance, beneficiary: &T::AccountId) -> Result<Balance, DispatchError> {
		Self::do_slash(node, amount, beneficiary)
	}

	fn suspend(id: NodeId) -> DispatchResult {
		let mut node = Nodes::<T>::get(id).ok_or(Error::<T>::UnknownNode)?;
		let unlock_at = match node.state {
			NodeState::Active => None,
			NodeState::Unbonding { unlock_at } => Some(unlock_at),
			NodeState::Suspended { .. } => return Err(Error::<T>::NodeSuspended.into()),
			NodeState::Exited | NodeState::Banned => return Err(Error::<T>::NodeGone.into()),
		};
		Self::set_state(id, &mut node, NodeState::Suspended { unlock_at });
		Self::deposit_event(Event::NodeSuspended { node: id });
		Ok(())
	}

	fn resume(id: NodeId) -> DispatchResult {
		let mut node = Nodes::<T>::get(id).ok_or(Error::<T>::UnknownNode)?;
		let NodeState::Suspended { unlock_at } = node.state else {
			return Err(Error::<T>::NotSuspended.into());
		};
		let state = unlock_at.map_or(NodeState::Active, |unlock_at| NodeState::Unbonding { unlock_at });
		Self::set_state(id, &mut node, state);
		Self::deposit_event(Event::NodeResumed { node: id });
		Ok(())
	}

	fn ban(id: NodeId) -> DispatchResult {
		let mut node = Nodes::<T>::get(id).ok_or(Error::<T>::UnknownNode)?;
		ensure!(!matches!(node.state, NodeState::Exited | NodeState::Banned), Error::<T>::NodeGone);
		// Whatever stake the slashing pallet left is returned: the ban itself is not a penalty.
		Self::retire(id, &mut node, NodeState::Banned)?;
		Self::deposit_event(Event::NodeBanned { node: id });
		Ok(())
	}
}

impl<T: Config> DeliveryReporter for Pallet<T> {
	/// A node whose record was reaped has no reputation left to keep: its report is dropped, so
	/// the tasks it had a part in (a scheduler's, which do not keep its record) still settle.
	fn report_delivery(id: NodeId, outcome: DeliveryOutcome) -> DispatchResult {
		Nodes::<T>::mutate_exists(id, |maybe| {
			let Some(node) = maybe.as_mut() else { return Ok(()) };
			match outcome {
				DeliveryOutcome::Completed { .. } => node.history.tasks_completed.saturating_inc(),
				DeliveryOutcome::Failed => node.history.tasks_failed.saturating_inc(),
			}
			reputation::record_delivery::<T>(&mut node.reputation, T::Clock::now_ms(), outcome);
			Ok(())
		})
	}
}

impl<T: Config> CapacityMeter for Pallet<T> {
	fn available_gpu_seconds(period: PeriodIndex) -> GpuSeconds {
		AvailableCapacity::<T>::get(period)
	}
}

impl<T: Config> HeartbeatGate<T::AccountId> for Pallet<T> {
	fn heartbeat_due(operator: &T::AccountId, node: NodeId, metrics: &HeartbeatMetrics) -> bool {
		Self::check_heartbeat(operator, node, metrics).is_ok()
	}
}

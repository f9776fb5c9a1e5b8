//! What each dispatchable does. Every check runs before the first write, so a failed call
//! changes nothing.

use crate::{pallet::*, reputation, types::*};
use frame_support::{ensure, pallet_prelude::*};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Saturating;
use vcity_primitives::{Balance, Clock, GpuSpec, NodeId, OpenChecks, OpenWork, PenaltyStatus, Region};

impl<T: Config> Pallet<T> {
	/// Checks a GPU spec against the registry's bounds.
	pub fn ensure_valid_gpu_spec(gpu: &GpuSpec) -> Result<(), Error<T>> {
		ensure!(!gpu.model.is_empty(), Error::<T>::EmptyGpuModel);
		ensure!(gpu.count > 0, Error::<T>::ZeroGpuCount);
		ensure!(gpu.count <= T::MaxGpusPerNode::get(), Error::<T>::TooManyGpus);
		ensure!(gpu.vram_per_gpu_gib > 0, Error::<T>::ZeroVram);
		ensure!(gpu.vram_per_gpu_gib <= T::MaxVramPerGpuGib::get(), Error::<T>::VramTooLarge);
		Ok(())
	}

	fn ensure_operator_available(owner: &T::AccountId, operator: &T::AccountId) -> Result<(), Error<T>> {
		ensure!(owner != operator, Error::<T>::OperatorIsOwner);
		ensure!(!NodeOfOperator::<T>::contains_key(operator), Error::<T>::OperatorInUse);
		Ok(())
	}

	/// The node, if `who` owns it.
	fn owned_node(who: &T::AccountId, id: NodeId) -> Result<NodeOf<T>, Error<T>> {
		let node = Nodes::<T>::get(id).ok_or(Error::<T>::UnknownNode)?;
		ensure!(&node.owner == who, Error::<T>::NotOwner);
		Ok(node)
	}

	/// The node, if `who` owns it and it has not left for good.
	fn owned_live_node(who: &T::AccountId, id: NodeId) -> Result<NodeOf<T>, Error<T>> {
		let node = Self::owned_node(who, id)?;
		ensure!(!matches!(node.state, NodeState::Exited | NodeState::Banned), Error::<T>::NodeGone);
		Ok(node)
	}

	/// Stores a node's new state and keeps [`StateCounts`] in step. A node leaving service
	/// leaves the online index at once; it comes back with its next heartbeat.
	pub(crate) fn set_state(id: NodeId, node: &mut NodeOf<T>, state: NodeState<BlockNumberFor<T>>) {
		StateCounts::<T>::mutate(node.state.kind(), |c| c.saturating_dec());
		StateCounts::<T>::mutate(state.kind(), |c| c.saturating_inc());
		if state != NodeState::Active {
			OnlineComputeNodes::<T>::remove(id);
		}
		node.state = state;
		Nodes::<T>::insert(id, &*node);
	}

	/// Takes a node out for good: its stake goes back to the owner, its operator key is freed
	/// for another node, and the record stays as history. Returns the stake released.
	pub(crate) fn retire(
		id: NodeId,
		node: &mut NodeOf<T>,
		state: NodeState<BlockNumberFor<T>>,
	) -> Result<Balance, DispatchError> {
		let returned = Self::release_stake(node)?;
		node.stake = 0;
		NodeOfOperator::<T>::remove(&node.operator);
		Heartbeats::<T>::remove(id);
		Self::set_state(id, node, state);
		Ok(returned)
	}

	pub(crate) fn do_register_node(
		owner: T::AccountId,
		terms: Registration<T::AccountId>,
	) -> Result<NodeId, DispatchError> {
		ensure!(!terms.roles.is_empty(), Error::<T>::NoRoles);
		Self::ensure_valid_gpu_spec(&terms.gpu)?;
		ensure!(!terms.region.is_empty(), Error::<T>::EmptyRegion);
		ensure!(terms.price_per_gpu_hour > 0, Error::<T>::ZeroPrice);
		Self::ensure_operator_available(&owner, &terms.operator)?;
		let required_stake = Self::required_stake(&terms.gpu)?;
		ensure!(terms.stake >= required_stake, Error::<T>::StakeBelowRequired);
		let id = NextNodeId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let deposit = T::RecordDeposit::get();
		Self::ensure_can_hold(&owner, terms.stake.checked_add(deposit).ok_or(Error::<T>::Overflow)?)?;

		Self::hold_stake(&owner, terms.stake)?;
		Self::hold_record_deposit(&owner, id, deposit)?;
		let now = T::Clock::now_ms();
		let node = Node {
			owner: owner.clone(),
			operator: terms.operator.clone(),
			kind: terms.kind,
			roles: terms.roles,
			gpu: terms.gpu,
			region: terms.region,
			price_per_gpu_hour: terms.price_per_gpu_hour,
			price_raised_ms: now,
			stake: terms.stake,
			state: NodeState::Active,
			registered_at: frame_system::Pallet::<T>::block_number(),
			reputation: reputation::neutral(now),
			history: ServiceHistory::default(),
		};
		Nodes::<T>::insert(id, node);
		NodeOfOperator::<T>::insert(&terms.operator, id);
		NextNodeId::<T>::put(next);
		StateCounts::<T>::mutate(StateKind::Active, |c| c.saturating_inc());
		Self::deposit_event(Event::NodeRegistered {
			node: id,
			owner,
			operator: terms.operator,
			stake: terms.stake,
			required_stake,
		});
		Ok(id)
	}

	pub(crate) fn do_bond_extra(owner: T::AccountId, id: NodeId, amount: Balance) -> DispatchResult {
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		let mut node = Self::owned_live_node(&owner, id)?;
		let total = node.stake.checked_add(amount).ok_or(Error::<T>::Overflow)?;
		Self::hold_stake(&owner, amount)?;
		node.stake = total;
		Nodes::<T>::insert(id, node);
		Self::deposit_event(Event::StakeBonded { node: id, amount, total });
		Ok(())
	}

	pub(crate) fn do_update_price(
		owner: T::AccountId,
		id: NodeId,
		price_per_gpu_hour: Balance,
	) -> DispatchResult {
		ensure!(price_per_gpu_hour > 0, Error::<T>::ZeroPrice);
		let mut node = Self::owned_live_node(&owner, id)?;
		if price_per_gpu_hour > node.price_per_gpu_hour {
			node.price_raised_ms = T::Clock::now_ms();
		}
		node.price_per_gpu_hour = price_per_gpu_hour;
		Nodes::<T>::insert(id, node);
		Self::deposit_event(Event::PriceUpdated { node: id, price_per_gpu_hour });
		Ok(())
	}

	pub(crate) fn do_update_region(owner: T::AccountId, id: NodeId, region: Region) -> DispatchResult {
		ensure!(!region.is_empty(), Error::<T>::EmptyRegion);
		let mut node = Self::owned_live_node(&owner, id)?;
		node.region = region.clone();
		Nodes::<T>::insert(id, node);
		Self::deposit_event(Event::RegionUpdated { node: id, region });
		Ok(())
	}

	pub(crate) fn do_change_operator(
		owner: T::AccountId,
		id: NodeId,
		operator: T::AccountId,
	) -> DispatchResult {
		let mut node = Self::owned_live_node(&owner, id)?;
		Self::ensure_operator_available(&owner, &operator)?;
		NodeOfOperator::<T>::remove(&node.operator);
		NodeOfOperator::<T>::insert(&operator, id);
		node.operator = operator.clone();
		Nodes::<T>::insert(id, node);
		Self::deposit_event(Event::OperatorChanged { node: id, operator });
		Ok(())
	}

	pub(crate) fn do_deregister(owner: T::AccountId, id: NodeId) -> DispatchResult {
		let mut node = Self::owned_node(&owner, id)?;
		match node.state {
			NodeState::Active => {}
			NodeState::Unbonding { .. } => return Err(Error::<T>::AlreadyUnbonding.into()),
			NodeState::Suspended { .. } => return Err(Error::<T>::NodeSuspended.into()),
			NodeState::Exited | NodeState::Banned => return Err(Error::<T>::NodeGone.into()),
		}
		// An unbonding node may not start work, so a task it acknowledged would fail on its
		// account: it delivers or gives up what it committed to first.
		ensure!(T::OpenWork::committed_tasks(id) == 0, Error::<T>::CommittedTasks);
		let unlock_at = frame_system::Pallet::<T>::block_number().saturating_add(T::UnbondingPeriod::get());
		Self::set_state(id, &mut node, NodeState::Unbonding { unlock_at });
		Self::deposit_event(Event::UnbondingStarted { node: id, unlock_at });
		Ok(())
	}

	pub(crate) fn do_withdraw_unbonded(owner: T::AccountId, id: NodeId) -> DispatchResult {
		let mut node = Self::owned_node(&owner, id)?;
		let unlock_at = match node.state {
			NodeState::Unbonding { unlock_at } => unlock_at,
			NodeState::Suspended { .. } => return Err(Error::<T>::NodeSuspended.into()),
			_ => return Err(Error::<T>::NotUnbonding.into()),
		};
		ensure!(frame_system::Pallet::<T>::block_number() >= unlock_at, Error::<T>::StillUnbonding);
		ensure!(T::OpenWork::open_tasks(id) == 0, Error::<T>::OpenTasks);
		ensure!(!T::Penalties::slash_pending(id), Error::<T>::SlashPending);
		ensure!(!T::OpenChecks::checks_open(id), Error::<T>::ChallengePending);
		let returned = Self::retire(id, &mut node, NodeState::Exited)?;
		Self::deposit_event(Event::NodeExited { node: id, returned });
		Ok(())
	}

	/// Removes an exited node's record and returns its deposit. Checks first, then writes.
	pub(crate) fn do_reap_node(owner: T::AccountId, id: NodeId) -> DispatchResult {
		let node = Self::owned_node(&owner, id)?;
		ensure!(node.state == NodeState::Exited, Error::<T>::NodeNotExited);
		ensure!(!<T::RecordUse as vcity_primitives::NodeRecordUse>::in_use(id), Error::<T>::RecordInUse);
		let deposit = Self::release_record_deposit(&owner, id)?;
		Nodes::<T>::remove(id);
		StateCounts::<T>::mutate(StateKind::Exited, |c| c.saturating_dec());
		Self::deposit_event(Event::NodeReaped { node: id, owner, deposit });
		Ok(())
	}
}

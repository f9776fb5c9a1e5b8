//! What happens each block, and the invariants `try_state` checks.

use crate::{pallet::*, weights::WeightInfo};
use frame_support::pallet_prelude::*;
use vcity_primitives::{Clock, StakeMultiplierSource};

impl<T: Config> Pallet<T> {
	/// When a new period begins, re-sets the stake multiplier from supply and demand. O(1).
	/// Periods follow the chain clock, so a governance change of their length moves this cadence
	/// with the rewards'. The clock's period lengths are one read the measured weights predate.
	pub(crate) fn maybe_reset_multiplier() -> Weight {
		let period = T::Clock::period_index();
		let clock = T::DbWeight::get().reads(1);
		if period <= ScheduleUpdatedIn::<T>::get() {
			return T::WeightInfo::on_initialize_same_period().saturating_add(clock);
		}
		ScheduleUpdatedIn::<T>::put(period);
		let current = Schedule::<T>::get().multiplier;
		let proposed = T::StakeMultiplierSource::next_multiplier(current);
		let bounded = proposed.clamp(T::MinStakeMultiplier::get(), T::MaxStakeMultiplier::get());
		Self::put_multiplier(bounded);
		T::WeightInfo::on_initialize_new_period().saturating_add(clock)
	}

	/// Invariants: the currency holds exactly the stakes the registry records, for every owner;
	/// [`StateCounts`] match the node records; every operator key maps to a node that names it;
	/// every heartbeat belongs to a registered node; no id is at or past [`NextNodeId`].
	// Native builds have it too, so other pallets' tests and the runtime's check these invariants
	// after their own flows; the wasm runtime carries it only with `try-runtime`.
	#[cfg(any(feature = "try-runtime", feature = "std"))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use crate::types::*;
		use alloc::collections::btree_map::BTreeMap;
		use sp_runtime::traits::Saturating;
		use vcity_primitives::Balance;
		let mut stake_by_owner: BTreeMap<T::AccountId, Balance> = BTreeMap::new();
		let mut counts: BTreeMap<u8, u32> = BTreeMap::new();
		let next = NextNodeId::<T>::get();
		for (id, node) in Nodes::<T>::iter() {
			ensure!(id < next, "a node id is not below NextNodeId");
			stake_by_owner.entry(node.owner.clone()).or_default().saturating_accrue(node.stake);
			counts.entry(node.state.kind() as u8).or_default().saturating_inc();
			let live = !matches!(node.state, NodeState::Exited | NodeState::Banned);
			ensure!(
				(NodeOfOperator::<T>::get(&node.operator) == Some(id)) == live,
				"operator index disagrees with a node record"
			);
			ensure!(live || node.stake == 0, "an exited or banned node still has stake");
		}
		for (owner, stake) in stake_by_owner {
			ensure!(Self::held_stake_of(&owner) == stake, "held balance differs from the sum of node stakes");
		}
		for kind in StateKind::ALL {
			ensure!(
				StateCounts::<T>::get(kind) == counts.get(&(kind as u8)).copied().unwrap_or(0),
				"state counts differ from node records"
			);
		}
		for (id, _) in Heartbeats::<T>::iter() {
			ensure!(id < next && Nodes::<T>::contains_key(id), "a heartbeat names an unknown node");
		}
		for (operator, id) in NodeOfOperator::<T>::iter() {
			ensure!(
				Nodes::<T>::get(id).is_some_and(|n| n.operator == operator),
				"operator index points to a node that does not name it"
			);
		}
		Ok(())
	}
}

//! What happens each block, and the invariants `try_state` checks.

use crate::{pallet::*, weights::WeightInfo};
use frame_support::pallet_prelude::*;
use vcity_primitives::{Clock, StakeMarket};

impl<T: Config> Pallet<T> {
	/// When a new period begins, moves the stake multiplier one step toward where the last
	/// period's utilization and VCAI's price put it (docs/economics.md#stake-adjustment). O(1).
	/// The runtime runs this hook after the market's, which closes the last period's usage.
	/// Periods follow the chain clock, so a governance change of their length moves this cadence
	/// with the rewards'. The periods the grace counts are periods this hook saw: a stall over
	/// several periods counts as one. The extra read charged on a new period is the price
	/// history, which the benchmark's empty oracle does not reach.
	pub(crate) fn maybe_reset_multiplier() -> Weight {
		let period = T::Clock::period_index();
		let clock = T::DbWeight::get().reads(1);
		if period <= ScheduleUpdatedIn::<T>::get() {
			return T::WeightInfo::on_initialize_same_period().saturating_add(clock);
		}
		ScheduleUpdatedIn::<T>::put(period);
		let params = StakeAdjustmentParams::<T>::get();
		let utilization = T::StakeMarket::utilization(period.saturating_sub(1));
		let vcai_per_usdv = T::StakeMarket::vcai_per_usdv();
		let aim = params.aim(utilization, T::TargetUtilization::get(), vcai_per_usdv);
		let old = Schedule::<T>::get().multiplier;
		let (min, max) = (T::MinStakeMultiplier::get(), T::MaxStakeMultiplier::get());
		let new = aim.map_or(old, |aim| params.next_multiplier(old, aim, min, max));
		StakeGrace::<T>::mutate(|g| g.note_period_start(new));
		Self::put_multiplier(new);
		let enforced = StakeGrace::<T>::get().enforced;
		Self::deposit_event(Event::StakeAdjusted {
			period,
			utilization,
			vcai_per_usdv,
			aim,
			old,
			new,
			enforced,
		});
		T::WeightInfo::on_initialize_new_period().saturating_add(clock)
	}

	/// Invariants: the currency holds exactly the stakes the registry records, for every owner;
	/// [`StateCounts`] match the node records; every operator key maps to a node that names it;
	/// every heartbeat belongs to a registered node; no id is at or past [`NextNodeId`]; every
	/// record deposit is held from its record's owner; the online index holds only compute
	/// nodes in service, and its counter is its size.
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
		let grace = StakeGrace::<T>::get();
		let mut expected = grace.clone();
		expected.refresh(Schedule::<T>::get().multiplier);
		let target = StakeAdjustmentParams::<T>::get().grace_periods;
		ensure!(
			grace.cut.map_or(grace.grace == target, |(_, cut)| cut == target && cut < grace.grace),
			"the grace in force is neither the governed one nor a cut on its way to it"
		);
		ensure!(grace == expected, "the enforced multiplier is not the lowest over the grace");
		ensure!(
			grace.lows.last().is_some_and(|low| *low <= Schedule::<T>::get().multiplier),
			"the current period's low is above the multiplier in force"
		);
		let mut deposits_by_owner: BTreeMap<T::AccountId, Balance> = BTreeMap::new();
		for (id, deposit) in RecordDeposits::<T>::iter() {
			let node = Nodes::<T>::get(id).ok_or("a record deposit names no record")?;
			deposits_by_owner.entry(node.owner).or_default().saturating_accrue(deposit);
		}
		for (owner, deposits) in deposits_by_owner {
			ensure!(
				Self::held_record_deposits_of(&owner) == deposits,
				"held record deposits differ from the deposits of the owner's records"
			);
		}
		let mut online = 0u32;
		for id in OnlineComputeNodes::<T>::iter_keys() {
			let node = Nodes::<T>::get(id).ok_or("the online index names no record")?;
			ensure!(
				node.state == NodeState::Active && node.roles.compute,
				"the online index holds a node out of service or without the compute role"
			);
			online.saturating_inc();
		}
		ensure!(OnlineComputeNodes::<T>::count() == online, "the online index's count is off");
		for (operator, id) in NodeOfOperator::<T>::iter() {
			ensure!(
				Nodes::<T>::get(id).is_some_and(|n| n.operator == operator),
				"operator index points to a node that does not name it"
			);
		}
		Ok(())
	}
}

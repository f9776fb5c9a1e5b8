//! The stake schedule and the stake held for each node.

use crate::{pallet::*, types::*};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, InspectHold, MutateHold},
		tokens::{Fortitude, Precision, Preservation},
	},
};
use sp_runtime::{FixedPointNumber, FixedU128};
use vcity_primitives::{
	class_floor_vram_gib, gpu_class, Balance, CapacityRewards, GpuSpec, NodeId, StakeAdjustment,
};

impl StakeSchedule {
	/// Stake the schedule asks of `gpu` (docs/economics.md#stake): the per-GPU stake of the tier
	/// its memory falls in, the memory being at least its class's floor, times the GPU count,
	/// times what Proof of Capacity pays a GPU-second of it over a consumer card's (`factors`),
	/// times the multiplier. Stake follows what a node earns: more memory, a better class or a
	/// higher multi-GPU stage always needs more. `None` if the schedule has no tier or on
	/// overflow.
	pub fn required_stake(&self, gpu: &GpuSpec, factors: CapacityFactors) -> Option<Balance> {
		self.required_stake_at(gpu, factors, self.multiplier)
	}

	/// [`Self::required_stake`] at another multiplier (the one registered nodes are held to).
	pub fn required_stake_at(
		&self,
		gpu: &GpuSpec,
		factors: CapacityFactors,
		multiplier: FixedU128,
	) -> Option<Balance> {
		let vram = gpu.vram_per_gpu_gib.max(class_floor_vram_gib(gpu_class(&gpu.model)));
		let tier = self.tiers.iter().rev().find(|t| t.min_vram_per_gpu_gib <= vram)?;
		let base = tier.stake_per_gpu.checked_mul(gpu.count as Balance)?;
		let paid =
			Balance::from(factors.multi_gpu_permille).checked_mul(Balance::from(factors.class_permille))?;
		multiplier.checked_mul_int(base.checked_mul(paid)? / 1_000_000)
	}

	/// Whether the tiers start at 0 GiB, ascend strictly and each ask a non-zero stake.
	pub fn tiers_are_valid(&self) -> bool {
		let starts_at_zero = self.tiers.first().is_some_and(|t| t.min_vram_per_gpu_gib == 0);
		let ascending = self.tiers.windows(2).all(|w| w[0].min_vram_per_gpu_gib < w[1].min_vram_per_gpu_gib);
		starts_at_zero && ascending && self.tiers.iter().all(|t| t.stake_per_gpu > 0)
	}
}

impl<T: Config> Pallet<T> {
	/// Stake the current schedule requires of a GPU spec: what a new node registers with.
	pub fn required_stake(gpu: &GpuSpec) -> Result<Balance, Error<T>> {
		Self::required_stake_with(gpu, Schedule::<T>::get().multiplier)
	}

	/// Stake a registered node with this GPU spec must hold to be assigned tasks: at the lowest
	/// multiplier over the grace after a raise ([`MultiplierGrace`]), so it has time to top up.
	pub fn required_stake_of_node(gpu: &GpuSpec) -> Result<Balance, Error<T>> {
		Self::required_stake_with(gpu, StakeGrace::<T>::get().enforced)
	}

	fn required_stake_with(gpu: &GpuSpec, multiplier: FixedU128) -> Result<Balance, Error<T>> {
		let schedule = Schedule::<T>::get();
		ensure!(!schedule.tiers.is_empty(), Error::<T>::NoStakeSchedule);
		// At least 1.0× each: a factor governance set lower (a class or stage Proof of Capacity
		// pays less) must not take the stake, which is what a penalty takes, toward zero.
		let factors = CapacityFactors {
			multi_gpu_permille: T::CapacityRewards::multi_gpu_permille(gpu.total_vram_gib()).max(1_000),
			class_permille: T::CapacityRewards::class_permille(gpu_class(&gpu.model)).max(1_000),
		};
		schedule.required_stake_at(gpu, factors, multiplier).ok_or(Error::<T>::Overflow)
	}

	pub(crate) fn ensure_multiplier_in_bounds(multiplier: FixedU128) -> Result<(), Error<T>> {
		ensure!(
			(T::MinStakeMultiplier::get()..=T::MaxStakeMultiplier::get()).contains(&multiplier),
			Error::<T>::MultiplierOutOfBounds
		);
		Ok(())
	}

	/// Holds `amount` more of `owner`'s balance as stake, keeping the owner's account alive.
	pub(crate) fn hold_stake(owner: &T::AccountId, amount: Balance) -> DispatchResult {
		Self::ensure_can_hold(owner, amount)?;
		T::Currency::hold(&HoldReason::NodeStake.into(), owner, amount)
	}

	/// Whether `owner` can put `amount` on hold and keep its account alive.
	pub(crate) fn ensure_can_hold(owner: &T::AccountId, amount: Balance) -> DispatchResult {
		let spendable = T::Currency::reducible_balance(owner, Preservation::Preserve, Fortitude::Polite);
		ensure!(spendable >= amount, Error::<T>::InsufficientBalance);
		Ok(())
	}

	/// Holds the deposit for node `id`'s record.
	pub(crate) fn hold_record_deposit(owner: &T::AccountId, id: NodeId, deposit: Balance) -> DispatchResult {
		if deposit > 0 {
			T::Currency::hold(&HoldReason::NodeRecord.into(), owner, deposit)?;
			RecordDeposits::<T>::insert(id, deposit);
		}
		Ok(())
	}

	/// Returns the deposit held for node `id`'s record to its owner; returns the amount.
	pub(crate) fn release_record_deposit(owner: &T::AccountId, id: NodeId) -> Result<Balance, DispatchError> {
		let deposit = RecordDeposits::<T>::take(id);
		if deposit == 0 {
			return Ok(0);
		}
		T::Currency::release(&HoldReason::NodeRecord.into(), owner, deposit, Precision::Exact)
	}

	/// What `owner` has on hold for node records.
	pub fn held_record_deposits_of(owner: &T::AccountId) -> Balance {
		T::Currency::balance_on_hold(&HoldReason::NodeRecord.into(), owner)
	}

	/// Releases a node's whole stake to its owner; returns what was released.
	pub(crate) fn release_stake(node: &NodeOf<T>) -> Result<Balance, DispatchError> {
		T::Currency::release(&HoldReason::NodeStake.into(), &node.owner, node.stake, Precision::Exact)
	}

	/// Moves up to `amount` of a node's stake to `beneficiary`; the penalty never burns funds.
	pub(crate) fn do_slash(
		id: NodeId,
		amount: Balance,
		beneficiary: &T::AccountId,
	) -> Result<Balance, DispatchError> {
		Nodes::<T>::try_mutate(id, |maybe| {
			let node = maybe.as_mut().ok_or(Error::<T>::UnknownNode)?;
			let amount = amount.min(node.stake);
			if amount == 0 {
				return Ok(0);
			}
			let moved = T::Currency::transfer_on_hold(
				&HoldReason::NodeStake.into(),
				&node.owner,
				beneficiary,
				amount,
				Precision::Exact,
				frame_support::traits::tokens::Restriction::Free,
				Fortitude::Force,
			)?;
			node.stake = node.stake.saturating_sub(moved);
			Self::deposit_event(Event::NodeSlashed {
				node: id,
				amount: moved,
				beneficiary: beneficiary.clone(),
			});
			Ok(moved)
		})
	}

	pub(crate) fn do_set_stake_schedule(schedule: StakeSchedule) -> DispatchResult {
		ensure!(schedule.tiers_are_valid(), Error::<T>::InvalidStakeSchedule);
		Self::ensure_multiplier_in_bounds(schedule.multiplier)?;
		Schedule::<T>::put(&schedule);
		Self::note_in_force(schedule.multiplier);
		Self::deposit_event(Event::StakeScheduleSet { schedule });
		Ok(())
	}

	pub(crate) fn do_set_stake_multiplier(multiplier: FixedU128) -> DispatchResult {
		Self::ensure_multiplier_in_bounds(multiplier)?;
		let old = Self::put_multiplier(multiplier);
		if old != multiplier {
			Self::deposit_event(Event::StakeMultiplierSet { old, new: multiplier });
		}
		Ok(())
	}

	pub(crate) fn do_set_stake_adjustment(params: StakeAdjustment) -> DispatchResult {
		ensure!(params.is_valid(), Error::<T>::InvalidStakeAdjustment);
		StakeAdjustmentParams::<T>::put(params);
		let current = Schedule::<T>::get().multiplier;
		StakeGrace::<T>::mutate(|g| {
			g.set_grace(params.grace_periods);
			g.refresh(current);
		});
		Self::deposit_event(Event::StakeAdjustmentSet { params });
		Ok(())
	}

	/// Writes the multiplier in force and what registered nodes are held to; returns the old one.
	pub(crate) fn put_multiplier(new: FixedU128) -> FixedU128 {
		let old = Schedule::<T>::mutate(|s| core::mem::replace(&mut s.multiplier, new));
		Self::note_in_force(new);
		old
	}

	fn note_in_force(multiplier: FixedU128) {
		StakeGrace::<T>::mutate(|g| {
			g.note_in_force(multiplier);
			g.refresh(multiplier);
		});
	}

	/// Sum of what is held from an owner for all its nodes, as the currency sees it.
	pub fn held_stake_of(owner: &T::AccountId) -> Balance {
		T::Currency::balance_on_hold(&HoldReason::NodeStake.into(), owner)
	}

	pub(crate) fn build_genesis(config: &GenesisConfig<T>) -> DispatchResult {
		let tiers = config
			.stake_tiers
			.iter()
			.map(|&(min_vram_per_gpu_gib, stake_per_gpu)| StakeTier { min_vram_per_gpu_gib, stake_per_gpu })
			.collect::<alloc::vec::Vec<_>>();
		let schedule = StakeSchedule {
			tiers: BoundedVec::try_from(tiers).map_err(|_| Error::<T>::InvalidStakeSchedule)?,
			multiplier: FixedU128::saturating_from_rational(config.stake_multiplier_percent, 100),
		};
		ensure!(schedule.tiers_are_valid(), Error::<T>::InvalidStakeSchedule);
		Self::ensure_multiplier_in_bounds(schedule.multiplier)?;
		Self::ensure_window_in_bounds(config.heartbeat_window_ms)?;
		ensure!(config.stake_adjustment.is_valid(), Error::<T>::InvalidStakeAdjustment);
		let mut grace =
			MultiplierGrace { grace: config.stake_adjustment.grace_periods, ..Default::default() };
		grace.note_period_start(schedule.multiplier);
		grace.refresh(schedule.multiplier);
		StakeGrace::<T>::put(grace);
		StakeAdjustmentParams::<T>::put(config.stake_adjustment);
		Schedule::<T>::put(schedule);
		HeartbeatWindowMs::<T>::put(config.heartbeat_window_ms);
		NextNodeId::<T>::put(1);
		Ok(())
	}
}

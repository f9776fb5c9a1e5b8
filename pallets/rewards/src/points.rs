//! Points: what the registry's heartbeats and the market's settlements credit, in O(1) each.
//!
//! A node's Proof-of-Capacity points in a period are capacity × windows, with capacity the sum
//! over its beats of GPU-seconds × GPU-class factor × multi-GPU coefficient × stake factor, and
//! windows the beats that proved capacity. Stability is windows / (windows in the
//! period); that divisor is the same for every node and cancels out of every share, so the
//! pallet keeps capacity × windows. A beat changes the node's product from c·w to (c + Δ)(w + 1);
//! the period's total moves by the difference, so the total is exact without a scan.

use crate::{pallet::*, WeightInfo};
use frame_support::pallet_prelude::Weight;
use sp_runtime::traits::Saturating;
use vcity_primitives::{
	stage_factor, CapacityProof, CapacityRewards, Clock, DeliveryCredit, DeliveryRewards, GpuClass, NodeId,
	OnNodeBanned, PenaltyStatus, PeriodIndex, CHARGED_NETWORK_SIZE,
};

/// Points are kept in thousandths of a GPU-second, the factors' precision.
const MILLI: u128 = 1_000;
/// The stake factor, stake / required stake, is capped at 1.5 (docs/economics.md#proof-of-capacity).
pub const MAX_STAKE_FACTOR_PERMILLE: u128 = 1_500;

/// stake / required stake in thousandths, capped at 1.5×; a spec the schedule does not price
/// (no requirement known) counts as staked exactly, 1.0×.
pub fn stake_factor_permille(stake: u128, required: u128) -> u128 {
	if required == 0 {
		return MILLI;
	}
	stake.saturating_mul(MILLI).checked_div(required).unwrap_or(0).min(MAX_STAKE_FACTOR_PERMILLE)
}

impl<T: Config> Pallet<T> {
	/// Capacity a beat credits, in thousandths of a GPU-second.
	pub fn capacity_of(proof: &CapacityProof) -> u128 {
		let params = Params::<T>::get();
		let class = u128::from(params.gpu_class.of(proof.gpu_class));
		let multi = u128::from(stage_factor(&params.multi_gpu, proof.total_vram_gib));
		let stake = stake_factor_permille(proof.stake, proof.required_stake);
		// Each factor is at most 10× (1.5× for the stake), so this stays far inside u128.
		u128::from(proof.gpu_seconds).saturating_mul(class).saturating_mul(multi).saturating_mul(stake)
			/ (MILLI * MILLI)
	}
}

impl<T: Config> CapacityRewards for Pallet<T> {
	fn capacity_proven(proof: CapacityProof) {
		if T::Penalties::rewards_suspended(proof.node) {
			return;
		}
		let period = T::Clock::period_index();
		let added = Self::capacity_of(&proof);
		let mut growth = 0u128;
		NodePoints::<T>::mutate(proof.node, period, |maybe| {
			let points = maybe.get_or_insert_with(Default::default);
			let before = points.capacity_points();
			points.capacity.saturating_accrue(added);
			points.windows.saturating_inc();
			growth = points.capacity_points().saturating_sub(before);
		});
		PeriodTotals::<T>::mutate(period, |totals| totals.capacity.saturating_accrue(growth));
	}

	fn capacity_proven_weight() -> Weight {
		T::WeightInfo::capacity_proven(CHARGED_NETWORK_SIZE)
			.saturating_add(T::Penalties::penalty_status_weight())
	}

	fn multi_gpu_permille(total_vram_gib: u32) -> u32 {
		stage_factor(&Params::<T>::get().multi_gpu, total_vram_gib)
	}

	fn class_permille(class: GpuClass) -> u32 {
		Params::<T>::get().gpu_class.of(class)
	}
}

/// Proof-of-Delivery points of a settled delivery: the USDV paid × quality. Money paid, not
/// GPU-seconds declared, measures what was delivered: a node cannot inflate it by declaring
/// GPUs, only by paying, and what it pays itself is capped by the fee (`claims.rs`).
pub fn delivery_points(credit: &DeliveryCredit) -> u128 {
	credit.quality.mul_floor(credit.payment)
}

impl<T: Config> DeliveryRewards for Pallet<T> {
	fn delivered(node: NodeId, credit: DeliveryCredit) {
		let points = delivery_points(&credit);
		if points == 0 || T::Penalties::rewards_suspended(node) {
			return;
		}
		let period = T::Clock::period_index();
		NodePoints::<T>::mutate(node, period, |maybe| {
			let entry = maybe.get_or_insert_with(Default::default);
			entry.delivery.saturating_accrue(points);
			entry.fees.saturating_accrue(credit.protocol_fee);
		});
		PeriodTotals::<T>::mutate(period, |totals| totals.delivery.saturating_accrue(points));
	}

	fn delivered_weight() -> Weight {
		T::WeightInfo::delivered(CHARGED_NETWORK_SIZE).saturating_add(T::Penalties::penalty_status_weight())
	}

	fn void_delivery(node: NodeId, period: PeriodIndex, credit: DeliveryCredit) {
		let Some(mut points) = NodePoints::<T>::get(node, period) else { return };
		let taken = delivery_points(&credit).min(points.delivery);
		if taken == 0 || points.claimed {
			return;
		}
		let mut amount = 0;
		if period >= OpenPeriod::<T>::get() {
			PeriodTotals::<T>::mutate(period, |totals| totals.delivery.saturating_reduce(taken));
			points.delivery.saturating_reduce(taken);
			points.fees.saturating_reduce(credit.protocol_fee);
		} else if let Some(mut record) = Periods::<T>::get(period) {
			// The period's totals stay as snapshotted, so every other node's share stays; what
			// this node no longer gets is moved out of the period's books into the carry.
			let before = Self::node_share_before_cap(&record, &points);
			points.delivery.saturating_reduce(taken);
			points.fees.saturating_reduce(credit.protocol_fee);
			amount = before.saturating_sub(Self::node_share_before_cap(&record, &points));
			record.forfeited.saturating_accrue(amount);
			Periods::<T>::insert(period, record);
			Carry::<T>::mutate(|carry| carry.saturating_accrue(amount));
		}
		NodePoints::<T>::insert(node, period, points);
		Self::deposit_event(Event::DeliveryVoided { node, period, points: taken, amount });
	}

	fn void_delivery_weight() -> Weight {
		T::WeightInfo::void_delivery(CHARGED_NETWORK_SIZE)
	}
}

/// A banned node's points of the open period are voided: the period's totals drop by them, so
/// the other nodes share its pots. Its closed periods go back to the pool by `forfeit_rewards`.
impl<T: Config> OnNodeBanned for Pallet<T> {
	fn node_banned(node: NodeId) -> Weight {
		let period = OpenPeriod::<T>::get();
		if let Some(points) = NodePoints::<T>::take(node, period) {
			PeriodTotals::<T>::mutate(period, |totals| {
				totals.capacity.saturating_reduce(points.capacity_points());
				totals.delivery.saturating_reduce(points.delivery);
			});
			Self::deposit_event(Event::OpenPointsVoided {
				node,
				period,
				capacity: points.capacity_points(),
				delivery: points.delivery,
			});
		}
		Self::node_banned_weight()
	}

	fn node_banned_weight() -> Weight {
		<T::DbWeight as frame_support::traits::Get<_>>::get().reads_writes(3, 2)
	}
}

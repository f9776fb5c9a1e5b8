//! How the stake multiplier follows supply, demand and the token's price, once a period
//! (docs/economics.md#stake-adjustment).
//!
//! The multiplier aims at m* = demand × price: demand = 1 + g · (U_target − U), so stake rises
//! while capacity sits idle and falls when demand outruns it (entry gets cheaper when the network
//! needs GPUs); price = P / P_ref, P the day-average VCAI per USDV and P_ref the price the tier
//! table was set at, so a stake keeps its value in USDV when VCAI's price moves. A period moves
//! the multiplier at most `max_step` of itself toward m*, within the runtime's bounds.

use crate::VcaiPerUsdv;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_runtime::{
	traits::{One, Saturating},
	FixedPointNumber, FixedU128, Perbill,
};

/// Most periods of grace governance may give after a raise.
pub const MAX_STAKE_GRACE_PERIODS: u32 = 8;

/// The governed parameters of the weekly stake re-adjustment.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct StakeAdjustment {
	/// VCAI base units per whole USDV at which the tier table's stakes were set; 0 leaves the
	/// price out of the multiplier.
	#[serde(with = "crate::json::decimal")]
	pub reference_vcai_per_usdv: VcaiPerUsdv,
	/// g: how far each point of utilization below the target raises the aim (and each point
	/// above lowers it). 100%: an idle network aims 1.8×, a full one 0.8×.
	pub demand_gain: Perbill,
	/// Largest move of the multiplier in one period, as a share of the multiplier in force.
	pub max_step: Perbill,
	/// Whole periods after a raise during which a node's old requirement still counts: time to
	/// top up before it stops being assigned tasks.
	pub grace_periods: u32,
}

impl Default for StakeAdjustment {
	/// Price left out (no reference yet), g = 100%, 10% a period, two periods of grace.
	fn default() -> Self {
		Self {
			reference_vcai_per_usdv: 0,
			demand_gain: Perbill::one(),
			max_step: Perbill::from_percent(10),
			grace_periods: 2,
		}
	}
}

impl StakeAdjustment {
	/// Whether governance may set these: a step that can move the multiplier (at most 50% a
	/// period, so one week cannot double a node's requirement) and a bounded grace.
	pub fn is_valid(&self) -> bool {
		!self.max_step.is_zero()
			&& self.max_step <= Perbill::from_percent(50)
			&& self.grace_periods <= MAX_STAKE_GRACE_PERIODS
	}

	/// m*: where the multiplier aims, given the last period's utilization against the target and
	/// VCAI's price now. Without a utilization (nothing was available) demand counts as 1. With a
	/// reference price but no price now (the oracle restarts its day after a block without a
	/// pool) there is no aim, and the multiplier holds: falling back to 1 would undo the price's
	/// part of it in one period.
	pub fn aim(
		&self,
		utilization: Option<Perbill>,
		target: Perbill,
		vcai_per_usdv: Option<VcaiPerUsdv>,
	) -> Option<FixedU128> {
		let one = FixedU128::one();
		let demand = match utilization {
			Some(u) if u <= target => one.saturating_add(gain_of(self.demand_gain, target - u)),
			Some(u) => one.saturating_sub(gain_of(self.demand_gain, u - target)),
			None => one,
		};
		let price = match (vcai_per_usdv, self.reference_vcai_per_usdv) {
			(_, 0) => one,
			(Some(p), r) if p > 0 => {
				FixedU128::checked_from_rational(p, r).unwrap_or(FixedU128::from_inner(u128::MAX))
			}
			_ => return None,
		};
		Some(demand.saturating_mul(price))
	}

	/// The multiplier for the period that starts now: one step of at most `max_step` from
	/// `current` toward the aim, inside `min..=max`.
	pub fn next_multiplier(
		&self,
		current: FixedU128,
		aim: FixedU128,
		min: FixedU128,
		max: FixedU128,
	) -> FixedU128 {
		let step = current.saturating_mul(FixedU128::from_perbill(self.max_step));
		let (low, high) = (current.saturating_sub(step), current.saturating_add(step));
		aim.clamp(low, high).clamp(min, max)
	}
}

/// g × a distance in utilization, as a fixed-point number.
fn gain_of(gain: Perbill, distance: Perbill) -> FixedU128 {
	FixedU128::from_perbill(Perbill::from_parts(gain.mul_floor(distance.deconstruct())))
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_runtime::traits::Zero;

	const TARGET: Perbill = Perbill::from_percent(80);
	const VCAI_PER_USDV: VcaiPerUsdv = 100 * 1_000_000_000_000_000_000;

	fn adjustment() -> StakeAdjustment {
		StakeAdjustment { reference_vcai_per_usdv: VCAI_PER_USDV, ..Default::default() }
	}

	fn ratio(n: u128, d: u128) -> FixedU128 {
		FixedU128::from_rational(n, d)
	}

	#[test]
	fn idle_capacity_raises_the_aim_and_scarce_capacity_lowers_it() {
		let a = adjustment();
		let at = |percent| a.aim(Some(Perbill::from_percent(percent)), TARGET, Some(VCAI_PER_USDV)).unwrap();
		assert_eq!(at(80), FixedU128::one());
		assert_eq!(at(0), ratio(18, 10));
		assert_eq!(at(50), ratio(13, 10));
		assert_eq!(at(100), ratio(8, 10));
		assert_eq!(a.aim(None, TARGET, Some(VCAI_PER_USDV)), Some(FixedU128::one()), "no capacity: demand 1");
		assert_eq!(a.aim(Some(TARGET), TARGET, None), None, "a reference but no price: hold");
		let unpriced = StakeAdjustment::default();
		assert_eq!(unpriced.aim(None, TARGET, None), Some(FixedU128::one()), "no input, no move");
	}

	#[test]
	fn a_cheaper_token_asks_more_of_it_so_the_stake_keeps_its_value() {
		let a = adjustment();
		// VCAI at half its reference price: twice the VCAI per USDV, twice the stake in VCAI.
		assert_eq!(a.aim(Some(TARGET), TARGET, Some(2 * VCAI_PER_USDV)), Some(FixedU128::from_u32(2)));
		assert_eq!(a.aim(Some(TARGET), TARGET, Some(VCAI_PER_USDV / 4)), Some(ratio(1, 4)));
		let unpriced = StakeAdjustment::default();
		assert_eq!(unpriced.aim(Some(TARGET), TARGET, Some(2 * VCAI_PER_USDV)), Some(FixedU128::one()));
	}

	#[test]
	fn a_period_moves_at_most_one_step_inside_the_bounds() {
		let a = adjustment();
		let (min, max) = (ratio(1, 10), FixedU128::from_u32(10));
		let one = FixedU128::one();
		assert_eq!(a.next_multiplier(one, FixedU128::from_u32(3), min, max), ratio(11, 10));
		assert_eq!(a.next_multiplier(one, ratio(1, 100), min, max), ratio(9, 10));
		assert_eq!(a.next_multiplier(one, ratio(105, 100), min, max), ratio(105, 100));
		assert_eq!(a.next_multiplier(FixedU128::from_u32(10), FixedU128::from_u32(20), min, max), max);
		assert_eq!(a.next_multiplier(ratio(1, 10), FixedU128::zero(), min, max), min);
	}

	#[test]
	fn governance_keeps_the_step_and_the_grace_bounded() {
		assert!(StakeAdjustment::default().is_valid());
		let no_step = StakeAdjustment { max_step: Perbill::zero(), ..Default::default() };
		let leap = StakeAdjustment { max_step: Perbill::from_percent(51), ..Default::default() };
		let long_grace = StakeAdjustment { grace_periods: MAX_STAKE_GRACE_PERIODS + 1, ..Default::default() };
		assert!(!no_step.is_valid() && !leap.is_valid() && !long_grace.is_valid());
	}
}

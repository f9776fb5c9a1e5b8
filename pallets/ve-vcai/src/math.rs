//! The integer maths of weights and of the distributor, with the rounding that keeps every
//! payout at or below the exact share.
//!
//! Bounds relied on (all far above what the chain can reach): drops and locks below 2^100 base
//! units (10^30; total issuance is 10^28), day indices below 2^20 (2,800 years), and so slopes
//! below 2^60. Then `R·d·P` < 2^100 · 2^20 · 2^100 and `s·E·A` over a lock's life stay below
//! 2^256; every operation is checked anyway and an overflow is refused, never rounded.

use crate::types::Accumulator;
use sp_core::U256;
use sp_runtime::traits::IntegerSquareRoot;
use vcity_primitives::{Balance, DayIndex, VeWeight, VE_SLOPE_SCALE};

/// P: the accumulators' fixed-point scale, 10^30. With slopes below 10^17 (ten billion VCAI)
/// and days below 10^5, the rounding of A and B costs an account under 10^-8 base units a day.
pub fn precision() -> U256 {
	U256::exp10(30)
}

/// isqrt(amount × VE_SLOPE_SCALE), from the whole amount; `None` if it overflows.
pub fn slope_of(amount: Balance) -> Option<VeWeight> {
	amount.checked_mul(VE_SLOPE_SCALE).map(|scaled| scaled.integer_sqrt())
}

impl Accumulator {
	/// What a day with drop `drop` and start-of-day total `total_weight` adds: A rounded down,
	/// B rounded up, so every account's share computed from them is at most exact.
	pub fn for_day(drop: Balance, day: DayIndex, total_weight: VeWeight) -> Option<Self> {
		if total_weight == 0 {
			return None;
		}
		let weight = U256::from(total_weight);
		let scaled = U256::from(drop).checked_mul(precision())?;
		let a = scaled / weight;
		let b_numerator = scaled.checked_mul(U256::from(day))?;
		let b = b_numerator.checked_add(weight - 1)? / weight;
		Some(Self { a, b })
	}

	pub fn checked_add(&self, other: &Self) -> Option<Self> {
		Some(Self { a: self.a.checked_add(other.a)?, b: self.b.checked_add(other.b)? })
	}
}

/// Reward of a lock with `slope` ending on `unlock_day` over the days between two cumulative
/// accumulators (all before the unlock day): ⌊s·(E·ΔA − ΔB)/P⌋, never below zero.
/// `None` if the accumulators are out of order or the product overflows.
pub fn reward_between(
	slope: VeWeight,
	unlock_day: DayIndex,
	from: &Accumulator,
	to: &Accumulator,
) -> Option<Balance> {
	let delta_a = to.a.checked_sub(from.a)?;
	let delta_b = to.b.checked_sub(from.b)?;
	let gross = delta_a.checked_mul(U256::from(unlock_day))?;
	// Rounding A down and B up can leave a day's E·ΔA − ΔB a hair below zero for a lock that
	// earned almost nothing; it earns nothing then.
	let per_slope = gross.saturating_sub(delta_b);
	let reward = per_slope.checked_mul(U256::from(slope))? / precision();
	Balance::try_from(reward).ok()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn slope_is_the_square_root_of_the_scaled_amount() {
		assert_eq!(slope_of(1), Some(1_000));
		assert_eq!(slope_of(4), Some(2_000));
		assert_eq!(slope_of(2), Some(1_414));
		let ten_billion_vcai = 10_000_000_000 * vcity_primitives::VCAI;
		assert_eq!(slope_of(ten_billion_vcai), Some(100_000_000_000_000_000));
		assert_eq!(slope_of(u128::MAX), None);
	}

	#[test]
	fn one_day_pays_the_exact_share_when_it_divides() {
		// Two locks of slope 1 and 3 ending on day 10, day 6: weights 4 and 12 of 16.
		let acc = Accumulator::for_day(16_000, 6, 16).unwrap();
		let zero = Accumulator::default();
		assert_eq!(reward_between(1, 10, &zero, &acc), Some(4_000));
		assert_eq!(reward_between(3, 10, &zero, &acc), Some(12_000));
	}

	#[test]
	fn rounding_never_pays_more_than_the_share() {
		// Three equal weights share 10 base units: 3 each, one stays behind.
		let acc = Accumulator::for_day(10, 2, 3).unwrap();
		let zero = Accumulator::default();
		assert_eq!(reward_between(1, 3, &zero, &acc), Some(3));
		assert_eq!(Accumulator::for_day(10, 2, 0), None);
	}
}

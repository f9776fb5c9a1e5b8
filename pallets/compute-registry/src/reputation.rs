//! Reputation: a score in basis points built from online time, task completion and quality,
//! decaying toward neutral when nothing new is learned.
//!
//! Each observation moves the score a fixed fraction of the way toward a target (an exponential
//! moving average), so old behaviour fades and no counter can overflow. Decay is applied lazily,
//! whenever the score is read or updated.

use crate::{pallet::Config, types::Reputation};
use frame_support::traits::Get;
use sp_runtime::Perbill;
use vcity_primitives::{DeliveryOutcome, Moment, ReputationTier};

/// Highest score.
pub const MAX_SCORE: u32 = 10_000;
/// Where a new node starts and where every score drifts back to.
pub const NEUTRAL_SCORE: u32 = 5_000;
/// Score from which a node is Silver.
pub const SILVER_FROM: u32 = 6_000;
/// Score from which a node is Gold.
pub const GOLD_FROM: u32 = 8_000;

/// A completed task moves the score 1/20 of the way toward its quality.
const COMPLETION_STEP: u32 = 20;
/// A failed task moves the score 1/10 of the way toward zero: failures weigh double.
const FAILURE_STEP: u32 = 10;
/// A met heartbeat window moves the score 1/1000 of the way toward [`ONLINE_CEILING`]: online
/// duration counts, slowly.
const ONLINE_STEP: u32 = 1_000;
/// The highest score uptime alone can reach: just below Silver. Fee-share tiers above Bronze
/// are earned by delivering tasks, not by keeping an idle machine beating.
pub const ONLINE_CEILING: u32 = SILVER_FROM - 1;

/// A fresh reputation at `now_ms`.
pub fn neutral(now_ms: Moment) -> Reputation {
	Reputation { score: NEUTRAL_SCORE, updated_ms: now_ms }
}

/// The score decayed from `rep.updated_ms` to `now_ms`: its distance from neutral halves every
/// `half_life_ms`, linearly in between.
pub fn decayed(rep: &Reputation, now_ms: Moment, half_life_ms: Moment) -> u32 {
	let elapsed = now_ms.saturating_sub(rep.updated_ms);
	let (halvings, rest) = match (elapsed.checked_div(half_life_ms), elapsed.checked_rem(half_life_ms)) {
		(Some(h), Some(r)) => (h, r),
		_ => return rep.score,
	};
	if halvings >= 32 {
		return NEUTRAL_SCORE;
	}
	let mut distance = i128::from(rep.score) - i128::from(NEUTRAL_SCORE);
	distance >>= halvings;
	// Between two halvings, interpolate from `distance` to `distance / 2`. Scores are at most
	// 10,000 and `rest` below the half-life, so the i128 product cannot overflow.
	let within = (distance * i128::from(rest)) / (2 * i128::from(half_life_ms));
	(i128::from(NEUTRAL_SCORE) + distance - within).clamp(0, i128::from(MAX_SCORE)) as u32
}

/// Moves `score` one `1/step` of the way toward `target`, and at least one point, so a score
/// near its target still gets there instead of stalling on integer division.
fn step_toward(score: u32, target: u32, step: u32) -> u32 {
	let gap = target.abs_diff(score);
	let moved = gap.div_ceil(step.max(1)).min(gap);
	if target >= score {
		score.saturating_add(moved).min(MAX_SCORE)
	} else {
		score.saturating_sub(moved)
	}
}

fn observe<T: Config>(rep: &mut Reputation, now_ms: Moment, target: u32, step: u32) {
	observe_weighted::<T>(rep, now_ms, target, step, Perbill::one());
}

/// An observation worth `weight` of a full one: the score moves that share of its full step
/// (at least a point while the weight is not zero).
fn observe_weighted<T: Config>(
	rep: &mut Reputation,
	now_ms: Moment,
	target: u32,
	step: u32,
	weight: Perbill,
) {
	let current = decayed(rep, now_ms, T::ReputationHalfLifeMs::get());
	let full = step_toward(current, target, step);
	let moved = weight.mul_ceil(full.abs_diff(current));
	let score = if full >= current { current.saturating_add(moved) } else { current.saturating_sub(moved) };
	*rep = Reputation { score, updated_ms: now_ms };
}

/// A heartbeat window met. It lifts a score below [`ONLINE_CEILING`] and leaves a higher one
/// alone, untouched, so that score keeps decaying toward neutral unless tasks renew it.
pub fn record_online_window<T: Config>(rep: &mut Reputation, now_ms: Moment) {
	if decayed(rep, now_ms, T::ReputationHalfLifeMs::get()) < ONLINE_CEILING {
		observe::<T>(rep, now_ms, ONLINE_CEILING, ONLINE_STEP);
	}
}

/// A task outcome.
pub fn record_delivery<T: Config>(rep: &mut Reputation, now_ms: Moment, outcome: DeliveryOutcome) {
	match outcome {
		DeliveryOutcome::Completed { quality_percent, weight } => {
			let target = (quality_percent.min(100) as u32) * (MAX_SCORE / 100);
			observe_weighted::<T>(rep, now_ms, target, COMPLETION_STEP, weight)
		}
		DeliveryOutcome::Failed => observe::<T>(rep, now_ms, 0, FAILURE_STEP),
	}
}

/// The fee-share tier of a score.
pub fn tier(score: u32) -> ReputationTier {
	match score {
		s if s >= GOLD_FROM => ReputationTier::Gold,
		s if s >= SILVER_FROM => ReputationTier::Silver,
		_ => ReputationTier::Bronze,
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn decay_halves_the_distance_from_neutral_each_half_life() {
		let rep = Reputation { score: 9_000, updated_ms: 0 };
		assert_eq!(decayed(&rep, 0, 100), 9_000);
		assert_eq!(decayed(&rep, 100, 100), 7_000);
		assert_eq!(decayed(&rep, 200, 100), 6_000);
		assert_eq!(decayed(&rep, 50, 100), 8_000);
		let low = Reputation { score: 1_000, updated_ms: 0 };
		assert_eq!(decayed(&low, 100, 100), 3_000);
		assert_eq!(decayed(&low, 100 * 40, 100), NEUTRAL_SCORE);
	}

	#[test]
	fn steps_move_a_fraction_of_the_way_and_stay_in_range() {
		assert_eq!(step_toward(5_000, 10_000, 10), 5_500);
		assert_eq!(step_toward(5_000, 0, 10), 4_500);
		assert_eq!(step_toward(10_000, 10_000, 1), 10_000);
		assert_eq!(step_toward(0, 0, 1), 0);
	}

	#[test]
	fn tiers_follow_thresholds() {
		assert_eq!(tier(NEUTRAL_SCORE), ReputationTier::Bronze);
		assert_eq!(tier(SILVER_FROM - 1), ReputationTier::Bronze);
		assert_eq!(tier(SILVER_FROM), ReputationTier::Silver);
		assert_eq!(tier(GOLD_FROM), ReputationTier::Gold);
	}
}

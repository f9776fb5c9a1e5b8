//! What the pallet stores.

use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::{traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound};
use scale_info::TypeInfo;
use sp_core::U256;
use vcity_primitives::{Balance, DayIndex, VeWeight};

/// A lock as the account made it.
#[derive(Encode, Decode, TypeInfo, MaxEncodedLen, Clone, Copy, PartialEq, Eq, Debug)]
pub struct LockInfo {
	/// VCAI held, in base units.
	pub amount: Balance,
	/// First day with no weight; the lock can be withdrawn from its start on.
	pub unlock_day: DayIndex,
}

/// The slope and unlock day an account's snapshots use from day `from` on.
#[derive(Encode, Decode, TypeInfo, MaxEncodedLen, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Checkpoint {
	/// First snapshot day the values apply to: the day after the change was made.
	pub from: DayIndex,
	pub slope: VeWeight,
	pub unlock_day: DayIndex,
}

impl Checkpoint {
	/// slope × (unlock day − day) before the unlock day, zero from it on.
	pub fn weight_on(&self, day: DayIndex) -> VeWeight {
		let days_left = self.unlock_day.saturating_sub(day);
		self.slope.saturating_mul(days_left.into())
	}
}

/// An account's snapshot history and reward accrual.
#[derive(
	Encode, Decode, TypeInfo, MaxEncodedLen, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(MaxHistory))]
pub struct VeAccount<MaxHistory: Get<u32>> {
	/// Checkpoints by increasing `from`, at most one per day.
	pub checkpoints: BoundedVec<Checkpoint, MaxHistory>,
	/// False once the oldest checkpoints were dropped to make room: days before the first one
	/// kept are then unknown rather than zero.
	pub history_complete: bool,
	/// First day whose rewards have not been added to `owed` yet.
	pub accrued_to: DayIndex,
	/// Rewards accrued and not yet claimed.
	pub owed: Balance,
}

impl<MaxHistory: Get<u32>> Default for VeAccount<MaxHistory> {
	fn default() -> Self {
		Self { checkpoints: BoundedVec::new(), history_complete: true, accrued_to: 0, owed: 0 }
	}
}

impl<MaxHistory: Get<u32>> VeAccount<MaxHistory> {
	/// The checkpoint that applies to `day`'s snapshot, if the history reaches back that far.
	pub fn checkpoint_at(&self, day: DayIndex) -> Option<Option<&Checkpoint>> {
		let after = self.checkpoints.partition_point(|c| c.from <= day);
		match after.checked_sub(1) {
			Some(index) => Some(self.checkpoints.get(index)),
			None if self.history_complete => Some(None),
			None => None,
		}
	}

	/// Weight in `day`'s snapshot; `None` if the history no longer reaches back that far.
	pub fn weight_at(&self, day: DayIndex) -> Option<VeWeight> {
		self.checkpoint_at(day).map(|c| c.map_or(0, |c| c.weight_on(day)))
	}
}

/// The global weight as a line: `bias` on `day`, falling by `slope` a day, with the slope
/// of each lock removed on its unlock day.
#[derive(Encode, Decode, TypeInfo, MaxEncodedLen, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct GlobalPoint {
	/// The current day as far as the pallet knows: every day before it is closed.
	pub day: DayIndex,
	/// Σ weights on `day`, changes made during `day` included.
	pub bias: VeWeight,
	/// Σ slopes of locks unlocking after `day`.
	pub slope: VeWeight,
}

/// Σ over the days before the key of `R·P/W` (rounded down) and `R·d·P/W` (rounded up).
#[derive(Encode, Decode, TypeInfo, MaxEncodedLen, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Accumulator {
	pub a: U256,
	pub b: U256,
}

/// VCAI through the distributor since genesis.
#[derive(Encode, Decode, TypeInfo, MaxEncodedLen, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct DistributorLedger {
	/// Into the distributor's account through drops.
	pub dropped: Balance,
	/// Shared among lockers by closed days (what is still pending is `dropped − distributed`).
	pub distributed: Balance,
	/// Paid out by claims.
	pub claimed: Balance,
}

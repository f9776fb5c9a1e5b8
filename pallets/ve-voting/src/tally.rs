//! The tally `pallet-referenda` keeps for each referendum.

use crate::{pallet::Config, VoteChoice};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::marker::PhantomData;
use frame_support::{traits::VoteTally, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound};
use scale_info::TypeInfo;
use sp_runtime::Perbill;
use vcity_primitives::{DayIndex, VeWeight, VeWeights, MAJORITY_APPROVAL};

/// veVCAI weight for, against and abstaining on a referendum, all read in one snapshot: the
/// start of the day the referendum was submitted on, so a lock made later weighs nothing.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct VeTally<T> {
	/// The day whose start-of-day snapshot weighs every vote.
	pub snapshot_day: DayIndex,
	/// Σ of all weights in that snapshot: what the turnout is a share of.
	pub electorate: VeWeight,
	pub ayes: VeWeight,
	pub nays: VeWeight,
	pub abstains: VeWeight,
	/// Accounts whose vote counts.
	pub voters: u32,
	_config: PhantomData<T>,
}

impl<T> VeTally<T> {
	pub fn from_parts(snapshot_day: DayIndex, electorate: VeWeight) -> Self {
		Self { snapshot_day, electorate, ayes: 0, nays: 0, abstains: 0, voters: 0, _config: PhantomData }
	}

	/// Weight that voted at all.
	pub fn turnout(&self) -> VeWeight {
		self.ayes.saturating_add(self.nays).saturating_add(self.abstains)
	}

	fn side(&mut self, choice: VoteChoice) -> &mut VeWeight {
		match choice {
			VoteChoice::Aye => &mut self.ayes,
			VoteChoice::Nay => &mut self.nays,
			VoteChoice::Abstain => &mut self.abstains,
		}
	}

	/// Counts a vote. Saturating never bites: the weights in one snapshot sum to its electorate.
	pub fn add(&mut self, choice: VoteChoice, weight: VeWeight) {
		let side = self.side(choice);
		*side = side.saturating_add(weight);
		self.voters = self.voters.saturating_add(1);
	}

	/// Takes a counted vote back.
	pub fn remove(&mut self, choice: VoteChoice, weight: VeWeight) {
		let side = self.side(choice);
		*side = side.saturating_sub(weight);
		self.voters = self.voters.saturating_sub(1);
	}

	/// Share of the weight that took a side which is aye. Rounded down, except that more aye
	/// than nay weight always reports at least [`MAJORITY_APPROVAL`] and anything else at most half, so
	/// "more than 50%" is decided on the weights themselves, not on a rounded ratio.
	pub fn approval_ratio(&self) -> Perbill {
		let sides = self.ayes.saturating_add(self.nays);
		if sides == 0 {
			return Perbill::zero();
		}
		let ratio = Perbill::from_rational(self.ayes, sides);
		if self.ayes > self.nays {
			ratio.max(MAJORITY_APPROVAL)
		} else {
			ratio.min(Perbill::from_percent(50))
		}
	}

	/// Share of the electorate that voted, rounded down.
	pub fn support_ratio(&self) -> Perbill {
		if self.electorate == 0 {
			return Perbill::zero();
		}
		Perbill::from_rational(self.turnout().min(self.electorate), self.electorate)
	}
}

impl<T: Config, Class> VoteTally<VeWeight, Class> for VeTally<T> {
	/// A referendum is weighed in the snapshot of the day it was submitted on.
	fn new(_: Class) -> Self {
		let day = T::VeWeights::snapshot_day();
		Self::from_parts(day, T::VeWeights::total_weight_at(day).unwrap_or_default())
	}

	fn ayes(&self, _: Class) -> VeWeight {
		self.ayes
	}

	fn support(&self, _: Class) -> Perbill {
		self.support_ratio()
	}

	fn approval(&self, _: Class) -> Perbill {
		self.approval_ratio()
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn unanimity(_: Class) -> Self {
		let mut tally = Self::from_parts(0, BENCHMARK_ELECTORATE);
		tally.add(VoteChoice::Aye, BENCHMARK_ELECTORATE);
		tally
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn rejection(_: Class) -> Self {
		let mut tally = Self::from_parts(0, BENCHMARK_ELECTORATE);
		tally.add(VoteChoice::Nay, BENCHMARK_ELECTORATE);
		tally
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn from_requirements(support: Perbill, approval: Perbill, _: Class) -> Self {
		let turnout = support.mul_ceil(BENCHMARK_ELECTORATE);
		let ayes = approval.mul_ceil(turnout);
		let mut tally = Self::from_parts(0, BENCHMARK_ELECTORATE);
		tally.add(VoteChoice::Aye, ayes);
		tally.add(VoteChoice::Nay, turnout.saturating_sub(ayes));
		tally
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn setup(_: Class, _: Perbill) {}
}

/// The electorate of the tallies `pallet-referenda`'s benchmarks build.
#[cfg(feature = "runtime-benchmarks")]
const BENCHMARK_ELECTORATE: VeWeight = 1_000_000_000_000;

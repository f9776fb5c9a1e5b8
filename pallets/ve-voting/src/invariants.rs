//! What must hold after every block (`try_state`).

use crate::{pallet::*, PollIndexOf, VeTally, VoteChoice};
use alloc::collections::BTreeMap;
use frame_support::traits::Polling;
use sp_runtime::TryRuntimeError;
use vcity_primitives::{VeWeight, VeWeights};

impl<T: Config> Pallet<T> {
	/// For every ongoing referendum: each side of its tally is the sum of the votes recorded on
	/// it, the voters are the votes counted, each vote's weight is the voter's weight in the
	/// snapshot, and the turnout never exceeds the snapshot's total.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut sums: BTreeMap<PollIndexOf<T>, ([VeWeight; 3], u32)> = BTreeMap::new();
		let mut snapshots = BTreeMap::new();
		for (poll, who, vote) in VoteOf::<T>::iter() {
			let Some((tally, _)) = T::Polls::as_ongoing(poll) else { continue };
			let snapshot = *snapshots.entry(poll).or_insert(tally.snapshot_day);
			if T::VeWeights::weight_at(&who, snapshot).is_some_and(|weight| weight != vote.weight) {
				return Err("a vote is counted at a weight other than the voter's in the snapshot".into());
			}
			let (sides, voters) = sums.entry(poll).or_default();
			let side = match vote.choice {
				VoteChoice::Aye => 0,
				VoteChoice::Nay => 1,
				VoteChoice::Abstain => 2,
			};
			sides[side] = sides[side].saturating_add(vote.weight);
			*voters = voters.saturating_add(1);
		}
		for (poll, (sides, voters)) in sums {
			let Some((tally, _)) = T::Polls::as_ongoing(poll) else { continue };
			let tally: VeTally<T> = tally;
			if [tally.ayes, tally.nays, tally.abstains] != sides || tally.voters != voters {
				return Err("a referendum's tally differs from the votes recorded on it".into());
			}
			if tally.turnout() > tally.electorate {
				return Err("more weight voted than the snapshot holds".into());
			}
		}
		Ok(())
	}
}

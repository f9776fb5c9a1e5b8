//! The tally against a brute-force reference over random lock histories.
//!
//! The reference keeps, for every account, the lock terms (amount, unlock day) in force from
//! each day on, and recomputes every weight from them: isqrt(amount × 10^6) × days left,
//! counted from the start of the snapshot day. It shares no code with veVCAI's checkpoints or
//! with the tally. After every step, each ongoing poll's tally must equal the sums the reference
//! computes from the votes cast, and every vote must be accepted or refused as it predicts.

use super::*;
use crate::Error;
use vcity_primitives::{VeWeight, VE_SLOPE_SCALE};

const ACCOUNTS: core::ops::RangeInclusive<AccountId> = 10..=17;

/// xorshift64*: deterministic, so a failing case can be replayed from its seed.
struct Rng(u64);
impl Rng {
	fn next(&mut self) -> u64 {
		self.0 ^= self.0 >> 12;
		self.0 ^= self.0 << 25;
		self.0 ^= self.0 >> 27;
		self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
	}
	fn below(&mut self, n: u64) -> u64 {
		self.next() % n
	}
	/// From one VCAI to a hundred million, over every order of magnitude between.
	fn amount(&mut self) -> Balance {
		let digits = self.below(9) as u32;
		VCAI * 10u128.pow(digits) * u128::from(self.below(9) + 1)
	}
}

/// Integer square root by bisection: slow and obviously right.
fn isqrt(n: u128) -> u128 {
	let (mut low, mut high) = (0u128, 1u128 << 64);
	while low + 1 < high {
		let mid = (low + high) / 2;
		if mid.checked_mul(mid).is_some_and(|square| square <= n) {
			low = mid;
		} else {
			high = mid;
		}
	}
	low
}

#[derive(Default)]
struct Model {
	/// Per account: the lock terms in force from each snapshot day on (None once withdrawn).
	terms: BTreeMap<AccountId, BTreeMap<DayIndex, Option<(Balance, DayIndex)>>>,
	/// Votes cast on each poll: account → (choice, weight the reference gave it).
	votes: BTreeMap<PollIndex, BTreeMap<AccountId, (VoteChoice, VeWeight)>>,
	/// Each poll's snapshot day.
	snapshots: BTreeMap<PollIndex, DayIndex>,
}

impl Model {
	/// Records the account's lock as the chain holds it now: it applies from tomorrow's snapshot.
	fn note(&mut self, who: AccountId) {
		let lock = pallet_ve_vcai::Locks::<Test>::get(who).map(|l| (l.amount, l.unlock_day));
		self.terms.entry(who).or_default().insert(today() + 1, lock);
	}

	fn weight(&self, who: AccountId, day: DayIndex) -> VeWeight {
		let Some(history) = self.terms.get(&who) else { return 0 };
		match history.range(..=day).next_back() {
			Some((_, Some((amount, unlock_day)))) if *unlock_day > day => {
				isqrt(amount * VE_SLOPE_SCALE) * VeWeight::from(unlock_day - day)
			}
			_ => 0,
		}
	}

	/// Whether veVCAI still keeps the account's checkpoint for `day`: it keeps the latest
	/// `MAX_HISTORY`, one per day of change.
	fn history_reaches(&self, who: AccountId, day: DayIndex) -> bool {
		let Some(history) = self.terms.get(&who) else { return true };
		let later = history.range(day + 1..).count() as u32;
		later < MAX_HISTORY || history.len() as u32 <= MAX_HISTORY
	}

	fn expected_vote(&self, who: AccountId, poll: PollIndex) -> Result<VeWeight, Error<Test>> {
		let day = self.snapshots[&poll];
		if !self.history_reaches(who, day) {
			return Err(Error::<Test>::SnapshotUnavailable);
		}
		match self.weight(who, day) {
			0 => Err(Error::<Test>::NoWeight),
			weight => Ok(weight),
		}
	}

	fn check_tally(&self, poll: PollIndex) {
		let Some((tally, _)) = TestPolls::as_ongoing(poll) else { return };
		let day = self.snapshots[&poll];
		let electorate: VeWeight = ACCOUNTS.map(|who| self.weight(who, day)).sum();
		let mut sides = [0u128; 3];
		let votes = self.votes.get(&poll).cloned().unwrap_or_default();
		for (choice, weight) in votes.values() {
			sides[*choice as usize] += weight;
		}
		assert_eq!(tally.snapshot_day, day);
		assert_eq!(tally.electorate, electorate, "poll {poll}: electorate");
		assert_eq!([tally.ayes, tally.nays, tally.abstains], sides, "poll {poll}: sides");
		assert_eq!(tally.voters as usize, votes.len(), "poll {poll}: voters");
	}
}

/// Votes the reference predicted accepted, refused for no weight and refused for a history too short.
type Outcomes = [u32; 3];

fn replay(seed: u64, steps: u32) -> Outcomes {
	let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
	let mut model = Model::default();
	let mut ongoing: Vec<PollIndex> = Vec::new();
	let mut outcomes: Outcomes = [0; 3];
	for _ in 0..steps {
		let who = 10 + rng.below(8);
		let origin = RuntimeOrigin::signed(who);
		let lock = pallet_ve_vcai::Locks::<Test>::get(who);
		let amount = rng.amount();
		let affordable = Balances::free_balance(who) > amount;
		let live = lock.is_some_and(|l| l.unlock_day > today());
		match rng.below(10) {
			0 | 1 if lock.is_none() && affordable => {
				let unlock = today() + 2 + rng.below(1_400) as DayIndex;
				assert_ok!(VeVcai::create_lock(origin, amount, time_of(unlock, 0)));
				model.note(who);
			}
			0 | 1 if live && affordable => {
				assert_ok!(VeVcai::increase_amount(origin, amount));
				model.note(who);
			}
			2 if live => {
				let unlock_day = lock.map_or(0, |l| l.unlock_day);
				let to = (unlock_day + 1 + rng.below(60) as DayIndex).min(today() + 1_400);
				if to > unlock_day {
					assert_ok!(VeVcai::extend_unlock(origin, time_of(to, 0)));
					model.note(who);
				}
			}
			2 if lock.is_some() => {
				assert_ok!(VeVcai::withdraw(origin));
				model.note(who);
			}
			3 => {
				// Now and then a long stall, past many unlock days.
				let span = if rng.below(8) == 0 { 400 } else { 3 };
				go_to_day(today() + 1 + rng.below(span) as DayIndex);
			}
			4 => {
				let poll = submit(rng.below(2) as Class);
				model.snapshots.insert(poll, pallet_ve_vcai::Global::<Test>::get().day);
				ongoing.push(poll);
			}
			5..=7 if !ongoing.is_empty() => {
				let poll = ongoing[rng.below(ongoing.len() as u64) as usize];
				let choice = [VoteChoice::Aye, VoteChoice::Nay, VoteChoice::Abstain][rng.below(3) as usize];
				let result = vote(who, poll, choice);
				match model.expected_vote(who, poll) {
					Ok(weight) => {
						assert_ok!(result);
						model.votes.entry(poll).or_default().insert(who, (choice, weight));
						outcomes[0] += 1;
					}
					Err(error) => {
						outcomes[if matches!(error, Error::<Test>::NoWeight) { 1 } else { 2 }] += 1;
						assert_eq!(result, Err(error.into()));
					}
				}
			}
			8 if !ongoing.is_empty() => {
				let poll = ongoing[rng.below(ongoing.len() as u64) as usize];
				let had = model.votes.entry(poll).or_default().remove(&who).is_some();
				let result = VeVoting::remove_vote(origin, poll);
				assert_eq!(result.is_ok(), had);
			}
			9 if !ongoing.is_empty() => {
				let poll = ongoing.swap_remove(rng.below(ongoing.len() as u64) as usize);
				decide(poll, rng.below(2) == 0);
			}
			_ => {}
		}
		for poll in &ongoing {
			model.check_tally(*poll);
		}
	}
	outcomes
}

#[test]
fn tallies_match_the_reference_over_random_lock_histories() {
	let mut total: Outcomes = [0; 3];
	for seed in 0..80 {
		test(|| {
			let outcomes = replay(seed, 160);
			(0..3).for_each(|i| total[i] += outcomes[i]);
		});
	}
	// Every path was taken, many times.
	println!("votes accepted, refused without weight, refused for history: {total:?}");
	assert!(total.iter().all(|count| *count >= 10), "{total:?}");
}

#[test]
fn the_reference_square_root_is_exact() {
	for n in [0u128, 1, 2, 3, 4, 15, 16, 17, 10u128.pow(26), 10u128.pow(33) + 7, u128::MAX] {
		let root = isqrt(n);
		assert!(root * root <= n);
		assert!((root + 1).checked_mul(root + 1).is_none_or(|next| next > n));
	}
}

//! The pallet against a brute-force reference: random histories of locks, increases,
//! extensions, withdrawals, drops, claims and days, replayed on a model that recomputes every
//! weight from the locks and every share as an exact rational.
//!
//! After every step: the global weight equals the sum of the account weights exactly (live and
//! in the day's snapshot); claimed + owed never exceeds what was distributed; no account is ever
//! paid more than its exact share; and an account's shortfall stays below 2 base units per
//! accrual (each accrual rounds at most two segments down; the accumulators' own rounding adds
//! under 10^-8 base units a day).

use super::*;
use alloc::collections::BTreeMap;
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{ToPrimitive, Zero};
use sp_runtime::DispatchError;
use vcity_primitives::VE_MAX_LOCK_DAYS;

const ACCOUNTS: [AccountId; 6] = [ALICE, BOB, CHARLIE, DAVE, 10, 11];

/// xorshift64*: deterministic, so a failing case can be replayed from its number.
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
	/// Amounts over many orders of magnitude, from one base unit to 10^26.
	fn amount(&mut self) -> Balance {
		if self.below(50) == 0 {
			// Now and then a billion VCAI or more: the whale end of the range.
			return 10u128.pow(27) + u128::from(self.below(1_000));
		}
		let digits = self.below(27) as u32;
		let mantissa = u128::from(self.below(9) + 1);
		mantissa * 10u128.pow(digits) + u128::from(self.below(1_000))
	}
	fn pick(&mut self) -> AccountId {
		ACCOUNTS[self.below(ACCOUNTS.len() as u64) as usize]
	}
}

#[derive(Default)]
struct Model {
	/// Every day before this one is closed.
	day: DayIndex,
	locks: BTreeMap<AccountId, (Balance, DayIndex)>,
	/// Weights in the snapshot of `day`, taken from the locks when the day began.
	snapshot: BTreeMap<AccountId, u128>,
	pending_drop: Balance,
	distributed: Balance,
	exact: BTreeMap<AccountId, BigRational>,
	paid: BTreeMap<AccountId, Balance>,
	accruals: BTreeMap<AccountId, u32>,
	shared_days: BTreeMap<AccountId, u32>,
}

impl Model {
	fn weight(lock: &(Balance, DayIndex), day: DayIndex) -> u128 {
		slope(lock.0) * u128::from(lock.1.saturating_sub(day))
	}

	fn live_total(&self, day: DayIndex) -> u128 {
		self.locks.values().map(|l| Self::weight(l, day)).sum()
	}

	fn close_to(&mut self, day: DayIndex) {
		while self.day < day {
			let total: u128 = self.snapshot.values().sum();
			if self.pending_drop > 0 && total > 0 {
				let drop = BigInt::from(self.pending_drop);
				for (who, weight) in self.snapshot.iter().filter(|(_, w)| **w > 0) {
					let share = BigRational::new(&drop * BigInt::from(*weight), BigInt::from(total));
					*self.exact.entry(*who).or_insert_with(BigRational::zero) += share;
					*self.shared_days.entry(*who).or_default() += 1;
				}
				self.distributed += self.pending_drop;
				self.pending_drop = 0;
			}
			self.day += 1;
			let day = self.day;
			self.snapshot = self.locks.iter().map(|(who, l)| (*who, Self::weight(l, day))).collect();
		}
	}

	fn accrued(&mut self, who: AccountId) {
		*self.accruals.entry(who).or_default() += 1;
	}
}

#[derive(Default)]
struct Summary {
	steps: u64,
	calls_ok: u64,
	calls_refused: u64,
	worst_shortfall: f64,
	worst_shortfall_per_day: f64,
}

fn check(model: &Model, summary: &mut Summary) {
	let point = Global::<Test>::get();
	assert_eq!(point.day, model.day);
	assert_eq!(point.bias, model.live_total(model.day), "live global weight");
	let snapshot_total: u128 = model.snapshot.values().sum();
	assert_eq!(TotalWeightAt::<Test>::get(model.day), snapshot_total, "snapshot total");
	let accounts_total: u128 = ACCOUNTS.iter().map(|a| VeVcai::weight_at(a, model.day).unwrap()).sum();
	assert_eq!(accounts_total, snapshot_total, "Σ account snapshot weights");
	let ledger = DistributorTotals::<Test>::get();
	assert_eq!(ledger.distributed, model.distributed);
	assert_eq!(PendingDrop::<Test>::get(), model.pending_drop);
	let mut paid_and_owed = 0;
	for who in ACCOUNTS {
		let paid = model.paid.get(&who).copied().unwrap_or_default();
		let owed = VeVcai::pending_rewards(&who);
		paid_and_owed += paid + owed;
		let exact = model.exact.get(&who).cloned().unwrap_or_else(BigRational::zero);
		let got = BigRational::from_integer(BigInt::from(paid + owed));
		assert!(got <= exact, "account {who} over-paid: {paid} + {owed} > {exact}");
		let shortfall = (exact - got).to_f64().unwrap_or(f64::MAX);
		let accruals = model.accruals.get(&who).copied().unwrap_or_default();
		assert!(
			shortfall < 2.0 * f64::from(accruals + 1),
			"account {who} short by {shortfall} after {accruals} accruals"
		);
		summary.worst_shortfall = summary.worst_shortfall.max(shortfall);
		let days = model.shared_days.get(&who).copied().unwrap_or_default().max(1);
		summary.worst_shortfall_per_day = summary.worst_shortfall_per_day.max(shortfall / f64::from(days));
	}
	assert!(paid_and_owed <= ledger.distributed, "claimed + owed > distributed");
	assert_ok!(VeVcai::do_try_state());
}

/// What a call returned, with the day closing it did applied to the model first.
fn record(
	model: &mut Model,
	summary: &mut Summary,
	result: Result<(), DispatchError>,
	expect_ok: bool,
) -> bool {
	assert_eq!(result.is_ok(), expect_ok, "{result:?}");
	if result.is_ok() {
		summary.calls_ok += 1;
		// An accepted call closed every day before today, by the model's own reckoning.
		model.close_to(super::today());
	} else {
		summary.calls_refused += 1;
	}
	result.is_ok()
}

fn run_case(case: u64, steps: u32, summary: &mut Summary) {
	test(|| {
		let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ (case + 1).wrapping_mul(0xbf58_476d_1ce4_e5b9));
		let mut model = Model::default();
		for _ in 0..steps {
			summary.steps += 1;
			let today = super::today();
			let who = rng.pick();
			let signed = RuntimeOrigin::signed(who);
			match rng.below(100) {
				0..=17 => {
					let amount = rng.amount();
					let range = if rng.below(10) == 0 { 1_500 } else { 40 };
					let unlock_day = today + 1 + rng.below(range) as u32;
					let ok = !model.locks.contains_key(&who)
						&& unlock_day >= today + 2
						&& unlock_day - today <= VE_MAX_LOCK_DAYS
						&& free(who) - EXISTENTIAL_DEPOSIT >= amount;
					let result = VeVcai::create_lock(signed, amount, time_of(unlock_day, rng.below(DAY_MS)));
					if record(&mut model, summary, result, ok) {
						model.accrued(who);
						model.locks.insert(who, (amount, unlock_day));
					}
				}
				18..=29 => {
					let amount = rng.amount();
					let ok = model.locks.get(&who).is_some_and(|l| l.1 > today)
						&& free(who) - EXISTENTIAL_DEPOSIT >= amount;
					if record(&mut model, summary, VeVcai::increase_amount(signed, amount), ok) {
						model.accrued(who);
						model.locks.get_mut(&who).unwrap().0 += amount;
					}
				}
				30..=39 => {
					let unlock_day = today + 1 + rng.below(60) as u32;
					let ok = model.locks.get(&who).is_some_and(|l| l.1 > today && unlock_day > l.1);
					let result = VeVcai::extend_unlock(signed, time_of(unlock_day, 0));
					if record(&mut model, summary, result, ok) {
						model.accrued(who);
						model.locks.get_mut(&who).unwrap().1 = unlock_day;
					}
				}
				40..=49 => {
					let ok = model.locks.get(&who).is_some_and(|l| l.1 <= today);
					if record(&mut model, summary, VeVcai::withdraw(signed), ok) {
						model.accrued(who);
						model.locks.remove(&who);
					}
				}
				50..=64 => {
					let amount =
						if rng.below(4) == 0 { rng.below(10) as u128 + 1 } else { rng.amount() / 100 + 1 };
					assert_ok!(VeVcai::drop_rewards(RuntimeOrigin::signed(TREASURY), amount));
					summary.calls_ok += 1;
					model.close_to(super::today());
					model.pending_drop += amount;
				}
				65..=79 => {
					let before = free(who);
					match VeVcai::claim(signed) {
						Ok(()) => {
							summary.calls_ok += 1;
							model.close_to(super::today());
							model.accrued(who);
							*model.paid.entry(who).or_default() += free(who) - before;
						}
						Err(e) => {
							summary.calls_refused += 1;
							assert_eq!(e, Error::<Test>::NothingToClaim.into());
						}
					}
				}
				80..=91 => {
					// A new day whose first call, not the hook, closes the day before (at most
					// one day can be left to a call; more is a stall, which the hook closes).
					if Global::<Test>::get().day == today {
						set_day(today + 1);
					} else {
						go_to_day(today + 1);
						model.close_to(today + 1);
					}
				}
				_ => {
					let day = today + 1 + rng.below(2 * u64::from(MAX_CATCH_UP_DAYS)) as u32;
					go_to_day(day);
					model.close_to(day);
				}
			}
			check(&model, summary);
		}
	});
}

#[test]
fn the_pallet_matches_the_brute_force_reference() {
	let cases: u64 = std::env::var("VE_REFERENCE_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(200);
	let mut summary = Summary::default();
	for case in 0..cases {
		run_case(case, 80, &mut summary);
	}
	println!(
		"reference: {cases} histories, {} steps, {} calls accepted, {} refused; worst shortfall {:.6} base units, \
		 {:.6} per day shared",
		summary.steps, summary.calls_ok, summary.calls_refused, summary.worst_shortfall, summary.worst_shortfall_per_day
	);
	assert!(summary.calls_ok > summary.steps / 3, "most histories must do something");
}

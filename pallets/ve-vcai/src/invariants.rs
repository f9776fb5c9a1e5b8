//! The pallet's invariants, checked by `try_state` (and after every unit test).

use crate::{math::slope_of, pallet::*};
use alloc::collections::BTreeMap;
use frame_support::{
	ensure,
	traits::fungible::{Inspect, InspectHold},
};
use sp_runtime::TryRuntimeError;
use vcity_primitives::{Balance, DayIndex, VeWeight};

impl<T: Config> Pallet<T> {
	/// Scans every lock and account: for `try_state` and tests only, never on chain.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let point = Global::<T>::get();
		let day = point.day;
		let mut locked: Balance = 0;
		let mut bias: VeWeight = 0;
		let mut slope: VeWeight = 0;
		let mut ending: BTreeMap<DayIndex, VeWeight> = BTreeMap::new();
		let mut active: Balance = 0;
		let mut expiring: BTreeMap<DayIndex, Balance> = BTreeMap::new();
		for (who, lock) in Locks::<T>::iter() {
			let held = T::Currency::balance_on_hold(&HoldReason::Lock.into(), &who);
			ensure!(held == lock.amount, "a lock's hold differs from its amount");
			locked = locked.saturating_add(lock.amount);
			let lock_slope = slope_of(lock.amount).ok_or("a lock's slope overflows")?;
			let account = Accounts::<T>::get(&who).ok_or("a lock without an account")?;
			let last = account.checkpoints.last().ok_or("a lock without a checkpoint")?;
			ensure!(
				last.slope == lock_slope && last.unlock_day == lock.unlock_day,
				"an account's last checkpoint differs from its lock"
			);
			if lock.unlock_day > day {
				bias = bias.saturating_add(lock_slope.saturating_mul((lock.unlock_day - day).into()));
				slope = slope.saturating_add(lock_slope);
				let ending_slope = ending.entry(lock.unlock_day).or_default();
				*ending_slope = ending_slope.saturating_add(lock_slope);
				active = active.saturating_add(lock.amount);
				let amount = expiring.entry(lock.unlock_day).or_default();
				*amount = amount.saturating_add(lock.amount);
			}
		}
		ensure!(locked == TotalLocked::<T>::get(), "total locked differs from the locks");
		ensure!(active == ActiveLocked::<T>::get(), "active locked differs from the unexpired locks");
		for (unlock_day, amount) in ExpiringAmounts::<T>::iter() {
			ensure!(
				unlock_day > day && expiring.get(&unlock_day).copied().unwrap_or_default() == amount,
				"an amount expiring on a day differs from the locks ending that day, or its day has passed"
			);
		}
		ensure!(
			expiring.iter().all(|(d, a)| ExpiringAmounts::<T>::get(d) == *a),
			"a lock's unlock day has no expiring amount"
		);
		ensure!(bias == point.bias, "global weight differs from the sum of the locks' weights");
		ensure!(slope == point.slope, "global slope differs from the sum of the locks' slopes");
		for (unlock_day, change) in SlopeChanges::<T>::iter() {
			if unlock_day > day {
				ensure!(
					ending.get(&unlock_day).copied().unwrap_or_default() == change,
					"a scheduled slope change differs from the locks ending that day"
				);
			}
		}
		ensure!(
			ending.iter().all(|(d, s)| SlopeChanges::<T>::get(d) == *s),
			"a lock's unlock day has no scheduled slope change"
		);

		let mut snapshot: VeWeight = 0;
		let mut owed: Balance = 0;
		for (_, account) in Accounts::<T>::iter() {
			ensure!(
				account.checkpoints.windows(2).all(|w| w[0].from < w[1].from),
				"checkpoints out of order"
			);
			ensure!(account.accrued_to <= day, "rewards accrued for a day not closed");
			snapshot = snapshot.saturating_add(account.weight_at(day).ok_or("history lost")?);
			owed = owed.saturating_add(account.owed);
		}
		ensure!(
			snapshot == TotalWeightAt::<T>::get(day),
			"today's snapshot differs from the sum of the accounts' snapshot weights"
		);

		let ledger = DistributorTotals::<T>::get();
		ensure!(
			ledger.distributed.saturating_add(PendingDrop::<T>::get()) == ledger.dropped,
			"drops differ from what was shared plus what is pending"
		);
		ensure!(
			ledger.claimed.saturating_add(owed) <= ledger.distributed,
			"more owed and claimed than shared"
		);
		let pot = T::Currency::balance(&Self::distributor_account());
		let kept =
			ledger.dropped.saturating_sub(ledger.claimed).saturating_add(T::Currency::minimum_balance());
		ensure!(pot >= kept, "the distributor holds less than was dropped and not claimed");
		Ok(())
	}
}

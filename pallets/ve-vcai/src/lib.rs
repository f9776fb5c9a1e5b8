//! # veVCAI
//!
//! Locks of VCAI for a fixed, non-revocable time give a weight that is the sole basis of
//! governance votes and of revenue sharing (docs/economics.md#vevcai):
//!
//! - **Locks.** `w = n^0.5 · (t_unlock − t_now) / T_max`, in its engineering form on whole days:
//!   slope `s = isqrt(n · VE_SLOPE_SCALE)` recomputed from the whole locked amount, weight
//!   `s · (E − d)` on day `d` for an unlock day `E > d`, zero from `E` on. The VCAI is held
//!   under [`HoldReason::Lock`]; the weight has no transfer call, so it cannot move.
//! - **Totals in O(1) per day.** The global weight is kept as a bias and a slope, with the slope
//!   each lock stops adding scheduled at its unlock day (the VotingEscrow point model). Each
//!   day's start-of-day total is kept, and each account keeps a bounded history of
//!   checkpoints, so governance reads the weight of any past day by binary search.
//! - **Revenue.** Each day's drop of VCAI is shared pro-rata to that day's start-of-day weights.
//!   Two cumulative per-day accumulators, `A += R·P/W` (rounded down) and `B += R·d·P/W`
//!   (rounded up), let an account with slope `s` ending on day `E` collect the days `[a, b)`
//!   as `s·(E·ΔA − ΔB)/P` (rounded down), in O(1) whatever the number of days or lockers.
//!
//! A change made on day `d` takes effect in the snapshot of day `d + 1`: the day's shares and
//! votes taking it as their snapshot never see a lock made after the day began.
//!
//! See `docs/ve-vcai.md` for the formulas, their bounds and the rounding directions.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

mod distributor;
mod global;
#[cfg(any(feature = "try-runtime", feature = "std"))]
mod invariants;
mod locks;
pub mod math;
mod query;
mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
#[cfg(test)]
mod tests;

const LOG_TARGET: &str = "runtime::ve-vcai";

/// The active-locked bookkeeping the measured weights predate: the total and the expiring amount
/// of each of `contributions` unlock days a call changes, and the same two entries for the one
/// day a call may close first. Benchmarks will take it in when they are next run.
pub fn active_locked_weight<T: frame_system::Config>(contributions: u64) -> frame_support::weights::Weight {
	use frame_support::traits::Get;
	let entries = contributions.saturating_add(3);
	T::DbWeight::get().reads_writes(entries, entries)
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Inspect, InspectHold, Mutate, MutateHold},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use vcity_primitives::{Balance, Clock, DayIndex, Moment, VeWeight, CHARGED_LOCKERS};

	/// Version 0: the layout since veVCAI's first release.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// VCAI, held by locks and paid out by the distributor.
		type Currency: Inspect<Self::AccountId, Balance = Balance>
			+ Mutate<Self::AccountId>
			+ InspectHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;
		/// The runtime's hold reasons, of which [`HoldReason`] is one.
		type RuntimeHoldReason: From<HoldReason>;
		/// The chain's one clock: days since the first block.
		type Clock: Clock;
		/// Smallest amount a lock may hold.
		#[pallet::constant]
		type MinLockAmount: Get<Balance>;
		/// Longest lock in days (D_max = 1,461: four years).
		#[pallet::constant]
		type MaxLockDays: Get<DayIndex>;
		/// Checkpoints kept per account for governance; the oldest go first. At least 2, since
		/// the accrual of rewards reads the last two.
		#[pallet::constant]
		type MaxHistory: Get<u32>;
		/// Days the per-block hook may close after a stall; the rest wait for the next blocks.
		#[pallet::constant]
		type MaxCatchUpDays: Get<u32>;
		/// Derives the distributor's account, which holds drops until they are claimed. Genesis
		/// must give it the existential deposit, which it keeps: claims never reap it, so no
		/// dust of a drop is ever burnt.
		#[pallet::constant]
		type PalletId: Get<PalletId>;
		type WeightInfo: WeightInfo;
		/// Moves the clock for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::benchmarking::BenchmarkHelper;
	}

	/// Why VCAI is held by this pallet.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Locked for veVCAI weight until the unlock day.
		Lock,
	}

	/// Each account's lock, until withdrawn.
	#[pallet::storage]
	pub type Locks<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, LockInfo, OptionQuery>;

	/// Each account's snapshot history and reward accrual. Kept after withdrawal, so votes on past
	/// days still see the weight the account had.
	#[pallet::storage]
	pub type Accounts<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, VeAccount<T::MaxHistory>, OptionQuery>;

	/// The live global bias and slope, as of the last day closed.
	#[pallet::storage]
	pub type Global<T> = StorageValue<_, GlobalPoint, ValueQuery>;

	/// Slope that stops counting on each future unlock day.
	#[pallet::storage]
	pub type SlopeChanges<T> = StorageMap<_, Twox64Concat, DayIndex, VeWeight, ValueQuery>;

	/// Σ of all weights in each day's start-of-day snapshot.
	#[pallet::storage]
	pub type TotalWeightAt<T> = StorageMap<_, Twox64Concat, DayIndex, VeWeight, ValueQuery>;

	/// The distributor's accumulators A and B summed over all days before the key.
	#[pallet::storage]
	pub type Accumulators<T> = StorageMap<_, Twox64Concat, DayIndex, Accumulator, ValueQuery>;

	/// VCAI to share when the current day closes: its drops and any drop carried forward.
	#[pallet::storage]
	pub type PendingDrop<T> = StorageValue<_, Balance, ValueQuery>;

	/// VCAI held by all locks, expired ones not yet withdrawn included.
	#[pallet::storage]
	pub type TotalLocked<T> = StorageValue<_, Balance, ValueQuery>;

	/// VCAI in locks that have not expired as of the last day closed: what "locked" means to
	/// governance (the DAO's equity stages), which an expired, unwithdrawn lock must not inflate.
	#[pallet::storage]
	pub type ActiveLocked<T> = StorageValue<_, Balance, ValueQuery>;

	/// VCAI whose locks expire on each future unlock day; it leaves [`ActiveLocked`] when that
	/// day begins, as the locks' slopes leave the line.
	#[pallet::storage]
	pub type ExpiringAmounts<T> = StorageMap<_, Twox64Concat, DayIndex, Balance, ValueQuery>;

	/// VCAI dropped, shared among lockers and claimed since genesis.
	#[pallet::storage]
	pub type DistributorTotals<T> = StorageValue<_, DistributorLedger, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A lock was created.
		Locked { who: T::AccountId, amount: Balance, unlock_day: DayIndex, slope: VeWeight },
		/// More VCAI was added to a lock; its slope is recomputed from the whole amount.
		AmountIncreased { who: T::AccountId, added: Balance, amount: Balance, slope: VeWeight },
		/// A lock's unlock day moved later.
		UnlockExtended { who: T::AccountId, unlock_day: DayIndex },
		/// An expired lock's VCAI was released.
		Withdrawn { who: T::AccountId, amount: Balance },
		/// Rewards were paid out.
		Claimed { who: T::AccountId, amount: Balance },
		/// VCAI was added to today's drop.
		Dropped { from: T::AccountId, amount: Balance, day: DayIndex },
		/// A day closed and its drop was shared by its start-of-day weights.
		DayDistributed { day: DayIndex, amount: Balance, total_weight: VeWeight },
		/// A day closed with no weight (or a share the accumulators could not hold); its drop
		/// waits for the next day.
		DropCarried { day: DayIndex, amount: Balance },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The amount is zero.
		ZeroAmount,
		/// A new lock must hold at least `MinLockAmount`.
		AmountBelowMinimum,
		/// The amount is too large for the slope arithmetic.
		AmountTooLarge,
		/// The account cannot hold this much VCAI.
		InsufficientBalance,
		/// The unlock time falls today or earlier.
		UnlockInPast,
		/// The unlock time falls tomorrow: no snapshot would ever count the lock.
		UnlockTooSoon,
		/// The unlock time is more than `MaxLockDays` days away.
		UnlockTooFar,
		/// The account already has a lock (withdraw an expired one first).
		LockExists,
		/// The account has no lock.
		NoLock,
		/// The lock has expired: withdraw it and lock again.
		LockExpired,
		/// A lock's unlock day can only move later.
		CannotShorten,
		/// The new unlock time falls on the lock's current unlock day.
		UnlockUnchanged,
		/// The lock runs until its unlock day.
		LockNotExpired,
		/// Nothing is owed to the account.
		NothingToClaim,
		/// The chain is closing days it missed during a stall; try again in a few blocks.
		CatchingUp,
		/// An accumulator would overflow; the accrual is refused rather than rounded.
		ArithmeticOverflow,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			Self::close_days_in_hook()
		}

		fn integrity_test() {
			assert!(T::MaxHistory::get() >= 2, "accrual reads an account's last two checkpoints");
			assert!(T::MaxLockDays::get() > 0, "a lock must be able to last a day");
			assert!(T::MaxCatchUpDays::get() > 0, "the hook must be able to close a day");
			assert!(T::MinLockAmount::get() > 0, "a lock must hold something");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Locks `amount` VCAI until the start of the day `unlock_time` (ms since the Unix epoch)
		/// falls in, at most `MaxLockDays` days ahead.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_lock(CHARGED_LOCKERS).saturating_add(active_locked_weight::<T>(1)))]
		pub fn create_lock(
			origin: OriginFor<T>,
			#[pallet::compact] amount: Balance,
			unlock_time: Moment,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_create_lock(&who, amount, unlock_time)
		}

		/// Adds `amount` VCAI to an unexpired lock, keeping its unlock day.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::increase_amount(CHARGED_LOCKERS).saturating_add(active_locked_weight::<T>(2)))]
		pub fn increase_amount(origin: OriginFor<T>, #[pallet::compact] amount: Balance) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_increase_amount(&who, amount)
		}

		/// Moves an unexpired lock's unlock day later, to the day `unlock_time` falls in.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::extend_unlock(CHARGED_LOCKERS).saturating_add(active_locked_weight::<T>(2)))]
		pub fn extend_unlock(origin: OriginFor<T>, unlock_time: Moment) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_extend_unlock(&who, unlock_time)
		}

		/// Releases the VCAI of a lock whose unlock day has come. Rewards stay claimable.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::withdraw(CHARGED_LOCKERS).saturating_add(active_locked_weight::<T>(0)))]
		pub fn withdraw(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw(&who)
		}

		/// Pays out every reward of days closed so far.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::claim(CHARGED_LOCKERS).saturating_add(active_locked_weight::<T>(0)))]
		pub fn claim(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim(&who)
		}

		/// Adds `amount` of the caller's VCAI to today's drop, shared among lockers when the day
		/// closes. The buyback drops through the same path.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::drop_rewards(CHARGED_LOCKERS).saturating_add(active_locked_weight::<T>(0)))]
		pub fn drop_rewards(origin: OriginFor<T>, #[pallet::compact] amount: Balance) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_drop(&who, amount)
		}
	}
}

//! # veVCAI voting
//!
//! Counts the DAO's votes. `pallet-referenda` runs each referendum's lifecycle and keeps its
//! tally, a [`VeTally`]; this pallet is how accounts vote into it (docs/governance.md):
//!
//! - **Weight.** A vote counts the voter's veVCAI weight in the start-of-day snapshot of the day
//!   the referendum was submitted on ([`VeTally::snapshot_day`]). That day began before the
//!   submission, so a lock made once a proposal is known buys nothing; and the weight is read
//!   from the snapshot, never from the caller.
//! - **One vote per account per referendum**: aye, nay or abstain. Voting again replaces the
//!   vote, and [`Pallet::remove_vote`] takes it back, until the referendum is decided.
//! - **Passing.** The tally reports approval as aye ÷ (aye + nay) and support (the turnout) as
//!   the weight that voted ÷ the snapshot's total weight. Each track asks for more aye than nay
//!   weight and for its own minimum turnout (`pallet-governance`).
//!
//! Votes of decided referenda are records only; anyone may clear them
//! ([`Pallet::cleanup_poll`]), and a voter may remove its own.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use tally::VeTally;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(any(feature = "try-runtime", feature = "std"))]
mod invariants;
mod tally;
mod types;
mod votes;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
#[cfg(test)]
mod tests;

/// Votes already on a referendum that a vote is charged for. A vote's work does not grow with
/// them (benchmarked at 10 and 100,000); the figure at the top of the range is charged.
pub const CHARGED_VOTERS: u32 = 100_000;

/// A referendum's index, as the polls count them.
pub type PollIndexOf<T> = <<T as Config>::Polls as frame_support::traits::Polling<VeTally<T>>>::Index;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{pallet_prelude::*, traits::Polling};
	use frame_system::pallet_prelude::*;
	use vcity_primitives::{VeWeight, VeWeights};

	/// Version 0: the layout since veVCAI voting's first release.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The referenda voted on (`pallet-referenda`).
		type Polls: Polling<VeTally<Self>, Votes = VeWeight, Moment = BlockNumberFor<Self>>;
		/// Where weights come from: veVCAI's snapshots of closed days.
		type VeWeights: VeWeights<Self::AccountId>;
		type WeightInfo: WeightInfo;
		/// Gives benchmark voters weight in a snapshot.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::benchmarking::BenchmarkHelper<Self::AccountId>;
	}

	/// Each account's vote on each referendum.
	#[pallet::storage]
	pub type VoteOf<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		PollIndexOf<T>,
		Blake2_128Concat,
		T::AccountId,
		CastVote,
		OptionQuery,
	>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A vote was counted (replacing the voter's earlier one, if any).
		Voted { who: T::AccountId, poll: PollIndexOf<T>, choice: VoteChoice, weight: VeWeight },
		/// A vote was taken back before the decision.
		VoteRemoved { who: T::AccountId, poll: PollIndexOf<T> },
		/// Records of a decided referendum's votes were cleared; `more` if some remain.
		PollCleaned { poll: PollIndexOf<T>, removed: u32, more: bool },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No referendum is being voted on under this index: unknown, or already decided.
		NotOngoing,
		/// The account had no veVCAI weight in the referendum's snapshot (a lock made after the
		/// snapshot day began does not count).
		NoWeight,
		/// The account changed its lock so often since the snapshot day that its weight on it is
		/// no longer kept.
		SnapshotUnavailable,
		/// The account has no vote on this referendum.
		NoVote,
		/// The referendum is still being decided: its votes are still counted.
		PollOngoing,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Votes on an ongoing referendum with the caller's weight in its snapshot, replacing
		/// any earlier vote of the caller on it.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::vote(CHARGED_VOTERS))]
		pub fn vote(origin: OriginFor<T>, poll: PollIndexOf<T>, choice: VoteChoice) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_vote(who, poll, choice)
		}

		/// Takes the caller's vote back: from the tally while the referendum is ongoing, and
		/// only the record once it is decided.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::remove_vote(CHARGED_VOTERS))]
		pub fn remove_vote(origin: OriginFor<T>, poll: PollIndexOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_remove_vote(who, poll)
		}

		/// Clears up to `max` vote records of a decided referendum. Anyone may call it.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::cleanup_poll(*max))]
		pub fn cleanup_poll(origin: OriginFor<T>, poll: PollIndexOf<T>, max: u32) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_cleanup_poll(poll, max)
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}
}

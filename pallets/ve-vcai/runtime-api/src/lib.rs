//! Runtime API of veVCAI, behind its `vcity_ve*` RPC methods.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

// `Balance` below is the trait's parameter; `vcity_primitives::Balance` stays out of scope so the
// two cannot be mistaken for each other.
use vcity_primitives::{DayIndex, VeLockView, VeTotals, VeWeight};

sp_api::decl_runtime_apis! {
	/// veVCAI locks, weights and the revenue distributor.
	pub trait VeVcaiApi<AccountId, Balance> where AccountId: codec::Codec, Balance: codec::Codec {
		/// The account's lock as it stands now.
		fn lock(who: AccountId) -> Option<VeLockView>;
		/// The account's weight now (changes made today included).
		fn weight(who: AccountId) -> VeWeight;
		/// The account's weight in the start-of-day snapshot of `day` (what votes use); None for a day not begun or older than the kept history.
		fn weight_at(who: AccountId, day: DayIndex) -> Option<VeWeight>;
		/// Network-wide figures now.
		fn totals() -> VeTotals<Balance>;
		/// Σ weights in the snapshot of `day`; None for a day not yet begun.
		fn total_weight_at(day: DayIndex) -> Option<VeWeight>;
		/// VCAI the account can claim now.
		fn pending_rewards(who: AccountId) -> Balance;
	}
}

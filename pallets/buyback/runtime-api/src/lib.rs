//! Runtime API of the buyback treasury, behind its `vcity_*` RPC methods.
#![cfg_attr(not(feature = "std"), no_std)]

use vcity_primitives::{Balance, BuybackParams, BuybackRecord, DayIndex, TreasuryView};

sp_api::decl_runtime_apis! {
	/// The treasury that sells protocol revenue for VCAI and drops it to veVCAI lockers.
	pub trait BuybackApi {
		/// Holdings, books since genesis, and the pool's spot and time-weighted prices.
		fn treasury() -> TreasuryView;
		/// The last round that swapped, with the prices it used.
		fn last_buyback() -> Option<BuybackRecord>;
		/// Protocol revenue recorded on `day`; None for a day not begun or older than a year.
		fn revenue_on(day: DayIndex) -> Option<Balance>;
		/// The rounds' parameters in force.
		fn params() -> BuybackParams;
	}
}

//! What the runtime API answers.

use crate::{oracle::spot_price, pallet::*, BuybackPool};
use frame_support::traits::fungible::Inspect;
use vcity_primitives::{Clock, TreasuryView};

impl<T: Config> Pallet<T> {
	/// The treasury's holdings, books and prices as they stand now.
	pub fn treasury_view() -> TreasuryView {
		let ledger = Ledger::<T>::get();
		TreasuryView {
			usdv_held: T::Stablecoin::balance(&Self::treasury_account()),
			usdv_available: Self::usdv_available(),
			revenue: ledger.revenue,
			revenue_today: Self::revenue_on(T::Clock::day_index()).unwrap_or_default(),
			other_income: ledger.other_income,
			usdv_swapped: ledger.usdv_swapped,
			vcai_bought: ledger.vcai_bought,
			vcai_other_income: ledger.vcai_other_income,
			vcai_dropped: ledger.vcai_dropped,
			next_round_day: Self::next_round_day(),
			twap: Self::average_price(Params::<T>::get().twap_window),
			spot: T::Pool::reserves().and_then(|(usdv, vcai)| spot_price(usdv, vcai)),
		}
	}
}

//! Spending from the DAO treasury.

use crate::{pallet::*, TreasuryAsset};
use frame_support::{
	ensure,
	traits::{
		fungible::Mutate,
		tokens::{Fortitude, Preservation},
		Get,
	},
};
use sp_runtime::DispatchResult;
use vcity_primitives::Balance;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_spend(asset: TreasuryAsset, to: T::AccountId, amount: Balance) -> DispatchResult {
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		match asset {
			TreasuryAsset::Vcai => Self::pay::<T::Currency>(&to, amount)?,
			TreasuryAsset::Usdv => Self::pay::<T::Stablecoin>(&to, amount)?,
		}
		Self::deposit_event(Event::Spent { asset, to, amount });
		Ok(())
	}

	/// Pays `amount` of `Asset` from the treasury, which keeps its existential deposit: it is a
	/// keyless account no one could revive.
	fn pay<Asset: Mutate<T::AccountId, Balance = Balance>>(
		to: &T::AccountId,
		amount: Balance,
	) -> DispatchResult {
		let treasury = T::TreasuryAccount::get();
		let free = Asset::reducible_balance(&treasury, Preservation::Preserve, Fortitude::Polite);
		ensure!(free >= amount, Error::<T>::InsufficientTreasury);
		Asset::transfer(&treasury, to, amount, Preservation::Preserve)?;
		Ok(())
	}
}

//! Spending from the DAO treasury.

use crate::{pallet::*, TreasuryAsset};
use frame_support::{
	ensure,
	traits::{
		fungible::{Inspect, Mutate},
		tokens::{Fortitude, Preservation},
		Get,
	},
};
use sp_runtime::DispatchResult;
use vcity_primitives::Balance;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_spend(asset: TreasuryAsset, to: T::AccountId, amount: Balance) -> DispatchResult {
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		let treasury = T::TreasuryAccount::get();
		// The treasury keeps its existential deposit: it is a keyless account no one could revive.
		match asset {
			TreasuryAsset::Vcai => {
				let free =
					T::Currency::reducible_balance(&treasury, Preservation::Preserve, Fortitude::Polite);
				ensure!(free >= amount, Error::<T>::InsufficientTreasury);
				T::Currency::transfer(&treasury, &to, amount, Preservation::Preserve)?;
			}
			TreasuryAsset::Usdv => {
				let free =
					T::Stablecoin::reducible_balance(&treasury, Preservation::Preserve, Fortitude::Polite);
				ensure!(free >= amount, Error::<T>::InsufficientTreasury);
				T::Stablecoin::transfer(&treasury, &to, amount, Preservation::Preserve)?;
			}
		}
		Self::deposit_event(Event::Spent { asset, to, amount });
		Ok(())
	}
}

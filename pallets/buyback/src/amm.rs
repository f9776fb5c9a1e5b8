//! The pool the buyback trades on, and its implementation on `pallet-asset-conversion`.

use alloc::vec;
use core::marker::PhantomData;
use frame_support::traits::Get;
use pallet_asset_conversion::Swap;
use sp_runtime::DispatchError;
use vcity_primitives::Balance;

/// A constant-product VCAI/USDV pool as the buyback needs it.
pub trait BuybackPool<AccountId> {
	/// USDV and VCAI in the pool, or `None` without a pool or without liquidity on both sides.
	fn reserves() -> Option<(Balance, Balance)>;
	/// VCAI that selling `usdv_in` would buy now, the pool's fee deducted.
	fn quote(usdv_in: Balance) -> Option<Balance>;
	/// Sells exactly `usdv_in` of `who`'s USDV for VCAI paid to `who`, keeping `who`'s minimum
	/// USDV balance. Fails, moving nothing, if it would buy less than `min_out`.
	fn sell_usdv(who: &AccountId, usdv_in: Balance, min_out: Balance) -> Result<Balance, DispatchError>;
}

/// The pool of `pallet-asset-conversion` between the assets `Usdv` and `Vcai` name.
pub struct AssetConversionPool<T, Usdv, Vcai>(PhantomData<(T, Usdv, Vcai)>);

impl<T, Usdv, Vcai> BuybackPool<T::AccountId> for AssetConversionPool<T, Usdv, Vcai>
where
	T: pallet_asset_conversion::Config<Balance = Balance>,
	Usdv: Get<T::AssetKind>,
	Vcai: Get<T::AssetKind>,
{
	fn reserves() -> Option<(Balance, Balance)> {
		pallet_asset_conversion::Pallet::<T>::get_reserves(Usdv::get(), Vcai::get()).ok()
	}

	fn quote(usdv_in: Balance) -> Option<Balance> {
		pallet_asset_conversion::Pallet::<T>::quote_price_exact_tokens_for_tokens(
			Usdv::get(),
			Vcai::get(),
			usdv_in,
			true,
		)
	}

	fn sell_usdv(who: &T::AccountId, usdv_in: Balance, min_out: Balance) -> Result<Balance, DispatchError> {
		<pallet_asset_conversion::Pallet<T> as Swap<T::AccountId>>::swap_exact_tokens_for_tokens(
			who.clone(),
			vec![Usdv::get(), Vcai::get()],
			usdv_in,
			Some(min_out),
			who.clone(),
			true,
		)
	}
}

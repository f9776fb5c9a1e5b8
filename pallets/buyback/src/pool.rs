//! The pool the buyback trades on. The runtime implements it on its AMM, so this pallet depends on
//! no AMM pallet.

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

//! The chain's keyless accounts. Each is derived from a pallet id as `modl`, the id, and zeros to
//! 32 bytes (`PalletId::into_account_truncating`). The pallets that own one take its id (or the
//! account) in their `Config` and publish it in the metadata (`palletId` of `buyback`, `veVcai`
//! and `rewards`, `rewards.grantsAccount`), so clients derive the same addresses instead of
//! copying them; the genesis presets fund them from here.

use crate::AccountId;
use frame_support::{parameter_types, PalletId};
use sp_runtime::traits::AccountIdConversion;

parameter_types! {
	/// The DAO treasury (reserve & governance fund): the reserve-governance bucket from genesis,
	/// transaction fees and tips, and the AMM's pool setup fees. It also administers USDV until
	/// the stablecoin's issuer is decided.
	pub const TreasuryPalletId: PalletId = PalletId(*b"vc/trsry");
	/// The ecosystem incentive pool (`pallet-rewards`): the whole pool from genesis, released over
	/// 522 weeks (whatever the period length) by transfers to its `pot` sub-account, which pays claims.
	pub const IncentivePoolPalletId: PalletId = PalletId(*b"vc/pool_");
	/// The veVCAI distributor (`pallet-ve-vcai`): drops, until the lockers claim them.
	pub const VeDistributorPalletId: PalletId = PalletId(*b"vc/vevca");
	/// The buyback treasury (`pallet-buyback`): protocol revenue in USDV, and the VCAI bought with
	/// it until it is dropped to the veVCAI lockers.
	pub const BuybackPalletId: PalletId = PalletId(*b"vc/buybk");
	/// The grants account: what the incentive pool releases but governance does not pay as
	/// incentives (a release percentage below 100%).
	pub const GrantsPalletId: PalletId = PalletId(*b"vc/grant");
	/// Verification fees, paid to verifiers.
	pub const VerificationPalletId: PalletId = PalletId(*b"vc/verif");

	/// The DAO treasury's address. The pallets derive the other accounts from their ids
	/// (`Buyback::treasury_account()`, `VeVcai::distributor_account()`, `Rewards::pool_account()`).
	pub TreasuryAccount: AccountId = TreasuryPalletId::get().into_account_truncating();
	/// The grants account's address, which `pallet-rewards` takes as it is.
	pub GrantsAccount: AccountId = GrantsPalletId::get().into_account_truncating();
}

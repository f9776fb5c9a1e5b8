//! The on-chain AMM: `pallet-asset-conversion` pools between VCAI (native) and assets, pool
//! tokens in a second `pallet-assets` instance, transaction fees payable in USDV through it, and
//! its VCAI/USDV pool as the buyback trades on it.

use crate::{AccountId, AssetConversion, Assets, Balance, Balances, PoolAssets, Runtime, RuntimeEvent};
use alloc::vec;
use frame_support::{
	parameter_types,
	traits::{
		tokens::{
			fungible::{NativeFromLeft, NativeOrWithId, UnionOf},
			imbalance::ResolveAssetTo,
		},
		AsEnsureOriginWithArg, ConstU128, ConstU32,
	},
	PalletId,
};
use frame_system::{EnsureNever, EnsureRoot};
use pallet_asset_conversion::{AccountIdConverter, Swap, WithFirstAsset};
use sp_runtime::{DispatchError, Permill};
use vcity_primitives::{USDV_ASSET_ID, VCAI};

/// An asset the AMM trades: VCAI or a `pallet-assets` id.
pub type AssetKind = NativeOrWithId<u32>;
/// VCAI and every asset behind one `fungibles` interface, as the AMM needs them.
pub type NativeAndAssets = UnionOf<Balances, Assets, NativeFromLeft, AssetKind, AccountId>;
/// Every pool pairs VCAI with one asset.
pub type PoolLocator = WithFirstAsset<Vcai, AccountId, AssetKind, PoolIdToAccount>;
pub type PoolIdToAccount = AccountIdConverter<AmmPalletId, (AssetKind, AssetKind)>;

parameter_types! {
	pub const AmmPalletId: PalletId = PalletId(*b"py/ascon");
	pub const Vcai: AssetKind = NativeOrWithId::Native;
	pub const UsdvKind: AssetKind = NativeOrWithId::WithId(USDV_ASSET_ID);
	/// 0.3% to liquidity providers, as most constant-product AMMs.
	pub const LpFee: Permill = Permill::from_parts(3_000);
	pub const MaxSwapFee: Permill = Permill::from_percent(10);
	pub const NoWithdrawalFee: Permill = Permill::zero();
	/// A new pool costs ten VCAI, paid to the DAO treasury: enough that pools are not spam.
	pub const PoolSetupFee: Balance = 10 * VCAI;
	pub DaoTreasury: AccountId = super::TreasuryAccount::get();
}

impl pallet_asset_conversion::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Balance = Balance;
	type HigherPrecisionBalance = sp_core::U256;
	type AssetKind = AssetKind;
	type Assets = NativeAndAssets;
	type PoolId = (AssetKind, AssetKind);
	type PoolLocator = PoolLocator;
	type PoolAssetId = u32;
	type PoolAssets = PoolAssets;
	type PoolSetupFee = PoolSetupFee;
	type PoolSetupFeeAsset = Vcai;
	type PoolSetupFeeTarget = ResolveAssetTo<DaoTreasury, NativeAndAssets>;
	type LPFee = LpFee;
	/// Root or the parameters track; it may set a pool's fee up to `MaxSwapFee`.
	type AdminOrigin = super::governance::ParametersOrigin;
	type MaxSwapFee = MaxSwapFee;
	type LiquidityWithdrawalFee = NoWithdrawalFee;
	type MaxSwapPathLength = ConstU32<3>;
	/// Liquidity tokens locked in a new pool for good, so its share price cannot be inflated. A
	/// pool's first tokens number √(VCAI × asset) in base units (5 × 10^18 for the dev pool),
	/// so a million of them is negligible for any real first deposit.
	type MintMinLiquidity = ConstU128<1_000_000>;
	type PalletId = AmmPalletId;
	type WeightInfo = pallet_asset_conversion::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_asset_conversion::NativeOrWithIdFactory<u32>;
}

/// Liquidity tokens of the pools: only the AMM creates them (through `fungibles::Create`), so
/// nobody can squat on the ids it allocates.
impl pallet_assets::Config<pallet_assets::Instance1> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Balance = Balance;
	type RemoveItemsLimit = ConstU32<1000>;
	type AssetId = u32;
	type AssetIdParameter = u32;
	type ReserveData = ();
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureNever<AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	/// Only the AMM creates pool tokens, through `fungibles::Create`, which takes no deposit.
	type AssetDeposit = ConstU128<0>;
	/// Every other record a user can make on a pool token costs what it costs on any asset: an
	/// account opened with `touch`, an approval, metadata. Each deposit returns when the record
	/// goes (`refund`, the approval used or cancelled), so nobody leaves permanent entries on a
	/// live pool token for a fee.
	type AssetAccountDeposit = super::AssetAccountDeposit;
	type MetadataDepositBase = super::MetadataDepositBase;
	type MetadataDepositPerByte = super::MetadataDepositPerByte;
	type ApprovalDeposit = super::ApprovalDeposit;
	type StringLimit = ConstU32<50>;
	type Freezer = ();
	type Holder = ();
	type Extra = ();
	type CallbackHandle = ();
	type AssetIdAllocator = ();
	type WeightInfo = pallet_assets::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

/// A user who holds only USDV names it in the transaction (`assetId`); the fee is swapped to VCAI
/// on the pool and goes where VCAI fees go, the DAO treasury.
impl pallet_asset_conversion_tx_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type AssetId = AssetKind;
	type OnChargeAssetTransaction = pallet_asset_conversion_tx_payment::SwapAssetAdapter<
		Vcai,
		NativeAndAssets,
		AssetConversion,
		ResolveAssetTo<DaoTreasury, NativeAndAssets>,
	>;
	type WeightInfo = pallet_asset_conversion_tx_payment::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = FeeInAssetBenchmarks;
}

/// The VCAI/USDV pool of the AMM, as the buyback sells its USDV on it. The buyback only knows
/// its own `BuybackPool` trait, so it does not depend on the AMM's pallet.
pub struct VcaiUsdvPool;

impl pallet_buyback::BuybackPool<AccountId> for VcaiUsdvPool {
	fn reserves() -> Option<(Balance, Balance)> {
		AssetConversion::get_reserves(UsdvKind::get(), Vcai::get()).ok()
	}

	fn quote(usdv_in: Balance) -> Option<Balance> {
		AssetConversion::quote_price_exact_tokens_for_tokens(UsdvKind::get(), Vcai::get(), usdv_in, true)
	}

	fn sell_usdv(who: &AccountId, usdv_in: Balance, min_out: Balance) -> Result<Balance, DispatchError> {
		<AssetConversion as Swap<AccountId>>::swap_exact_tokens_for_tokens(
			who.clone(),
			vec![UsdvKind::get(), Vcai::get()],
			usdv_in,
			Some(min_out),
			who.clone(),
			true,
		)
	}
}

/// Pools and balances for the fee extension's benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct FeeInAssetBenchmarks;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_asset_conversion_tx_payment::BenchmarkHelperTrait<AccountId, AssetKind, AssetKind>
	for FeeInAssetBenchmarks
{
	fn create_asset_id_parameter(id: u32) -> (AssetKind, AssetKind) {
		(NativeOrWithId::WithId(id), NativeOrWithId::WithId(id))
	}

	fn setup_balances_and_pool(asset: AssetKind, account: AccountId) {
		use alloc::boxed::Box;
		use frame_support::traits::{fungible::Mutate as _, fungibles::Mutate as _};
		let NativeOrWithId::WithId(id) = asset.clone() else { return };
		let provider: AccountId = frame_benchmarking::account("liquidity", 0, 0);
		let root = || crate::RuntimeOrigin::root();
		if !pallet_assets::Asset::<Runtime>::contains_key(id) {
			let _ = Assets::force_create(root(), id.into(), provider.clone().into(), true, 1);
		}
		let plenty: Balance = 1_000_000_000 * VCAI;
		let _ = Balances::set_balance(&provider, plenty);
		let _ = Assets::mint_into(id, &provider, plenty);
		let _ = Assets::mint_into(id, &account, plenty / 1_000);
		let origin = crate::RuntimeOrigin::signed(provider.clone());
		let _ = AssetConversion::create_pool(origin.clone(), Box::new(Vcai::get()), Box::new(asset.clone()));
		let _ = AssetConversion::add_liquidity(
			origin,
			Box::new(Vcai::get()),
			Box::new(asset),
			plenty / 2,
			plenty / 2,
			1,
			1,
			provider,
		);
	}
}

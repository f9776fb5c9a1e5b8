//! Mock runtime and shared helpers for the buyback's tests: the real AMM
//! (`pallet-asset-conversion` over balances and assets) and the real veVCAI distributor.

mod manipulation_tests;
mod revenue_tests;
mod round_tests;

use crate::{self as pallet_buyback, *};
use frame_support::{
	assert_ok, derive_impl,
	instances::{Instance1, Instance2},
	parameter_types,
	traits::{
		fungible::Inspect as _,
		fungibles::{Inspect as _, Mutate as _},
		tokens::{
			fungible::{ItemOf, NativeFromLeft, NativeOrWithId, UnionOf},
			imbalance::ResolveAssetTo,
		},
		AsEnsureOriginWithArg, ConstU128, ConstU32, Hooks,
	},
	PalletId,
};
use frame_system::{EnsureNever, EnsureRoot, EnsureSigned};
use pallet_asset_conversion::{AccountIdConverter, WithFirstAsset};
use sp_runtime::{BuildStorage, Perbill, Permill};
use vcity_primitives::{Balance, BuybackParams, DayIndex, Moment, RevenueSink, USDV, VCAI};

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Timestamp: pallet_timestamp,
		ChainClock: pallet_chain_clock,
		Assets: pallet_assets::<Instance1>,
		PoolAssets: pallet_assets::<Instance2>,
		AssetConversion: pallet_asset_conversion,
		VeVcai: pallet_ve_vcai,
		Buyback: pallet_buyback,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type AccountStore = System;
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type RuntimeHoldReason = RuntimeHoldReason;
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {
	type OnTimestampSet = ChainClock;
}

#[derive_impl(pallet_chain_clock::config_preludes::TestDefaultConfig)]
impl pallet_chain_clock::Config for Test {
	type Time = Timestamp;
	type GovernanceOrigin = frame_system::EnsureRoot<AccountId>;
}

#[derive_impl(pallet_assets::config_preludes::TestDefaultConfig)]
impl pallet_assets::Config<Instance1> for Test {
	type Balance = Balance;
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type Freezer = ();
	type Holder = ();
}

#[derive_impl(pallet_assets::config_preludes::TestDefaultConfig)]
impl pallet_assets::Config<Instance2> for Test {
	type Balance = Balance;
	type Currency = Balances;
	/// Only the AMM creates pool tokens, through `fungibles::Create`.
	type CreateOrigin = AsEnsureOriginWithArg<EnsureNever<AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type Freezer = ();
	type Holder = ();
}

parameter_types! {
	pub const AmmPalletId: PalletId = PalletId(*b"py/ascon");
	pub const Native: NativeOrWithId<u32> = NativeOrWithId::Native;
	pub const UsdvKind: NativeOrWithId<u32> = NativeOrWithId::WithId(USDV_ID);
	pub const UsdvId: u32 = USDV_ID;
	pub const LpFee: Permill = Permill::from_parts(3_000);
	pub const NoWithdrawalFee: Permill = Permill::zero();
	pub const MaxSwapFee: Permill = Permill::from_percent(10);
	pub const VePalletId: PalletId = PalletId(*b"vc/vevca");
	pub const BuybackPalletId: PalletId = PalletId(*b"vc/buybk");
}

pub type NativeAndAssets = UnionOf<Balances, Assets, NativeFromLeft, NativeOrWithId<u32>, AccountId>;
pub type PoolLocator = WithFirstAsset<Native, AccountId, NativeOrWithId<u32>, PoolIdToAccount>;
pub type PoolIdToAccount = AccountIdConverter<AmmPalletId, (NativeOrWithId<u32>, NativeOrWithId<u32>)>;

impl pallet_asset_conversion::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Balance = Balance;
	type HigherPrecisionBalance = sp_core::U256;
	type AssetKind = NativeOrWithId<u32>;
	type Assets = NativeAndAssets;
	type PoolId = (NativeOrWithId<u32>, NativeOrWithId<u32>);
	type PoolLocator = PoolLocator;
	type PoolAssetId = u32;
	type PoolAssets = PoolAssets;
	type PoolSetupFee = ConstU128<0>;
	type PoolSetupFeeAsset = Native;
	type PoolSetupFeeTarget = ResolveAssetTo<LiquidityProvider, NativeAndAssets>;
	type LPFee = LpFee;
	type AdminOrigin = EnsureRoot<AccountId>;
	type MaxSwapFee = MaxSwapFee;
	type LiquidityWithdrawalFee = NoWithdrawalFee;
	type MaxSwapPathLength = ConstU32<3>;
	type MintMinLiquidity = ConstU128<100>;
	type PalletId = AmmPalletId;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

impl pallet_ve_vcai::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Clock = ChainClock;
	type MinLockAmount = ConstU128<VCAI>;
	type MaxLockDays = ConstU32<{ vcity_primitives::VE_MAX_LOCK_DAYS }>;
	type MaxHistory = ConstU32<8>;
	type MaxCatchUpDays = ConstU32<MAX_CATCH_UP_DAYS>;
	type PalletId = VePalletId;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarks;
}

impl Config for Test {
	type Stablecoin = Usdv;
	type Currency = Balances;
	type Pool = TestPool;
	type LockerRewards = VeVcai;
	type Clock = ChainClock;
	type GovernanceOrigin = EnsureRoot<AccountId>;
	type PalletId = BuybackPalletId;
	type MinTwapWindow = ConstU32<2>;
	type MaxTwapWindow = MaxTwapWindow;
	type MaxIntervalDays = ConstU32<30>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarks;
}

pub type Usdv = ItemOf<Assets, UsdvId, AccountId>;

/// The real pool of `pallet-asset-conversion`, reached as the runtime's adapter reaches it, with a
/// switch that makes its swaps fail for the tests of that fault.
pub struct TestPool;
impl BuybackPool<AccountId> for TestPool {
	fn reserves() -> Option<(Balance, Balance)> {
		AssetConversion::get_reserves(UsdvKind::get(), Native::get()).ok()
	}
	fn quote(usdv_in: Balance) -> Option<Balance> {
		AssetConversion::quote_price_exact_tokens_for_tokens(UsdvKind::get(), Native::get(), usdv_in, true)
	}
	fn sell_usdv(
		who: &AccountId,
		usdv_in: Balance,
		min_out: Balance,
	) -> Result<Balance, sp_runtime::DispatchError> {
		if FailSwaps::get() {
			return Err(sp_runtime::DispatchError::Other("the test refuses swaps"));
		}
		<AssetConversion as pallet_asset_conversion::Swap<AccountId>>::swap_exact_tokens_for_tokens(
			*who,
			vec![UsdvKind::get(), Native::get()],
			usdv_in,
			Some(min_out),
			*who,
			true,
		)
	}
}

#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarks;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_ve_vcai::benchmarking::BenchmarkHelper for MockBenchmarks {
	fn set_day(day: DayIndex) {
		if pallet_chain_clock::Calendar::<Test>::get().start_ms.is_none() {
			pallet_chain_clock::Calendar::<Test>::mutate(|c| c.start_ms = Some(GENESIS_MS));
		}
		pallet_timestamp::Now::<Test>::put(time_of(day, DAY_MS / 2));
	}
}
#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper<AccountId> for MockBenchmarks {
	fn create_pool(usdv: Balance, vcai: Balance) {
		// The benchmarks start from genesis storage, where the pool already exists: top it up to
		// the requested depth instead.
		let (usdv_now, vcai_now) = TestPool::reserves().unwrap();
		assert_ok!(Assets::mint_into(USDV_ID, &LP, usdv));
		let _ = Balances::set_balance(&LP, Balances::balance(&LP) + vcai);
		let (usdv_add, vcai_add) = (usdv.saturating_sub(usdv_now), vcai.saturating_sub(vcai_now));
		if usdv_add > 0 && vcai_add > 0 {
			add_liquidity(LP, usdv_add, vcai_add);
		}
	}
	fn fill_lockers(n: u32) {
		pallet_ve_vcai::benchmarking::populate::<Test>(n);
	}
}

use frame_support::traits::fungible::Mutate as _;

pub const EXISTENTIAL_DEPOSIT: Balance = VCAI / 1_000;
pub const USDV_ID: u32 = 1000;
pub const USDV_MIN_BALANCE: Balance = USDV / 100;
/// Blocks are 6 s and a day is ten blocks, so a test walks through days block by block.
pub const BLOCK_MS: Moment = 6_000;
pub const DAY_BLOCKS: u64 = 10;
pub const DAY_MS: Moment = BLOCK_MS * DAY_BLOCKS;
pub const GENESIS_MS: Moment = 1_700_000_000_000;
pub const MAX_CATCH_UP_DAYS: u32 = 2;
/// As long as the default window (600 blocks), so the default parameters build a genesis.
pub const MAX_WINDOW: u32 = 600;
/// Window of the tests' price average, in blocks.
pub const WINDOW: u32 = 5;
pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
/// Pays the fees, as the market would on a task's settlement.
pub const USER: AccountId = 3;
/// Trades on the pool to move its price.
pub const TRADER: AccountId = 4;
/// Provides the pool's liquidity.
pub const LP: AccountId = 9;
/// The pool at genesis: 1,000,000 USDV against 100,000,000 VCAI, a cent per VCAI.
pub const POOL_USDV: Balance = 1_000_000 * USDV;
pub const POOL_VCAI: Balance = 100_000_000 * VCAI;
pub const FUNDS_VCAI: Balance = 1_000_000_000 * VCAI;
pub const FUNDS_USDV: Balance = 100_000_000 * USDV;

parameter_types! {
	pub const LiquidityProvider: AccountId = LP;
	pub static WithPool: bool = true;
	pub static FailSwaps: bool = false;
	/// Changed by a test, as a runtime upgrade would change it.
	pub static MaxTwapWindow: u32 = MAX_WINDOW;
}

pub fn test_params() -> BuybackParams {
	BuybackParams {
		interval_days: 1,
		max_slippage: Perbill::from_percent(3),
		max_chunk: 10_000 * USDV,
		twap_window: WINDOW,
	}
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let treasury = Buyback::treasury_account();
	let distributor = VeVcai::distributor_account();
	let mut balances: Vec<(AccountId, Balance)> =
		[ALICE, BOB, USER, TRADER, LP].into_iter().map(|who| (who, FUNDS_VCAI)).collect();
	// The treasury and the distributor keep their existential deposits from genesis on.
	balances.push((treasury, EXISTENTIAL_DEPOSIT));
	balances.push((distributor, EXISTENTIAL_DEPOSIT));
	pallet_balances::GenesisConfig::<Test> { balances, ..Default::default() }
		.assimilate_storage(&mut storage)
		.unwrap();
	pallet_chain_clock::GenesisConfig::<Test> { day_ms: DAY_MS, period_ms: 7 * DAY_MS, ..Default::default() }
		.assimilate_storage(&mut storage)
		.unwrap();
	pallet_assets::GenesisConfig::<Test, Instance1> {
		assets: vec![(USDV_ID, LP, true, USDV_MIN_BALANCE)],
		accounts: [USER, TRADER, LP].into_iter().map(|who| (USDV_ID, who, FUNDS_USDV)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let pools = if WithPool::get() {
		vec![(Native::get(), UsdvKind::get(), LP, POOL_VCAI, POOL_USDV)]
	} else {
		Vec::new()
	};
	pallet_asset_conversion::GenesisConfig::<Test> { pools }.assimilate_storage(&mut storage).unwrap();
	pallet_buyback::GenesisConfig::<Test> { params: test_params(), ..Default::default() }
		.assimilate_storage(&mut storage)
		.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		pallet_timestamp::Now::<Test>::put(GENESIS_MS);
		pallet_chain_clock::Calendar::<Test>::mutate(|c| c.start_ms = Some(GENESIS_MS));
	});
	ext
}

/// Runs a test, then checks both pallets' invariants, that the books match the accounts to the
/// base unit (USDV in = sold + held; VCAI bought = dropped + awaiting), and that no VCAI and no
/// USDV was created or destroyed.
pub fn test<R>(body: impl FnOnce() -> R) -> R {
	new_test_ext().execute_with(|| {
		let vcai_issuance = Balances::total_issuance();
		let usdv_issuance = Assets::total_issuance(USDV_ID);
		// A window of samples first, as on a chain that has been running: day 0's round has
		// found nothing to sell and is over, so what a test pays in is sold on day 1.
		run_blocks(u64::from(WINDOW) + 1);
		let result = body();
		assert_ok!(Buyback::do_try_state());
		assert_ok!(VeVcai::do_try_state());
		assert_books_match();
		assert_eq!(Balances::total_issuance(), vcai_issuance, "VCAI was created or destroyed");
		assert_eq!(Assets::total_issuance(USDV_ID), usdv_issuance, "USDV was created or destroyed");
		result
	})
}

/// USDV: revenue + other income = swapped + held, exactly. VCAI: the treasury holds its deposit
/// plus exactly what was bought and not yet dropped, and every drop reached the distributor.
pub fn assert_books_match() {
	let ledger = Ledger::<Test>::get();
	let treasury = Buyback::treasury_account();
	assert_eq!(Usdv::balance(&treasury), ledger.usdv_held(), "USDV held differs from the books");
	assert_eq!(
		Balances::balance(&treasury),
		EXISTENTIAL_DEPOSIT + ledger.vcai_awaiting_drop(),
		"VCAI held differs from the books"
	);
	assert_eq!(
		pallet_ve_vcai::DistributorTotals::<Test>::get().dropped,
		ledger.vcai_dropped,
		"the distributor saw other drops than the buyback's"
	);
}

pub fn time_of(day: DayIndex, offset: Moment) -> Moment {
	GENESIS_MS + Moment::from(day) * DAY_MS + offset
}

pub fn today() -> DayIndex {
	<ChainClock as vcity_primitives::Clock>::day_index()
}

/// The next block: its hooks see the previous block's time, then its timestamp moves 6 s on
/// (as the timestamp inherent does).
pub fn next_block() {
	let number = System::block_number() + 1;
	System::set_block_number(number);
	VeVcai::on_initialize(number);
	Buyback::on_initialize(number);
	let now = pallet_timestamp::Now::<Test>::get();
	pallet_timestamp::Now::<Test>::put(now + BLOCK_MS);
}

pub fn run_blocks(count: u64) {
	for _ in 0..count {
		next_block();
	}
}

/// Runs blocks until the one whose hooks first see `day`.
pub fn run_to_day(day: DayIndex) {
	while today() < day || last_hook_day() < day {
		next_block();
	}
}

/// The day the last block's hook ran on.
fn last_hook_day() -> DayIndex {
	pallet_ve_vcai::Global::<Test>::get().day
}

/// A fee paid into the treasury exactly as the market pays it: a transfer, then the record.
pub fn pay_fee(amount: Balance) {
	let treasury = <Buyback as RevenueSink<AccountId, Balance>>::account();
	assert_ok!(<Usdv as frame_support::traits::fungible::Mutate<AccountId>>::transfer(
		&USER,
		&treasury,
		amount,
		frame_support::traits::tokens::Preservation::Preserve
	));
	<Buyback as RevenueSink<AccountId, Balance>>::note_revenue(amount);
}

/// A four-year lock of `amount` VCAI from today.
pub fn lock(who: AccountId, amount: Balance) {
	let unlock = time_of(today() + 1_400, 0);
	assert_ok!(VeVcai::create_lock(RuntimeOrigin::signed(who), amount, unlock));
}

pub fn add_liquidity(who: AccountId, usdv: Balance, vcai: Balance) {
	assert_ok!(AssetConversion::add_liquidity(
		RuntimeOrigin::signed(who),
		Box::new(Native::get()),
		Box::new(UsdvKind::get()),
		vcai,
		usdv,
		1,
		1,
		who,
	));
}

/// Sells `usdv` of the trader's USDV for VCAI on the pool: pushes VCAI's price up.
pub fn trader_buys_vcai(usdv: Balance) {
	assert_ok!(AssetConversion::swap_exact_tokens_for_tokens(
		RuntimeOrigin::signed(TRADER),
		vec![Box::new(UsdvKind::get()), Box::new(Native::get())],
		usdv,
		1,
		TRADER,
		true,
	));
}

/// Sells `vcai` of the trader's VCAI for USDV on the pool: pushes VCAI's price down.
pub fn trader_sells_vcai(vcai: Balance) {
	assert_ok!(AssetConversion::swap_exact_tokens_for_tokens(
		RuntimeOrigin::signed(TRADER),
		vec![Box::new(Native::get()), Box::new(UsdvKind::get())],
		vcai,
		1,
		TRADER,
		true,
	));
}

pub fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Buyback(event) => Some(event),
			_ => None,
		})
		.collect()
}

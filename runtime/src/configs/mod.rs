//! Configuration of every pallet in the runtime.

pub mod accounts;
pub mod amm;
pub(crate) mod bridge;
mod buyback;
pub mod governance;
mod market;
pub(crate) mod registry;
pub(crate) mod rewards;
pub(crate) mod slashing;
mod ve;
mod verification;
pub mod vesting;

use crate::{
	AccountId, Aura, Balance, Balances, Block, BlockNumber, ChainClock, Hash, Nonce, PalletInfo, Runtime,
	RuntimeCall, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason, RuntimeOrigin, RuntimeTask, System,
	EXISTENTIAL_DEPOSIT, SLOT_DURATION, VERSION,
};
use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{
		tokens::imbalance::ResolveTo, AsEnsureOriginWithArg, ConstBool, ConstU128, ConstU32, ConstU64,
		ConstU8, VariantCountOf,
	},
	weights::{
		constants::{ParityDbWeight, WEIGHT_REF_TIME_PER_SECOND},
		ConstantMultiplier, Weight,
	},
};
use frame_system::{
	limits::{BlockLength, BlockWeights},
	EnsureNever, EnsureRoot,
};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_runtime::{traits::One, Perbill};
use sp_version::RuntimeVersion;
use vcity_primitives::VCAI;

pub use accounts::TreasuryAccount;

const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

parameter_types! {
	pub const BlockHashCount: BlockNumber = 2400;
	pub const Version: RuntimeVersion = VERSION;
	/// Two seconds of compute per 6 s block, as the template.
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::with_sensible_defaults(
		Weight::from_parts(2u64 * WEIGHT_REF_TIME_PER_SECOND, u64::MAX),
		NORMAL_DISPATCH_RATIO,
	);
	/// 5 MiB blocks, of which normal transactions may fill 75%.
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(5 * 1024 * 1024)
		.modify_max_length_for_class(DispatchClass::Normal, |max| *max = NORMAL_DISPATCH_RATIO * *max)
		.build();
	pub const SS58Prefix: u8 = 42;
}

/// Calls the runtime refuses from every signed account: `balances.burn`, which would let any
/// account destroy VCAI (only a strategic issuance changes the supply,
/// docs/economics.md#supply), and an asset `refund` with `allow_burn`, which lets an account that
/// paid an asset account's deposit destroy its USDV to get the deposit back (only USDV's issuer
/// changes its supply; the account can move its USDV out first and refund without burning). The
/// second came from reading what the runtime fuzzer's calls can reach (docs/fuzzing.md). Root is
/// not filtered: the root track could.
pub struct NoBurn;
impl frame_support::traits::Contains<RuntimeCall> for NoBurn {
	fn contains(call: &RuntimeCall) -> bool {
		!matches!(
			call,
			RuntimeCall::Balances(pallet_balances::Call::burn { .. })
				| RuntimeCall::Assets(pallet_assets::Call::refund { allow_burn: true, .. })
		)
	}
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BaseCallFilter = NoBurn;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	/// The node stores state in ParityDB.
	type DbWeight = ParityDbWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<32>;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<32>;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

impl pallet_timestamp::Config for Runtime {
	type Moment = u64;
	/// Aura checks the slot; the chain clock records the first block's time as day 0.
	type OnTimestampSet = (Aura, ChainClock);
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = pallet_timestamp::weights::SubstrateWeight<Runtime>;
}

impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ();
	type ReserveIdentifier = [u8; 8];
	type Balance = Balance;
	type RuntimeEvent = RuntimeEvent;
	/// An account reaped below the existential deposit leaves its dust to the DAO treasury (kept
	/// alive from genesis), so reaping never changes the total supply of 10,000,000,000 VCAI.
	type DustRemoval = ResolveTo<TreasuryAccount, Balances>;
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

parameter_types! {
	pub FeeMultiplier: Multiplier = Multiplier::one();
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// Fees and tips go to the DAO treasury rather than being burnt: VCAI supply changes only
	/// by the DAO's strategic issuance (docs/economics.md#supply), so total issuance stays 10,000,000,000.
	type OnChargeTransaction = FungibleAdapter<Balances, ResolveTo<TreasuryAccount, Balances>>;
	type OperationalFeeMultiplier = ConstU8<5>;
	/// 5e-12 VCAI per picosecond of weight: a transfer costs about a thousandth of a VCAI.
	type WeightToFee = ConstantMultiplier<Balance, ConstU128<5_000_000>>;
	/// A millionth of a VCAI per byte, so large calls cannot ride on cheap weight.
	type LengthToFee = ConstantMultiplier<Balance, ConstU128<{ VCAI / 1_000_000 }>>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}

impl pallet_skip_feeless_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
}

parameter_types! {
	pub const AssetDeposit: Balance = 10 * VCAI;
	pub const AssetAccountDeposit: Balance = VCAI / 100;
	pub const MetadataDepositBase: Balance = VCAI / 10;
	pub const MetadataDepositPerByte: Balance = VCAI / 1_000;
	pub const ApprovalDeposit: Balance = VCAI / 100;
}

impl pallet_assets::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Balance = Balance;
	type RemoveItemsLimit = ConstU32<1000>;
	type AssetId = u32;
	type AssetIdParameter = codec::Compact<u32>;
	type ReserveData = ();
	type Currency = Balances;
	/// Nobody creates assets by a signed call (which would let anyone pick ids the chain will
	/// need); governance uses `force_create`.
	type CreateOrigin = AsEnsureOriginWithArg<EnsureNever<AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type AssetDeposit = AssetDeposit;
	type AssetAccountDeposit = AssetAccountDeposit;
	type MetadataDepositBase = MetadataDepositBase;
	type MetadataDepositPerByte = MetadataDepositPerByte;
	type ApprovalDeposit = ApprovalDeposit;
	type StringLimit = ConstU32<50>;
	type Freezer = ();
	/// Holds on USDV (task escrow) live in `pallet-assets-holder`.
	type Holder = crate::AssetsHolder;
	type Extra = ();
	type CallbackHandle = ();
	type AssetIdAllocator = ();
	type WeightInfo = pallet_assets::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

impl pallet_utility::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = crate::OriginCaller;
	type WeightInfo = pallet_utility::weights::SubstrateWeight<Runtime>;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

impl pallet_chain_clock::Config for Runtime {
	type Time = crate::Timestamp;
	/// Ten blocks (the `dev-fast` chain's minute) to 24 hours (a real network's day).
	type MinDayMs = ConstU64<{ crate::MIN_DAY_MS }>;
	type MaxDayMs = ConstU64<{ crate::DAY_MS }>;
	/// Daily to four-weekly periods (docs/clock.md#periods).
	type MinPeriodDays = ConstU32<1>;
	type MaxPeriodDays = ConstU32<28>;
	/// Root or the parameters track.
	type GovernanceOrigin = governance::ParametersOrigin;
	type WeightInfo = pallet_chain_clock::weights::SubstrateWeight<Runtime>;
}

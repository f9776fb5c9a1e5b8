//! # Vcity runtime
//!
//! The state machine of Vcity chain: accounts and VCAI, the USDV stablecoin and its AMM, vesting
//! of the genesis allocation, and the eight pallets of `pallets/` (docs/architecture.md).
#![cfg_attr(not(feature = "std"), no_std)]
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

use alloc::vec::Vec;

pub mod apis;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarks;
pub mod configs;
pub mod genesis_config_presets;
pub mod time;

#[cfg(test)]
mod tests;

use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::RuntimeVersion;

pub use time::*;
pub use vcity_primitives::{Balance, USDV, USDV_ASSET_ID, VCAI};

#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;

/// Opaque types the node and other clients use without knowing the runtime's calls.
pub mod opaque {
	use super::*;
	use sp_runtime::traits::Hash as HashT;

	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	pub type BlockId = generic::BlockId<Block>;
	pub type Hash = <BlakeTwo256 as HashT>::Output;
}

impl_opaque_keys! {
	pub struct SessionKeys {
		pub aura: Aura,
		pub grandpa: Grandpa,
	}
}

#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("vcity"),
	impl_name: alloc::borrow::Cow::Borrowed("vcity-node"),
	authoring_version: 1,
	spec_version: 116,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	// 2: fees may be paid in an asset (`ChargeAssetTxPayment` carries an asset id).
	// 3: `set_challenge_params` carries each row's memory walk.
	// 4: the `CheckVestedTransfer` extension.
	transaction_version: 4,
	system_version: 1,
};

/// Smallest VCAI balance an account may hold.
pub const EXISTENTIAL_DEPOSIT: Balance = VCAI / 1_000;

pub type Signature = MultiSignature;
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
pub type Nonce = u32;
pub type Hash = sp_core::H256;
pub type BlockNumber = u32;
pub type Address = MultiAddress<AccountId, ()>;
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
pub type SignedBlock = generic::SignedBlock<Block>;
pub type BlockId = generic::BlockId<Block>;

/// Checks every signed transaction goes through. `CheckHeartbeat` keeps invalid heartbeats out of
/// the pool, and fees are skipped for calls a pallet declares feeless (valid heartbeats).
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	// Before the fee: a refused heartbeat then reports why (not "cannot pay") even when the
	// operator holds only the existential deposit.
	pallet_compute_registry::CheckHeartbeat<Runtime>,
	configs::vesting::CheckVestedTransfer,
	pallet_skip_feeless_payment::SkipCheckIfFeeless<
		Runtime,
		pallet_asset_conversion_tx_payment::ChargeAssetTxPayment<Runtime>,
	>,
	frame_system::WeightReclaim<Runtime>,
);

pub type UncheckedExtrinsic = generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Migrations to run on the next runtime upgrade, each guarded by its pallet's storage version.
type Migrations = (
	pallet_chain_clock::migrations::v1::MigrateV0ToV1<Runtime>,
	pallet_rewards::migrations::v1::MigrateV0ToV1<Runtime>,
	pallet_compute_market::migrations::v1::MigrateV0ToV1<Runtime>,
	pallet_compute_market::migrations::v2::MigrateV1ToV2<Runtime>,
	pallet_verification::migrations::v1::MigrateV0ToV1<Runtime>,
	pallet_slashing::migrations::v1::MigrateV0ToV1<Runtime, configs::slashing::UpgradeParams>,
	pallet_compute_registry::migrations::v1::MigrateV0ToV1<Runtime, configs::registry::ClassFactorTierLists>,
);

pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;
	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;
	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;
	#[runtime::pallet_index(6)]
	pub type SkipFeelessPayment = pallet_skip_feeless_payment;
	#[runtime::pallet_index(7)]
	pub type Assets = pallet_assets;
	#[runtime::pallet_index(8)]
	pub type Vesting = pallet_vesting;
	#[runtime::pallet_index(9)]
	pub type Utility = pallet_utility;
	#[runtime::pallet_index(10)]
	pub type Sudo = pallet_sudo;
	#[runtime::pallet_index(11)]
	pub type AssetsHolder = pallet_assets_holder;
	#[runtime::pallet_index(12)]
	pub type PoolAssets = pallet_assets<Instance1>;
	#[runtime::pallet_index(13)]
	pub type AssetConversion = pallet_asset_conversion;
	#[runtime::pallet_index(14)]
	pub type AssetTxPayment = pallet_asset_conversion_tx_payment;
	#[runtime::pallet_index(20)]
	pub type ChainClock = pallet_chain_clock;
	#[runtime::pallet_index(22)]
	pub type ComputeMarket = pallet_compute_market;
	/// Before the buyback: a new day is snapshotted before its drop lands.
	#[runtime::pallet_index(23)]
	pub type VeVcai = pallet_ve_vcai;
	/// After veVCAI, so on a new day the distributor has closed the old one before the buyback
	/// drops into the new one.
	#[runtime::pallet_index(24)]
	pub type Buyback = pallet_buyback;
	/// After the buyback: on a day that also starts a period, the day's drop lands first.
	#[runtime::pallet_index(25)]
	pub type Rewards = pallet_rewards;
	/// No calls and no storage: its offchain worker bridges an operator's GPU agent.
	#[runtime::pallet_index(26)]
	pub type AgentBridge = pallet_agent_bridge;
	/// After the market: its hook re-sets the stake multiplier at a period's start from the
	/// utilization of the period that ended, which the market's hook closes first. Hooks run in
	/// index order.
	#[runtime::pallet_index(27)]
	pub type ComputeRegistry = pallet_compute_registry;
	/// After the registry: a slash executes on the stake as the block's other hooks left it.
	#[runtime::pallet_index(28)]
	pub type Slashing = pallet_slashing;

	#[runtime::pallet_index(29)]
	pub type Verification = pallet_verification;

	// The DAO (docs/governance.md).
	#[runtime::pallet_index(30)]
	pub type Scheduler = pallet_scheduler;
	#[runtime::pallet_index(31)]
	pub type Preimage = pallet_preimage;
	#[runtime::pallet_index(32)]
	pub type Referenda = pallet_referenda;
	#[runtime::pallet_index(33)]
	pub type Governance = pallet_governance;
	#[runtime::pallet_index(34)]
	pub type VeVoting = pallet_ve_voting;
	#[runtime::pallet_index(35)]
	pub type Supply = pallet_supply;
}

//! The chain the fuzzer drives: the runtime's genesis preset in `TestExternalities`, and blocks
//! built the way a node builds them (`Executive::initialize_block` with an Aura slot, the
//! timestamp inherent, signed extrinsics through every transaction extension, then
//! `finalize_block`). Nothing is called around the runtime's own entry points, so a call reaches
//! the state only as a real transaction would.

use codec::Encode;
use sp_consensus_aura::{Slot, AURA_ENGINE_ID};
use sp_core::{sr25519, Pair};
use sp_genesis_builder::PresetId;
use sp_runtime::{
	generic::Era, traits::Header as _, transaction_validity::TransactionValidityError, ApplyExtrinsicResult,
	BuildStorage, Digest, DigestItem, DispatchError, MultiAddress, Storage,
};
use vcity_runtime::{
	configs::amm::AssetKind, genesis_config_presets::get_preset, AccountId, Executive, Header, Runtime,
	RuntimeCall, RuntimeGenesisConfig, SignedPayload, System, TxExtension, UncheckedExtrinsic, SLOT_DURATION,
};

/// The storage of a genesis preset, built once and copied for every input.
pub fn genesis(preset: &str) -> Storage {
	let json = get_preset(&PresetId::from(preset)).expect("the preset exists");
	let config: RuntimeGenesisConfig = serde_json::from_slice(&json).expect("the preset parses");
	config.build_storage().expect("the preset builds")
}

/// A signing account of the fuzzer.
pub struct Signer {
	pub pair: sr25519::Pair,
	pub account: AccountId,
}

impl Signer {
	pub fn from_uri(uri: &str) -> Self {
		let pair = sr25519::Pair::from_string(uri, None).expect("a valid derivation");
		let account = AccountId::from(pair.public());
		Signer { pair, account }
	}
}

/// Where the chain is: the parent's hash and the next block's number and time.
pub struct Chain {
	parent_hash: sp_core::H256,
	number: u32,
	now_ms: u64,
}

/// What applying one extrinsic came to.
pub enum Applied {
	/// Included; the call itself succeeded or failed with this error.
	Included(Result<(), DispatchError>),
	/// Refused before dispatch, as the pool or the block builder would refuse it.
	Refused(TransactionValidityError),
}

impl Chain {
	/// The chain after genesis: block 1 comes next, at `start_ms`.
	pub fn new(start_ms: u64) -> Self {
		Chain { parent_hash: System::block_hash(0), number: 1, now_ms: start_ms }
	}

	pub fn number(&self) -> u32 {
		self.number
	}

	/// Opens the next block `slots` slots after the last one (at least one): its header with the
	/// Aura slot of its time, then the timestamp inherent.
	pub fn open_block(&mut self, slots: u64) {
		self.now_ms += SLOT_DURATION * slots.max(1);
		let slot = Slot::from(self.now_ms / SLOT_DURATION);
		let digest = Digest { logs: vec![DigestItem::PreRuntime(AURA_ENGINE_ID, slot.encode())] };
		let header =
			Header::new(self.number, Default::default(), Default::default(), self.parent_hash, digest);
		Executive::initialize_block(&header);
		let timestamp = UncheckedExtrinsic::new_bare(RuntimeCall::Timestamp(pallet_timestamp::Call::set {
			now: self.now_ms,
		}));
		Executive::apply_extrinsic(timestamp)
			.expect("the timestamp inherent is valid")
			.expect("the timestamp inherent dispatches");
		// What a block builder calls after the inherents (the `on_poll` hooks and the
		// multi-block migrations), here rather than inside the first signed transaction, so a
		// panic there is blamed on the block and not on that transaction.
		Executive::inherents_applied();
	}

	/// Closes the block: every `on_finalize`, then the header a node would seal.
	pub fn close_block(&mut self) {
		let header = Executive::finalize_block();
		self.parent_hash = header.hash();
		self.number += 1;
	}

	/// Signs `call` as `signer` with its next nonce, paying the fee in `fee_asset` (VCAI when
	/// `None`) with `tip`, and applies it in the open block.
	pub fn apply_signed(
		&self,
		signer: &Signer,
		call: RuntimeCall,
		fee_asset: Option<AssetKind>,
		tip: u128,
	) -> Applied {
		let nonce = System::account_nonce(&signer.account);
		let extensions: TxExtension = (
			frame_system::CheckNonZeroSender::<Runtime>::new(),
			frame_system::CheckSpecVersion::<Runtime>::new(),
			frame_system::CheckTxVersion::<Runtime>::new(),
			frame_system::CheckGenesis::<Runtime>::new(),
			frame_system::CheckEra::<Runtime>::from(Era::Immortal),
			frame_system::CheckNonce::<Runtime>::from(nonce),
			frame_system::CheckWeight::<Runtime>::new(),
			pallet_compute_registry::CheckHeartbeat::<Runtime>::new(),
			vcity_runtime::configs::vesting::CheckVestedTransfer,
			pallet_asset_conversion_tx_payment::ChargeAssetTxPayment::<Runtime>::from(tip, fee_asset).into(),
			frame_system::WeightReclaim::<Runtime>::new(),
		);
		let payload = SignedPayload::new(call, extensions).expect("the extensions' implicit data exists");
		let signature = payload.using_encoded(|bytes| signer.pair.sign(bytes));
		let (call, extensions, _) = payload.deconstruct();
		let extrinsic = UncheckedExtrinsic::new_signed(
			call,
			MultiAddress::Id(signer.account.clone()),
			signature.into(),
			extensions,
		);
		outcome(Executive::apply_extrinsic(extrinsic))
	}
}

fn outcome(result: ApplyExtrinsicResult) -> Applied {
	match result {
		Ok(dispatched) => Applied::Included(dispatched),
		Err(refused) => Applied::Refused(refused),
	}
}

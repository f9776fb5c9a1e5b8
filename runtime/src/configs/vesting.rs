//! Token release schedules (`pallet-vesting`), on the chain clock, and the check that keeps a
//! vested transfer from naming its own sender.

use crate::{AccountId, Balance, Balances, BlockNumber, Runtime, RuntimeCall, RuntimeEvent, VESTING_TICK_MS};
use codec::{Decode, DecodeWithMemTracking, Encode};
use frame_support::{pallet_prelude::TransactionSource, parameter_types, traits::WithdrawReasons};
use scale_info::TypeInfo;
use sp_runtime::{
	impl_tx_ext_default,
	traits::{
		AsSystemOriginSigner, BlockNumberProvider, ConvertInto, DispatchInfoOf, Dispatchable, StaticLookup,
		TransactionExtension, ValidateResult,
	},
	transaction_validity::{InvalidTransaction, ValidTransaction},
};
use vcity_primitives::{Clock, VCAI};

parameter_types! {
	pub const MinVestedTransfer: Balance = VCAI;
	pub UnvestedFundsAllowedWithdrawReasons: WithdrawReasons =
		WithdrawReasons::except(WithdrawReasons::TRANSFER | WithdrawReasons::RESERVE);
}

impl pallet_vesting::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type BlockNumberToBalance = ConvertInto;
	type MinVestedTransfer = MinVestedTransfer;
	type WeightInfo = pallet_vesting::weights::SubstrateWeight<Runtime>;
	type UnvestedFundsAllowedWithdrawReasons = UnvestedFundsAllowedWithdrawReasons;
	/// Schedules start and run in ticks of the chain clock ([`VestingClock`]), so a vested
	/// transfer names its start in ticks too (docs/economics.md#vesting).
	type BlockNumberProvider = VestingClock;
	const MAX_VESTING_SCHEDULES: u32 = 28;
}

/// Vesting's notion of "now": 6-second ticks of the timestamp since the chain's first block.
///
/// Counting blocks, a release would slip by every missed slot, and 30-day months ended the team's
/// schedule near day 1,800 instead of 1,826. Counting the timestamp, every bucket unlocks on its
/// calendar date. Before the first block's timestamp (genesis) it is tick 0.
pub struct VestingClock;

impl BlockNumberProvider for VestingClock {
	type BlockNumber = BlockNumber;

	fn current_block_number() -> BlockNumber {
		let Some(start_ms) = pallet_chain_clock::Calendar::<Runtime>::get().start_ms else { return 0 };
		let ticks = <crate::ChainClock as Clock>::now_ms().saturating_sub(start_ms) / VESTING_TICK_MS;
		BlockNumber::try_from(ticks).unwrap_or(BlockNumber::MAX)
	}
}

/// Refuses a vested transfer whose target is the account that sends it, at the top level or inside
/// any utility call (batches, `if_else`, `with_weight`, a derivative account's call).
///
/// Such a transfer moves nothing (a transfer to oneself is a no-op that skips the balance check),
/// and then locks the schedule's amount on the sender. For a sender that holds no VCAI (it pays
/// its fees in USDV), placing that lock fails inside the balances pallet after the schedule is
/// stored: a schedule and a lock entry that no balance backs, and a defensive failure (the
/// runtime fuzzer found it, docs/fuzzing.md). Nobody needs to vest their own funds to
/// themselves, so the pool refuses it up front.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, Eq, PartialEq, TypeInfo, Default)]
pub struct CheckVestedTransfer;

/// `InvalidTransaction::Custom` code of a vested transfer to its own sender.
pub const VESTED_TRANSFER_TO_SELF: u8 = 20;

impl core::fmt::Debug for CheckVestedTransfer {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		write!(f, "CheckVestedTransfer")
	}
}

/// Whether `call`, dispatched as `who`, holds a vested transfer to `who`. Nesting is bounded by
/// the call decoder's depth limit. Every call of the utility pallet is matched by name, so a new
/// one that wraps calls fails to compile here until it is looked at.
fn vests_to_self(call: &RuntimeCall, who: &AccountId) -> bool {
	use pallet_utility::Call as Utility;
	match call {
		RuntimeCall::Vesting(pallet_vesting::Call::vested_transfer { target, .. }) => {
			<Runtime as frame_system::Config>::Lookup::lookup(target.clone()).is_ok_and(|t| &t == who)
		}
		RuntimeCall::Utility(utility) => match utility {
			Utility::batch { calls } | Utility::batch_all { calls } | Utility::force_batch { calls } => {
				calls.iter().any(|inner| vests_to_self(inner, who))
			}
			Utility::as_derivative { index, call } => {
				vests_to_self(call, &pallet_utility::derivative_account_id(who.clone(), *index))
			}
			Utility::if_else { main, fallback } => vests_to_self(main, who) || vests_to_self(fallback, who),
			Utility::with_weight { call, .. } => vests_to_self(call, who),
			// Root only, and under another origin: the signer's own check does not apply.
			Utility::dispatch_as { .. } | Utility::dispatch_as_fallible { .. } => false,
			Utility::__Ignore(..) => false,
		},
		_ => false,
	}
}

impl TransactionExtension<RuntimeCall> for CheckVestedTransfer {
	const IDENTIFIER: &'static str = "CheckVestedTransfer";
	type Implicit = ();
	type Val = ();
	type Pre = ();

	fn weight(&self, _call: &RuntimeCall) -> frame_support::weights::Weight {
		// A match on the call, in memory; a batch's calls were decoded and paid for already.
		frame_support::weights::Weight::zero()
	}

	fn validate(
		&self,
		origin: <RuntimeCall as Dispatchable>::RuntimeOrigin,
		call: &RuntimeCall,
		_info: &DispatchInfoOf<RuntimeCall>,
		_len: usize,
		_self_implicit: Self::Implicit,
		_inherited_implication: &impl Encode,
		_source: TransactionSource,
	) -> ValidateResult<Self::Val, RuntimeCall> {
		if let Some(who) = origin.as_system_origin_signer() {
			if vests_to_self(call, who) {
				return Err(InvalidTransaction::Custom(VESTED_TRANSFER_TO_SELF).into());
			}
		}
		Ok((ValidTransaction::default(), (), origin))
	}

	impl_tx_ext_default!(RuntimeCall; prepare);
}

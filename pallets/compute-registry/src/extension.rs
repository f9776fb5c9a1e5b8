//! [`CheckHeartbeat`]: keeps invalid heartbeats out of the transaction pool.
//!
//! Heartbeats pay no fee (`feeless_if` under `SkipCheckIfFeeless`), so without this extension a
//! stranger or an early beat would cost the network a pool slot and block space for free. Here
//! `validate` rejects them before they enter the pool, and a valid beat `provides` the tag
//! `(node, window)`, so at most one beat per node and window can be pending or included.

use crate::{pallet::*, weights::WeightInfo, Call};
use codec::{Decode, DecodeWithMemTracking, Encode};
use core::marker::PhantomData;
use frame_support::{pallet_prelude::*, traits::IsSubType};
use sp_runtime::{
	impl_tx_ext_default,
	traits::{AsSystemOriginSigner, DispatchInfoOf, Dispatchable, TransactionExtension, ValidateResult},
	transaction_validity::{InvalidTransaction, TransactionSource, ValidTransaction},
};
use vcity_primitives::CHARGED_NETWORK_SIZE;

/// Tag prefix of the `provides` of a heartbeat.
pub const HEARTBEAT_TAG: &[u8] = b"vcity/heartbeat";

/// Codes of [`InvalidTransaction::Custom`] for rejected heartbeats, so agents can tell why.
pub mod reject {
	/// The signer is not the node's operator, or the node does not exist.
	pub const NOT_OPERATOR: u8 = 1;
	/// The node's next window has not opened yet.
	pub const TOO_EARLY: u8 = 2;
	/// The node is unbonding, suspended, exited or banned.
	pub const NOT_ACTIVE: u8 = 3;
	/// The metrics are out of range.
	pub const BAD_METRICS: u8 = 4;
}

/// Transaction extension validating heartbeats in the pool; transparent for every other call.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, Eq, PartialEq, TypeInfo)]
#[scale_info(skip_type_params(T))]
pub struct CheckHeartbeat<T>(PhantomData<T>);

impl<T> CheckHeartbeat<T> {
	pub fn new() -> Self {
		Self(PhantomData)
	}
}

impl<T> Default for CheckHeartbeat<T> {
	fn default() -> Self {
		Self::new()
	}
}

impl<T> core::fmt::Debug for CheckHeartbeat<T> {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		write!(f, "CheckHeartbeat")
	}
}

impl<T: Config> Error<T> {
	/// The pool's view of a heartbeat the registry refuses.
	pub fn as_invalid_heartbeat(&self) -> InvalidTransaction {
		let code = match self {
			Error::HeartbeatTooEarly => reject::TOO_EARLY,
			Error::NodeNotActive => reject::NOT_ACTIVE,
			Error::InvalidMetrics => reject::BAD_METRICS,
			_ => reject::NOT_OPERATOR,
		};
		InvalidTransaction::Custom(code)
	}
}

impl<T: Config + Send + Sync> TransactionExtension<T::RuntimeCall> for CheckHeartbeat<T>
where
	T::RuntimeCall: Dispatchable + IsSubType<Call<T>>,
	<T::RuntimeCall as Dispatchable>::RuntimeOrigin: AsSystemOriginSigner<T::AccountId> + Clone,
{
	const IDENTIFIER: &'static str = "CheckHeartbeat";
	type Implicit = ();
	type Val = ();
	type Pre = ();

	fn weight(&self, call: &T::RuntimeCall) -> Weight {
		match call.is_sub_type() {
			Some(Call::heartbeat { .. }) => T::WeightInfo::check_heartbeat(CHARGED_NETWORK_SIZE),
			_ => Weight::zero(),
		}
	}

	fn validate(
		&self,
		origin: <T::RuntimeCall as Dispatchable>::RuntimeOrigin,
		call: &T::RuntimeCall,
		_info: &DispatchInfoOf<T::RuntimeCall>,
		_len: usize,
		_self_implicit: Self::Implicit,
		_inherited_implication: &impl Encode,
		_source: TransactionSource,
	) -> ValidateResult<Self::Val, T::RuntimeCall> {
		let Some(Call::heartbeat { node, metrics }) = call.is_sub_type() else {
			return Ok((ValidTransaction::default(), (), origin));
		};
		let who = origin.as_system_origin_signer().ok_or(InvalidTransaction::BadSigner)?;
		let check =
			Pallet::<T>::check_heartbeat(who, *node, metrics).map_err(|e| e.as_invalid_heartbeat())?;
		// The block author meets this when the block holds its quota of beats: the beat waits
		// in the pool for the next block.
		if Pallet::<T>::heartbeats_in_this_block() >= T::MaxHeartbeatsPerBlock::get() {
			return Err(InvalidTransaction::ExhaustsResources.into());
		}
		let block_ms = T::BlockTimeMs::get().max(1);
		let validity = ValidTransaction::with_tag_prefix("CheckHeartbeat")
			.and_provides((HEARTBEAT_TAG, *node, check.window))
			.priority(T::HeartbeatPriority::get())
			// A beat is worth nothing once its window closed: let the pool drop it then.
			.longevity(check.window_left_ms.div_ceil(block_ms).max(1))
			.build()?;
		Ok((validity, (), origin))
	}

	impl_tx_ext_default!(T::RuntimeCall; prepare);
}

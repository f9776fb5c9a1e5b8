//! The agent bridge: the offchain worker of an operator's node, and how the runtime signs what
//! it submits.

use crate::{
	AccountId, ChainClock, ComputeMarket, ComputeRegistry, Nonce, Runtime, RuntimeCall, Signature,
	SignedPayload, System, TxExtension, UncheckedExtrinsic,
};
use alloc::vec::Vec;
use codec::Encode;
use frame_support::{
	traits::{ConstU64, Get},
	BoundedVec,
};
use frame_system::offchain::{AppCrypto, CreateSignedTransaction, CreateTransactionBase, SigningTypes};
use sp_runtime::{
	generic::Era,
	traits::{SaturatedConversion, Verify},
	MultiAddress,
};
use vcity_primitives::{Digest, GpuSeconds, HeartbeatMetrics, NodeId, TaskId};

/// Blocks a transaction of the worker stays valid, and after which the worker takes it as
/// dropped and submits again: two windows of the same length never overlap, so a step cannot
/// land twice. Shorter than the acknowledgement window in force, so a node whose acknowledgement
/// was lost (a restart, a reorg) still acknowledges in time: 8 blocks, or 4 where the window is
/// 8 blocks or shorter (`dev-fast`'s is 5; the market refuses windows under 5, `MinAckWindow`).
/// A power of two, as eras are, and 4 at least, the shortest era.
pub struct WorkerTxLifetime;
impl Get<crate::BlockNumber> for WorkerTxLifetime {
	fn get() -> crate::BlockNumber {
		let ack_window = ComputeMarket::params().map(|p| p.ack_window).unwrap_or(crate::MINUTES);
		if ack_window > 8 {
			8
		} else {
			4
		}
	}
}

impl pallet_agent_bridge::Config for Runtime {
	type OperatorKey = pallet_agent_bridge::crypto::OperatorKey;
	type Registry = ComputeRegistry;
	type Market = ComputeMarket;
	type Matching = ComputeMarket;
	type Calls = RuntimeOperatorCalls;
	type Verification = crate::Verification;
	type Clock = ChainClock;
	/// A local agent answers in milliseconds; two seconds leave room for a loaded host and keep
	/// a hung agent from holding the worker past a third of a block.
	type AgentTimeoutMs = ConstU64<2_000>;
	type ResubmitAfter = WorkerTxLifetime;
}

/// The registry's and the market's calls the worker submits.
pub struct RuntimeOperatorCalls;

impl pallet_agent_bridge::OperatorCalls<RuntimeCall> for RuntimeOperatorCalls {
	fn heartbeat(node: NodeId, metrics: HeartbeatMetrics) -> RuntimeCall {
		pallet_compute_registry::Call::heartbeat { node, metrics }.into()
	}
	fn acknowledge_task(task: TaskId) -> RuntimeCall {
		pallet_compute_market::Call::acknowledge_task { task }.into()
	}
	fn decline_task(task: TaskId) -> RuntimeCall {
		pallet_compute_market::Call::decline_task { task }.into()
	}
	fn start_task(task: TaskId) -> RuntimeCall {
		pallet_compute_market::Call::start_task { task }.into()
	}
	fn report_usage(task: TaskId, used_gpu_seconds: GpuSeconds) -> RuntimeCall {
		pallet_compute_market::Call::report_usage { task, used_gpu_seconds }.into()
	}
	fn complete_task(task: TaskId, result: Digest, used_gpu_seconds: GpuSeconds) -> RuntimeCall {
		pallet_compute_market::Call::complete_task { task, result, used_gpu_seconds }.into()
	}
	fn report_failure(task: TaskId) -> RuntimeCall {
		pallet_compute_market::Call::report_failure { task }.into()
	}
	fn assign_tasks(assignments: Vec<(TaskId, NodeId)>) -> Option<RuntimeCall> {
		let assignments = BoundedVec::try_from(assignments).ok()?;
		Some(pallet_compute_market::Call::assign_tasks { assignments }.into())
	}
	fn commit_answer(job: vcity_primitives::JobId, commitment: [u8; 32]) -> RuntimeCall {
		pallet_verification::Call::commit_answer { job, commitment }.into()
	}
	fn reveal_answer(
		job: vcity_primitives::JobId,
		answer: vcity_primitives::CheckAnswer,
		salt: [u8; 32],
	) -> RuntimeCall {
		pallet_verification::Call::reveal_answer { job, answer, salt }.into()
	}
	fn join_pool(node: NodeId) -> RuntimeCall {
		pallet_verification::Call::join_pool { node }.into()
	}
}

impl SigningTypes for Runtime {
	type Public = <Signature as Verify>::Signer;
	type Signature = Signature;
}

impl<LocalCall> CreateTransactionBase<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	type Extrinsic = UncheckedExtrinsic;
	type RuntimeCall = RuntimeCall;
}

/// The extensions an operator's transaction carries: those of any signed transaction, the fee
/// in VCAI with no tip (heartbeats stay free through the feeless check).
fn operator_extensions(nonce: Nonce) -> TxExtension {
	let current = System::block_number().saturated_into::<u64>();
	let lifetime = u64::from(WorkerTxLifetime::get());
	(
		frame_system::CheckNonZeroSender::<Runtime>::new(),
		frame_system::CheckSpecVersion::<Runtime>::new(),
		frame_system::CheckTxVersion::<Runtime>::new(),
		frame_system::CheckGenesis::<Runtime>::new(),
		// Born in the parent block, whose hash the pool knows.
		frame_system::CheckEra::<Runtime>::from(Era::mortal(lifetime, current.saturating_sub(1))),
		frame_system::CheckNonce::<Runtime>::from(nonce),
		frame_system::CheckWeight::<Runtime>::new(),
		pallet_compute_registry::CheckHeartbeat::<Runtime>::new(),
		crate::configs::vesting::CheckVestedTransfer,
		pallet_asset_conversion_tx_payment::ChargeAssetTxPayment::<Runtime>::from(0, None).into(),
		frame_system::WeightReclaim::<Runtime>::new(),
	)
}

impl<LocalCall> CreateSignedTransaction<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	fn create_signed_transaction<C: AppCrypto<Self::Public, Self::Signature>>(
		call: RuntimeCall,
		public: Self::Public,
		account: AccountId,
		nonce: Nonce,
	) -> Option<UncheckedExtrinsic> {
		let payload = SignedPayload::new(call, operator_extensions(nonce)).ok()?;
		let signature = payload.using_encoded(|bytes| C::sign(bytes, public))?;
		let (call, extensions, _) = payload.deconstruct();
		Some(UncheckedExtrinsic::new_signed(call, MultiAddress::Id(account), signature, extensions))
	}
}

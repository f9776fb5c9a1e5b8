//! Verification: verifier nodes from the registry audit the market's recomputable deliveries
//! and check the capacity of compute nodes drawn for challenges;
//! false results and verifiers' misconduct go to the slashing pallet; verifiers are paid from a
//! share of every payment the market carves out of the protocol's part.

use super::{accounts::VerificationPalletId, market::Usdv};
use crate::{
	AccountId, ChainClock, ComputeMarket, ComputeRegistry, Runtime, RuntimeHoldReason, Signature, Slashing,
	MILLI_SECS_PER_BLOCK,
};
use frame_support::traits::{ConstU32, ConstU64};

impl pallet_verification::Config for Runtime {
	type Stablecoin = Usdv;
	/// Free USDV moves through `pallet-assets` itself (holds stay with the holder pallet).
	type Payments =
		frame_support::traits::fungible::ItemOf<crate::Assets, super::market::UsdvAssetId, AccountId>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Registry = ComputeRegistry;
	type Market = ComputeMarket;
	type Offences = Slashing;
	/// Operator keys sign result statements as they sign transactions.
	type Signature = Signature;
	type PalletId = VerificationPalletId;
	/// Root or the parameters track.
	type GovernanceOrigin = super::governance::ParametersOrigin;
	/// Ten thousand verifiers: a draw reads a slot by index, so the pool's size costs nothing.
	type MaxVerifiers = ConstU32<10_000>;
	/// As many draws as timeouts of one kind the market fires a block: every delivery the
	/// market can settle in a block can be drawn in one.
	type MaxDrawsPerBlock = ConstU32<128>;
	/// Jobs are a twentieth of deliveries at the default fraction, plus disputes.
	type MaxJobEndsPerBlock = ConstU32<32>;
	/// A tenth of a million online nodes a day is seven challenges a block; sixteen leave room.
	type MaxChallengesPerBlock = ConstU32<16>;
	type Clock = ChainClock;
	type BlockTimeMs = ConstU64<MILLI_SECS_PER_BLOCK>;
	type WeightInfo = pallet_verification::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = VerificationBenchmarks;
}

/// Nodes, delivered tasks, USDV and operator keys for the verification benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct VerificationBenchmarks;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_verification::benchmarking::BenchmarkHelper<AccountId, Signature> for VerificationBenchmarks {
	fn online_node(owner: &AccountId, operator: &AccountId, verifier: bool) -> vcity_primitives::NodeId {
		use frame_support::traits::fungible::Mutate as _;
		use vcity_primitives::{GpuSpec, HeartbeatMetrics, NodeKind, NodeRoles, VCAI};
		let gpu = GpuSpec {
			model: frame_support::BoundedVec::truncate_from(b"NVIDIA H100 80GB HBM3".to_vec()),
			count: 1,
			vram_per_gpu_gib: 80,
		};
		let stake = ComputeRegistry::required_stake(&gpu).unwrap_or(VCAI);
		use frame_support::traits::fungible::Inspect;
		let held = crate::Balances::total_balance(owner);
		let _ = crate::Balances::set_balance(owner, held.saturating_add(stake.saturating_mul(2)));
		let _ = crate::Balances::set_balance(operator, VCAI);
		let id = pallet_compute_registry::NextNodeId::<Runtime>::get();
		let registered = ComputeRegistry::register_node(
			crate::RuntimeOrigin::signed(owner.clone()),
			NodeKind::Stable,
			NodeRoles { compute: !verifier, verifier, scheduler: false },
			gpu,
			frame_support::BoundedVec::truncate_from(b"eu-west".to_vec()),
			vcity_primitives::USDV,
			operator.clone(),
			stake,
		);
		debug_assert!(registered.is_ok(), "the benchmark node registers: {registered:?}");
		let _ = ComputeRegistry::heartbeat(
			crate::RuntimeOrigin::signed(operator.clone()),
			id,
			HeartbeatMetrics::default(),
		);
		id
	}

	fn fund(who: &AccountId, amount: crate::Balance) {
		use frame_support::traits::fungibles::Mutate;
		let _ = crate::Assets::mint_into(vcity_primitives::USDV_ASSET_ID, who, amount);
	}

	fn deliver(node: vcity_primitives::NodeId, owner: &AccountId) -> vcity_primitives::TaskId {
		use vcity_primitives::{
			Billing, BuiltinWorkload, GpuClass, Placement, TaskRequirements, Workload, USDV,
		};
		// An unknown node delivers nothing: the benchmark's check of the delivery says so.
		let Some(operator) = pallet_compute_registry::Nodes::<Runtime>::get(node).map(|n| n.operator) else {
			return 0;
		};
		let id = pallet_compute_market::NextTaskId::<Runtime>::get();
		let as_owner = || crate::RuntimeOrigin::signed(owner.clone());
		let as_operator = || crate::RuntimeOrigin::signed(operator.clone());
		let requirements = TaskRequirements {
			gpus: 1,
			min_vram_per_gpu_gib: 1,
			min_gpu_class: GpuClass::Consumer,
			min_stage: 0,
			placement: Placement::Anywhere,
		};
		let steps = [
			ComputeMarket::submit_task(
				as_owner(),
				requirements,
				3_600,
				frame_system::Pallet::<Runtime>::block_number() + 1_000,
				10 * USDV,
				Workload::Builtin(BuiltinWorkload::MatrixProduct { seed: 1, size: 256, rounds: 1 }),
				Billing::PerTask,
			),
			ComputeMarket::assign_directly(as_owner(), id, node),
			ComputeMarket::acknowledge_task(as_operator(), id),
			ComputeMarket::start_task(as_operator(), id),
			ComputeMarket::complete_task(as_operator(), id, [1; 32], 0),
		];
		debug_assert!(steps.iter().all(|step| step.is_ok()), "the benchmark task is delivered: {steps:?}");
		id
	}

	fn fill_register(count: u32) {
		pallet_compute_registry::benchmarking::populate::<Runtime>(count);
	}

	fn operator_key() -> AccountId {
		use sp_runtime::RuntimeAppPublic;
		let public = pallet_agent_bridge::crypto::Public::generate_pair(None);
		AccountId::from(sp_core::sr25519::Public::from(public).0)
	}

	fn sign(signer: &AccountId, payload: &[u8]) -> Signature {
		use sp_runtime::RuntimeAppPublic;
		let raw: &[u8; 32] = signer.as_ref();
		let public = pallet_agent_bridge::crypto::Public::from(sp_core::sr25519::Public::from_raw(*raw));
		// A key missing from the keystore signs nothing: the benchmark's proof is refused and
		// its check says so.
		let signature = public
			.sign(&payload)
			.map(Into::into)
			.unwrap_or_else(|| sp_core::sr25519::Signature::from_raw([0; 64]));
		Signature::Sr25519(signature)
	}
}

//! The runtime APIs the node, wallets and the `vcity_*` RPC call.

use alloc::vec::Vec;
use frame_support::{
	genesis_builder_helper::{build_state, get_preset},
	weights::Weight,
};
use pallet_grandpa::AuthorityId as GrandpaId;
use sp_api::impl_runtime_apis;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_core::{crypto::KeyTypeId, OpaqueMetadata};
use sp_runtime::{
	traits::{Block as BlockT, NumberFor},
	transaction_validity::{TransactionSource, TransactionValidity},
	ApplyExtrinsicResult,
};
use sp_version::RuntimeVersion;
use vcity_primitives::{
	BuybackParams, BuybackRecord, DayIndex, GpuSpec, MarketStats, NodeFilter, NodeId, NodeInfo,
	NodeOfferPage, NodePage, PendingRewards, PeriodIndex, PeriodRewards, Quote, RewardsOverview,
	SupplyShareAt, TaskId, TaskInfo, TaskPage, TaskRequirements, TreasuryView, VeLockView, VeTotals,
	VeWeight,
};

use super::{
	configs::amm::AssetKind, AccountId, AssetConversion, Aura, Balance, Block, BlockNumber, Buyback,
	ComputeMarket, ComputeRegistry, Executive, Grandpa, InherentDataExt, Nonce, Rewards, Runtime,
	RuntimeCall, RuntimeGenesisConfig, SessionKeys, Slashing, System, TransactionPayment, VeVcai, VERSION,
};

type PaymentInfo = pallet_transaction_payment::RuntimeDispatchInfo<Balance>;

type FeeDetails = pallet_transaction_payment::FeeDetails<Balance>;

impl_runtime_apis! {
	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block);
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> sp_runtime::ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl frame_support::view_functions::runtime_api::RuntimeViewFunction<Block> for Runtime {
		fn execute_view_function(
			id: frame_support::view_functions::ViewFunctionId,
			input: Vec<u8>,
		) -> Result<Vec<u8>, frame_support::view_functions::ViewFunctionDispatchError> {
			Runtime::execute_view_function(id, input)
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_consensus_aura::AuraApi<Block, AuraId> for Runtime {
		fn slot_duration() -> sp_consensus_aura::SlotDuration {
			sp_consensus_aura::SlotDuration::from_millis(Aura::slot_duration())
		}

		fn authorities() -> Vec<AuraId> {
			pallet_aura::Authorities::<Runtime>::get().into_inner()
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(owner: Vec<u8>, seed: Option<Vec<u8>>) -> sp_session::OpaqueGeneratedSessionKeys {
			SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl sp_consensus_grandpa::GrandpaApi<Block> for Runtime {
		fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
			Grandpa::grandpa_authorities()
		}

		fn current_set_id() -> sp_consensus_grandpa::SetId {
			Grandpa::current_set_id()
		}

		// Equivocations are not reported on chain yet: there is no session or staking pallet
		// that could act on a proof.
		fn submit_report_equivocation_unsigned_extrinsic(
			_proof: sp_consensus_grandpa::EquivocationProof<<Block as BlockT>::Hash, NumberFor<Block>>,
			_key_owner_proof: sp_consensus_grandpa::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			None
		}

		fn generate_key_ownership_proof(
			_set_id: sp_consensus_grandpa::SetId,
			_authority_id: GrandpaId,
		) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
			None
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(uxt: <Block as BlockT>::Extrinsic, len: u32) -> PaymentInfo {
			TransactionPayment::query_info(uxt, len)
		}
		fn query_fee_details(uxt: <Block as BlockT>::Extrinsic, len: u32) -> FeeDetails {
			TransactionPayment::query_fee_details(uxt, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(call: RuntimeCall, len: u32) -> PaymentInfo {
			TransactionPayment::query_call_info(call, len)
		}
		fn query_call_fee_details(call: RuntimeCall, len: u32) -> FeeDetails {
			TransactionPayment::query_call_fee_details(call, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	#[api_version(2)]
	impl pallet_compute_registry_runtime_api::ComputeRegistryApi<Block, AccountId, Balance> for Runtime {
		fn node_info(node: NodeId) -> Option<NodeInfo<AccountId, Balance>> {
			ComputeRegistry::node_info(node)
		}

		fn node_of_operator(operator: AccountId) -> Option<NodeInfo<AccountId, Balance>> {
			ComputeRegistry::node_of_operator_info(&operator)
		}

		fn list_nodes(filter: NodeFilter<AccountId>, cursor: NodeId, limit: u32) -> NodePage<AccountId, Balance> {
			ComputeRegistry::list_nodes(&filter, cursor, limit)
		}

		fn required_stake(gpu: GpuSpec) -> Option<Balance> {
			ComputeRegistry::required_stake(&gpu).ok()
		}
	}

	#[api_version(2)]
	impl pallet_compute_market_runtime_api::ComputeMarketApi<Block, AccountId, Balance, BlockNumber> for Runtime {
		fn task(task: TaskId) -> Option<TaskInfo<AccountId, Balance, BlockNumber>> {
			ComputeMarket::task_info(task)
		}

		fn tasks_of_owner(owner: AccountId, cursor: TaskId, limit: u32) -> TaskPage<AccountId, Balance, BlockNumber> {
			ComputeMarket::tasks_of_owner(&owner, cursor, limit)
		}

		fn tasks_of_node(node: NodeId, cursor: TaskId, limit: u32) -> TaskPage<AccountId, Balance, BlockNumber> {
			ComputeMarket::tasks_of_node(node, cursor, limit)
		}

		fn queued_tasks(cursor: TaskId, limit: u32) -> TaskPage<AccountId, Balance, BlockNumber> {
			ComputeMarket::queued_tasks(cursor, limit)
		}

		fn idle_nodes(cursor: NodeId, limit: u32) -> NodeOfferPage {
			ComputeMarket::idle_node_page(cursor, limit)
		}

		fn quote(
			requirements: TaskRequirements,
			seconds: u64,
			max_price_per_gpu_hour: Option<Balance>,
			cursor: NodeId,
		) -> Quote<Balance> {
			ComputeMarket::quote(&requirements, seconds, max_price_per_gpu_hour, cursor)
		}

		fn market_stats() -> MarketStats<Balance> {
			ComputeMarket::market_stats()
		}
	}

	impl pallet_ve_vcai_runtime_api::VeVcaiApi<Block, AccountId, Balance> for Runtime {
		fn lock(who: AccountId) -> Option<VeLockView> {
			VeVcai::lock_view(&who)
		}

		fn weight(who: AccountId) -> VeWeight {
			VeVcai::current_weight(&who)
		}

		fn weight_at(who: AccountId, day: DayIndex) -> Option<VeWeight> {
			VeVcai::weight_at(&who, day)
		}

		fn totals() -> VeTotals<Balance> {
			VeVcai::totals()
		}

		fn total_weight_at(day: DayIndex) -> Option<VeWeight> {
			VeVcai::total_weight_at(day)
		}

		fn pending_rewards(who: AccountId) -> Balance {
			VeVcai::pending_rewards(&who)
		}
	}

	impl pallet_governance_runtime_api::GovernanceApi<Block> for Runtime {
		fn supply_quotas() -> vcity_primitives::SupplyQuotas {
			crate::Supply::quotas()
		}

		fn referendum(index: u32) -> Option<vcity_primitives::ReferendumView> {
			crate::configs::governance::referendum_view(index)
		}
	}

	impl pallet_buyback_runtime_api::BuybackApi<Block> for Runtime {
		fn treasury() -> TreasuryView {
			Buyback::treasury_view()
		}

		fn last_buyback() -> Option<BuybackRecord> {
			pallet_buyback::LastBuyback::<Runtime>::get()
		}

		fn revenue_on(day: DayIndex) -> Option<Balance> {
			Buyback::revenue_on(day)
		}

		fn params() -> BuybackParams {
			pallet_buyback::Params::<Runtime>::get()
		}
	}

	impl pallet_rewards_runtime_api::RewardsApi<Block, AccountId> for Runtime {
		fn overview() -> RewardsOverview {
			Rewards::overview()
		}

		fn supply_share_history(from: PeriodIndex, count: u32) -> Vec<SupplyShareAt> {
			Rewards::supply_share_history(from, count)
		}

		fn period(period: PeriodIndex) -> Option<PeriodRewards> {
			Rewards::period(period)
		}

		fn pending_node_rewards(node: NodeId) -> PendingRewards {
			Rewards::pending_node_rewards(node)
		}

		fn pending_rebates(who: AccountId) -> PendingRewards {
			Rewards::pending_rebates(&who)
		}
	}

	impl pallet_slashing_runtime_api::SlashingApi<Block, AccountId, BlockNumber> for Runtime {
		fn node_offences(node: NodeId) -> vcity_primitives::NodeOffences<AccountId, BlockNumber> {
			Slashing::node_offences(node)
		}

		fn pending_slashes(
			cursor: vcity_primitives::SlashCaseId,
			limit: u32,
		) -> vcity_primitives::SlashCasePage<AccountId, BlockNumber> {
			Slashing::pending_page(cursor, limit)
		}

		fn slash_history(node: NodeId) -> Vec<vcity_primitives::SlashRecord<BlockNumber>> {
			Slashing::slash_history(node)
		}
	}

	impl pallet_asset_conversion::AssetConversionApi<Block, Balance, AssetKind> for Runtime {
		fn quote_price_exact_tokens_for_tokens(
			asset1: AssetKind,
			asset2: AssetKind,
			amount: Balance,
			include_fee: bool,
		) -> Option<Balance> {
			AssetConversion::quote_price_exact_tokens_for_tokens(asset1, asset2, amount, include_fee)
		}

		fn quote_price_tokens_for_exact_tokens(
			asset1: AssetKind,
			asset2: AssetKind,
			amount: Balance,
			include_fee: bool,
		) -> Option<Balance> {
			AssetConversion::quote_price_tokens_for_exact_tokens(asset1, asset2, amount, include_fee)
		}

		fn get_reserves(asset1: AssetKind, asset2: AssetKind) -> Option<(Balance, Balance)> {
			AssetConversion::get_reserves(asset1, asset2).ok()
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<frame_benchmarking::BenchmarkList>,
			Vec<frame_support::traits::StorageInfo>,
		) {
			crate::benchmarks::metadata(extra)
		}

		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig,
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			crate::benchmarks::dispatch(config)
		}
	}

	#[cfg(feature = "try-runtime")]
	impl frame_try_runtime::TryRuntime<Block> for Runtime {
		fn on_runtime_upgrade(checks: frame_try_runtime::UpgradeCheckSelect) -> (Weight, Weight) {
			let weight = Executive::try_runtime_upgrade(checks).unwrap();
			(weight, super::configs::RuntimeBlockWeights::get().max_block)
		}

		fn execute_block(
			block: <Block as BlockT>::LazyBlock,
			state_root_check: bool,
			signature_check: bool,
			select: frame_try_runtime::TryStateSelect,
		) -> Weight {
			Executive::try_execute_block(block, state_root_check, signature_check, select).unwrap()
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, crate::genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			crate::genesis_config_presets::preset_names()
		}
	}
}

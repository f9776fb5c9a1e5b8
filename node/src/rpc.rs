//! The node's JSON-RPC: the standard Substrate methods plus `vcity_*`.

use std::sync::Arc;

use jsonrpsee::RpcModule;
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};
use vcity_runtime::{opaque::Block, AccountId, Balance, BlockNumber, Nonce};

/// What the RPC methods need from the node.
pub struct FullDeps<C, P> {
	/// The client, to call runtime APIs.
	pub client: Arc<C>,
	/// The transaction pool, for nonces that count pending transactions.
	pub pool: Arc<P>,
}

/// All RPC methods of a full node.
pub fn create_full<C, P>(
	deps: FullDeps<C, P>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ HeaderMetadata<Block, Error = BlockChainError>
		+ Send
		+ Sync
		+ 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>
		+ pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>
		+ pallet_compute_registry_runtime_api::ComputeRegistryApi<Block, AccountId, Balance>
		+ pallet_compute_market_runtime_api::ComputeMarketApi<Block, AccountId, Balance, BlockNumber>
		+ pallet_ve_vcai_runtime_api::VeVcaiApi<Block, AccountId, Balance>
		+ pallet_buyback_runtime_api::BuybackApi<Block>
		+ pallet_rewards_runtime_api::RewardsApi<Block, AccountId>
		+ pallet_slashing_runtime_api::SlashingApi<Block, AccountId, BlockNumber>
		+ pallet_governance_runtime_api::GovernanceApi<Block>
		+ BlockBuilder<Block>,
	P: TransactionPool + 'static,
{
	use pallet_buyback_rpc::{Buyback, BuybackApiServer};
	use pallet_compute_market_rpc::{ComputeMarket, ComputeMarketApiServer};
	use pallet_compute_registry_rpc::{ComputeRegistry, ComputeRegistryApiServer};
	use pallet_governance_rpc::{Governance, GovernanceApiServer};
	use pallet_rewards_rpc::{Rewards, RewardsApiServer};
	use pallet_slashing_rpc::{Slashing, SlashingApiServer};
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use pallet_ve_vcai_rpc::{VeVcai, VeVcaiApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let FullDeps { client, pool } = deps;
	let mut module = RpcModule::new(());
	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	module.merge(ComputeRegistry::new(client.clone()).into_rpc())?;
	module.merge(ComputeMarket::new(client.clone()).into_rpc())?;
	module.merge(VeVcai::new(client.clone()).into_rpc())?;
	module.merge(Buyback::new(client.clone()).into_rpc())?;
	module.merge(Rewards::new(client.clone()).into_rpc())?;
	module.merge(Slashing::new(client.clone()).into_rpc())?;
	module.merge(Governance::new(client).into_rpc())?;
	Ok(module)
}

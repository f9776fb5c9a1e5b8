//! JSON-RPC of the DAO: the supply quotas and the year's room under the issuance cap
//! (`vcity_supplyQuotas`), and a referendum with its live tally in veVCAI weight
//! (`vcity_referendum`).
//!
//! Answers come from the `GovernanceApi` runtime API at the best block (or `at`), in the JSON
//! conventions of `vcity-rpc-common`: amounts and weights as decimal strings, shares in parts
//! per billion, stages as lowerCamel strings.

use jsonrpsee::{core::RpcResult, proc_macros::rpc};
use pallet_governance_runtime_api::GovernanceApi as RuntimeApi;
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_runtime::traits::Block as BlockT;
use std::sync::Arc;
use vcity_primitives::{ReferendumView, SupplyQuotas};
use vcity_rpc_common::{runtime_error, ChainReader};

/// `vcity_*` methods about the DAO.
#[rpc(client, server, namespace = "vcity")]
pub trait GovernanceApi<BlockHash> {
	/// Revenue and equity stages reached, quotas used and available, this year's room under the
	/// 5% cap, VCAI issued since genesis and the denomination factor wallets apply.
	#[method(name = "supplyQuotas")]
	fn supply_quotas(&self, at: Option<BlockHash>) -> RpcResult<SupplyQuotas>;

	/// A referendum's track, stage and, while it is decided, its live tally; `null` for an
	/// index never used.
	#[method(name = "referendum")]
	fn referendum(&self, index: u32, at: Option<BlockHash>) -> RpcResult<Option<ReferendumView>>;
}

/// Implementation over a client that has the runtime API.
pub struct Governance<C, Block>(ChainReader<C, Block>);

impl<C, Block> Governance<C, Block> {
	pub fn new(client: Arc<C>) -> Self {
		Self(ChainReader::new(client))
	}
}

impl<C, Block> GovernanceApiServer<<Block as BlockT>::Hash> for Governance<C, Block>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: RuntimeApi<Block>,
{
	fn supply_quotas(&self, at: Option<Block::Hash>) -> RpcResult<SupplyQuotas> {
		let (api, at) = self.0.api_at(at);
		api.supply_quotas(at).map_err(runtime_error)
	}

	fn referendum(&self, index: u32, at: Option<Block::Hash>) -> RpcResult<Option<ReferendumView>> {
		let (api, at) = self.0.api_at(at);
		api.referendum(at, index).map_err(runtime_error)
	}
}

#[cfg(test)]
mod tests;

//! JSON-RPC of the compute registry: `vcity_nodeInfo` (with the node's slash history from the
//! slashing pallet's runtime API), `vcity_listNodes` and `vcity_requiredStake`.
//!
//! Answers come from the `ComputeRegistryApi` runtime API at the best block (or `at`), in the
//! JSON conventions of `vcity-rpc-common`: balances are decimal strings, accounts SS58
//! addresses, enums lowerCamel strings.

mod view;

use jsonrpsee::{core::RpcResult, proc_macros::rpc, types::error::ErrorObjectOwned};
use pallet_compute_registry_runtime_api::ComputeRegistryApi as RuntimeApi;
use pallet_slashing_runtime_api::SlashingApi;
use sp_api::{ApiExt, ProvideRuntimeApi};
use sp_blockchain::HeaderBackend;
use sp_core::crypto::{AccountId32, Ss58Codec};
use sp_runtime::traits::Block as BlockT;
use std::sync::Arc;
use vcity_primitives::{parse_did, Balance, NodeFilter, NodeId};
use vcity_rpc_common::{invalid, page_limit, runtime_error, ChainReader, PageJson};

pub use view::{GpuSpecJson, NodeFilterJson, NodeInfoJson, NodePageJson};

/// `vcity_*` methods about compute nodes.
#[rpc(client, server, namespace = "vcity")]
pub trait ComputeRegistryApi<BlockHash> {
	/// A node by its DID (`did:vcity:<id>`) or by its operator's SS58 address; `null` if none.
	#[method(name = "nodeInfo")]
	fn node_info(&self, id: String, at: Option<BlockHash>) -> RpcResult<Option<NodeInfoJson>>;

	/// Nodes in id order matching `filter`, one page at a time; pass `nextCursor` back as
	/// `page.cursor` for the next page.
	#[method(name = "listNodes")]
	fn list_nodes(
		&self,
		filter: Option<NodeFilterJson>,
		page: Option<PageJson>,
		at: Option<BlockHash>,
	) -> RpcResult<NodePageJson>;

	/// The VCAI stake (a decimal string of base units) a node of `gpu` must hold to register now:
	/// the schedule's tier for its memory (at least its class's floor) × its GPU count × the
	/// multi-GPU coefficient of its total memory × the multiplier; `null` without a schedule.
	#[method(name = "requiredStake")]
	fn required_stake(&self, gpu: GpuSpecJson, at: Option<BlockHash>) -> RpcResult<Option<String>>;
}

/// What `vcity_nodeInfo` was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeQuery {
	/// By DID.
	Node(NodeId),
	/// By operator account.
	Operator(AccountId32),
}

/// Reads a DID or an SS58 address.
pub fn parse_node_query(id: &str) -> Result<NodeQuery, ErrorObjectOwned> {
	if id.starts_with("did:") {
		return parse_did(id.as_bytes())
			.map(NodeQuery::Node)
			.ok_or_else(|| invalid(format!("invalid node id: {id:?} is not a did:vcity:<number> DID")));
	}
	AccountId32::from_ss58check(id)
		.map(NodeQuery::Operator)
		.map_err(|_| invalid(format!("invalid node id: {id:?} is neither a DID nor an SS58 address")))
}

/// Implementation over a client that has the runtime API.
pub struct ComputeRegistry<C, Block>(ChainReader<C, Block>);

impl<C, Block> ComputeRegistry<C, Block> {
	pub fn new(client: Arc<C>) -> Self {
		Self(ChainReader::new(client))
	}
}

impl<C, Block> ComputeRegistryApiServer<<Block as BlockT>::Hash> for ComputeRegistry<C, Block>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: RuntimeApi<Block, AccountId32, Balance> + SlashingApi<Block, AccountId32, u32>,
{
	fn node_info(&self, id: String, at: Option<Block::Hash>) -> RpcResult<Option<NodeInfoJson>> {
		let query = parse_node_query(&id)?;
		let (api, at) = self.0.api_at(at);
		let info = match query {
			NodeQuery::Node(node) => api.node_info(at, node),
			NodeQuery::Operator(operator) => api.node_of_operator(at, operator),
		}
		.map_err(runtime_error)?;
		let Some(info) = info else { return Ok(None) };
		let id = info.id;
		let mut json = NodeInfoJson::from(info);
		// Blocks from before the slashing pallet have no history to show.
		if api.has_api::<dyn SlashingApi<Block, AccountId32, u32>>(at).unwrap_or(false) {
			json.slash_history = api.slash_history(at, id).map_err(runtime_error)?;
		}
		Ok(Some(json))
	}

	fn list_nodes(
		&self,
		filter: Option<NodeFilterJson>,
		page: Option<PageJson>,
		at: Option<Block::Hash>,
	) -> RpcResult<NodePageJson> {
		let limit = page_limit(&page)?;
		let cursor = page.and_then(|p| p.cursor).unwrap_or(0);
		let filter: NodeFilter<AccountId32> = filter.map(TryInto::try_into).transpose()?.unwrap_or_default();
		let (api, at) = self.0.api_at(at);
		let page = api.list_nodes(at, filter, cursor, limit).map_err(runtime_error)?;
		Ok(page.into())
	}

	fn required_stake(&self, gpu: GpuSpecJson, at: Option<Block::Hash>) -> RpcResult<Option<String>> {
		let gpu = gpu.try_into()?;
		let (api, at) = self.0.api_at(at);
		let stake = api.required_stake(at, gpu).map_err(runtime_error)?;
		Ok(stake.map(|stake| stake.to_string()))
	}
}

#[cfg(test)]
mod tests;

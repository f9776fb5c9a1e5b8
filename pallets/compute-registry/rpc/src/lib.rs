//! JSON-RPC of the compute registry: `vcity_nodeInfo` and `vcity_listNodes`.
//!
//! Answers come from the `ComputeRegistryApi` runtime API at the best block (or `at`). The JSON
//! is made for JavaScript clients: balances are decimal strings (VCAI has 18 decimals, far past
//! what a JS number holds), accounts are SS58 addresses, enums are lowerCamel strings.

mod view;

use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::error::{ErrorObject, ErrorObjectOwned},
};
use pallet_compute_registry_runtime_api::ComputeRegistryApi as RuntimeApi;
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::crypto::{AccountId32, Ss58Codec};
use sp_runtime::traits::Block as BlockT;
use std::sync::Arc;
use vcity_primitives::{parse_did, Balance, NodeFilter, NodeId};

pub use view::{NodeFilterJson, NodeInfoJson, NodePageJson, PageJson};

/// Nodes per page when the caller does not say.
pub const DEFAULT_PAGE_LIMIT: u32 = 50;
/// Most nodes per page.
pub const MAX_PAGE_LIMIT: u32 = 500;

/// JSON-RPC error codes of this module.
pub mod codes {
	/// The id is neither a DID nor an SS58 address, or a filter field is malformed.
	pub const INVALID_PARAMS: i32 = -32602;
	/// The runtime API call failed.
	pub const RUNTIME_ERROR: i32 = 1;
}

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

/// Checks the page size.
pub fn page_limit(page: &Option<PageJson>) -> Result<u32, ErrorObjectOwned> {
	let limit = page.as_ref().and_then(|p| p.limit).unwrap_or(DEFAULT_PAGE_LIMIT);
	if limit == 0 || limit > MAX_PAGE_LIMIT {
		return Err(invalid(format!("page limit must be 1..={MAX_PAGE_LIMIT}, got {limit}")));
	}
	Ok(limit)
}

/// An `INVALID_PARAMS` error with `message`.
pub fn invalid(message: String) -> ErrorObjectOwned {
	ErrorObject::owned(codes::INVALID_PARAMS, message, None::<()>)
}

/// Reads an SS58 address, or names what was wrong with it.
pub fn parse_account(value: &str) -> Result<sp_core::crypto::AccountId32, ErrorObjectOwned> {
	use sp_core::crypto::Ss58Codec;
	sp_core::crypto::AccountId32::from_ss58check(value)
		.map_err(|_| invalid(format!("account {value:?} is not an SS58 address")))
}

/// A `RUNTIME_ERROR` error: the runtime API call failed.
pub fn runtime_error(e: impl std::fmt::Display) -> ErrorObjectOwned {
	ErrorObject::owned(codes::RUNTIME_ERROR, format!("runtime API call failed: {e}"), None::<()>)
}

/// Implementation over a client that has the runtime API.
pub struct ComputeRegistry<C, Block> {
	client: Arc<C>,
	_block: std::marker::PhantomData<Block>,
}

impl<C, Block> ComputeRegistry<C, Block> {
	pub fn new(client: Arc<C>) -> Self {
		Self { client, _block: Default::default() }
	}
}

impl<C, Block> ComputeRegistryApiServer<<Block as BlockT>::Hash> for ComputeRegistry<C, Block>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: RuntimeApi<Block, AccountId32, Balance>,
{
	fn node_info(&self, id: String, at: Option<Block::Hash>) -> RpcResult<Option<NodeInfoJson>> {
		let query = parse_node_query(&id)?;
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let api = self.client.runtime_api();
		let info = match query {
			NodeQuery::Node(node) => api.node_info(at, node),
			NodeQuery::Operator(operator) => api.node_of_operator(at, operator),
		}
		.map_err(runtime_error)?;
		Ok(info.map(NodeInfoJson::from))
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
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let page = self.client.runtime_api().list_nodes(at, filter, cursor, limit).map_err(runtime_error)?;
		Ok(page.into())
	}
}

#[cfg(test)]
mod tests;

//! JSON-RPC of the slashing pallet, for node operators, users and anyone who watches
//! punishments: a node's offences, its pending slash and its history; the pending slashes of the
//! whole network, a page at a time.
//!
//! Answers come from the `SlashingApi` runtime API at the best block (or `at`): balances are
//! decimal strings, accounts SS58 addresses, fractions billionths of the stake.

use jsonrpsee::{core::RpcResult, proc_macros::rpc};
use pallet_slashing_runtime_api::SlashingApi as RuntimeApi;
use serde::{Deserialize, Serialize};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::crypto::AccountId32;
use sp_runtime::traits::Block as BlockT;
use std::sync::Arc;
use vcity_primitives::{NodeId, NodeOffences, PendingCase, SlashCaseId};
use vcity_rpc_common::{invalid, runtime_error, ChainReader};

/// Most pending cases one page returns.
pub const MAX_PAGE: u32 = 500;

/// A page of pending cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingSlashesJson {
	/// Each case's fields beside its `id`, as in `vcity_offences`' `pending`.
	pub cases: Vec<PendingCase<AccountId32, u32>>,
	/// Cases pending in all.
	pub total: u32,
	/// Pass it back as `cursor` for the next page; `null` after the last.
	pub next_cursor: Option<SlashCaseId>,
}

/// `vcity_*` methods about offences and slashes.
#[rpc(client, server, namespace = "vcity")]
pub trait SlashingApi<BlockHash> {
	/// The node's last 32 offences (each with its evidence and the case it joined), its pending
	/// case if any (tier, fraction, when it executes, the users it compensates, its appeal) and
	/// its last 16 closed cases.
	#[method(name = "offences")]
	fn offences(&self, node: NodeId, at: Option<BlockHash>) -> RpcResult<NodeOffences<AccountId32, u32>>;

	/// Pending cases of the whole network, up to `limit` (default and most 500) after case
	/// `cursor`.
	#[method(name = "pendingSlashes")]
	fn pending_slashes(
		&self,
		cursor: Option<SlashCaseId>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<PendingSlashesJson>;
}

/// Implementation over a client that has the runtime API.
pub struct Slashing<C, Block>(ChainReader<C, Block>);

impl<C, Block> Slashing<C, Block> {
	pub fn new(client: Arc<C>) -> Self {
		Self(ChainReader::new(client))
	}
}

impl<C, Block> SlashingApiServer<<Block as BlockT>::Hash> for Slashing<C, Block>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: RuntimeApi<Block, AccountId32, u32>,
{
	fn offences(&self, node: NodeId, at: Option<Block::Hash>) -> RpcResult<NodeOffences<AccountId32, u32>> {
		let (api, at) = self.0.api_at(at);
		api.node_offences(at, node).map_err(runtime_error)
	}

	fn pending_slashes(
		&self,
		cursor: Option<SlashCaseId>,
		limit: Option<u32>,
		at: Option<Block::Hash>,
	) -> RpcResult<PendingSlashesJson> {
		let limit = limit.unwrap_or(MAX_PAGE);
		if limit == 0 || limit > MAX_PAGE {
			return Err(invalid(format!("limit must be 1 to {MAX_PAGE}, not {limit}")));
		}
		let (api, at) = self.0.api_at(at);
		let page = api.pending_slashes(at, cursor.unwrap_or(0), limit).map_err(runtime_error)?;
		Ok(PendingSlashesJson { cases: page.cases, total: page.total, next_cursor: page.next_cursor })
	}
}

#[cfg(test)]
mod tests;

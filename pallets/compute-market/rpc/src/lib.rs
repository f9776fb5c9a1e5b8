//! JSON-RPC of the compute market: tasks, the scheduler's view of queued tasks and idle nodes,
//! quotes and market statistics.
//!
//! Answers come from the `ComputeMarketApi` runtime API at the best block (or `at`), in the JSON
//! conventions of `vcity-rpc-common`.

mod view;

use jsonrpsee::{core::RpcResult, proc_macros::rpc};
use pallet_compute_market_runtime_api::ComputeMarketApi as RuntimeApi;
use sp_api::{ApiExt, ProvideRuntimeApi};
use sp_blockchain::HeaderBackend;
use sp_core::crypto::AccountId32;
use sp_runtime::traits::Block as BlockT;
use std::sync::Arc;
use vcity_primitives::{Balance, MarketStats, NodeId, TaskId, TaskRequirements};
use vcity_rpc_common::{invalid, page_limit, parse_ss58, runtime_error, ChainReader, PageJson};

pub use view::{
	NodeOfferJson, NodeOfferPageJson, QuoteJson, RequirementsJson, TaskInfoJson, TaskPageJson, WorkloadJson,
};

/// `vcity_*` methods about tasks and the market.
#[rpc(client, server, namespace = "vcity")]
pub trait ComputeMarketApi<BlockHash> {
	/// A task by id; `null` if there is none (or its record was dropped after the retention).
	#[method(name = "task")]
	fn task(&self, id: TaskId, at: Option<BlockHash>) -> RpcResult<Option<TaskInfoJson>>;

	/// The tasks of the owner with this SS58 address, one page at a time.
	#[method(name = "tasksOfOwner")]
	fn tasks_of_owner(
		&self,
		owner: String,
		page: Option<PageJson>,
		at: Option<BlockHash>,
	) -> RpcResult<TaskPageJson>;

	/// The tasks a node took, one page at a time.
	#[method(name = "tasksOfNode")]
	fn tasks_of_node(
		&self,
		node: NodeId,
		page: Option<PageJson>,
		at: Option<BlockHash>,
	) -> RpcResult<TaskPageJson>;

	/// Tasks waiting for a node, one page at a time.
	#[method(name = "queuedTasks")]
	fn queued_tasks(&self, page: Option<PageJson>, at: Option<BlockHash>) -> RpcResult<TaskPageJson>;

	/// Online compute nodes with free GPUs, in id order: what a scheduler matches tasks to.
	#[method(name = "idleNodes")]
	fn idle_nodes(&self, page: Option<PageJson>, at: Option<BlockHash>) -> RpcResult<NodeOfferPageJson>;

	/// What a task would cost for `seconds` and which nodes could take it now, before it is
	/// submitted. `maxPricePerGpuHour` (USDV base units, a decimal string) leaves out dearer nodes.
	/// One call looks at a bounded page of the online nodes after node `cursor` (none: from the
	/// first); `nextCursor` says where the next call goes on.
	#[method(name = "quote")]
	fn quote(
		&self,
		requirements: RequirementsJson,
		seconds: u64,
		max_price_per_gpu_hour: Option<String>,
		cursor: Option<NodeId>,
		at: Option<BlockHash>,
	) -> RpcResult<QuoteJson>;

	/// Network-wide market figures.
	#[method(name = "marketStats")]
	fn market_stats(&self, at: Option<BlockHash>) -> RpcResult<MarketStats<Balance>>;
}

/// Implementation over a client that has the runtime API.
pub struct ComputeMarket<C, Block>(ChainReader<C, Block>);

impl<C, Block> ComputeMarket<C, Block> {
	pub fn new(client: Arc<C>) -> Self {
		Self(ChainReader::new(client))
	}
}

/// Reads a decimal balance string.
pub fn parse_balance(value: &str) -> RpcResult<Balance> {
	value.parse().map_err(|_| invalid(format!("{value:?} is not a decimal amount of base units")))
}

impl<C, Block> ComputeMarketApiServer<<Block as BlockT>::Hash> for ComputeMarket<C, Block>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: RuntimeApi<Block, AccountId32, Balance, u32>,
{
	fn task(&self, id: TaskId, at: Option<Block::Hash>) -> RpcResult<Option<TaskInfoJson>> {
		let (api, at) = self.0.api_at(at);
		let task = api.task(at, id).map_err(runtime_error)?;
		Ok(task.map(Into::into))
	}

	fn tasks_of_owner(
		&self,
		owner: String,
		page: Option<PageJson>,
		at: Option<Block::Hash>,
	) -> RpcResult<TaskPageJson> {
		let owner = parse_ss58("owner", &owner)?;
		let limit = page_limit(&page)?;
		let cursor = page.and_then(|p| p.cursor).unwrap_or(0);
		let (api, at) = self.0.api_at(at);
		let tasks = api.tasks_of_owner(at, owner, cursor, limit).map_err(runtime_error)?;
		Ok(tasks.into())
	}

	fn tasks_of_node(
		&self,
		node: NodeId,
		page: Option<PageJson>,
		at: Option<Block::Hash>,
	) -> RpcResult<TaskPageJson> {
		let limit = page_limit(&page)?;
		let cursor = page.and_then(|p| p.cursor).unwrap_or(0);
		let (api, at) = self.0.api_at(at);
		let tasks = api.tasks_of_node(at, node, cursor, limit).map_err(runtime_error)?;
		Ok(tasks.into())
	}

	fn queued_tasks(&self, page: Option<PageJson>, at: Option<Block::Hash>) -> RpcResult<TaskPageJson> {
		let limit = page_limit(&page)?;
		let cursor = page.and_then(|p| p.cursor).unwrap_or(0);
		let (api, at) = self.0.api_at(at);
		let tasks = api.queued_tasks(at, cursor, limit).map_err(runtime_error)?;
		Ok(tasks.into())
	}

	fn idle_nodes(&self, page: Option<PageJson>, at: Option<Block::Hash>) -> RpcResult<NodeOfferPageJson> {
		let limit = page_limit(&page)?;
		let cursor = page.and_then(|p| p.cursor).unwrap_or(0);
		let (api, at) = self.0.api_at(at);
		let nodes = api.idle_nodes(at, cursor, limit).map_err(runtime_error)?;
		Ok(nodes.into())
	}

	fn quote(
		&self,
		requirements: RequirementsJson,
		seconds: u64,
		max_price_per_gpu_hour: Option<String>,
		cursor: Option<NodeId>,
		at: Option<Block::Hash>,
	) -> RpcResult<QuoteJson> {
		let requirements: TaskRequirements = requirements.try_into()?;
		if requirements.gpus == 0 || seconds == 0 {
			return Err(invalid("a quote needs at least one GPU and one second".into()));
		}
		let max_price = max_price_per_gpu_hour.as_deref().map(parse_balance).transpose()?;
		let (api, at) = self.0.api_at(at);
		let version = api
			.api_version::<dyn RuntimeApi<Block, AccountId32, Balance, u32>>(at)
			.map_err(runtime_error)?
			.unwrap_or(1);
		if version < 2 {
			// A block from before the online index: its runtime quotes the first node ids.
			#[allow(deprecated)]
			let quote = api.quote_before_version_2(at, requirements, seconds, max_price).map_err(runtime_error)?;
			return Ok(quote.into());
		}
		let quote =
			api.quote(at, requirements, seconds, max_price, cursor.unwrap_or(0)).map_err(runtime_error)?;
		Ok(quote.into())
	}

	fn market_stats(&self, at: Option<Block::Hash>) -> RpcResult<MarketStats<Balance>> {
		let (api, at) = self.0.api_at(at);
		api.market_stats(at).map_err(runtime_error)
	}
}

#[cfg(test)]
mod tests;

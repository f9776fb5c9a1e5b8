//! Runtime API of the compute market, behind its `vcity_*` RPC methods.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use vcity_primitives::{
	MarketStats, NodeId, NodeOfferPage, Quote, TaskId, TaskInfo, TaskPage, TaskRequirements,
};

sp_api::decl_runtime_apis! {
	/// Read access to tasks and to the market's view of nodes.
	///
	/// Version 2 (spec 108): quotes and idle-node pages come from the index of online compute
	/// nodes, paged by a cursor after which they go on; version 1 scanned node ids.
	#[api_version(2)]
	pub trait ComputeMarketApi<AccountId, Balance, BlockNumber>
	where
		AccountId: codec::Codec,
		Balance: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// The task with this id, until its record is dropped after the retention period.
		fn task(task: TaskId) -> Option<TaskInfo<AccountId, Balance, BlockNumber>>;
		/// An owner's tasks after task `cursor` (0: from the first), in storage order.
		fn tasks_of_owner(owner: AccountId, cursor: TaskId, limit: u32) -> TaskPage<AccountId, Balance, BlockNumber>;
		/// A node's tasks after task `cursor` (0: from the first), in storage order.
		fn tasks_of_node(node: NodeId, cursor: TaskId, limit: u32) -> TaskPage<AccountId, Balance, BlockNumber>;
		/// Tasks waiting for a node after task `cursor` (0: from the first): what a scheduler matches.
		fn queued_tasks(cursor: TaskId, limit: u32) -> TaskPage<AccountId, Balance, BlockNumber>;
		/// Online compute nodes with at least one free GPU, after node `cursor` (0: from the
		/// first) in the online index's order; a page looks at a bounded number of nodes.
		fn idle_nodes(cursor: NodeId, limit: u32) -> NodeOfferPage;
		/// Price and candidate nodes for a task before it is submitted (version 1: the first
		/// 10,000 node ids).
		#[changed_in(2)]
		fn quote(
			requirements: TaskRequirements,
			seconds: u64,
			max_price_per_gpu_hour: Option<Balance>,
		) -> vcity_primitives::QuoteV1<Balance>;
		/// Price and candidate nodes for a task before it is submitted, from a bounded page of
		/// the online nodes after node `cursor` (0: from the first).
		fn quote(
			requirements: TaskRequirements,
			seconds: u64,
			max_price_per_gpu_hour: Option<Balance>,
			cursor: NodeId,
		) -> Quote<Balance>;
		/// Network-wide market figures.
		fn market_stats() -> MarketStats<Balance>;
	}
}

//! Runtime API of the compute registry, behind the `vcity_nodeInfo`, `vcity_listNodes` and
//! `vcity_requiredStake` RPCs.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use vcity_primitives::{GpuSpec, NodeFilter, NodeId, NodeInfo, NodePage};

sp_api::decl_runtime_apis! {
	/// Read access to compute nodes for clients. Version 2 added `required_stake`.
	#[api_version(2)]
	pub trait ComputeRegistryApi<AccountId, Balance> where AccountId: codec::Codec, Balance: codec::Codec {
		/// The node with this id, if it was ever registered.
		fn node_info(node: NodeId) -> Option<NodeInfo<AccountId, Balance>>;
		/// The node whose agent signs with this operator account.
		fn node_of_operator(operator: AccountId) -> Option<NodeInfo<AccountId, Balance>>;
		/// Up to `limit` nodes with id >= `cursor` matching `filter`, in id order, and where to continue.
		fn list_nodes(filter: NodeFilter<AccountId>, cursor: NodeId, limit: u32) -> NodePage<AccountId, Balance>;
		/// The stake a node of `gpu` must hold to register now; `None` without a stake schedule.
		#[api_version(2)]
		fn required_stake(gpu: GpuSpec) -> Option<Balance>;
	}
}

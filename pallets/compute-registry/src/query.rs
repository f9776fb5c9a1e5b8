//! Read-only views for the runtime API (`vcity_nodeInfo`, `vcity_listNodes`).

use crate::{pallet::*, reputation};
use alloc::vec::Vec;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::SaturatedConversion;
use vcity_primitives::{node_did, Balance, Health, NodeFilter, NodeId, NodeInfo, NodePage};

/// Most nodes one page returns.
pub const MAX_PAGE_LIMIT: u32 = 500;
/// Most ids one page looks at, so a selective filter cannot make a call scan the whole register.
pub const MAX_PAGE_SCAN: u64 = 2_000;

impl<T: Config> Pallet<T> {
	/// Everything about one node, if it was ever registered.
	pub fn node_info(id: NodeId) -> Option<NodeInfo<T::AccountId, Balance>> {
		let node = Nodes::<T>::get(id)?;
		let beat = Heartbeats::<T>::get(id);
		let score = Self::reputation_now(&node);
		Some(NodeInfo {
			id,
			did: node_did(id),
			status: Self::status_of(id, &node),
			required_stake: Self::required_stake_of_node(&node.gpu).unwrap_or(Balance::MAX),
			reputation: score,
			tier: reputation::tier(score),
			registered_at: BlockNumberFor::<T>::saturated_into::<u32>(node.registered_at),
			last_heartbeat_ms: beat.map(|b| b.at_ms),
			load_percent: beat.map_or(0, |b| b.load_percent),
			health: beat.map_or(Health::Healthy, |b| b.health),
			online_gpu_seconds: node.history.online_gpu_seconds,
			tasks_completed: node.history.tasks_completed,
			tasks_failed: node.history.tasks_failed,
			region: node.region.into_inner(),
			owner: node.owner,
			operator: node.operator,
			kind: node.kind,
			roles: node.roles,
			gpu: node.gpu,
			price_per_gpu_hour: node.price_per_gpu_hour,
			stake: node.stake,
		})
	}

	/// The node an operator key runs.
	pub fn node_of_operator_info(operator: &T::AccountId) -> Option<NodeInfo<T::AccountId, Balance>> {
		NodeOfOperator::<T>::get(operator).and_then(Self::node_info)
	}

	/// Up to `limit` nodes with id at least `cursor` that match `filter`, in id order. Looks at no
	/// more than [`MAX_PAGE_SCAN`] ids; `next_cursor` says where to go on.
	pub fn list_nodes(
		filter: &NodeFilter<T::AccountId>,
		cursor: NodeId,
		limit: u32,
	) -> NodePage<T::AccountId, Balance> {
		let limit = limit.min(MAX_PAGE_LIMIT) as usize;
		let end = NextNodeId::<T>::get();
		let scan_end = end.min(cursor.saturating_add(MAX_PAGE_SCAN));
		let mut nodes = Vec::new();
		let mut id = cursor.max(1);
		while id < scan_end && nodes.len() < limit {
			if let Some(info) = Self::node_info(id).filter(|info| matches(filter, info)) {
				nodes.push(info);
			}
			id = id.saturating_add(1);
		}
		NodePage { nodes, next_cursor: (id < end).then_some(id) }
	}
}

fn matches<AccountId: PartialEq>(
	filter: &NodeFilter<AccountId>,
	info: &NodeInfo<AccountId, Balance>,
) -> bool {
	filter.status.is_none_or(|s| s == info.status)
		&& filter.kind.is_none_or(|k| k == info.kind)
		&& filter.owner.as_ref().is_none_or(|o| *o == info.owner)
		&& filter.region.as_ref().is_none_or(|r| *r == info.region)
		&& filter.min_total_vram_gib.is_none_or(|v| info.gpu.total_vram_gib() >= v)
}

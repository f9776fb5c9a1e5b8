//! The views behind the runtime API: a node's offences and history, pages of pending cases.

use crate::pallet::*;
use frame_system::pallet_prelude::BlockNumberFor;
use vcity_primitives::{NodeId, NodeOffences, PendingCase, SlashCaseId, SlashCasePage, SlashRecord};

/// Most cases one page returns.
pub const MAX_PAGE: u32 = 500;

impl<T: Config> Pallet<T> {
	/// A node's offence log, its pending case and its slash history.
	pub fn node_offences(node: NodeId) -> NodeOffences<T::AccountId, BlockNumberFor<T>> {
		NodeOffences {
			offences: OffenceLog::<T>::get(node).into_inner(),
			pending: Self::pending_case(node).map(|(id, case)| PendingCase { id, case }),
			history: Self::slash_history(node),
		}
	}

	/// A node's closed cases, oldest first.
	pub fn slash_history(node: NodeId) -> alloc::vec::Vec<SlashRecord<BlockNumberFor<T>>> {
		SlashHistory::<T>::get(node).into_inner()
	}

	/// Up to `limit` (at most [`MAX_PAGE`]) pending cases after case `cursor` (0: from the
	/// start), in the map's order, and where the next page starts.
	pub fn pending_page(cursor: SlashCaseId, limit: u32) -> SlashCasePage<T::AccountId, BlockNumberFor<T>> {
		let limit = limit.min(MAX_PAGE) as usize;
		let mut cases = if cursor == 0 {
			Cases::<T>::iter()
		} else {
			Cases::<T>::iter_from(Cases::<T>::hashed_key_for(cursor))
		};
		let page: alloc::vec::Vec<_> =
			cases.by_ref().take(limit).map(|(id, case)| PendingCase { id, case }).collect();
		let next_cursor = if cases.next().is_some() { page.last().map(|p| p.id) } else { None };
		SlashCasePage { cases: page, total: Cases::<T>::count(), next_cursor }
	}
}

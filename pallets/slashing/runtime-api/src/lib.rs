//! Runtime API of the slashing pallet, behind `vcity_offences`, `vcity_pendingSlashes` and the
//! slash history in `vcity_nodeInfo`.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use vcity_primitives::{NodeId, NodeOffences, SlashCaseId, SlashCasePage, SlashRecord};

sp_api::decl_runtime_apis! {
	/// Offences and slashes for clients.
	pub trait SlashingApi<AccountId, BlockNumber> where AccountId: codec::Codec, BlockNumber: codec::Codec {
		/// The node's last offences, its pending case and its closed cases.
		fn node_offences(node: NodeId) -> NodeOffences<AccountId, BlockNumber>;
		/// Up to `limit` (at most 500) pending cases after case `cursor` (0: from the start).
		fn pending_slashes(cursor: SlashCaseId, limit: u32) -> SlashCasePage<AccountId, BlockNumber>;
		/// The node's closed cases, oldest first.
		fn slash_history(node: NodeId) -> alloc::vec::Vec<SlashRecord<BlockNumber>>;
	}
}

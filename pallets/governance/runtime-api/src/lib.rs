//! Runtime API of the DAO, behind `vcity_supplyQuotas` and `vcity_referendum`.
#![cfg_attr(not(feature = "std"), no_std)]

use vcity_primitives::{ReferendumView, SupplyQuotas};

sp_api::decl_runtime_apis! {
	/// The DAO's supply quotas and its referenda.
	pub trait GovernanceApi {
		/// Stages reached, quotas used and available, this year's room under the cap, and the
		/// denomination factor.
		fn supply_quotas() -> SupplyQuotas;
		/// A referendum's track, stage and live tally; None for an index never used.
		fn referendum(index: u32) -> Option<ReferendumView>;
	}
}

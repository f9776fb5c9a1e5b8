//! What the pallet stores besides the shared types of `vcity_primitives::rewards`.

use codec::{Decode, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// Σ of the points earned in a period not yet closed.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct PointTotals {
	/// Σ over nodes of capacity × windows met.
	pub capacity: u128,
	/// Σ over nodes of Proof-of-Delivery points.
	pub delivery: u128,
}

/// A node's points in one period.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct NodePeriodPoints {
	/// Σ over its heartbeats of GPU-seconds × class × multi-GPU × stake factor, in thousandths
	/// of a GPU-second.
	pub capacity: u128,
	/// Heartbeat windows in which it proved capacity: its stability, up to the factor
	/// 1 / (windows in the period) that every node shares.
	pub windows: u32,
	/// Σ over its settled deliveries of the USDV paid (base units) × quality.
	pub delivery: u128,
	/// The protocol's part of those payments, in USDV base units: the node's delivery share of
	/// the period is worth at most `delivery_per_fee` of it.
	pub fees: vcity_primitives::Balance,
	/// Whether the period's rewards were claimed or forfeited.
	pub claimed: bool,
}

impl NodePeriodPoints {
	/// Proof-of-Capacity points: capacity × windows met (the stability factor times the
	/// period's window count, which cancels out of every share).
	pub fn capacity_points(&self) -> u128 {
		self.capacity.saturating_mul(self.windows.into())
	}
}

//! Matching compute tasks to GPU nodes.
//!
//! A batch of open tasks and a snapshot of idle nodes go in; an assignment comes out that
//! places as many tasks as the nodes can hold and, among those placements, keeps the total cost
//! low. The cost of placing a task on a node weighs the network latency between their regions,
//! the VRAM the task leaves unused, the node's price against the task's limit, the node's
//! reputation and its multi-GPU stage (docs/scheduler.md#cost-of-a-pair).
//!
//! GPUs are whole, non-splittable units and a task runs on one node, so the problem is a
//! generalized assignment problem. [`schedule`] solves it with an auction over candidate lists:
//! tasks bid for GPUs on their best nodes, outbid tasks bid again, local search moves tasks to
//! cheaper free capacity, a repair gets tasks left out in by moving the tasks in their way (or
//! in place of smaller ones), an exact repack of the few nodes around each task still out finds
//! the gains that need several moves at once, and a last fill leaves no task out beside room
//! for it. Where first-fit places more GPUs, the local search starts from its placement
//! instead. The work is bounded by the batch size, not by how contested it is, so the same code
//! can run inside an offchain worker.
//!
//! Everything is integer arithmetic: native and wasm builds give the same answer bit for bit.
//! The runtime checks every assignment on chain; this crate only proposes.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod auction;
mod baseline;
mod candidates;
#[cfg(feature = "chain")]
pub mod chain;
#[cfg(any(test, feature = "workload"))]
pub mod markets;
mod repack;
mod repair;
mod score;
mod types;
#[cfg(any(test, feature = "workload"))]
pub mod workload;

#[cfg(test)]
mod tests;

pub use auction::schedule;
pub use baseline::{exact, first_fit};
pub use score::{pair_cost, ScoreWeights, ASSIGN_VALUE};
pub use types::{Assignment, NodeOffer, Schedule, SchedulerConfig, TaskRequest, Unplaced};
// The region and latency table is the chain's: the market checks latency bounds with it and the
// scheduler scores with the same one.
pub use vcity_placement::{region_of, round_trip_ms, LatencyTable, RegionId, KNOWN_REGIONS, UNKNOWN_REGION};

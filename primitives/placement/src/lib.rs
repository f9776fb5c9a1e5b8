//! Where a node is and what it can hold: the region and latency table and the multi-GPU stages.
//!
//! These are consensus rules (the market refuses an assignment by them) that the scheduler also
//! proposes by, so they live in one crate both use. It has no dependencies, so the scheduler and
//! its benchmark build without FRAME; `vcity-primitives` re-exports it for the pallets.
#![cfg_attr(not(feature = "std"), no_std)]

mod region;
mod stage;

pub use region::*;
pub use stage::*;

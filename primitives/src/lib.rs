//! Shared vocabulary of Vcity chain: ids, units, the GPU spec, the chain clock, and the traits
//! through which pallets talk to each other. No pallet depends on another; they meet here and
//! the runtime wires them.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod agent;
pub mod agent_link;
pub mod buyback;
pub mod charged;
pub mod clock;
pub mod governance;
pub mod json;
pub mod node;
pub mod offence;
pub mod rewards;
pub mod stake;
pub mod task;
pub mod traits;
pub mod units;
pub mod ve;
pub mod verification;

pub use agent::*;
pub use agent_link::*;
pub use buyback::*;
pub use charged::*;
pub use clock::*;
pub use governance::*;
pub use node::*;
pub use offence::*;
pub use rewards::*;
pub use stake::*;
pub use task::*;
pub use traits::*;
pub use units::*;
pub use ve::*;
pub use verification::*;
// Regions, round trips and multi-GPU stages: rules the scheduler shares, in a crate without FRAME.
pub use vcity_placement::*;

//! # The agent API, version 3
//!
//! The local HTTP API that `vcity-agent` serves to the offchain worker of its node
//! (docs/agent-api.md), as the types of its messages. The agent writes the replies and reads the
//! requests with them; the worker (`pallet-agent-bridge`, in the runtime, hence `no_std`) writes
//! its requests with them and reads the replies through [`read`]. Both sides compile against this
//! one definition, so neither can rename a field, a word or a workload kind without the other.
//! Which request carries which message, with an example of each: docs/agent-api.md, "The types"
//! (`tests/docs_examples.rs` checks every example against its type).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod check;
mod error;
mod hash;
mod limits;
pub mod read;
mod status;
mod task;

pub use check::*;
pub use error::*;
pub use hash::*;
pub use limits::*;
pub use status::*;
pub use task::*;

/// The version of the API these types describe. The agent sends it as [`StatusReply::api`]; a
/// node speaks one version and ignores an agent that answers with another. Version 2 added a
/// check's `key` and `mix` and a task's `keyed`: an agent of version 1 would ignore them and
/// answer a challenge with the wrong chain, so a node refuses it rather than have it answer.
/// Version 3 added a challenge's `memory` walk, which a version-2 agent would skip, for the same
/// reason.
pub const API_VERSION: u32 = 3;

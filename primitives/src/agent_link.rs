//! How the node hands its offchain worker the agent's settings and its boot id: through a host
//! function that reads them from the node's memory, not through the offchain database.
//!
//! The offchain database is reachable over RPC (`offchain_localStorageGet` and
//! `offchain_localStorageSet`), so settings kept there could be read, secret included, or
//! replaced to send the worker and its bearer token to another URL. An externalities extension
//! lives only in the process that registers it, and the node registers it for its offchain
//! workers alone: `state_call` and block execution run without it, and the host functions then
//! answer as if no agent were configured.
//!
//! The node lists [`vcity_agent_link::HostFunctions`] in its executor: a runtime with the agent
//! bridge imports them, so an executor without them cannot instantiate it.

#[cfg(not(substrate_runtime))]
use crate::AgentSettings;
use alloc::vec::Vec;
#[cfg(not(substrate_runtime))]
use codec::Encode;
#[cfg(not(substrate_runtime))]
use sp_externalities::ExternalitiesExt;
use sp_runtime_interface::{pass_by::AllocateAndReturnByCodec, runtime_interface};

/// What one run of the node tells its offchain workers. Held in memory for the process's
/// lifetime; never written anywhere.
#[cfg(not(substrate_runtime))]
#[derive(Clone, Default)]
pub struct AgentLink {
	/// Where the agent is and its secret, from `--agent-url` and `--agent-secret-file`; `None`
	/// when the node was started without them.
	pub settings: Option<AgentSettings>,
	/// Fresh at every start: the worker's transactions in the pool die with the process, so a
	/// wait for them recorded under another boot id is void.
	pub boot: u64,
}

#[cfg(not(substrate_runtime))]
sp_externalities::decl_extension! {
	/// The node's [`AgentLink`], registered for its offchain workers only.
	pub struct AgentLinkExt(AgentLink);
}

/// Host functions of the agent bridge (`ext_vcity_agent_link_*`).
// A runtime calls the host through the generated bare functions; the trait the macro declares
// beside them is implemented on the node's side only.
#[cfg_attr(substrate_runtime, allow(dead_code))]
#[runtime_interface]
pub trait VcityAgentLink {
	/// The SCALE encoding of the node's [`AgentSettings`], or `None` when it has none or the
	/// caller is not one of its offchain workers. Raw bytes rather than the decoded type, so a
	/// runtime that cannot decode what a differently built node holds logs it instead of
	/// trapping in the call.
	fn settings(&mut self) -> AllocateAndReturnByCodec<Option<Vec<u8>>> {
		self.extension::<AgentLinkExt>().and_then(|link| link.settings.as_ref().map(|s| s.encode()))
	}

	/// The node's boot id, or 0 outside its offchain workers.
	fn boot_id(&mut self) -> u64 {
		self.extension::<AgentLinkExt>().map_or(0, |link| link.boot)
	}
}

//! What the worker of one operator key submitted and still waits for, kept in the node's
//! offchain database between blocks.
//!
//! Two rules keep every step on chain exactly once:
//! - while a submission of the key is pending (its nonce not yet used on chain, and not yet
//!   `ResubmitAfter` blocks old), the worker submits nothing more: the next block shows the
//!   chain's answer, and the worker decides again from that;
//! - a step that landed but changed nothing (the call failed) is not repeated until
//!   `ResubmitAfter` blocks have passed, so a refused call does not cost a fee every block.

use alloc::vec::Vec;
use codec::{Decode, Encode};
use sp_runtime::{offchain::storage::StorageValueRef, traits::Saturating};
use vcity_primitives::{NodeId, TaskId};

use crate::tasks::Report;

/// Prefix of the ledgers' keys; the operator account's encoding follows.
pub const LEDGER_PREFIX: &[u8] = b"vcity/bridge/ledger/";

/// Blocks between two reminders that the agent still does not answer (about an hour).
pub const WARN_EVERY: u32 = 600;

/// The record of one operator key.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
pub struct Ledger<BlockNumber> {
	/// The key's nonce after the last submission, the block of that submission and the node's
	/// boot id then.
	pub awaiting: Option<(u64, BlockNumber, u64)>,
	/// Where the scheduler role's next scan of node ids starts.
	pub node_cursor: NodeId,
	/// Where its next scan of the queue starts (0: from the beginning).
	pub task_cursor: TaskId,
	/// Task steps submitted recently, with their block.
	pub recent: Vec<(TaskId, Report, BlockNumber)>,
	/// First block in which the agent did not answer, while it still does not.
	pub agent_down_since: Option<BlockNumber>,
	/// When each kind of warning was last logged.
	pub warned: Warnings<BlockNumber>,
}

/// Last block each warning was logged: a fault is logged when it starts, then once every
/// [`WARN_EVERY`] blocks while it lasts, not once a block.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
pub struct Warnings<BlockNumber> {
	/// The agent does not answer, or not as the API says.
	pub agent_down: Option<BlockNumber>,
	/// The agent's GPUs are not the ones the node registered.
	pub gpu_mismatch: Option<BlockNumber>,
	/// The agent runs on a declared profile.
	pub simulated: Option<BlockNumber>,
}

impl<B> Default for Ledger<B> {
	fn default() -> Self {
		Self {
			awaiting: None,
			node_cursor: 0,
			task_cursor: 0,
			recent: Vec::new(),
			agent_down_since: None,
			warned: Warnings { agent_down: None, gpu_mismatch: None, simulated: None },
		}
	}
}

/// Whether the warning last logged in `last` is due again in `now`; records it if so.
pub fn warn_now<B: Copy + PartialOrd + Saturating + From<u32>>(last: &mut Option<B>, now: B) -> bool {
	let due = warning_due(*last, now);
	if due {
		*last = Some(now);
	}
	due
}

/// Whether a warning is due: the first of a fault, then one every [`WARN_EVERY`] blocks.
pub fn warning_due<B: Copy + PartialOrd + Saturating + From<u32>>(last: Option<B>, now: B) -> bool {
	last.is_none_or(|last| now >= last.saturating_add(B::from(WARN_EVERY)))
}

impl<B> Ledger<B>
where
	B: Copy + PartialOrd + Saturating + From<u32> + Encode + Decode,
{
	fn key(account: &impl Encode) -> Vec<u8> {
		let mut key = LEDGER_PREFIX.to_vec();
		account.encode_to(&mut key);
		key
	}

	/// The ledger of `account`, empty when none was kept (or it cannot be read).
	pub fn load(account: &impl Encode) -> Self {
		StorageValueRef::persistent(&Self::key(account)).get::<Self>().ok().flatten().unwrap_or_default()
	}

	pub fn store(&self, account: &impl Encode) {
		StorageValueRef::persistent(&Self::key(account)).set(self);
	}

	/// Whether an earlier submission may still land: the chain's nonce has not reached the one
	/// awaited, it is not yet `resubmit_after` blocks old, and the node has not restarted since
	/// (a restart empties the pool). Clears what is settled. A wait recorded for a later block
	/// than `now` was not written by this worker (the offchain RPC writes this database) and is
	/// void, so nobody can make the worker wait for ever.
	pub fn pending(&mut self, chain_nonce: u64, now: B, resubmit_after: B, boot: u64) -> bool {
		match self.awaiting {
			Some((awaited, since, then))
				if chain_nonce < awaited
					&& since <= now && now < since.saturating_add(resubmit_after)
					&& then == boot =>
			{
				true
			}
			_ => {
				self.awaiting = None;
				false
			}
		}
	}

	/// Records that submissions were made in `now`, after which the key's nonce is `next_nonce`.
	pub fn submitted(&mut self, next_nonce: u64, now: B, boot: u64) {
		self.awaiting = Some((next_nonce, now, boot));
	}

	/// Whether a step of the kind of `report` (whatever its figures: usage grows every block)
	/// was submitted for `task` less than `resubmit_after` blocks ago.
	pub fn recently(&self, task: TaskId, report: &Report, now: B, resubmit_after: B) -> bool {
		let kind = core::mem::discriminant(report);
		self.recent.iter().any(|(t, r, at)| {
			*t == task && core::mem::discriminant(r) == kind && Self::fresh(*at, now, resubmit_after)
		})
	}

	pub fn note(&mut self, task: TaskId, report: Report, now: B) {
		self.recent.push((task, report, now));
	}

	/// Drops steps older than `resubmit_after` blocks, so the ledger stays small.
	pub fn prune(&mut self, now: B, resubmit_after: B) {
		self.recent.retain(|(_, _, at)| Self::fresh(*at, now, resubmit_after));
	}

	/// Whether a step of block `at` still holds back its repeat in `now`. A step of a later block
	/// than `now` was not this worker's (the offchain RPC writes this database): it holds back
	/// nothing, so nobody can silence a step for ever.
	fn fresh(at: B, now: B, resubmit_after: B) -> bool {
		at <= now && now < at.saturating_add(resubmit_after)
	}

	/// The agent did not answer in `now`; whether to warn about it.
	pub fn agent_down(&mut self, now: B) -> bool {
		self.agent_down_since.get_or_insert(now);
		warn_now(&mut self.warned.agent_down, now)
	}

	/// The agent answered in `now`; the first block it was down, if it was.
	pub fn agent_up(&mut self) -> Option<B> {
		self.warned.agent_down = None;
		self.agent_down_since.take()
	}
}

//! One run of the worker: find the node this keystore operates, read its agent, submit what is
//! due, and remember it.

use crate::{
	agent::{push_body, Agent, PushOutcome, Status},
	heartbeat,
	ledger::{warn_now, warning_due, Ledger},
	schedule,
	tasks::{plan, Action, ForgetReason, Report},
	Config, Matching, OperatorCalls, LOG_TARGET,
};
use alloc::{vec, vec::Vec};
use frame_support::traits::Get;
use frame_system::{
	offchain::{Account, SendSignedTransaction, Signer},
	pallet_prelude::BlockNumberFor,
};
use sp_runtime::{
	offchain::{
		storage::StorageValueRef,
		storage_lock::{StorageLock, Time},
		Duration,
	},
	traits::{Saturating, UniqueSaturatedInto},
};
use vcity_primitives::{
	AgentSettings, Clock, NodeId, NodeRegistry, NodeRoles, NodeStatus, NodeTask, NodeTasks, TaskId,
	AGENT_SETTINGS_KEY,
};

/// How long a run may hold the lock: a run waits at most a few agent timeouts.
const LOCK_MS: u64 = 20_000;

/// Lock that keeps two runs (for two blocks imported close together) from submitting the same
/// step side by side.
const RUN_LOCK: &[u8] = b"vcity/bridge/lock";

/// Where the last warning about missing settings was logged.
const SETTINGS_WARNING: &[u8] = b"vcity/bridge/settings-warning";

pub(crate) fn run<T: Config>(now: BlockNumberFor<T>) {
	let operated: Vec<(Account<T>, NodeId, NodeRoles)> = Signer::<T, T::OperatorKey>::keystore_accounts()
		.filter_map(|account| {
			let node = T::Registry::node_of_operator(&account.id)?;
			let profile = T::Registry::profile(node)?;
			Some((account, node, profile.roles))
		})
		.collect();
	// A keystore without a registered operator key is not an operator's node.
	if operated.is_empty() {
		return;
	}
	let mut lock = StorageLock::<Time>::with_deadline(RUN_LOCK, Duration::from_millis(LOCK_MS));
	let Ok(_guard) = lock.try_lock() else {
		log::debug!(target: LOG_TARGET, "an earlier run still works; skipping block {now:?}");
		return;
	};
	// One agent per host: it serves the keystore's first compute node, or else its first node
	// (a scheduler node beats from its agent too).
	let served = operated
		.iter()
		.find(|(_, _, roles)| roles.compute)
		.or_else(|| operated.first())
		.map(|(_, node, _)| *node);
	if let Some((_, other, _)) = operated.iter().filter(|(_, _, roles)| roles.compute).nth(1) {
		log::warn!(
			target: LOG_TARGET,
			"several compute nodes are operated from this keystore; the agent serves node {served:?} only, not node {other}"
		);
	}
	let settings = settings::<T>(now);
	for (account, node, roles) in &operated {
		let agent = match (&settings, Some(*node) == served) {
			(Some(settings), true) => Some(settings),
			_ => None,
		};
		serve::<T>(now, account, *node, roles.scheduler, agent);
	}
}

/// The agent's settings, warning (now and then) when the node has none.
fn settings<T: Config>(now: BlockNumberFor<T>) -> Option<AgentSettings> {
	let settings = StorageValueRef::persistent(AGENT_SETTINGS_KEY).get::<AgentSettings>().ok().flatten();
	if settings.is_none() {
		let record = StorageValueRef::persistent(SETTINGS_WARNING);
		let last = record.get::<BlockNumberFor<T>>().ok().flatten();
		if warning_due(last, now) {
			log::warn!(
				target: LOG_TARGET,
				"this node holds an operator key but no agent settings: start it with --agent-url and \
				 --agent-secret-file"
			);
			record.set(&now);
		}
	}
	settings
}

fn nonce_of<T: Config>(account: &Account<T>) -> u64 {
	frame_system::Account::<T>::get(&account.id).nonce.unique_saturated_into()
}

/// Signs `call` with the operator key and hands it to the pool.
fn submit<T: Config>(account: &Account<T>, call: <T as frame_system::Config>::RuntimeCall) -> bool {
	let signer = Signer::<T, T::OperatorKey>::all_accounts().with_filter(vec![account.public.clone()]);
	matches!(signer.send_single_signed_transaction(account, call), Some(Ok(())))
}

fn report_call<T: Config>(task: TaskId, report: Report) -> Option<<T as frame_system::Config>::RuntimeCall> {
	Some(match report {
		Report::Acknowledge => T::Calls::acknowledge_task(task),
		Report::Decline => T::Calls::decline_task(task),
		Report::Start => T::Calls::start_task(task),
		Report::Usage(used) => T::Calls::report_usage(task, used),
		Report::Complete(result, used) => T::Calls::complete_task(task, result, used),
		Report::Failure => T::Calls::report_failure(task),
		Report::Assign(node) => return T::Calls::assign_tasks(vec![(task, node)]),
	})
}

/// A run for one node, with its operator key's ledger.
struct NodeRun<'a, T: Config> {
	now: BlockNumberFor<T>,
	account: &'a Account<T>,
	node: NodeId,
	ledger: Ledger<BlockNumberFor<T>>,
	submitted: u32,
}

impl<T: Config> NodeRun<'_, T> {
	fn submit_report(&mut self, task: TaskId, report: Report) {
		let resubmit_after = T::ResubmitAfter::get();
		if self.ledger.recently(task, &report, self.now, resubmit_after) {
			return;
		}
		let Some(call) = report_call::<T>(task, report) else { return };
		if submit::<T>(self.account, call) {
			log::info!(target: LOG_TARGET, "node {}: task {task}: submitted the {report}", self.node);
			self.ledger.note(task, report, self.now);
			self.submitted += 1;
		} else {
			log::warn!(target: LOG_TARGET, "node {}: task {task}: the pool refused the {report}", self.node);
		}
	}

	/// Matches queued tasks to idle nodes and submits the assignments.
	fn schedule(&mut self) {
		let resubmit_after = T::ResubmitAfter::get();
		let tasks = T::Matching::assignable_tasks(schedule::TASKS_PER_ROUND);
		let nodes = T::Matching::idle_nodes(schedule::NODES_PER_ROUND);
		let ledger = &self.ledger;
		let now = self.now;
		let recently = |task: TaskId| {
			ledger.recent.iter().any(|(t, r, at)| {
				*t == task && matches!(r, Report::Assign(_)) && now < at.saturating_add(resubmit_after)
			})
		};
		let batches = schedule::round(tasks, &nodes, T::Matching::max_assignments_per_call(), recently);
		for batch in batches {
			let Some(call) = T::Calls::assign_tasks(batch.clone()) else { continue };
			if submit::<T>(self.account, call) {
				log::info!(target: LOG_TARGET, "scheduler node {}: assigned {batch:?}", self.node);
				for (task, node) in batch {
					self.ledger.note(task, schedule::proposed(node), self.now);
				}
				self.submitted += 1;
			} else {
				log::warn!(target: LOG_TARGET, "scheduler node {}: the pool refused {batch:?}", self.node);
			}
		}
	}

	fn heartbeat(&mut self, status: &Status) {
		if status.simulated && warn_now(&mut self.ledger.warned.simulated, self.now) {
			log::warn!(
				target: LOG_TARGET,
				"node {}: the agent simulates its GPUs (--gpu-profile); its heartbeats claim GPUs this host may \
				 not have. Use profiles on development chains only",
				self.node
			);
		}
		let Some(spec) = T::Registry::gpu_spec(self.node) else { return };
		let metrics = match heartbeat::metrics_for(&spec, status) {
			Ok(metrics) => {
				self.ledger.warned.gpu_mismatch = None;
				metrics
			}
			Err(mismatch) => {
				if warn_now(&mut self.ledger.warned.gpu_mismatch, self.now) {
					log::error!(target: LOG_TARGET, "node {}: {mismatch}", self.node);
				}
				return;
			}
		};
		if !<T::Registry as vcity_primitives::HeartbeatGate<T::AccountId>>::heartbeat_due(
			&self.account.id,
			self.node,
			&metrics,
		) {
			return;
		}
		if submit::<T>(self.account, T::Calls::heartbeat(self.node, metrics)) {
			log::debug!(target: LOG_TARGET, "node {}: heartbeat submitted ({metrics:?})", self.node);
			self.submitted += 1;
		} else {
			log::warn!(target: LOG_TARGET, "node {}: the pool refused the heartbeat", self.node);
		}
	}

	fn act(&mut self, agent: &Agent, action: Action, chain: &[NodeTask<BlockNumberFor<T>>]) {
		let find = |id: TaskId| chain.iter().find(|task| task.id == id);
		match action {
			Action::Submit(task, report) => self.submit_report(task, report),
			Action::Push(id) | Action::PushAndAcknowledge(id) => {
				let Some(task) = find(id) else { return };
				let Some(body) = push_body(id, task.gpus, task.seconds, &task.workload) else {
					// No agent can run an image reference that is not text.
					if matches!(action, Action::PushAndAcknowledge(_)) {
						self.submit_report(id, Report::Decline);
					}
					return;
				};
				match agent.push(body) {
					Ok(PushOutcome::Accepted) => {
						log::info!(target: LOG_TARGET, "node {}: task {id} handed to the agent", self.node);
						if matches!(action, Action::PushAndAcknowledge(_)) {
							self.submit_report(id, Report::Acknowledge);
						}
					}
					Ok(PushOutcome::Unsupported) => {
						log::info!(target: LOG_TARGET, "node {}: the agent cannot run task {id}", self.node);
						// Before the acknowledgement declining costs nothing; after it, the node
						// gives the task up so another node can take it before its deadline.
						let report = match action {
							Action::PushAndAcknowledge(_) => Report::Decline,
							_ => Report::Failure,
						};
						self.submit_report(id, report);
					}
					Ok(PushOutcome::Conflict) => {
						// Left from an earlier chain under the same id: the next run pushes again.
						log::warn!(
							target: LOG_TARGET,
							"node {}: the agent holds another task {id}; it is told to forget it",
							self.node
						);
						self.forget(agent, id);
					}
					Err(error) => log::warn!(target: LOG_TARGET, "node {}: task {id}: {error}", self.node),
				}
			}
			Action::Forget(id, reason) => {
				if let ForgetReason::NotAssigned { had_result } = reason {
					log::warn!(
						target: LOG_TARGET,
						"node {}: the agent holds task {id}{}, which the chain does not give this node; nothing \
						 is submitted and the agent is told to forget it",
						self.node,
						if had_result { " with a result" } else { "" },
					);
				}
				self.forget(agent, id);
			}
		}
	}

	fn forget(&mut self, agent: &Agent, id: TaskId) {
		if let Err(error) = agent.forget(id) {
			log::warn!(target: LOG_TARGET, "node {}: could not make the agent forget task {id}: {error}", self.node);
		}
	}
}

/// One node's run: its agent (if it has one here), then its scheduler role (if it has one),
/// under its operator key's ledger.
fn serve<T: Config>(
	now: BlockNumberFor<T>,
	account: &Account<T>,
	node: NodeId,
	scheduler: bool,
	settings: Option<&AgentSettings>,
) {
	let mut ledger = Ledger::<BlockNumberFor<T>>::load(&account.id);
	let resubmit_after = T::ResubmitAfter::get();
	ledger.prune(now, resubmit_after);
	let mut reachable = None;
	if let Some(settings) = settings {
		match Agent::new(settings, T::AgentTimeoutMs::get())
			.and_then(|agent| agent.status().map(|s| (agent, s)))
		{
			Ok(pair) => {
				if let Some(since) = ledger.agent_up() {
					log::info!(target: LOG_TARGET, "node {node}: the agent answers again (it did not since block {since:?})");
				}
				reachable = Some(pair);
			}
			Err(error) => {
				if ledger.agent_down(now) {
					log::warn!(target: LOG_TARGET, "node {node}: {error}; no heartbeat until the agent answers");
				}
			}
		}
	}
	if ledger.pending(nonce_of(account), now, resubmit_after) {
		ledger.store(&account.id);
		return;
	}

	let mut run = NodeRun::<T> { now, account, node, ledger, submitted: 0 };
	if let Some((agent, status)) = reachable {
		run.heartbeat(&status);
		match agent.tasks() {
			Ok(held) => {
				let chain = T::Market::tasks_of_node(node);
				for action in plan(node, now, T::Clock::now_ms(), &chain, T::Market::task, &held) {
					run.act(&agent, action, &chain);
				}
			}
			Err(error) => log::warn!(target: LOG_TARGET, "node {node}: reading the agent's tasks: {error}"),
		}
	}
	if scheduler && T::Registry::status(node) == Some(NodeStatus::Online) {
		run.schedule();
	}
	if run.submitted > 0 {
		let next = nonce_of(account);
		run.ledger.submitted(next, now);
	}
	run.ledger.store(&account.id);
}

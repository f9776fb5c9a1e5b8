//! One run of the worker: find the node this keystore operates, read its agent, submit what is
//! due, and remember it.

use crate::{
	agent::{push_body, Agent, CheckTerms, PushOutcome},
	heartbeat,
	ledger::{warn_now, warning_due, Ledger},
	schedule,
	tasks::{plan, Action, ForgetReason, Report},
	verify::{self, CheckAction, KeptAnswer},
	Config, OperatorCalls, LOG_TARGET,
};
use alloc::{vec, vec::Vec};
use codec::Decode;
use frame_support::traits::Get;
use frame_system::{
	offchain::{Account, SendSignedTransaction, Signer},
	pallet_prelude::BlockNumberFor,
};
use sp_runtime::{
	offchain::{
		storage::StorageValueRef,
		storage_lock::{StorageLock, Time},
		Duration, Timestamp,
	},
	traits::UniqueSaturatedInto,
};
use vcity_agent_api::{check_task_id, job_of_check, read::StatusReply};
use vcity_primitives::{
	answer_commitment, vcity_agent_link, AgentSettings, AssignedJob, Clock, HeartbeatMetrics, Matching,
	NodeId, NodeRegistry, NodeRoles, NodeStatus, NodeTask, NodeTasks, TaskId, VerifierJobs, Workload,
};

/// How long a run may hold the lock. A run makes no agent request after [`RUN_BUDGET_MS`], and
/// one request waits at most `AgentTimeoutMs` (2 s), so it ends well inside this.
const LOCK_MS: u64 = 30_000;

/// Time a run may spend on agent requests before it leaves the rest to the next block.
const RUN_BUDGET_MS: u64 = 20_000;

/// Tasks a run hands to the agent or makes it forget at most; an agent listing hundreds of stray
/// tasks is cleaned up over several blocks instead of holding one run.
const AGENT_CALLS_PER_RUN: u32 = 16;

/// Lock that keeps two runs (for two blocks imported close together) from submitting the same
/// step side by side.
const RUN_LOCK: &[u8] = b"vcity/bridge/lock";

/// Where the last warning about missing settings was logged.
const SETTINGS_WARNING: &[u8] = b"vcity/bridge/settings-warning";

/// Where the last warning about several compute nodes in one keystore was logged.
const NODES_WARNING: &[u8] = b"vcity/bridge/nodes-warning";

/// Whether the warning recorded under `key` is due in `now` (the first time, then every
/// `WARN_EVERY` blocks); records it if so.
fn throttled<T: Config>(key: &[u8], now: BlockNumberFor<T>) -> bool {
	let record = StorageValueRef::persistent(key);
	let due = warning_due(record.get::<BlockNumberFor<T>>().ok().flatten(), now);
	if due {
		record.set(&now);
	}
	due
}

/// The run lock holds a deadline at most [`LOCK_MS`] ahead. One further ahead was not set by a
/// run (the offchain RPC writes this database) and would keep every run out until then, the
/// node silent and its tasks timing out: it is cleared.
fn release_a_lock_from_the_future() {
	let lock = StorageValueRef::persistent(RUN_LOCK);
	let latest = sp_io::offchain::timestamp().add(Duration::from_millis(LOCK_MS));
	if lock.get::<Timestamp>().ok().flatten().is_some_and(|deadline| deadline > latest) {
		let mut lock = lock;
		lock.clear();
	}
}

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
	release_a_lock_from_the_future();
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
	let extra = operated.iter().filter(|(_, _, roles)| roles.compute).nth(1);
	if let Some((_, other, _)) = extra.filter(|_| throttled::<T>(NODES_WARNING, now)) {
		log::warn!(
			target: LOG_TARGET,
			"several compute nodes are operated from this keystore; the agent serves node {} only, not node {other}",
			served.unwrap_or_default()
		);
	}
	let settings = settings::<T>(now);
	for (account, node, roles) in &operated {
		// The agent runs the served node's tasks; it recomputes for every verifier node of the
		// keystore (checks need no GPU of the node's own).
		let serves_tasks = Some(*node) == served;
		let agent = settings.as_ref().filter(|_| serves_tasks || roles.verifier);
		serve::<T>(now, account, *node, *roles, agent, serves_tasks);
	}
}

/// The agent's settings, warning (now and then) when the node has none.
///
/// They come from the node's memory through a host function, never from the offchain database:
/// the offchain RPC reads and writes that database, so settings there could be read, secret
/// included, or replaced to send the worker and the secret elsewhere.
fn settings<T: Config>(now: BlockNumberFor<T>) -> Option<AgentSettings> {
	let encoded = vcity_agent_link::settings();
	let settings = encoded.as_deref().and_then(|mut bytes| AgentSettings::decode(&mut bytes).ok());
	if settings.is_none() && throttled::<T>(SETTINGS_WARNING, now) {
		if encoded.is_some() {
			log::warn!(
				target: LOG_TARGET,
				"the node's agent settings do not decode: the node and the runtime were built from \
				 different versions"
			);
		} else {
			log::warn!(
				target: LOG_TARGET,
				"this node holds an operator key but no agent settings: start it with --agent-url and \
				 --agent-secret-file"
			);
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
		Report::Commit(commitment) => T::Calls::commit_answer(job_of_check(task)?, commitment),
		Report::Reveal(answer, salt) => T::Calls::reveal_answer(job_of_check(task)?, answer, salt),
		Report::JoinPool(node) => T::Calls::join_pool(node),
	})
}

/// A run for one node, with its operator key's ledger.
struct NodeRun<'a, T: Config> {
	now: BlockNumberFor<T>,
	account: &'a Account<T>,
	node: NodeId,
	ledger: Ledger<BlockNumberFor<T>>,
	submitted: u32,
	/// No agent request starts after this.
	budget_ends: Timestamp,
	/// Pushes and forgets left this run.
	agent_calls_left: u32,
}

impl<T: Config> NodeRun<'_, T> {
	/// Whether the run may make one more push or forget.
	fn may_call_agent(&mut self) -> bool {
		if self.agent_calls_left == 0 || sp_io::offchain::timestamp() >= self.budget_ends {
			log::debug!(target: LOG_TARGET, "node {}: the run's agent budget is spent; the rest waits", self.node);
			return false;
		}
		self.agent_calls_left -= 1;
		true
	}

	fn submit_report(&mut self, task: TaskId, report: Report) {
		let resubmit_after = T::ResubmitAfter::get();
		if self.ledger.recently(task, &report, self.now, resubmit_after) {
			return;
		}
		// The chain refuses both from a node that is not Online (say, its beat is still in the
		// pool): wait for the beat rather than pay for a refusal.
		if matches!(report, Report::Acknowledge | Report::Start)
			&& T::Registry::status(self.node) != Some(NodeStatus::Online)
		{
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
		let (ledger, now) = (&self.ledger, self.now);
		// The ledger's back-off compares the kind of step, whatever node it named.
		let proposed_recently = |task: TaskId| ledger.recently(task, &Report::Assign(0), now, resubmit_after);
		let (tasks, next_task) = T::Matching::assignable_tasks(
			self.ledger.task_cursor,
			schedule::TASKS_PER_ROUND,
			&proposed_recently,
		);
		self.ledger.task_cursor = next_task;
		if tasks.is_empty() {
			return;
		}
		let (nodes, next_cursor) =
			T::Matching::idle_nodes(self.ledger.node_cursor, schedule::NODES_PER_ROUND, self.node);
		self.ledger.node_cursor = next_cursor;
		let scheduler = self.node;
		let batches =
			schedule::round(&tasks, &nodes, T::Matching::max_assignments_per_call(), |task, node| {
				T::Matching::accepts(task, node, scheduler)
			});
		for batch in batches {
			let Some(call) = T::Calls::assign_tasks(batch.clone()) else { continue };
			if submit::<T>(self.account, call) {
				log::info!(target: LOG_TARGET, "scheduler node {}: assigned {batch:?}", self.node);
				for (task, node) in batch {
					self.ledger.note(task, Report::Assign(node), self.now);
				}
				self.submitted += 1;
			} else {
				log::warn!(target: LOG_TARGET, "scheduler node {}: the pool refused {batch:?}", self.node);
			}
		}
	}

	fn heartbeat(&mut self, status: &StatusReply) {
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
		self.beat(metrics);
	}

	/// A heartbeat with no GPU figures, for a node whose roles need no GPUs.
	fn beat_without_gpus(&mut self) {
		self.beat(HeartbeatMetrics::default());
	}

	/// Submits a heartbeat with `metrics` when the registry would take one.
	fn beat(&mut self, metrics: HeartbeatMetrics) {
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
				if !self.may_call_agent() {
					return;
				}
				let Some(body) = push_body(id, task.gpus, task.seconds, &task.workload, None) else {
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

	/// Answers the jobs the node was drawn for, and its own capacity challenges.
	fn verify(&mut self, agent: &Agent, agent_api: u32, held: &[crate::agent::HeldTask], roles: NodeRoles) {
		// A node the pool dropped while it was not online goes back once it is.
		if roles.verifier
			&& T::Registry::status(self.node) == Some(NodeStatus::Online)
			&& T::Verification::should_rejoin(self.node)
		{
			if let Some(id) = check_task_id(0) {
				self.submit_report(id, Report::JoinPool(self.node));
			}
		}
		let jobs: Vec<AssignedJob<BlockNumberFor<T>>> = T::Verification::jobs_of(self.node);
		for action in verify::plan_checks(self.now, &jobs, held, T::Verification::job_open) {
			match action {
				CheckAction::Push(job) => {
					let (Some(id), Some(open)) = (check_task_id(job), jobs.iter().find(|j| j.id == job))
					else {
						continue;
					};
					if !verify::agent_computes(open, agent_api) {
						log::warn!(
							target: LOG_TARGET,
							"node {}: job {job} walks memory, which the agent (API version {agent_api}) cannot: upgrade the agent to version {}",
							self.node,
							crate::agent::MEMORY_WALK_API_VERSION
						);
						continue;
					}
					// Commitments and reveals need no agent call: they still go out this run.
					if !self.may_call_agent() {
						continue;
					}
					let Some(body) = push_body(
						id,
						open.gpus,
						verify::check_seconds(&open.workload, open.memory),
						&Workload::Builtin(open.workload),
						Some(CheckTerms { key: open.key, mix: open.mixed, memory: open.memory }),
					) else {
						continue;
					};
					match agent.push(body) {
						Ok(PushOutcome::Accepted) => {
							log::info!(target: LOG_TARGET, "node {}: job {job} handed to the agent", self.node)
						}
						Ok(outcome) => log::warn!(
							target: LOG_TARGET,
							"node {}: the agent will not compute job {job} ({outcome:?}); the node will be reported for the answer it does not give",
							self.node
						),
						Err(error) => {
							log::warn!(target: LOG_TARGET, "node {}: job {job}: {error}", self.node)
						}
					}
				}
				CheckAction::Commit(job, answer) => {
					let Some(id) = check_task_id(job) else { continue };
					// A salt kept from an earlier run of this job is used again: the commitment
					// submitted then may still land.
					let kept = verify::kept_answer(self.node, job)
						.filter(|kept| kept.answer == answer)
						.unwrap_or_else(|| {
							let kept = KeptAnswer { answer, salt: sp_io::offchain::random_seed() };
							verify::keep_answer(self.node, job, &kept);
							kept
						});
					let commitment = answer_commitment(job, self.node, &kept.answer, &kept.salt);
					self.submit_report(id, Report::Commit(commitment));
				}
				CheckAction::Reveal(job) => {
					let Some(id) = check_task_id(job) else { continue };
					match verify::kept_answer(self.node, job) {
						Some(kept) => self.submit_report(id, Report::Reveal(kept.answer, kept.salt)),
						None => log::error!(
							target: LOG_TARGET,
							"node {}: the answer to job {job} is lost from the offchain database; it cannot be revealed",
							self.node
						),
					}
				}
				CheckAction::Drop(job) => verify::drop_answer(self.node, job),
				CheckAction::Forget(id) => self.forget(agent, id),
			}
		}
	}

	fn forget(&mut self, agent: &Agent, id: TaskId) {
		if !self.may_call_agent() {
			return;
		}
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
	roles: NodeRoles,
	settings: Option<&AgentSettings>,
	serves_tasks: bool,
) {
	let started = sp_io::offchain::timestamp();
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
	// Per process, from the node's memory like the settings: a value an RPC caller could set
	// would let it make the worker stop waiting for its transactions, or never stop.
	let boot = vcity_agent_link::boot_id();
	if ledger.pending(nonce_of(account), now, resubmit_after, boot) {
		ledger.store(&account.id);
		return;
	}

	let mut run = NodeRun::<T> {
		now,
		account,
		node,
		ledger,
		submitted: 0,
		budget_ends: started.add(Duration::from_millis(RUN_BUDGET_MS)),
		agent_calls_left: AGENT_CALLS_PER_RUN,
	};
	// A node without the compute role rents out no GPUs: its worker's beat is its liveness, so
	// a scheduler keeps matching without an agent of its own (it proves no capacity either way).
	// Only the node whose tasks the agent runs beats with the agent's GPUs: another node of the
	// keystore that the agent only recomputes for does not claim them.
	if !roles.compute && (settings.is_none() || !serves_tasks) {
		run.beat_without_gpus();
	}
	if let Some((agent, status)) = reachable {
		if serves_tasks {
			run.heartbeat(&status);
		}
		match agent.tasks() {
			Ok(held) => {
				// A verifier answers the jobs it was drawn for; the compute node the agent serves
				// answers its own capacity challenges, beside its tasks. Checks go first: their
				// deadlines are on chain, and a task handed over first could take the GPUs a
				// challenge asks for.
				if roles.verifier || (serves_tasks && roles.compute) {
					run.verify(&agent, status.api, &held, roles);
				}
				// Only the node whose tasks the agent runs plans them: another node would take
				// the agent's tasks for strays and have them forgotten.
				if serves_tasks {
					let chain = T::Market::tasks_of_node(node);
					for action in plan(node, now, T::Clock::now_ms(), &chain, T::Market::task, &held) {
						run.act(&agent, action, &chain);
					}
				}
			}
			Err(error) => log::warn!(target: LOG_TARGET, "node {node}: reading the agent's tasks: {error}"),
		}
	}
	if roles.scheduler && T::Matching::may_schedule(node) {
		run.schedule();
	}
	if run.submitted > 0 {
		let next = nonce_of(account);
		run.ledger.submitted(next, now, boot);
	}
	run.ledger.store(&account.id);
}

//! The agent's local HTTP API (`docs/agent-api.md`) as the worker reads it. The messages are
//! the types of `vcity-agent-api`, the ones the agent writes; this is what the worker makes of
//! them.
//!
//! Every request has a deadline, every reply is bounded and checked: an agent that hangs,
//! answers with another status or sends a body that is not the API's gets an [`AgentError`],
//! and the worker submits nothing on its word.

use alloc::{collections::BTreeSet, format, string::String, vec, vec::Vec};
use sp_runtime::offchain::{http, Duration, HttpError};
use vcity_agent_api::{self as api, read, TaskState};
use vcity_primitives::{
	AgentSettings, BuiltinWorkload, Digest, GpuSeconds, Health, HeartbeatMetrics, TaskId, Workload,
};

/// The API version this worker speaks.
pub use api::API_VERSION;

/// The oldest agent API this worker speaks. Version 2 computes everything but a challenge's
/// memory walk, which the upgrade to version 3 leaves off until governance turns it on: agents
/// are upgraded after the runtime, at their operators' pace, and none is refused meanwhile.
pub const OLDEST_API_VERSION: u32 = 2;

/// The first API version whose agents walk a challenge's memory: an older agent would ignore
/// the walk and compute a digest every verifier rejects (fake capacity), so it is not given one.
pub const MEMORY_WALK_API_VERSION: u32 = 3;

/// A larger reply is refused unread. The task list is the longest: a node holds at most a task
/// per GPU plus those awaiting settlement, a few hundred bytes each, far below this.
pub const MAX_REPLY_BYTES: usize = 1024 * 1024;

/// Why a request to the agent gave nothing the worker can act on.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum AgentError {
	/// The settings hold no usable URL or secret.
	BadSettings(&'static str),
	/// The connection failed.
	Unreachable,
	/// No complete answer before the deadline.
	Timeout,
	/// `401`: the node's secret is not the agent's.
	Unauthorized,
	/// A status the API does not answer this request with.
	UnexpectedStatus(u16),
	/// The reply is larger than any the API sends.
	TooLarge,
	/// The reply does not follow the API; the text says where.
	Malformed(&'static str),
	/// The agent speaks another API version.
	WrongVersion(u32),
}

impl core::fmt::Display for AgentError {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		match self {
			Self::BadSettings(what) => write!(f, "agent settings unusable: {what}"),
			Self::Unreachable => write!(f, "agent unreachable"),
			Self::Timeout => write!(f, "agent did not answer before the deadline"),
			Self::Unauthorized => write!(f, "agent refused the secret (401): check --agent-secret-file"),
			Self::UnexpectedStatus(code) => write!(f, "agent answered with unexpected HTTP status {code}"),
			Self::TooLarge => write!(f, "agent reply larger than {MAX_REPLY_BYTES} bytes"),
			Self::Malformed(what) => write!(f, "malformed agent reply: {what}"),
			Self::WrongVersion(v) => {
				write!(
					f,
					"agent speaks API version {v}, this node speaks {OLDEST_API_VERSION} to {API_VERSION}"
				)
			}
		}
	}
}

/// The chain's word for a health the agent reports.
fn chain_health(health: api::Health) -> Health {
	match health {
		api::Health::Ok => Health::Healthy,
		api::Health::Degraded => Health::Degraded,
		api::Health::Failed => Health::Failing,
	}
}

/// The heartbeat metrics a status (from [`parse_status`], so its load is at most 100) reports.
pub fn metrics(status: &read::StatusReply) -> HeartbeatMetrics {
	HeartbeatMetrics {
		load_percent: u8::try_from(status.load_percent.min(100)).unwrap_or(100),
		health: chain_health(status.health),
	}
}

/// Where a task stands on the agent.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Progress {
	/// Accepted, waiting for GPUs.
	Queued,
	/// Running, `used` GPU-seconds metered so far.
	Running { used: GpuSeconds },
	/// Done with `result` after `used` GPU-seconds; a check with a key also gives the output's
	/// `keyed` digest.
	Finished { result: Digest, keyed: Option<Digest>, used: GpuSeconds },
	/// Could not be run to the end.
	Failed,
}

/// A task the agent holds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct HeldTask {
	pub id: TaskId,
	pub progress: Progress,
}

/// What the agent said to a task handed to it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum PushOutcome {
	/// It holds the task now (new, or already held with the same terms).
	Accepted,
	/// It cannot run this task; the node should decline it.
	Unsupported,
	/// It holds another task under this id (left from an earlier chain): forget that first.
	Conflict,
}

/// How a check differs from a task: its job's key, and whether its rounds are mixed with it and
/// what memory it walks (a capacity challenge).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct CheckTerms {
	pub key: [u8; 32],
	pub mix: bool,
	pub memory: Option<vcity_primitives::MemoryWalk>,
}

/// The JSON body handing `workload` to the agent, or `None` when no agent could run it (an
/// image reference that is not text). A check passes its terms; a task none.
pub fn push_body(
	id: TaskId,
	gpus: u32,
	seconds: u64,
	workload: &Workload,
	check: Option<CheckTerms>,
) -> Option<Vec<u8>> {
	let workload = match workload {
		Workload::Builtin(BuiltinWorkload::MatrixProduct { seed, size, rounds }) => api::Workload::Matrix {
			seed: *seed,
			size: *size,
			rounds: *rounds,
			key: check.map(|terms| api::Hash32(terms.key)),
			mix: check.is_some_and(|terms| terms.mix),
			memory: check
				.and_then(|terms| terms.memory)
				.map(|walk| api::MemoryWalk { items: walk.items, reads: walk.reads }),
		},
		Workload::Container { image, command_hash } => api::Workload::Container {
			image: String::from(core::str::from_utf8(image).ok()?),
			command_hash: api::Hash32(*command_hash),
		},
	};
	serde_json::to_vec(&api::TaskSpec { id, gpus, seconds, workload }).ok()
}

/// Parses `GET /v1/status`.
pub fn parse_status(body: &[u8]) -> Result<read::StatusReply, AgentError> {
	let status: read::StatusReply =
		serde_json::from_slice(body).map_err(|_| AgentError::Malformed("status is not the API's JSON"))?;
	if !(OLDEST_API_VERSION..=API_VERSION).contains(&status.api) {
		return Err(AgentError::WrongVersion(status.api));
	}
	if status.load_percent > 100 {
		return Err(AgentError::Malformed("load_percent above 100"));
	}
	Ok(status)
}

/// Parses `GET /v1/tasks`.
pub fn parse_tasks(body: &[u8]) -> Result<Vec<HeldTask>, AgentError> {
	let reply: read::TaskList =
		serde_json::from_slice(body).map_err(|_| AgentError::Malformed("task list is not the API's JSON"))?;
	let mut held = Vec::with_capacity(reply.tasks.len());
	let mut seen = BTreeSet::new();
	for task in reply.tasks {
		let progress = match task.state {
			TaskState::Queued => Progress::Queued,
			TaskState::Running => Progress::Running { used: task.used_gpu_seconds },
			TaskState::Failed => Progress::Failed,
			TaskState::Finished => {
				let result =
					task.result.ok_or(AgentError::Malformed("finished task without a 32-byte hex result"))?;
				Progress::Finished {
					result: result.0,
					keyed: task.keyed.map(|keyed| keyed.0),
					used: task.used_gpu_seconds,
				}
			}
		};
		if !seen.insert(task.id) {
			return Err(AgentError::Malformed("task listed twice"));
		}
		held.push(HeldTask { id: task.id, progress });
	}
	Ok(held)
}

/// What the agent's answer to `POST /v1/tasks` means.
pub fn push_outcome(code: u16) -> Result<PushOutcome, AgentError> {
	match code {
		200 | 201 => Ok(PushOutcome::Accepted),
		409 => Ok(PushOutcome::Conflict),
		422 => Ok(PushOutcome::Unsupported),
		_ => Err(refused(code)),
	}
}

/// What the agent's answer to `DELETE /v1/tasks/{id}` means: a task it no longer holds is
/// forgotten already.
pub fn forget_outcome(code: u16) -> Result<(), AgentError> {
	match code {
		204 | 404 => Ok(()),
		_ => Err(refused(code)),
	}
}

/// A status the worker cannot act on.
fn refused(code: u16) -> AgentError {
	match code {
		401 => AgentError::Unauthorized,
		_ => AgentError::UnexpectedStatus(code),
	}
}

/// A client of one agent.
pub struct Agent<'a> {
	base: &'a str,
	authorization: String,
	timeout: Duration,
}

impl<'a> Agent<'a> {
	/// A client for the agent at `settings.url`, waiting at most `timeout_ms` per request.
	pub fn new(settings: &'a AgentSettings, timeout_ms: u64) -> Result<Self, AgentError> {
		let url =
			core::str::from_utf8(&settings.url).map_err(|_| AgentError::BadSettings("URL is not text"))?;
		let base = url.trim_end_matches('/');
		if !(base.starts_with("http://") || base.starts_with("https://")) {
			return Err(AgentError::BadSettings("URL must start with http:// or https://"));
		}
		let secret = core::str::from_utf8(&settings.secret)
			.map_err(|_| AgentError::BadSettings("secret is not text"))?;
		let secret = secret.trim();
		if secret.is_empty() {
			return Err(AgentError::BadSettings("secret is empty"));
		}
		Ok(Self {
			base,
			authorization: format!("Bearer {secret}"),
			timeout: Duration::from_millis(timeout_ms),
		})
	}

	/// Sends one request and returns the status and the whole body, within the deadline.
	fn exchange(
		&self,
		method: http::Method,
		path: &str,
		body: Option<Vec<u8>>,
	) -> Result<(u16, Vec<u8>), AgentError> {
		let url = format!("{}{}", self.base, path);
		let deadline = sp_io::offchain::timestamp().add(self.timeout);
		let mut request = http::Request::<Vec<Vec<u8>>>::new(&url)
			.method(method)
			.add_header("Authorization", &self.authorization)
			.deadline(deadline);
		if let Some(body) = body {
			request = request.add_header("Content-Type", "application/json").body(vec![body]);
		}
		let pending = request.send().map_err(|e| match e {
			HttpError::DeadlineReached => AgentError::Timeout,
			_ => AgentError::Unreachable,
		})?;
		let response = pending.try_wait(deadline).map_err(|_| AgentError::Timeout)?.map_err(|e| match e {
			http::Error::DeadlineReached => AgentError::Timeout,
			_ => AgentError::Unreachable,
		})?;
		let mut reader = response.body();
		reader.deadline(deadline);
		let mut bytes = Vec::new();
		for byte in reader.by_ref() {
			if bytes.len() == MAX_REPLY_BYTES {
				return Err(AgentError::TooLarge);
			}
			bytes.push(byte);
		}
		match reader.error() {
			None => Ok((response.code, bytes)),
			Some(HttpError::DeadlineReached) => Err(AgentError::Timeout),
			Some(_) => Err(AgentError::Unreachable),
		}
	}

	/// The body of a `200`, the one answer to a `GET`.
	fn get(&self, path: &str) -> Result<Vec<u8>, AgentError> {
		match self.exchange(http::Method::Get, path, None)? {
			(200, body) => Ok(body),
			(code, _) => Err(refused(code)),
		}
	}

	/// `GET /v1/status`.
	pub fn status(&self) -> Result<read::StatusReply, AgentError> {
		parse_status(&self.get("/v1/status")?)
	}

	/// `GET /v1/tasks`.
	pub fn tasks(&self) -> Result<Vec<HeldTask>, AgentError> {
		parse_tasks(&self.get("/v1/tasks")?)
	}

	/// `POST /v1/tasks` with a body from [`push_body`].
	pub fn push(&self, body: Vec<u8>) -> Result<PushOutcome, AgentError> {
		let (code, _) = self.exchange(http::Method::Post, "/v1/tasks", Some(body))?;
		push_outcome(code)
	}

	/// `DELETE /v1/tasks/{id}`.
	pub fn forget(&self, id: TaskId) -> Result<(), AgentError> {
		let (code, _) = self.exchange(http::Method::Delete, &format!("/v1/tasks/{id}"), None)?;
		forget_outcome(code)
	}
}

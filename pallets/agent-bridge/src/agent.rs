//! The agent's local HTTP API (`docs/agent-api.md`, version 1) as the worker reads it.
//!
//! Every request has a deadline, every reply is bounded and checked: an agent that hangs,
//! answers with another status or sends a body that is not the API's gets an [`AgentError`],
//! and the worker submits nothing on its word.

use alloc::{collections::BTreeSet, format, string::String, vec, vec::Vec};
use serde::{Deserialize, Serialize};
use sp_runtime::offchain::{http, Duration, HttpError};
use vcity_primitives::{
	AgentSettings, BuiltinWorkload, Digest, GpuSeconds, Health, HeartbeatMetrics, TaskId, Workload,
};

/// The API version this worker speaks.
pub const API_VERSION: u32 = 1;

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
				write!(f, "agent speaks API version {v}, this node speaks {API_VERSION}")
			}
		}
	}
}

/// Health word of the API.
#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
pub enum HealthWord {
	Ok,
	Degraded,
	Failed,
}

impl From<HealthWord> for Health {
	fn from(word: HealthWord) -> Self {
		match word {
			HealthWord::Ok => Health::Healthy,
			HealthWord::Degraded => Health::Degraded,
			HealthWord::Failed => Health::Failing,
		}
	}
}

/// One GPU as the agent sees it (the fields the worker uses; the rest is ignored).
#[derive(Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct Gpu {
	pub model: String,
	pub memory_total_mib: u64,
	pub health: HealthWord,
}

/// `GET /v1/status`.
#[derive(Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct Status {
	pub api: u32,
	pub simulated: bool,
	pub gpus: Vec<Gpu>,
	pub load_percent: u8,
	pub health: HealthWord,
}

impl Status {
	/// The heartbeat metrics this status reports.
	pub fn metrics(&self) -> HeartbeatMetrics {
		HeartbeatMetrics { load_percent: self.load_percent, health: self.health.into() }
	}
}

/// Where a task stands on the agent.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Progress {
	/// Accepted, waiting for GPUs.
	Queued,
	/// Running, `used` GPU-seconds metered so far.
	Running { used: GpuSeconds },
	/// Done with `result` after `used` GPU-seconds.
	Finished { result: Digest, used: GpuSeconds },
	/// Could not be run to the end.
	Failed,
}

/// A task the agent holds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct HeldTask {
	pub id: TaskId,
	pub progress: Progress,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum TaskStateWord {
	Queued,
	Running,
	Finished,
	Failed,
}

#[derive(Deserialize)]
struct TaskReply {
	id: TaskId,
	state: TaskStateWord,
	#[serde(default)]
	used_gpu_seconds: GpuSeconds,
	#[serde(default)]
	result: Option<String>,
}

#[derive(Deserialize)]
struct TaskListReply {
	tasks: Vec<TaskReply>,
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

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum WorkloadBody<'a> {
	Matrix { seed: u64, size: u32, rounds: u32 },
	Container { image: &'a str, command_hash: String },
}

#[derive(Serialize)]
struct PushBody<'a> {
	id: TaskId,
	gpus: u32,
	seconds: u64,
	workload: WorkloadBody<'a>,
}

/// `0x` and 64 hex digits.
pub fn parse_digest(text: &str) -> Option<Digest> {
	let hex = text.strip_prefix("0x")?;
	if hex.len() != 64 {
		return None;
	}
	let mut digest = [0u8; 32];
	for (byte, pair) in digest.iter_mut().zip(hex.as_bytes().chunks(2)) {
		let high = (pair[0] as char).to_digit(16)?;
		let low = (pair[1] as char).to_digit(16)?;
		*byte = (high * 16 + low) as u8;
	}
	Some(digest)
}

fn hex_digest(digest: &Digest) -> String {
	let mut text = String::from("0x");
	for byte in digest {
		text.push_str(&format!("{byte:02x}"));
	}
	text
}

/// The JSON body handing `workload` to the agent, or `None` when no agent could run it (an
/// image reference that is not text).
pub fn push_body(id: TaskId, gpus: u32, seconds: u64, workload: &Workload) -> Option<Vec<u8>> {
	let workload = match workload {
		Workload::Builtin(BuiltinWorkload::MatrixProduct { seed, size, rounds }) => {
			WorkloadBody::Matrix { seed: *seed, size: *size, rounds: *rounds }
		}
		Workload::Container { image, command_hash } => WorkloadBody::Container {
			image: core::str::from_utf8(image).ok()?,
			command_hash: hex_digest(command_hash),
		},
	};
	serde_json::to_vec(&PushBody { id, gpus, seconds, workload }).ok()
}

/// Parses `GET /v1/status`.
pub fn parse_status(body: &[u8]) -> Result<Status, AgentError> {
	let status: Status =
		serde_json::from_slice(body).map_err(|_| AgentError::Malformed("status is not the API's JSON"))?;
	if status.api != API_VERSION {
		return Err(AgentError::WrongVersion(status.api));
	}
	if status.load_percent > 100 {
		return Err(AgentError::Malformed("load_percent above 100"));
	}
	Ok(status)
}

/// Parses `GET /v1/tasks`.
pub fn parse_tasks(body: &[u8]) -> Result<Vec<HeldTask>, AgentError> {
	let reply: TaskListReply =
		serde_json::from_slice(body).map_err(|_| AgentError::Malformed("task list is not the API's JSON"))?;
	let mut held = Vec::with_capacity(reply.tasks.len());
	let mut seen = BTreeSet::new();
	for task in reply.tasks {
		let progress = match task.state {
			TaskStateWord::Queued => Progress::Queued,
			TaskStateWord::Running => Progress::Running { used: task.used_gpu_seconds },
			TaskStateWord::Failed => Progress::Failed,
			TaskStateWord::Finished => {
				let result = task
					.result
					.as_deref()
					.and_then(parse_digest)
					.ok_or(AgentError::Malformed("finished task without a 32-byte hex result"))?;
				Progress::Finished { result, used: task.used_gpu_seconds }
			}
		};
		if !seen.insert(task.id) {
			return Err(AgentError::Malformed("task listed twice"));
		}
		held.push(HeldTask { id: task.id, progress });
	}
	Ok(held)
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

	fn expect(&self, allowed: &[u16], reply: (u16, Vec<u8>)) -> Result<(u16, Vec<u8>), AgentError> {
		match reply.0 {
			401 => Err(AgentError::Unauthorized),
			code if allowed.contains(&code) => Ok(reply),
			code => Err(AgentError::UnexpectedStatus(code)),
		}
	}

	/// `GET /v1/status`.
	pub fn status(&self) -> Result<Status, AgentError> {
		let (_, body) = self.expect(&[200], self.exchange(http::Method::Get, "/v1/status", None)?)?;
		parse_status(&body)
	}

	/// `GET /v1/tasks`.
	pub fn tasks(&self) -> Result<Vec<HeldTask>, AgentError> {
		let (_, body) = self.expect(&[200], self.exchange(http::Method::Get, "/v1/tasks", None)?)?;
		parse_tasks(&body)
	}

	/// `POST /v1/tasks` with a body from [`push_body`].
	pub fn push(&self, body: Vec<u8>) -> Result<PushOutcome, AgentError> {
		let reply = self.exchange(http::Method::Post, "/v1/tasks", Some(body))?;
		let (code, _) = self.expect(&[200, 201, 409, 422], reply)?;
		Ok(match code {
			409 => PushOutcome::Conflict,
			422 => PushOutcome::Unsupported,
			_ => PushOutcome::Accepted,
		})
	}

	/// `DELETE /v1/tasks/{id}`; a task the agent no longer holds is forgotten already.
	pub fn forget(&self, id: TaskId) -> Result<(), AgentError> {
		let reply = self.exchange(http::Method::Delete, &format!("/v1/tasks/{id}"), None)?;
		self.expect(&[204, 404], reply).map(|_| ())
	}
}

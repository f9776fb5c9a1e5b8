//! Runs a child process under the agent's limits (wall time, address space, output size) and
//! digests its standard output with BLAKE2b-256.

use std::{io, process::ExitStatus, process::Stdio, time::Duration};
use tokio::{
	io::{AsyncRead, AsyncReadExt},
	process::{Child, ChildStderr, ChildStdout, Command},
};

use crate::{
	digest::{hash_of, Hash32},
	stop::StopSignal,
};

/// Most standard output kept: the digest covers all of it, so a larger output fails the task.
pub const STDOUT_CAP: usize = 16 << 20;
/// How much of the end of standard error is kept to report the last line.
const STDERR_TAIL: usize = 4096;
/// Longest wait for a killed process to be reaped.
const REAP_WAIT: Duration = Duration::from_secs(5);
/// Longest stderr line quoted in an error.
const MAX_LINE: usize = 300;

#[derive(Clone, Debug)]
pub struct Limits {
	pub wall: Duration,
	/// `RLIMIT_AS` of the child, in bytes.
	pub address_space_bytes: Option<u64>,
	pub stdout_cap: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
	#[error("cannot start {program}: {source}")]
	Spawn { program: String, source: io::Error },
	#[error("time limit of {seconds} s exceeded")]
	TimeLimit { seconds: u64 },
	#[error("the standard output exceeded {cap} bytes")]
	OutputTooLarge { cap: usize },
	#[error("the process failed ({status}){}", quote(.last_stderr_line))]
	Failed { status: ExitStatus, last_stderr_line: Option<String> },
	#[error("reading the process failed: {0}")]
	Io(#[source] io::Error),
	#[error("stopped")]
	Stopped,
}

fn quote(line: &Option<String>) -> String {
	line.as_ref().map(|line| format!(": {line}")).unwrap_or_default()
}

/// What a process left when it ended on its own.
struct Ended {
	stdout: Vec<u8>,
	stderr_tail: Vec<u8>,
	status: ExitStatus,
}

enum Outcome {
	Ended(Result<Ended, RunError>),
	TimeLimit,
	Stopped,
}

/// Runs `command` to its end, or until `limits.wall` passes or `stop` is signalled; the digest of
/// its standard output when it exits with success.
pub async fn run(mut command: Command, limits: &Limits, stop: &StopSignal) -> Result<Hash32, RunError> {
	// Its own process group, so a stop reaches whatever the process started too.
	command
		.stdin(Stdio::null())
		.stdout(Stdio::piped())
		.stderr(Stdio::piped())
		.kill_on_drop(true)
		.process_group(0);
	if let Some(bytes) = limits.address_space_bytes {
		limit_address_space(&mut command, bytes);
	}
	let program = command.as_std().get_program().to_string_lossy().into_owned();
	let mut child = command.spawn().map_err(|source| RunError::Spawn { program, source })?;
	let group = child.id();
	let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
		return Err(RunError::Io(io::Error::other("the child's output pipes are missing")));
	};

	let mut ended = Box::pin(wait_for_end(&mut child, stdout, stderr, limits.stdout_cap));
	let outcome = tokio::select! {
		result = &mut ended => Outcome::Ended(result),
		() = tokio::time::sleep(limits.wall) => Outcome::TimeLimit,
		() = stop.stopped() => Outcome::Stopped,
	};
	drop(ended);

	let error = match outcome {
		Outcome::Ended(Ok(ended)) if ended.status.success() => return Ok(hash_of(&ended.stdout)),
		Outcome::Ended(Ok(ended)) => {
			return Err(RunError::Failed {
				status: ended.status,
				last_stderr_line: last_line(&ended.stderr_tail),
			})
		}
		Outcome::Ended(Err(error)) => error,
		Outcome::TimeLimit => RunError::TimeLimit { seconds: limits.wall.as_secs() },
		Outcome::Stopped => RunError::Stopped,
	};
	kill_group(&mut child, group);
	// Reaps it so no zombie stays; bounded in case something outside the group holds it up.
	let _ = tokio::time::timeout(REAP_WAIT, child.wait()).await;
	Err(error)
}

async fn wait_for_end(
	child: &mut Child,
	stdout: ChildStdout,
	stderr: ChildStderr,
	stdout_cap: usize,
) -> Result<Ended, RunError> {
	// `try_join` gives up on the first error, so an output over the cap ends the wait at once.
	let (stdout, stderr_tail) = tokio::try_join!(read_capped(stdout, stdout_cap), async {
		Ok::<_, RunError>(read_tail(stderr).await)
	})?;
	let status = child.wait().await.map_err(RunError::Io)?;
	Ok(Ended { stdout, stderr_tail, status })
}

async fn read_capped(pipe: impl AsyncRead + Unpin, cap: usize) -> Result<Vec<u8>, RunError> {
	let mut out = Vec::new();
	// One byte more than the cap tells an output of exactly `cap` bytes from a larger one.
	let limit = u64::try_from(cap).unwrap_or(u64::MAX).saturating_add(1);
	pipe.take(limit).read_to_end(&mut out).await.map_err(RunError::Io)?;
	if out.len() > cap {
		return Err(RunError::OutputTooLarge { cap });
	}
	Ok(out)
}

/// The last [`STDERR_TAIL`] bytes of standard error; read to the end so the child never blocks
/// on a full pipe. A read error just ends the tail: it only serves error messages.
async fn read_tail(mut pipe: impl AsyncRead + Unpin) -> Vec<u8> {
	let mut tail = Vec::new();
	let mut chunk = vec![0u8; 8192];
	while let Ok(read) = pipe.read(&mut chunk).await {
		if read == 0 {
			break;
		}
		tail.extend_from_slice(&chunk[..read]);
		if tail.len() > 2 * STDERR_TAIL {
			tail.drain(..tail.len() - STDERR_TAIL);
		}
	}
	tail
}

fn last_line(tail: &[u8]) -> Option<String> {
	let text = String::from_utf8_lossy(tail);
	let line = text.lines().map(str::trim).rfind(|line| !line.is_empty())?;
	Some(line.chars().take(MAX_LINE).collect())
}

fn kill_group(child: &mut Child, group: Option<u32>) {
	if let Some(group) = group.and_then(|pid| libc::pid_t::try_from(pid).ok()) {
		// SAFETY: kill(2) takes plain integers and touches none of our memory. The group is the
		// one the child leads (`process_group(0)`), so only the task's processes get the signal.
		unsafe { libc::kill(-group, libc::SIGKILL) };
	}
	// Covers a child whose group could not be signalled; an error means it is already gone.
	let _ = child.start_kill();
}

fn limit_address_space(command: &mut Command, bytes: u64) {
	let limit = libc::rlimit { rlim_cur: bytes, rlim_max: bytes };
	let apply = move || {
		// SAFETY: setrlimit(2) only reads the struct passed by reference, which the closure owns.
		if unsafe { libc::setrlimit(libc::RLIMIT_AS, &limit) } == 0 {
			Ok(())
		} else {
			Err(io::Error::last_os_error())
		}
	};
	// SAFETY: the closure runs in the forked child before exec, where only async-signal-safe calls
	// are sound. It makes one system call on a value it owns, allocates nothing (an OS error is
	// stored inline) and takes no lock.
	unsafe { command.pre_exec(apply) };
}

#[cfg(test)]
mod tests;

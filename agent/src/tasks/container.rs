//! `container` workloads (docs/agent-api.md): an image the operator pinned by digest, running the
//! command the operator configured for it, with docker or podman under the task's time limit;
//! the digest covers the container's standard output. The runtime bounds the container (memory,
//! CPUs, processes, logs; see `args.rs`); the runtime's client, which only relays, gets no rlimit.

pub mod allowlist;
mod args;
pub mod command;
pub mod pinned;

use std::{
	os::unix::fs::PermissionsExt,
	path::{Path, PathBuf},
	process::Stdio,
	time::Duration,
};
use tokio::process::Command;
use tracing::{debug, warn};

use self::{
	allowlist::AllowedContainer,
	args::{container_name, RunArgs},
	pinned::PinnedImage,
};
use super::{
	cores,
	process::{self, Limits, RunError, STDOUT_CAP},
};
use crate::{cli::RuntimeChoice, digest::Hash32, stop::StopSignal};

/// The chain's bound on an image reference (`MaxImageLen`).
const MAX_IMAGE_LEN: usize = 256;
/// Longest wait for `<runtime> rm --force` or `<runtime> image inspect`.
const RUNTIME_WAIT: Duration = Duration::from_secs(30);

#[derive(Clone, Debug)]
pub struct ContainerRuntime {
	/// `docker` or `podman`.
	pub name: &'static str,
	pub program: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
	#[error("--container-runtime {0} was asked for, but no `{0}` is on PATH")]
	NotFound(&'static str),
}

/// The runtime `choice` names; `auto` takes docker, else podman, else none.
pub fn detect(choice: RuntimeChoice) -> Result<Option<ContainerRuntime>, RuntimeError> {
	let named = |name: &'static str| {
		find_on_path(name)
			.map(|program| ContainerRuntime { name, program })
			.ok_or(RuntimeError::NotFound(name))
	};
	match choice {
		RuntimeChoice::Auto => Ok(["docker", "podman"]
			.into_iter()
			.find_map(|name| find_on_path(name).map(|program| ContainerRuntime { name, program }))),
		RuntimeChoice::Docker => named("docker").map(Some),
		RuntimeChoice::Podman => named("podman").map(Some),
		RuntimeChoice::Disabled => Ok(None),
	}
}

fn find_on_path(name: &str) -> Option<PathBuf> {
	let path = std::env::var_os("PATH")?;
	std::env::split_paths(&path).map(|dir| dir.join(name)).find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
	path.metadata().is_ok_and(|metadata| metadata.is_file() && metadata.permissions().mode() & 0o111 != 0)
}

/// Whether the agent will hand `image` to the runtime: a plain reference
/// (`registry/name:tag@digest`), never something the runtime could read as an option.
pub fn check_image(image: &str) -> Result<(), String> {
	let allowed = |c: char| c.is_ascii_alphanumeric() || "._-/:@".contains(c);
	if image.is_empty() || image.len() > MAX_IMAGE_LEN {
		return Err(format!("a container image reference has 1 to {MAX_IMAGE_LEN} bytes"));
	}
	if image.starts_with('-') || !image.chars().all(allowed) {
		return Err(format!("{image:?} is not a container image reference"));
	}
	Ok(())
}

/// Runs task `task_id`'s container, `allowed`, to its end, the time limit, or a stop.
pub async fn run(
	runtime: &ContainerRuntime,
	task_id: u64,
	allowed: &AllowedContainer,
	memory_mib: u64,
	wall: Duration,
	stop: &StopSignal,
) -> Result<Hash32, RunError> {
	let name = container_name(task_id);
	// A container left by an agent that crashed would hold the name.
	remove(runtime, &name).await;
	let cpuset = cores::task_cpus();
	let args = RunArgs {
		runtime: runtime.name,
		name: &name,
		allowed,
		memory_mib,
		cpus: cores::for_tasks(),
		cpuset: cpuset.as_deref(),
	};
	let mut command = Command::new(&runtime.program);
	command.args(args.argv());
	let limits = Limits { wall, address_space_bytes: None, stdout_cap: STDOUT_CAP };
	let result = process::run(command, &limits, stop).await;
	if matches!(result, Err(RunError::TimeLimit { .. } | RunError::Stopped | RunError::OutputTooLarge { .. }))
	{
		remove(runtime, &name).await;
	}
	result
}

/// Whether `image` is in the runtime's local store. Tasks never pull (`--pull=never`), so an image
/// the operator allowed but did not pull would fail every task naming it, each at the node's
/// expense; the agent says so when it starts. `None` if the runtime could not tell.
pub async fn is_present(runtime: &ContainerRuntime, image: &PinnedImage) -> Option<bool> {
	let mut command = Command::new(&runtime.program);
	command
		.args(["image", "inspect", "--format={{.Id}}", image.as_str()])
		.stdin(Stdio::null())
		.stdout(Stdio::null())
		.stderr(Stdio::null())
		.kill_on_drop(true);
	match tokio::time::timeout(RUNTIME_WAIT, command.status()).await {
		Ok(Ok(status)) => Some(status.success()),
		Ok(Err(error)) => {
			warn!("cannot run {} image inspect: {error}", runtime.name);
			None
		}
		Err(_) => {
			warn!("{} image inspect did not finish in {RUNTIME_WAIT:?}", runtime.name);
			None
		}
	}
}

async fn remove(runtime: &ContainerRuntime, name: &str) {
	let mut command = Command::new(&runtime.program);
	command
		.args(["rm", "--force", name])
		.stdin(Stdio::null())
		.stdout(Stdio::null())
		.stderr(Stdio::null())
		.kill_on_drop(true);
	match tokio::time::timeout(RUNTIME_WAIT, command.status()).await {
		Ok(Ok(status)) => debug!(container = name, %status, "removed the container (if it existed)"),
		Ok(Err(error)) => warn!(container = name, "cannot run {} rm: {error}", runtime.name),
		Err(_) => warn!(container = name, "{} rm did not finish in {RUNTIME_WAIT:?}", runtime.name),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn image_references_are_checked() {
		for good in ["ghcr.io/acme/job:1", "busybox", "registry:5000/a/b@sha256:abcdef", "a_b.c-d"] {
			assert_eq!(check_image(good), Ok(()), "{good}");
		}
		for bad in ["", "--privileged", "-v/:/host", "a b", "a;rm -rf /", "x".repeat(257).as_str()] {
			assert!(check_image(bad).is_err(), "{bad}");
		}
	}

	#[test]
	fn disabled_runtime_is_none_and_path_lookup_finds_programs() {
		assert!(detect(RuntimeChoice::Disabled).expect("no error").is_none());
		assert!(find_on_path("sh").is_some());
		assert!(find_on_path("vcity-no-such-program").is_none());
	}
}

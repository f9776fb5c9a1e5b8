//! The runtime's command line for a task's container: every bound the agent puts on it, then the
//! pinned image and the operator's command.

use super::allowlist::AllowedContainer;

/// Logs go to files of the size below. The daemon keeps its own copy of all a container writes
/// (its standard error too, of which the agent keeps only the tail) on the host's disk for as long
/// as the container lives, and a task may write for hours. The driver is named so that the bound
/// holds whatever the daemon's default is (`journald` or `syslog` take no size); podman reads
/// `json-file` as its `k8s-file`.
pub const LOG_DRIVER: &str = "json-file";
/// Cut at 10 MB: far more than an error message needs, little on any disk.
pub const LOG_MAX_SIZE: &str = "10m";
/// Docker keeps this many files of [`LOG_MAX_SIZE`], so 30 MB a container at most. Podman keeps one
/// file, truncated at the size, and warns about (then ignores) `max-file`; its warning would end
/// up as the reason a failed task gives, so podman is not given the option.
pub const LOG_MAX_FILES: u32 = 3;
/// The user `nobody`: no file of the image's belongs to it, and it has no privilege on the host.
const NOBODY: &str = "65534:65534";
/// Enough for any job's threads and helpers, not enough for a fork bomb to hurt the host.
const PIDS_LIMIT: u32 = 512;

/// What a task's `<runtime> run` is made of.
pub struct RunArgs<'a> {
	/// `docker` or `podman`.
	pub runtime: &'a str,
	/// The container's name, so it can be removed: killing the client does not stop the
	/// container it started.
	pub name: &'a str,
	pub allowed: &'a AllowedContainer,
	pub memory_mib: u64,
	/// CPUs the container may use (`--cpus`), all but the node's core.
	pub cpus: usize,
	/// The CPUs it may run on (`--cpuset-cpus`): all but the node's, shared with every other
	/// task, so the node's CPU stays free however many run. `None` on a one-CPU host.
	pub cpuset: Option<&'a [usize]>,
}

/// The name of task `task_id`'s container.
pub fn container_name(task_id: u64) -> String {
	format!("vcity-task-{task_id}")
}

impl RunArgs<'_> {
	/// Every value is joined to its flag by `=`, so that no runtime can take a value for the next
	/// argument (a flag whose value is optional would leave `never` to be read as the image).
	/// The image is a stranger's code on the operator's host: no network, no capabilities, no
	/// privilege gain, nobody's user, a read-only root, bounded memory (swap included), processes,
	/// CPUs and logs. `--pull=never` runs only what the operator pulled, so a registry can neither
	/// slip other content in nor be made to serve a task. The runtime stops reading options at
	/// the image, so the command after it, even one that starts with `-`, goes to the container.
	pub fn argv(&self) -> Vec<String> {
		let memory = format!("{}m", self.memory_mib);
		let mut args: Vec<String> = [
			"run",
			"--rm",
			"--pull=never",
			"--network=none",
			"--cap-drop=ALL",
			"--security-opt=no-new-privileges",
			"--read-only",
			"--tmpfs=/tmp",
		]
		.map(String::from)
		.into();
		args.extend([
			format!("--user={NOBODY}"),
			format!("--pids-limit={PIDS_LIMIT}"),
			format!("--memory={memory}"),
			format!("--memory-swap={memory}"),
			format!("--cpus={}", self.cpus),
			format!("--log-driver={LOG_DRIVER}"),
			format!("--log-opt=max-size={LOG_MAX_SIZE}"),
		]);
		if self.runtime == "docker" {
			args.push(format!("--log-opt=max-file={LOG_MAX_FILES}"));
		}
		if let Some(cpus) = self.cpuset {
			args.push(format!("--cpuset-cpus={}", crate::tasks::cores::cpu_list(cpus)));
		}
		args.push(format!("--name={}", self.name));
		args.push(self.allowed.image.as_str().to_owned());
		args.extend(self.allowed.command.argv().iter().cloned());
		args
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	const IMAGE: &str =
		"ghcr.io/acme/job@sha256:6b3f5a1c9e2d4f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8";

	fn argv(runtime: &str, cpus: usize) -> Vec<String> {
		let allowed: AllowedContainer =
			format!(r#"{IMAGE}=["python3", "/app/job.py", "--rounds", "3"]"#).parse().expect("an entry");
		let name = container_name(7);
		// CPU 0 stays with the node.
		let cpuset: Vec<usize> = (1..=cpus).collect();
		let cpuset = (cpus > 1).then_some(cpuset.as_slice());
		let args = RunArgs { runtime, name: &name, allowed: &allowed, memory_mib: 64, cpus, cpuset };
		args.argv()
	}

	#[test]
	fn docker_runs_the_pinned_image_and_the_operator_s_command_within_every_bound() {
		let expected = [
			"run",
			"--rm",
			"--pull=never",
			"--network=none",
			"--cap-drop=ALL",
			"--security-opt=no-new-privileges",
			"--read-only",
			"--tmpfs=/tmp",
			"--user=65534:65534",
			"--pids-limit=512",
			"--memory=64m",
			"--memory-swap=64m",
			"--cpus=15",
			"--log-driver=json-file",
			"--log-opt=max-size=10m",
			"--log-opt=max-file=3",
			"--cpuset-cpus=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15",
			"--name=vcity-task-7",
			IMAGE,
			"python3",
			"/app/job.py",
			"--rounds",
			"3",
		];
		assert_eq!(argv("docker", 15), expected);
	}

	#[test]
	fn podman_gets_the_same_bounds_but_max_file() {
		let docker = argv("docker", 1);
		let mut podman = argv("podman", 1);
		assert!(docker.iter().any(|arg| arg == "--cpus=1"));
		let max_file =
			docker.iter().position(|arg| arg == "--log-opt=max-file=3").expect("docker bounds its files");
		assert!(!podman.contains(&docker[max_file]));
		podman.insert(max_file, docker[max_file].clone());
		assert_eq!(podman, docker);
	}
}

//! Whether this agent can run a task at all (else `422 unsupported`, and the node declines it on
//! chain): enough GPUs on the host, a matrix within bounds, and for a container a runtime and an
//! image and command the operator allows.

use super::{
	container::{self, allowlist::Allowlist},
	matrix::MatrixParams,
	memory_walk, TaskSpec, Workload,
};

#[derive(Clone, Debug)]
pub struct Admission {
	pub host_gpus: u32,
	/// Whether a container runtime is available.
	pub containers: bool,
	/// The containers the operator accepts (`--container-image`). Any chain user can name an
	/// image and a command hash, and it runs on this host: only a pinned image with a command the
	/// operator vetted is taken; the rest are declined, which costs the node no reputation.
	pub allowlist: Allowlist,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Unsupported(pub String);

impl Admission {
	pub fn check(&self, spec: &TaskSpec) -> Result<(), Unsupported> {
		if spec.gpus == 0 {
			return Err(Unsupported("a task needs at least one GPU".into()));
		}
		if spec.gpus > self.host_gpus {
			return Err(Unsupported(format!(
				"the task needs {} GPUs and this host has {}",
				spec.gpus, self.host_gpus
			)));
		}
		match &spec.workload {
			Workload::Matrix { key: None, mix: true, .. } => {
				Err(Unsupported("a mixed matrix check needs a key to mix with".into()))
			}
			Workload::Matrix { mix: false, memory: Some(_), .. } => {
				Err(Unsupported("a memory walk belongs to a mixed check".into()))
			}
			Workload::Matrix { seed, size, rounds, memory, .. } => {
				MatrixParams { seed: *seed, size: *size, rounds: *rounds }
					.check()
					.map_err(|limit| Unsupported(limit.to_string()))?;
				memory.as_ref().map_or(Ok(()), |walk| {
					memory_walk::check(walk).map_err(|limit| Unsupported(limit.to_string()))
				})
			}
			Workload::Container { image, command_hash } => {
				if !self.containers {
					return Err(Unsupported(
						"no container runtime (docker or podman) is available on this host".into(),
					));
				}
				container::check_image(image).map_err(Unsupported)?;
				let allowed = self
					.allowlist
					.find(image, command_hash)
					.map_err(|refused| Unsupported(refused.to_string()))?;
				// It would run out its seconds and fail on the node's record: the task's terms,
				// not the node's fault, so it is declined.
				if spec.seconds < allowed.min_seconds {
					return Err(Unsupported(format!(
						"the task pays {} s and this container needs at least {} s (--container-image …;min-seconds)",
						spec.seconds, allowed.min_seconds
					)));
				}
				Ok(())
			}
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::digest::Hash32;

	const JOB: &str =
		"ghcr.io/acme/job@sha256:6b3f5a1c9e2d4f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8";
	/// The hash of `["python3", "/app/job.py"]`.
	const JOB_PY: &str = "0x049816304180ab3dbab85d4292455e9097efbcabe51e299af46389f2c2cf36c5";

	fn spec(gpus: u32, workload: Workload) -> TaskSpec {
		TaskSpec { id: 1, gpus, seconds: 60, workload }
	}

	fn matrix(size: u32, rounds: u32) -> Workload {
		Workload::Matrix { seed: 1, size, rounds, key: None, mix: false, memory: None }
	}

	fn container(image: &str, command_hash: &str) -> Workload {
		Workload::Container { image: image.into(), command_hash: command_hash.parse().expect("a hash") }
	}

	fn without_containers(host_gpus: u32) -> Admission {
		Admission { host_gpus, containers: false, allowlist: Allowlist::default() }
	}

	fn with_job_py() -> Admission {
		let allowlist =
			Allowlist::new(vec![format!(r#"{JOB}=["python3", "/app/job.py"]"#).parse().expect("an entry")]);
		Admission { host_gpus: 1, containers: true, allowlist }
	}

	#[test]
	fn gpus_must_be_between_one_and_the_hosts_count() {
		let admission = without_containers(2);
		assert!(admission.check(&spec(0, matrix(8, 1))).is_err());
		assert!(admission.check(&spec(1, matrix(8, 1))).is_ok());
		assert!(admission.check(&spec(2, matrix(8, 1))).is_ok());
		assert!(admission.check(&spec(3, matrix(8, 1))).is_err());
	}

	#[test]
	fn matrices_must_be_within_bounds() {
		let admission = without_containers(1);
		for (size, rounds) in [(0, 1), (1, 0), (4097, 1)] {
			assert!(admission.check(&spec(1, matrix(size, rounds))).is_err(), "{size} {rounds}");
		}
		assert!(admission.check(&spec(1, matrix(4096, 1))).is_ok());
	}

	#[test]
	fn a_container_runs_with_a_runtime_an_allowed_image_and_its_command() {
		assert_eq!(with_job_py().check(&spec(1, container(JOB, JOB_PY))), Ok(()));
		assert_eq!(
			without_containers(1).check(&spec(1, container(JOB, JOB_PY))),
			Err(Unsupported("no container runtime (docker or podman) is available on this host".into()))
		);
	}

	/// A task paying fewer seconds than the operator's estimate would run out its time limit and
	/// fail on the node's record (issue of tasks made to fail): it is declined instead.
	#[test]
	fn a_container_task_paying_less_time_than_the_operator_estimates_is_declined() {
		let allowlist = Allowlist::new(vec![format!(r#"{JOB}=["python3", "/app/job.py"];min-seconds=600"#)
			.parse()
			.expect("an entry")]);
		let admission = Admission { host_gpus: 1, containers: true, allowlist };
		let task = |seconds| TaskSpec { seconds, ..spec(1, container(JOB, JOB_PY)) };
		assert_eq!(admission.check(&task(600)), Ok(()));
		assert_eq!(
			admission.check(&task(599)),
			Err(Unsupported(
				"the task pays 599 s and this container needs at least 600 s (--container-image …;min-seconds)".into()
			))
		);
	}

	#[test]
	fn a_command_hash_the_operator_did_not_configure_is_refused() {
		let other = Hash32([1; 32]);
		assert_eq!(
			with_job_py().check(&spec(1, container(JOB, &other.to_string()))),
			Err(Unsupported(format!(
				"no command this host runs in image {JOB} has the hash {other} (--container-image)"
			)))
		);
	}

	#[test]
	fn an_image_not_in_the_list_is_refused_however_well_formed() {
		let tagged = "ghcr.io/acme/job:1";
		let other_digest = JOB.replace("6b3f", "6b3e");
		for image in ["ghcr.io/acme/job", tagged, other_digest.as_str()] {
			assert_eq!(
				with_job_py().check(&spec(1, container(image, JOB_PY))),
				Err(Unsupported(format!(
					"image {image} is not among the images this host runs (--container-image)"
				)))
			);
		}
		assert!(with_job_py().check(&spec(1, container("--privileged", JOB_PY))).is_err());
	}
}

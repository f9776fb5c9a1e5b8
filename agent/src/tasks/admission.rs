//! Whether this agent can run a task at all (else `422 unsupported`, and the node declines it on
//! chain): enough GPUs on the host, a matrix within bounds, a container runtime for containers.

use super::{container, matrix::MatrixParams, TaskSpec, Workload};

#[derive(Clone, Debug)]
pub struct Admission {
	pub host_gpus: u32,
	/// Whether a container runtime is available.
	pub containers: bool,
	/// Container images the operator accepts (`--container-image`). Any chain user can name an
	/// image, and it runs on this host: only images the operator vetted (best pinned by digest)
	/// are taken; the rest are declined, which costs the node no reputation.
	pub allowed_images: Vec<String>,
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
			Workload::Matrix { seed, size, rounds } => {
				MatrixParams { seed: *seed, size: *size, rounds: *rounds }
					.check()
					.map_err(|limit| Unsupported(limit.to_string()))
			}
			Workload::Container { image, .. } => {
				if !self.containers {
					return Err(Unsupported(
						"no container runtime (docker or podman) is available on this host".into(),
					));
				}
				container::check_image(image).map_err(Unsupported)?;
				if !self.allowed_images.iter().any(|allowed| allowed == image) {
					return Err(Unsupported(format!(
						"image {image} is not among the images this host accepts (--container-image)"
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

	fn spec(gpus: u32, workload: Workload) -> TaskSpec {
		TaskSpec { id: 1, gpus, seconds: 60, workload }
	}

	fn matrix(size: u32, rounds: u32) -> Workload {
		Workload::Matrix { seed: 1, size, rounds }
	}

	fn container(image: &str) -> Workload {
		Workload::Container { image: image.into(), command_hash: Hash32([0; 32]) }
	}

	#[test]
	fn gpus_must_be_between_one_and_the_hosts_count() {
		let admission = Admission { host_gpus: 2, containers: false, allowed_images: Vec::new() };
		assert!(admission.check(&spec(0, matrix(8, 1))).is_err());
		assert!(admission.check(&spec(1, matrix(8, 1))).is_ok());
		assert!(admission.check(&spec(2, matrix(8, 1))).is_ok());
		assert!(admission.check(&spec(3, matrix(8, 1))).is_err());
	}

	#[test]
	fn matrices_must_be_within_bounds() {
		let admission = Admission { host_gpus: 1, containers: false, allowed_images: Vec::new() };
		for (size, rounds) in [(0, 1), (1, 0), (4097, 1)] {
			assert!(admission.check(&spec(1, matrix(size, rounds))).is_err(), "{size} {rounds}");
		}
		assert!(admission.check(&spec(1, matrix(4096, 1))).is_ok());
	}

	#[test]
	fn containers_need_a_runtime_and_a_plain_image() {
		let without = Admission { host_gpus: 1, containers: false, allowed_images: Vec::new() };
		let with = Admission { host_gpus: 1, containers: true, allowed_images: vec!["busybox".into()] };
		assert!(without.check(&spec(1, container("busybox"))).is_err());
		assert!(with.check(&spec(1, container("busybox"))).is_ok());
		assert!(with.check(&spec(1, container("--privileged"))).is_err());
		// An image the operator did not allow is declined, however well-formed.
		assert!(with.check(&spec(1, container("ghcr.io/acme/miner:1"))).is_err());
	}
}

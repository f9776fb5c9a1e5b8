//! The CPU cores a task may use: all of the host's but one, which stays with the node beside the
//! agent so block import and authoring do not starve behind a task. A matrix task computes on
//! that many threads; a container gets that many CPUs (`--cpus`).

use std::{num::NonZeroUsize, thread};

/// The cores tasks get on this host (as many as this process may run on, less the node's).
pub fn for_tasks() -> usize {
	leaving_one_for_the_node(host_cores())
}

/// `host` cores less the node's one. A one-core host still runs tasks, on the core it shares
/// with the node, rather than refusing them all.
pub fn leaving_one_for_the_node(host: usize) -> usize {
	host.saturating_sub(1).max(1)
}

/// Honours the process's affinity mask and cgroup quota, so a host that confines the agent
/// does not have that confinement counted as free cores.
fn host_cores() -> usize {
	thread::available_parallelism().map_or(1, NonZeroUsize::get)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn one_core_stays_with_the_node() {
		assert_eq!(leaving_one_for_the_node(1), 1);
		assert_eq!(leaving_one_for_the_node(2), 1);
		assert_eq!(leaving_one_for_the_node(16), 15);
		// available_parallelism never says 0, but a count of 0 must not give tasks no core.
		assert_eq!(leaving_one_for_the_node(0), 1);
	}

	#[test]
	fn this_host_gives_tasks_all_its_cores_but_one() {
		assert_eq!(for_tasks(), leaving_one_for_the_node(host_cores()));
		assert!(for_tasks() >= 1);
	}
}

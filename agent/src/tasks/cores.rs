//! The CPU cores a task may use: all of the host's but one, which stays with the node beside the
//! agent so block import and authoring do not starve behind a task. A matrix task computes on
//! that many threads; a container gets that many CPUs (`--cpus`). Several tasks run at once, so
//! counts alone would not keep the core free: every task's threads and containers are also
//! pinned to the same set of CPUs, all but the node's ([`task_cpus`]).

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

/// The CPUs every task runs on: those this process may run on, less the lowest, which stays
/// with the node. `None` on a one-CPU host, where tasks share the node's CPU rather than not run.
pub fn task_cpus() -> Option<Vec<usize>> {
	without_the_nodes(&allowed_cpus())
}

/// `allowed` less its first CPU, if that leaves any.
pub fn without_the_nodes(allowed: &[usize]) -> Option<Vec<usize>> {
	(allowed.len() >= 2).then(|| allowed[1..].to_vec())
}

/// A CPU list as `--cpuset-cpus` takes it: `1,2,3`.
pub fn cpu_list(cpus: &[usize]) -> String {
	cpus.iter().map(usize::to_string).collect::<Vec<_>>().join(",")
}

/// The CPUs the calling thread may run on, lowest first.
#[cfg(target_os = "linux")]
fn allowed_cpus() -> Vec<usize> {
	// SAFETY: `set` is a plain bit set the kernel fills; its size is passed with it.
	unsafe {
		let mut set: libc::cpu_set_t = std::mem::zeroed();
		if libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) != 0 {
			return (0..host_cores()).collect();
		}
		(0..libc::CPU_SETSIZE as usize).filter(|cpu| libc::CPU_ISSET(*cpu, &set)).collect()
	}
}

#[cfg(not(target_os = "linux"))]
fn allowed_cpus() -> Vec<usize> {
	(0..host_cores()).collect()
}

/// Keeps the calling thread to `cpus`. Best effort: a host that refuses leaves the thread where
/// it was, and the task still runs.
#[cfg(target_os = "linux")]
pub fn pin_current_thread(cpus: &[usize]) {
	// SAFETY: as above; the set only names CPUs below CPU_SETSIZE.
	unsafe {
		let mut set: libc::cpu_set_t = std::mem::zeroed();
		for cpu in cpus.iter().filter(|cpu| **cpu < libc::CPU_SETSIZE as usize) {
			libc::CPU_SET(*cpu, &mut set);
		}
		libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set);
	}
}

#[cfg(not(target_os = "linux"))]
pub fn pin_current_thread(_cpus: &[usize]) {}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn every_cpu_but_the_first_goes_to_tasks() {
		assert_eq!(without_the_nodes(&[0]), None);
		assert_eq!(without_the_nodes(&[0, 1]), Some(vec![1]));
		assert_eq!(without_the_nodes(&[4, 5, 6, 7]), Some(vec![5, 6, 7]));
		assert_eq!(cpu_list(&[5, 6, 7]), "5,6,7");
	}

	#[test]
	fn a_pinned_thread_runs_on_the_task_cpus_only() {
		let Some(cpus) = task_cpus() else { return };
		let seen = std::thread::spawn(move || {
			pin_current_thread(&cpus);
			(allowed_cpus(), cpus)
		})
		.join()
		.unwrap();
		assert_eq!(seen.0, seen.1);
	}

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

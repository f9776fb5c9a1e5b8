//! The host memory the walks of concurrent checks may hold together. A verifier drawn for
//! several jobs at once would otherwise allocate a table for each, up to a GiB apiece, and a
//! host that runs out has the agent killed with every check it holds; a walk waits for room
//! instead, which costs it time against its deadline, not the whole agent.

use std::{
	sync::{
		atomic::{AtomicBool, Ordering},
		Condvar, Mutex, OnceLock, PoisonError,
	},
	time::Duration,
};

use super::super::matrix::MatrixError;

/// Walk memory when `--walk-memory-mib` is not given: four of the largest tables.
pub const DEFAULT_WALK_MEMORY_BYTES: u64 = 4 << 30;

/// How often a waiting walk looks at its stop flag.
const STOP_CHECK: Duration = Duration::from_millis(100);

static WALK_MEMORY: OnceLock<WalkMemory> = OnceLock::new();

/// Sets the agent's walk memory, once, at start; never less than one largest table, so every
/// walk the chain asks for can run.
pub fn set_walk_memory(bytes: u64) {
	let _ = WALK_MEMORY.set(WalkMemory::new(bytes.max(super::MAX_TABLE_BYTES)));
}

/// The agent's walk memory.
pub fn walk_memory() -> &'static WalkMemory {
	WALK_MEMORY.get_or_init(|| WalkMemory::new(DEFAULT_WALK_MEMORY_BYTES))
}

/// Bytes free for tables, and a signal when some come back.
pub struct WalkMemory {
	free: Mutex<u64>,
	returned: Condvar,
}

/// Bytes a walk holds until it ends.
pub struct Held<'a> {
	memory: &'a WalkMemory,
	bytes: u64,
}

impl WalkMemory {
	pub fn new(bytes: u64) -> Self {
		Self { free: Mutex::new(bytes), returned: Condvar::new() }
	}

	/// Takes `bytes`, waiting until they are free or `stop` is set.
	pub fn take(&self, bytes: u64, stop: &AtomicBool) -> Result<Held<'_>, MatrixError> {
		let mut free = self.free.lock().unwrap_or_else(PoisonError::into_inner);
		loop {
			if stop.load(Ordering::Relaxed) {
				return Err(MatrixError::Stopped);
			}
			if *free >= bytes {
				*free -= bytes;
				return Ok(Held { memory: self, bytes });
			}
			free = match self.returned.wait_timeout(free, STOP_CHECK) {
				Ok((guard, _)) => guard,
				Err(poisoned) => poisoned.into_inner().0,
			};
		}
	}

	/// Bytes free now.
	#[cfg(test)]
	pub fn free(&self) -> u64 {
		*self.free.lock().unwrap_or_else(PoisonError::into_inner)
	}
}

impl Drop for Held<'_> {
	fn drop(&mut self) {
		*self.memory.free.lock().unwrap_or_else(PoisonError::into_inner) += self.bytes;
		self.memory.returned.notify_all();
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use std::sync::Arc;

	#[test]
	fn a_walk_waits_for_room_and_a_stopped_one_gives_up() {
		let memory = Arc::new(WalkMemory::new(3));
		let never = AtomicBool::new(false);
		let first = memory.take(2, &never).unwrap();
		assert_eq!(memory.free(), 1);
		let waiting = {
			let memory = Arc::clone(&memory);
			std::thread::spawn(move || {
				let never = AtomicBool::new(false);
				let held = memory.take(2, &never).map(|held| held.bytes);
				held
			})
		};
		std::thread::sleep(Duration::from_millis(50));
		assert!(!waiting.is_finished(), "two bytes are not free");
		drop(first);
		assert_eq!(waiting.join().unwrap().ok(), Some(2));
		assert_eq!(memory.free(), 3, "every byte comes back");

		let _all = memory.take(3, &never).unwrap();
		let stop = AtomicBool::new(true);
		assert!(matches!(memory.take(1, &stop), Err(MatrixError::Stopped)));
	}
}

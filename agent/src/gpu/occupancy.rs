//! Which GPUs the agent's own tasks hold. The runner places tasks with it, and a simulated GPU
//! reads it to show the load those tasks put on it.

use std::sync::{Mutex, MutexGuard, PoisonError};
use tokio::sync::Notify;

#[derive(Debug)]
pub struct Occupancy {
	/// Per GPU index: the MiB of GPU memory the task on it uses, or `None` when free.
	slots: Mutex<Vec<Option<u64>>>,
	changed: Notify,
}

impl Occupancy {
	pub fn new(gpus: u32) -> Self {
		Self { slots: Mutex::new(vec![None; gpus as usize]), changed: Notify::new() }
	}

	pub fn free(&self) -> u32 {
		let free = self.slots().iter().filter(|slot| slot.is_none()).count();
		u32::try_from(free).unwrap_or(u32::MAX)
	}

	/// Takes the lowest free GPUs, up to `count` of them, and returns their indices.
	pub fn claim(&self, count: u32, memory_mib: u64) -> Vec<u32> {
		let mut slots = self.slots();
		let mut claimed = Vec::new();
		for (index, slot) in (0u32..).zip(slots.iter_mut()) {
			if claimed.len() >= count as usize {
				break;
			}
			if slot.is_none() {
				*slot = Some(memory_mib);
				claimed.push(index);
			}
		}
		drop(slots);
		self.changed.notify_one();
		claimed
	}

	pub fn release(&self, indices: &[u32]) {
		let mut slots = self.slots();
		for index in indices {
			if let Some(slot) = slots.get_mut(*index as usize) {
				*slot = None;
			}
		}
		drop(slots);
		self.changed.notify_one();
	}

	pub fn held(&self) -> Vec<Option<u64>> {
		self.slots().clone()
	}

	/// Returns after the next claim or release (or at once if one happened since the last call).
	pub async fn changed(&self) {
		self.changed.notified().await;
	}

	fn slots(&self) -> MutexGuard<'_, Vec<Option<u64>>> {
		// The slots are plain values, valid even if a holder panicked.
		self.slots.lock().unwrap_or_else(PoisonError::into_inner)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn claims_the_lowest_free_gpus_and_releases_them() {
		let occupancy = Occupancy::new(3);
		assert_eq!(occupancy.claim(1, 10), vec![0]);
		assert_eq!(occupancy.claim(2, 20), vec![1, 2]);
		assert_eq!(occupancy.free(), 0);
		occupancy.release(&[1]);
		assert_eq!(occupancy.held(), vec![Some(10), None, Some(20)]);
		assert_eq!(occupancy.claim(1, 30), vec![1]);
	}
}

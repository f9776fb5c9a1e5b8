//! The memory walk of a capacity challenge (docs/agent-api.md, "Memory walk"): a table sized to
//! the memory the node declared, filled from the challenge's key, then read at random. It is what
//! makes a challenge ask for memory as well as throughput.
//!
//! The table has [`MEMORY_LANES`] segments, one per lane. A lane's first item comes from the key,
//! its second from the first, and each later item from the item before it and an earlier item of
//! the lane that item names; then each lane reads `reads / lanes` items anywhere in the table, each
//! read naming the next. A host that keeps a share of the table must recompute the rest on every
//! read that needs it, and an item it lacks needs the one before it and the one that one names,
//! which it may lack too: the less it keeps, the more it recomputes (the tests measure how much).
//! A table kept in host memory rather than on the GPUs is read at the bus's speed for small
//! random reads instead of the GPU memory's, which is what the deadline is calibrated to tell
//! apart.
//!
//! Like the matrix, it runs on the CPU here: lanes are shared among threads.

use std::sync::atomic::{AtomicBool, Ordering};

use vcity_agent_api::{MemoryWalk, MAX_MEMORY_TABLE_BYTES, MEMORY_LANES};

use super::matrix::{MatrixError, MatrixLimit};

/// One item: sixteen 32-bit words, 64 bytes.
pub type Item = [u32; 16];

/// Most memory a walk's table may take on this agent: the table lives in host memory, beside
/// the matrices, and the chain asks for no more.
pub const MAX_TABLE_BYTES: u64 = MAX_MEMORY_TABLE_BYTES;

mod budget;
pub use budget::{set_walk_memory, walk_memory};

/// Reads between two looks at the stop flag.
const READS_PER_STOP_CHECK: u64 = 4_096;

/// Refuses a walk the chain could not have asked for, or one too large for this host.
pub fn check(walk: &MemoryWalk) -> Result<(), MatrixLimit> {
	if !walk.well_formed() {
		return Err(MatrixLimit::MalformedWalk { items: walk.items, reads: walk.reads });
	}
	let bytes = walk.table_bytes();
	if bytes > MAX_TABLE_BYTES {
		return Err(MatrixLimit::TableTooLarge { bytes });
	}
	Ok(())
}

/// The lanes' final items, in lane order, after filling the table and walking it under the key
/// whose words are `key`. Lanes are shared among `threads` threads; `stop` is looked at every
/// few thousand items.
pub fn walk(
	key: &[u32; 8],
	walk: MemoryWalk,
	threads: usize,
	stop: &AtomicBool,
) -> Result<Vec<Item>, MatrixError> {
	check(&walk)?;
	let per_lane = usize::try_from(walk.items / MEMORY_LANES)
		.map_err(|_| MatrixError::Limit(MatrixLimit::TableTooLarge { bytes: walk.table_bytes() }))?;
	let lanes = MEMORY_LANES as usize;
	let lanes_per_thread = lanes.div_ceil(threads.clamp(1, lanes));
	let bytes = walk.table_bytes();
	let _held = walk_memory().take(bytes, stop)?;
	// A host that cannot give the table fails this check, not the agent.
	let mut table: Vec<Item> = Vec::new();
	table
		.try_reserve_exact(per_lane * lanes)
		.map_err(|_| MatrixError::Crashed(format!("no memory for the walk's table of {bytes} bytes")))?;
	table.resize(per_lane * lanes, [0; 16]);
	std::thread::scope(|scope| -> Result<(), MatrixError> {
		let workers: Vec<_> = table
			.chunks_mut(per_lane * lanes_per_thread)
			.enumerate()
			.map(|(block, segments)| {
				scope.spawn(move || {
					for (offset, segment) in segments.chunks_exact_mut(per_lane).enumerate() {
						if stop.load(Ordering::Relaxed) {
							return false;
						}
						fill_lane(key, (block * lanes_per_thread + offset) as u64, segment);
					}
					true
				})
			})
			.collect();
		join_all(workers)
	})?;

	let reads_per_lane = walk.reads / MEMORY_LANES;
	let table = &table;
	let mut finals: Vec<Item> = vec![[0; 16]; lanes];
	std::thread::scope(|scope| -> Result<(), MatrixError> {
		let workers: Vec<_> = finals
			.chunks_mut(lanes_per_thread)
			.enumerate()
			.map(|(block, states)| {
				scope.spawn(move || {
					for (offset, state) in states.iter_mut().enumerate() {
						let lane = (block * lanes_per_thread + offset) as u64;
						let mut x = start_of_walk(key, lane);
						for read in 0..reads_per_lane {
							if read % READS_PER_STOP_CHECK == 0 && stop.load(Ordering::Relaxed) {
								return false;
							}
							x = next_read(&x, |index| table[index as usize], walk.items);
						}
						*state = x;
					}
					true
				})
			})
			.collect();
		join_all(workers)
	})?;
	Ok(finals)
}

fn join_all(workers: Vec<std::thread::ScopedJoinHandle<'_, bool>>) -> Result<(), MatrixError> {
	let mut completed = true;
	for worker in workers {
		completed &= worker.join().map_err(|_| MatrixError::Crashed("a worker thread panicked".into()))?;
	}
	if completed {
		Ok(())
	} else {
		Err(MatrixError::Stopped)
	}
}

/// Fills lane `lane`'s segment: item 0 from the key, item 1 from item 0, item `i` from item
/// `i − 1` and the earlier item it names ([`earlier_index`]).
pub fn fill_lane(key: &[u32; 8], lane: u64, segment: &mut [Item]) {
	for i in 0..segment.len() {
		segment[i] = match i {
			0 => seeded(key, 0, lane),
			1 => mix(&segment[0]),
			_ => {
				let before = segment[i - 1];
				let earlier = segment[earlier_index(&before, i as u64) as usize];
				mix(&xor(&before, &earlier))
			}
		};
	}
}

/// The earlier item of its lane that item `i` (from 2) depends on besides item `i − 1`: one of
/// items `0 ..= i − 2`, named by item `i − 1`, so nobody knows which before it has that item.
pub fn earlier_index(before: &Item, i: u64) -> u64 {
	number(before) % (i - 1)
}

/// Where lane `lane` starts its walk.
pub fn start_of_walk(key: &[u32; 8], lane: u64) -> Item {
	seeded(key, 1, lane)
}

/// One read of the walk: the state names an item of the whole table, and the next state mixes
/// the two.
pub fn next_read(state: &Item, item: impl FnOnce(u64) -> Item, items: u64) -> Item {
	let read = item(number(state) % items);
	mix(&xor(state, &read))
}

/// The first two words of an item as a number.
fn number(item: &Item) -> u64 {
	u64::from(item[0]) | (u64::from(item[1]) << 32)
}

/// An item from the key, a phase (0 for the table, 1 for the walk) and a lane.
fn seeded(key: &[u32; 8], phase: u32, lane: u64) -> Item {
	let mut item = [0u32; 16];
	item[..8].copy_from_slice(key);
	item[8] = phase;
	item[9] = lane as u32;
	item[10] = (lane >> 32) as u32;
	// "vcity/memory/v1" and a pad: no seeded item is all key.
	item[11..16].copy_from_slice(&[0x7469_6376, 0x656d_2f79, 0x79726f6d, 0x0031_762f, 0x8000_0000]);
	mix(&mix(&item))
}

fn xor(a: &Item, b: &Item) -> Item {
	let mut out = *a;
	for (word, other) in out.iter_mut().zip(b) {
		*word ^= other;
	}
	out
}

/// The item function: Salsa20's core at eight rounds (four double rounds, columns then rows),
/// with the input added back. It is cheap, so a host recomputing what it did not keep pays in
/// the number of items it must recompute, not in each one's cost.
pub fn mix(input: &Item) -> Item {
	let mut x = *input;
	let quarter = |x: &mut Item, a: usize, b: usize, c: usize, d: usize| {
		x[b] ^= x[a].wrapping_add(x[d]).rotate_left(7);
		x[c] ^= x[b].wrapping_add(x[a]).rotate_left(9);
		x[d] ^= x[c].wrapping_add(x[b]).rotate_left(13);
		x[a] ^= x[d].wrapping_add(x[c]).rotate_left(18);
	};
	for _ in 0..4 {
		quarter(&mut x, 0, 4, 8, 12);
		quarter(&mut x, 5, 9, 13, 1);
		quarter(&mut x, 10, 14, 2, 6);
		quarter(&mut x, 15, 3, 7, 11);
		quarter(&mut x, 0, 1, 2, 3);
		quarter(&mut x, 5, 6, 7, 4);
		quarter(&mut x, 10, 11, 8, 9);
		quarter(&mut x, 15, 12, 13, 14);
	}
	for (word, original) in x.iter_mut().zip(input) {
		*word = word.wrapping_add(*original);
	}
	x
}

#[cfg(test)]
mod tests;

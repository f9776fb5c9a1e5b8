//! The memory walk under any thread count, its pinned digest, and what a host that keeps part of
//! the table pays to recompute the rest.

use super::*;
use crate::digest::hash_of;
use std::collections::HashMap;

const KEY: [u32; 8] = [1, 2, 3, 4, 5, 6, 7, 8];

fn size(per_lane: u64, reads_per_item: u64) -> MemoryWalk {
	let items = per_lane * MEMORY_LANES;
	MemoryWalk { items, reads: reads_per_item * items }
}

fn hex(finals: &[Item]) -> String {
	let bytes: Vec<u8> = finals.iter().flatten().flat_map(|word| word.to_le_bytes()).collect();
	hash_of(&bytes).to_string()
}

#[test]
fn the_walk_is_the_same_under_any_thread_count_and_changes_with_key_and_size() {
	let never = AtomicBool::new(false);
	let one = walk(&KEY, size(4, 2), 1, &never).unwrap();
	for threads in [2, 3, 8] {
		assert_eq!(walk(&KEY, size(4, 2), threads, &never).unwrap(), one, "{threads} threads");
	}
	assert_eq!(one.len() as u64, MEMORY_LANES);
	let mut other_key = KEY;
	other_key[7] ^= 1;
	assert_ne!(walk(&other_key, size(4, 2), 2, &never).unwrap(), one);
	assert_ne!(walk(&KEY, size(5, 2), 2, &never).unwrap(), one, "a larger table");
	assert_ne!(walk(&KEY, size(4, 3), 2, &never).unwrap(), one, "more reads");
}

/// Pinned so that agents of different releases agree: a change here is a protocol change and
/// needs a new agent API version.
#[test]
fn the_walk_of_a_fixed_key_is_pinned() {
	let never = AtomicBool::new(false);
	assert_eq!(
		hex(&walk(&KEY, size(2, 1), 2, &never).unwrap()),
		"0x574ca4f1ba2b746da4bd6ba95fd5418a25f471e98261cc1dcf086d52fc8499a4"
	);
}

#[test]
fn malformed_or_oversized_walks_are_refused() {
	let never = AtomicBool::new(false);
	let lanes = MEMORY_LANES;
	for bad in [
		MemoryWalk { items: lanes, reads: lanes },
		MemoryWalk { items: 2 * lanes + 1, reads: lanes },
		MemoryWalk { items: 2 * lanes, reads: lanes + 1 },
	] {
		assert!(matches!(check(&bad), Err(MatrixLimit::MalformedWalk { .. })), "{bad:?}");
		assert!(walk(&KEY, bad, 1, &never).is_err());
	}
	let huge = MemoryWalk { items: (MAX_TABLE_BYTES / 64 / lanes + 1) * lanes, reads: 0 };
	assert!(matches!(check(&huge), Err(MatrixLimit::TableTooLarge { .. })));
	let stopped = AtomicBool::new(true);
	assert!(matches!(walk(&KEY, size(4, 2), 2, &stopped), Err(MatrixError::Stopped)));
}

/// A host that keeps one item in `keep` of each lane (and recomputes the others when a read
/// needs them, keeping what it recomputed for that read only): the walk it gives, and the
/// items it computes in all.
fn walk_keeping_one_in(keep: u64, walk: MemoryWalk) -> (Vec<Item>, u64) {
	let per_lane = walk.items / MEMORY_LANES;
	let mut computed = 0u64;
	let mut kept: HashMap<(u64, u64), Item> = HashMap::new();
	for lane in 0..MEMORY_LANES {
		let mut segment = vec![[0u32; 16]; per_lane as usize];
		fill_lane(&KEY, lane, &mut segment);
		computed += per_lane;
		for (i, item) in segment.into_iter().enumerate() {
			if (i as u64).is_multiple_of(keep) {
				kept.insert((lane, i as u64), item);
			}
		}
	}
	fn item(
		lane: u64,
		i: u64,
		kept: &HashMap<(u64, u64), Item>,
		scratch: &mut HashMap<u64, Item>,
		computed: &mut u64,
	) -> Item {
		if let Some(item) = kept.get(&(lane, i)).or(scratch.get(&i)) {
			return *item;
		}
		let before = item(lane, i - 1, kept, scratch, computed);
		let value = if i == 1 {
			mix(&before)
		} else {
			let earlier = item(lane, earlier_index(&before, i), kept, scratch, computed);
			mix(&xor(&before, &earlier))
		};
		*computed += 1;
		scratch.insert(i, value);
		value
	}
	let reads_per_lane = walk.reads / MEMORY_LANES;
	let finals = (0..MEMORY_LANES)
		.map(|lane| {
			let mut x = start_of_walk(&KEY, lane);
			for _ in 0..reads_per_lane {
				let index = number(&x) % walk.items;
				let mut scratch = HashMap::new();
				let read = item(index / per_lane, index % per_lane, &kept, &mut scratch, &mut computed);
				x = next_read(&x, |_| read, walk.items);
				computed += 1;
			}
			x
		})
		.collect();
	(finals, computed)
}

/// Why a smaller memory shows: the same walk from a quarter of the table takes several times
/// the items computed, and less memory still takes more. (Counted, not timed: the deadline is
/// what turns the count into a failed challenge.)
#[test]
fn keeping_less_of_the_table_costs_more_recomputation_the_less_is_kept() {
	let never = AtomicBool::new(false);
	let walk_size = size(32, 2);
	let honest = walk(&KEY, walk_size, 2, &never).unwrap();
	let (all, full_cost) = walk_keeping_one_in(1, walk_size);
	assert_eq!(all, honest);
	assert_eq!(full_cost, walk_size.items + walk_size.reads, "each item once, each read once");
	let mut last = full_cost;
	let mut ratios = Vec::new();
	for keep in [2, 4, 8] {
		let (finals, cost) = walk_keeping_one_in(keep, walk_size);
		assert_eq!(finals, honest, "a host that keeps less gives the same answer, later");
		assert!(cost > last, "keeping one in {keep} costs more than keeping more");
		ratios.push((keep, cost as f64 / full_cost as f64));
		last = cost;
	}
	println!("items computed against the whole table's: {ratios:?}");
	assert!(ratios[1].1 > 2.0, "a quarter of the table costs over twice the work: {ratios:?}");
}

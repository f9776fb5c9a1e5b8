//! What an agent runs, as the chain also enforces it: a task the chain takes is one some agent
//! can run in the seconds it pays for (docs/market.md#work-estimate).

/// Largest side of a matrix product the agents compute: 4,096² entries take 64 MiB a matrix.
/// The chain takes no larger one, so no task waits for a node that cannot exist.
pub const MAX_MATRIX_SIZE: u32 = 4_096;

/// Lanes of a capacity challenge's memory walk: the table is cut into this many segments, each
/// filled by one lane in order, so a GPU fills and walks them in parallel while each lane's
/// items stay a chain of their own. A table has a whole number of items per lane, at least two.
pub const MEMORY_LANES: u64 = 1_024;

/// Bytes of one item of a memory walk's table: sixteen 32-bit words.
pub const MEMORY_ITEM_BYTES: u64 = 64;

/// Largest table a memory walk may ask for, 1 GiB: every verifier recomputes the walk in its
/// host's memory, beside the matrices, so the chain sizes no walk beyond what they all hold
/// and a node's claim of more memory is shown up to this much in one challenge.
pub const MAX_MEMORY_TABLE_BYTES: u64 = 1 << 30;

/// Items filled or read a second the chain assumes of the slowest host that recomputes a walk:
/// each is a random access that misses the caches, then a mix of 64 bytes.
pub const MEMORY_REFERENCE_RATE: u64 = 2_000_000;

/// Multiply-adds a second the chain assumes of the slowest host that takes a matrix task: the
/// agent computes on the CPU, and one core of a modest machine does several times this much.
/// A task must pay for at least its work at this rate.
pub const MATRIX_REFERENCE_RATE: u128 = 100_000_000;

/// Multiply-adds of `rounds` products of `size × size` matrices: size³ each.
pub fn matrix_work(size: u32, rounds: u32) -> u128 {
	u128::from(size).pow(3).saturating_mul(u128::from(rounds))
}

/// The fewest seconds a matrix task of `size` and `rounds` may be submitted for: its work at
/// [`MATRIX_REFERENCE_RATE`], rounded up. A node that accepts such a task has time to finish it,
/// so a run cut short by the time paid is the node's failure, never the task's terms.
pub fn matrix_min_seconds(size: u32, rounds: u32) -> u64 {
	u64::try_from(matrix_work(size, rounds).div_ceil(MATRIX_REFERENCE_RATE)).unwrap_or(u64::MAX)
}

/// The fewest seconds a walk of `items` items and `reads` reads takes at
/// [`MEMORY_REFERENCE_RATE`], rounded up.
pub fn memory_min_seconds(items: u64, reads: u64) -> u64 {
	items.saturating_add(reads).div_ceil(MEMORY_REFERENCE_RATE)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_largest_matrix_needs_eleven_minutes_a_round() {
		assert_eq!(matrix_work(MAX_MATRIX_SIZE, 1), 68_719_476_736);
		assert_eq!(matrix_min_seconds(MAX_MATRIX_SIZE, 1), 688);
		assert_eq!(matrix_min_seconds(256, 2), 1, "a small task needs a second");
		assert_eq!(matrix_min_seconds(u32::MAX, u32::MAX), u64::MAX, "saturates");
	}

	#[test]
	fn the_largest_walk_needs_about_two_minutes_at_sixteen_reads_an_item() {
		let items = MAX_MEMORY_TABLE_BYTES / MEMORY_ITEM_BYTES;
		assert_eq!(items, 16_777_216);
		assert_eq!(memory_min_seconds(items, items * 16), 143);
		assert_eq!(memory_min_seconds(1, 0), 1, "a walk takes a second");
		assert_eq!(memory_min_seconds(u64::MAX, u64::MAX), u64::MAX / MEMORY_REFERENCE_RATE + 1, "saturates");
	}
}

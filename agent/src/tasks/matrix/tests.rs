//! The matrix digest against an independent naive implementation, vectors computed elsewhere
//! (Python and scripts/lib/matrix.mjs), and itself under other thread counts.

use super::*;
use crate::digest::hash_of;

/// The docs' algorithm written the plain way: a generator with its own arithmetic, a j-inner
/// triple loop in u64, one buffer hashed at the end.
#[allow(clippy::needless_range_loop)] // indices mirror the textbook formula on purpose
fn naive_digest(seed: u64, size: u32, rounds: u32) -> String {
	let mut state = seed;
	let mut next = || {
		state = state.wrapping_add(0x9E3779B97F4A7C15);
		let mut z = state;
		z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
		z ^= z >> 31;
		u32::try_from(z >> 32).expect("high half")
	};
	let n = size as usize;
	let a: Vec<Vec<u32>> = (0..n).map(|_| (0..n).map(|_| next()).collect()).collect();
	let b: Vec<Vec<u32>> = (0..n).map(|_| (0..n).map(|_| next()).collect()).collect();
	let mut x = a;
	for _ in 0..rounds {
		let mut product = vec![vec![0u32; n]; n];
		for i in 0..n {
			for j in 0..n {
				let mut sum: u64 = 0;
				for k in 0..n {
					sum = (sum + u64::from(x[i][k]) * u64::from(b[k][j])) % (1 << 32);
				}
				product[i][j] = u32::try_from(sum).expect("reduced");
			}
		}
		x = product;
	}
	let mut data = b"vcity/matrix/v1".to_vec();
	data.extend_from_slice(&seed.to_le_bytes());
	data.extend_from_slice(&size.to_le_bytes());
	data.extend_from_slice(&rounds.to_le_bytes());
	for row in &x {
		for entry in row {
			data.extend_from_slice(&entry.to_le_bytes());
		}
	}
	hash_of(&data).to_string()
}

fn digest_hex(seed: u64, size: u32, rounds: u32, threads: usize) -> String {
	digest(MatrixParams { seed, size, rounds }, threads, &AtomicBool::new(false))
		.expect("computes")
		.to_string()
}

#[test]
fn splitmix64_matches_the_reference_sequence() {
	// The first outputs of splitmix64 seeded with 0, as in Vigna's reference implementation.
	let mut generator = SplitMix64(0);
	assert_eq!(generator.next_output(), 0xE220_A839_7B1D_CDAF);
	assert_eq!(generator.next_output(), 0x6E78_9E6A_A1B9_65F4);
}

#[test]
fn matches_the_naive_implementation() {
	for (seed, size, rounds) in [(42, 3, 2), (0, 1, 1), (7, 5, 3), (u64::MAX, 4, 1), (1, 9, 4)] {
		assert_eq!(
			digest_hex(seed, size, rounds, 2),
			naive_digest(seed, size, rounds),
			"{seed} {size} {rounds}"
		);
	}
}

#[test]
fn matches_vectors_computed_in_python_and_javascript() {
	let vectors = [
		((42, 3, 2), "0xab469acd3ae45847c2acc5128246109ea7837d560e3b33911724b6971c23ed7e"),
		((0, 1, 1), "0xc168ea9189729434d0899416540aca8566b1206067a6998d9f894344fd0243d1"),
		((7, 5, 3), "0x649925cc575011fbf37917b4d58989da9c9bbf8d0d7e4b38c75299a299d74d18"),
		((u64::MAX, 4, 1), "0x008182b170847cd1be0264b6a6a0f66c1c71560fa5ad456d36afd0ef52939e6a"),
		((42, 16, 2), "0xd08bd8586a1e3297b3830e422f6ef74d670ea5d903c5e31bf6212acb4924eefb"),
		((42, 256, 2), "0x83fbc7790b743fb4f5152dbf931e3a201d0b5fe3a57615a9e7653446c8aaa43c"),
	];
	for ((seed, size, rounds), expected) in vectors {
		assert_eq!(digest_hex(seed, size, rounds, cores::for_tasks()), expected, "{seed} {size} {rounds}");
	}
}

#[test]
fn size_one_is_a_power_of_one_number() {
	// A = 0xE220A839, B = 0x6E789E6A (the high halves of the first two outputs); X = A · B mod 2³².
	let product = 0xE220_A839u32.wrapping_mul(0x6E78_9E6A);
	let mut data = b"vcity/matrix/v1".to_vec();
	data.extend_from_slice(&0u64.to_le_bytes());
	data.extend_from_slice(&1u32.to_le_bytes());
	data.extend_from_slice(&1u32.to_le_bytes());
	data.extend_from_slice(&product.to_le_bytes());
	assert_eq!(digest_hex(0, 1, 1, 4), hash_of(&data).to_string());
}

#[test]
fn thread_count_does_not_change_the_digest() {
	let one = digest_hex(99, 37, 3, 1);
	for threads in [2, 3, 5, 8, 37, 64] {
		assert_eq!(digest_hex(99, 37, 3, threads), one, "{threads} threads");
	}
}

#[test]
fn a_set_stop_flag_stops_the_computation() {
	let stopped = AtomicBool::new(true);
	let result = digest(MatrixParams { seed: 1, size: 64, rounds: 2 }, 2, &stopped);
	assert!(matches!(result, Err(MatrixError::Stopped)));
}

#[test]
fn limits_refuse_empty_and_oversized_tasks() {
	let params = |size, rounds| MatrixParams { seed: 0, size, rounds };
	assert_eq!(params(0, 1).check(), Err(MatrixLimit::ZeroSize));
	assert_eq!(params(1, 0).check(), Err(MatrixLimit::ZeroRounds));
	assert_eq!(params(4097, 1).check(), Err(MatrixLimit::TooLarge { size: 4097 }));
	assert_eq!(params(4096, u32::MAX).check(), Ok(()));
	assert_eq!(params(4096, 1).working_set_bytes(), 4096 * 4096 * 12);
}

#[test]
fn a_key_adds_a_digest_of_the_output_and_leaves_the_result_as_it_was() {
	let params = MatrixParams { seed: 9, size: 16, rounds: 3 };
	let never = AtomicBool::new(false);
	let plain = digests(params, None, 1, &never).expect("runs");
	assert_eq!(plain.keyed, None);
	let key = |byte: u8| Some(CheckKey { key: Hash32([byte; 32]), mix: false, memory: None });
	let first = digests(params, key(1), 2, &never).expect("runs");
	let second = digests(params, key(2), 1, &never).expect("runs");
	assert_eq!(first.digest, plain.digest, "the result digest is the task's, key or not");
	assert_eq!(second.digest, plain.digest);
	let (first, second) = (first.keyed.expect("keyed"), second.keyed.expect("keyed"));
	assert_ne!(first, second, "each key gives its own digest");
	assert_ne!(first, plain.digest);
	assert_eq!(Some(first), digests(params, key(1), 1, &never).unwrap().keyed, "and the same one each time");
}

/// `A · B^rounds` by repeated squaring: a handful of products instead of `rounds`.
fn collapsed(seed: u64, size: u32, rounds: u32) -> Vec<u32> {
	let n = size as usize;
	let mut generator = SplitMix64(seed);
	let a: Vec<u32> = (0..n * n).map(|_| generator.next_entry()).collect();
	let b: Vec<u32> = (0..n * n).map(|_| generator.next_entry()).collect();
	let product = |x: &[u32], y: &[u32]| {
		let mut out = vec![0u32; n * n];
		for i in 0..n {
			for k in 0..n {
				for j in 0..n {
					out[i * n + j] = out[i * n + j].wrapping_add(x[i * n + k].wrapping_mul(y[k * n + j]));
				}
			}
		}
		out
	};
	let (mut power, mut result, mut left) = (b, a, rounds);
	while left > 0 {
		if left & 1 == 1 {
			result = product(&result, &power);
		}
		power = product(&power, &power);
		left >>= 1;
	}
	result
}

fn digest_of(seed: u64, size: u32, rounds: u32, x: &[u32]) -> Hash32 {
	let mut hasher = Blake2b256::new();
	hasher.update(DOMAIN);
	hasher.update(seed.to_le_bytes());
	hasher.update(size.to_le_bytes());
	hasher.update(rounds.to_le_bytes());
	for entry in x {
		hasher.update(entry.to_le_bytes());
	}
	finished_hash(hasher)
}

#[test]
fn plain_rounds_collapse_into_squarings_and_mixed_rounds_do_not() {
	let (seed, size, rounds) = (5, 12, 40);
	let params = MatrixParams { seed, size, rounds };
	let never = AtomicBool::new(false);
	let shortcut = digest_of(seed, size, rounds, &collapsed(seed, size, rounds));
	// Why a task's digest is no proof of time: six squarings give it.
	assert_eq!(digests(params, None, 1, &never).unwrap().digest, shortcut);
	// A challenge's mixed chain is not the collapsed product.
	let mixed =
		digests(params, Some(CheckKey { key: Hash32([3; 32]), mix: true, memory: None }), 2, &never).unwrap();
	assert_ne!(mixed.digest, shortcut);
	assert!(mixed.keyed.is_some());
	let again =
		digests(params, Some(CheckKey { key: Hash32([3; 32]), mix: true, memory: None }), 1, &never).unwrap();
	assert_eq!(mixed, again, "the same under any thread count");
	let other =
		digests(params, Some(CheckKey { key: Hash32([4; 32]), mix: true, memory: None }), 1, &never).unwrap();
	assert_ne!(mixed.digest, other.digest, "the key changes the chain itself");
}

#[test]
fn a_challenge_with_a_memory_walk_covers_it_in_both_digests() {
	use vcity_agent_api::{MemoryWalk, MEMORY_LANES};
	let params = MatrixParams { seed: 5, size: 12, rounds: 3 };
	let never = AtomicBool::new(false);
	let walk = MemoryWalk { items: 4 * MEMORY_LANES, reads: 8 * MEMORY_LANES };
	let check = |memory| Some(CheckKey { key: Hash32([3; 32]), mix: true, memory });
	let chain_only = digests(params, check(None), 2, &never).unwrap();
	let walked = digests(params, check(Some(walk)), 2, &never).unwrap();
	assert_ne!(walked.digest, chain_only.digest);
	assert_ne!(walked.keyed, chain_only.keyed);
	assert_eq!(digests(params, check(Some(walk)), 1, &never).unwrap(), walked, "any thread count");
	let more_reads = MemoryWalk { reads: 9 * MEMORY_LANES, ..walk };
	assert_ne!(digests(params, check(Some(more_reads)), 2, &never).unwrap().digest, walked.digest);
	let malformed = MemoryWalk { items: MEMORY_LANES, ..walk };
	assert!(digests(params, check(Some(malformed)), 2, &never).is_err());
	let unmixed = Some(CheckKey { key: Hash32([3; 32]), mix: false, memory: Some(walk) });
	assert!(matches!(
		digests(params, unmixed, 2, &never),
		Err(MatrixError::Limit(MatrixLimit::WalkWithoutMix))
	));
	// Pinned: the walk is keyed by the chain's result, so it cannot run beside the chain; a
	// change here is a protocol change and needs a new agent API version.
	assert_eq!(
		walked.digest.to_string(),
		"0x625d1cace65f9ac09c5300f03ba64cfa4be19acee79eef0acbd0ad9a7933e604"
	);
}

//! The `matrix` built-in workload (docs/agent-api.md, "Workloads"): powers of a seeded `u32`
//! matrix whose digest any verifier recomputes from the parameters alone.
//!
//! It runs on the CPU. A GPU kernel would give the same bits, since every operation wraps modulo
//! 2³², but this project has no CUDA toolchain to build or test one with, so none is shipped; the
//! runner logs the device that ran a task (`cpu`).

use blake2::Digest;
use std::sync::{
	atomic::{AtomicBool, Ordering},
	Arc,
};

use super::cores;
use crate::digest::{finished_hash, Blake2b256, Hash32};
use vcity_agent_api::MemoryWalk;

/// Largest side accepted, the chain's bound: 4096² entries take 64 MiB per matrix and a round
/// 6.9·10¹⁰ multiply-adds.
pub const MAX_SIZE: u32 = vcity_agent_api::MAX_MATRIX_SIZE;
/// Most memory the three matrices (`X`, `B`, the product) may take.
pub const MAX_WORKING_SET_BYTES: u64 = 1 << 30;
const DOMAIN: &[u8] = b"vcity/matrix/v1";
/// The tag of a mixed chain's result digest.
const MIXED_DOMAIN: &[u8] = b"vcity/matrix/mixed/v1";
/// The tag before a memory walk's part of a mixed chain's digest.
const MEMORY_DOMAIN: &[u8] = b"vcity/memory/v1";
/// The tag of the keyed digest: the output under a check's key.
const KEYED_DOMAIN: &[u8] = b"vcity/matrix/keyed/v1";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MatrixParams {
	pub seed: u64,
	pub size: u32,
	pub rounds: u32,
}

/// Why the agent will not run a matrix task.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MatrixLimit {
	#[error("a matrix task needs a size of at least 1")]
	ZeroSize,
	#[error("a matrix task needs at least 1 round")]
	ZeroRounds,
	#[error("matrix size {size} is larger than {MAX_SIZE}")]
	TooLarge { size: u32 },
	#[error("matrices of size {size} need {bytes} bytes, more than {MAX_WORKING_SET_BYTES}")]
	TooMuchMemory { size: u32, bytes: u64 },
	#[error("a memory walk of {items} items and {reads} reads is not one the chain asks for")]
	MalformedWalk { items: u64, reads: u64 },
	#[error("a memory walk follows a mixed chain only")]
	WalkWithoutMix,
	#[error(
		"a memory walk's table of {bytes} bytes is larger than this agent's {}",
		super::memory_walk::MAX_TABLE_BYTES
	)]
	TableTooLarge { bytes: u64 },
}

#[derive(Debug, thiserror::Error)]
pub enum MatrixError {
	#[error(transparent)]
	Limit(#[from] MatrixLimit),
	#[error("stopped")]
	Stopped,
	#[error("the matrix computation failed: {0}")]
	Crashed(String),
}

impl MatrixParams {
	pub fn check(&self) -> Result<(), MatrixLimit> {
		if self.size == 0 {
			return Err(MatrixLimit::ZeroSize);
		}
		if self.rounds == 0 {
			return Err(MatrixLimit::ZeroRounds);
		}
		if self.size > MAX_SIZE {
			return Err(MatrixLimit::TooLarge { size: self.size });
		}
		let bytes = self.working_set_bytes();
		if bytes > MAX_WORKING_SET_BYTES {
			return Err(MatrixLimit::TooMuchMemory { size: self.size, bytes });
		}
		Ok(())
	}

	/// Three `size × size` matrices of 4-byte entries.
	pub fn working_set_bytes(&self) -> u64 {
		let side = u64::from(self.size);
		side.saturating_mul(side).saturating_mul(4 * 3)
	}
}

/// What a run gives: the result digest and, for a check with a key, the output's keyed digest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MatrixDigests {
	pub digest: Hash32,
	pub keyed: Option<Hash32>,
}

/// [`digests`] on the blocking pool, on every core but the node's ([`cores::for_tasks`]),
/// stoppable through `stop`.
pub async fn run(
	params: MatrixParams,
	check: Option<CheckKey>,
	stop: Arc<AtomicBool>,
) -> Result<MatrixDigests, MatrixError> {
	let threads = cores::for_tasks();
	tokio::task::spawn_blocking(move || digests(params, check, threads, &stop))
		.await
		.map_err(|error| MatrixError::Crashed(error.to_string()))?
}

/// A check's key, whether its rounds are mixed with it, and its memory walk (a capacity
/// challenge).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CheckKey {
	pub key: Hash32,
	pub mix: bool,
	pub memory: Option<MemoryWalk>,
}

/// The result digest (see [`digests`]).
pub fn digest(params: MatrixParams, threads: usize, stop: &AtomicBool) -> Result<Hash32, MatrixError> {
	digests(params, None, threads, stop).map(|both| both.digest)
}

/// The result digest: `X = A`, then `rounds` times `X = X · B`, then BLAKE2b-256 of the domain
/// tag, the parameters and `X`; with a key, also BLAKE2b-256 of the keyed tag, the key and `X`
/// (docs/agent-api.md, "Workloads"). Rows are shared among `threads` threads; `stop` is checked
/// before every row, so a stop takes effect within one row's work.
///
/// A mixed check (a capacity challenge) runs a second chain for its keyed digest: after each
/// product every entry `e` becomes `e ^ (e >> 15) ^ k[r mod 8]`, `k` the key's eight
/// little-endian words and `r` the round from 0. Entries of a plain chain live in a ring, so
/// `A · B^rounds` can be had from a handful of squarings of `B`; the shift is not a ring
/// operation, so the mixed chain takes its rounds one product each. Both of a mixed check's
/// digests cover the mixed chain: a challenge has no delivered digest to compare with.
///
/// A mixed check with a memory walk ([`memory_walk`](super::memory_walk)) computes it after the
/// chain, keyed by the hash of the domain, the job's key and `X`, and both digests cover the
/// lanes' final items too, after `X`.
pub fn digests(
	params: MatrixParams,
	check: Option<CheckKey>,
	threads: usize,
	stop: &AtomicBool,
) -> Result<MatrixDigests, MatrixError> {
	let key = check.map(|check| check.key);
	let mix = check.filter(|check| check.mix).map(|check| key_words(&check.key));
	let memory = check.and_then(|check| check.memory);
	params.check()?;
	if let Some(walk) = &memory {
		super::memory_walk::check(walk)?;
		if mix.is_none() {
			return Err(MatrixLimit::WalkWithoutMix.into());
		}
	}
	let n = params.size as usize;
	let mut generator = SplitMix64(params.seed);
	let mut x: Vec<u32> = (0..n * n).map(|_| generator.next_entry()).collect();
	let b: Vec<u32> = (0..n * n).map(|_| generator.next_entry()).collect();
	let mut product = vec![0u32; n * n];
	for round in 0..params.rounds as usize {
		multiply(&x, &b, &mut product, n, threads, stop)?;
		if let Some(words) = &mix {
			let word = words[round % 8];
			for entry in product.iter_mut() {
				*entry ^= (*entry >> 15) ^ word;
			}
		}
		std::mem::swap(&mut x, &mut product);
	}
	drop(product);
	drop(b);

	let mut hasher = Blake2b256::new();
	// A mixed chain's digest is tagged apart: it can never pass for a task's.
	hasher.update(if mix.is_some() { MIXED_DOMAIN } else { DOMAIN });
	hasher.update(params.seed.to_le_bytes());
	hasher.update(params.size.to_le_bytes());
	hasher.update(params.rounds.to_le_bytes());
	let mut keyed = key.map(|key| {
		let mut keyed = Blake2b256::new();
		keyed.update(KEYED_DOMAIN);
		keyed.update(key.0);
		keyed
	});
	// The walk's key hashes the job's key with the chain's result, so the walk cannot start
	// before the chain ends: a host has the deadline for both in turn, not for the longer.
	let mut walk_key = memory.zip(key).map(|(_, key)| {
		let mut seed = Blake2b256::new();
		seed.update(MEMORY_DOMAIN);
		seed.update(key.0);
		seed
	});
	let mut row_bytes = Vec::with_capacity(n * 4);
	for row in x.chunks_exact(n) {
		row_bytes.clear();
		row_bytes.extend(row.iter().flat_map(|entry| entry.to_le_bytes()));
		hasher.update(&row_bytes);
		if let Some(keyed) = keyed.as_mut() {
			keyed.update(&row_bytes);
		}
		if let Some(seed) = walk_key.as_mut() {
			seed.update(&row_bytes);
		}
	}
	drop(x);
	let walked = match (walk_key, memory) {
		(Some(seed), Some(walk)) => {
			let words = key_words(&finished_hash(seed));
			Some((walk, super::memory_walk::walk(&words, walk, threads, stop)?))
		}
		_ => None,
	};
	if let Some((walk, finals)) = walked {
		hasher.update(MEMORY_DOMAIN);
		hasher.update(walk.items.to_le_bytes());
		hasher.update(walk.reads.to_le_bytes());
		for item in &finals {
			row_bytes.clear();
			row_bytes.extend(item.iter().flat_map(|word| word.to_le_bytes()));
			hasher.update(&row_bytes);
			if let Some(keyed) = keyed.as_mut() {
				keyed.update(&row_bytes);
			}
		}
	}
	Ok(MatrixDigests { digest: finished_hash(hasher), keyed: keyed.map(finished_hash) })
}

/// The key as eight little-endian 32-bit words.
fn key_words(key: &Hash32) -> [u32; 8] {
	let mut words = [0u32; 8];
	for (word, bytes) in words.iter_mut().zip(key.0.chunks_exact(4)) {
		*word = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
	}
	words
}

/// The generator of the entries; each entry is the high half of the next output.
struct SplitMix64(u64);

impl SplitMix64 {
	fn next_output(&mut self) -> u64 {
		self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
		z ^ (z >> 31)
	}

	fn next_entry(&mut self) -> u32 {
		// The high half of a u64 always fits a u32.
		(self.next_output() >> 32) as u32
	}
}

/// `out = x · b` for row-major `n × n` matrices, with the rows split among threads.
fn multiply(
	x: &[u32],
	b: &[u32],
	out: &mut [u32],
	n: usize,
	threads: usize,
	stop: &AtomicBool,
) -> Result<(), MatrixError> {
	let rows_per_thread = n.div_ceil(threads.clamp(1, n));
	// Off the node's CPU, whatever else runs: several tasks' threads share the same CPUs.
	let cpus = cores::task_cpus();
	let cpus = cpus.as_deref();
	std::thread::scope(|scope| -> Result<(), MatrixError> {
		let workers: Vec<_> = out
			.chunks_mut(rows_per_thread * n)
			.enumerate()
			.map(|(block, rows)| {
				scope.spawn(move || {
					if let Some(cpus) = cpus {
						cores::pin_current_thread(cpus);
					}
					multiply_rows(x, b, rows, block * rows_per_thread, n, stop)
				})
			})
			.collect();
		let mut completed = true;
		for worker in workers {
			completed &=
				worker.join().map_err(|_| MatrixError::Crashed("a worker thread panicked".into()))?;
		}
		if completed {
			Ok(())
		} else {
			Err(MatrixError::Stopped)
		}
	})
}

/// Rows `first_row..` of the product into `rows`; false if stopped before the end. The i-k-j
/// order walks `b` and the output row sequentially, so the inner loop streams through cache and
/// vectorises.
fn multiply_rows(
	x: &[u32],
	b: &[u32],
	rows: &mut [u32],
	first_row: usize,
	n: usize,
	stop: &AtomicBool,
) -> bool {
	for (offset, out_row) in rows.chunks_exact_mut(n).enumerate() {
		if stop.load(Ordering::Relaxed) {
			return false;
		}
		let i = first_row + offset;
		out_row.fill(0);
		for (k, &a) in x[i * n..(i + 1) * n].iter().enumerate() {
			for (out, &b_kj) in out_row.iter_mut().zip(&b[k * n..(k + 1) * n]) {
				*out = out.wrapping_add(a.wrapping_mul(b_kj));
			}
		}
	}
	true
}

#[cfg(test)]
mod tests;

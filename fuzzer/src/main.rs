//! `vcity-fuzz`: the runtime fuzzer's command line (docs/fuzzing.md).
//!
//!   vcity-fuzz replay [DIR]    every input of the corpus (default fuzzer/corpus), in name order
//!   vcity-fuzz run [--seconds N] [--seed S] [--corpus DIR] [--save]
//!                              the corpus, then new inputs (fresh, or mutated from the corpus)
//!                              until N seconds (default 60) have passed; with --save, an input
//!                              that reaches a call outcome none before it reached joins the corpus
//!   --outcomes FILE            (either) writes every distinct `pallet::call -> outcome` seen
//!
//! Either prints what it executed and exits 1 at the first failure, writing the failing input
//! to `<corpus>/../crashes/`.

use std::{
	collections::BTreeSet,
	path::{Path, PathBuf},
	time::{Duration, Instant},
};
use vcity_runtime_fuzzer::{Failure, Fuzzer, Report};

/// Totals over a run.
#[derive(Default)]
struct Totals {
	inputs: u64,
	blocks: u64,
	calls: u64,
	succeeded: u64,
	failed: u64,
	refused: u64,
	outcomes: BTreeSet<String>,
}

impl Totals {
	fn add(&mut self, report: Report) -> usize {
		self.inputs += 1;
		self.blocks += u64::from(report.blocks);
		self.calls += report.calls;
		self.succeeded += report.succeeded;
		self.failed += report.failed;
		self.refused += report.refused;
		let before = self.outcomes.len();
		self.outcomes.extend(report.outcomes);
		self.outcomes.len() - before
	}

	fn print(&self, elapsed: Duration) {
		println!(
			"{} inputs, {} blocks, {} calls executed ({} succeeded, {} failed in dispatch, {} refused before \
			 dispatch), {} distinct call outcomes, in {:.0} s; invariant failures: 0, panics: 0",
			self.inputs,
			self.blocks,
			self.calls,
			self.succeeded,
			self.failed,
			self.refused,
			self.outcomes.len(),
			elapsed.as_secs_f64()
		);
	}
}

/// A small deterministic generator (splitmix64): a seed reproduces a run's inputs.
struct Rng(u64);

impl Rng {
	fn next(&mut self) -> u64 {
		self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
		z ^ (z >> 31)
	}

	fn below(&mut self, n: usize) -> usize {
		(self.next() % n.max(1) as u64) as usize
	}

	fn bytes(&mut self, len: usize) -> Vec<u8> {
		(0..len).map(|_| self.next() as u8).collect()
	}
}

/// A corpus input changed a little: bytes flipped, a run overwritten, inserted or cut, or two
/// inputs spliced, so most of a chain that reached deep state is replayed before it diverges.
fn mutate(rng: &mut Rng, input: &[u8], other: &[u8]) -> Vec<u8> {
	let mut data = input.to_vec();
	for _ in 0..1 + rng.below(4) {
		let at = rng.below(data.len().max(1));
		match rng.below(5) {
			0 if !data.is_empty() => data[at] ^= 1 << rng.below(8),
			1 if !data.is_empty() => {
				let len = (1 + rng.below(16)).min(data.len() - at);
				let fresh = rng.bytes(len);
				data[at..at + len].copy_from_slice(&fresh);
			}
			2 => {
				let len = 1 + rng.below(64);
				let fresh = rng.bytes(len);
				data.splice(at..at, fresh);
			}
			3 if data.len() > 16 => {
				let len = rng.below(data.len() - at);
				data.drain(at..at + len);
			}
			_ => {
				let from = rng.below(other.len().max(1));
				data.truncate(at);
				data.extend_from_slice(other.get(from..).unwrap_or_default());
			}
		}
	}
	data
}

fn corpus(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
	let mut inputs: Vec<_> = std::fs::read_dir(dir)
		.map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
		.unwrap_or_else(|_| Vec::new());
	inputs.retain(|p: &PathBuf| p.extension().is_some_and(|e| e == "bin"));
	inputs.sort();
	inputs.into_iter().filter_map(|p| std::fs::read(&p).ok().map(|data| (p, data))).collect()
}

fn name_of(data: &[u8]) -> String {
	sp_io::hashing::blake2_128(data)[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes the failing input beside the corpus and exits 1.
fn fail(corpus_dir: &Path, data: &[u8], failure: Failure) -> ! {
	let crashes = corpus_dir.parent().unwrap_or(Path::new(".")).join("crashes");
	let path = crashes.join(format!("{}.bin", name_of(data)));
	let saved = std::fs::create_dir_all(&crashes).and_then(|()| std::fs::write(&path, data));
	eprintln!("FAILED: {failure}");
	match saved {
		Ok(()) => eprintln!(
			"the input is in {}: replay it with `vcity-fuzz replay {}`",
			path.display(),
			crashes.display()
		),
		Err(e) => eprintln!(
			"could not save the input ({e}); it is 0x{}",
			data.iter().map(|b| format!("{b:02x}")).collect::<String>()
		),
	}
	std::process::exit(1);
}

fn main() {
	let args: Vec<String> = std::env::args().skip(1).collect();
	let default_corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
	let flag = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
	// Panics are caught and reported per input, with where they happened; the default hook would
	// print each one again.
	vcity_runtime_fuzzer::record_panic_locations();
	let fuzzer = Fuzzer::new();
	let started = Instant::now();
	let mut totals = Totals::default();
	match args.first().map(String::as_str) {
		Some("replay") => {
			let dir = args.get(1).map(PathBuf::from).unwrap_or(default_corpus);
			let inputs = corpus(&dir);
			for (path, data) in &inputs {
				match fuzzer.run(data) {
					Ok(report) => {
						totals.add(report);
					}
					Err(failure) => {
						eprintln!("{}: {failure}", path.display());
						std::process::exit(1);
					}
				}
			}
			println!("replayed {} inputs of {}", inputs.len(), dir.display());
		}
		Some("run") => {
			let seconds: u64 = flag("--seconds").and_then(|s| s.parse().ok()).unwrap_or(60);
			let seed: u64 = flag("--seed").and_then(|s| s.parse().ok()).unwrap_or_else(|| {
				std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_secs())
			});
			let dir = flag("--corpus").map(PathBuf::from).unwrap_or(default_corpus);
			let save = args.iter().any(|a| a == "--save");
			println!("seed {seed} (rerun with --seed {seed}), {seconds} s, corpus {}", dir.display());
			let mut inputs: Vec<Vec<u8>> = corpus(&dir).into_iter().map(|(_, data)| data).collect();
			for data in &inputs {
				match fuzzer.run(data) {
					Ok(report) => {
						totals.add(report);
					}
					Err(failure) => fail(&dir, data, failure),
				}
			}
			let replayed = totals.inputs;
			let mut rng = Rng(seed);
			// The budget is for new inputs: the corpus replay before it does not count.
			let deadline = Instant::now() + Duration::from_secs(seconds);
			while Instant::now() < deadline {
				let data = if inputs.is_empty() || rng.below(4) == 0 {
					let len = 256 + rng.below(16_384);
					rng.bytes(len)
				} else {
					let (a, b) = (rng.below(inputs.len()), rng.below(inputs.len()));
					mutate(&mut rng, &inputs[a], &inputs[b])
				};
				match fuzzer.run(&data) {
					Ok(report) => {
						if totals.add(report) > 0 {
							if save {
								let path = dir.join(format!("{}.bin", name_of(&data)));
								if let Err(e) = std::fs::write(&path, &data) {
									eprintln!("could not save {}: {e}", path.display());
								}
							}
							inputs.push(data);
						}
					}
					Err(failure) => fail(&dir, &data, failure),
				}
			}
			println!("{} corpus inputs replayed, then {} new inputs", replayed, totals.inputs - replayed);
		}
		_ => {
			eprintln!("usage: vcity-fuzz replay [DIR] | vcity-fuzz run [--seconds N] [--seed S] [--corpus DIR] [--save]");
			std::process::exit(2);
		}
	}
	totals.print(started.elapsed());
	if let Some(path) = flag("--outcomes") {
		let list: String = totals.outcomes.iter().map(|o| format!("{o}\n")).collect();
		if let Err(e) = std::fs::write(&path, list) {
			eprintln!("could not write {path}: {e}");
		}
	}
}

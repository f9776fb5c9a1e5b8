//! The `vcity-agent` binary as an operator and a verifier run it. Besides checking the command
//! line, this test makes `cargo test` build the binary itself, which the end-to-end tests start
//! beside the node: one invocation builds everything, so nothing compiles twice.

use std::process::{Command, Output};

fn agent(args: &[&str]) -> Output {
	Command::new(env!("CARGO_BIN_EXE_vcity-agent")).args(args).output().expect("vcity-agent runs")
}

/// Digests computed by `scripts/lib/matrix.mjs`, the independent JavaScript implementation a
/// verifier can use: the binary must print the same bits.
#[test]
fn matrix_prints_the_digest_an_independent_implementation_computes() {
	for (seed, size, rounds, expected) in [
		("7", "16", "2", "0x17dc984c6f1e90f14b7f7e3e8c62ad895e6133a47216f1d7d87f18a20751a029"),
		("123456789", "33", "3", "0x10d31e64c4eb0bde8819da84c8d7d842833be072cd2bb46da8b61b8e0141d4b5"),
	] {
		let out = agent(&["matrix", "--seed", seed, "--size", size, "--rounds", rounds]);
		assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
		assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), expected, "seed {seed}, size {size}");
	}
}

#[test]
fn matrix_refuses_an_empty_matrix_with_a_named_error() {
	let out = agent(&["matrix", "--seed", "1", "--size", "0", "--rounds", "1"]);
	assert!(!out.status.success());
	assert!(out.stdout.is_empty(), "no digest for a task that cannot run");
	assert!(String::from_utf8_lossy(&out.stderr).contains("needs a size of at least 1"));
}

#[test]
fn the_api_stays_on_loopback_unless_told_otherwise() {
	let dir = std::env::temp_dir().join(format!("vcity-agent-cli-{}", std::process::id()));
	let profile = concat!(env!("CARGO_MANIFEST_DIR"), "/profiles/rtx4090x2.json");
	let data_dir = dir.to_str().expect("a UTF-8 temporary path");
	let out = agent(&["--listen", "0.0.0.0:1", "--gpu-profile", profile, "--data-dir", data_dir]);
	let _ = std::fs::remove_dir_all(&dir);
	assert!(!out.status.success(), "a non-loopback address needs --allow-remote");
	let log = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
	assert!(log.contains("not a loopback address"), "{log}");
}

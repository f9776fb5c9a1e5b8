#!/usr/bin/env bash
# Every test of Vcity chain, from fast to slow: formatting; one build of the workspace that is
# also its lint (Clippy, warnings denied); the pallet and runtime tests with the benchmarks as
# tests; two minutes of the runtime fuzzer; the scheduler's benchmark; the end-to-end tests,
# real `vcity-node` binaries driven by polkadot.js, on the dev chain and on the dev chain whose
# day is a minute (`dev-fast`); and the fault suite on the four-validator network. One feature
# set, one profile and one compilation for all of it (scripts/lib/build-env.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }

step "prerequisites (scripts/setup.sh)"
scripts/setup.sh
source scripts/lib/build-env.sh

step "rustfmt"
cargo fmt --all -- --check

step "build and Clippy (every crate and target of the workspace, the node and the agent)"
vcity_build
# The scheduler's workload generator is a feature of its own (the benchmark's); without its
# `chain` feature the scheduler depends only on `vcity-placement`, which has no dependencies, so
# linting it with the feature costs seconds.
cargo clippy -p vcity-scheduler --all-targets --features workload -- -D warnings

step "the runtime as it ships (wasm, no benchmarks, no try-runtime): check, warnings denied"
# The one feature set above is not the one a network runs. This checks the production runtime
# for its real target, the way the wasm builder compiles it (--cfg substrate_runtime), without
# the build script's wasm builder (it is a std-only build dependency), so nothing is compiled a
# second time but the runtime's own dependency tree, type-checked for wasm.
RUSTFLAGS="--cfg substrate_runtime -D warnings" \
	cargo check -p vcity-runtime --target wasm32v1-none --no-default-features

step "tests (pallets, runtime with try_state, benchmarks as tests, agent, scheduler)"
cargo test --workspace --features "$VCITY_FEATURES" -- --skip dev_node_

step "runtime fuzzer: the corpus, then new call sequences for ${VCITY_FUZZ_SECONDS:-120} s (docs/fuzzing.md)"
"$CARGO_TARGET_DIR/debug/vcity-fuzz" run --seconds "${VCITY_FUZZ_SECONDS:-120}"

step "scheduler benchmark (quality against the optimum and first-fit, wall time)"
cargo bench -p vcity-scheduler --features workload --bench assignment

step "end to end: seven nodes, five at a time (dev: operator and market flows; dev: a public RPC node refusing unsafe methods within its limits; dev-fast: a whole veVCAI lock; dev-fast: a rewards period closed and claimed, then a node slashed; dev-fast: a fee bought back and claimed, then the DAO governs; dev with vcity-agent running a task by itself; dev-fast with vcity-agent answering audits for verifier nodes)"
cargo test --workspace --features "$VCITY_FEATURES" --test e2e -- --show-output --test-threads 5

step "faults: the four-validator network with a validator hung, killed and restarted, two down, a 2-2 partition healed; a node and its agent killed mid-task (docs/faults.md)"
# The binaries this run built, not a release build an earlier hand-run left in the target directory.
VCITY_NODE="$CARGO_TARGET_DIR/debug/vcity-node" VCITY_AGENT="$CARGO_TARGET_DIR/debug/vcity-agent" \
	scripts/fault-suite.sh

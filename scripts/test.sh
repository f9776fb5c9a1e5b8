#!/usr/bin/env bash
# Every test of Vcity chain, from fast to slow: formatting, clippy, then one `cargo test` that
# runs the pallet and runtime tests, the benchmarks as tests, and the end-to-end test (a real
# `vcity-node --dev` driven by polkadot.js). One feature set and one profile for all of it, so
# dependencies compile once.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/vcity/target}"
features="runtime-benchmarks"

step() { printf '\n== %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }

step "prerequisites (scripts/setup.sh)"
scripts/setup.sh
step "rustfmt"
cargo fmt --all -- --check
step "clippy"
cargo clippy --workspace --all-targets --features "$features" -- -D warnings
# The scheduler's benchmark needs its workload generator, which the workspace build leaves out.
cargo clippy -p vcity-scheduler --all-targets --features workload -- -D warnings
step "the builds tests do not cover compile (no benchmarks; try-runtime; fast-runtime)"
# Native code only: the wasm of these feature sets is what `cargo build` makes when needed.
SKIP_WASM_BUILD=1 cargo check --workspace --features try-runtime,fast-runtime
step "tests (pallets, runtime, benchmarks as tests)"
cargo test --workspace --features "$features" -- --skip dev_node_
step "scheduler benchmark (quality against the optimum and first-fit, wall time)"
cargo bench -p vcity-scheduler --features workload --bench assignment
step "end to end (vcity-node --dev: the polkadot.js operator, market, ve, buyback and rewards flows; a node with vcity-agent running a task by itself)"
# The agent lands beside the node binary; the two dev nodes run one after the other (2 cores).
cargo build -p vcity-agent
cargo test --workspace --features "$features" --test e2e -- --show-output --test-threads 1
step "end to end on fast-runtime (a day is a minute: a whole veVCAI lock; a fee bought back and claimed; a rewards period closed and claimed)"
cargo test -p vcity-node --features "$features,fast-runtime" --test e2e -- --show-output dev_node_whole_days

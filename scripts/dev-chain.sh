#!/usr/bin/env bash
# Starts a development chain: one validator (Alice) that authors and finalizes blocks, with
# funded dev accounts, on a fresh temporary database. Extra arguments go to vcity-node.
#
# It builds the node exactly as the tests do (same features, same profile, same target
# directory), so after `scripts/test.sh` there is nothing left to compile. For a production
# build use `cargo build --release -p vcity-node`.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/vcity/target}"
scripts/setup.sh
cargo test --workspace --features runtime-benchmarks --no-run
exec "$CARGO_TARGET_DIR/debug/vcity-node" --dev --tmp "$@"

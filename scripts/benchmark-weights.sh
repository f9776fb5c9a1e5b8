#!/usr/bin/env bash
# Regenerates the weights of our pallets from their benchmarks, on the runtime's wasm, with
# frame-omni-bencher (installed once into the cache; the node itself carries no benchmark CLI,
# which keeps ~190 crates out of every node build).
#
#   scripts/benchmark-weights.sh [pallet ...]      default: all of ours
#
# `register_node` and `heartbeat` run at 10 and at 100,000 registered nodes, the ve calls and the
# buyback's round at 10 and at 1,000,000 lockers, the rewards' hooks and claims at 10 and at 100,000
# nodes (STEPS=2; STEPS=3 adds the midpoint): compare the figures in the printed results to check
# a weight does not grow with the register.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/build-env.sh
tools="$HOME/.cache/vcity/tools"
steps="${STEPS:-2}"
repeat="${REPEAT:-20}"
pallets=("$@")
[ ${#pallets[@]} -gt 0 ] || pallets=(pallet_chain_clock pallet_compute_registry pallet_compute_market pallet_ve_vcai pallet_buyback pallet_rewards pallet_governance pallet_ve_voting pallet_supply)

if [ ! -x "$tools/bin/frame-omni-bencher" ]; then
	# Its dependencies include bindgen, which needs libclang.
	if ! ls /usr/lib/llvm-*/lib/libclang.so >/dev/null 2>&1; then
		sudo_cmd=""
		[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
		$sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq libclang-dev clang
	fi
	CARGO_TARGET_DIR="$HOME/.cache/vcity/omni-target" RUSTC_WORKSPACE_WRAPPER="" \
		cargo install --root "$tools" --locked frame-omni-bencher --version 0.28.0
fi
# The same build as the tests (same features, same profile), so it is usually already done. The
# `try-runtime` code in that wasm runs only in `try_state` and upgrade checks, never in a
# benchmarked call.
vcity_build
wbuild="$CARGO_TARGET_DIR/debug/wbuild/vcity-runtime"
wasm="$wbuild/vcity_runtime.compact.compressed.wasm"
[ -f "$wasm" ] || wasm="$wbuild/vcity_runtime.wasm"

# The runtime imports the agent bridge's host functions (`vcity_agent_link`), which only
# vcity-node provides: the bencher knows Substrate's, so it must let the others be missing. They
# trap if called, and only the offchain worker calls them, which no benchmark runs.
# Our pallets' weights go to their `weights.rs` (our template: the trait and its implementations);
# polkadot-sdk pallets' go to `runtime/src/weights/` (the bencher's own template: an
# implementation of the pallet's trait for this runtime).
for pallet in "${pallets[@]}"; do
	dir="pallets/$(echo "${pallet#pallet_}" | tr _ -)"
	if [ "$pallet" = pallet_agent_bridge ]; then
		# Its benchmarks time the scheduler inside the wasm for the offchain worker, which runs
		# off chain: printed (docs/scheduler.md "In the offchain worker"), never a weight.
		output=()
	elif [ -d "$dir" ]; then
		output=(--template .maintain/pallet-weight-template.hbs --output "$dir/src/weights.rs")
	else
		output=(--output "runtime/src/weights/$pallet.rs")
	fi
	"$tools/bin/frame-omni-bencher" v1 benchmark pallet \
		--runtime "$wasm" \
		--allow-missing-host-functions \
		--pallet "$pallet" --extrinsic '*' \
		--steps "$steps" --repeat "$repeat" \
		"${output[@]}" | tee "$CARGO_TARGET_DIR/bench-$pallet.txt"
done

# Sourced by test.sh and dev-chain.sh: the one way this repository compiles for tests, lints,
# benchmarks and the dev chain, so that each crate compiles once and every script reuses it.
#
# - One target directory outside the clone, shared by runs on this machine.
# - One feature set for every step: the benchmarks run as tests, and the runtime's `try_state`
#   checks compile in and run in the pallets' tests. Cargo unifies features per invocation, so
#   every invocation names the whole workspace and these features; one built with fewer packages
#   or other features would compile shared dependencies again.
# - Clippy runs inside the test build: the workspace's host crates compile through
#   `clippy-driver` (rustc with Clippy's lints) with warnings denied, through
#   scripts/lib/clippy-rustc.sh, which hands the runtime's wasm and release builds to plain rustc.
#   `cargo clippy` would instead type-check every dependency a second time in check mode, which
#   cost about 20 minutes on a new machine. `CLIPPY_ARGS` is the variable `cargo clippy` sets.
#   Warnings are errors here, in `dev-chain.sh` too: fix them, or build by hand with plain cargo
#   (which then compiles the workspace's crates again, not the dependencies).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/vcity/target}"
VCITY_FEATURES="runtime-benchmarks,try-runtime"
VCITY_CLIPPY_DRIVER="$(rustup which clippy-driver 2>/dev/null || command -v clippy-driver || true)"
if [ -z "$VCITY_CLIPPY_DRIVER" ]; then
	echo "build-env: clippy-driver not found; install it with 'rustup component add clippy' (scripts/setup.sh does)" >&2
	exit 1
fi
export VCITY_CLIPPY_DRIVER
VCITY_SCRIPTS_LIB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUSTC_WORKSPACE_WRAPPER="$VCITY_SCRIPTS_LIB/clippy-rustc.sh"
export RUSTC_WORKSPACE_WRAPPER
export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"

# Builds everything the tests, the e2e and the dev chain run: every test and benchmark target
# (linted), and the `vcity-node` and `vcity-agent` binaries, which `cargo test` builds for the
# integration tests that start them. (A separate `cargo build` would resolve features without
# the dev-dependencies and compile the runtime, the node and two dozen crates again.)
# Then it removes from the target directory whatever this build did not use (sweep-target.sh),
# so a target directory shared by every run on a machine stays the size of one build.
vcity_build() {
	local messages="$CARGO_TARGET_DIR/vcity-build.json" stamp="$CARGO_TARGET_DIR/vcity-build.stamp"
	mkdir -p "$CARGO_TARGET_DIR"
	touch "$stamp"
	cargo test --workspace --all-targets --features "$VCITY_FEATURES" --no-run \
		--message-format=json-render-diagnostics >"$messages"
	VCITY_BUILD_STAMP="$stamp" "$VCITY_SCRIPTS_LIB/sweep-target.sh" "$CARGO_TARGET_DIR/debug" "$messages"
}

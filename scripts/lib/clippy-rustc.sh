#!/usr/bin/env bash
# RUSTC_WORKSPACE_WRAPPER for the one build of scripts/lib/build-env.sh: lints the workspace's
# host code with Clippy while compiling it, and compiles everything else with plain rustc.
# Clippy's driver turns MIR optimisation off and drops a few debug checks, which is right for a
# lint and wrong for code that is measured or shipped: the runtime's wasm (a nested build that
# inherits this wrapper), release builds (the scheduler's benchmark) and anything for another
# target go straight to rustc.
#
#   $1 is the rustc cargo chose; the rest are its arguments.
rustc="$1"
shift
for arg in "$@"; do
	case "$arg" in
	--target | --target=* | opt-level=[123sz]) exec "$rustc" "$@" ;;
	esac
done
exec "${VCITY_CLIPPY_DRIVER:?scripts/lib/build-env.sh sets it}" "$rustc" "$@"

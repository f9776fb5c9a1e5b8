#!/usr/bin/env bash
# Installs what building and testing Vcity chain needs on a fresh Debian machine with rustup:
# protoc (libp2p's build scripts), the wasm target the runtime compiles to, and polkadot.js for
# the end-to-end flow. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v protoc >/dev/null; then
	sudo_cmd=""
	[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
	$sudo_cmd apt-get update -qq
	$sudo_cmd apt-get install -y -qq protobuf-compiler
fi
rustup target add wasm32v1-none
rustup component add rust-src rustfmt clippy
npm ci --prefix scripts --no-audit --no-fund

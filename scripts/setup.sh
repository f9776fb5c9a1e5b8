#!/usr/bin/env bash
# Installs what building and testing Vcity chain needs on a fresh Debian/Ubuntu machine with
# rustup: a C toolchain and protoc (build scripts of the crypto and libp2p crates), OpenSSL's
# headers and pkg-config (libp2p's WebRTC stack links the system's OpenSSL), curl (the
# testnet scripts), Node.js (the polkadot.js clients), the wasm target the runtime compiles to,
# and polkadot.js itself. `dev-chain.sh` and `test.sh` call it first; when everything is in
# place it changes nothing and takes a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for package in build-essential clang protobuf-compiler libssl-dev pkg-config curl; do
	dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
command -v npm >/dev/null || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
	sudo_cmd=""
	[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
	echo "setup: installing ${missing[*]}"
	$sudo_cmd apt-get update -qq
	$sudo_cmd apt-get install -y -qq "${missing[@]}"
fi

rustup target list --installed | grep -qx wasm32v1-none || rustup target add wasm32v1-none
rustup component list --installed | grep -q '^rust-src' || rustup component add rust-src
rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
rustup component list --installed | grep -q '^clippy' || rustup component add clippy

# npm ci wipes and reinstalls; only do it when the lock file changed since the last install.
if [ ! -f scripts/node_modules/.package-lock.json ] ||
	[ scripts/package-lock.json -nt scripts/node_modules/.package-lock.json ]; then
	npm ci --prefix scripts --no-audit --no-fund
fi

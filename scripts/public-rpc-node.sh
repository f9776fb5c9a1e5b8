#!/usr/bin/env bash
# A public JSON-RPC node: a full node that serves integrators and wallets and nothing else
# (docs/rpc.md#a-public-rpc-node). It listens on every interface but answers only the safe
# methods, caps connections, subscriptions, request and response sizes and batch length, and
# limits each connection's calls per minute. It neither authors nor runs offchain workers, so it
# holds no key worth stealing.
#
#   scripts/public-rpc-node.sh --chain <spec.json> --base-path /var/lib/vcity [more vcity-node flags]
#
# VCITY_NODE picks the binary (default: vcity-node on the PATH). Run the shipping build
# (`cargo build --release -p vcity-node`, no `try-runtime` or `runtime-benchmarks` feature): those
# features add runtime APIs that `state_call`, a safe method, would let anyone run. The limits
# come from the environment, with the defaults below:
#
#   RPC_PORT=9944  RPC_MAX_CONNECTIONS=500  RPC_RATE_LIMIT=1200 (calls a minute per connection)
#   RPC_MAX_SUBSCRIPTIONS=64  RPC_MAX_REQUEST_MB=2  RPC_MAX_RESPONSE_MB=16  RPC_MAX_BATCH=32
#   RPC_CORS=all
#   RPC_UNLIMITED_IPS (none by default; CIDRs exempt from the rate limit, e.g. your own indexer's)
#   RPC_TRUSTED_PROXY=false (true only behind a reverse proxy that always sets X-Forwarded-For:
#   the exemption above then applies to the client's address the proxy reports)
#
# The rate limit counts per connection: a client that opens many connections gets many quotas, up
# to the connection cap. Per-address limits belong in the reverse proxy in front of the node.
set -euo pipefail

node="${VCITY_NODE:-vcity-node}"
args=(
	--rpc-external
	--rpc-methods safe
	--rpc-port "${RPC_PORT:-9944}"
	--rpc-cors "${RPC_CORS:-all}"
	--rpc-max-connections "${RPC_MAX_CONNECTIONS:-500}"
	--rpc-rate-limit "${RPC_RATE_LIMIT:-1200}"
	--rpc-max-subscriptions-per-connection "${RPC_MAX_SUBSCRIPTIONS:-64}"
	--rpc-max-request-size "${RPC_MAX_REQUEST_MB:-2}"
	--rpc-max-response-size "${RPC_MAX_RESPONSE_MB:-16}"
	--rpc-max-batch-request-len "${RPC_MAX_BATCH:-32}"
	# A public node keeps no operator key and runs no worker: the bridge to a GPU agent and the
	# scheduler's matching belong on an operator's own node.
	--offchain-worker never
)
if [ -n "${RPC_UNLIMITED_IPS:-}" ]; then
	# Word splitting is intended: one flag value per CIDR.
	# shellcheck disable=SC2206
	args+=(--rpc-rate-limit-whitelisted-ips $RPC_UNLIMITED_IPS)
fi
if [ "${RPC_TRUSTED_PROXY:-false}" = true ]; then
	args+=(--rpc-rate-limit-trust-proxy-headers)
fi
exec "$node" "${args[@]}" "$@"

#!/usr/bin/env bash
# A four-validator `--chain local` network on loopback (alice, bob, charlie, dave). Each
# validator has its own base path (its database and keystore), ports and fixed node key, so a
# stopped validator restarts with its database and the others know where to find alice.
#
#   scripts/local-testnet.sh start [name...]    start all, or the named validators
#   scripts/local-testnet.sh stop [name...]     stop all, or the named ones (SIGINT, then wait)
#   scripts/local-testnet.sh status             pid, best and finalized block of each
#
# VCITY_NODE picks the binary (default: the first that exists of target/release/vcity-node,
# $CARGO_TARGET_DIR/debug/vcity-node, $HOME/.cache/vcity/target/debug/vcity-node).
# BASE_DIR holds databases, logs and pids (default /tmp/vcity-local).
set -euo pipefail
cd "$(dirname "$0")/.."

BASE_DIR="${BASE_DIR:-/tmp/vcity-local}"
VALIDATORS=(alice bob charlie dave)

node_binary() {
	local candidate
	for candidate in "${VCITY_NODE:-}" target/release/vcity-node "${CARGO_TARGET_DIR:-target}/debug/vcity-node" \
		"$HOME/.cache/vcity/target/debug/vcity-node"; do
		if [ -n "$candidate" ] && [ -x "$candidate" ]; then
			echo "$candidate"
			return
		fi
	done
	echo "no vcity-node binary found: build it (cargo build --release -p vcity-node) or set VCITY_NODE" >&2
	exit 1
}

index_of() {
	local i
	for i in "${!VALIDATORS[@]}"; do
		[ "${VALIDATORS[$i]}" = "$1" ] && { echo "$i"; return; }
	done
	echo "unknown validator '$1' (one of: ${VALIDATORS[*]})" >&2
	exit 1
}

p2p_port() { echo $((30333 + $1)); }
rpc_port() { echo $((9944 + $1)); }

# Fixed node keys (0x…01 to 0x…04) give every validator a known peer id.
node_key_file() {
	local i=$1 file="$BASE_DIR/$2.node-key"
	[ -f "$file" ] || printf '%064x' $((i + 1)) >"$file"
	echo "$file"
}

bootnode() {
	local key peer
	key=$(node_key_file 0 alice)
	peer=$("$NODE" key inspect-node-key --file "$key" 2>/dev/null)
	echo "/ip4/127.0.0.1/tcp/$(p2p_port 0)/p2p/$peer"
}

rpc() { # port method
	curl -s -m 5 -H 'Content-Type: application/json' \
		-d "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"$2\",\"params\":[]}" "http://127.0.0.1:$1"
}

start_one() {
	local name=$1 i pidfile
	i=$(index_of "$name")
	pidfile="$BASE_DIR/$name.pid"
	if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
		echo "$name already running (pid $(cat "$pidfile"))"
		return
	fi
	local args=(
		--chain local --"$name" --validator
		--base-path "$BASE_DIR/$name"
		--node-key-file "$(node_key_file "$i" "$name")"
		--listen-addr "/ip4/127.0.0.1/tcp/$(p2p_port "$i")"
		--rpc-port "$(rpc_port "$i")"
		--no-mdns --no-prometheus --no-telemetry
	)
	[ "$i" -eq 0 ] || args+=(--bootnodes "$(bootnode)")
	nohup "$NODE" "${args[@]}" >>"$BASE_DIR/$name.log" 2>&1 &
	echo $! >"$pidfile"
	sleep 1
	if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
		rm -f "$pidfile"
		echo "$name failed to start; last lines of its log:" >&2
		tail -5 "$BASE_DIR/$name.log" >&2
		exit 1
	fi
	echo "$name started (pid $!, p2p $(p2p_port "$i"), rpc $(rpc_port "$i"), log $BASE_DIR/$name.log)"
}

stop_one() {
	local name=$1 pidfile="$BASE_DIR/$1.pid" pid
	[ -f "$pidfile" ] || { echo "$name not running"; return; }
	pid=$(cat "$pidfile")
	if kill -INT "$pid" 2>/dev/null; then
		for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
		kill -KILL "$pid" 2>/dev/null || true
	fi
	rm -f "$pidfile"
	echo "$name stopped"
}

status() {
	local name i
	for name in "${VALIDATORS[@]}"; do
		i=$(index_of "$name")
		local pidfile="$BASE_DIR/$name.pid" best finalized
		if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
			best=$(rpc "$(rpc_port "$i")" chain_getHeader | sed -n 's/.*"number":"\(0x[0-9a-f]*\)".*/\1/p')
			finalized=$(rpc "$(rpc_port "$i")" chain_getFinalizedHead | sed -n 's/.*"result":"\(0x[0-9a-f]*\)".*/\1/p')
			echo "$name: pid $(cat "$pidfile"), best $((${best:-0})), finalized head ${finalized:-?}"
		else
			echo "$name: stopped"
		fi
	done
}

mkdir -p "$BASE_DIR"
NODE=$(node_binary)
command=${1:-status}
shift || true
names=("$@")
[ ${#names[@]} -gt 0 ] || names=("${VALIDATORS[@]}")
case "$command" in
	start) echo "binary: $NODE"; for n in "${names[@]}"; do start_one "$n"; done ;;
	stop) for n in "${names[@]}"; do stop_one "$n"; done ;;
	status) status ;;
	*) echo "usage: $0 start|stop|status [name...]" >&2; exit 2 ;;
esac

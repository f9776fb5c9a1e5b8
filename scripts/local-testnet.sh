#!/usr/bin/env bash
# A four-validator `--chain local` network on loopback (alice, bob, charlie, dave). Each
# validator has its own base path (database and keystore), ports and fixed node key, so a
# stopped validator restarts from its database and every peer knows where to find alice.
#
#   scripts/local-testnet.sh start [name...]    start all, or the named validators
#   scripts/local-testnet.sh stop [name...]     stop all, or the named ones (SIGINT, then wait)
#   scripts/local-testnet.sh status             pid, best and finalized block and peers of each
#   scripts/local-testnet.sh binary             the vcity-node binary it runs
#
# Validator i (0 = alice … 3 = dave) listens for p2p on 127.0.0.1:3033(3+i) and for JSON-RPC on
# 127.0.0.1:994(4+i); its node key is 0x00…0(i+1).
#
# VCITY_NODE picks the binary; otherwise the first that exists of target/release/vcity-node,
# $CARGO_TARGET_DIR/{release,debug}/vcity-node and $HOME/.cache/vcity/target/{release,debug}/
# vcity-node (where scripts/test.sh builds). BASE_DIR holds databases, logs and pids
# (default /tmp/vcity-local).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/rpc.sh

BASE_DIR="${BASE_DIR:-/tmp/vcity-local}"
VALIDATORS=(alice bob charlie dave)

node_binary() {
	if [ -n "${VCITY_NODE:-}" ]; then
		# An explicit choice must not silently fall back to another build.
		[ -x "$VCITY_NODE" ] || { echo "VCITY_NODE=$VCITY_NODE is not an executable" >&2; exit 1; }
		echo "$VCITY_NODE"
		return
	fi
	local candidate candidates=(target/release/vcity-node)
	if [ -n "${CARGO_TARGET_DIR:-}" ]; then
		candidates+=("$CARGO_TARGET_DIR/release/vcity-node" "$CARGO_TARGET_DIR/debug/vcity-node")
	fi
	candidates+=("$HOME/.cache/vcity/target/release/vcity-node" "$HOME/.cache/vcity/target/debug/vcity-node")
	for candidate in "${candidates[@]}"; do
		if [ -x "$candidate" ]; then
			echo "$candidate"
			return
		fi
	done
	echo "no vcity-node binary found (looked at ${candidates[*]}): build it with" \
		"'cargo build --release -p vcity-node' or set VCITY_NODE" >&2
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

# A fixed node key per validator (0x…01 to 0x…04) gives each a known peer id. It is kept in a
# file rather than on the command line so it does not show up in `ps`.
node_key_file() { # index name
	local file="$BASE_DIR/$2.node-key"
	[ -f "$file" ] || printf '%064x' $(($1 + 1)) >"$file"
	echo "$file"
}

# Computed from the validator's key rather than hard-coded, so a changed key cannot leave it stale.
peer_address() { # index
	local peer
	peer=$("$NODE" key inspect-node-key --file "$(node_key_file "$1" "${VALIDATORS[$1]}")")
	echo "/ip4/127.0.0.1/tcp/$(p2p_port "$1")/p2p/$peer"
}

# The height of a validator's best or finalized block, "?" while it does not answer.
height_shown() { # port best|finalized
	local height
	height=$(block_height "$1" "$2")
	[ "$height" -ge 0 ] && echo "$height" || echo "?"
}

# A killed node stays a zombie until init reaps it, which takes seconds in a container; `kill -0`
# still finds it then, and a restart right after a SIGKILL would be refused as "already running".
alive() { # pid
	kill -0 "$1" 2>/dev/null && ! grep -qs '^State:[[:space:]]*Z' "/proc/$1/status"
}

is_running() { # name
	local pidfile="$BASE_DIR/$1.pid"
	[ -f "$pidfile" ] && alive "$(cat "$pidfile")"
}

start_one() {
	local name=$1 i p2p pidfile pid
	i=$(index_of "$name")
	p2p=$(p2p_port "$i")
	pidfile="$BASE_DIR/$name.pid"
	if is_running "$name"; then
		echo "$name already running (pid $(cat "$pidfile"))"
		return
	fi
	# `--<name>` puts the well-known dev keys of that validator in its keystore.
	local args=(
		--chain local --"$name" --validator
		--base-path "$BASE_DIR/$name"
		--node-key-file "$(node_key_file "$i" "$name")"
		--listen-addr "/ip4/127.0.0.1/tcp/$p2p"
		--public-addr "/ip4/127.0.0.1/tcp/$p2p"
		--rpc-port "$(rpc_port "$i")"
		--no-mdns --no-prometheus --no-telemetry
	)
	if [ "${RESERVED_ONLY:-0}" = 1 ]; then
		local j reserved=()
		for j in "${!VALIDATORS[@]}"; do
			[ "$j" -eq "$i" ] || reserved+=("$(peer_address "$j")")
		done
		# No slots for other peers: litep2p keeps a peer removed from the reserved set connected
		# as an ordinary one while a slot is free, which would leave a partition uncut.
		args+=(--reserved-only --in-peers 0 --out-peers 0 --reserved-nodes "${reserved[@]}")
	elif [ "$i" -ne 0 ]; then
		args+=(--bootnodes "$(peer_address 0)")
	fi
	local extra=()
	read -r -a extra <<<"${EXTRA_ARGS:-}"
	args+=("${extra[@]}")
	echo "=== $(date '+%F %T') start: $NODE ${args[*]}" >>"$BASE_DIR/$name.log"
	nohup "$NODE" "${args[@]}" >>"$BASE_DIR/$name.log" 2>&1 &
	pid=$!
	echo "$pid" >"$pidfile"
	# A bad flag or a taken port kills the node within a second; say so instead of a silent pid.
	sleep 1
	if ! alive "$pid"; then
		rm -f "$pidfile"
		echo "$name failed to start; last lines of $BASE_DIR/$name.log:" >&2
		tail -5 "$BASE_DIR/$name.log" >&2
		exit 1
	fi
	echo "$name started (pid $pid, p2p $p2p, rpc $(rpc_port "$i"), log $BASE_DIR/$name.log)"
}

stop_one() {
	local name=$1 pidfile="$BASE_DIR/$1.pid" pid
	index_of "$name" >/dev/null
	if ! is_running "$name"; then
		rm -f "$pidfile"
		echo "$name not running"
		return
	fi
	pid=$(cat "$pidfile")
	# SIGINT lets the node close its database cleanly; SIGKILL only if it hangs for 20 s.
	kill -INT "$pid" 2>/dev/null || true
	for _ in $(seq 1 100); do
		alive "$pid" || break
		sleep 0.2
	done
	if alive "$pid"; then
		echo "$name did not stop on SIGINT; killing it" >&2
		kill -KILL "$pid" 2>/dev/null || true
	fi
	rm -f "$pidfile"
	echo "$name stopped"
}

status() {
	local name i port
	for name in "${VALIDATORS[@]}"; do
		i=$(index_of "$name")
		port=$(rpc_port "$i")
		if is_running "$name"; then
			echo "$name: pid $(cat "$BASE_DIR/$name.pid"), rpc $port, best #$(height_shown "$port" best)," \
				"finalized #$(height_shown "$port" finalized), peers $(peer_count "$port")"
		else
			echo "$name: stopped"
		fi
	done
}

command=${1:-status}
shift || true
names=("$@")
[ ${#names[@]} -gt 0 ] || names=("${VALIDATORS[@]}")
mkdir -p "$BASE_DIR"
case "$command" in
	start)
		NODE=$(node_binary)
		echo "binary: $NODE"
		for n in "${names[@]}"; do start_one "$n"; done
		;;
	stop) for n in "${names[@]}"; do stop_one "$n"; done ;;
	status) status ;;
	binary) node_binary ;;
	*) echo "usage: $0 start|stop|status|binary [name...]" >&2; exit 2 ;;
esac

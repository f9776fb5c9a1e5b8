#!/usr/bin/env bash
# Faults the chain must survive, on the four-validator network of scripts/local-testnet.sh and on
# a GPU node with its agent. Each case asserts what must hold and prints the heights and seconds
# it saw; the suite stops at the first failed case, stops everything it started however it ends,
# and prints a summary table. docs/faults.md says what each case shows and the last results.
#
#   1. One validator hangs (SIGSTOP): the other three still finalize, GRANDPA needing 3 of 4
#      votes. Killed while hung (SIGKILL): they still do. Restarted from its database: it imports
#      and finalizes to within one block of the others.
#   2. Two validators stop: finality stalls while the two left keep authoring (Aura), one returns:
#      finality resumes; the other returns, and on every height up to the lowest finalized head
#      all four hold the same block.
#   3. A 2-2 partition, alice and bob apart from charlie and dave: each side sees only its partner
#      and authors its own fork, neither finalizes; healed: finality resumes and all four agree on
#      every finalized block.
#   4. A dev node running a task on its agent: node and agent are killed together (SIGKILL) and
#      restarted from their data; the task is delivered, settled and paid exactly once
#      (scripts/e2e/agent-restart-flow.mjs).
#
# The container has neither network namespaces nor a firewall, so the partition uses what the
# node offers: the network runs with RESERVED_ONLY=1 (each validator reserved-only, the other
# three its reserved peers, no slots for anyone else), and the unsafe RPC methods
# system_removeReservedPeer and system_addReservedPeer, which a node serves on loopback under the
# default `--rpc-methods auto`, cut and restore the links between the sides. Cases 1 and 2 run
# on the same network, which saves a genesis.
#
#   scripts/fault-suite.sh                all cases
#   CASES="1 3" scripts/fault-suite.sh    some (cases 2 and 3 expect the network case 1 leaves)
#
# Ports 30333-30336 and 9944-9947 (the network), 9960, 30360 and 8795 (case 4) on loopback;
# nothing else may hold them. VCITY_NODE as for local-testnet.sh; the agent is the vcity-agent
# beside the node binary, else the debug one, unless VCITY_AGENT names one. Case 4's task is sized
# to run 35 to 45 s on the debug agent; for a faster one raise VCITY_AGENT_MATRIX (default 1024).
# STALL_SECONDS (default 30) is how long a stall is watched. BASE_DIR (default
# /tmp/vcity-fault-suite) keeps the logs of the last run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/rpc.sh
source scripts/lib/agent.sh
export BASE_DIR="${BASE_DIR:-/tmp/vcity-fault-suite}"
export RESERVED_ONLY=1
CASES="${CASES:-1 2 3 4}"
STALL_SECONDS="${STALL_SECONDS:-30}"
net=scripts/local-testnet.sh

ALL=(alice bob charlie dave)
declare -A RPC=([alice]=9944 [bob]=9945 [charlie]=9946 [dave]=9947)
declare -A P2P=([alice]=30333 [bob]=30334 [charlie]=30335 [dave]=30336)
DEV_RPC=9960
DEV_P2P=30360
AGENT_PORT=8795

case "$BASE_DIR" in
	"" | / | "$HOME") echo "refusing BASE_DIR=$BASE_DIR" >&2; exit 2 ;;
esac
# What a run that was interrupted left running is stopped first.
"$net" stop >/dev/null 2>&1 || true
# Another node on one of these ports would join the network or answer in a validator's place.
for port in "${RPC[@]}" "${P2P[@]}" $DEV_RPC $DEV_P2P $AGENT_PORT; do
	if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
		echo "port $port on 127.0.0.1 is taken; the suite needs it" >&2
		exit 2
	fi
done
NODE=$("$net" binary)
export VCITY_NODE="$NODE"
# The agent beside the node, else the debug one the tests build (`cargo build --release` of the
# node alone leaves none beside it).
AGENT="${VCITY_AGENT:-}"
if [ -z "$AGENT" ]; then
	for AGENT in "$(dirname "$NODE")/vcity-agent" "$(dirname "$NODE")/../debug/vcity-agent"; do
		[ -x "$AGENT" ] && break
	done
fi
[ -x "$AGENT" ] || { echo "no vcity-agent beside $NODE: build it or set VCITY_AGENT" >&2; exit 2; }
rm -rf "$BASE_DIR"
mkdir -p "$BASE_DIR"

SUMMARY=()
CASE=setup
FAILED=0
HUNG_PID=""
DEV_PID=""
AGENT_PID=""
SUITE_START=$SECONDS

cleanup() {
	local rc=$? row
	# An unexpected error (set -e) gets its row too, not only the failures fail() reports.
	((rc == 0 || FAILED)) || SUMMARY+=("$CASE|FAILED|exit status $rc (see above)")
	# A hung validator takes no SIGINT: it would sit out the stop's 20 s before being killed.
	[ -z "$HUNG_PID" ] || kill -CONT "$HUNG_PID" 2>/dev/null || true
	for pid in $DEV_PID $AGENT_PID; do
		kill -KILL "$pid" 2>/dev/null || true
		# Reaped here, or bash reports each as "Killed" in the middle of the summary.
		wait "$pid" 2>/dev/null || true
	done
	"$net" stop >/dev/null 2>&1 || true
	echo
	printf '%-5s %-7s %s\n' case result figures
	printf '%-5s %-7s %s\n' ----- ------- -------
	for row in "${SUMMARY[@]}"; do
		IFS='|' read -r c r f <<<"$row"
		printf '%-5s %-7s %s\n' "$c" "$r" "$f"
	done
	echo "total $((SECONDS - SUITE_START)) s; logs in $BASE_DIR"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
	echo "FAILED: case $CASE: $*" >&2
	"$net" status >&2 || true
	SUMMARY+=("$CASE|FAILED|$*")
	FAILED=1
	exit 1
}

network() { # local-testnet.sh's arguments: its output indented under the case
	"$net" "$@" 2>&1 | sed -u 's/^/  /'
	return "${PIPESTATUS[0]}"
}

# wait_for <description> <timeout in s> <command...>: polls each second; WAITED is the time taken.
wait_for() {
	local what=$1 limit=$2 start=$SECONDS
	shift 2
	until "$@"; do
		((SECONDS - start <= limit)) || fail "$what: not within ${limit} s"
		sleep 1
	done
	WAITED=$((SECONDS - start))
	echo "  $what: ${WAITED} s"
}

fin() { block_height "${RPC[$1]}" finalized; }
best() { block_height "${RPC[$1]}" best; }

fin_at_least() { # height name...
	local height=$1 n
	shift
	for n; do (($(fin "$n") >= height)) || return 1; done
}

answers() { # name
	(($(best "$1") >= 0))
}

best_at_least() { # height name...
	local height=$1 n
	shift
	for n; do (($(best "$n") >= height)) || return 1; done
}

lowest_fin() { # name...
	local n h low=""
	for n; do
		h=$(fin "$n")
		[ -n "$low" ] && ((h >= low)) || low=$h
	done
	echo "$low"
}

highest() { # best|finalized name...
	local which=$1 n h high=-1
	shift
	for n; do
		h=$(block_height "${RPC[$n]}" "$which")
		((h <= high)) || high=$h
	done
	echo "$high"
}

heights() { # name...
	local n out=""
	for n; do out+=" $n #$(best "$n")/#$(fin "$n")"; done
	echo "  best/finalized:$out"
}

peer_ids() { # name: the peer ids the node syncs with, sorted, one line
	rpc "${RPC[$1]}" system_peers | grep -o '"peerId":"[^"]*"' | cut -d'"' -f4 | sort | tr '\n' ' '
}

local_id() { rpc "${RPC[$1]}" system_localPeerId | sed -n 's/.*"result":"\([^"]*\)".*/\1/p'; }

all_have_peers() { # count name...
	local count=$1 n
	shift
	for n; do (($(peer_count "${RPC[$n]}") == count)) || return 1; done
}

known_block() { # name hash: whether the node has imported that block
	rpc "${RPC[$1]}" chain_getHeader "[\"$2\"]" | grep -q '"number"'
}

number_of() { # name hash
	local hex
	hex=$(rpc "${RPC[$1]}" chain_getHeader "[\"$2\"]" | sed -n 's/.*"number":"\(0x[0-9a-f]*\)".*/\1/p')
	[ -n "$hex" ] && echo $((hex)) || echo -1
}

best_hash() { rpc "${RPC[$1]}" chain_getBlockHash | sed -n 's/.*"result":"\(0x[0-9a-f]*\)".*/\1/p'; }

hash_at() { # name height
	rpc "${RPC[$1]}" chain_getBlockHash "[$2]" | sed -n 's/.*"result":"\(0x[0-9a-f]*\)".*/\1/p'
}

hashes() { # name from to: the node's block hashes of those heights, comma-separated
	rpc "${RPC[$1]}" chain_getBlockHash "[[$(seq -s, "$2" "$3")]]" | sed -n 's/.*"result":\[\(.*\)\].*/\1/p'
}

# How many of the blocks a side held before the heal the finalized chain dropped.
dropped() { # before (comma-separated hashes) after
	local -a a b
	local i count=0
	IFS=, read -r -a a <<<"$1"
	IFS=, read -r -a b <<<"$2"
	for i in "${!a[@]}"; do
		[ "${a[$i]}" = "${b[$i]}" ] || count=$((count + 1))
	done
	echo "$count"
}

# Every height up to the lowest finalized head of the named nodes must hold one block on all of
# them: two finalized blocks at one height would be a safety failure of GRANDPA.
assert_agree() { # name...
	local top n answer first="" firstname list i
	top=$(lowest_fin "$@")
	((top >= 0)) || fail "a validator does not answer"
	list=$(seq -s, 0 "$top")
	for n; do
		answer=$(rpc "${RPC[$n]}" chain_getBlockHash "[[${list}]]" | sed -n 's/.*"result":\[\(.*\)\].*/\1/p')
		[ -n "$answer" ] || fail "$n did not answer chain_getBlockHash for #0..#$top"
		[[ $answer != *null* ]] || fail "$n knows no block at some height up to its finalized #$top"
		if [ -z "$first" ]; then
			first=$answer
			firstname=$n
		elif [ "$answer" != "$first" ]; then
			local -a a b
			IFS=, read -r -a a <<<"$first"
			IFS=, read -r -a b <<<"$answer"
			for i in "${!a[@]}"; do
				[ "${a[$i]}" = "${b[$i]}" ] || fail "conflicting finalized blocks at #$i: $firstname ${a[$i]}, $n ${b[$i]}"
			done
		fi
	done
	AGREED=$top
	echo "  $* hold the same block at every height #0..#$top (#$top: $(hash_at "$1" "$top"))"
}

# Watches the named validators for STALL_SECONDS: no finalized head may move, and every node's
# best block must (Aura goes on without finality). STALLED is the highest finalized height.
assert_stall() { # name...
	local n h start
	declare -A f0 b0
	# A round whose votes were all cast before the fault may still conclude.
	sleep 6
	for n; do
		f0[$n]=$(fin "$n")
		b0[$n]=$(best "$n")
		((f0[$n] >= 0)) || fail "$n does not answer"
	done
	heights "$@"
	start=$SECONDS
	while ((SECONDS - start < STALL_SECONDS)); do
		for n; do
			h=$(fin "$n")
			((h == f0[$n])) || fail "$n finalized #$h (it was at #${f0[$n]}) $((SECONDS - start)) s into the stall"
		done
		sleep 2
	done
	for n; do
		h=$(best "$n")
		((h > b0[$n])) || fail "$n authored or imported nothing in ${STALL_SECONDS} s (best still #$h)"
	done
	STALLED=$(highest finalized "$@")
	heights "$@"
	echo "  no finalized head moved for $((SECONDS - start)) s while best blocks went on"
}

network_ready() {
	wait_for "all four validators see the other three" 90 all_have_peers 3 "${ALL[@]}"
}

start_network() {
	CASE=setup
	echo "0. four validators start, reserved-only, and finalize"
	network start || fail "the network did not start"
	wait_for "all four finalized #3" 300 fin_at_least 3 "${ALL[@]}"
	network_ready
	heights "${ALL[@]}"
	SUMMARY+=("0|passed|network up: all four finalized #3 $(($SECONDS - SUITE_START)) s after the start")
}

case_1() {
	CASE=1
	echo "1. dave hangs (SIGSTOP), is killed while hung (SIGKILL), restarts from its database"
	network_ready
	local pid f0 f1 hung killed target started catchup
	pid=$(cat "$BASE_DIR/dave.pid")
	f0=$(lowest_fin alice bob charlie)
	kill -STOP "$pid"
	HUNG_PID=$pid
	echo "  dave (pid $pid) hung; alice, bob, charlie finalized #$f0"
	wait_for "alice, bob and charlie finalized #$((f0 + 3)) without dave" 90 fin_at_least $((f0 + 3)) alice bob charlie
	hung=$WAITED
	# The process keeps its port but answers nothing: the hang is real.
	(($(best dave) == -1)) || fail "dave answers RPC while stopped"
	echo "  dave answers no RPC while hung"
	heights alice bob charlie

	kill -KILL "$pid"
	HUNG_PID=""
	f1=$(lowest_fin alice bob charlie)
	wait_for "alice, bob and charlie finalized #$((f1 + 3)) with dave killed" 90 fin_at_least $((f1 + 3)) alice bob charlie
	killed=$WAITED
	heights alice bob charlie

	target=$(highest finalized alice bob charlie)
	started=$SECONDS
	network start dave || fail "dave did not start"
	wait_for "dave answers RPC (the node is up)" 120 answers dave
	wait_for "dave imported #$target" 120 best_at_least "$target" dave
	wait_for "dave finalized #$target" 60 fin_at_least "$target" dave
	dave_level() {
		(($(best dave) >= $(highest best alice bob charlie) - 1)) &&
			(($(fin dave) >= $(highest finalized alice bob charlie) - 1))
	}
	wait_for "dave within one block of the others, best and finalized" 60 dave_level
	catchup=$((SECONDS - started))
	heights "${ALL[@]}"
	SUMMARY+=("1|passed|3 blocks finalized in ${hung} s with dave hung (#$f0→#$((f0 + 3))), in ${killed} s with dave killed; restarted, dave level at #$(fin dave) finalized in ${catchup} s")
}

case_2() {
	CASE=2
	echo "2. charlie and dave stop: finality stalls; charlie returns: it resumes"
	network_ready
	network stop charlie dave || fail "charlie and dave did not stop"
	assert_stall alice bob
	local stalled=$STALLED started resumed
	started=$SECONDS
	network start charlie || fail "charlie did not start"
	wait_for "charlie answers RPC (the node is up)" 120 answers charlie
	local up=$((SECONDS - started))
	wait_for "alice and bob finalized past #$stalled with charlie back" 120 fin_at_least $((stalled + 1)) alice bob
	resumed=$((SECONDS - started))
	local target
	target=$(highest finalized alice bob)
	wait_for "charlie finalized #$target" 60 fin_at_least "$target" charlie
	heights alice bob charlie
	network start dave || fail "dave did not start"
	target=$(highest finalized alice bob charlie)
	wait_for "dave finalized #$target" 120 fin_at_least "$target" dave
	assert_agree "${ALL[@]}"
	SUMMARY+=("2|passed|finality stalled at #$stalled for ${STALL_SECONDS} s with two of four; resumed ${resumed} s after charlie's restart (its node up after ${up} s); all four agree on #0..#$AGREED")
}

case_3() {
	CASE=3
	echo "3. partition alice+bob | charlie+dave, then heal"
	network_ready
	declare -A id
	local n a b
	for n in "${ALL[@]}"; do
		id[$n]=$(local_id "$n")
		[ -n "${id[$n]}" ] || fail "$n did not give its peer id"
	done
	for a in alice bob; do
		for b in charlie dave; do
			rpc "${RPC[$a]}" system_removeReservedPeer "[\"${id[$b]}\"]" | grep -q '"result":null' ||
				fail "$a refused system_removeReservedPeer"
			rpc "${RPC[$b]}" system_removeReservedPeer "[\"${id[$a]}\"]" | grep -q '"result":null' ||
				fail "$b refused system_removeReservedPeer"
		done
	done
	sides_apart() {
		[ "$(peer_ids alice)" = "${id[bob]} " ] && [ "$(peer_ids bob)" = "${id[alice]} " ] &&
			[ "$(peer_ids charlie)" = "${id[dave]} " ] && [ "$(peer_ids dave)" = "${id[charlie]} " ]
	}
	wait_for "each validator syncs with its partner only" 30 sides_apart
	assert_stall "${ALL[@]}"
	local stalled=$STALLED hash_ab hash_cd height_ab height_cd
	hash_ab=$(best_hash alice)
	hash_cd=$(best_hash charlie)
	height_ab=$(number_of alice "$hash_ab")
	height_cd=$(number_of charlie "$hash_cd")
	# Each side's newest block was authored during the partition, so the other side cannot have it.
	! known_block charlie "$hash_ab" || fail "charlie has alice's best block $hash_ab: the sides still exchange blocks"
	! known_block alice "$hash_cd" || fail "alice has charlie's best block $hash_cd: the sides still exchange blocks"
	echo "  two forks: alice+bob at #$height_ab ($hash_ab), charlie+dave at #$height_cd ($hash_cd)"
	local from=$((stalled + 1)) chain_ab chain_cd
	chain_ab=$(hashes alice "$from" "$height_ab")
	chain_cd=$(hashes charlie "$from" "$height_cd")

	local healed resumed started
	started=$SECONDS
	for a in alice bob; do
		for b in charlie dave; do
			rpc "${RPC[$a]}" system_addReservedPeer "[\"/ip4/127.0.0.1/tcp/${P2P[$b]}/p2p/${id[$b]}\"]" |
				grep -q '"result":null' || fail "$a refused system_addReservedPeer"
			rpc "${RPC[$b]}" system_addReservedPeer "[\"/ip4/127.0.0.1/tcp/${P2P[$a]}/p2p/${id[$a]}\"]" |
				grep -q '"result":null' || fail "$b refused system_addReservedPeer"
		done
	done
	network_ready
	healed=$WAITED
	wait_for "all four finalized past #$stalled" 120 fin_at_least $((stalled + 1)) "${ALL[@]}"
	resumed=$((SECONDS - started))
	# Past both forks' tips, so the comparison below covers the heights that were contested.
	local tip=$((height_ab > height_cd ? height_ab : height_cd))
	wait_for "all four finalized #$tip, past both forks" 120 fin_at_least "$tip" "${ALL[@]}"
	heights "${ALL[@]}"
	assert_agree "${ALL[@]}"
	local lost_ab lost_cd
	lost_ab=$(dropped "$chain_ab" "$(hashes alice "$from" "$height_ab")")
	lost_cd=$(dropped "$chain_cd" "$(hashes alice "$from" "$height_cd")")
	echo "  above #$stalled the finalized chain dropped $lost_ab of alice+bob's $((height_ab - stalled)) blocks" \
		"and $lost_cd of charlie+dave's $((height_cd - stalled))"
	SUMMARY+=("3|passed|stalled at #$stalled for ${STALL_SECONDS} s (fork tips #$height_ab and #$height_cd); healed: peers in ${healed} s, finality resumed in ${resumed} s, dropped $lost_ab/$((height_ab - stalled)) alice+bob and $lost_cd/$((height_cd - stalled)) charlie+dave blocks; all four agree on #0..#$AGREED")
}

dev_height() { # best|finalized
	block_height "$DEV_RPC" "$1"
}

start_dev_node() {
	"$NODE" --dev --base-path "$DEV_DIR/node" --rpc-port "$DEV_RPC" --port "$DEV_P2P" \
		--no-mdns --no-prometheus --no-telemetry \
		--agent-url "http://127.0.0.1:$AGENT_PORT" --agent-secret-file "$DEV_DIR/agent/secret" \
		>>"$DEV_DIR/node.log" 2>&1 &
	DEV_PID=$!
}

flow() { # submit|finish
	VCITY_FAULT_RESTARTED_MS=${RESTARTED_MS:-} VCITY_WS="ws://127.0.0.1:$DEV_RPC" VCITY_AGENT_URL="http://127.0.0.1:$AGENT_PORT" \
		VCITY_AGENT_SECRET_FILE="$DEV_DIR/agent/secret" VCITY_FAULT_STATE="$DEV_DIR/state.json" \
		timeout 660 node scripts/e2e/agent-restart-flow.mjs "$1" 2>&1 | tee "$DEV_DIR/flow-$1.out" | sed -u 's/^/  /'
	return "${PIPESTATUS[0]}"
}

case_4() {
	CASE=4
	echo "4. a dev node and its agent killed mid-task (SIGKILL both), restarted: the task ends once"
	# The validators would only take CPU from the dev node and the agent.
	"$net" stop >/dev/null 2>&1 || true
	DEV_DIR="$BASE_DIR/agent-case"
	mkdir -p "$DEV_DIR/agent"
	local profile=(--gpu-profile agent/profiles/rtx4090x2.json --log-format json)
	start_agent "$AGENT" "$AGENT_PORT" "$DEV_DIR/agent" "${profile[@]}" || fail "the agent did not start"
	AGENT_PID=$agent_pid
	start_dev_node
	dev_up() { (($(dev_height best) >= 1)); }
	wait_for "the dev node (pid $DEV_PID) authored #1" 240 dev_up
	flow submit || fail "the flow's submit phase failed (see above)"
	local killed_at task started
	killed_at=$(dev_height best)
	kill -KILL "$DEV_PID" "$AGENT_PID"
	wait "$DEV_PID" "$AGENT_PID" 2>/dev/null || true
	echo "  node (pid $DEV_PID) and agent (pid $AGENT_PID) killed at #$killed_at"
	DEV_PID=""
	AGENT_PID=""
	task=$(sed -n 's/.*"task":\([0-9]*\).*/\1/p' "$DEV_DIR/state.json")

	started=$SECONDS
	RESTARTED_MS=$(date +%s%3N)
	start_dev_node
	dev_back() { (($(dev_height best) > killed_at)); }
	wait_for "the node restarted from its database authored past #$killed_at" 120 dev_back
	mv "$DEV_DIR/agent/agent.log" "$DEV_DIR/agent/agent-before-kill.log"
	start_agent "$AGENT" "$AGENT_PORT" "$DEV_DIR/agent" "${profile[@]}" || fail "the agent did not restart"
	AGENT_PID=$agent_pid
	echo "  agent restarted $((SECONDS - started)) s after the node"
	rerun() { grep 'it runs again from the start' "$DEV_DIR/agent/agent.log" | grep -q "\"task\":$task"; }
	wait_for "the agent found task $task in its saved state and runs it again" 20 rerun
	flow finish || fail "the flow's finish phase failed (see above)"
	SUMMARY+=("4|passed|killed at #$killed_at; $(sed -n 's/^figures: //p' "$DEV_DIR/flow-finish.out")")
}

wants() { [[ " $CASES " == *" $1 "* ]]; }
if wants 1 || wants 2 || wants 3; then
	start_network
fi
for c in 1 2 3 4; do
	if wants "$c"; then
		"case_$c"
	fi
done
CASE=all
echo "fault suite passed"

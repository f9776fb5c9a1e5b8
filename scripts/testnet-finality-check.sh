#!/usr/bin/env bash
# The network test of DESIGN: four validators finalize; with one stopped, GRANDPA (which needs
# n - floor((n-1)/3) = 3 of 4 votes) still finalizes; restarted with its database, the stopped
# validator catches up. Prints the heights and seconds it saw; stops the network when done.
#
#   scripts/testnet-finality-check.sh          (VCITY_NODE / BASE_DIR as for local-testnet.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
export BASE_DIR="${BASE_DIR:-/tmp/vcity-finality-check}"
net=scripts/local-testnet.sh

rm -rf "$BASE_DIR"
trap '$net stop >/dev/null 2>&1 || true' EXIT

number() { # rpc port, "best" or "finalized"
	local port=$1 hash=""
	if [ "$2" = finalized ]; then
		hash=$(curl -s -m 5 -H 'Content-Type: application/json' \
			-d '{"id":1,"jsonrpc":"2.0","method":"chain_getFinalizedHead","params":[]}' "http://127.0.0.1:$port" |
			sed -n 's/.*"result":"\(0x[0-9a-f]*\)".*/\1/p')
		[ -n "$hash" ] || { echo -1; return; }
		hash="\"$hash\""
	fi
	local hex
	hex=$(curl -s -m 5 -H 'Content-Type: application/json' \
		-d "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"chain_getHeader\",\"params\":[$hash]}" "http://127.0.0.1:$port" |
		sed -n 's/.*"number":"\(0x[0-9a-f]*\)".*/\1/p')
	[ -n "$hex" ] && echo $((hex)) || echo -1
}

wait_for() { # description, timeout seconds, command...
	local what=$1 limit=$2 start=$SECONDS
	shift 2
	until "$@"; do
		if ((SECONDS - start > limit)); then
			echo "FAILED: $what within ${limit}s" >&2
			$net status >&2 || true
			exit 1
		fi
		sleep 2
	done
	echo "  $what: $((SECONDS - start)) s"
}

ALICE=9944
DAVE=9947
finalized_at_least() { (($(number "$1" finalized) >= $2)); }
best_at_least() { (($(number "$1" best) >= $2)); }

echo "1. four validators start and finalize"
$net start
wait_for "alice finalized block 3" 180 finalized_at_least $ALICE 3

echo "2. dave stops; the other three keep finalizing"
$net stop dave
f1=$(number $ALICE finalized)
wait_for "finality advanced 3 blocks past #$f1 without dave" 120 finalized_at_least $ALICE $((f1 + 3))

echo "3. dave restarts from its database and catches up"
target=$(number $ALICE finalized)
$net start dave
wait_for "dave imported block #$target" 180 best_at_least $DAVE "$target"
wait_for "dave finalized block #$target" 120 finalized_at_least $DAVE "$target"
echo "  alice: best #$(number $ALICE best), finalized #$(number $ALICE finalized); dave: best #$(number $DAVE best), finalized #$(number $DAVE finalized)"
echo "finality check passed"

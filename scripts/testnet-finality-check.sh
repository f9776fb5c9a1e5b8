#!/usr/bin/env bash
# The network test: four validators finalize; with one stopped, GRANDPA (which needs
# n - floor((n-1)/3) = 3 of 4 votes) still finalizes; restarted from its database, the stopped
# validator catches up. Prints the heights and seconds it saw, and stops the network however it
# ends. Uses ports 30333-30336 and 9944-9947 on loopback, so nothing else may hold them.
#
#   scripts/testnet-finality-check.sh     (VCITY_NODE as for local-testnet.sh)
#
# FINALIZED_AT_START (default 3) is the height all four must finalize first.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/rpc.sh
export BASE_DIR="${BASE_DIR:-/tmp/vcity-finality-check}"
FINALIZED_AT_START="${FINALIZED_AT_START:-3}"
net=scripts/local-testnet.sh

ALICE=9944
DAVE=9947

# A fresh network each run; refuse to wipe anything that does not look like ours.
case "$BASE_DIR" in
	"" | / | "$HOME") echo "refusing BASE_DIR=$BASE_DIR" >&2; exit 2 ;;
esac
"$net" stop >/dev/null 2>&1 || true
rm -rf "$BASE_DIR"
trap '"$net" stop >/dev/null 2>&1 || true' EXIT

at_least() { # port best|finalized height
	(($(block_height "$1" "$2") >= $3))
}

wait_for() { # description, timeout in seconds, command...
	local what=$1 limit=$2 start=$SECONDS
	shift 2
	until "$@"; do
		if ((SECONDS - start > limit)); then
			echo "FAILED: $what within ${limit}s" >&2
			"$net" status >&2 || true
			exit 1
		fi
		sleep 2
	done
	echo "  $what: $((SECONDS - start)) s"
}

figures() {
	echo "  alice best #$(block_height $ALICE best) finalized #$(block_height $ALICE finalized);" \
		"dave best #$(block_height $DAVE best) finalized #$(block_height $DAVE finalized)"
}

echo "1. four validators start and finalize"
"$net" start
wait_for "alice finalized #$FINALIZED_AT_START" 240 at_least $ALICE finalized "$FINALIZED_AT_START"
wait_for "dave finalized #$FINALIZED_AT_START" 60 at_least $DAVE finalized "$FINALIZED_AT_START"
figures

echo "2. dave stops; the other three keep finalizing"
"$net" stop dave
f_stop=$(block_height $ALICE finalized)
wait_for "alice finalized 3 blocks past #$f_stop without dave" 120 at_least $ALICE finalized $((f_stop + 3))
echo "  alice finalized #$(block_height $ALICE finalized) with three of four validators"

echo "3. dave restarts from its database and catches up"
target=$(block_height $ALICE finalized)
"$net" start dave
wait_for "dave imported #$target" 180 at_least $DAVE best "$target"
wait_for "dave finalized #$target" 120 at_least $DAVE finalized "$target"
# Caught up means level with alice now, not only with where she was at the restart.
dave_level_with_alice() { at_least $DAVE finalized $(($(block_height $ALICE finalized) - 1)); }
wait_for "dave finalized within one block of alice" 60 dave_level_with_alice
figures
echo "finality check passed"

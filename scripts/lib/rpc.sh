# Sourced by local-testnet.sh, testnet-finality-check.sh and fault-suite.sh: JSON-RPC to a node
# on loopback.

# rpc <port> <method> [params as JSON]: the node's answer, empty if it does not answer in 5 s.
rpc() {
	curl -s -m 5 -H 'Content-Type: application/json' \
		-d "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"$2\",\"params\":${3:-[]}}" "http://127.0.0.1:$1"
}

# block_height <port> best|finalized: the height of the best or of the finalized block, -1 while
# the node does not answer.
block_height() {
	local params='[]' hash hex
	if [ "$2" = finalized ]; then
		hash=$(rpc "$1" chain_getFinalizedHead | sed -n 's/.*"result":"\(0x[0-9a-f]*\)".*/\1/p')
		[ -n "$hash" ] || { echo -1; return; }
		params="[\"$hash\"]"
	fi
	hex=$(rpc "$1" chain_getHeader "$params" | sed -n 's/.*"number":"\(0x[0-9a-f]*\)".*/\1/p')
	[ -n "$hex" ] && echo $((hex)) || echo -1
}

# peer_count <port>: how many peers the node syncs with (system_health), -1 while it does not
# answer.
peer_count() {
	local peers
	peers=$(rpc "$1" system_health | sed -n 's/.*"peers":\([0-9]*\).*/\1/p')
	[ -n "$peers" ] && echo "$peers" || echo -1
}

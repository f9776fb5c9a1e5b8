# Sourced by dev-chain.sh and agent-overhead.sh: starts vcity-agent in the background, the way
# both run it, and waits until it answers.
#
#   start_agent <binary> <port> <data directory> [agent options...]
#
# The agent listens on 127.0.0.1:<port>, keeps its state and writes its secret in the data
# directory, and logs to <data directory>/agent.log. Sets `agent_pid`; fails if the agent has not
# written its secret and answered /healthz within 20 s.
start_agent() {
	local bin=$1 port=$2 dir=$3
	shift 3
	"$bin" --listen "127.0.0.1:$port" --data-dir "$dir" "$@" >"$dir/agent.log" 2>&1 &
	agent_pid=$!
	for _ in $(seq 1 100); do
		[ -s "$dir/secret" ] && curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && return 0
		sleep 0.2
	done
	echo "vcity-agent did not answer on 127.0.0.1:$port within 20 s; see $dir/agent.log" >&2
	return 1
}

#!/usr/bin/env bash
# Starts a development chain: one validator (Alice) that authors and finalizes blocks, with
# funded dev accounts, on a fresh temporary database. Extra arguments go to vcity-node.
#
#   scripts/dev-chain.sh              the chain alone
#   scripts/dev-chain.sh --chain dev-fast
#                                     the same binary on the chain whose day is a minute: watch
#                                     days, buyback rounds and rewards periods pass
#   scripts/dev-chain.sh --agent --chain dev-fast
#                                     both (--agent comes first)
#   scripts/dev-chain.sh --agent      the chain and a GPU agent registered as a node: the agent
#                                     starts (NVML if the host has NVIDIA GPUs, else the profile
#                                     in $VCITY_AGENT_PROFILE, two RTX 4090 by default), the node
#                                     bridges it, and scripts/register-agent-node.mjs registers
#                                     the node for //Eve with a fresh operator key that it puts
#                                     into the node's keystore (key type vcty). From then on the
#                                     node beats, schedules and runs tasks by itself.
#
# It builds the node and the agent exactly as the tests do (scripts/lib/build-env.sh: same
# features, profile and target directory), so after `scripts/test.sh` there is nothing left to
# compile. For a production build use `cargo build --release -p vcity-node -p vcity-agent`.
set -euo pipefail
cd "$(dirname "$0")/.."
with_agent=false
if [ "${1:-}" = "--agent" ]; then
	with_agent=true
	shift
fi
scripts/setup.sh
source scripts/lib/build-env.sh
vcity_build
bin="$CARGO_TARGET_DIR/debug"
if ! $with_agent; then
	exec "$bin/vcity-node" --dev --tmp "$@"
fi

agent_dir="$(mktemp -d -t vcity-agent.XXXXXX)"
agent_port="${VCITY_AGENT_PORT:-8790}"
rpc_port="${VCITY_RPC_PORT:-9944}"
profile_args=(--gpu-profile "${VCITY_AGENT_PROFILE:-agent/profiles/rtx4090x2.json}")
if command -v nvidia-smi >/dev/null && nvidia-smi -L >/dev/null 2>&1; then
	profile_args=()
fi
source scripts/lib/agent.sh
trap 'kill ${agent_pid:-} ${node_pid:-} 2>/dev/null || true' EXIT
start_agent "$bin/vcity-agent" "$agent_port" "$agent_dir" "${profile_args[@]}"
echo "dev-chain: agent on 127.0.0.1:$agent_port (log $agent_dir/agent.log)"
"$bin/vcity-node" --dev --tmp --rpc-port "$rpc_port" \
	--agent-url "http://127.0.0.1:$agent_port" --agent-secret-file "$agent_dir/secret" "$@" &
node_pid=$!
node scripts/register-agent-node.mjs --ws "ws://127.0.0.1:$rpc_port" \
	--agent "http://127.0.0.1:$agent_port" --secret-file "$agent_dir/secret"
wait $node_pid

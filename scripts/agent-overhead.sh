#!/usr/bin/env bash
# Measures what vcity-agent costs an idle GPU host: CPU time and resident memory of the agent
# process while the node's offchain worker reads it every block (GET /v1/status and
# GET /v1/tasks every 6 s) and Prometheus scrapes /metrics every 15 s.
#
#   scripts/agent-overhead.sh [seconds=300] [path/to/vcity-agent]
#
# Without NVIDIA GPUs it runs the agent on the simulated profile; the sampling loop is the same.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/agent.sh
duration="${1:-300}"
agent="${2:-${CARGO_TARGET_DIR:-$HOME/.cache/vcity/target}/release/vcity-agent}"
dir="$(mktemp -d -t vcity-agent-overhead.XXXXXX)"
port=18790
trap 'kill ${agent_pid:-} 2>/dev/null || true; rm -rf "$dir"' EXIT
start_agent "$agent" "$port" "$dir" --gpu-profile agent/profiles/rtx4090x2.json --log-format json
pid=$agent_pid
# The bearer header goes to curl in a file (in the 0700 temporary directory): as an argument the
# secret would show in `ps` to every local user. printf is a shell builtin, so writing it runs
# no process with the secret in its arguments either.
header="$dir/auth.header"
(umask 077 && printf 'Authorization: Bearer %s\n' "$(cat "$dir/secret")" >"$header")
ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
start_cpu=$(cpu)
start=$(date +%s)
peak=0
requests=0
while [ $(( $(date +%s) - start )) -lt "$duration" ]; do
	curl -fs -H "@$header" "http://127.0.0.1:$port/v1/status" >/dev/null
	curl -fs -H "@$header" "http://127.0.0.1:$port/v1/tasks" >/dev/null
	requests=$((requests + 2))
	if [ $(( ( $(date +%s) - start ) % 15 )) -lt 6 ]; then
		curl -fs "http://127.0.0.1:$port/metrics" >/dev/null
		requests=$((requests + 1))
	fi
	r=$(rss_kib)
	[ "$r" -gt "$peak" ] && peak=$r
	sleep 6
done
elapsed=$(( $(date +%s) - start ))
used=$(( $(cpu) - start_cpu ))
awk -v used="$used" -v ticks="$ticks" -v elapsed="$elapsed" -v peak="$peak" -v rss="$(rss_kib)" -v n="$requests" 'BEGIN {
	printf "agent overhead over %d s (%d requests): CPU %.2f s = %.3f%% of one core; RSS %.1f MiB now, %.1f MiB peak\n",
		elapsed, n, used / ticks, 100 * used / ticks / elapsed, rss / 1024, peak / 1024
}'

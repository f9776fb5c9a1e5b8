#!/usr/bin/env bash
# Keeps the shared target directory to what the last build used. Cargo never deletes anything:
# every feature set, every ad-hoc `cargo test -p …` and every change of a workspace crate's
# dependencies leaves a full set of artifacts behind, and on a CI machine whose target directory
# outlives the clones the directory grows until the disk is full (it reached 62 GB, incremental
# caches 24 GB of it, and a CI run failed with "No space left on device").
#
#   sweep-target.sh PROFILE_DIR MESSAGES...
#
# MESSAGES are the JSON messages (`--message-format=json…`) of the builds to keep: cargo reports
# every unit of a build in them, fresh or compiled, with the paths of its files, its build
# script's output directory and its executables. Every entry of PROFILE_DIR's deps/, build/ and
# .fingerprint/ whose unit hash none of them names is removed, and so is every incremental cache
# older than $VCITY_BUILD_STAMP (a file touched before the build) when it is set; entries
# without a hash are left alone.
set -euo pipefail
profile_dir="$(cd "$1" 2>/dev/null && pwd)" || exit 0
shift


keep="$(mktemp)"
trap 'rm -f "$keep"' EXIT
grep -ohE -- '-[0-9a-f]{16}' "$@" | sort -u >"$keep"
# Binaries are reported by their uplifted path (target/debug/vcity-node), which has no hash; the
# unit's own file in deps/ is a hard link to it and carries the hash.
grep -ohE -- "\"$profile_dir/[^/\"]+\"" "$@" | tr -d '"' | sort -u | while read -r uplifted; do
	[ -f "$uplifted" ] || continue
	find "$profile_dir/deps" -maxdepth 1 -samefile "$uplifted" -printf '%f\n'
done | grep -oE -- '-[0-9a-f]{16}' | sort -u >>"$keep" || true
if [ ! -s "$keep" ]; then
	echo "sweep-target: no unit named in $*; nothing removed" >&2
	exit 0
fi

before="$(du -sm "$profile_dir" | cut -f1)"
for sub in deps build .fingerprint; do
	[ -d "$profile_dir/$sub" ] || continue
	# "hash entry" for every entry named after a unit; the entries of units nobody kept.
	(cd "$profile_dir/$sub" && ls -A) |
		sed -nE 's/^([^ ]*(-[0-9a-f]{16})(\.[^ ]*)?)$/\2 \1/p' |
		awk -v keep="$keep" 'BEGIN { while ((getline h < keep) > 0) kept[h] = 1 } !($1 in kept) { print $2 }' |
		(cd "$profile_dir/$sub" && xargs -r -d '\n' rm -rf --)
done
# rustc names incremental caches by its own crate hash, not cargo's: a cache the build did not
# write to (its directory's time is older than the build) belongs to a unit not rebuilt, and a
# unit not rebuilt needs no incremental cache until it changes, when it compiles afresh once.
if [ -n "${VCITY_BUILD_STAMP:-}" ] && [ -d "$profile_dir/incremental" ]; then
	find "$profile_dir/incremental" -mindepth 1 -maxdepth 1 ! -newer "$VCITY_BUILD_STAMP" -exec rm -rf {} +
fi
after="$(du -sm "$profile_dir" | cut -f1)"
echo "sweep-target: $profile_dir ${before} MB -> ${after} MB (units kept: $(wc -l <"$keep"))"

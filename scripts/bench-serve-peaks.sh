#!/usr/bin/env bash
# The peak memory (VmHWM) of `iisg serve` after each page, each page on a fresh server so
# that no page's peak hides behind another's, and how long the page took (issue 19):
#   scripts/bench-serve-peaks.sh PLAN [PATH...]
#   BIN=target/release/iisg scripts/bench-serve-peaks.sh /tmp/perf/plan-100000-findings
# PLAN is a plan folder (with data/) such as scripts/generate.py makes; the paths default
# to the pages that hold the most.
set -euo pipefail
bin=${BIN:-target/release/iisg}
plan=${1:?usage: scripts/bench-serve-peaks.sh PLAN [PATH...]}
shift
paths=("$@")
[ ${#paths[@]} -gt 0 ] || paths=(/findings /api/findings /api/actions /report/overdue /report/timeline /partners)
work=$(mktemp -d)
server=
stop() { if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi; server=; }
trap 'stop; rm -rf "$work"' EXIT
hwm() { awk '/^VmHWM/ { print int($2 / 1000) }' "/proc/$server/status"; }
printf '%-22s %10s %10s %8s %12s\n' page 'start MB' 'after MB' seconds bytes
for path in "${paths[@]}"; do
  "$bin" --data "$plan/data" serve --bind 127.0.0.1:0 >"$work/out" 2>"$work/err" &
  server=$!
  for _ in $(seq 1200); do grep -q '^serving ' "$work/out" && break; sleep 0.05; done
  port=$(sed -n 's|^serving .* at http://127.0.0.1:\([0-9]*\)/$|\1|p' "$work/out")
  [ -n "$port" ] || { cat "$work/err" >&2; exit 2; }
  start=$(hwm)
  took=$(curl -s -o "$work/page" -w '%{time_total}' "http://127.0.0.1:$port$path")
  printf '%-22s %10s %10s %8s %12s\n' "$path" "$start" "$(hwm)" "$took" "$(wc -c <"$work/page")"
  stop
done

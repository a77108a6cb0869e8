#!/usr/bin/env bash
# Times the real binary at scale: generates plans of 1,000, 10,000 and 100,000 actions in the
# shipped schema (scripts/generate.py, fixed seed) and runs `iisg validate` and
# `iisg list --status completed` on each under /usr/bin/time -v, reporting wall seconds and
# peak memory, beside PyYAML reading the same files (scripts/baseline.py) where it is
# installed; then `iisg list` on the 28 shipped actions (median of 21 runs).
#   scripts/bench.sh [SIZES…]     e.g. scripts/bench.sh 10000
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
work=${BENCH_DIR:-target/bench}
mkdir -p "$work"
cargo build --release --locked --quiet
bin=target/release/iisg

measure() { # label, then the command
  local label=$1; shift
  local out log
  log=$(mktemp)
  /usr/bin/time -v -o "$log" "$@" >/dev/null 2>&1 || true
  out=$(cat "$log"); rm -f "$log"
  local wall rss
  wall=$(printf '%s\n' "$out" | awk -F': ' '/Elapsed \(wall clock\)/ {print $2}')
  rss=$(printf '%s\n' "$out" | awk -F': ' '/Maximum resident set size/ {print $2}')
  printf '%-34s %10s s %8d MB\n' "$label" "${wall#0:}" $((rss / 1024))
}

printf '%-34s %12s %11s\n' "command" "wall" "peak"
for n in "${sizes[@]}"; do
  plan="$work/plan-$n"
  [ -d "$plan/data/actions" ] || python3 scripts/generate.py "$n" "$plan"
  "$bin" --data "$plan/data" validate >/dev/null || true   # warm the page cache
  measure "validate, $n actions" "$bin" --data "$plan/data" validate
  measure "list --status completed, $n" "$bin" --data "$plan/data" list --status completed
  if python3 -c 'import yaml' 2>/dev/null; then
    measure "  PyYAML (C) load, for comparison" python3 scripts/baseline.py "$plan/data"
  fi
done

python3 - "$bin" <<'PY'
import statistics, subprocess, sys, time
runs = []
for _ in range(21):
    start = time.perf_counter()
    subprocess.run([sys.argv[1], "--data", "data", "list"], stdout=subprocess.DEVNULL, check=True)
    runs.append(time.perf_counter() - start)
print("%-34s %10.1f ms (median of 21)" % ("list, the 28 shipped actions", statistics.median(runs) * 1000))
PY

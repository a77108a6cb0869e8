#!/usr/bin/env bash
# Times the real binary at scale: generates plans of 1,000, 10,000 and 100,000 actions in the
# shipped schema (scripts/generate.py, fixed seed) and runs `iisg validate` and
# `iisg list --status completed` on each under /usr/bin/time -v, reporting wall seconds and
# peak memory (the median wall time and the largest peak of RUNS runs, default 3), beside
# grep and PyYAML doing part of the same work on the same files (scripts/baseline.py, where
# PyYAML is installed), and beside the floors of examples/floor.rs: reading every action
# file without parsing, and parsing every one with serde-saphyr on two threads. At 100,000
# it times report and every export format (xlsx and docx with `-o`) too, and validate,
# report (every kind), the exports and serve's heaviest pages (scripts/bench-serve-peaks.sh)
# on a second plan (`generate.py --findings`, 72,421 warnings). Then
# `iisg list` on the 28 shipped actions and `iisg --version` (the process floor), medians of
# 41 runs taken in turn, their ratio, and serde-saphyr's parse of the files list reads.
#   scripts/bench.sh [SIZES…]     e.g. scripts/bench.sh 10000;  RUNS=5 scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
work=${BENCH_DIR:-target/bench}
mkdir -p "$work"
cargo build --release --locked --quiet --bin iisg --example floor
bin=${CARGO_TARGET_DIR:-target}/release/iisg
floor=${CARGO_TARGET_DIR:-target}/release/examples/floor

runs=${RUNS:-3}

measure() { # label, then the command; the median wall time and the largest peak of $runs runs
  local label=$1; shift
  local log walls=() peak=0
  log=$(mktemp)
  for _ in $(seq "$runs"); do
    /usr/bin/time -v -o "$log" "$@" >/dev/null 2>&1 || true
    walls+=("$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); print p[n] + 60 * p[n-1]}' "$log")")
    local rss
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    [ "$rss" -gt "$peak" ] && peak=$rss
  done
  rm -f "$log"
  local median
  median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
  printf '%-36s %8.2f s %8d MB\n' "$label" "$median" $((peak / 1024))
}

exports() { # label, plan folder: every export format, the zips written to files in $work
  local f
  for f in json html markdown csv ics; do
    measure "export --format $f, $1" "$bin" --data "$2" export --format "$f"
  done
  measure "export --format iati, $1" "$bin" --data "$2" export --format iati --reporting-org XM-DAC-1
  for f in xlsx docx; do
    measure "export --format $f -o, $1" "$bin" --data "$2" export --format "$f" -o "$work/export.$f"
  done
  rm -f "$work/export.xlsx" "$work/export.docx"
}

reports() { # label, plan folder: every report, as the table the terminal shows
  local r
  for r in by-partner by-status by-financing by-location timeline coverage overlaps overdue results; do
    measure "report --$r, $1" "$bin" --data "$2" report "--$r"
  done
  measure "report --overdue --format csv, $1" "$bin" --data "$2" report --overdue --format csv
}

printf '%-36s %10s %11s   (median of %d runs)\n' "command" "wall" "peak" "$runs"
for n in "${sizes[@]}"; do
  plan="$work/plan-$n"
  [ -d "$plan/data/actions" ] || python3 scripts/generate.py "$n" "$plan"
  "$bin" --data "$plan/data" validate >/dev/null || true   # warm the page cache
  measure "validate, $n actions" "$bin" --data "$plan/data" validate
  measure "list --status completed, $n" "$bin" --data "$plan/data" list --status completed
  measure "  grep -l, for comparison" grep -rl '^status: completed' "$plan/data/actions"
  measure "  reading the files (floor)" "$floor" read "$plan/data"
  measure "  serde-saphyr parse, 2 threads (floor)" "$floor" parse "$plan/data"
  if [ "$n" -ge 100000 ]; then
    measure "report, $n" "$bin" --data "$plan/data" report
    exports "$n" "$plan/data"
    many="$work/plan-$n-findings"
    [ -d "$many/data/actions" ] || python3 scripts/generate.py "$n" "$many" --findings
    "$bin" --data "$many/data" validate >/dev/null || true
    measure "validate, $n, 72% overdue" "$bin" --data "$many/data" validate
    measure "validate --format json, same" "$bin" --data "$many/data" validate --format json
    measure "report, same" "$bin" --data "$many/data" report
    reports same "$many/data"
    exports same "$many/data"
    measure "  serde-saphyr parse, 2 threads (floor)" "$floor" parse "$many/data"
    # serve's peak after each of its heaviest pages, each on a fresh server.
    command -v curl >/dev/null && BIN=$bin scripts/bench-serve-peaks.sh "$many"
  fi
  if python3 -c 'import yaml' 2>/dev/null; then
    measure "  PyYAML (C) load, for comparison" python3 scripts/baseline.py "$plan/data"
  fi
done

# Taken in turn, run for run, so that a machine that slows down or speeds up during the
# minute slows both alike and the ratio holds. Beside them, what list cannot do without:
# serde-saphyr parsing the 51 files it reads into nothing, one after another, timed inside
# examples/floor.rs (the files read first).
python3 - "$bin" "$floor" <<'PY'
import statistics, subprocess, sys, time
cases = {"list": [sys.argv[1], "--data", "data", "list"], "version": [sys.argv[1], "--version"]}
runs = {name: [] for name in cases}
parses = []
for _ in range(41):
    for name, args in cases.items():
        start = time.perf_counter()
        subprocess.run(args, stdout=subprocess.DEVNULL, check=True)
        runs[name].append(time.perf_counter() - start)
    said = subprocess.run([sys.argv[2], "start-up", "data"], capture_output=True, text=True, check=True)
    parses.append(int(said.stdout.split("parsed in ")[1].split()[0]) / 1e6)
list_ms, version_ms = (statistics.median(runs[n]) * 1000 for n in ("list", "version"))
parse_ms = statistics.median(parses) * 1000
print("%-34s %10.1f ms (median of 41, in turn)" % ("list, the 28 shipped actions", list_ms))
print("%-34s %10.1f ms (median of 41, in turn)" % ("  iisg --version (process floor)", version_ms))
print("%-34s %10.1f ms (median of 41, in the same turns)" % ("  serde-saphyr, its 51 files", parse_ms))
print("%-34s %10.2fx" % ("  list / --version", list_ms / version_ms))
print("%-34s %10.2fx" % ("  (--version + parse) / --version", (version_ms + parse_ms) / version_ms))
PY

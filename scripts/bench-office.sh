#!/usr/bin/env bash
# Times the office formats of the release binary, each with its peak memory (the largest
# resident set of the process, from wait4):
# - `export --format docx` and `--format xlsx` of the shipped plan (median of RUNS runs,
#   default 21; the issue's target: 100 ms);
# - the same of a generated plan of LARGE actions (default 10,000; median of 3 runs;
#   target: 3 s and 200 MB);
# - `import --update --dry-run` of that plan's own docx and xlsx: every row read, checked
#   and found unchanged (target: 3 s).
#   scripts/bench-office.sh;  RUNS=51 LARGE=20000 scripts/bench-office.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
bin=${CARGO_TARGET_DIR:-$PWD/target}/release/iisg
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r data "$work/data"
large=${LARGE:-10000}
python3 scripts/generate.py "$large" "$work/large" >/dev/null

python3 - "$bin" "$work" "${RUNS:-21}" "$large" <<'PY'
import os, statistics, subprocess, sys, time

bin, work, runs, large = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
out = os.path.join(work, "out")
os.makedirs(out)

def run(args, cwd):
    """Seconds and peak resident megabytes of one run."""
    start = time.perf_counter()
    child = subprocess.Popen([bin, *args], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"iisg {' '.join(args)} exited {code}: {err.decode()[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024

def bench(name, args, cwd, n):
    results = [run(args, cwd) for _ in range(n)]
    seconds = statistics.median(r[0] for r in results)
    megabytes = max(r[1] for r in results)
    shown = f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"
    print(f"| {name} | {shown} | {megabytes:.0f} MB |")

shipped, generated = work, os.path.join(work, "large")
print("| command | median | peak memory |")
print("| --- | --- | --- |")
for fmt in ("docx", "xlsx"):
    bench(f"`export --format {fmt}` (28 actions)",
          ["export", "--format", fmt, "-o", f"{out}/plan.{fmt}"], shipped, runs)
for fmt in ("docx", "xlsx"):
    bench(f"`export --format {fmt}` ({large} actions)",
          ["export", "--format", fmt, "-o", f"{out}/large.{fmt}"], generated, 3)
for fmt in ("docx", "xlsx"):
    bench(f"`import --update --dry-run` ({large}-row {fmt})",
          ["import", "--update", "--dry-run", f"{out}/large.{fmt}"], generated, 3)
size = os.path.getsize(f"{out}/large.docx") / 1e6
print(f"\nThe {large}-action docx is {size:.1f} MB.")
PY

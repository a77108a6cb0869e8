#!/usr/bin/env bash
# Times the routine commands of the release binary on a copy of the shipped plan: each a
# median of RUNS runs (default 21), beside `iisg --version` (the process floor). Writing
# commands run in pairs that undo each other (a status set and set back, a partner added
# and removed, a code renamed and renamed back), so every run sees the same plan.
# With LARGE=N, `partner rename` is also timed on a generated plan of N actions, every one
# naming the code (the issue's target: 10,000 under 2 s).
#   scripts/bench-routine.sh;  RUNS=51 LARGE=10000 scripts/bench-routine.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
bin=$PWD/target/release/iisg
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r data "$work/data"
if [ -n "${LARGE:-}" ]; then
  python3 scripts/generate.py "$LARGE" "$work/large" >/dev/null
  sed -i 's/^lead: \[.*\]/lead: [DCAF]/' "$work/large/data/actions/"*.yaml
fi

python3 - "$bin" "$work" "${RUNS:-21}" "${LARGE:-}" <<'PY'
import statistics, subprocess, sys, time

bin, work, runs, large = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]

def run(args, cwd):
    start = time.perf_counter()
    done = subprocess.run([bin, *args], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"iisg {' '.join(args)} exited {done.returncode}: {done.stderr.decode()}")
    return elapsed

def bench(name, steps, cwd=work, n=runs):
    """The median over n runs of each step (a step list that undoes itself)."""
    times = []
    for _ in range(n):
        for step in steps:
            times.append(run(step, cwd))
    ms = statistics.median(times) * 1000
    print(f"| `{name}` | {ms:.1f} ms |")

print("| command | median |")
print("| --- | --- |")
bench("iisg --version", [["--version"]])
bench("list", [["list"]])
bench("list --status completed --lead DCAF", [["list", "--status", "completed", "--lead", "DCAF"]])
bench("show 4", [["show", "4"]])
bench("validate", [["validate"]])
bench("report --by-partner", [["report", "--by-partner"]])
bench("partner list", [["partner", "list"]])
bench("plan show", [["plan", "show"]])
bench("edit 4 --status …", [["edit", "4", "--status", "in progress"], ["edit", "4", "--status", "planned"]])
bench("plan set --as-of …", [["plan", "set", "--as-of", "2019-03-01"], ["plan", "set", "--as-of", "2019-02-26"]])
bench("partner add / remove", [["partner", "add", "CTN", "--name", "Counter-Trafficking Network"], ["partner", "remove", "CTN"]])
bench("partner rename (15 actions)", [["partner", "rename", "DCAF", "DCAF-LJ"], ["partner", "rename", "DCAF-LJ", "DCAF"]])
if large:
    bench(f"partner rename ({large} actions)",
          [["partner", "rename", "DCAF", "DCAF-LJ"], ["partner", "rename", "DCAF-LJ", "DCAF"]],
          cwd=f"{work}/large", n=max(1, min(runs, 3)))
PY

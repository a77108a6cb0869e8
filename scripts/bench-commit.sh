#!/usr/bin/env bash
# Times one big commit of the release binary: a plan of N actions (default 10,000) that all
# name one partner (scripts/generate.py --partner SELEC), and the change a rename of that
# partner makes: every action file rewritten and partners.yaml too, N + 1 files in one
# transaction. Until `iisg partner rename` exists, `import --update --add-missing` of the
# plan's own table with SELEC written as a new partner makes the same change (N action
# files and partners.yaml, each a `Change::Replace`).
#
# Each run gets a copy of the plan of its own, all made (and synced to disk) before the
# first run and removed after the last: a plan at rest is not dirty in the page cache, and
# on ext4 without a journal (this project's machines) a new inode is never one freed in the
# last 60 s (6 minutes while its inode table block is dirty): the allocator reads past each
# of them, so a commit made just after a copy of 10,000 files was removed stages several
# times slower (recently_deleted() in perf). Prints the medians of RUNS runs (default 5) of
# the whole command, of its `--dry-run` (the same work without the commit, run just before
# on the same copy), and of their difference in each run: what the commit costs. With
# BASE="path/to/iisg …", those binaries are timed in the same runs, interleaved, for a
# before/after comparison.
#   scripts/bench-commit.sh;  N=1000 RUNS=9 BASE=/tmp/iisg-old scripts/bench-commit.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
bin=${CARGO_TARGET_DIR:-$PWD/target}/release/iisg
n=${N:-10000}
runs=${RUNS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 scripts/generate.py "$n" "$work/plan" --partner SELEC
"$bin" --data "$work/plan/data" export --format csv -o "$work/plan.csv" >/dev/null
# The same table with SELEC as a partner no registry knows yet.
python3 scripts/rename-table.py "$work/plan.csv" "$work/renamed.csv" SELEC "Renamed Partner"

bins=("$bin")
# shellcheck disable=SC2206 # BASE is a list of paths
[ -n "${BASE:-}" ] && bins+=($BASE)

# shellcheck source=scripts/timing.sh
source scripts/timing.sh

for r in $(seq "$runs"); do
  for k in "${!bins[@]}"; do cp -r "$work/plan" "$work/run-$r-$k"; done
done
sync -f "$work"

declare -A whole dry commit
for r in $(seq "$runs"); do
  for k in "${!bins[@]}"; do
    b=${bins[$k]} data=$work/run-$r-$k/data
    d=$(time_one "$b" --data "$data" import --update --add-missing --dry-run "$work/renamed.csv")
    dry[$b]+="$d "
    w=$(time_one "$b" --data "$data" import --update --add-missing "$work/renamed.csv")
    whole[$b]+="$w "
    commit[$b]+="$(awk -v w="$w" -v d="$d" 'BEGIN { printf "%.4f", w - d }') "
  done
done
for r in $(seq "$runs"); do
  for k in "${!bins[@]}"; do
    changed=$( (diff -rq "$work/plan/data" "$work/run-$r-$k/data" || true) | wc -l)
    [ "$changed" -eq $((n + 1)) ] || { echo "${bins[$k]}: $changed files changed, not $((n + 1))"; exit 1; }
  done
done

printf '%-44s %12s %12s %12s   (%d files, median of %d runs)\n' \
  "binary" "import" "--dry-run" "commit" $((n + 1)) "$runs"
for b in "${bins[@]}"; do
  w=$(printf '%s\n' ${whole[$b]} | median)
  d=$(printf '%s\n' ${dry[$b]} | median)
  c=$(printf '%s\n' ${commit[$b]} | median)
  awk -v b="$b" -v w="$w" -v d="$d" -v c="$c" \
    'BEGIN { printf "%-44s %10.2f s %10.2f s %10.2f s\n", b, w, d, c }'
done

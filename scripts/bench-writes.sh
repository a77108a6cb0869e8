#!/usr/bin/env bash
# Times the writing commands of the release binary: `import` of a 1,000-row table into the
# shipped plan (a fresh copy each run) and a one-field `edit` of the shipped plan; medians
# of RUNS runs (default 11). With a second binary (BASE=path/to/iisg) both are timed in the
# same run, interleaved, for a before/after comparison.
#   scripts/bench-writes.sh;  BASE=/tmp/iisg-old RUNS=21 scripts/bench-writes.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
bin=${CARGO_TARGET_DIR:-$PWD/target}/release/iisg
runs=${RUNS:-11}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1,000 new rows: the document's 28 rows again and again, ids left for import to assign.
python3 - tests/fixtures/list-of-actions.tsv "$work/rows.tsv" <<'PY'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
header, body = lines[0], lines[1:]
with open(sys.argv[2], "w", encoding="utf-8") as out:
    out.write(header + "\n")
    for n in range(1000):
        cells = body[n % len(body)].split("\t")
        cells[0] = ""
        cells[1] = f"{cells[1]} ({n})"
        out.write("\t".join(cells) + "\n")
PY

bins=("$bin")
[ -n "${BASE:-}" ] && bins+=("$BASE")

# shellcheck source=scripts/timing.sh
source scripts/timing.sh

declare -A imports edits
for _ in $(seq "$runs"); do
  for b in "${bins[@]}"; do
    rm -rf "$work/plan" && mkdir -p "$work/plan" && cp -r data "$work/plan/data"
    imports[$b]+="$(time_one "$b" --data "$work/plan/data" import "$work/rows.tsv") "
    rm -rf "$work/plan" && mkdir -p "$work/plan" && cp -r data "$work/plan/data"
    status=completed
    edits[$b]+="$(time_one "$b" --data "$work/plan/data" edit 4 --status "$status") "
  done
done

printf '%-44s %12s %12s   (median of %d runs)\n' "binary" "import 1000" "edit 1 field" "$runs"
for b in "${bins[@]}"; do
  i=$(printf '%s\n' ${imports[$b]} | median)
  e=$(printf '%s\n' ${edits[$b]} | median)
  awk -v b="$b" -v i="$i" -v e="$e" 'BEGIN { printf "%-44s %10.1f ms %10.1f ms\n", b, i * 1000, e * 1000 }'
done

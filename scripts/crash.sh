#!/usr/bin/env bash
# Kills the release binary's writing commands with `kill -9` (or Ctrl-C's SIGINT) at random
# instants, KILLS times each (default 200), and after each kill runs another command: the
# plan must hold all of the change or none, validate must be clean, and no action may exist
# twice. The same for a large change, synced at once: a plan of LARGE actions (default
# 1,000) that all name one partner, and the change its rename makes (every action and
# partners.yaml, through `import --update --add-missing`), killed LARGE_KILLS times (default
# 40) at instants spread over the time its commit takes (after the time its --dry-run
# takes). Then fills a small tmpfs in the middle of
# an import (as root): the plan must be as before, or the message must name each file that
# differs.
#   scripts/crash.sh;  KILLS=500 SIGNAL=INT scripts/crash.sh;  LARGE=10000 scripts/crash.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
bin=${CARGO_TARGET_DIR:-$PWD/target}/release/iisg
kills=${KILLS:-200}
large=${LARGE:-1000}
signal=${SIGNAL:-KILL}
work=$(mktemp -d)
trap 'umount "$work/small" 2>/dev/null || true; rm -rf "$work"' EXIT

python3 - tests/fixtures/list-of-actions.tsv "$work" <<'PY'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
with open(f"{sys.argv[2]}/new.tsv", "w", encoding="utf-8") as out:
    out.write(lines[0] + "\n")
    for line in lines[1:]:
        cells = line.split("\t")
        cells[0] = ""
        cells[1] += " (again)"
        out.write("\t".join(cells) + "\n")
with open(f"{sys.argv[2]}/update.tsv", "w", encoding="utf-8") as out:
    out.write(lines[0] + "\n")
    for line in lines[1:]:
        cells = line.split("\t")
        cells[5] = "Scope rewritten by the import"
        out.write("\t".join(cells) + "\n")
PY
python3 scripts/generate.py "$large" "$work/large" --partner SELEC
"$bin" --data "$work/large/data" export --format csv -o "$work/large.csv" >/dev/null
python3 scripts/rename-table.py "$work/large.csv" "$work/renamed.csv" SELEC "Renamed Partner"

# The plan as a reader sees it: every visible file below data/, and its checksum.
state() { (cd "$1" && find . -path '*/.*' -prune -o -type f -print0 | sort -z | xargs -0 md5sum); }

fresh() { # a copy of the plan that case $1 changes
  rm -rf "$work/plan" && mkdir -p "$work/plan"
  if [ "$1" = "large rename" ]; then cp -r "$work/large/data" "$work/plan/data"; else cp -r data "$work/plan/data"; fi
}

declare -a names=("import" "import --update" "renumber" "add-action" "init" "large rename")
run_case() { # the command of case $1, in $work/plan
  case $1 in
    "import") "$bin" --data "$work/plan/data" import "$work/new.tsv" ;;
    "import --update") "$bin" --data "$work/plan/data" import --update "$work/update.tsv" ;;
    "renumber") "$bin" --data "$work/plan/data" renumber 28 --to 40 ;;
    "add-action") "$bin" --data "$work/plan/data" add-action --title "Crash course" --lead DCAF --timeline 2019 ;;
    "init") rm -rf "$work/plan/data" && cd "$work/plan" && "$bin" init --example . ;;
    "large rename") "$bin" --data "$work/plan/data" import --update --add-missing "$work/renamed.csv" ;;
  esac
}

for name in "${names[@]}"; do
  fresh "$name"; [ "$name" = init ] && rm -rf "$work/plan/data"
  state "$work/plan/data" >"$work/before" 2>/dev/null || : >"$work/before"
  fresh "$name"
  start=$(date +%s%N)
  [ "$name" = "large rename" ] && "$bin" --data "$work/plan/data" import --update --add-missing --dry-run "$work/renamed.csv" >/dev/null 2>&1
  dry=$(( ($(date +%s%N) - start) / 1000000 ))
  (run_case "$name") >/dev/null 2>&1
  took=$(( ($(date +%s%N) - start) / 1000000 - dry ))
  # Kills up to 60 ms in (about the time these commands take on the shipped plan), or, for
  # the large change, while it commits: after the time its --dry-run took, up to the time
  # it took undisturbed.
  from=0 window=60 times=$kills
  [ "$name" = "large rename" ] && from=$dry window=$((took - dry)) times=${LARGE_KILLS:-40}
  state "$work/plan/data" >"$work/after"
  whole=0 none=0
  for i in $(seq "$times"); do
    fresh "$name"
    ( run_case "$name" >/dev/null 2>&1 ) &
    pid=$!
    sleep "$(awk -v r="$RANDOM" -v f="$from" -v w="$window" 'BEGIN { printf "%.4f", (f + r / 32767 * w) / 1000 }')"
    pkill -"$signal" -P "$pid" 2>/dev/null || true
    kill -"$signal" "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    if [ "$name" = init ] && [ ! -e "$work/plan/data/plan.yaml" ]; then
      now=$(state "$work/plan/data" 2>/dev/null || true)
      [ -z "$now" ] || { echo "init, kill $i: a half-made plan"; exit 1; }
      none=$((none + 1)); continue
    fi
    "$bin" --data "$work/plan/data" validate >"$work/validate" 2>&1 || {
      echo "$name, kill $i: validate failed"; cat "$work/validate"; exit 1; }
    state "$work/plan/data" >"$work/now"
    if cmp -s "$work/now" "$work/before"; then none=$((none + 1))
    elif cmp -s "$work/now" "$work/after"; then whole=$((whole + 1))
    else echo "$name, kill $i: part of the change"; diff "$work/before" "$work/now" | head; exit 1
    fi
  done
  printf '%-18s %4d kills (SIG%s): %4d none, %4d whole, 0 partial\n' "$name" "$times" "$signal" "$none" "$whole"
done

if [ "$(id -u)" = 0 ]; then
  # A disk that fills up: a small tmpfs holding the plan, filled but for a few KiB (the
  # 28 rewritten files take a 4 KiB page each).
  for fill in 8 32 64 96 128 160 192 224 256; do
    mkdir -p "$work/small" && mount -t tmpfs -o size=1m tmpfs "$work/small"
    cp -r data "$work/small/data"
    state "$work/small/data" >"$work/before"
    free=$(df --output=avail -k "$work/small" | tail -1)
    head -c $(( (free - fill) * 1024 )) /dev/zero >"$work/small/filler" 2>/dev/null || true
    set +e
    "$bin" --data "$work/small/data" import --update "$work/update.tsv" >/dev/null 2>"$work/err"
    code=$?
    set -e
    rm -f "$work/small/filler"
    state "$work/small/data" >"$work/now"
    if [ $code -eq 0 ]; then result="written whole"
    elif cmp -s "$work/now" "$work/before"; then result="refused, plan as before"
    elif grep -q "old contents are in" "$work/err"; then result="refused, files named"
    else echo "full disk ($fill KiB free): plan changed without a word"; cat "$work/err"; exit 1
    fi
    "$bin" --data "$work/small/data" validate >/dev/null 2>&1 || { echo "full disk: validate"; exit 1; }
    printf 'full tmpfs, %2d KiB free: exit %d, %s\n' "$fill" "$code" "$result"
    umount "$work/small"
  done
else
  echo "(not root: the full-tmpfs check needs mount)"
fi

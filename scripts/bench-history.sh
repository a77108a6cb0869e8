#!/usr/bin/env bash
# Times the history commands on a generated repository: COMMITS commits (default 5,000) after
# one that holds the shipped plan, each changing one action or adding one (actions drawn as
# scripts/generate.py draws them, fixed seed), built in one `git fast-import`. Action 4 is
# changed by every 50th commit, action 7 by none after the first. Then, on the release
# binary, the median wall time and the largest peak memory of RUNS runs (default 5) under
# /usr/bin/time, beside git doing the nearest thing:
#   log 7      vs  git log -p -- its file          (a record few commits touched)
#   log 4      vs  git log -p -- its file          (one every 50th commit touched)
#   changes --since FIRST [--until HEAD]  vs  git diff --stat FIRST HEAD
#   scripts/bench-history.sh;  COMMITS=2000 RUNS=9 scripts/bench-history.sh
set -euo pipefail
cd "$(dirname "$0")/.."
commits=${COMMITS:-5000}
runs=${RUNS:-5}
work=${BENCH_DIR:-target/bench}/history-$commits
cargo build --release --locked --quiet
target=${CARGO_TARGET_DIR:-target}
case $target in /*) ;; *) target=$PWD/$target ;; esac
bin=$target/release/iisg

if [ ! -d "$work/.git" ]; then
  rm -rf "$work"
  mkdir -p "$work"
  git -C "$work" init -q -b main
  python3 - "$commits" <<'PY' | git -C "$work" fast-import --quiet
import os, random, sys
sys.path.insert(0, "scripts")
import generate

commits = int(sys.argv[1])
rng = random.Random(2019)
out = sys.stdout.buffer
when = 1550000000

def commit(n, message, files):
    global when
    when += 600
    out.write(b"commit refs/heads/main\n")
    out.write(b"author Bench <bench@example.org> %d +0000\n" % when)
    out.write(b"committer Bench <bench@example.org> %d +0000\n" % when)
    body = message.encode()
    out.write(b"data %d\n%s\n" % (len(body), body))
    if n == 0:
        out.write(b"deleteall\n")
    for path, text in files:
        data = text.encode()
        out.write(b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(data), data))

# The shipped plan, its actions kept as they are.
files = []
for folder, _, names in os.walk("data"):
    for name in sorted(names):
        path = os.path.join(folder, name)
        with open(path, encoding="utf-8") as f:
            files.append((path, f.read()))
commit(0, "Ship the plan", files)

actions = {}  # id -> (path, text) of the generated actions and of action 4
for path, text in files:
    if path.startswith("data/actions/004-"):
        actions[4] = (path, text)
next_id = 29
statuses = ["planned", "in-progress", "completed", "postponed", "cancelled"]
for n in range(1, commits):
    if n % 50 == 0:
        i = 4
    elif rng.random() < 0.5 or len(actions) < 2:
        i = next_id
        next_id += 1
        actions[i] = ("data/actions/%06d-generated-%d.yaml" % (i, i), generate.action(i, rng))
        commit(n, "Add action %d" % i, [actions[i]])
        continue
    else:
        i = rng.choice([k for k in list(actions)[-200:] if k != 4])
    path, text = actions[i]
    lines = text.splitlines()
    for k, line in enumerate(lines):
        if line.startswith("status: ") or line.startswith("scope: "):
            key = line.split(":")[0]
            lines[k] = "status: %s" % rng.choice(statuses) if key == "status" else "scope: Border police, round %d" % n
            break
    text = "\n".join(lines) + "\n"
    actions[i] = (path, text)
    commit(n, "Change action %d" % i, [(path, text)])
PY
  git -C "$work" reset -q --hard main
  git -C "$work" gc -q
fi

first=$(git -C "$work" rev-list --max-parents=0 HEAD)
file4=$(cd "$work" && ls data/actions/004-*)
file7=$(cd "$work" && ls data/actions/007-*)

measure() { # label, then the command: the median wall time and the largest peak of $runs runs
  local label=$1; shift
  local walls=() peak=0 out
  for _ in $(seq "$runs"); do
    out=$( (cd "$work" && /usr/bin/time -f '%e %M' "$@" 2>&1 >/dev/null) | tail -1)
    walls+=("${out% *}")
    [ "${out#* }" -gt "$peak" ] && peak=${out#* }
  done
  local median
  median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
  printf '%-46s %7.2f s %6d MB\n' "$label" "$median" $((peak / 1024))
}

printf '%s commits; %-27s %9s %9s   (median of %d runs)\n' \
  "$(git -C "$work" rev-list --count HEAD)" "command" "wall" "peak" "$runs"
measure "iisg log 7 (1 commit touched it)" "$bin" log 7
measure "  git log -p -- $file7" git log -p -- "$file7"
measure "iisg log 4 ($(git -C "$work" rev-list --count HEAD -- "$file4") commits touched it)" "$bin" log 4
measure "  git log -p -- $file4" git log -p -- "$file4"
measure "iisg changes --since FIRST" "$bin" changes --since "$first"
measure "iisg changes --since FIRST --until HEAD" "$bin" changes --since "$first" --until HEAD
measure "  git diff --stat FIRST HEAD" git diff --stat "$first" HEAD
measure "iisg changes --since HEAD~1" "$bin" changes --since HEAD~1

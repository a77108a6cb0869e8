# Helpers of the benchmark scripts (bench-writes.sh, bench-commit.sh), sourced.

time_one() { # prints seconds for one run of the command in "$@"; fails, with its stderr, if it does
  python3 - "$@" <<'PY'
import subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
elapsed = time.perf_counter() - start
if done.returncode != 0:
    sys.exit(f"{sys.argv[1:]} exited {done.returncode}: {done.stderr.decode()[-2000:]}")
print(f"{elapsed:.4f}")
PY
}

median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

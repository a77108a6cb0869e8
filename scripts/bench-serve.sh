#!/usr/bin/env bash
# Measures `iisg serve` of the release binary (issue 15's figures), on copies of the plans:
#  1. the shipped plan: 50 concurrent clients for 10 s (wrk) on /actions and on /api/actions,
#     p99 latency and errors; then the median of WRITES (default 51) writes, each a PATCH
#     of /api/actions/4 with If-Match and X-CSRF-Token, as a browser's script sends it;
#  2. a generated plan of LARGE (default 10,000) actions: a page of /actions (median and
#     slowest of 21), the same under 50 clients for 5 s, one file changed from outside and
#     the time until the API shows it, with the files the server opened meanwhile (strace:
#     only that one should be read), and the server's peak memory (VmHWM).
#   scripts/bench-serve.sh;  LARGE=20000 WRITES=101 scripts/bench-serve.sh
# Needs wrk and strace (Debian: apt-get install wrk strace) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
bin=${CARGO_TARGET_DIR:-$PWD/target}/release/iisg
large=${LARGE:-10000}
work=$(mktemp -d)
server=
stop() { if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi; server=; }
trap 'stop; rm -rf "$work"' EXIT

# Starts `iisg serve` on a free port over the plan in $1; sets $server (its pid) and $port.
start() {
  : >"$work/out"
  "$bin" --data "$1" serve --bind 127.0.0.1:0 >"$work/out" 2>"$work/err" &
  server=$!
  for _ in $(seq 600); do
    if grep -q '^serving ' "$work/out"; then break; fi
    sleep 0.05
  done
  port=$(sed -n 's|^serving .* at http://127.0.0.1:\([0-9]*\)/$|\1|p' "$work/out")
  [ -n "$port" ] || { cat "$work/err" >&2; exit 2; }
  if [ -s "$work/err" ]; then cat "$work/err" >&2; fi
}

# wrk's p99 and errors for $2 clients over $3 on path $1: one line of the table.
load() {
  wrk -t2 -c"$2" -d"$3" --timeout 10s --latency "http://127.0.0.1:$port$1" >"$work/wrk"
  awk -v path="$1" -v c="$2" -v d="$3" '
    $1 == "99%" { p99 = $2 }
    /requests in/ { n = $1 }
    /Requests\/sec/ { rate = $2 }
    /Non-2xx or 3xx/ { bad += $NF }
    /Socket errors/ { gsub(",", ""); bad += $4 + $6 + $8 + $10 }
    END { printf "| `GET %s`, %d clients, %s | p99 %s | %s requests (%s/s) | %d errors |\n", path, c, d, p99, n, rate, bad }
  ' "$work/wrk"
}

echo "| what | figure | | |"
echo "| --- | --- | --- | --- |"

cp -r data "$work/shipped"
start "$work/shipped"
load /actions 50 10s
load /api/actions 50 10s
python3 - "$port" "${WRITES:-51}" <<'PY'
import http.client, json, statistics, sys, time
port, runs = int(sys.argv[1]), int(sys.argv[2])
conn = http.client.HTTPConnection("127.0.0.1", port)
def ask(method, path, body=None, headers=None):
    conn.request(method, path, body=body, headers=headers or {})
    reply = conn.getresponse()
    return reply, reply.read()
_, body = ask("GET", "/api/session")
token = json.loads(body)["csrf"]
times = []
for n in range(runs):
    reply, _ = ask("GET", "/api/actions/4")
    etag = reply.getheader("ETag")
    status = "in-progress" if n % 2 == 0 else "planned"
    start = time.perf_counter()
    reply, body = ask("PATCH", "/api/actions/4", json.dumps({"status": status}),
                      {"Content-Type": "application/json", "If-Match": etag, "X-CSRF-Token": token})
    times.append(time.perf_counter() - start)
    if reply.status != 200:
        sys.exit(f"PATCH answered {reply.status}: {body.decode()}")
print(f"| `PATCH /api/actions/4` (one field) | median {statistics.median(times) * 1000:.1f} ms "
      f"| slowest {max(times) * 1000:.1f} ms | {runs} writes |")
PY
stop

python3 scripts/generate.py "$large" "$work/large" >/dev/null
start "$work/large/data"
pid=$server
python3 - "$port" <<'PY'
import http.client, statistics, sys, time
port = int(sys.argv[1])
conn = http.client.HTTPConnection("127.0.0.1", port)
for path in ["/actions", "/actions?page=50", "/actions?status=planned&page=2"]:
    times = []
    for _ in range(21):
        start = time.perf_counter()
        conn.request("GET", path)
        reply = conn.getresponse()
        reply.read()
        times.append(time.perf_counter() - start)
        assert reply.status == 200, reply.status
    print(f"| `GET {path}`, large plan | median {statistics.median(times) * 1000:.1f} ms "
          f"| slowest {max(times) * 1000:.1f} ms | 21 requests |")
PY
load /actions 50 5s | sed 's/, 50 clients/, large plan, 50 clients/'
sleep 2 # what wrk left queued

# One action changed from outside, in place (as an editor writes), with the server traced:
# which files does it open until the API shows the change?
strace -f -qq -p "$pid" -e trace=openat,open -o "$work/strace" &
tracer=$!
sleep 1
python3 - "$port" "$work/large/data/actions/000004-generated-4.yaml" <<'PY'
import http.client, json, sys, time
port, path = int(sys.argv[1]), sys.argv[2]
conn = http.client.HTTPConnection("127.0.0.1", port)
def title():
    conn.request("GET", "/api/actions/4")
    reply = conn.getresponse()
    body = reply.read()
    if reply.status != 200:
        sys.exit(f"GET /api/actions/4 answered {reply.status}: {body.decode()}")
    return json.loads(body)["title"]
before = title()
text = open(path, encoding="utf-8").read()
with open(path, "w", encoding="utf-8") as f:
    f.write(text.replace("title: ", "title: Changed from outside - ", 1))
start = time.perf_counter()
while not title().startswith("Changed from outside -"):
    if time.perf_counter() - start > 10:
        sys.exit("the change did not show within 10 s")
    time.sleep(0.005)
print(f"| one action changed from outside, until `GET /api/actions/4` shows it "
      f"| {(time.perf_counter() - start) * 1000:.0f} ms | | |")
PY
sleep 0.5
kill "$tracer"; wait "$tracer" 2>/dev/null || true
opened=$(grep -c 'generated-[0-9]*\.yaml' "$work/strace" || true)
distinct=$(grep -o 'generated-[0-9]*\.yaml' "$work/strace" | sort -u | tr '\n' ' ')
echo "| files the server opened meanwhile (strace openat) | $opened opens of $(echo "$distinct" | wc -w) action file(s): ${distinct% } | $(grep -c 'openat' "$work/strace") openat in all | |"
echo "| server's peak memory, large plan (VmHWM) | $(awk '/VmHWM/ { printf "%.1f MB", $2 / 1024 }' "/proc/$pid/status") | | |"
stop
echo
echo "$(nproc) cores, $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; $large generated actions; $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)"

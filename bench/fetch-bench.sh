#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Benchmark of `imgaudit fetch` against the fake HSS server
# (tests/server/fake_hss.py) with a fixed latency per request.
#
#   bench/fetch-bench.sh [IMGAUDIT] [LATENCY_MS] [CONCURRENCY] [N...]
#   defaults: build/imgaudit 50 8 20000 100000
#
# For each N it serves N records (tests/tools/gen_images.py, seed 1),
# pulls them with --concurrency, checks the snapshot holds N records,
# and prints wall time, the ideal time (pages x latency / concurrency),
# their ratio and the peak RSS of imgaudit (/usr/bin/time -v). The goal
# (issue 3): ratio <= 1.3 at 100,000 records, 50 ms, concurrency 8, and a
# peak RSS that does not grow with N. Loopback only.
set -euo pipefail
SRCDIR=$(cd "$(dirname "$0")/.." && pwd)
IMGAUDIT=${1:-$SRCDIR/build/imgaudit}
LATENCY=${2:-50}
CONC=${3:-8}
shift $(( $# < 3 ? $# : 3 ))
SIZES=("$@")
[[ ${#SIZES[@]} -gt 0 ]] || SIZES=(20000 100000)
PY=${PYTHON:-python3}
T=$(mktemp -d "${TMPDIR:-/tmp}/fetch-bench.XXXXXX")
SERVER_PID=
trap '[[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$T"' EXIT
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export HUAWEICLOUD_SDK_AK=AKBENCH HUAWEICLOUD_SDK_SK=SKbench0123456789

printf '%-8s %-6s %-5s %-6s %-9s %-9s %-6s %-10s\n' records pages conc lat_ms wall_s ideal_s ratio maxrss_kb
for n in "${SIZES[@]}"; do
  "$PY" "$SRCDIR/tests/tools/gen_images.py" --count "$n" --seed 1 -o "$T/data.jsonl"
  rm -f "$T/port"
  "$PY" "$SRCDIR/tests/server/fake_hss.py" --data "$T/data.jsonl" --port-file "$T/port" \
    --project-id bench --ak AKBENCH --sk SKbench0123456789 --latency "$LATENCY" >/dev/null 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 600); do [[ -s "$T/port" ]] && break; sleep 0.1; done
  ep="http://127.0.0.1:$(cat "$T/port")"
  # Warm the server's page cache so the run measures the client, not
  # the Python server building page bodies.
  "$IMGAUDIT" fetch --endpoint "$ep" --project-id bench --concurrency "$CONC" -q -o "$T/warm.jsonl"
  /usr/bin/time -v -o "$T/time.txt" \
    "$IMGAUDIT" fetch --endpoint "$ep" --project-id bench --concurrency "$CONC" -q -o "$T/snap.jsonl"
  got=$(wc -l <"$T/snap.jsonl")
  [[ $got -eq $n ]] || { echo "snapshot has $got records, expected $n" >&2; exit 1; }
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {split($2, a, ":"); s = 0;
         for (i = 1; i <= length(a); i++) s = s * 60 + a[i]; print s}' "$T/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$T/time.txt")
  pages=$(( (n + 199) / 200 ))
  ideal=$(echo "scale=3; $pages * $LATENCY / 1000 / $CONC" | bc)
  ratio=$(echo "scale=2; $wall / $ideal" | bc)
  printf '%-8s %-6s %-5s %-6s %-9s %-9s %-6s %-10s\n' "$n" "$pages" "$CONC" "$LATENCY" "$wall" "$ideal" "$ratio" "$rss"
  kill "$SERVER_PID"
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
done

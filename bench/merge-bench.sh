#!/usr/bin/env bash
# What `imgaudit merge` costs (docs/performance.md, "merge"): N JSON
# reports of COUNT images each (one report made from a seeded image list,
# then copied N times with its own project_id so that every copy is a
# different report), merged into the formats given. Prints wall and CPU
# seconds, peak RSS and the output's size, for 1 report and for N, so the
# memory that grows with N (none is expected: images and findings go to
# disk, report/spill.h) is apart from the memory of reading one report.
#   bench/merge-bench.sh [N [COUNT [FORMAT...]]]     default: 50 100000 csv
#   BUILD_DIR=build-release bench/merge-bench.sh 10 20000 csv json xlsx html
# Needs N x (about 2.1 KB x COUNT) of disk for the inputs, as much for a
# JSON output, and about 0.6 KB x N x COUNT in $TMPDIR while it runs.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
bin=$BUILD_DIR/imgaudit
n=${1:-50}
count=${2:-100000}
shift 2 || shift $#
formats=("${@:-csv}")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/merge-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

python3 tests/tools/gen_images.py --count "$count" --seed 7 -o "$tmp/in.jsonl"
"$bin" report --rules rules/default.yaml --input "$tmp/in.jsonl" --now 2026-11-27T08:00:00Z \
  -o "$tmp/base.json" -q || true
rm "$tmp/in.jsonl"
inputs=()
for i in $(seq 1 "$n"); do
  # The project id is in the metadata only: every copy is its own report.
  sed "0,/\"project_id\": null/s//\"project_id\": \"proj-$i\"/" "$tmp/base.json" >"$tmp/p$i.json"
  inputs+=("$tmp/p$i.json")
done
rm "$tmp/base.json"
echo "# $n reports of $count images, $(( $(stat -c %s "$tmp/p1.json") / 1048576 )) MB each," \
     "$(grep -c '"rule_id"' "$tmp/p1.json") findings each; formats: ${formats[*]}" >&2

measure() {  # measure LABEL REPORTS...: one merge, wall seconds and peak RSS
  local label=$1
  shift
  local outs=()
  for f in "${formats[@]}"; do outs+=(-o "$tmp/org.$f"); done
  /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$bin" merge "$@" "${outs[@]}" -q || true
  read -r t u s m <"$tmp/time"
  local size
  size=$(du -cm "$tmp"/org.* | tail -1 | cut -f1)
  printf '%-10s %8s %8s %10s %10s\n' "$label" "$t" "$(awk "BEGIN{print $u + $s}")" \
    "$((m / 1024))" "$size"
  rm -f "$tmp"/org.*
}
# The machine may be shared: CPU seconds (user + system) compare better than wall.
printf '%-10s %8s %8s %10s %10s\n' reports wall cpu "RSS MB" "output MB"
measure 1 "${inputs[0]}"
measure "$n" "${inputs[@]}"

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Target 1 of issue 10, CSV only against the decode floor, in rounds:
#
#   bench/csv-ratio.sh [ROUNDS [N]]       default: 8 rounds, 1000000 records
#
# Each round runs the decode floor (bench/decode_floor.cpp) and then
# `imgaudit report ... -o r.csv`, so that both see the same load, and
# prints both wall times, imgaudit's CPU seconds (user + system) and
# the ratio; then the median and the range of the ratios. One run of
# bench/run.sh is one such round: on this shared 2-vCPU machine a
# single ratio moves by +-20 % from minute to minute, a median of eight
# much less.
#
# r.csv is removed before every run: replacing a 745 MB file written
# seconds before costs the rename about 0.5 s of the kernel's time
# (freeing the old file's pages, docs/performance.md), which is neither
# imgaudit's work nor the floor's, and which a report replacing last
# week's (long written) file does not pay in full.
#
# Environment: BUILD_DIR (default build); BENCH_DIR (default
# /tmp/imgaudit-bench) keeps the generated input (tests/tools/
# gen_images.py, seed 7, as bench/run.sh); BEFORE=path/to/other/imgaudit
# adds a run of that build to each round, for a before/after comparison
# in one sitting; the two go first in turn (odd rounds this build).
set -euo pipefail
SRCDIR=$(cd "$(dirname "$0")/.." && pwd)
cd "$SRCDIR"
BUILD_DIR=${BUILD_DIR:-build}
BIN=$BUILD_DIR/imgaudit
BENCH_DIR=${BENCH_DIR:-/tmp/imgaudit-bench}
ROUNDS=${1:-8}
N=${2:-1000000}
[[ -x $BIN ]] || { echo "bench/csv-ratio.sh: build imgaudit first ($BIN)" >&2; exit 2; }
[[ -z ${BEFORE:-} || -x $BEFORE ]] || { echo "bench/csv-ratio.sh: BEFORE=$BEFORE is not a program" >&2; exit 2; }
T=$(mktemp -d "${TMPDIR:-/tmp}/imgaudit-ratio.XXXXXX")
trap 'rm -rf "$T"' EXIT
tmp=$T
. bench/lib.sh
mkdir -p "$BENCH_DIR"
in=$(bench_input "$N")
g++ -O2 -std=c++17 -o "$T/decode_floor" bench/decode_floor.cpp -lsimdjson

csv_run() {
  rm -f "$T/r.csv"
  measure "$1" report --rules rules/default.yaml --now 2026-11-27T08:00:00Z -q --input "$in" \
    -o "$T/r.csv"
  rm -f "$T/r.csv"
}

echo "bench/csv-ratio.sh $ROUNDS $N: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%H:%M:%SZ)"
if [[ -n ${BEFORE:-} ]]; then
  printf '%5s %8s %8s %8s %7s %8s %8s %7s\n' round floor csv cpu ratio before cpu ratio
else
  printf '%5s %8s %8s %8s %7s\n' round floor csv cpu ratio
fi
: >"$T/ratios"
: >"$T/before"
for ((r = 1; r <= ROUNDS; r++)); do
  cat "$in" >/dev/null     # cached, as every run but the first finds it (lib.sh)
  read -r fs _ _ < <(measure "$T/decode_floor" "$in")
  # With BEFORE, the two builds take turns at going first: the second
  # run of a round writes into the pages the first one's report just
  # freed, which on this VM costs the kernel less than pages the host
  # took back (docs/performance.md, "Report streams buffer 32 KiB").
  if [[ -n ${BEFORE:-} ]] && ((r % 2 == 0)); then
    read -r bs bc _ < <(csv_run "$BEFORE")
    read -r cs cc _ < <(csv_run "$BIN")
  else
    read -r cs cc _ < <(csv_run "$BIN")
    [[ -z ${BEFORE:-} ]] || read -r bs bc _ < <(csv_run "$BEFORE")
  fi
  ratio=$(awk -v a="$cs" -v b="$fs" 'BEGIN { printf "%.2f", a / b }')
  echo "$ratio" >>"$T/ratios"
  if [[ -n ${BEFORE:-} ]]; then
    bratio=$(awk -v a="$bs" -v b="$fs" 'BEGIN { printf "%.2f", a / b }')
    echo "$bratio" >>"$T/before"
    printf '%5s %8s %8s %8s %7s %8s %8s %7s\n' "$r" "$fs" "$cs" "$cc" "$ratio" "$bs" "$bc" "$bratio"
  else
    printf '%5s %8s %8s %8s %7s\n' "$r" "$fs" "$cs" "$cc" "$ratio"
  fi
done

# summary FILE NAME: the median and range of the ratios in FILE.
summary() {
  sort -n "$1" | awk -v name="$2" '{ v[NR] = $1 } END {
    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%s: median %.2fx, %.2fx to %.2fx over %d rounds (target <= 2.5x)\n", name, m, v[1], v[NR], NR }'
}
summary "$T/ratios" "CSV / decode floor"
[[ -z ${BEFORE:-} ]] || summary "$T/before" "before / decode floor"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

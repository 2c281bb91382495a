#!/usr/bin/env bash
# What --baseline costs a report run: `imgaudit report` on N generated
# images without and with `--baseline` a JSON report of a week before
# (the same images but 5% of them replaced, so that some findings are
# new and some resolved), writing CSV only, then all four formats.
#   bench/baseline-bench.sh [N [OUTPUTS]]     (default: 100000 "csv all")
# OUTPUTS is "csv", "all" or "csv all".
# Every run writes new files (the previous run's are removed first).
# Prints, best of ROUNDS (default 3, by wall time), wall seconds and
# CPU seconds (user + system) without and with, the peak RSS (MB), and
# the with / without ratios; then the ratio of the median wall times
# ("x med"): on this noisy machine, ROUNDS=12 says more than a best of
# three. The goal is at most 1.20. Needs a build in ${BUILD_DIR:-build}.
#
# BEFORE=path/to/other/imgaudit: the same runs of that build too, one of
# each build in turn (and, like with and without, in the other order
# every second round), so that both see the same load (a before/after
# comparison in one sitting); its rows are marked "before". The machine
# is shared and noisy: compare the ratios of one run, not absolute
# numbers across runs. The load average is printed at the start and end.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
bin=$BUILD_DIR/imgaudit
n=${1:-100000}
outputs=${2:-csv all}
rounds=${ROUNDS:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
now=(--now 2026-11-27T08:00:00Z)
week_before=(--now 2026-11-20T08:00:00Z)

python3 tests/tools/gen_images.py --count "$n" --seed 7 -o "$tmp/in.jsonl"
keep=$((n * 95 / 100))
python3 tests/tools/gen_images.py --count $((n - keep)) --seed 8 -o "$tmp/other.jsonl"
{ head -n "$keep" "$tmp/in.jsonl"; cat "$tmp/other.jsonl"; } >"$tmp/old.jsonl"
"$bin" report --rules rules/default.yaml --input "$tmp/old.jsonl" "${week_before[@]}" -q \
  -o "$tmp/base.json"

builds=(after)
declare -A exe=([after]=$bin)
if [[ -n ${BEFORE:-} ]]; then
  builds=(before after)
  exe[before]=$BEFORE
fi

# The median of the numbers given.
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# One timed run: "WALL CPU RSS_MB".
timed() {
  /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$@" >/dev/null 2>&1 || true
  read -r t u s m <"$tmp/time"
  echo "$t $(awk "BEGIN{print $u + $s}") $((m / 1024))"
}

echo "baseline: $(du -m "$tmp/base.json" | cut -f1) MB JSON report; load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-7s %-4s %-6s %8s %8s %6s %8s %8s %6s %7s %7s %7s\n' images out build "wall" "cpu" "RSS" \
  "wall+bl" "cpu+bl" "RSS" "x wall" "x cpu" "x med"
for out in $outputs; do
  case $out in
    csv) args=(-o "$tmp/r.csv") ;;
    all) args=(-o "$tmp/r.csv" -o "$tmp/r.xlsx" -o "$tmp/r.html" -o "$tmp/r.json") ;;
    *) echo "bench/baseline-bench.sh: unknown output set $out (csv or all)" >&2; exit 2 ;;
  esac
  declare -A best=() all=()
  for r in $(seq "$rounds"); do
    # Even rounds run everything in the other order: a run right after
    # another's reports were removed writes into pages the host has not
    # taken back yet, which costs the kernel less (docs/performance.md,
    # "Report streams buffer 32 KiB").
    order=("${builds[@]}") withs=(0 1)
    if ((r % 2 == 0)); then
      order=() withs=(1 0)
      for ((k = ${#builds[@]} - 1; k >= 0; k--)); do order+=("${builds[k]}"); done
    fi
    for b in "${order[@]}"; do
      run=("${exe[$b]}" report --rules rules/default.yaml --input "$tmp/in.jsonl" "${now[@]}" -q "${args[@]}")
      for with in "${withs[@]}"; do
        extra=()
        [[ $with == 1 ]] && extra=(--baseline "$tmp/base.json")
        rm -f "$tmp"/r.*    # a fresh target: replacing one costs the kernel (csv-ratio.sh)
        read -r t c m < <(timed "${run[@]}" "${extra[@]}")
        key=$b.$with
        all[$key]="${all[$key]:-} $t"
        if [[ -z ${best[$key]:-} ]] || awk "BEGIN{exit !($t < ${best[$key]%% *})}"; then
          best[$key]="$t $c $m"
        fi
      done
    done
  done
  for b in "${builds[@]}"; do
    read -r t0 c0 m0 <<<"${best[$b.0]}"
    read -r t1 c1 m1 <<<"${best[$b.1]}"
    med0=$(median ${all[$b.0]})
    med1=$(median ${all[$b.1]})
    printf '%-7s %-4s %-6s %8s %8s %6s %8s %8s %6s %7.2f %7.2f %7.2f\n' "$n" "$out" "$b" "$t0" "$c0" \
      "$m0" "$t1" "$c1" "$m1" "$(awk "BEGIN{print $t1 / $t0}")" "$(awk "BEGIN{print $c1 / $c0}")" \
      "$(awk "BEGIN{print $med1 / $med0}")"
  done
  unset best all
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

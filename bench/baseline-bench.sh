#!/usr/bin/env bash
# What --baseline costs a report run: `imgaudit report` on N generated
# images without and with `--baseline` a JSON report of a week before
# (the same images but 5% of them replaced, so that some findings are
# new and some resolved), writing CSV only, then all four formats.
#   bench/baseline-bench.sh [N]       (default: 100000)
# Prints, best of 3, wall seconds and CPU seconds (user + system) without
# and with, the peak RSS (MB), and the with / without ratios; the goal
# is at most 1.20. Needs a build in ${BUILD_DIR:-build} (imgaudit and
# tests/reread). The machine is shared and noisy: compare the ratios of
# one run, not absolute numbers across runs; CPU ratios are the steadier.
#
# While `report` has no --baseline option (the CLI is wired separately),
# the "with" columns are estimated: the run without, plus baseline_load
# and baseline_apply as the test driver tests/reread times them
# in-process (--time, best of 3). report_finish is not counted: a run
# calls it once either way.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
bin=$BUILD_DIR/imgaudit
reread=$BUILD_DIR/tests/reread
n=${1:-100000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. bench/lib.sh
now=(--now 2026-11-27T08:00:00Z)
week_before=(--now 2026-11-20T08:00:00Z)

python3 tests/tools/gen_images.py --count "$n" --seed 7 -o "$tmp/in.jsonl"
keep=$((n * 95 / 100))
python3 tests/tools/gen_images.py --count $((n - keep)) --seed 8 -o "$tmp/other.jsonl"
{ head -n "$keep" "$tmp/in.jsonl"; cat "$tmp/other.jsonl"; } >"$tmp/old.jsonl"
"$bin" report --rules rules/default.yaml --input "$tmp/old.jsonl" "${week_before[@]}" -q \
  -o "$tmp/base.json"

# The in-process cost of the baseline (estimate mode): "WALL CPU" of the
# run with the best wall time.
baseline_cost() {
  "$bin" report --rules rules/default.yaml --input "$tmp/in.jsonl" "${now[@]}" -q \
    -o "$tmp/cur.json"
  local best="" cpu=""
  for _ in 1 2 3; do
    "$reread" --time --baseline "$tmp/base.json" "$tmp/cur.json" 2>"$tmp/cost" >/dev/null
    # baseline_load W s, baseline_apply W s (CPU C s, C s)
    read -r w c < <(awk '/^baseline_load/ {print $2 + $5, $8 + $10}' "$tmp/cost")
    if [[ -z "$best" ]] || awk "BEGIN{exit !($w < $best)}"; then best=$w cpu=$c; fi
  done
  echo "$best $cpu"
}

# (The help is captured first: grep -q closing the pipe early would fail
# the pipeline under pipefail.)
help=$("$bin" report --help 2>&1 || true)
if grep -q -- --baseline <<<"$help"; then
  mode=measured
else
  mode=estimated
  read -r cost_wall cost_cpu < <(baseline_cost)
fi

echo "baseline: $(du -m "$tmp/base.json" | cut -f1) MB JSON report; 'with' columns $mode"
printf '%-7s %-4s %8s %8s %6s %8s %8s %6s %7s %7s\n' images out "wall" "cpu" "RSS" \
  "wall+bl" "cpu+bl" "RSS" "x wall" "x cpu"
for out in csv all; do
  case $out in
    csv) args=(-o "$tmp/r.csv") ;;
    all) args=(-o "$tmp/r.csv" -o "$tmp/r.xlsx" -o "$tmp/r.html" -o "$tmp/r.json") ;;
  esac
  run=("$bin" report --rules rules/default.yaml --input "$tmp/in.jsonl" "${now[@]}" -q "${args[@]}")
  read -r t0 rss0 c0 < <(best3 "${run[@]}")
  if [[ $mode == measured ]]; then
    read -r t1 rss1 c1 < <(best3 "${run[@]}" --baseline "$tmp/base.json")
  else
    t1=$(awk "BEGIN{printf \"%.2f\", $t0 + $cost_wall}")
    c1=$(awk "BEGIN{printf \"%.2f\", $c0 + $cost_cpu}")
    rss1=-
  fi
  printf '%-7s %-4s %8s %8s %6s %8s %8s %6s %7.2f %7.2f\n' "$n" "$out" "$t0" "$c0" "$rss0" \
    "$t1" "$c1" "$rss1" "$(awk "BEGIN{print $t1 / $t0}")" "$(awk "BEGIN{print $c1 / $c0}")"
done

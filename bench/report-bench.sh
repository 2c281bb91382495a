#!/usr/bin/env bash
# Evaluation speed and memory of `imgaudit report` on generated image
# lists, against jansson's raw parse time of the same file.
#   bench/report-bench.sh [N ...]     (default: 100000)
# For each N: a seeded list (tests/tools/gen_images.py), then
#   baseline  jansson json_loadb per line, nothing else
#   read      report with a rule set of one constant rule (read + decode + inventory)
#   default   report with rules/default.yaml, summary only
#   all       the same, writing CSV, XLSX, HTML and JSON
# Prints wall seconds (best of 3) and peak RSS (MB). Needs a build in
# ${BUILD_DIR:-build}. The machine is shared and noisy: compare ratios
# from one run, not absolute numbers across runs.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
bin=$BUILD_DIR/imgaudit
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -o "$tmp/baseline" bench/jansson_baseline.c -ljansson
cat > "$tmp/one.yaml" <<'Y'
version: 1
rules:
  - id: NOTHING
    title: never fires
    severity: info
    when: "false"
Y

. bench/lib.sh

printf '%-9s %-9s %8s %8s %7s\n' records stage seconds "x base" "RSS MB"
for n in "${@:-100000}"; do
  python3 tests/tools/gen_images.py --count "$n" --seed 7 -o "$tmp/in.jsonl"
  read -r base brss _ < <(best3 "$tmp/baseline" "$tmp/in.jsonl")
  printf '%-9s %-9s %8s %8s %7s\n' "$n" baseline "$base" 1.00 "$brss"
  now=(--now 2026-11-27T08:00:00Z)
  for stage in read default all; do
    case $stage in
      read) args=(--rules "$tmp/one.yaml") ;;
      default) args=(--rules rules/default.yaml) ;;
      all) args=(--rules rules/default.yaml -o "$tmp/r.csv" -o "$tmp/r.xlsx" -o "$tmp/r.html" -o "$tmp/r.json") ;;
    esac
    read -r t rss _ < <(best3 "$bin" report --input "$tmp/in.jsonl" "${now[@]}" -q "${args[@]}")
    printf '%-9s %-9s %8s %8.2f %7s\n' "$n" "$stage" "$t" "$(awk "BEGIN{print $t / $base}")" "$rss"
  done
done

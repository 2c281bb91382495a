#!/usr/bin/env bash
# What --baseline costs (docs/weekly.md; target: at most +20% of the
# report time). For each N (default 100000): a seeded image list, its
# JSON report as the baseline (made from a second seed, so that there are
# new, existing and resolved findings), then `report` on the first list
# with and without --baseline, CSV only and all four formats.
#   bench/baseline-bench.sh [N ...]
# Prints wall seconds (best of 3), peak RSS (MB) and the ratio with/without.
# The machine is shared and noisy: compare ratios from one run.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
bin=$BUILD_DIR/imgaudit
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

best3() {
  local best="" rss=""
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$tmp/time" "$@" >/dev/null 2>&1 || true
    read -r t m < "$tmp/time"
    if [[ -z "$best" ]] || awk "BEGIN{exit !($t < $best)}"; then best=$t; rss=$m; fi
  done
  echo "$best $((rss / 1024))"
}

printf '%-8s %-6s %-10s %8s %7s %7s\n' records out run seconds "RSS MB" ratio
for n in "${@:-100000}"; do
  python3 tests/tools/gen_images.py --count "$n" --seed 7 -o "$tmp/in.jsonl"
  python3 tests/tools/gen_images.py --count "$n" --seed 8 -o "$tmp/prev.jsonl"
  "$bin" report --rules rules/default.yaml --input "$tmp/prev.jsonl" \
    --now 2026-11-20T08:00:00Z -o "$tmp/base.json" -q || true
  base_mb=$(( $(stat -c %s "$tmp/base.json") / 1048576 ))
  echo "# baseline: $base_mb MB, $(grep -c '"rule_id"' "$tmp/base.json") findings" >&2
  for out in csv all; do
    case $out in
      csv) o=(-o "$tmp/r.csv") ;;
      all) o=(-o "$tmp/r.csv" -o "$tmp/r.xlsx" -o "$tmp/r.html" -o "$tmp/r.json") ;;
    esac
    common=(report --rules rules/default.yaml --input "$tmp/in.jsonl" --now 2026-11-27T08:00:00Z -q "${o[@]}")
    read -r t0 r0 < <(best3 "$bin" "${common[@]}")
    read -r t1 r1 < <(best3 "$bin" "${common[@]}" --baseline "$tmp/base.json")
    printf '%-8s %-6s %-10s %8s %7s %7s\n' "$n" "$out" plain "$t0" "$r0" 1.00
    printf '%-8s %-6s %-10s %8s %7s %7.2f\n' "$n" "$out" baseline "$t1" "$r1" "$(awk "BEGIN{print $t1 / $t0}")"
  done
done

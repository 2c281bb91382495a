#!/usr/bin/env bash
# Golden report tests: each folder tests/golden/report/CASE/ holds
#   args            the report arguments, one per line ($CASE = the folder)
#   expected.code   the exit code
#   expected.out    the summary on stdout, byte for byte
#   expected.err    stderr, byte for byte (optional; empty if absent)
#   expected.csv    the CSV report, byte for byte (optional)
# The CSV is written to $OUT/report.csv when args name it. Run with
# UPDATE_GOLDEN=1 to rewrite the expected files after a deliberate change.
. "$(dirname "$0")/lib.sh"
for dir in tests/golden/report/*/; do
  case_name=$(basename "$dir")
  out="$T/$case_name"
  mkdir -p "$out"
  mapfile -t args < <(sed -e "s|\$CASE|${dir%/}|g" -e "s|\$OUT|$out|g" "$dir/args")
  run "$case_name" "$(cat "$dir/expected.code")" "$IMGAUDIT" "${args[@]}"
  # The output folder is temporary: show it as $OUT, as args write it.
  sed -i "s|$out|\$OUT|g" "$T/$case_name.out" "$T/$case_name.err"
  same "$case_name stdout" "$T/$case_name.out" "$dir/expected.out"
  if [[ "${UPDATE_GOLDEN:-}" == 1 && -s "$T/$case_name.err" ]]; then
    cp "$T/$case_name.err" "$dir/expected.err"
  fi
  if [[ -f "$dir/expected.err" ]]; then
    same "$case_name stderr" "$T/$case_name.err" "$dir/expected.err"
  elif [[ -s "$T/$case_name.err" ]]; then
    fail "$case_name: unexpected stderr"; sed 's/^/    /' "$T/$case_name.err" >&2
  fi
  if [[ -f "$dir/expected.csv" || ( "${UPDATE_GOLDEN:-}" == 1 && -f "$out/report.csv" ) ]]; then
    same "$case_name csv" "$out/report.csv" "$dir/expected.csv"
  fi
  # Byte-identical on a second run (reproducibility).
  if [[ -f "$out/report.csv" ]]; then
    cp "$out/report.csv" "$out/first.csv"
    "$IMGAUDIT" "${args[@]}" >/dev/null 2>&1
    same "$case_name rerun" "$out/report.csv" "$out/first.csv"
  fi
done

# Every format, not only the CSV: the same input and --now give the same
# bytes (no wall clock, random nonce or address in any report).
for n in 1 2; do
  mkdir -p "$T/det$n"
  run "every-format-$n" 1 "$IMGAUDIT" report --rules rules/default.yaml \
    --input samples/images.jsonl --now 2026-11-27T08:00:00Z --fail-on high --quiet \
    -o "$T/det$n/r.csv" -o "$T/det$n/r.xlsx" -o "$T/det$n/r.html" -o "$T/det$n/r.json"
  [[ $n == 1 ]] && sleep 1.1   # a wall clock would move on by a second
done
for ext in csv xlsx html json; do
  if cmp -s "$T/det1/r.$ext" "$T/det2/r.$ext"; then pass; else fail "$ext differs between two runs"; fi
done
finish

#!/usr/bin/env bash
# The JSON report read back (src/report/reader.c, through the test driver
# tests/tools/reread.c, which `verify` and `diff` will replace): for the
# samples, every format written from the report read back is byte for
# byte the format written by the run itself; any JSON layout (jq's) reads
# the same; compared with a baseline, findings are existing exactly when
# the baseline has their identity; and a file that is not a report, or is cut, fails with exit code 3 and
# one located message.
. "$(dirname "$0")/lib.sh"
: "${REREAD:?set REREAD to the reread test driver (build/tests/reread)}"
NOW=2026-11-27T08:00:00Z
EXTS=(json csv html xlsx)

# roundtrip NAME RULES INPUT: the run's four formats == those of its JSON read back.
roundtrip() {
  local name=$1 rules=$2 input=$3 outs=() back=()
  for e in "${EXTS[@]}"; do
    outs+=(-o "$T/$name.$e")
    back+=(-o "$T/$name-back.$e")
  done
  run "$name" 0 "$IMGAUDIT" report --rules "$rules" --input "$input" --now $NOW --quiet "${outs[@]}"
  run "$name-read" 0 "$REREAD" "$T/$name.json" "${back[@]}"
  for e in "${EXTS[@]}"; do
    if cmp -s "$T/$name.$e" "$T/$name-back.$e"; then
      pass
    else
      fail "$name: the $e of the report read back differs"
      cmp "$T/$name.$e" "$T/$name-back.$e" >&2
    fi
  done
}

roundtrip images rules/default.yaml samples/images.jsonl
roundtrip hostile tests/data/rules/every-image.yaml samples/hostile.jsonl
roundtrip api-doc rules/default.yaml samples/api-doc-example.json

# jq's layouts: indented, keys sorted (findings before the rules they
# name), one line.
for style in pretty sorted compact; do
  case $style in
    pretty) jq . "$T/images.json" >"$T/$style.json" ;;
    sorted) jq -S . "$T/images.json" >"$T/$style.json" ;;
    compact) jq -c . "$T/images.json" >"$T/$style.json" ;;
  esac
  run "$style" 0 "$REREAD" "$T/$style.json" -o "$T/$style-back.json"
  if cmp -s "$T/images.json" "$T/$style-back.json"; then pass; else fail "$style layout"; fi
done

# Not mappable (standard input, a pipe) is read whole; CRLF line ends.
"$REREAD" - -o "$T/stdin.json" <"$T/images.json" && cmp -s "$T/stdin.json" "$T/images.json" \
  && pass || fail "standard input"
"$REREAD" <(cat "$T/images.json") -o "$T/pipe.json" && cmp -s "$T/pipe.json" "$T/images.json" \
  && pass || fail "a pipe"
sed 's/$/\r/' "$T/images.json" >"$T/crlf.json"
"$REREAD" "$T/crlf.json" -o "$T/crlf-back.json" && cmp -s "$T/crlf-back.json" "$T/images.json" \
  && pass || fail "CRLF line ends"

# The same images a week before as the baseline: a finding is existing
# (first seen then) exactly when the week-before run had its identity
# (rule, registry, namespace, name, version), the others are new (rules
# about time find more a week later), and none is resolved.
run week-before 0 "$IMGAUDIT" report --rules rules/default.yaml --input samples/images.jsonl \
  --now 2026-11-20T08:00:00Z --quiet -o "$T/before.json"
run diff 0 "$REREAD" --baseline "$T/before.json" "$T/images.json" -o "$T/diff.json"
jq -e --slurpfile old "$T/before.json" '
  def id: [.rule_id, .registry_name, .namespace, .image_name, .image_version];
  ([$old[0].findings[] | id] | unique) as $ids
  | (.findings | length) > 0
  and any(.findings[]; .change == "new") and any(.findings[]; .change == "existing")
  and all(.findings[];
      if (id as $i | $ids | index([$i])) then
        .change == "existing" and .first_seen == "2026-11-20T08:00:00Z" and .age_days == 7
      else
        .change == "new" and .first_seen == "2026-11-27T08:00:00Z" and .age_days == 0
      end)
  and .resolved == [] and .summary.resolved_trusted
  and .meta.baseline.now == "2026-11-20T08:00:00Z"
  and .meta.baseline.findings == ($old[0].findings | length)' "$T/diff.json" >/dev/null \
  && pass || fail "the run compared with the same images a week before"
# A baseline in which five images had another tag: its findings on them
# are resolved (with their last known data), exactly those.
jq -c 'if (.id | tostring | test("^[0-9]+$")) and input_line_number <= 5
       then .image_version = "old-\(.image_version)" else . end' samples/images.jsonl \
  >"$T/retagged.jsonl"
run retagged 0 "$IMGAUDIT" report --rules rules/default.yaml --input "$T/retagged.jsonl" \
  --now 2026-11-20T08:00:00Z --quiet -o "$T/retagged.json"
run diff-resolved 0 "$REREAD" --baseline "$T/retagged.json" "$T/images.json" -o "$T/diff2.json"
jq -e --slurpfile old "$T/retagged.json" '
  def id: [.rule_id, .registry_name, .namespace, .image_name, .image_version];
  ([.findings[] | id] | unique) as $now
  | ([$old[0].findings[] | select(id as $i | $now | index([$i]) | not)]) as $gone
  | ($gone | length) > 0
  and ([.resolved[] | id] == [$gone[] | id])
  and all(.resolved[]; .change == "resolved" and .image_index == null)
  and ([.resolved[] | del(.change, .age_days, .image_index)]
       == [$gone[] | del(.change, .age_days, .image_index)])' "$T/diff2.json" >/dev/null \
  && pass || fail "resolved findings of a retagged baseline"
sha=$(sha256sum "$T/before.json" | cut -d' ' -f1)
has diff-sha "$T/diff.json" "\"sha256\": \"$sha\""

# Without the inventory: what a baseline reads, much faster; not written.
run no-inventory 0 "$REREAD" --no-inventory "$T/images.json"

# Not a report, and a report cut after its first finding: exit 3.
run not-report 3 "$REREAD" samples/images.jsonl
echo 'samples/images.jsonl:1:1: error: is not a JSON report written by imgaudit (it has no "schema": "imgaudit-report"; pass a report written with -o FILE.json)' \
  >"$T/not-report.want"
same not-report-message "$T/not-report.err" "$T/not-report.want"
sed -n '1,/^  "findings": \[$/p' "$T/images.json" >"$T/cut.json"
grep -m1 '^    {"rule_id"' "$T/images.json" >>"$T/cut.json"
run cut 3 "$REREAD" "$T/cut.json"
echo "$T/cut.json:$(($(wc -l <"$T/cut.json") + 1)):1: error: the report ends early (truncated?) in findings" \
  >"$T/cut.want"
same cut-message "$T/cut.err" "$T/cut.want"
finish

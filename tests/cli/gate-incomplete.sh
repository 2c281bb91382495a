#!/usr/bin/env bash
# Gate truth on incomplete data: the gate can fail but never pass. Every
# combination of complete or incomplete pull, a gate that passes or
# fails (and no gate), with and without --allow-incomplete: the exit
# code, the summary's Gate line, the JSON verdict, the HTML verdict and
# the XLSX gate cell. Incomplete without a failing finding is
# "incomplete" (exit 3), never PASS, even with --allow-incomplete, which
# only lets the reports be written. Issue 11.
. "$(dirname "$0")/../server/fetch-lib.sh"
export HUAWEICLOUD_SDK_AK=AKGATE HUAWEICLOUD_SDK_SK=SKgate0123456789
S=(--project-id pid1 --ak AKGATE --sk SKgate0123456789)
# One info finding on every image: --fail-on info fails, --fail-on low passes.
R=(--rules tests/data/rules/every-image.yaml --now 2026-11-27T08:00:00Z --page-size 25)
PASSES=(--fail-on low)
FAILS=(--fail-on info)

# verdicts NAME DIR: "exit json html xlsx" of the reports in DIR.
verdicts() {
  local json html xlsx
  json=$(jq -r .meta.gate.verdict "$2/r.json")
  html=$(grep -o 'class="verdict [a-z]*"' "$2/r.html")
  xlsx=$(/usr/bin/python3 - "$2/r.xlsx" <<'PYEOF'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["Summary"]
for row in ws.iter_rows(max_row=6):
    if row[0].value == "Gate verdict":
        print(row[1].value.split(" (")[0].split(":")[0], row[1].fill.fgColor.rgb)
PYEOF
)
  echo "$json | $html | $xlsx"
}

# report NAME CODE DATA-SERVER-FAULTS OPTIONS...: a pulled report into $T/NAME/.
report() {
  local name=$1 code=$2
  shift 2
  mkdir -p "$T/$name"
  run "$name" "$code" "$IMGAUDIT" report "${C[@]}" "${R[@]}" "$@" \
    -o "$T/$name/r.json" -o "$T/$name/r.html" -o "$T/$name/r.xlsx"
}

# ---- complete data: --allow-incomplete changes nothing ----
start_server samples/images.jsonl "${S[@]}"
report c-pass 0 "${PASSES[@]}"
report c-pass-allow 0 "${PASSES[@]}" --allow-incomplete
report c-fail 1 "${FAILS[@]}"
report c-fail-allow 1 "${FAILS[@]}" --allow-incomplete
report c-none 0
for n in c-pass c-pass-allow; do
  has "$n-summary" "$T/$n.out" "Gate:      PASS"
  eq "$n-verdicts" "$(verdicts "$n" "$T/$n")" 'pass | class="verdict pass" | PASS FF15803D'
done
for n in c-fail c-fail-allow; do
  has "$n-summary" "$T/$n.out" "Gate:      FAIL"
  has "$n-line" "$T/$n.out" "  --fail-on info: FAIL, 120 open findings at or above info"
  eq "$n-verdicts" "$(verdicts "$n" "$T/$n")" 'fail | class="verdict fail" | FAIL FFB91C1C'
done
has c-none-summary "$T/c-none.out" "Gate:      none (no --fail-on)"

# ---- incomplete data (total_num says 121, 120 records arrive) ----
start_server samples/images.jsonl "${S[@]}" --faults '{"drift": {"after": 1, "count": -1, "delta": 1}}'
# Without --allow-incomplete nothing is evaluated: exit 3, no report,
# whatever the gate would have said.
report i-pass 3 "${PASSES[@]}"
report i-fail 3 "${FAILS[@]}"
for n in i-pass i-fail; do
  has "$n-msg" "$T/$n.err" "imgaudit: error: incomplete pull: received 120 records but total_num is 121"
  eq "$n-no-report" "$(ls -A "$T/$n")" ""
done
# With it: a failing finding fails (1); otherwise INCOMPLETE (3), never PASS.
report i-fail-allow 1 "${FAILS[@]}" --allow-incomplete
has i-fail-allow-summary "$T/i-fail-allow.out" "Gate:      FAIL"
eq i-fail-allow-verdicts "$(verdicts i-fail-allow "$T/i-fail-allow")" \
  'fail | class="verdict fail" | FAIL FFB91C1C'
report i-pass-allow 3 "${PASSES[@]}" --allow-incomplete
has i-pass-allow-summary "$T/i-pass-allow.out" "Gate:      INCOMPLETE, not a pass: no gate failed on the 120 records received, but 1 expected record was not checked"
has i-pass-allow-line "$T/i-pass-allow.out" "  --fail-on low: not failed, 0 open findings at or above low"
lacks i-pass-allow-no-pass "$T/i-pass-allow.out" "PASS"
eq i-pass-allow-verdicts "$(verdicts i-pass-allow "$T/i-pass-allow")" \
  'incomplete | class="verdict incomplete" | INCOMPLETE, not a pass FFB45309'
lacks i-pass-allow-html "$T/i-pass-allow/r.html" "Gate: PASS"
has i-pass-allow-html-verdict "$T/i-pass-allow/r.html" "Gate: INCOMPLETE<small>not a pass"
# No gate: nothing to fail, and the data is still incomplete: exit 3.
report i-none-allow 3 --allow-incomplete
has i-none-allow-summary "$T/i-none-allow.out" "Gate:      none (no --fail-on)"
eq i-none-allow-json "$(jq -r .meta.gate.verdict "$T/i-none-allow/r.json")" none
# The other gates say the same: --fail-on-new (every finding is new
# without a baseline) and --fail-on-expired-waivers.
report i-new-allow 3 --fail-on-new low --allow-incomplete
has i-new-allow-line "$T/i-new-allow.out" "  --fail-on-new low: not failed, 0 new open findings at or above low"
report i-new-fail-allow 1 --fail-on-new info --allow-incomplete
has i-new-fail-allow-line "$T/i-new-fail-allow.out" "  --fail-on-new info: FAIL, 120 new open findings at or above info"

# Reading an incomplete report back (diff NEW.json) keeps the verdict:
# incomplete without a failure, exit 3; the new gate can still fail.
run diff-incomplete 3 "$IMGAUDIT" diff "$T/c-pass/r.json" "$T/i-pass-allow/r.json" \
  -o "$T/diff.json" --quiet
eq diff-incomplete-verdict "$(jq -r .meta.gate.verdict "$T/diff.json")" incomplete
run diff-fail 1 "$IMGAUDIT" diff "$T/c-pass/r.json" "$T/i-pass-allow/r.json" --fail-on info --quiet
# A version 3 report cannot say "incomplete"; a version 4 one can, and
# an unknown verdict is refused.
jq '.meta.gate.verdict = "maybe"' "$T/i-pass-allow/r.json" >"$T/maybe.json"
run diff-maybe 3 "$IMGAUDIT" diff "$T/c-pass/r.json" "$T/maybe.json" --quiet
has diff-maybe-msg "$T/diff-maybe.err" "error: meta.gate.verdict: expected none, pass, fail or incomplete, found \"maybe\""
jq '.schema_version = 3 | .data_quality |= map(del(.first_line))' "$T/i-pass-allow/r.json" >"$T/v3.json"
run diff-v3 3 "$IMGAUDIT" diff "$T/c-pass/r.json" "$T/v3.json" --quiet
has diff-v3-msg "$T/diff-v3.err" "error: meta.gate.verdict: expected none, pass or fail, found \"incomplete\""

# ---- the summary's counts, in the singular where they are one ----
# One record listed twice: total_num 121, 120 distinct records.
{ cat samples/images.jsonl; head -n 1 samples/images.jsonl; } >"$T/dup.jsonl"
start_server "$T/dup.jsonl" "${S[@]}" --faults '{"first": ["503"]}'
report dup 3 --allow-incomplete
has dup-records "$T/dup.out" "Records:   120 received, total_num 121, 1 duplicate dropped, 5 pages, 1 retry"
has dup-incomplete "$T/dup.out" "INCOMPLETE: expected 121 records, received 120"
finish

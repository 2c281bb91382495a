#!/usr/bin/env bash
# `report` without --input: pull, then evaluate. The pulled report equals
# `report --input` on its snapshot (same --now, byte for byte); the
# summary and the JSON report carry the pull's metadata; the temporary
# snapshot is removed; an incomplete pull writes no report (exit 3), or
# with --allow-incomplete reports marked INCOMPLETE in every format.
# Issues 2 and 3.
. "$(dirname "$0")/../server/fetch-lib.sh"
export HUAWEICLOUD_SDK_AK=AKREP HUAWEICLOUD_SDK_SK=SKreport0123456789
S=(--project-id pid1 --ak AKREP --sk SKreport0123456789)
NOW=(--now 2026-11-27T08:00:00Z)
R=(--rules rules/default.yaml)

start_server samples/images.jsonl "${S[@]}"
export TMPDIR="$T/tmp"
mkdir -p "$TMPDIR"
run pulled 0 "$IMGAUDIT" report "${C[@]}" "${R[@]}" "${NOW[@]}" --page-size 25 \
  --save-snapshot "$T/snap.jsonl" -o "$T/pulled.csv" -o "$T/pulled.json"
same_records pulled-snapshot "$T/snap.jsonl" "$T/served.jsonl"
run from-snapshot 0 "$IMGAUDIT" report --input "$T/snap.jsonl" "${R[@]}" "${NOW[@]}" -o "$T/snap.csv"
same pulled-equals-input "$T/pulled.csv" "$T/snap.csv"
# The summary names the source and the pull's numbers.
has pulled-source "$T/pulled.out" "Source:    $ENDPOINT project pid1"
has pulled-records "$T/pulled.out" "Records:   120 received, total_num 120, 0 duplicates dropped, 5 pages, 0 retries"
has pulled-sha "$T/pulled.out" "SHA-256:   $(sha256sum "$T/snap.jsonl" | cut -d' ' -f1)"
has pulled-list "$T/pulled.out" "  $T/snap.jsonl (snapshot)"
has pulled-list-provenance "$T/pulled.out" "  $T/snap.meta.json (its provenance)"
# The JSON report records the same.
"$PY" - "$T/pulled.json" "$ENDPOINT" "$(sha256sum "$T/snap.jsonl" | cut -d' ' -f1)" <<'PYEOF' && pass || fail "JSON source metadata"
import json, sys
src = json.load(open(sys.argv[1]))["meta"]["source"]
want = {"provenance": "pull", "provenance_problem": None, "label": "HSS API pull",
        "endpoint": sys.argv[2], "project_id": "pid1", "total_num": 120,
        "records_received": 120, "duplicates_dropped": 0, "pages": 5, "retries": 0,
        "sha256": sys.argv[3], "pulled_by": "imgaudit 0.1.0"}
bad = {k: (src.get(k), v) for k, v in want.items() if src.get(k) != v}
if bad:
    print(bad)
    sys.exit(1)
PYEOF

# A proxy in the environment is not used for a loopback endpoint (it
# would see the credentials of a plain-http request): this one refuses.
http_proxy=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 \
  run no-proxy 0 "$IMGAUDIT" report "${C[@]}" "${R[@]}" "${NOW[@]}" -q

# Without --save-snapshot the snapshot is temporary and gone afterwards.
# --verbose gives the pull a line of its own (docs/imgaudit.md, "Where
# the time went").
run temp 0 "$IMGAUDIT" report "${C[@]}" "${R[@]}" "${NOW[@]}" -o "$T/temp.csv" -q -v
same temp-equals "$T/temp.csv" "$T/snap.csv"
eq temp-cleaned "$(find "$TMPDIR" -type f | wc -l)" 0
grep -qE '^imgaudit: records pulled in [0-9]+\.[0-9]{3} s$' "$T/temp.err" && pass ||
  fail "no line for the pull in $T/temp.err"

# A bad rule file costs no request.
printf 'version: 1\nrules: [{id: X, title: t, severity: low, when: "vul_nums > 1"}]\n' > "$T/bad.yaml"
before=$(count_log)
run bad-rules 2 "$IMGAUDIT" report "${C[@]}" --rules "$T/bad.yaml" -o "$T/never.csv"
eq bad-rules-no-request "$(count_log)" "$before"
# Nor does a bad baseline, though with --input it is read while the
# records are evaluated.
echo '{"schema":"imgaudit-report"' >"$T/bad-base.json"
run bad-baseline 3 "$IMGAUDIT" report "${C[@]}" "${R[@]}" "${NOW[@]}" --baseline "$T/bad-base.json" \
  -o "$T/never.csv"
has bad-baseline-msg "$T/bad-baseline.err" "bad-base.json:2:1: error: the report ends early (truncated?)"
eq bad-baseline-no-request "$(count_log)" "$before"
[[ ! -e "$T/never.csv" ]] && pass || fail "a bad baseline wrote a report"

# An incomplete pull: exit 3, no report, nothing left behind ...
start_server samples/images.jsonl "${S[@]}" --faults '{"drift": {"after": 1, "count": -1, "delta": 1}}'
run incomplete 3 "$IMGAUDIT" report "${C[@]}" "${R[@]}" "${NOW[@]}" --page-size 25 -o "$T/inc.csv"
has incomplete-msg "$T/incomplete.err" "incomplete pull"
[[ ! -e "$T/inc.csv" ]] && pass || fail "an incomplete pull wrote a report"
eq incomplete-cleaned "$(find "$TMPDIR" -type f | wc -l)" 0
# ... unless --allow-incomplete: every format says INCOMPLETE, and the
# exit code is still 3 (tests/cli/gate-incomplete.sh has the gates).
start_server samples/images.jsonl "${S[@]}" --faults '{"drift": {"after": 1, "count": -1, "delta": 1}}'
run allowed 3 "$IMGAUDIT" report "${C[@]}" "${R[@]}" "${NOW[@]}" --page-size 25 --allow-incomplete \
  -o "$T/inc.csv" -o "$T/inc.json" -o "$T/inc.html" -o "$T/inc.xlsx"
has allowed-summary "$T/allowed.out" "INCOMPLETE: expected 121 records, received 120"
has allowed-html "$T/inc.html" "INCOMPLETE"
"$PY" -c "
import json,sys
m = json.load(open('$T/inc.json'))['meta']
sys.exit(0 if m['complete'] is False and m['expected_records'] == 121 else 1)" && pass || fail "JSON not marked incomplete"
/usr/bin/python3 -c "
import openpyxl,sys
ws = openpyxl.load_workbook('$T/inc.xlsx')['Summary']
sys.exit(0 if any('INCOMPLETE' in str(c.value) for row in ws.iter_rows() for c in row if c.value) else 1)" \
  && pass || fail "XLSX Summary not marked INCOMPLETE"
finish

#!/usr/bin/env bash
# The SHA-256s of the records and of the baseline (issue 10): computed
# when something the run writes shows them, and only then. JSON, HTML
# and XLSX reports show both, the summary on stdout the records', an
# evidence bundle records both; CSV, SARIF and JUnit show neither, and a
# quiet run of those hashes neither (about a tenth of its CPU). A
# provenance file beside the records is checked by their SHA-256 in every
# run. Which bytes a run hashed is counted by tests/tools/shacount.c
# (LD_PRELOAD), and what each report shows is compared with sha256sum.
. "$(dirname "$0")/lib.sh"
: "${SHACOUNT:?set SHACOUNT to the libshacount.so shim}"
PY=/usr/bin/python3
IN=samples/images.jsonl
BASE=samples/baseline.json
RULES=rules/default.yaml
R=(report --rules $RULES --input $IN --baseline $BASE --now 2026-11-27T08:00:00Z)
size() { wc -c <"$1" | tr -d ' '; }
S_RULES=$(size $RULES)
S_IN=$(size $IN)
S_BASE=$(size $BASE)
SHA_IN=$(sha256sum $IN | cut -d' ' -f1)
SHA_BASE=$(sha256sum $BASE | cut -d' ' -f1)

# hashed NAME BYTES CODE ARGS...: run imgaudit ARGS with the shim; it must
# exit CODE and have hashed exactly BYTES ("N+": N or more, for runs that
# also hash what they write: the HTML page's CSP nonce, a bundle's files).
hashed() {
  local name=$1 want=$2 code=$3
  shift 3
  SHACOUNT_OUT="$T/$name.count" LD_PRELOAD="$SHACOUNT" run "$name" "$code" "$IMGAUDIT" "$@"
  local got
  got=$(cat "$T/$name.count" 2>/dev/null)
  if [[ $want == *+ ]]; then
    [[ -n $got && $got -ge ${want%+} ]] && pass || fail "$name: hashed $got bytes, expected at least ${want%+}"
  else
    eq "$name-bytes-hashed" "$got" "$want"
  fi
}

# The shim counts: a run that shows everything hashes the rule file, the
# records and the baseline.
hashed json "$((S_RULES + S_IN + S_BASE))" 0 "${R[@]}" -q -o "$T/r.json"
eq json-records-sha "$($PY -c "import json; print(json.load(open('$T/r.json'))['meta']['source']['sha256'])")" "$SHA_IN"
eq json-baseline-sha "$($PY -c "import json; print(json.load(open('$T/r.json'))['meta']['baseline']['sha256'])")" "$SHA_BASE"
# HTML and XLSX, each alone, show both.
hashed html "$((S_RULES + S_IN + S_BASE))+" 0 "${R[@]}" -q -o "$T/r.html"
sed 's/<wbr>//g' "$T/r.html" >"$T/r.html.txt"     # long values may break anywhere
has html-records-sha "$T/r.html.txt" "Records SHA-256</th><td>$SHA_IN<"
has html-baseline-sha "$T/r.html.txt" "Baseline SHA-256</th><td>$SHA_BASE<"
hashed xlsx "$((S_RULES + S_IN + S_BASE))" 0 "${R[@]}" -q -o "$T/r.xlsx"
"$PY" - "$T/r.xlsx" "$SHA_IN" "$SHA_BASE" <<'PY' && pass || fail "XLSX shows both SHA-256s"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
cells = {str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None}
assert sys.argv[2] in cells and sys.argv[3] in cells
PY

# CSV, SARIF and JUnit show neither: a quiet run hashes only the rule
# file (its SHA-256 is in no report either, but it is small). The reports
# are the same bytes as those of a run that hashed.
hashed csv-quiet "$S_RULES" 0 "${R[@]}" -q -o "$T/q.csv" -o "$T/q.junit.xml"
hashed csv-all "$((S_RULES + S_IN + S_BASE))" 0 "${R[@]}" -q -o "$T/a.csv" -o "$T/a.junit.xml" \
  -o "$T/a.json"
same csv-quiet-same-csv "$T/q.csv" "$T/a.csv"
same csv-quiet-same-junit "$T/q.junit.xml" "$T/a.junit.xml"
# SARIF hashes each finding's identity for its fingerprints, not the inputs.
hashed sarif "$S_RULES+" 0 "${R[@]}" -q -o "$T/q.sarif"
n=$(cat "$T/sarif.count")
[[ $n -ge $S_RULES && $n -lt $S_IN ]] && pass || fail "SARIF run hashed $n bytes: the records ($S_IN) too?"
# Without -q the summary shows the records' SHA-256 (not the baseline's).
hashed csv-summary "$((S_RULES + S_IN))" 0 "${R[@]}" -o "$T/s.csv"
has csv-summary-sha "$T/csv-summary.out" "SHA-256:   $SHA_IN"
# An evidence bundle records both.
hashed evidence "$((S_RULES + S_IN + S_BASE))+" 0 "${R[@]}" -q -o "$T/e.csv" --evidence-dir "$T/ev"
"$PY" - "$T/ev" "$SHA_IN" "$SHA_BASE" <<'PY' && pass || fail "evidence bundle records both SHA-256s"
import glob, json, sys
text = open(glob.glob(sys.argv[1] + "/*/run.json")[0]).read()
assert sys.argv[2] in text and sys.argv[3] in text
PY
# diff: OLD is hashed only for a report that shows it.
hashed diff-csv 0 0 diff "$BASE" "$T/r.json" -q -o "$T/d.csv"
hashed diff-json "$S_BASE" 0 diff "$BASE" "$T/r.json" -q -o "$T/d.json"

# A provenance file beside the records is checked whatever the outputs:
# one whose records_sha256 is not these records' still gets its warning.
cp $IN "$T/snap.jsonl"
"$PY" - "$T/snap.meta.json" <<'PY'
import json, sys
json.dump({"schema": "imgaudit-snapshot-provenance", "schema_version": 1,
           "imgaudit_version": "0.1.0", "endpoint": "https://hss.example", "region": "cn-north-4",
           "project_id": "p-1", "enterprise_project_id": None, "filters": [],
           "pulled_at": "2026-11-27T07:00:00Z", "total_num": 1, "records_received": 1,
           "pages": 1, "retries": 0, "duplicates_dropped": 0, "complete": True,
           "expected_records": 1, "records_format": "jsonl", "records_sha256": "0" * 64},
          open(sys.argv[1], "w"))
PY
hashed provenance "$((S_RULES + S_IN))" 0 report --rules $RULES --input "$T/snap.jsonl" \
  --now 2026-11-27T08:00:00Z -q -o "$T/p.csv"
has provenance-mismatch "$T/provenance.err" "warning: its records_sha256 000000000000... is not the SHA-256 of $T/snap.jsonl (${SHA_IN:0:12}...)"
finish

#!/usr/bin/env bash
# imgaudit merge (docs/reports.md, "Organisation reports"): three
# projects' JSON reports (pulled from fake servers, one of them
# incomplete) combined into one report with project_id and region on
# every finding and a summary row per project, in JSON (schema and
# consistency), CSV, XLSX (openpyxl) and HTML; reruns byte-identical; a
# merged report merged again; reports made with other rules refused
# unless --allow-mixed-rules, which the report then says; the same
# report twice refused. The memory bound at 50 x 100,000 images is
# measured by bench/merge-bench.sh, not here.
. "$(dirname "$0")/../server/fetch-lib.sh"
NOW=(--now 2026-11-27T08:00:00Z)
R=(--rules rules/default.yaml "${NOW[@]}")
export HUAWEICLOUD_SDK_AK=AKMERGE HUAWEICLOUD_SDK_SK=SKmerge0123456789
S=(--ak AKMERGE --sk SKmerge0123456789)

# Three projects: two in cn-north-4, one in ap-southeast-1, pulled
# incomplete (one record more declared than served) and kept.
gen_data 30 11 "$T/p1.jsonl"
gen_data 40 12 "$T/p2.jsonl"
gen_data 25 13 "$T/p3.jsonl"
pull() {  # pull NAME CODE PROJECT REGION DATA [fake server options]
  local name=$1 code=$2 project=$3 region=$4 data=$5
  shift 5
  start_server "$data" "${S[@]}" --project-id "$project" "$@"
  run "pull-$name" "$code" "$IMGAUDIT" report --endpoint "$ENDPOINT" --region "$region" \
    --project-id "$project" "${R[@]}" --allow-incomplete -o "$T/$name.json" -q
}
pull p1 0 proj-one cn-north-4 "$T/p1.jsonl"
pull p2 0 proj-two cn-north-4 "$T/p2.jsonl"
# Incomplete data is exit 3, even with the reports written.
pull p3 3 proj-three ap-southeast-1 "$T/p3.jsonl" --faults '{"drift": {"after": 0, "count": -1, "delta": 1}}'
stop_server

M=("$T/p1.json" "$T/p2.json" "$T/p3.json")
run merge 1 "$IMGAUDIT" merge "${M[@]}" --fail-on critical \
  -o "$T/org.json" -o "$T/org.csv" -o "$T/org.xlsx" -o "$T/org.html" \
  -o "$T/org.sarif" -o "$T/org.junit.xml"
has merge-source "$T/merge.out" "Source:    3 merged reports"
has merge-incomplete "$T/merge.out" "INCOMPLETE: expected 96 records, received 95"
if /usr/bin/python3 tests/tools/check_report_json.py docs/report-schema.json "$T/org.json" >"$T/schema.out" 2>&1; then pass; else fail "merged report: schema and consistency"; tail -5 "$T/schema.out" >&2; fi
"$PY" - "$T/org.json" "${M[@]}" <<'PY' && pass || fail "merged report: sources and findings"
import collections, hashlib, json, sys
org = json.load(open(sys.argv[1]))
src = [json.load(open(p)) for p in sys.argv[2:]]
m = org["meta"]
assert m["source"]["provenance"] == "merge" and m["source"]["label"] == "merged reports (see sources)"
assert m["complete"] is False and m["expected_records"] == 96, m
assert m["mixed_rules"] is False and m["baseline"] is None
want = [("proj-one", "cn-north-4", True), ("proj-two", "cn-north-4", True), ("proj-three", "ap-southeast-1", False)]
got = [(s["project_id"], s["region"], s["complete"]) for s in org["sources"]]
assert got == want, got
assert all(s["provenance"] == "pull" and s["records_format"] == "jsonl" for s in org["sources"])
for s, p, r in zip(org["sources"], sys.argv[2:], src):
    assert s["path"] == p and s["sha256"] == hashlib.sha256(open(p, "rb").read()).hexdigest()
    assert (s["images"], s["findings"]) == (len(r["inventory"]), len(r["findings"]))
    assert s["open"] == r["summary"]["open"], (s["open"], r["summary"]["open"])
# Every finding of every project, each once, with its project and region.
per = collections.Counter((f["project_id"], f["region"]) for f in org["findings"])
assert per == {(p, g): len(r["findings"]) for (p, g, _), r in zip(want, src)}, per
key = lambda f: (f["rule_id"], f["namespace"], f["image_name"], f["image_version"], f["message"])
for (p, g, _), r in zip(want, src):
    mine = sorted(key(f) for f in org["findings"] if f["project_id"] == p)
    assert mine == sorted(key(f) for f in r["findings"]), p
assert [x["id"] for x in org["rules"]] == [x["id"] for x in src[0]["rules"]]
n = len(src[0]["rules"])
assert [x["findings"] for x in org["rules"]] == [sum(r["rules"][i]["findings"] for r in src) for i in range(n)]
PY
# The summary's row per project.
grep -qE '^proj-one +cn-north-4 +30 +[0-9]+ +[0-9]+ +0 +yes +'"$T"'/p1.json$' "$T/merge.out" && pass || fail "summary row proj-one"
grep -qE '^proj-three +ap-southeast-1 +25 +[0-9]+ +[0-9]+ +0 +NO +'"$T"'/p3.json$' "$T/merge.out" && pass || fail "summary row proj-three"
"$PY" -c "
import csv, sys
rows = list(csv.DictReader(open('$T/org.csv', newline='')))
sys.exit(0 if {r['project_id'] for r in rows} == {'proj-one', 'proj-two', 'proj-three'}
         and all(r['region'] == ('ap-southeast-1' if r['project_id'] == 'proj-three' else 'cn-north-4') for r in rows) else 1)" \
  && pass || fail "CSV project_id and region columns"
if /usr/bin/python3 tests/tools/check_report_xlsx.py "$T/org.xlsx" "$T/org.json" >"$T/xlsx.out" 2>&1; then pass; else fail "merged XLSX"; tail -5 "$T/xlsx.out" >&2; fi
"$PY" tests/tools/html_table.py "$T/org.html" projects-table >"$T/org-projects.json"
"$PY" - "$T/org-projects.json" <<'PY' && pass || fail "merged HTML: a row per project"
import json, sys
rows = json.load(open(sys.argv[1]))
assert [r[:2] for r in rows[1:]] == [["proj-one", "cn-north-4"], ["proj-two", "cn-north-4"],
                                     ["proj-three", "ap-southeast-1"]], rows
assert rows[3][8] == "INCOMPLETE", rows[3]
PY
# SARIF (the official schema's subset) and JUnit from the pages on disk:
# one result per finding, one failing test case per rule with open
# critical findings.
"$PY" - tests/data/sarif/sarif-2.1.0-subset.schema.json "$T/org.sarif" "$T/org.junit.xml" "$T/org.json" <<'PY' && pass || fail "merged SARIF and JUnit"
import json, sys
import xml.etree.ElementTree as ET
import jsonschema
schema, log, rep = (json.load(open(p, encoding="utf-8")) for p in (sys.argv[1], sys.argv[2], sys.argv[4]))
errs = list(jsonschema.Draft4Validator(schema).iter_errors(log))
assert not errs, errs[0]
results = log["runs"][0]["results"]
assert len(results) == len(rep["findings"]), (len(results), len(rep["findings"]))
assert [r["ruleId"] for r in results] == [f["rule_id"] for f in rep["findings"]]
suites = ET.parse(sys.argv[3]).getroot()
failed = {ts.get("name") for ts in suites.iter("testsuite") if ts.find("testcase/failure") is not None}
crit = {f["rule_id"] for f in rep["findings"] if f["severity"] == "critical" and f["status"] != "waived"}
assert crit and failed == crit, (failed, crit)
lines = [l for ts in suites.iter("testsuite") if ts.get("name") in crit
         for l in ts.find("testcase/failure").text.splitlines()[1:]]
n = sum(1 for f in rep["findings"] if f["rule_id"] in crit)
assert len(lines) == n, (len(lines), n)     # every open critical image listed
PY
# Byte-identical when run again (every format).
mkdir -p "$T/again"
run merge-again 1 "$IMGAUDIT" merge "${M[@]}" --fail-on critical -q \
  -o "$T/again/org.json" -o "$T/again/org.csv" -o "$T/again/org.xlsx" -o "$T/again/org.html" \
  -o "$T/again/org.sarif" -o "$T/again/org.junit.xml"
for ext in json csv xlsx html sarif junit.xml; do
  if cmp -s "$T/org.$ext" "$T/again/org.$ext"; then pass; else fail "merge: $ext differs on a rerun"; fi
done
# A merged report merged again keeps its sources.
run merge-nested 3 "$IMGAUDIT" merge "$T/org.json" -o "$T/nested.csv" -o "$T/nested.json" -q
same merge-nested-csv "$T/nested.csv" "$T/org.csv"
"$PY" -c "
import json,sys
a, b = (json.load(open(p))['sources'] for p in ('$T/org.json', '$T/nested.json'))
sys.exit(0 if a == b else 1)" && pass || fail "nested merge: the same sources"

# ---- other rules: refused, every report at fault named; allowed on request
run p4 0 "$IMGAUDIT" report "${R[@]}" --set max_vulns=10 --input "$T/p1.jsonl" -o "$T/p4.json" -q
sed 's/severity: high/severity: medium/' rules/default.yaml >"$T/rules-medium.yaml"
run p5 0 "$IMGAUDIT" report --rules "$T/rules-medium.yaml" "${NOW[@]}" --input "$T/p2.jsonl" -o "$T/p5.json" -q
run mixed 2 "$IMGAUDIT" merge "$T/p1.json" "$T/p4.json" "$T/p5.json" -o "$T/never.json"
cat >"$T/mixed.want" <<EOF
$T/p4.json: error: made with other rules than $T/p1.json (other params): merge reports made with the same rule files and --set values, or pass --allow-mixed-rules to merge them anyway (the report then says so)
$T/p5.json: error: made with other rules than $T/p1.json (other rule files): merge reports made with the same rule files and --set values, or pass --allow-mixed-rules to merge them anyway (the report then says so)
EOF
same mixed-err "$T/mixed.err" "$T/mixed.want"
[[ ! -e "$T/never.json" ]] && pass || fail "a refused merge wrote a report"
run mixed-ok 0 "$IMGAUDIT" merge "$T/p1.json" "$T/p4.json" "$T/p5.json" --allow-mixed-rules -o "$T/mixed.json"
has mixed-ok-source "$T/mixed-ok.out" "Source:    3 merged reports, made with different rules (--allow-mixed-rules)"
"$PY" - "$T/mixed.json" "$T/p1.json" "$T/p4.json" "$T/p5.json" <<'PY' && pass || fail "mixed rules: said, and no severity changed"
import json, sys
org = json.load(open(sys.argv[1]))
assert org["meta"]["mixed_rules"] is True
assert any("merged with --allow-mixed-rules: " in w and sys.argv[3] in w and sys.argv[4] in w
           for w in org["meta"]["warnings"]), org["meta"]["warnings"]
assert [s["other_rules"] for s in org["sources"]] == [False, True, True]
p1, p5 = json.load(open(sys.argv[2])), json.load(open(sys.argv[4]))
rules = {r["id"]: r["severity"] for r in org["rules"]}
# The rules p5 rated medium instead of high are rules of their own.
moved = [r["id"] for r in p1["rules"] if r["severity"] == "high"]
assert moved and rules == dict({r["id"]: r["severity"] for r in p1["rules"]},
                               **{i + "@3": "medium" for i in moved}), rules
for i in moved:
    n = sum(1 for f in p5["findings"] if f["rule_id"] == i)
    assert sum(1 for f in org["findings"] if f["rule_id"] == i + "@3" and f["severity"] == "medium") == n
PY
if /usr/bin/python3 tests/tools/check_report_json.py docs/report-schema.json "$T/mixed.json" >/dev/null 2>&1; then pass; else fail "mixed report not valid"; fi

# ---- the same report twice; not a report; nothing to merge
cp "$T/p1.json" "$T/copy.json"
run twice 2 "$IMGAUDIT" merge "$T/p1.json" "$T/copy.json" -o "$T/never.json"
eq twice-msg "$(cat "$T/twice.err")" \
  "$T/copy.json: error: the same report as $T/p1.json (the same SHA-256): merging it twice would count its findings twice"
run not-report 3 "$IMGAUDIT" merge "$T/p1.json" "$T/p1.jsonl" -o "$T/never.json"
has not-report-msg "$T/not-report.err" "$T/p1.jsonl"
run no-reports 2 "$IMGAUDIT" merge -o "$T/never.json"
has no-reports-msg "$T/no-reports.err" "merge needs the JSON reports to combine: A.json B.json ..."
run out-is-in 2 "$IMGAUDIT" merge "$T/p1.json" "$T/p2.json" -o "$T/p2.json"
has out-is-in-msg "$T/out-is-in.err" "-o $T/p2.json is the same file as report $T/p2.json"
finish

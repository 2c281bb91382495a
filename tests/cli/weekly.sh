#!/usr/bin/env bash
# Week over week (docs/weekly.md): waivers (matching, expiry at the
# boundary, governance states, gates, --max-waiver-days), baselines
# (new, existing, resolved, first_seen carried, rebuilt tags, incomplete
# runs, bad baselines) and `imgaudit diff`, checked in CSV, JSON (schema),
# XLSX (openpyxl) and HTML.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
D=tests/data/weekly
R=(--rules $D/rules.yaml --waivers $D/waivers.yaml --input $D/images.jsonl)
NOW=2026-11-27T08:00:00Z

# ---- waiver matching: by rule id, by "*", unknown never waives, first wins
run match 1 "$IMGAUDIT" report "${R[@]}" --now $NOW --fail-on high -o "$T/m.json" -o "$T/m.csv"
$PY - "$T/m.json" <<'PY' && pass || fail "waiver matching"
import json, sys
r = json.load(open(sys.argv[1]))
f = {(x["rule_id"], x["image_name"]): x for x in r["findings"]}
lab = f[("VULNS", "tool")]
assert lab["status"] == "waived" and lab["waiver_id"] == "W-LAB", lab
assert lab["waivers"] == ["W-LAB", "W-LAB-ALL"], lab["waivers"]      # all matches, first applies
assert f[("VULNS", "api")]["status"] == "open" and f[("VULNS", "api")]["waiver_id"] is None
orphan = f[("VULNS", "orphan")]                  # namespace missing: unknown, not waived
assert orphan["status"] == "open" and orphan["waivers"] == [], orphan
web = f[("NO-REGISTRY", "web")]                  # only an expired waiver matched
assert web["status"] == "waiver-expired" and web["waiver_id"] == "W-OLD", web
w = {x["id"]: x for x in r["waivers"]}
assert (w["W-LAB"]["state"], w["W-LAB"]["findings_waived"], w["W-LAB"]["unknown"]) == ("active", 1, 1)
assert (w["W-LAB-ALL"]["findings_matched"], w["W-LAB-ALL"]["findings_waived"]) == (1, 0)
assert (w["W-ORPHAN"]["state"], w["W-ORPHAN"]["unknown"]) == ("unused", 1), w["W-ORPHAN"]
assert w["W-OLD"]["state"] == "expired" and w["W-OLD"]["findings_matched"] == 1
assert r["summary"]["waived"]["total"] == 1 and r["summary"]["open"]["high"] == 2
PY
has match-csv "$T/m.csv" '"high","VULNS","lab","tool","2.0","Too many vulnerabilities","","waived","new","Too many vulnerabilities","2026-11-27T08:00:00Z",0,'
has match-csv-expired "$T/m.csv" '"W-OLD","Expired","web-team","2026-01-31",3'
has match-summary "$T/match.out" "W-LAB      active          1       1        1  2027-03-31            lab-team"
has match-summary-open "$T/match.out" "Status:    3 open, 1 waived"

# ---- expiry exactly at the end of the day (UTC), expiring, expired
run before 0 "$IMGAUDIT" report "${R[@]}" --now 2027-03-31T23:59:59.999Z -o "$T/before.json" -q
run after 0 "$IMGAUDIT" report "${R[@]}" --now 2027-04-01T00:00:00.001Z -o "$T/after.json" -q
$PY - "$T/before.json" "$T/after.json" <<'PY' && pass || fail "expiry boundary"
import json, sys
b, a = (json.load(open(p)) for p in sys.argv[1:3])
st = lambda r: {x["id"]: x["state"] for x in r["waivers"]}
assert st(b)["W-LAB"] == "expiring" and st(a)["W-LAB"] == "expired", (st(b), st(a))
lab = lambda r: [x for x in r["findings"] if x["image_name"] == "tool"][0]
# Once W-LAB has expired, the next matching waiver (W-LAB-ALL, still active) applies.
assert lab(b)["waiver_id"] == "W-LAB" and lab(a)["waiver_id"] == "W-LAB-ALL", (lab(b), lab(a))
assert lab(a)["status"] == "waived" and lab(a)["waivers"] == ["W-LAB", "W-LAB-ALL"]
PY
run warn 0 "$IMGAUDIT" report "${R[@]}" --now 2027-03-01T00:00:00Z --warn-expiring 10 -q -o "$T/warn.json"
has warn-active "$T/warn.json" '"id":"W-LAB","rule":"VULNS"'
$PY -c "import json,sys; r=json.load(open('$T/warn.json')); assert {w['id']:w['state'] for w in r['waivers']}['W-LAB']=='active'" \
  && pass || fail "30 days before expiry with --warn-expiring 10 is active"

# ---- gates
run expired-gate 1 "$IMGAUDIT" report "${R[@]}" --now $NOW --fail-on-expired-waivers
has expired-gate-line "$T/expired-gate.out" "  --fail-on-expired-waivers: FAIL, 1 expired waiver"
run horizon 2 "$IMGAUDIT" report "${R[@]}" --now $NOW --max-waiver-days 200
has horizon-msg "$T/horizon.err" "waiver 'W-LAB-ALL' expires 2027-06-30, more than 200 days from now"
lacks horizon-lab "$T/horizon.err" "waiver 'W-LAB' expires"
# Fully waived: only the lab image, waived -> the gate passes.
grep '"lab"' $D/images.jsonl >"$T/lab.jsonl"
run all-waived 0 "$IMGAUDIT" report --rules $D/rules.yaml --waivers $D/waivers.yaml \
  --input "$T/lab.jsonl" --now $NOW --fail-on info
has all-waived-line "$T/all-waived.out" "  --fail-on info: pass, 0 open findings at or above info"

# ---- baseline: week 1 (no api, no tool), week 2 (all, api rebuilt with a new digest)
grep -v '"tool"\|"api"' $D/images.jsonl >"$T/w1.jsonl"
echo '{"id":9,"namespace":"prod","image_name":"gone","image_version":"1","registry_name":"swr","vul_num":99}' >>"$T/w1.jsonl"
sed 's/"sha256:a1"/"sha256:a0"/' $D/images.jsonl | grep '"api"' >>"$T/w1.jsonl"
run week1 0 "$IMGAUDIT" report "${R[@]/$D\/images.jsonl/$T/w1.jsonl}" --now 2026-11-20T08:00:00Z -o "$T/w1.json" -q
run week2 0 "$IMGAUDIT" report "${R[@]}" --now $NOW --baseline "$T/w1.json" --fail-on-new high \
  -o "$T/w2.json" -o "$T/w2.csv" -o "$T/w2.xlsx" -o "$T/w2.html" -o "$T/w2.sarif" -o "$T/w2.junit.xml"
$PY - "$T/w2.json" <<'PY' && pass || fail "baseline round trip (JSON)"
import json, sys
r = json.load(open(sys.argv[1]))
f = {(x["rule_id"], x["image_name"]): x for x in r["findings"]}
api = f[("VULNS", "api")]            # rebuilt tag: same finding, first seen a week ago
assert api["change"] == "existing" and api["first_seen"] == "2026-11-20T08:00:00Z" and api["age_days"] == 7, api
assert f[("VULNS", "tool")]["change"] == "new" and f[("VULNS", "tool")]["status"] == "waived"
assert [x["image_name"] for x in r["resolved"]] == ["gone"], r["resolved"]
s = r["summary"]
assert (s["new"]["total"], s["existing"]["total"], s["resolved"]["total"]) == (1, 3, 1), s
assert r["meta"]["baseline"]["findings"] == 4 and s["resolved_trusted"] is True
assert r["meta"]["gate"]["failed"] == [], r["meta"]["gate"]   # the only new one is waived
PY
has week2-gate "$T/week2.out" "  --fail-on-new high: pass, 0 new open findings at or above high"
has week2-changes "$T/week2.out" "Changes:   1 new, 3 existing, 1 resolved"
has week2-csv "$T/w2.csv" '"high","VULNS","prod","api","1.0","Too many vulnerabilities","","open","existing","Too many vulnerabilities","2026-11-20T08:00:00Z",7,'
# CSV, SARIF and JUnit list no resolved findings and no inventory: the
# resolved findings are counted, not read again (BASELINE_COUNT_RESOLVED),
# and an image keeps only its findings' columns, or its identity
# (STREAM_LEAN_IMAGES). The summary, the gate and the reports are the same.
run week2-csv-only 0 "$IMGAUDIT" report "${R[@]}" --now $NOW --baseline "$T/w1.json" \
  --fail-on-new high -o "$T/w2-only.csv" -o "$T/w2-only.sarif" -o "$T/w2-only.junit.xml"
eq week2-csv-only-summary "$(sed -n '/^Baseline:/,/^$/p;/fail-on-new/p' "$T/week2-csv-only.out")" \
  "$(sed -n '/^Baseline:/,/^$/p;/fail-on-new/p' "$T/week2.out")"
has week2-csv-only-resolved "$T/week2-csv-only.out" "  resolved: 1 high"
for f in csv sarif junit.xml; do
  cmp -s "$T/w2.$f" "$T/w2-only.$f" && pass || fail "without a full report, a baseline gave another $f"
done
# The same baseline from standard input: redirected from the file, it is
# mapped like the file; from a pipe, copied to a nameless temporary file
# and mapped (report/reader.c). The same CSV (which lists no resolved finding).
run week2-stdin 0 "$IMGAUDIT" report "${R[@]}" --now $NOW --baseline - -q -o "$T/w2-stdin.csv" <"$T/w1.json"
cmp -s "$T/w2.csv" "$T/w2-stdin.csv" && pass || fail "a baseline on standard input gave another CSV"
run week2-pipe 0 sh -c 'cat "$1" | "$2" report "$3" "$4" "$5" "$6" "$7" "$8" --now "$9" --baseline - -q -o "${10}"' \
  sh "$T/w1.json" "$IMGAUDIT" "${R[@]}" $NOW "$T/w2-pipe.csv"
cmp -s "$T/w2.csv" "$T/w2-pipe.csv" && pass || fail "a baseline from a pipe gave another CSV"
# Without a usable $TMPDIR (the report test driver needs none of its own,
# and comparing a report with itself resolves nothing, whose images would
# go there): a redirected file needs no copy, a pipe cannot be read.
run stdin-mapped 0 env TMPDIR="$T/missing" "$REREAD" --baseline - "$T/w1.json" -o "$T/rr.csv" <"$T/w1.json"
# The resolved findings' images go to temporary files: exit 4 without.
run resolved-tmp 4 env TMPDIR="$T/missing" "$REREAD" --baseline "$T/w1.json" "$T/w2.json"
has resolved-tmp-msg "$T/resolved-tmp.err" \
  "cannot create a temporary file in $T/missing for the report's images and findings"
run pipe-tmp 3 sh -c 'cat "$1" | TMPDIR="$2" "$3" --baseline - "$4"' sh "$T/w1.json" "$T/missing" "$REREAD" \
  "$T/w2.json"
has pipe-tmp-msg "$T/pipe-tmp.err" \
  "<stdin>: error: cannot create a temporary file in $T/missing to read it into: No such file or directory"
if $PY tests/tools/check_report_json.py docs/report-schema.json "$T/w2.json" "$T/w1.json" "$T/m.json" >"$T/schema.out" 2>&1; then pass; else fail "schema"; tail -5 "$T/schema.out" >&2; fi
$PY - "$T/w2.xlsx" <<'PY' && pass || fail "baseline round trip (XLSX)"
import datetime, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ch = list(wb["Changes"].iter_rows(values_only=True))
head, rows = ch[0], ch[1:]
c = {n: i for i, n in enumerate(head)}
assert sorted((r[c["change"]], r[c["image_name"]]) for r in rows) == [("new", "tool"), ("resolved", "gone")], rows
fnd = list(wb["Findings"].iter_rows(values_only=True))
api = [r for r in fnd[1:] if r[c["image_name"]] == "api"][0]
assert api[c["first_seen"]] == datetime.datetime(2026, 11, 20, 8, 0), api[c["first_seen"]]
w = list(wb["Waivers"].iter_rows(values_only=True))
assert w[0][:2] == ("id", "state") and [r[0] for r in w[1:5]] == ["W-LAB", "W-LAB-ALL", "W-ORPHAN", "W-OLD"]
assert isinstance(w[1][5], datetime.datetime)
PY
$PY - "$T/w2.html" <<'PY' && pass || fail "baseline round trip (HTML)"
import sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(s):
        super().__init__(); s.rows = []; s.ids = set()
    def handle_starttag(s, tag, a):
        a = dict(a)
        if "id" in a: s.ids.add(a["id"])
        if tag == "tr" and "data-change" in a: s.rows.append((a.get("data-status"), a["data-change"]))
p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
assert {"changes", "waivers", "resolved-table", "waivers-table", "statusfilter", "changefilter"} <= p.ids, p.ids
assert sorted(p.rows, key=str) == sorted([("open", "existing"), ("waived", "new"), ("open", "existing"),
                                 ("waiver-expired", "existing"), (None, "resolved")], key=str), p.rows
PY

# ---- diff equals --baseline on the same data
run week2-plain 0 "$IMGAUDIT" report "${R[@]}" --now $NOW -o "$T/p.json" -q
run diff 1 "$IMGAUDIT" diff "$T/w1.json" "$T/p.json" --fail-on-new high --fail-on high -o "$T/d.json" -o "$T/d.csv" -q
run week2-both 1 "$IMGAUDIT" report "${R[@]}" --now $NOW --baseline "$T/w1.json" --fail-on-new high --fail-on high -o "$T/b.json" -o "$T/b.csv" -q
if cmp -s "$T/d.json" "$T/b.json" && cmp -s "$T/d.csv" "$T/b.csv"; then pass; else fail "diff differs from --baseline"; diff <(jq -S . "$T/b.json") <(jq -S . "$T/d.json") | head >&2; fi
$PY -c "import json; g=json.load(open('$T/b.json'))['meta']['gate']; assert g['failed']==['fail_on'], g" && pass || fail "verdict names the failed gate"

# A baseline whose findings are out of order (the reader puts them back
# in report order) compares as the original, resolved findings in the
# same order; one that has every finding twice too, except that each
# resolved one is listed twice.
{ cat "$T/w1.jsonl"; echo '{"id":10,"namespace":"prod","image_name":"gone2","image_version":"1","vul_num":99}'; } >"$T/w1c.jsonl"
run week1c 0 "$IMGAUDIT" report "${R[@]/$D\/images.jsonl/$T/w1c.jsonl}" --now 2026-11-20T08:00:00Z -o "$T/w1-in-order.json" -q
jq -c '.findings |= reverse' "$T/w1-in-order.json" >"$T/w1-rev.json"
jq -c '.findings += .findings' "$T/w1-in-order.json" >"$T/w1-dup.json"
for b in in-order rev dup; do
  run "base-$b" 0 "$IMGAUDIT" report "${R[@]}" --now $NOW --baseline "$T/w1-$b.json" -o "$T/$b.csv" \
    -o "$T/$b.json" -q
done
cmp -s "$T/rev.csv" "$T/in-order.csv" && pass || fail "a baseline out of order: the CSV differs"
resolved() { jq -c '[.resolved[] | [.rule_id, .image_name]]' "$1"; }
eq base-in-order-resolved "$(resolved "$T/in-order.json")" \
  '[["VULNS","gone"],["VULNS","gone2"],["NO-REGISTRY","gone2"]]'
eq base-rev-resolved "$(resolved "$T/rev.json")" "$(resolved "$T/in-order.json")"
cmp -s "$T/dup.csv" "$T/in-order.csv" && pass || fail "a baseline with its findings twice: the CSV differs"
eq base-dup-resolved "$(resolved "$T/dup.json")" \
  '[["VULNS","gone"],["VULNS","gone"],["VULNS","gone2"],["VULNS","gone2"],["NO-REGISTRY","gone2"],["NO-REGISTRY","gone2"]]'
# Two rows of one identity first seen on other days: the earliest wins,
# though it comes second (api's VULNS, again with an earlier first_seen
# and the age_days that goes with it, appended to the findings).
jq -c '.findings += [.findings[] | select(.rule_id == "VULNS" and .image_name == "api")
                     | .first_seen = "2026-11-01T08:00:00Z" | .age_days = 19]' \
  "$T/w1-in-order.json" >"$T/w1-earlier.json"
run base-earlier 0 "$IMGAUDIT" report "${R[@]}" --now $NOW --baseline "$T/w1-earlier.json" -o "$T/earlier.csv" -q
has base-earlier-csv "$T/earlier.csv" '"high","VULNS","prod","api","1.0","Too many vulnerabilities","","open","existing","Too many vulnerabilities","2026-11-01T08:00:00Z",26,'

# The baseline's SHA-256 is of its bytes, hashed as the reader passes
# them: a baseline of 5,000 images (about 11 MB, so read in steps and its
# pages given back), as written and with its keys sorted by jq (findings
# then come before rules and are read after the walk).
python3 tests/tools/gen_images.py --count 5000 --seed 7 -o "$T/big.jsonl"
run big-base 0 "$IMGAUDIT" report --rules rules/default.yaml --input "$T/big.jsonl" \
  --now 2026-11-20T08:00:00Z -o "$T/big-base.json" -q
jq -S . "$T/big-base.json" >"$T/big-sorted.json"
for b in base sorted; do
  run "big-$b-vs" 0 "$IMGAUDIT" report --rules rules/default.yaml --input "$T/big.jsonl" --now $NOW \
    --baseline "$T/big-$b.json" -o "$T/big-$b-vs.json" -q
  eq "big-$b-sha256" "$(jq -r .meta.baseline.sha256 "$T/big-$b-vs.json")" \
    "$(sha256sum "$T/big-$b.json" | cut -d' ' -f1)"
done
eq big-sorted-same "$(jq -c '.findings' "$T/big-sorted-vs.json" | sha256sum)" \
  "$(jq -c '.findings' "$T/big-base-vs.json" | sha256sum)"

# A new open high finding fails --fail-on-new (week 1 had no api at all).
grep -v '"api"' "$T/w1.jsonl" >"$T/w1b.jsonl"
run week1b 0 "$IMGAUDIT" report "${R[@]/$D\/images.jsonl/$T/w1b.jsonl}" --now 2026-11-20T08:00:00Z -o "$T/w1b.json" -q
run new-high 1 "$IMGAUDIT" report "${R[@]}" --now $NOW --baseline "$T/w1b.json" --fail-on-new high
has new-high-line "$T/new-high.out" "  --fail-on-new high: FAIL, 1 new open finding at or above high"

# ---- bad baselines
run later 2 "$IMGAUDIT" report "${R[@]}" --now 2026-11-01T00:00:00Z --baseline "$T/w1.json"
has later-msg "$T/later.err" "the baseline was evaluated as of 2026-11-20T08:00:00Z, later than this run's 2026-11-01T00:00:00Z"
head -c 3000 "$T/w1.json" >"$T/trunc.json"
run truncated 3 "$IMGAUDIT" report "${R[@]}" --now $NOW --baseline "$T/trunc.json"
has truncated-msg "$T/truncated.err" "trunc.json:"
has truncated-why "$T/truncated.err" "the report ends early (truncated?)"
# The baseline is read while the records are evaluated; its error is
# still the only one, with its exit code, and no report is written,
# whatever the records hold (here a record that is not JSON).
{ head -n 2 $D/images.jsonl; echo '{"id": 1,'; } >"$T/bad-records.jsonl"
run bad-records 3 "$IMGAUDIT" report --rules $D/rules.yaml --input "$T/bad-records.jsonl" --now $NOW -o "$T/never.csv"
lacks bad-records-alone "$T/bad-records.err" "trunc.json"
run truncated-bad-records 3 "$IMGAUDIT" report --rules $D/rules.yaml --input "$T/bad-records.jsonl" --now $NOW \
  --baseline "$T/trunc.json" -o "$T/never.csv"
eq truncated-bad-records-err "$(cat "$T/truncated-bad-records.err")" "$(cat "$T/truncated.err")"
[[ ! -e "$T/never.csv" ]] && pass || fail "a truncated baseline wrote a report"
run later-bad-records 2 "$IMGAUDIT" report --rules $D/rules.yaml --input "$T/bad-records.jsonl" \
  --now 2026-11-01T00:00:00Z --baseline "$T/w1.json" -o "$T/never.csv"
eq later-bad-records-err "$(cat "$T/later-bad-records.err")" "$(cat "$T/later.err")"
run not-report 3 "$IMGAUDIT" report "${R[@]}" --now $NOW --baseline $D/images.jsonl
has not-report-msg "$T/not-report.err" "not a JSON report"
echo '{"schema":"imgaudit-report","schema_version":1}' >"$T/v1.json"
run v1 3 "$IMGAUDIT" report "${R[@]}" --now $NOW --baseline "$T/v1.json"
has v1-msg "$T/v1.err" "report schema version 1 is not supported (this imgaudit reads versions 2 to 4"
# A version 2 report (before snapshot provenance) is still a baseline.
jq '.schema_version=2 | .meta.source={kind: "file", input_path: "w1.jsonl", input_format: "jsonl",
    endpoint: null, region: null, project_id: null, enterprise_project_id: null, filters: [],
    total_num: null, records_received: .meta.source.records_received, duplicates_dropped: 0,
    pages: 0, retries: 0, sha256: .meta.source.sha256}' "$T/w1.json" >"$T/v2.json"
run v2 1 "$IMGAUDIT" report "${R[@]}" --now $NOW --baseline "$T/v2.json" --fail-on-new high --fail-on high
has v2-changes "$T/v2.out" "Changes:   1 new, 3 existing, 1 resolved"
jq -c '.meta.source.project_id="proj-a"' "$T/w1.json" >"$T/proj.json"
jq -c '.meta.complete=false | .meta.expected_records=10' "$T/w1.json" >"$T/inc.json"
run incomplete 0 "$IMGAUDIT" report "${R[@]}" --now $NOW --baseline "$T/inc.json" -o "$T/inc-out.json"
has incomplete-line "$T/incomplete.out" "resolved not listed: the baseline was INCOMPLETE"
$PY -c "import json; r=json.load(open('$T/inc-out.json')); assert r['resolved']==[] and not r['summary']['resolved_trusted']" \
  && pass || fail "incomplete baseline lists no resolved findings"
run other-rules 0 "$IMGAUDIT" report --rules rules/default.yaml --input $D/images.jsonl --now $NOW --baseline "$T/w1.json" -o "$T/o.json"
has other-rules-warn "$T/other-rules.err" "imgaudit: warning: baseline w1.json was made with other rule files"
has other-rules-meta "$T/o.json" "was made with other rule files"

# ---- an output that is a waiver file or the baseline is refused (dev/inode)
cp $D/waivers.yaml "$T/wv.yaml"
run out-is-waivers 2 "$IMGAUDIT" report --rules $D/rules.yaml --waivers "$T/wv.yaml" --input $D/images.jsonl \
  --now $NOW -o "$T/./wv.yaml" --format json
has out-is-waivers-msg "$T/out-is-waivers.err" "is the same file as --waivers $T/wv.yaml"
run out-is-baseline 2 "$IMGAUDIT" report "${R[@]}" --now $NOW --baseline "$T/w1.json" -o "$T/w1.json"
has out-is-baseline-msg "$T/out-is-baseline.err" "is the same file as --baseline $T/w1.json"
run out-is-old 2 "$IMGAUDIT" diff "$T/w1.json" "$T/p.json" -o "$T/w1.json"
# diff reads OLD while it reads NEW: an error in NEW is still the only
# one (OLD is truncated too here), and OLD's comes only when NEW is good.
run diff-bad-new 3 "$IMGAUDIT" diff "$T/trunc.json" "$T/trunc.json" -o "$T/never.json"
has diff-bad-new-one "$T/diff-bad-new.err" "trunc.json:"
eq diff-bad-new-lines "$(wc -l <"$T/diff-bad-new.err")" 1
run diff-bad-old 3 "$IMGAUDIT" diff "$T/trunc.json" "$T/p.json" -o "$T/never.json"
eq diff-bad-old-err "$(cat "$T/diff-bad-old.err")" "$(cat "$T/truncated.err")"
run diff-later 2 "$IMGAUDIT" diff "$T/p.json" "$T/w1.json" -o "$T/never.json"
has diff-later-msg "$T/diff-later.err" "p.json: the baseline was evaluated as of"
[[ ! -e "$T/never.json" ]] && pass || fail "a failed diff wrote a report"
has out-is-old-msg "$T/out-is-old.err" "is the same file as OLD $T/w1.json"

# A baseline whose later rows on an image were made to hash as the
# first row's values (tests/data/collision): refused, located, as a
# baseline with other values there is.
C=tests/data/collision/baseline-collides.json
run base-collides 3 "$IMGAUDIT" report "${R[@]}" --now 2026-12-05T08:00:00Z --baseline "$C" \
  -o "$T/collide.csv" -q
has base-collides-msg "$T/base-collides.err" \
  "$C:1:74959: error: findings[32].image_name is \"EVILo/n(z;ipaVuJPRQd&5E\", but an earlier finding on image_index 29 has \"node\""
[[ ! -e $T/collide.csv ]] && pass || fail "base-collides: a report was written"
finish

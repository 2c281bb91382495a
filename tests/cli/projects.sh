#!/usr/bin/env bash
# One run, several sources (issue 9, "Many projects and regions", test
# 4): two fake servers as two projects in two regions, pulled by one
# `report` / `fetch` (--source REGION/PROJECT_ID with --region-endpoint),
# each completely, into one snapshot whose provenance lists them, and one
# report with project_id and region on every finding and a summary row
# per project: the same rows `imgaudit merge` makes of the two projects'
# own reports. One incomplete project makes the whole run INCOMPLETE
# (exit 3; 1 when a gate fails), naming the project and by how much. The
# finding identity includes project and region: the same image in two
# projects is two findings, last week's single-project baseline still
# matches, a baseline without projects matches every project, and a
# project left out of a run is not resolved. --project-id is repeatable
# (it kept only the last value), also for two projects at one endpoint. Docs: docs/reports.md, "Several projects
# in one run"; docs/weekly.md, "Finding identity".
. "$(dirname "$0")/../server/fetch-lib.sh"
export HUAWEICLOUD_SDK_AK=AKPROJ HUAWEICLOUD_SDK_SK=SKprojects0123456789
NOW=(--now 2026-11-27T08:00:00Z)
R=(--rules rules/default.yaml "${NOW[@]}")

# The second server (fetch-lib.sh runs one): started and stopped here.
SERVER2_PID=
stop_server2() {
  reap_server "$SERVER2_PID"
  SERVER2_PID=
}
trap 'stop_server; stop_server2; rm -rf "$T"' EXIT
start_server2() {  # start_server2 DATA [options]: sets ENDPOINT2, LOG2
  local data=$1
  shift
  stop_server2
  rm -f "$T/server2.log"
  LOG2="$T/server2.log"
  spawn_server "$T/port2" "$T/server2.out" --data "$data" --log "$LOG2" \
    --ak AKPROJ --sk SKprojects0123456789 "$@"
  SERVER2_PID=$SPAWNED_PID
  ENDPOINT2="http://127.0.0.1:$SPAWNED_PORT"
}

# proj-a in cn-north-4 and proj-b in ap-southeast-1 serve the same
# images, so that the identity test below has the same image in both.
gen_data 30 41 "$T/a.jsonl"
start_server "$T/a.jsonl" --project-id proj-a --ak AKPROJ --sk SKprojects0123456789
EA=$ENDPOINT
start_server2 "$T/a.jsonl" --project-id proj-b
P=(--source cn-north-4/proj-a --source ap-southeast-1/proj-b
   --region-endpoint "cn-north-4=$EA" --region-endpoint "ap-southeast-1=$ENDPOINT2")

# ---- both complete: one report, a row per project
run both 0 "$IMGAUDIT" report "${P[@]}" "${R[@]}" --save-snapshot "$T/snap.jsonl" \
  -o "$T/both.json" -o "$T/both.csv" -o "$T/both.sarif" -o "$T/both.xlsx" -o "$T/both.html"
has both-source "$T/both.out" "Source:    HSS API, 2 projects"
has both-records "$T/both.out" "Records:   60 received, total_num 60, 0 duplicates dropped, 2 pages, 0 retries"
grep -qE '^proj-a +cn-north-4 +30 +[0-9]+ +[0-9]+ +0 +yes +-$' "$T/both.out" && pass || fail "summary row proj-a"
grep -qE '^proj-b +ap-southeast-1 +30 +[0-9]+ +[0-9]+ +0 +yes +-$' "$T/both.out" && pass || fail "summary row proj-b"
has both-pull-a "$T/both.err" "imgaudit: project proj-a in cn-north-4: pulled 30 records (total_num 30, 1 page, 0 duplicates dropped, 0 retries) from $EA"
has both-pull-b "$T/both.err" "imgaudit: project proj-b in ap-southeast-1: pulled 30 records (total_num 30, 1 page, 0 duplicates dropped, 0 retries) from $ENDPOINT2"
has both-pull-total "$T/both.err" "imgaudit: pulled 60 records from 2 projects in"
if /usr/bin/python3 tests/tools/check_report_json.py docs/report-schema.json "$T/both.json" >"$T/schema.out" 2>&1; then pass; else fail "report of two projects: schema and consistency"; tail -5 "$T/schema.out" >&2; fi
if /usr/bin/python3 tests/tools/check_report_xlsx.py "$T/both.xlsx" "$T/both.json" >"$T/xlsx.out" 2>&1; then pass; else fail "XLSX of two projects"; tail -5 "$T/xlsx.out" >&2; fi
"$PY" tests/tools/html_table.py "$T/both.html" projects-table >"$T/both-projects.json"
/usr/bin/python3 - "$T/both.xlsx" "$T/both-projects.json" <<'PY' && pass || fail "XLSX Projects sheet and HTML Projects table"
import json, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["Projects"]
rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
assert [r[:4] for r in rows] == [["proj-a", "cn-north-4", None, None], ["proj-b", "ap-southeast-1", None, None]], rows
html = json.load(open(sys.argv[2]))
assert [r[:3] + r[-2:] for r in html[1:]] == [["proj-a", "cn-north-4", "30", "yes", "-"],
                                             ["proj-b", "ap-southeast-1", "30", "yes", "-"]], html
PY
# The snapshot: proj-a's records, then proj-b's; the provenance says so.
eq snap-lines "$(wc -l <"$T/snap.jsonl")" 60
"$PY" - "$T/snap.meta.json" "$T/snap.jsonl" "$EA" "$ENDPOINT2" <<'PY' && pass || fail "provenance of two projects"
import hashlib, json, sys
p = json.load(open(sys.argv[1]))
assert p["schema_version"] == 2, p["schema_version"]
assert (p["endpoint"], p["region"], p["project_id"]) == (None, None, None)
assert p["records_sha256"] == hashlib.sha256(open(sys.argv[2], "rb").read()).hexdigest()
got = [(s["endpoint"], s["region"], s["project_id"], s["records_received"], s["total_num"], s["complete"])
       for s in p["sources"]]
assert got == [(sys.argv[3], "cn-north-4", "proj-a", 30, 30, True),
               (sys.argv[4], "ap-southeast-1", "proj-b", 30, 30, True)], got
assert (p["records_received"], p["total_num"], p["complete"]) == (60, 60, True)
PY
# The snapshot gives the same report, byte for byte.
run from-snapshot 0 "$IMGAUDIT" report --input "$T/snap.jsonl" "${R[@]}" -o "$T/snap.json" -o "$T/snap.csv" -q
same snapshot-json "$T/snap.json" "$T/both.json"
same snapshot-csv "$T/snap.csv" "$T/both.csv"
# A snapshot whose provenance is not its own has no projects.
cp "$T/snap.jsonl" "$T/moved.jsonl"
sed 's/"proj-b"/"proj-x"/' "$T/snap.meta.json" >"$T/moved.meta.json"
printf '\n' >>"$T/moved.jsonl"
run moved 0 "$IMGAUDIT" report --input "$T/moved.jsonl" "${R[@]}" -o "$T/moved.json" -q
"$PY" -c "
import json, sys
r = json.load(open('$T/moved.json'))
sys.exit(0 if r['sources'] == [] and {f['project_id'] for f in r['findings']} == {None} else 1)" \
  && pass || fail "a changed snapshot: no sources, no projects"

# An evidence bundle of two projects is reproduced by verify; run.json
# lists them.
run evidence 0 "$IMGAUDIT" report "${P[@]}" "${R[@]}" -o "$T/ev.json" --evidence-dir "$T/ev" -q
run verify 0 "$IMGAUDIT" verify "$T"/ev/*/
has verify-reproduced "$T/verify.out" "reproduce: ok: reports/ev.json is reproduced byte for byte"
"$PY" -c "
import glob, json, sys
p = json.load(open(glob.glob('$T/ev/*/run.json')[0]))['pull']
sys.exit(0 if [(s['project_id'], s['region']) for s in p['sources']] ==
         [('proj-a', 'cn-north-4'), ('proj-b', 'ap-southeast-1')] and p['project_id'] is None else 1)" \
  && pass || fail "run.json: the pull's sources"

# The same rows as `merge` of the two projects' own reports.
run only-a 0 "$IMGAUDIT" report --endpoint "$EA" --region cn-north-4 --project-id proj-a "${R[@]}" \
  -o "$T/a.json" -o "$T/a.sarif" -q
run only-b 0 "$IMGAUDIT" report --endpoint "$ENDPOINT2" --region ap-southeast-1 --project-id proj-b \
  "${R[@]}" -o "$T/b.json" -q
run merge 0 "$IMGAUDIT" merge "$T/a.json" "$T/b.json" -o "$T/merged.json" -q
"$PY" - "$T/both.json" "$T/merged.json" <<'PY' && pass || fail "the sources table of one run equals merge's"
import json, sys
one, merged = (json.load(open(p)) for p in sys.argv[1:])
strip = lambda rows: [{k: v for k, v in s.items() if k not in ("path", "sha256")} for s in rows]
assert strip(one["sources"]) == strip(merged["sources"]), (one["sources"], merged["sources"])
assert [s["path"] for s in one["sources"]] == [None, None]
key = lambda f: (f["project_id"], f["region"], f["rule_id"], f["namespace"], f["image_name"],
                 f["image_version"], f["message"], f["status"], f["change"])
assert sorted(map(key, one["findings"])) == sorted(map(key, merged["findings"]))
assert one["summary"]["open"] == merged["summary"]["open"]
PY
# Every finding and image carries its project and region (CSV too).
"$PY" - "$T/both.json" "$T/both.csv" <<'PY' && pass || fail "project_id and region per finding and image"
import collections, csv, json, sys
r = json.load(open(sys.argv[1]))
per = collections.Counter((f["project_id"], f["region"]) for f in r["findings"])
n = len(r["findings"]) // 2
assert per == {("proj-a", "cn-north-4"): n, ("proj-b", "ap-southeast-1"): n}, per
assert [i["source"] for i in r["inventory"]] == [0] * 30 + [1] * 30
rows = list(csv.DictReader(open(sys.argv[2], newline="")))
assert collections.Counter((x["project_id"], x["region"]) for x in rows) == per
PY

# ---- the identity
# The same image in two projects is two findings: against proj-a's own
# report, proj-a's findings exist and proj-b's are new.
run base-a 0 "$IMGAUDIT" report --input "$T/snap.jsonl" "${R[@]}" --baseline "$T/a.json" -o "$T/vs-a.json" -q
# An old report without projects (schema 3, no project_id anywhere)
# matches every project of this run.
"$PY" - "$T/a.json" "$T/old.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r["schema_version"] = 3
for k in ("project_id", "region", "endpoint"):
    r["meta"]["source"][k] = None
for f in r["findings"]:
    f.pop("project_id"); f.pop("region")
json.dump(r, open(sys.argv[2], "w"), indent=1)
PY
run base-old 0 "$IMGAUDIT" report --input "$T/snap.jsonl" "${R[@]}" --baseline "$T/old.json" -o "$T/vs-old.json" -q
# Last week's single-project baseline against this week's single-project
# run: nothing new (its findings had no project_id column either).
run base-same 0 "$IMGAUDIT" report --endpoint "$EA" --region cn-north-4 --project-id proj-a "${R[@]}" \
  --baseline "$T/old.json" -o "$T/a-vs-old.json" -q
# A run of proj-a alone against the report of both: proj-b was not
# pulled, so none of its findings is resolved.
run base-both 0 "$IMGAUDIT" report --endpoint "$EA" --region cn-north-4 --project-id proj-a "${R[@]}" \
  --baseline "$T/both.json" -o "$T/a-vs-both.json" -q
# And a run of proj-b alone against it: proj-b's findings exist (the
# baseline's images are not read, but each finding row names its project).
run base-both-b 0 "$IMGAUDIT" report --endpoint "$ENDPOINT2" --region ap-southeast-1 \
  --project-id proj-b "${R[@]}" --baseline "$T/both.json" -o "$T/b-vs-both.json" -q
# The same with "sources" written last, after the findings that need it.
"$PY" -c "
import json
r = json.load(open('$T/both.json'))
r['sources'] = r.pop('sources')
json.dump(r, open('$T/both-sources-last.json', 'w'), indent=1)"
run base-sources-last-b 0 "$IMGAUDIT" report --endpoint "$ENDPOINT2" --region ap-southeast-1 \
  --project-id proj-b "${R[@]}" --baseline "$T/both-sources-last.json" -o "$T/b-vs-sources-last.json" -q
"$PY" -c "
import json, sys
a, b = (json.load(open(f'$T/{n}.json')) for n in ('b-vs-sources-last', 'b-vs-both'))
sys.exit(0 if (a['findings'], a['resolved']) == (b['findings'], b['resolved']) else 1)" \
  && pass || fail "a baseline with its sources last compares as in the writer's order"
"$PY" - "$T" <<'PY' && pass || fail "identity with project and region"
import collections, json, sys
t = sys.argv[1]
load = lambda n: json.load(open(f"{t}/{n}.json"))
def changes(r):
    return dict(collections.Counter((f["project_id"], f["change"]) for f in r["findings"]))
n = len(load("a")["findings"])
assert n > 0
assert changes(load("vs-a")) == {("proj-a", "existing"): n, ("proj-b", "new"): n}, changes(load("vs-a"))
assert changes(load("vs-old")) == {("proj-a", "existing"): n, ("proj-b", "existing"): n}
assert changes(load("a-vs-old")) == {("proj-a", "existing"): n}
r = load("a-vs-both")
assert changes(r) == {("proj-a", "existing"): n}
assert r["summary"]["resolved_trusted"] is True and r["resolved"] == [], len(r["resolved"])
r = load("b-vs-both")
assert changes(r) == {("proj-b", "existing"): n}, changes(r)
assert r["summary"]["resolved_trusted"] is True and r["resolved"] == [], len(r["resolved"])
PY
# A baseline with an identity both in a project and in no project (here
# the merge of proj-a's report and one without projects): a run of proj-b
# matches the one without a project and not proj-a's, which it did not
# pull, so none of them is resolved. Each baseline finding is resolved by
# its own project's match, not by the first compatible one's.
run mixed-base 0 "$IMGAUDIT" merge "$T/a.json" "$T/old.json" -o "$T/mixed-base.json" -q
run base-mixed 0 "$IMGAUDIT" report --endpoint "$ENDPOINT2" --region ap-southeast-1 --project-id proj-b \
  "${R[@]}" --baseline "$T/mixed-base.json" -o "$T/b-vs-mixed.json" -q
"$PY" - "$T/mixed-base.json" "$T/b-vs-mixed.json" <<'PY' && pass || fail "a baseline of a project and of none"
import collections, json, sys
base, r = (json.load(open(p)) for p in sys.argv[1:])
n = len(base["findings"]) // 2
assert collections.Counter(f["project_id"] for f in base["findings"]) == {"proj-a": n, None: n}
changes = dict(collections.Counter((f["project_id"], f["change"]) for f in r["findings"]))
assert changes == {("proj-b", "existing"): n}, changes
assert r["summary"]["resolved_trusted"] is True and r["resolved"] == [], \
    collections.Counter(f["project_id"] for f in r["resolved"])
PY
# A finding row whose project is not one of the sources' cannot be
# placed: the baseline is refused, located (a full read does not look at
# the column: each image's source says it).
"$PY" - "$T/both.json" "$T/badplace.json" "$T/badtype.json" "$T/badplace.want" <<'PY'
import sys
text = open(sys.argv[1]).read()
lines = text.split("\n")
i = next(k for k, l in enumerate(lines) if l.startswith('    {"severity"'))
was = lines[i]
at = was.index('"project_id":"') + len('"project_id":')
for name, value in ((sys.argv[2], '"proj-x"'), (sys.argv[3], '5')):
    end = was.index('"', at + 1) + 1
    lines[i] = was[:at] + value + was[end:]
    open(name, "w").write("\n".join(lines))
region = was[was.index('"region":"') + 10:].split('"')[0]
open(sys.argv[4], "w").write(
    f"{sys.argv[2]}:{i + 1}:{at + 1}: error: findings[0]: project_id \"proj-x\" and region "
    f"\"{region}\" are not those of any of the report's 2 sources\n"
    f"{sys.argv[3]}:{i + 1}:{at + 1}: error: findings[0].project_id: expected a string or null, found 5\n")
PY
run badplace 3 "$IMGAUDIT" report --input "$T/snap.jsonl" "${R[@]}" --baseline "$T/badplace.json" -q
run badtype 3 "$IMGAUDIT" report --input "$T/snap.jsonl" "${R[@]}" --baseline "$T/badtype.json" -q
eq badplace-message "$(grep error: "$T/badplace.err"; grep error: "$T/badtype.err")" "$(cat "$T/badplace.want")"
# SARIF: the v2 fingerprint has the project and region, and it is the
# same in a run of one project and in a run of two; v1 (without them) is
# written for one project only.
"$PY" - "$T/a.sarif" "$T/both.sarif" <<'PY' && pass || fail "SARIF fingerprints with project and region"
import json, sys
one, two = (json.load(open(p))["runs"][0]["results"] for p in sys.argv[1:])
v1, v2 = "imgauditFindingIdentity/v1", "imgauditFindingIdentity/v2"
assert all(set(r["partialFingerprints"]) == {v1, v2} for r in one)
assert all(set(r["partialFingerprints"]) == {v2} for r in two)
fa = {r["partialFingerprints"][v2] for r in one}
fb = {r["partialFingerprints"][v2] for r in two}
assert len(fb) == len(two) == 2 * len(one) and fa < fb, (len(fa), len(fb))
PY

# --project-id and --source together: --project-id's first (at --endpoint,
# no region known), then --source's.
run mixed 0 "$IMGAUDIT" fetch --endpoint "$EA" --project-id proj-a --source ap-southeast-1/proj-b \
  --region-endpoint "ap-southeast-1=$ENDPOINT2" -o "$T/mixed.jsonl"
"$PY" -c "
import json, sys
p = json.load(open('$T/mixed.meta.json'))
sys.exit(0 if [(s['project_id'], s['region'], s['records_received']) for s in p['sources']] ==
         [('proj-a', None, 30), ('proj-b', 'ap-southeast-1', 30)] else 1)" \
  && pass || fail "--project-id with --source"

# ---- one project incomplete: proj-b declares one record more than it serves
start_server2 "$T/a.jsonl" --project-id proj-b --faults '{"drift": {"after": 0, "count": -1, "delta": 1}}'
P=(--source cn-north-4/proj-a --source ap-southeast-1/proj-b
   --region-endpoint "cn-north-4=$EA" --region-endpoint "ap-southeast-1=$ENDPOINT2")
run inc 3 "$IMGAUDIT" report "${P[@]}" "${R[@]}" --save-snapshot "$T/inc.jsonl" -o "$T/inc.json"
has inc-note "$T/inc.err" "imgaudit: note: project proj-b in ap-southeast-1: received 30 records but total_num is 31; nothing was sent twice and total_num did not change: the server listed fewer records than it counts; pulled again"
has inc-error "$T/inc.err" "imgaudit: error: project proj-b in ap-southeast-1: incomplete pull: received 30 records but total_num is 31; nothing was sent twice and total_num did not change: the server listed fewer records than it counts (pulled twice); no snapshot was written."
no_snapshot inc-no-snapshot "$T" inc.jsonl
no_snapshot inc-no-report "$T" inc.json
run inc-fetch 3 "$IMGAUDIT" fetch "${P[@]}" -o "$T/inc-fetch.jsonl"
no_snapshot inc-fetch-no-snapshot "$T" inc-fetch.jsonl
# With --allow-incomplete: written, INCOMPLETE, exit 3, the project named.
run inc-allowed 3 "$IMGAUDIT" report "${P[@]}" "${R[@]}" --allow-incomplete -o "$T/inc.json" -o "$T/inc.csv"
has inc-allowed-warn "$T/inc-allowed.err" "imgaudit: warning: project proj-b in ap-southeast-1: INCOMPLETE: 30 of 31 records received; written because of --allow-incomplete"
has inc-allowed-pull "$T/inc-allowed.err" "imgaudit: pulled 60 records INCOMPLETE from 2 projects in"
eq inc-allowed-summary "$(grep -A1 '^INCOMPLETE:' "$T/inc-allowed.out")" "INCOMPLETE: expected 61 records, received 60
  project proj-b in ap-southeast-1: 30 of 31 records received"
grep -qE '^proj-b +ap-southeast-1 +30 +[0-9]+ +[0-9]+ +0 +NO +-$' "$T/inc-allowed.out" && pass || fail "summary row proj-b INCOMPLETE"
has inc-allowed-gate "$T/inc-allowed.out" "Gate:      none (no --fail-on)"
"$PY" - "$T/inc.json" <<'PY' && pass || fail "incomplete project in the JSON report"
import json, sys
r = json.load(open(sys.argv[1]))
m = r["meta"]
assert (m["complete"], m["expected_records"]) == (False, 61), m
assert [(s["project_id"], s["complete"], s["records_received"], s["expected_records"]) for s in r["sources"]] == \
    [("proj-a", True, 30, None), ("proj-b", False, 30, 31)], r["sources"]
assert "project proj-b in ap-southeast-1 is INCOMPLETE: 30 of 31 records received" in m["warnings"], m["warnings"]
PY
# Gate truth: a gate that passes on incomplete data is INCOMPLETE (3); one
# that fails is 1.
run inc-gate-pass 3 "$IMGAUDIT" report "${P[@]}" "${R[@]}" --allow-incomplete --fail-on critical -o "$T/g.json" -q
"$PY" -c "import json,sys; sys.exit(0 if json.load(open('$T/g.json'))['meta']['gate']['verdict'] == 'incomplete' else 1)" \
  && pass || fail "verdict incomplete"
run inc-gate-fail 1 "$IMGAUDIT" report "${P[@]}" "${R[@]}" --allow-incomplete --fail-on low -q
run inc-fetch-allowed 3 "$IMGAUDIT" fetch "${P[@]}" --allow-incomplete -o "$T/inc-fetch.jsonl"
"$PY" -c "
import json, sys
p = json.load(open('$T/inc-fetch.meta.json'))
sys.exit(0 if [s['complete'] for s in p['sources']] == [True, False] and p['complete'] is False
         and p['expected_records'] == 61 else 1)" && pass || fail "incomplete provenance"
stop_server2

# ---- --project-id is repeatable: each is pulled, in order (this server
# knows proj-a only, so proj-b is refused: both were asked for).
run repeated 3 "$IMGAUDIT" fetch --endpoint "$EA" --project-id proj-a --project-id proj-b -o "$T/rep.jsonl"
has repeated-403 "$T/repeated.err" "403"
has repeated-which "$T/repeated.err" "imgaudit: note: project proj-b: the pull stopped; no snapshot was written"
"$PY" - "$LOG" <<'PY' && pass || fail "--project-id repeated: both projects requested, in order"
import json, sys
paths = [json.loads(l)["path"] for l in open(sys.argv[1])]
order = [p.split("/")[2] for p in paths if p.startswith("/v5/")]
assert order[-2:] == ["proj-a", "proj-b"], order[-4:]
PY

# Two projects of one region at one endpoint (the usual case: the project
# is in the request's path): both pulled completely, one row each, the
# same image twice, once per project.
start_server "$T/a.jsonl" --project-id proj-a --also-project-id proj-c --ak AKPROJ --sk SKprojects0123456789
run one-endpoint 0 "$IMGAUDIT" report --endpoint "$ENDPOINT" --region cn-north-4 --project-id proj-a \
  --project-id proj-c "${R[@]}" -o "$T/one-endpoint.json" -q
"$PY" - "$T/one-endpoint.json" <<'PY' && pass || fail "--project-id repeated at one endpoint"
import json, sys
r = json.load(open(sys.argv[1]))
rows = [(s["project_id"], s["region"], s["images"], s["complete"]) for s in r["sources"]]
assert rows == [("proj-a", "cn-north-4", 30, True), ("proj-c", "cn-north-4", 30, True)], rows
assert r["meta"]["complete"] is True, r["meta"]
by = {}
for f in r["findings"]:
    by.setdefault(f["project_id"], []).append((f["rule_id"], f["image_name"], f["image_version"]))
assert set(by) == {"proj-a", "proj-c"} and sorted(by["proj-a"]) == sorted(by["proj-c"]), by.keys()
PY
# Usage errors, before any request.
run same-twice 2 "$IMGAUDIT" fetch --endpoint "$EA" --project-id proj-a --source cn-north-4/proj-a \
  --region-endpoint "cn-north-4=$EA" -o "$T/never.jsonl"
has same-twice "$T/same-twice.err" "imgaudit: error: project proj-a at $EA is given twice ('proj-a' and 'cn-north-4/proj-a'): its images would be counted twice"
run bad-source 2 "$IMGAUDIT" fetch --source proj-a -o "$T/never.jsonl"
has bad-source "$T/bad-source.err" "imgaudit: error: --source 'proj-a': expected REGION/PROJECT_ID or REGION/PROJECT_ID/ENTERPRISE_PROJECT_ID, e.g. cn-north-4/0123abcd"
run bad-region-endpoint 2 "$IMGAUDIT" fetch --source cn-north-4/proj-a --region-endpoint cn-north-4 -o "$T/never.jsonl"
has bad-region-endpoint "$T/bad-region-endpoint.err" "imgaudit: error: --region-endpoint 'cn-north-4': expected REGION=URL"

finish

#!/usr/bin/env bash
# The CI formats (docs/reports.md): SARIF 2.1.0 validated against the
# official OASIS schema (sarif-2.1.0-rtm.5, fetched once by
# tests/tools/official-sarif-schema.sh, pinned by SHA-256, not
# redistributed here) and against the stricter schema of the parts
# imgaudit promises (tests/data/sarif/), waived findings as
# suppressions, fingerprints that survive a rebuilt digest; JUnit XML
# parsed with xml.etree, its counts, failures, skips and the cap on the
# listed images. Then hostile text (U+FFFE, U+FFFF, C0 controls, a real CR
# beside the text "_x000D_", markup) in every XML output: each XLSX part
# parses, and every value reads back exactly as the one documented
# mapping says, in the XLSX (openpyxl), the JUnit file and the SARIF log.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
D=tests/data/weekly
R=(--rules $D/rules.yaml --waivers $D/waivers.yaml)
NOW=2026-11-27T08:00:00Z
SUBSET=tests/data/sarif/sarif-2.1.0-subset.schema.json
if ! SCHEMA=$(tests/tools/official-sarif-schema.sh "${IMGAUDIT_TEST_CACHE:-$(dirname "$IMGAUDIT")/test-cache}"); then
  echo "FAIL: the official SARIF schema is needed for this test" >&2
  exit 1
fi

# py NAME ARGS... <<'PY' ... PY: a Python check; its output on failure.
py() {
  local name=$1
  shift
  if $PY - "$@" >"$T/$name.py" 2>&1; then
    pass
  else
    fail "$name"; sed 's/^/    /' "$T/$name.py" | tail -15 >&2
  fi
}

# ---- formats from the name and --format
run weekly 1 "$IMGAUDIT" report "${R[@]}" --input $D/images.jsonl --now $NOW --fail-on high \
  -o "$T/w.sarif" -o "$T/w.junit.xml" -o "$T/w.json"
has weekly-reports "$T/weekly.out" "  $T/w.sarif"
same weekly-sarif "$T/w.sarif" tests/golden/ci/weekly.sarif
same weekly-junit "$T/w.junit.xml" tests/golden/ci/weekly.junit.xml
run stdout-sarif 1 "$IMGAUDIT" report "${R[@]}" --input $D/images.jsonl --now $NOW --fail-on high \
  --format sarif -o -
same stdout-sarif "$T/stdout-sarif.out" tests/golden/ci/weekly.sarif
run stdout-junit 1 "$IMGAUDIT" report "${R[@]}" --input $D/images.jsonl --now $NOW --fail-on high \
  --format JUnit -o -
same stdout-junit "$T/stdout-junit.out" tests/golden/ci/weekly.junit.xml
run plain-xml 2 "$IMGAUDIT" report "${R[@]}" --input $D/images.jsonl -o "$T/r.xml"
has plain-xml "$T/plain-xml.err" "imgaudit: error: -o $T/r.xml: cannot tell the format from the name; use .csv, .xlsx, .html, .json, .sarif or .junit.xml, or --format"
run upper-case 0 "$IMGAUDIT" report "${R[@]}" --input $D/images.jsonl --now $NOW -q \
  -o "$T/U.SARIF" -o "$T/U.JUnit.XML"
cmp -s "$T/U.SARIF" "$T/w.sarif" && fail "U.SARIF: the gate differs, so must the file" || pass
head -c 200 "$T/U.SARIF" | grep -q '"version": "2.1.0"' && pass || fail "U.SARIF is not SARIF"
grep -q '^<testsuites ' "$T/U.JUnit.XML" && pass || fail "U.JUnit.XML is not JUnit"

# ---- SARIF: the official schema, rules, results, suppressions, locations
py sarif-weekly "$SCHEMA" "$T/w.sarif" "$T/w.json" "$SUBSET" <<'PY'
import copy, json, sys, urllib.parse
import jsonschema
schema, log, rep, subset = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:5])
assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0-rtm.5"), schema["title"]
for V in (jsonschema.Draft4Validator(schema), jsonschema.Draft4Validator(subset)):
    errs = sorted(V.iter_errors(log), key=str)
    assert not errs, errs[0]
    # The check is not vacuous: each schema refuses a result without a
    # message and a suppression of an unknown kind.
    bad = copy.deepcopy(log); del bad["runs"][0]["results"][0]["message"]
    assert list(V.iter_errors(bad)), "schema accepted a result without message"
    bad = copy.deepcopy(log); bad["runs"][0]["results"][0]["suppressions"] = [{"kind": "sideways"}]
    assert list(V.iter_errors(bad)), "schema accepted a bad suppression kind"

assert log["version"] == "2.1.0" and len(log["runs"]) == 1
run = log["runs"][0]
drv = run["tool"]["driver"]
assert drv["name"] == "imgaudit" and drv["version"] == rep["meta"]["version"], drv
LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
SCORE = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "2.0"}
assert [r["id"] for r in drv["rules"]] == [r["id"] for r in rep["rules"]]
for r, jr in zip(drv["rules"], rep["rules"]):
    assert r["name"] == jr["title"] and r["shortDescription"]["text"] == jr["title"], r
    assert r["fullDescription"]["text"] == (jr["description"] or jr["title"]), r
    fix = jr["remediation"] or "The rule gives no remediation."
    assert r["help"] == {"text": fix, "markdown": fix}, r["help"]
    assert r["defaultConfiguration"]["level"] == LEVEL[jr["severity"]], r
    assert r["properties"].get("security-severity") == SCORE.get(jr["severity"]), r
    assert ("security" in r["properties"]["tags"]) == (jr["severity"] != "info"), r

def q(v):   # a part of the image reference URI (docs/reports.md)
    if not v:
        return "-"
    return "%2E" * len(v) if v in (".", "..") else urllib.parse.quote(v, safe="")

res = run["results"]
assert len(res) == len(rep["findings"]) == 4, len(res)
for r, f in zip(res, rep["findings"]):
    assert r["ruleId"] == f["rule_id"] and drv["rules"][r["ruleIndex"]]["id"] == f["rule_id"]
    assert r["level"] == LEVEL[f["severity"]] and r["message"]["text"] == f["message"], r
    loc = r["locations"][0]["physicalLocation"]
    uri = loc["artifactLocation"]["uri"]
    ref = "/".join(q(f[k]) for k in ("registry_name", "namespace", "image_name"))
    ref += ":" + q(f["image_version"]) if f["image_version"] else \
           "@" + q(f["image_digest"]) if f["image_digest"] else ""
    assert uri == ref and urllib.parse.urlsplit(uri).scheme == "", (uri, ref)
    assert loc["region"] == {"startLine": 1}
    assert r["properties"]["status"] == f["status"] and r["properties"].get("namespace") == f["namespace"]
    assert "baselineState" not in r           # no --baseline
    if f["status"] == "waived":
        w = [x for x in rep["waivers"] if x["id"] == f["waiver_id"]][0]
        assert r["suppressions"] == [{"kind": "external", "status": "accepted",
                                      "justification": w["reason"], "properties": {
                                          "waiver_id": w["id"], "owner": w["owner"],
                                          "expires": w["expires"], "file": w["file"],
                                          "line": w["line"]}}], r["suppressions"]
    else:
        assert "suppressions" not in r, r     # open, also when its waiver expired
assert [r["properties"]["image_name"] for r in res if "suppressions" in r] == ["tool"]
# A missing registry and namespace are "-".
uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in res}
assert {"swr/prod/api:1.0", "swr/lab/tool:2.0", "swr/-/orphan:0.1", "-/prod/web:3.1"} == uris, uris
inv = run["invocations"]
assert inv == [{"executionSuccessful": True, "toolExecutionNotifications": []}], inv
assert run["properties"]["gate"] == "fail" and run["properties"]["complete"] is True
PY

# ---- SARIF fingerprints across runs: the same finding keeps its
# fingerprint when the tag was rebuilt (new digest) and the run is later;
# another version or a new image is another finding.
$PY - $D/images.jsonl "$T/week2.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
for r in rows:
    if r["image_name"] == "api":
        r["image_digest"] = "sha256:rebuilt"      # same tag, rebuilt
    if r["image_name"] == "web":
        r["image_version"] = "3.2"                # a new version: a new finding
rows.append({"id": 9, "namespace": "prod", "image_name": "new", "image_version": "1",
             "registry_name": "swr", "vul_num": 99})
open(sys.argv[2], "w").write("".join(json.dumps(r) + "\n" for r in rows))
PY
run fp1 0 "$IMGAUDIT" report "${R[@]}" --input $D/images.jsonl --now $NOW -q \
  -o "$T/fp1.sarif" -o "$T/fp1.json"
run fp1-again 0 "$IMGAUDIT" report "${R[@]}" --input $D/images.jsonl --now $NOW -q -o "$T/fp1b.sarif"
same fp-rerun "$T/fp1b.sarif" "$T/fp1.sarif"
run fp2 0 "$IMGAUDIT" report "${R[@]}" --input "$T/week2.jsonl" --now 2026-12-04T08:00:00Z -q \
  --baseline "$T/fp1.json" -o "$T/fp2.sarif"
py sarif-fingerprints "$SCHEMA" "$T/fp1.sarif" "$T/fp2.sarif" <<'PY'
import json, sys, jsonschema
schema, a, b = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:4])
jsonschema.Draft4Validator(schema).validate(b)
KEY = "imgauditFindingIdentity/v1"
def fps(log):
    out = {}
    for r in log["runs"][0]["results"]:
        p = r["properties"]
        out[(r["ruleId"], p["image_name"])] = (r["partialFingerprints"][KEY], r.get("baselineState"),
                                                p.get("image_digest"))
    return out
fa, fb = fps(a), fps(b)
assert len({v[0] for v in fa.values()}) == len(fa), "fingerprints are not unique in a run"
for v in fa.values():
    assert len(v[0]) == 64 and all(c in "0123456789abcdef" for c in v[0]), v
api_a, api_b = fa[("VULNS", "api")], fb[("VULNS", "api")]
assert api_a[2] != api_b[2], "the digest was not rebuilt"
assert api_a[0] == api_b[0] and api_b[1] == "unchanged", (api_a, api_b)
for k in (("VULNS", "tool"), ("VULNS", "orphan")):
    assert fa[k][0] == fb[k][0] and fb[k][1] == "unchanged", (k, fa[k], fb[k])
web_a, web_b = fa[("NO-REGISTRY", "web")], fb[("NO-REGISTRY", "web")]
assert web_a[0] != web_b[0] and web_b[1] == "new", (web_a, web_b)
new = fb[("VULNS", "new")]
assert new[1] == "new" and new[0] not in {v[0] for v in fa.values()}, new
PY

# ---- JUnit: counts, failures, skips, the cap, the waiver gate
junit() {  # junit NAME EXPECT... : parse $T/NAME.junit.xml, check counts
  py "junit-$1" "$T/$1.junit.xml" "${@:2}" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
want = dict(a.split("=", 1) for a in sys.argv[2:])
assert root.tag == "testsuites" and root.get("name") == "imgaudit", root.attrib
suites = root.findall("testsuite")
n = lambda tag: sum(len(s.findall(f"testcase/{tag}")) for s in suites)
assert int(root.get("tests")) == len(suites) == sum(int(s.get("tests")) for s in suites)
assert int(root.get("failures")) == n("failure") == sum(int(s.get("failures")) for s in suites)
assert int(root.get("skipped")) == n("skipped") == sum(int(s.get("skipped")) for s in suites)
assert root.get("errors") == "0" and all(s.get("errors") == "0" for s in suites)
for s in suites:
    cases = s.findall("testcase")
    assert len(cases) == 1 and cases[0].get("classname") == "imgaudit." + s.get("name"), s.attrib
    assert cases[0].get("time") == "0" and s.get("time") == "0"
got = {}
for s in suites:
    c = s.find("testcase")
    f, k = c.find("failure"), c.find("skipped")
    got[s.get("name")] = ("fail:" + f.get("message") if f is not None else
                          "skip:" + k.get("message") if k is not None else
                          "pass" + (":" + c.findtext("system-out") if c.find("system-out") is not None else ""))
for name, v in want.items():
    if name == "tests":
        assert root.get("tests") == v, (root.attrib, v)
    else:
        assert got.get(name) == v, (name, got.get(name), v)
assert len(got) == int(root.get("tests"))
PY
}
# No gate: every open finding fails its rule (an expired waiver waives nothing).
run j-nogate 0 "$IMGAUDIT" report "${R[@]}" --input $D/images.jsonl --now $NOW -q -o "$T/nogate.junit.xml"
junit nogate tests=2 "VULNS=fail:2 open high findings (no --fail-on: every open finding fails)" \
  "NO-REGISTRY=fail:1 open low finding (no --fail-on: every open finding fails)"
# --fail-on high: the low rule passes, saying what is below the gate.
junit w tests=2 "VULNS=fail:2 open high findings (fail on high)" \
  "NO-REGISTRY=pass:1 open low finding below the gate (fail on high)"
py junit-w-text "$T/w.junit.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
f = root.find("testsuite[@name='VULNS']/testcase/failure")
assert f.get("type") == "high" and f.text == (
    "VULNS (high): Too many vulnerabilities\nswr/prod/api:1.0\nswr/-/orphan:0.1\n"), repr(f.text)
c = root.find("testsuite[@name='VULNS']/testcase")
assert c.get("name") == "Too many vulnerabilities" and c.get("file") == "tests/data/weekly/rules.yaml"
PY
# Every finding waived: skipped.
cat >"$T/all.yaml" <<'EOF'
version: 1
waivers:
  - id: W-ALL
    rule: "*"
    when: "true"
    reason: Accepted for the test
    owner: qa
    expires: 2027-12-31
EOF
run j-skip 0 "$IMGAUDIT" report --rules $D/rules.yaml --waivers "$T/all.yaml" --input $D/images.jsonl \
  --now $NOW --fail-on info -q -o "$T/skip.junit.xml"
junit skip tests=2 "VULNS=skip:all 3 findings are waived" "NO-REGISTRY=skip:all 1 finding is waived"
# --fail-on-expired-waivers: one more testcase, failing like the gate.
run j-expired 1 "$IMGAUDIT" report "${R[@]}" --input $D/images.jsonl --now $NOW -q \
  --fail-on critical --fail-on-expired-waivers -o "$T/expired.junit.xml"
junit expired tests=3 "VULNS=pass:2 open high findings below the gate (fail on critical)" \
  "waivers=fail:1 expired waiver (fail on expired waivers)"
has expired-text "$T/expired.junit.xml" "W-OLD (rule NO-REGISTRY, owner web-team, tests/data/weekly/waivers.yaml:21): expired 2026-01-31"
# --fail-on-new: only the new findings count, and only they are listed.
run j-new 1 "$IMGAUDIT" report "${R[@]}" --input "$T/week2.jsonl" --now 2026-12-04T08:00:00Z -q \
  --baseline "$T/fp1.json" --fail-on-new low -o "$T/new.junit.xml"
junit new tests=2 "VULNS=fail:1 open high finding (fail on new low)" \
  "NO-REGISTRY=fail:1 open low finding (fail on new low)"
py junit-new-text "$T/new.junit.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
f = root.find("testsuite[@name='VULNS']/testcase/failure")
assert f.text == "VULNS (high): Too many vulnerabilities\nswr/prod/new:1 (new)\n", repr(f.text)
PY
# 120 findings of one rule: 50 images listed, then the rest counted.
run j-cap 0 "$IMGAUDIT" report --rules tests/data/rules/every-image.yaml --input samples/images.jsonl \
  --now $NOW -q -o "$T/cap.junit.xml" -o "$T/cap.json"
junit cap tests=1 "EVERY-IMAGE=fail:120 open info findings (no --fail-on: every open finding fails)"
py junit-cap-text "$T/cap.junit.xml" "$T/cap.json" <<'PY'
import json, sys, xml.etree.ElementTree as ET
lines = ET.parse(sys.argv[1]).getroot().find("testsuite/testcase/failure").text.split("\n")
rep = json.load(open(sys.argv[2]))
assert lines[0] == "EVERY-IMAGE (info): Every image" and lines[-1] == "", lines[:2]
assert lines[51] == "... and 70 more (120 in total)" and len(lines) == 53, (len(lines), lines[50:])
f = rep["findings"][0]
assert lines[1] == f"{f['registry_name']}/{f['namespace']}/{f['image_name']}:{f['image_version']}: {f['message']}", lines[1]
PY

# ---- Hostile text in every XML output (and SARIF)
$PY - "$T/hostile.jsonl" <<'PY'
import json, sys
H = "a\rb|_x000D_|\ufffe|\uffff|\x01\x1f\x7f|\t\n|<&>\"'|_x005F_x0041_|_X000D_|\U0001F600|\ufdd0|end"
rows = [
    {"id": 1, "namespace": "ns" + H, "image_name": "img" + H, "image_version": "v" + H,
     "registry_name": "reg" + H, "image_digest": "sha256:" + H, "image_id": H},
    {"id": 2, "namespace": "..", "image_name": "_x000D_", "image_digest": "sha256:d/@:%"},
]
open(sys.argv[1], "w", encoding="utf-8").write("".join(json.dumps(r) + "\n" for r in rows))
PY
cat >"$T/hostile.yaml" <<'EOF'
version: 1
rules:
  - id: HOSTILE
    title: "t<&>\"'\t\r\n_x000D_\uFFFE\uFFFF\x01 end"
    description: "d\uFFFF _x0041_ \r"
    remediation: "r\r\n<b>fix</b> _x005F_"
    severity: high
    tags: ["tag\uFFFE"]
    when: "true"
    message: "{namespace}|{image_name}"
EOF
run hostile 1 "$IMGAUDIT" report --rules "$T/hostile.yaml" --input "$T/hostile.jsonl" --now $NOW -q \
  --fail-on low -o "$T/h.xlsx" -o "$T/h.sarif" -o "$T/h.junit.xml" -o "$T/h.json"
py hostile "$T/h.xlsx" "$T/h.sarif" "$T/h.junit.xml" "$T/h.json" "$T/hostile.jsonl" "$SCHEMA" <<'PY'
import json, sys, urllib.parse, zipfile
import xml.etree.ElementTree as ET
import jsonschema, openpyxl
from openpyxl.utils.escape import unescape
xlsx, sarif, junit, jrep, jsonl, schema = sys.argv[1:7]

def mapped(s):  # the one mapping (render/xmltext.h)
    return "".join("\ufffd" if (ord(c) < 0x20 and c not in "\t\n\r") or c in "\ufffe\uffff"
                   else c for c in s)
recs = [json.loads(l) for l in open(jsonl, encoding="utf-8")]
title = "t<&>\"'\t\r\n_x000D_\ufffe\uffff\x01 end"
desc, fix = "d\uffff _x0041_ \r", "r\r\n<b>fix</b> _x005F_"
rep = json.load(open(jrep, encoding="utf-8"))
# The JSON report is the lossless record: not mapped.
assert rep["inventory"][0]["namespace"] == recs[0]["namespace"]
assert rep["rules"][0]["title"] == title

# XLSX: every part is well-formed XML (the defect: U+FFFE made it not).
with zipfile.ZipFile(xlsx) as z:
    parts = [n for n in z.namelist() if n.endswith((".xml", ".rels"))]
    assert len(parts) > 10, parts
    for n in parts:
        ET.fromstring(z.read(n))
# openpyxl reads a cell's raw text; unescape() is its reading of OOXML's
# "_xHHHH_" escapes, as Excel shows the cell.
wb = openpyxl.load_workbook(xlsx)
def sheet(name):
    ws = wb[name]
    head = [c.value for c in ws[1]]
    return [dict(zip(head, (unescape(c.value) if isinstance(c.value, str) else c.value
                            for c in row))) for row in ws.iter_rows(min_row=2) if row[0].value]
inv = sheet("Inventory")
for rec, row in zip(recs, inv):
    for k in ("namespace", "image_name", "image_version", "registry_name", "image_digest", "image_id"):
        if k in rec:
            assert row[k] == mapped(rec[k]), (k, row[k], mapped(rec[k]))
# A real CR and the text "_x000D_" stay apart.
assert inv[0]["image_name"].startswith("imga\rb|_x000D_|\ufffd|\ufffd|"), repr(inv[0]["image_name"])
assert inv[1]["image_name"] == "_x000D_"
find = sheet("Findings")
assert [f["message"] for f in find] == [mapped(r["namespace"] + "|" + r["image_name"]) for r in recs]
rules = sheet("Rules")
assert (rules[0]["title"], rules[0]["description"], rules[0]["remediation"], rules[0]["tags"]) == \
    (mapped(title), mapped(desc).rstrip(" \t\r\n"), mapped(fix), "tag\ufffd"), rules[0]  # trailing space trimmed
summary = [unescape(c.value) for row in wb["Summary"].iter_rows() for c in row if isinstance(c.value, str)]
assert mapped(recs[0]["namespace"]) in summary, "namespace not on the Summary"

# JUnit: parses; attribute and text values read back mapped, CR, TAB, LF kept.
root = ET.parse(junit).getroot()
case = root.find("testsuite/testcase")
assert case.get("name") == mapped(title), repr(case.get("name"))
text = case.find("failure").text.split("\n")
assert text[0] == "HOSTILE (high): " + mapped(title).split("\n")[0], repr(text[0])
body = case.find("failure").text
for rec in recs:
    assert mapped(rec["namespace"] + "|" + rec["image_name"]) in body, rec
assert mapped("reg" + recs[0]["registry_name"][3:]) in body
assert "../_x000D_@sha256:d/@:%: ..|_x000D_" in body, body   # the reference is text here

# SARIF: schema-valid; the same mapping; the URI decodes to the mapped parts.
log = json.load(open(sarif, encoding="utf-8"))
jsonschema.Draft4Validator(json.load(open(schema))).validate(log)
run = log["runs"][0]
r = run["tool"]["driver"]["rules"][0]
assert r["name"] == mapped(title) and r["fullDescription"]["text"] == mapped(desc).rstrip(" \t\r\n")
assert r["help"]["text"] == mapped(fix) and r["properties"]["tags"] == ["tag\ufffd", "security"]
for res, rec in zip(run["results"], recs):
    assert res["message"]["text"] == mapped(rec["namespace"] + "|" + rec["image_name"])
    assert res["properties"]["namespace"] == mapped(rec["namespace"])
    uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert all(c.isascii() and c.isprintable() for c in uri), uri
    assert urllib.parse.urlsplit(uri).scheme == ""
    reg, ns, rest = uri.split("/")
    assert urllib.parse.unquote(ns) == mapped(rec["namespace"]), ns
    if "image_version" in rec:
        name, ver = rest.split(":")
        assert urllib.parse.unquote(ver) == mapped(rec["image_version"])
    else:
        name, dig = rest.split("@")
        assert urllib.parse.unquote(dig) == rec["image_digest"]
    assert urllib.parse.unquote(name) == mapped(rec["image_name"])
assert run["results"][1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
    "-/%2E%2E/_x000D_@sha256%3Ad%2F%40%3A%25"
PY
finish

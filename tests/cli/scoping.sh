#!/usr/bin/env bash
# Scoping and splitting (docs/reports.md, "Scoping" and "Split reports"):
# --where on --input and on a pull, its errors, --filter with --input
# refused, --where and a baseline, --split-by with hostile keys (safe,
# unique file names inside the output folder, "(none)"), the index, a
# part equal to the --where run of its key, per-part gates and exit
# codes, all-or-nothing writes, and the usage errors.
. "$(dirname "$0")/../server/fetch-lib.sh"
D=tests/data/scoping
NOW=(--now 2026-11-27T08:00:00Z)
R=(--rules $D/rules.yaml "${NOW[@]}")

# ---- --where on a file: only the selected images count, anywhere
run where-a 0 "$IMGAUDIT" report "${R[@]}" --input $D/images.jsonl --where 'namespace == "team-a"' \
  -o "$T/a.json" -o "$T/a.csv"
has where-line "$T/where-a.out" 'Where:     namespace == "team-a"'
has where-records "$T/where-a.out" "Records:   6 read"
has where-images "$T/where-a.out" "Images:    2 evaluated, 1 with findings"
# The orphan (no namespace) and badtype images are not selected: their
# MALWARE unknowns and their findings are not counted.
has where-rules "$T/where-a.out" "MALWARE      critical         0        2"
"$PY" - "$T/a.json" <<'PY' && pass || fail "--where: JSON report"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["meta"]["where"] == 'namespace == "team-a"', r["meta"]["where"]
assert r["meta"]["split"] is None
assert [i["image_name"] for i in r["inventory"]] == ["api", "web"], r["inventory"]
assert [(f["rule_id"], f["image_name"]) for f in r["findings"]] == [("VULNS", "api")]
assert r["data_quality"] == [], r["data_quality"]     # team-b's bad image_size is not ours
PY
if /usr/bin/python3 tests/tools/check_report_json.py docs/report-schema.json "$T/a.json" >/dev/null; then pass; else fail "--where report not valid"; fi
# A record that is not selected adds nothing to the data-quality table;
# one that is, does (image_size "big" in team-b).
run where-b 0 "$IMGAUDIT" report "${R[@]}" --input $D/images.jsonl --where 'namespace == "team-b"'
has where-b-quality "$T/where-b.out" "  image_size: wrong type in 1 record (first: record 6, line 6)"
lacks where-a-quality "$T/where-a.out" "Data quality"
# The same selection with one thread or several, and with either decoder.
run where-jobs1 0 "$IMGAUDIT" report "${R[@]}" --input $D/images.jsonl --where 'namespace == "team-b"' \
  --jobs 1 -o "$T/j1.json" -q
run where-jobs3 0 "$IMGAUDIT" report "${R[@]}" --input $D/images.jsonl --where 'namespace == "team-b"' \
  --jobs 3 -o "$T/j3.json" -q
same where-jobs "$T/j3.json" "$T/j1.json"
IMGAUDIT_DECODER=jansson run where-jansson 0 "$IMGAUDIT" report "${R[@]}" --input $D/images.jsonl \
  --where 'namespace == "team-b"' -o "$T/jj.json" -q
same where-decoders "$T/jj.json" "$T/j1.json"
# params work in --where; unknown (missing namespace) is not selected.
run where-params 0 "$IMGAUDIT" report "${R[@]}" --input $D/images.jsonl --where 'namespace in params.teams'
has where-params-images "$T/where-params.out" "Images:    4 evaluated, 3 with findings"
run where-not 0 "$IMGAUDIT" report "${R[@]}" --input $D/images.jsonl --where 'namespace != "team-a"'
has where-not-images "$T/where-not.out" "Images:    2 evaluated, 2 with findings"   # team-b's two
run where-none 0 "$IMGAUDIT" report "${R[@]}" --input $D/images.jsonl --where 'not exists(namespace)'
has where-none-images "$T/where-none.out" "Images:    2 evaluated, 1 with findings"  # missing, wrong type
# Reading it back and writing it again gives the same bytes.
run where-roundtrip 0 "$IMGAUDIT" diff "$T/a.json" "$T/a.json" -o "$T/a2.csv" -q
run where-a-base 0 "$IMGAUDIT" report "${R[@]}" --input $D/images.jsonl --where 'namespace == "team-a"' \
  --baseline "$T/a.json" -o "$T/a3.csv" -q
same where-roundtrip-csv "$T/a2.csv" "$T/a3.csv"

# ---- --where errors: located on the command line, exit 2, before any work
printf '%s\n' \
  "--where:1:1: error: unknown field 'namspace' (did you mean 'namespace'?)" \
  'namspace == "team-a"' \
  '^~~~~~~~' >"$T/where-typo.want"
run where-typo 2 "$IMGAUDIT" report "${R[@]}" --input $D/images.jsonl --where 'namspace == "team-a"' -o "$T/never.csv"
same where-typo-err "$T/where-typo.err" "$T/where-typo.want"
[[ ! -e "$T/never.csv" ]] && pass || fail "a bad --where wrote a report"
run where-type 2 "$IMGAUDIT" report "${R[@]}" --input $D/images.jsonl --where 'vul_num + 1'
has where-type-msg "$T/where-type.err" "--where:1:1: error: --where must be a condition (a boolean), got integer"
run where-empty 2 "$IMGAUDIT" report "${R[@]}" --input $D/images.jsonl --where ' '
has where-empty-msg "$T/where-empty.err" 'imgaudit: error: --where is empty: give a condition over the image record, e.g. namespace == "team-a"'

# ---- an evidence bundle records --where, and verify replays it
run where-bundle 0 "$IMGAUDIT" report "${R[@]}" --input $D/images.jsonl --where 'namespace == "team-a"' \
  -o "$T/wb.json" --evidence-dir "$T/wbundle" -q
WB=$(echo "$T"/wbundle/*/)
has where-bundle-settings "$WB/run.json" '"where": "namespace == \"team-a\""'
run where-verify 0 "$IMGAUDIT" verify "$WB"
has where-verify-ok "$T/where-verify.out" "reproduce: ok: reports/wb.json is reproduced byte for byte"

# ---- --filter is for the API: with --input it is refused, pointing to --where
run filter-input 2 "$IMGAUDIT" report "${R[@]}" --input $D/images.jsonl --filter namespace=team-a
eq filter-input-msg "$(cat "$T/filter-input.err")" \
  "imgaudit: error: --filter namespace=team-a is a query to the API and there is none with --input; select images with --where, e.g. --where 'namespace == \"team-a\"'"

# ---- --where on a pull: the same report as --where on its snapshot
export HUAWEICLOUD_SDK_AK=AKSCOPE HUAWEICLOUD_SDK_SK=SKscope0123456789
start_server $D/images.jsonl --ak AKSCOPE --sk SKscope0123456789
run where-api 0 "$IMGAUDIT" report "${C[@]}" "${R[@]}" --where 'namespace == "team-a"' \
  --save-snapshot "$T/snap.jsonl" -o "$T/api.json" -o "$T/api.csv"
has where-api-line "$T/where-api.out" 'Where:     namespace == "team-a"'
has where-api-images "$T/where-api.out" "Images:    2 evaluated, 1 with findings"
same_records where-api-snapshot "$T/snap.jsonl" "$T/served.jsonl"   # the pull keeps every record
"$PY" - "$T/api.json" "$T/a.json" <<'PY' && pass || fail "--where on a pull: same findings as on the file"
import json, sys
api, f = (json.load(open(p)) for p in sys.argv[1:3])
assert api["meta"]["where"] == f["meta"]["where"] and api["meta"]["source"]["provenance"] == "pull"
key = lambda r: [(x["rule_id"], x["image_name"]) for x in r["findings"]]
assert key(api) == key(f), (key(api), key(f))
assert all(x["project_id"] == "pid1" for x in api["findings"]), api["findings"]
PY
before=$(count_log)
run where-api-typo 2 "$IMGAUDIT" report "${C[@]}" "${R[@]}" --where 'namespace =='
eq where-api-no-request "$(count_log)" "$before"
stop_server

# ---- --where and a baseline: resolved findings only within the same scope
run base-all 0 "$IMGAUDIT" report "${R[@]}" --input $D/images.jsonl -o "$T/all.json" -q
run base-other 0 "$IMGAUDIT" report "${R[@]}" --input $D/images.jsonl --where 'namespace == "team-a"' \
  --baseline "$T/all.json" -o "$T/other.json"
has base-other-line "$T/base-other.out" "resolved not listed: the baseline had another --where"
has base-other-warn "$T/base-other.err" "baseline all.json was made with --where (none), this run with --where namespace == \"team-a\""
"$PY" -c "import json,sys; r=json.load(open('$T/other.json')); sys.exit(0 if r['resolved']==[] and not r['summary']['resolved_trusted'] else 1)" \
  && pass || fail "another --where: resolved not trusted"
grep -v '"api"' $D/images.jsonl >"$T/no-api.jsonl"
run base-same 0 "$IMGAUDIT" report "${R[@]}" --input "$T/no-api.jsonl" --where 'namespace == "team-a"' \
  --baseline "$T/a.json" -o "$T/same.json" -q
"$PY" -c "import json,sys; r=json.load(open('$T/same.json')); sys.exit(0 if [x['image_name'] for x in r['resolved']]==['api'] and r['meta']['baseline']['where']=='namespace == \"team-a\"' else 1)" \
  && pass || fail "the same --where: resolved listed"

# ---- --split-by with hostile keys
"$PY" - "$T/hostile.jsonl" <<'PY'
import json, sys
ns = ["../x", "CON", "", "a/b", None, "Team-A", "team-a", "index", "(none)", ".hidden",
      "trailing.", "x:y*?", "L" * 100, "con.txt", "<script>", "a#b%c d", "\u00e9t\u00e9", 7]
with open(sys.argv[1], "w") as f:
    for i, n in enumerate(ns):
        r = {"id": i + 1, "image_name": "img%d" % i, "image_version": "1", "registry_name": "swr",
             "vul_num": 90 if n != "team-a" else 1}
        if n is not None:
            r["namespace"] = n
        f.write(json.dumps(r) + "\n")
PY
mkdir -p "$T/out"
run split 1 "$IMGAUDIT" report "${R[@]}" --input "$T/hostile.jsonl" --fail-on high --split-by namespace \
  -o "$T/out/weekly.csv" -o "$T/out/weekly.json"
# Every file is inside the output folder, with a safe, unique name.
cat >"$T/split-files.want" <<'EOF'
weekly.(empty).csv
weekly.(empty).json
weekly.(none)-2.csv
weekly.(none)-2.json
weekly.(none).csv
weekly.(none).json
weekly.CON_.csv
weekly.CON_.json
weekly.LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL.csv
weekly.LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL.json
weekly.Team-A.csv
weekly.Team-A.json
weekly.___x.csv
weekly.___x.json
weekly._hidden.csv
weekly._hidden.json
weekly._script_.csv
weekly._script_.json
weekly.a#b%c d.csv
weekly.a#b%c d.json
weekly.a_b.csv
weekly.a_b.json
weekly.con_.txt.csv
weekly.con_.txt.json
weekly.csv
weekly.index-2.csv
weekly.index-2.json
weekly.index.html
weekly.index.json
weekly.json
weekly.team-a-2.csv
weekly.team-a-2.json
weekly.trailing_.csv
weekly.trailing_.json
weekly.x_y__.csv
weekly.x_y__.json
weekly.été.csv
weekly.été.json
EOF
(cd "$T/out" && LC_ALL=C ls -A) >"$T/split-files.got"
same split-files "$T/split-files.got" "$T/split-files.want"
eq split-nothing-else "$(find "$T" -newer "$T/hostile.jsonl" -type f ! -path "$T/out/*" ! -name 'split*' | wc -l)" 0
has split-parts "$T/split.out" "Parts (--split-by namespace): 17"
has split-none "$T/split.out" "  (none)       "
grep -qE '^  team-a-2 +1 +0 +0 +pass$' "$T/split.out" && pass || fail "split: the team-a part passes"
has split-files-listed "$T/split.out" "  $T/out/weekly.index.html (index)"
# The index: every part with its key, its files (which exist) and its gate.
"$PY" - "$T/out/weekly.index.json" "$T/out" <<'PY' && pass || fail "index JSON"
import json, os, sys
x = json.load(open(sys.argv[1]))
assert x["schema"] == "imgaudit-split-index" and x["by"] == "namespace" and x["where"] is None
parts = {p["name"]: p for p in x["parts"]}
assert len(parts) == 17
assert parts["(none)"]["key"] is None and parts["(none)"]["images"] == 2      # missing, and 7
assert parts["(none)-2"]["key"] == "(none)"
assert parts["(empty)"]["key"] == "" and parts["___x"]["key"] == "../x" and parts["CON_"]["key"] == "CON"
assert parts["index-2"]["key"] == "index" and parts["Team-A"]["key"] == "Team-A"
assert parts["team-a-2"]["key"] == "team-a" and parts["team-a-2"]["gate"] == {"verdict": "pass", "failed": []}
assert parts["CON_"]["gate"] == {"verdict": "fail", "failed": ["fail_on"]}
assert x["combined"]["files"] == ["weekly.csv", "weekly.json"] and x["combined"]["images"] == 18
assert sum(p["images"] for p in x["parts"]) == 18
assert sum(p["findings"] for p in x["parts"]) == x["combined"]["findings"]
for p in x["parts"]:
    for f in p["files"]:
        assert os.path.isfile(os.path.join(sys.argv[2], f)), f
PY
"$PY" - "$T/out/weekly.index.html" "$T/out" <<'PY' && pass || fail "index HTML"
import os, sys, urllib.parse
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(s):
        super().__init__(); s.links = []; s.cells = []; s.tags = []
    def handle_starttag(s, tag, a):
        s.tags.append(tag)
        if tag == "a": s.links.append(dict(a)["href"])
    def handle_data(s, d): s.cells.append(d.strip())
p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
assert "script" not in p.tags, "a key became markup"
assert "<script>" in p.cells and "../x" in p.cells and "a#b%c d" in p.cells
assert len(p.links) == 2 + 17 * 2, len(p.links)
for h in p.links:
    assert "/" not in h and not h.startswith("."), h
    assert os.path.isfile(os.path.join(sys.argv[2], urllib.parse.unquote(h))), h
PY
# Each part is the --where run of its key: the same findings, byte for byte.
run split-where 0 "$IMGAUDIT" report "${R[@]}" --input "$T/hostile.jsonl" --where 'namespace == "../x"' -o "$T/x.csv" -q
same split-part-is-where "$T/out/weekly.___x.csv" "$T/x.csv"
"$PY" -c "
import json,sys
m = json.load(open('$T/out/weekly.___x.json'))['meta']
sys.exit(0 if m['split'] == {'by': 'namespace', 'key': '../x', 'name': '___x'} and m['where'] is None else 1)" \
  && pass || fail "a part's metadata names its key"

# ---- per-part gates: the exit code is the worst of them
run split-pass 0 "$IMGAUDIT" report "${R[@]}" --input $D/images.jsonl --fail-on critical --split-by registry \
  --where 'registry_name == "swr"' -o "$T/g.json" -q
run split-fail 1 "$IMGAUDIT" report "${R[@]}" --input $D/images.jsonl --fail-on critical --split-by registry \
  -o "$T/g.json" -q
"$PY" - "$T/g.index.json" <<'PY' && pass || fail "per-part verdicts"
import json, sys
x = json.load(open(sys.argv[1]))
v = {p["name"]: p["gate"]["verdict"] for p in x["parts"]}
assert v == {"(none)": "pass", "harbor": "fail", "swr": "pass"}, v
assert x["combined"]["gate"]["verdict"] == "fail"
PY
# No image has an image_type: one part, "(none)", holding every image.
run split-image-type 0 "$IMGAUDIT" report "${R[@]}" --input $D/images.jsonl --split-by image_type -o "$T/it.csv" -q
same split-image-type-all "$T/it.(none).csv" "$T/it.csv"

# ---- a streamed input is kept for the parts: the same data as a file
run split-stdin 0 "$IMGAUDIT" report "${R[@]}" --input - --split-by namespace -o "$T/s.json" \
  -o "$T/s.csv" -q <$D/images.jsonl
"$PY" -c "
import json,sys
a, b = (json.load(open('$T/s.' + n + 'json')) for n in ('', 'team-b.'))
sys.exit(0 if a['meta']['source'] == b['meta']['source']
         and [i['image_name'] for i in b['inventory']] == ['db', 'cache'] else 1)" \
  && pass || fail "--split-by with --input -"
mkfifo "$T/fifo"
cat $D/images.jsonl >"$T/fifo" &
run split-fifo 0 "$IMGAUDIT" report "${R[@]}" --input "$T/fifo" --split-by namespace -o "$T/f.csv" -q
wait
same split-fifo-part "$T/f.team-b.csv" "$T/s.team-b.csv"

# ---- a baseline: each part lists only its own resolved findings
run split-base 0 "$IMGAUDIT" report "${R[@]}" --input "$T/no-api.jsonl" --baseline "$T/all.json" \
  --split-by namespace -o "$T/sb.json" -q
"$PY" -c "
import json,sys
r = lambda n: [x['image_name'] for x in json.load(open('$T/sb.' + n + 'json'))['resolved']]
sys.exit(0 if (r(''), r('team-a.'), r('team-b.'), r('(none).')) == (['api'], ['api'], [], []) else 1)" \
  && pass || fail "a part's resolved findings are its key's"

# ---- all or nothing: one part that cannot be written, no file at all
mkdir -p "$T/aon" "$T/aon/r.team-b.csv"
run split-dir 4 "$IMGAUDIT" report "${R[@]}" --input $D/images.jsonl --split-by namespace -o "$T/aon/r.csv" -q
eq split-dir-nothing "$(ls -A "$T/aon")" "r.team-b.csv"

# ---- usage errors, before any work
run split-key 2 "$IMGAUDIT" report "${R[@]}" --input $D/images.jsonl --split-by team -o "$T/k.csv"
has split-key-msg "$T/split-key.err" "--split-by: 'team' is not a key to split by (namespace, registry, image_type)"
run split-stdout 2 "$IMGAUDIT" report "${R[@]}" --input $D/images.jsonl --split-by namespace -o - --format csv
has split-stdout-msg "$T/split-stdout.err" "--split-by: -o - is not a file that parts can be written beside"
run split-no-o 2 "$IMGAUDIT" report "${R[@]}" --input $D/images.jsonl --split-by namespace
has split-no-o-msg "$T/split-no-o.err" "--split-by writes each -o once per namespace: give at least one -o FILE"
run split-evidence 2 "$IMGAUDIT" report "${R[@]}" --input $D/images.jsonl --split-by namespace \
  -o "$T/e.csv" --evidence-dir "$T/bundle"
has split-evidence-msg "$T/split-evidence.err" "--split-by with --evidence-dir: a bundle holds one run's reports"
cp $D/images.jsonl "$T/in.team-a.csv"
run split-clobber 2 "$IMGAUDIT" report "${R[@]}" --input "$T/in.team-a.csv" --split-by namespace -o "$T/in.csv"
has split-clobber-msg "$T/split-clobber.err" "--split-by $T/in.team-a.csv is the same file as --input $T/in.team-a.csv"
finish

#!/usr/bin/env bash
# The HTML report in headless Chromium (Debian's chromium package, driven
# by tests/tools/chromium_cdp.py and checked by check_report_html.py
# against the JSON report of the same run):
# - scripts on: the findings view pages through every finding (a
#   20,000-finding report), the by-image and by-rule views and their
#   expanded rows, a finding's details (description, remediation, every
#   value); filters and search from the URL's hash, and the hash from the
#   controls;
# - scripts off (really off, not blocked): the first findings as rows
#   grouped by image, and a note naming the report with all of them by
#   file name;
# - no injected script runs (hostile names and rule titles try to change
#   document.title and add an element); the page is self-contained;
# - a 300,000-character image name loads within a generous time, cut in
#   its cell, whole in the details;
# - printing lists the findings by image under a repeated header;
# - custom --template files and their errors; screenshots not blank.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
NOW=2026-11-27T08:00:00Z
CHROMIUM=/usr/bin/chromium
chrome() {
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --user-data-dir="$(mktemp -d "$T/profile.XXXXXX")" "$@" 2>>"$T/chromium.err"
}
tool() {  # tool NAME ARGS...: a check by tests/tools/check_report_html.py
  local name=$1
  shift
  if $PY tests/tools/check_report_html.py "$@" >"$T/$name.check" 2>&1; then
    pass
  else
    fail "$name"; sed 's/^/    /' "$T/$name.check" | tail -10 >&2
  fi
}
shot() {  # shot NAME HTML STATE: a screenshot of a view, not blank
  if $PY tests/tools/chromium_cdp.py shot "file://$2#findings?$3" "$T/$1.png" --size 1280x1000 \
       2>"$T/$1.shot.err"; then
    tool "$1" png "$T/$1.png"
  else
    fail "$1: no screenshot"; tail -3 "$T/$1.shot.err" >&2
  fi
}

# Payloads that would change the title or add an element if they ran.
P1="<img src=x onerror=\"document.title='pwned';document.body.appendChild(document.createElement('pwned'))\">"
P2="</script><script>document.title='pwned'</script><!--"
P3="\"><svg onload=\"document.title='pwned'\">"
$PY - "$T/inject.jsonl" "$P1" "$P2" "$P3" <<'PY'
import json, sys
out, p1, p2, p3 = sys.argv[1:5]
recs = [
    {"id": 1, "namespace": p1, "image_name": p2, "image_version": p3, "registry_name": "<!--",
     "vul_num": 5, "latest_scan_time": 1795000000000},
    {"id": 2, "namespace": "prod", "image_name": "ok", "image_version": "1"},
]
with open(out, "w", encoding="utf-8") as f:
    for r in recs:
        f.write(json.dumps(r) + "\n")
PY
cat >"$T/inject.yaml" <<'YAML'
version: 1
rules:
  - id: INJECT
    title: "</script><script>document.title='pwned'</script>"
    severity: high
    description: "<b onmouseover=\"document.title='pwned'\">x</b>"
    when: "true"
    message: "{namespace} {image_name}"
YAML

run inject 0 "$IMGAUDIT" report --rules "$T/inject.yaml" --input "$T/inject.jsonl" --now $NOW \
  -o "$T/i.html" -o "$T/i.json" --quiet
tool inject-js dom "$T/i.html" "$T/i.json" --js --hostile "$P1" --hostile "$P2" --hostile "$P3"
tool inject-nojs dom "$T/i.html" "$T/i.json" --no-js --hostile "$P1"
tool inject-static static "$T/i.html"

# The hostile sample, plus an image name of 300,000 characters without a
# space: it used to keep Chromium laying the table out for minutes.
$PY - samples/hostile.jsonl "$T/long.jsonl" <<'PY'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read()
rec = {"id": 9001, "namespace": "prod", "image_name": "x" * 300000, "image_version": "1",
       "image_digest": "sha256:" + "ab" * 32, "vul_num": 3}
open(sys.argv[2], "w", encoding="utf-8").write(lines + json.dumps(rec) + "\n")
PY
run hostile 0 "$IMGAUDIT" report --rules tests/data/rules/every-image.yaml \
  --input "$T/long.jsonl" --now $NOW -o "$T/h.html" -o "$T/h.json" --quiet
tool hostile-js dom "$T/h.html" "$T/h.json" --js
tool hostile-nojs dom "$T/h.html" "$T/h.json" --no-js
tool hostile-static static "$T/h.html"
tool hostile-long long "$T/h.html" "$T/h.json" 60

run images 0 "$IMGAUDIT" report --rules rules/default.yaml --input samples/images.jsonl \
  --now $NOW -o "$T/a.html" -o "$T/a.json" --quiet
tool images-js dom "$T/a.html" "$T/a.json" --js
tool images-nojs dom "$T/a.html" "$T/a.json" --no-js
tool images-views views "$T/a.html" "$T/a.json"
tool images-state state "$T/a.html" "$T/a.json"
shot shot-finding "$T/a.html" "open=f1"
shot shot-image "$T/a.html" "view=image&open=i31"
shot shot-rule "$T/a.html" "view=rule&open=r1"
chrome --hide-scrollbars --screenshot="$T/a.png" --window-size=1280,2000 "file://$T/a.html" >/dev/null
tool screenshot png "$T/a.png"
# Printed: the findings that match the filters, by image, under the
# table header on every page.
chrome --no-pdf-header-footer --print-to-pdf="$T/a.pdf" "file://$T/a.html#findings?sev=medium" >/dev/null
tool print print "$T/a.pdf" "data-eng/mongo:2.19.10" "Printed: the 137 findings that match the filters, by image."
# Without scripts: the listed rows, by image, the same way.
$PY tests/tools/chromium_cdp.py pdf "file://$T/a.html" "$T/a-nojs.pdf" --no-js 2>/dev/null
tool print-nojs print "$T/a-nojs.pdf" "data-eng/mongo:2.19.10"

# 20,000 findings and more: all of them on the pages of the findings view,
# and in the views by image and by rule.
$PY tests/tools/gen_images.py --count 8600 --seed 11 -o "$T/big.jsonl"
run big 0 "$IMGAUDIT" report --rules rules/default.yaml --rules tests/data/rules/every-image.yaml \
  --input "$T/big.jsonl" --now $NOW -o "$T/big.html" -o "$T/big.json" --quiet
$PY -c "import json,sys; n=len(json.load(open(sys.argv[1]))['findings']); sys.exit(n < 20000)" \
  "$T/big.json" && pass || fail "big: fewer than 20,000 findings"
tool big-pages pages "$T/big.html" "$T/big.json"
tool big-views views "$T/big.html" "$T/big.json"
tool big-state state "$T/big.html" "$T/big.json"

# Cut to 20 rows without scripts: every rule keeps some, the note names
# the report with all of them by file name (the JSON written by the same
# run); with scripts all 173 are there.
run cut 0 "$IMGAUDIT" report --rules rules/default.yaml --input samples/images.jsonl \
  --now $NOW --html-max-findings 20 -o "$T/c.html" -o "$T/c.json" --quiet
tool cut-js dom "$T/c.html" "$T/c.json" --js
tool cut-nojs dom "$T/c.html" "$T/c.json" --no-js --rows 20
tool cut-pages pages "$T/c.html" "$T/c.json"
has cut-banner "$T/c.html" 'id="truncated"'
has cut-where "$T/c.html" "all findings are in <code>c.json</code> too, written with this page"
lacks cut-no-dir "$T/c.html" "$T/c.json"
# It names the XLSX first, and never a report that could not be written.
run cut-xlsx 0 "$IMGAUDIT" report --rules rules/default.yaml --input samples/images.jsonl \
  --now $NOW --html-max-findings 20 -o "$T/c2.html" -o "$T/c2.csv" -o "$T/c2.json" \
  -o "$T/c2.xlsx" --quiet
has cut-where-xlsx "$T/c2.html" "<code>c2.xlsx</code>"
run cut-unwritten 4 "$IMGAUDIT" report --rules rules/default.yaml --input samples/images.jsonl \
  --now $NOW --html-max-findings 20 -o "$T/c3.html" -o "$T/no-such-dir/c3.xlsx" \
  -o "$T/c3.csv" --quiet
# All or nothing: one report that cannot be written means none is.
[[ ! -e "$T/c3.html" && ! -e "$T/c3.csv" ]] && pass || fail "cut-unwritten: a report was written"
$PY - "$T/c.html" "$T/c.json" <<'PY' && pass || fail "every rule with findings keeps rows"
import json, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
rep = json.load(open(sys.argv[2], encoding="utf-8"))
shown = re.findall(r'<td class="rid"><code>([^<]*)</code>', page)
assert len(shown) == 20, len(shown)
for r in rep["rules"]:
    if r["findings"]:
        assert r["id"] in shown, r["id"]
PY

# No findings: the empty state, not an empty table.
printf '[]' >"$T/empty.json"
run empty 0 "$IMGAUDIT" report --rules rules/default.yaml --input "$T/empty.json" --now $NOW \
  -o "$T/e.html" --quiet
has empty-state "$T/e.html" 'id="no-findings"'
lacks empty-table "$T/e.html" 'id="findings-table"'

# Custom templates: used as given; errors name the file and line and are
# usage errors (exit 2), found before any evaluation.
printf '<p>{{images}} images, {{findings_total}} findings</p>\n{{#rules}}[{{id}}]{{/rules}}\n' >"$T/t.html"
run custom 0 "$IMGAUDIT" report --rules "$T/inject.yaml" --input "$T/inject.jsonl" --now $NOW \
  --template "$T/t.html" -o "$T/t.out.html" --quiet
printf '<p>2 images, 2 findings</p>\n[INJECT]\n' >"$T/t.want"
same custom-out "$T/t.out.html" "$T/t.want"
printf '<p>\n  {{imagez}}\n</p>\n' >"$T/bad1.html"
run bad-tag 2 "$IMGAUDIT" report --rules "$T/inject.yaml" --input "$T/inject.jsonl" --now $NOW \
  --template "$T/bad1.html" -o "$T/x.html" --quiet
has bad-tag-msg "$T/bad-tag.err" "$T/bad1.html:2:3: error: unknown tag 'imagez'"
printf 'a\n{{#rules}}\n{{id}}\n' >"$T/bad2.html"
run unclosed 2 "$IMGAUDIT" report --rules "$T/inject.yaml" --input "$T/inject.jsonl" --now $NOW \
  --template "$T/bad2.html" -o "$T/x.html" --quiet
has unclosed-msg "$T/unclosed.err" "$T/bad2.html:2:1: error: unclosed section '{{#rules}}'"
printf '{{{findings_total}}}\n' >"$T/bad3.html"
run triple 2 "$IMGAUDIT" report --rules "$T/inject.yaml" --input "$T/inject.jsonl" --now $NOW \
  --template "$T/bad3.html" -o "$T/x.html" --quiet
has triple-msg "$T/triple.err" "is data and always escaped"
if [[ -e "$T/x.html" ]]; then fail "a failed render left x.html"; else pass; fi
finish

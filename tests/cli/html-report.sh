#!/usr/bin/env bash
# The HTML report in headless Chromium (Debian's chromium package): the
# rendered DOM with scripts on and off has every finding row, the page
# script runs only when enabled, and no injected script runs (hostile
# names and rule titles try to change document.title and add an element);
# the page is self-contained (nothing fetched); large runs are cut per rule with a note; a
# custom --template works and its errors name file:line; one screenshot
# must not be blank.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
NOW=2026-11-27T08:00:00Z
CHROMIUM=/usr/bin/chromium
chrome() {
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --user-data-dir="$(mktemp -d "$T/profile.XXXXXX")" "$@" 2>>"$T/chromium.err"
}
# Scripts off: Chromium 156's --blink-settings=scriptEnabled=false also
# stops the DevTools evaluation behind --dump-dom and --screenshot (they
# print nothing), so the page's own Content-Security-Policy switches its
# script off instead: in a copy without the script's nonce the browser
# refuses to run it, which is what a reader with scripts disabled sees.
nojs_dom() {  # nojs_dom HTML > DOM
  sed 's/<script nonce="[0-9a-f]*">/<script>/' "$1" >"$1.nojs.html"
  chrome --dump-dom "file://$1.nojs.html"
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
chrome --dump-dom "file://$T/i.html" >"$T/i.js.dom"
nojs_dom "$T/i.html" >"$T/i.nojs.dom"
tool inject-js dom "$T/i.js.dom" "$T/i.json" --js --hostile "$P1" --hostile "$P2" --hostile "$P3"
tool inject-nojs dom "$T/i.nojs.dom" "$T/i.json" --no-js --hostile "$P1"
tool inject-static static "$T/i.html"

run hostile 0 "$IMGAUDIT" report --rules tests/data/rules/every-image.yaml \
  --input samples/hostile.jsonl --now $NOW -o "$T/h.html" -o "$T/h.json" --quiet
chrome --dump-dom "file://$T/h.html" >"$T/h.js.dom"
tool hostile-js dom "$T/h.js.dom" "$T/h.json" --js
tool hostile-static static "$T/h.html"

run images 0 "$IMGAUDIT" report --rules rules/default.yaml --input samples/images.jsonl \
  --now $NOW -o "$T/a.html" -o "$T/a.json" --quiet
chrome --dump-dom "file://$T/a.html" >"$T/a.js.dom"
nojs_dom "$T/a.html" >"$T/a.nojs.dom"
tool images-js dom "$T/a.js.dom" "$T/a.json" --js
tool images-nojs dom "$T/a.nojs.dom" "$T/a.json" --no-js
chrome --hide-scrollbars --screenshot="$T/a.png" --window-size=1280,2000 "file://$T/a.html" >/dev/null
tool screenshot png "$T/a.png"

# A large run cut to 20 rows: every rule keeps some, the page says where
# the rest are (the JSON written by the same run).
run cut 0 "$IMGAUDIT" report --rules rules/default.yaml --input samples/images.jsonl \
  --now $NOW --html-max-findings 20 -o "$T/c.html" -o "$T/c.json" --quiet
chrome --dump-dom "file://$T/c.html" >"$T/c.js.dom"
tool cut-js dom "$T/c.js.dom" "$T/c.json" --js --rows 20
has cut-banner "$T/c.html" 'id="truncated"'
has cut-where "$T/c.html" "c.json</code>"
# It names the XLSX first, and never a report that could not be written.
run cut-xlsx 0 "$IMGAUDIT" report --rules rules/default.yaml --input samples/images.jsonl \
  --now $NOW --html-max-findings 20 -o "$T/c2.html" -o "$T/c2.csv" -o "$T/c2.json" \
  -o "$T/c2.xlsx" --quiet
has cut-where-xlsx "$T/c2.html" "c2.xlsx</code>"
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

#!/usr/bin/env bash
# Evidence an auditor can check (issue 8, docs/evidence.md):
#  1. a report pulled from the fake server and the same report from its
#     snapshot, run in another folder with every file moved, are the same
#     bytes in all four formats (relative and absolute paths);
#  2. an empty pull gives valid empty reports, and so does its snapshot;
#  3. provenance missing, mismatched or invalid labels every report;
#  4. an evidence bundle verifies (imgaudit verify, sha256sum -c, openssl
#     pkeyutl), also when copied elsewhere; one change at a time (a byte in
#     each kind of file, a file deleted or added, a setting in run.json,
#     another signing key) fails verify with exit 3 and the right message;
#  5. no credential is in any bundle file;
#  6. hostile folder and file names (spaces, quotes, newlines).
. "$(dirname "$0")/../server/fetch-lib.sh"
PY3=/usr/bin/python3
AK=AKEVIDENCE SK=SKevidence0123456789 STS=STSevidence0123456789 TOK=TOKevidence0123456789
export HUAWEICLOUD_SDK_AK=$AK HUAWEICLOUD_SDK_SK=$SK HUAWEICLOUD_SDK_SECURITY_TOKEN=$STS
NOW=(--now 2026-11-27T08:00:00Z)
SRC=$SRCDIR
start_server samples/images.jsonl --project-id pid1 --ak $AK --sk $SK --security-token $STS \
  --token $TOK

# The inputs of week 2: rules, waivers, a baseline (week 1's report).
setup_inputs() {   # DIR
  mkdir -p "$1/rules"
  cp "$SRC/rules/default.yaml" "$1/rules/default.yaml"
  cp "$SRC/samples/waivers.yaml" "$1/waivers.yaml"
  cp "$SRC/samples/baseline.json" "$1/base.json"
}
W=(--rules rules/default.yaml --waivers waivers.yaml --baseline base.json --set stale_after=14d
   --fail-on critical --html-max-findings 20 "${NOW[@]}")
outs() { for e in csv xlsx html json; do printf -- '-o\n%s/r.%s\n' "$1" "$e"; done; }

# ---- 1. pull, then replay elsewhere: the same bytes ----
mkdir -p "$T/a/out" "$T/a/snap" && setup_inputs "$T/a"
mapfile -t O < <(outs out)
(cd "$T/a" && run pull 1 "$IMGAUDIT" report "${C[@]}" "${W[@]}" --page-size 30 \
   --save-snapshot snap/s.jsonl "${O[@]}")
[[ -s "$T/a/snap/s.meta.json" ]] && pass || fail "no provenance beside the snapshot"
mkdir -p "$T/b/deep/data" "$T/b/elsewhere"
mv "$T/a/rules" "$T/a/waivers.yaml" "$T/a/base.json" "$T/b/deep/"
mv "$T/a/snap/s.jsonl" "$T/a/snap/s.meta.json" "$T/b/deep/data/"
mapfile -t O2 < <(outs ../elsewhere)
(cd "$T/b/deep" && run replay 1 "$IMGAUDIT" report --input data/s.jsonl "${W[@]}" "${O2[@]}")
for e in csv xlsx html json; do
  if cmp -s "$T/a/out/r.$e" "$T/b/elsewhere/r.$e"; then pass; else fail "replay: r.$e differs from the pull's"; fi
done
# The HTML is cut at 20 findings and names the full report by file name only.
has companion "$T/a/out/r.html" "all findings are in <code>r.xlsx</code>"
for e in xlsx html json; do
  if unzip -p "$T/a/out/r.$e" 2>/dev/null | grep -qF "$T" || grep -qF "$T" "$T/a/out/r.$e"; then
    fail "r.$e names a path of this machine"
  else pass; fi
done
$PY3 - "$T/a/out/r.json" "$ENDPOINT" <<'PY' && pass || fail "pulled JSON provenance"
import json, sys
m = json.load(open(sys.argv[1]))["meta"]
s = m["source"]
assert (s["provenance"], s["provenance_problem"], s["label"]) == ("pull", None, "HSS API pull"), s
assert s["endpoint"] == sys.argv[2] and s["pages"] == 4 and s["pulled_at"], s
assert [f["path"] for f in m["rule_files"]] == ["rules/default.yaml"], m["rule_files"]
assert [f["path"] for f in m["waiver_files"]] == ["waivers.yaml"]
assert m["baseline"]["path"] == "base.json" and len(m["baseline"]["sha256"]) == 64
PY
# A version 2 report of a pull (source.kind "api") read back: still a
# pull, its pull time unknown (null), never 1970.
jq '.schema_version=2 | .meta.source |= ({kind: "api", input_path: null, input_format: null}
    + del(.provenance, .provenance_problem, .label, .records_format, .pulled_at, .pulled_by))' \
  "$T/a/out/r.json" >"$T/v2pull.json"
run v2-diff 1 "$IMGAUDIT" diff "$T/v2pull.json" "$T/v2pull.json" -o "$T/v2diff.json" -q
$PY3 -c "
import json
s = json.load(open('$T/v2diff.json'))['meta']['source']
assert (s['provenance'], s['pulled_at'], s['pages']) == ('pull', None, 4), s" && pass || fail "v2 pull read back"
# Absolute paths: reports name the base names, so another folder gives the same bytes.
mkdir -p "$T/c1" "$T/c2/x/y"
setup_inputs "$T/c1"
setup_inputs "$T/c2/x/y"
abs() { echo --rules "$1/rules/default.yaml" --waivers "$1/waivers.yaml" --baseline "$1/base.json"; }
(cd "$T/c1" && run abs-pull 1 "$IMGAUDIT" report "${C[@]}" $(abs "$T/c1") --fail-on critical \
   "${NOW[@]}" --save-snapshot "$T/c1/s.jsonl" -o "$T/c1/r.json" -o "$T/c1/r.xlsx" -o "$T/c1/r.html" -q)
mv "$T/c1/s.jsonl" "$T/c1/s.meta.json" "$T/c2/x/"
(cd / && run abs-replay 1 "$IMGAUDIT" report --input "$T/c2/x/s.jsonl" $(abs "$T/c2/x/y") \
   --fail-on critical "${NOW[@]}" -o "$T/c2/r.json" -o "$T/c2/r.xlsx" -o "$T/c2/r.html" -q)
for e in json xlsx html; do
  if cmp -s "$T/c1/r.$e" "$T/c2/r.$e"; then pass; else fail "absolute paths: r.$e differs"; fi
done
has abs-rule-name "$T/c1/r.json" '"path": "default.yaml"'

# ---- 2. an empty pull is a valid empty snapshot ----
run empty 0 "$IMGAUDIT" report "${C[@]}" --rules rules/default.yaml --filter namespace=no-such \
  "${NOW[@]}" --save-snapshot "$T/e.jsonl" -o "$T/e1.json" -o "$T/e1.xlsx" -o "$T/e1.html" -o "$T/e1.csv"
eq empty-size "$(wc -c <"$T/e.jsonl")" 0
has empty-summary "$T/empty.out" "Images:    0 evaluated, 0 with findings"
run empty-replay 0 "$IMGAUDIT" report --input "$T/e.jsonl" --rules rules/default.yaml "${NOW[@]}" \
  -o "$T/e2.json" -o "$T/e2.xlsx" -o "$T/e2.html" -o "$T/e2.csv"
for e in json xlsx html csv; do
  if cmp -s "$T/e1.$e" "$T/e2.$e"; then pass; else fail "empty: e1.$e and e2.$e differ"; fi
done
if $PY3 tests/tools/check_report_json.py docs/report-schema.json "$T/e1.json" "$T/a/out/r.json" \
     "$T/v2diff.json" >"$T/schema.out" 2>&1
then pass; else fail "schema"; tail -5 "$T/schema.out" >&2; fi
$PY3 tests/tools/check_report_html.py static "$T/e1.html" >/dev/null 2>&1 && pass || fail "empty HTML"
$PY3 -c "
import openpyxl, sys
wb = openpyxl.load_workbook('$T/e1.xlsx')
assert wb['Findings']['A2'].value == 'No findings' and wb['Findings'].max_row == 2
assert wb['Inventory']['A2'].value == 'No images' and wb['Inventory'].max_row == 2" \
  && pass || fail "empty XLSX"
eq empty-csv-lines "$(wc -l <"$T/e1.csv")" 1
# An empty file without provenance stays an error.
: >"$T/bare.jsonl"
run bare 3 "$IMGAUDIT" report --input "$T/bare.jsonl" --rules rules/default.yaml -q
has bare-msg "$T/bare.err" "no records: the input is empty"

# ---- 3. provenance missing, mismatched, invalid ----
label_everywhere() {   # NAME PREFIX LABEL
  has "$1-json" "$2.json" "\"label\": \"$3\""
  has "$1-html" "$2.html" "$3"
  $PY3 -c "
import openpyxl, sys
ws = openpyxl.load_workbook('$2.xlsx')['Summary']
sys.exit(0 if any(c.value == '$3' for row in ws.iter_rows() for c in row) else 1)" \
    && pass || fail "$1: XLSX Summary lacks '$3'"
}
cp "$T/b/deep/data/s.jsonl" "$T/p.jsonl"
run prov-missing 0 "$IMGAUDIT" report --input "$T/p.jsonl" --rules rules/default.yaml "${NOW[@]}" \
  -o "$T/pm.json" -o "$T/pm.html" -o "$T/pm.xlsx"
label_everywhere prov-missing "$T/pm" "file input, provenance unknown (provenance missing)"
has prov-missing-summary "$T/prov-missing.out" "Source:    file input, provenance unknown (provenance missing)"
cp "$T/b/deep/data/s.meta.json" "$T/p.meta.json"
sed -i '1s/"namespace":"/"namespace":"x/' "$T/p.jsonl"
run prov-mismatch 0 "$IMGAUDIT" report --input "$T/p.jsonl" --rules rules/default.yaml "${NOW[@]}" \
  -o "$T/px.json" -o "$T/px.html" -o "$T/px.xlsx"
label_everywhere prov-mismatch "$T/px" "file input, provenance unknown (provenance SHA-256 mismatch)"
has prov-mismatch-warn "$T/prov-mismatch.err" "$T/p.meta.json: warning: its records_sha256"
has prov-mismatch-warn2 "$T/prov-mismatch.err" "is not the SHA-256 of $T/p.jsonl"
lacks prov-mismatch-endpoint "$T/px.json" "$ENDPOINT"
echo '{"schema": "imgaudit-snapshot-provenance", "schema_version": 1}' >"$T/p.meta.json"
run prov-invalid 0 "$IMGAUDIT" report --input "$T/p.jsonl" --rules rules/default.yaml "${NOW[@]}" \
  -o "$T/pi.json" -o "$T/pi.html" -o "$T/pi.xlsx"
label_everywhere prov-invalid "$T/pi" "file input, provenance unknown (provenance invalid)"
has prov-invalid-warn "$T/prov-invalid.err" "$T/p.meta.json: warning: snapshot provenance: 'imgaudit_version' is missing"

# ---- 4. evidence bundles ----
openssl genpkey -algorithm ed25519 -out "$T/key.pem" 2>/dev/null
openssl pkey -in "$T/key.pem" -pubout -out "$T/key.pub" 2>/dev/null
openssl genpkey -algorithm ed25519 -out "$T/other.pem" 2>/dev/null
openssl pkey -in "$T/other.pem" -pubout -out "$T/other.pub" 2>/dev/null
mkdir -p "$T/w/out" && setup_inputs "$T/w"
cp templates/report.html "$T/w/page.html"
mapfile -t O3 < <(outs out)
(cd "$T/w" && run bundle 1 "$IMGAUDIT" report "${C[@]}" "${W[@]}" --template page.html \
   --evidence-dir ev --sign-key "$T/key.pem" "${O3[@]}")
B=$(ls -d "$T/w/ev/"*/ 2>/dev/null | head -1)
B=${B%/}
[[ "$(basename "$B")" =~ ^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{12}$ ]] && pass || fail "bundle name '$B'"
has bundle-summary "$T/bundle.out" "  ev/$(basename "$B")/ (evidence bundle)"
eq bundle-files "$(cd "$B" && find . -type f | sort | tr '\n' ' ')" \
  "./MANIFEST.sha256 ./MANIFEST.sha256.sig ./inputs/baseline-base.json ./inputs/rules-1-default.yaml ./inputs/template-page.html ./inputs/waivers-1-waivers.yaml ./records/snapshot.jsonl ./records/snapshot.meta.json ./reports/r.csv ./reports/r.html ./reports/r.json ./reports/r.xlsx ./run.json "
for e in csv xlsx html json; do
  if cmp -s "$T/w/out/r.$e" "$B/reports/r.$e"; then pass; else fail "bundle: reports/r.$e is not the -o report"; fi
done
if cmp -s "$T/key.pem" /dev/null || grep -rqF -- "$(sed -n 2p "$T/key.pem")" "$B"; then
  fail "the private key is in the bundle"; else pass; fi
$PY3 - "$B/run.json" <<'PY' && pass || fail "run.json"
import json, sys
r = json.load(open(sys.argv[1]))
s = r["settings"]
assert r["schema"] == "imgaudit-evidence-run" and r["exit_code"] == 1 and r["gate"]["verdict"] == "fail"
assert s["now"] == "2026-11-27T08:00:00Z" and s["now_from"] == "--now" and s["set"] == ["stale_after=14d"]
assert s["fail_on"] == "critical" and s["html_max_findings"] == 20
assert {p["name"]: p["value"] for p in s["params"]}["stale_after"] == "14d"
assert s["rules"][0] == {"name": "rules/default.yaml", "file": "inputs/rules-1-default.yaml",
                         "sha256": s["rules"][0]["sha256"]}
assert s["baseline"]["name"] == "base.json" and s["template"]["file"] == "inputs/template-page.html"
assert set(r["versions"]) == {"imgaudit", "libcurl", "jansson", "libxlsxwriter", "pcre2", "openssl",
                              "libyaml", "zlib"}, r["versions"]
assert r["records"]["from"] == "pull" and r["records"]["provenance"] == "records/snapshot.meta.json"
assert r["pull"]["credentials"].startswith("AK/SK") and r["pull"]["page_size"] == 200
assert r["counts"]["images"] == 120 and r["html_companion"] == "r.xlsx"
assert r["signature"]["algorithm"] == "Ed25519" and len(r["signature"]["public_key_sha256"]) == 64
assert [x["name"] for x in r["reports"]] == ["r.csv", "r.xlsx", "r.html", "r.json"]
PY
run verify-ok 0 "$IMGAUDIT" verify "$B" --pubkey "$T/key.pub"
has verify-ok-sig "$T/verify-ok.out" "signature: ok: MANIFEST.sha256.sig is a valid Ed25519 signature of MANIFEST.sha256 by $T/key.pub"
has verify-ok-manifest "$T/verify-ok.out" "manifest: ok: 11 files, each with the SHA-256 MANIFEST.sha256 lists; none missing, none extra"
has verify-ok-xlsx "$T/verify-ok.out" "reproduce: ok: reports/r.xlsx is reproduced byte for byte"
has verify-ok-gate "$T/verify-ok.out" "reproduce: ok: gate verdict fail and exit code 1, as run.json records"
has verify-ok-end "$T/verify-ok.out" "verify: OK: signed, complete and reproduced"
# The same with the standard tools.
(cd "$B" && sha256sum -c --quiet MANIFEST.sha256) && pass || fail "sha256sum -c"
openssl pkeyutl -verify -pubin -inkey "$T/key.pub" -rawin -in "$B/MANIFEST.sha256" \
  -sigfile "$B/MANIFEST.sha256.sig" >/dev/null 2>&1 && pass || fail "openssl pkeyutl -verify"
# Copied to another folder (and the inputs gone): still verifies.
mkdir -p "$T/mail"
cp -r "$B" "$T/mail/bundle"
rm -rf "$T/w/rules" "$T/w/waivers.yaml" "$T/w/base.json" "$T/w/page.html"
(cd / && run verify-copy 0 "$IMGAUDIT" verify "$T/mail/bundle" --pubkey "$T/key.pub")
run verify-nokey 0 "$IMGAUDIT" verify "$T/mail/bundle"
has verify-nokey-note "$T/verify-nokey.out" "signature: not checked (no --pubkey); MANIFEST.sha256.sig is there"

# Tampering, one change at a time, each on a fresh copy.
fresh() { rm -rf "$T/t"; cp -r "$B" "$T/t"; }
flip() {   # FILE: change one byte near the middle (a letter or digit, when there is one)
  $PY3 - "$1" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
i = len(b) // 2
j = next((k for k in range(i, len(b)) if chr(b[k]).isalnum()), None)
if j is None or p.endswith((".xlsx", ".sig")):
    b[i] ^= 1
else:
    c = chr(b[j])
    b[j] = ord("0123456789"[(int(c) + 1) % 10] if c.isdigit() else ("b" if c != "b" else "c"))
open(p, "wb").write(bytes(b))
PY
}
rehash() { (cd "$T/t" && find . -type f ! -name 'MANIFEST.sha256*' | sed 's|^\./||' | sort | xargs -d '\n' sha256sum >MANIFEST.sha256); }
tamper() {   # NAME FILE EXPECTED-LINE...
  local name=$1 file=$2
  shift 2
  fresh
  flip "$T/t/$file"
  run "tamper-$name" 3 "$IMGAUDIT" verify "$T/t" --pubkey "$T/key.pub"
  for want in "$@"; do has "tamper-$name" "$T/tamper-$name.out" "$want"; done
  has "tamper-$name-err" "$T/tamper-$name.err" "$T/t: error: the evidence bundle does not verify"
}
changed() { echo "manifest: FAIL: $1: its SHA-256"; }
tamper snapshot records/snapshot.jsonl "$(changed records/snapshot.jsonl)" \
  "reproduce: FAIL: reports/r.json differs from the re-evaluated report: first at line"
tamper provenance records/snapshot.meta.json "$(changed records/snapshot.meta.json)" \
  "reproduce: FAIL: reports/r.json differs"
tamper rules inputs/rules-1-default.yaml "$(changed inputs/rules-1-default.yaml)"
tamper waivers inputs/waivers-1-waivers.yaml "$(changed inputs/waivers-1-waivers.yaml)"
tamper baseline inputs/baseline-base.json "$(changed inputs/baseline-base.json)"
tamper template inputs/template-page.html "$(changed inputs/template-page.html)" \
  "reproduce: FAIL: reports/r.html differs from the re-evaluated report"
for e in csv html json; do
  tamper "report-$e" "reports/r.$e" "$(changed reports/r.$e)" "reproduce: FAIL: reports/r.$e differs"
done
# A bit flipped in compressed data: a corrupt part, or (as deflate
# allows) another cell; either way reproduction fails on this file.
tamper report-xlsx reports/r.xlsx "$(changed reports/r.xlsx)" "reproduce: FAIL: reports/r.xlsx"
tamper run-json run.json "$(changed run.json)"
tamper manifest MANIFEST.sha256 \
  "signature: FAIL: MANIFEST.sha256.sig is not a valid signature of MANIFEST.sha256 by $T/key.pub"
tamper signature MANIFEST.sha256.sig \
  "signature: FAIL: MANIFEST.sha256.sig is not a valid signature of MANIFEST.sha256 by $T/key.pub" \
  "manifest: ok"

# A report changed and the manifest rewritten to match (no signature
# check): the re-evaluation still finds the first difference.
fresh
sed -i '3s/"IMG-/"IMX-/' "$T/t/reports/r.csv"
rehash
run rehash-csv 3 "$IMGAUDIT" verify "$T/t"
has rehash-csv "$T/rehash-csv.out" "manifest: ok"
has rehash-csv "$T/rehash-csv.out" "reproduce: FAIL: reports/r.csv differs from the re-evaluated report: first at line 3, column 15"
fresh
$PY3 - "$T/t/reports/r.xlsx" <<'PY'
import sys, zipfile
p = sys.argv[1]
zin = zipfile.ZipFile(p)
parts = [(i, zin.read(i.filename)) for i in zin.infolist()]
zin.close()
with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
    for info, data in parts:
        if info.filename == "xl/worksheets/sheet2.xml":
            data = data.replace(b"IMG-MALWARE", b"IMG-HARMLESS", 1)
        z.writestr(info, data)
PY
rehash
run rehash-xlsx 3 "$IMGAUDIT" verify "$T/t"
has rehash-xlsx "$T/rehash-xlsx.out" "reproduce: FAIL: reports/r.xlsx differs from the re-evaluated report: first at sheet \"Findings\", cell B2"
# A setting changed in run.json: the manifest says so; with the manifest
# rewritten, the reports and the gate no longer follow.
fresh
sed -i 's/"fail_on": "critical"/"fail_on": "info"/' "$T/t/run.json"
run setting 3 "$IMGAUDIT" verify "$T/t" --pubkey "$T/key.pub"
has setting "$T/setting.out" "$(changed run.json)"
rehash
run setting-rehash 3 "$IMGAUDIT" verify "$T/t"
has setting-rehash "$T/setting-rehash.out" "manifest: ok"
has setting-rehash "$T/setting-rehash.out" "reproduce: FAIL: reports/r.json differs from the re-evaluated report: first at line"
lacks setting-rehash "$T/setting-rehash.out" "reproduce: FAIL: reports/r.csv"
sed -i 's/"now": "2026-11-27T08:00:00Z"/"now": "2026-11-28T08:00:00Z"/' "$T/t/run.json"
rehash
run now-rehash 3 "$IMGAUDIT" verify "$T/t"
has now-rehash "$T/now-rehash.out" "reproduce: FAIL: reports/r.csv differs"
# Another imgaudit version made it: said, not counted as a problem.
V=$("$IMGAUDIT" --version | cut -d' ' -f2)
fresh
sed -i "s/\"imgaudit\": \"$V\"/\"imgaudit\": \"0.0.1-old\"/" "$T/t/run.json"
rehash
run old-version 0 "$IMGAUDIT" verify "$T/t"
has old-version "$T/old-version.out" "reproduce: note: the bundle was made by imgaudit 0.0.1-old, this is $V"
# A file deleted; a file added.
fresh
rm "$T/t/inputs/waivers-1-waivers.yaml"
run deleted 3 "$IMGAUDIT" verify "$T/t" --pubkey "$T/key.pub"
has deleted "$T/deleted.out" "manifest: FAIL: inputs/waivers-1-waivers.yaml: missing (listed in MANIFEST.sha256)"
has deleted "$T/deleted.out" "reproduce: FAIL: the bundled records and inputs cannot be evaluated again: "
fresh
echo "added later" >"$T/t/reports/notes.txt"
run added 3 "$IMGAUDIT" verify "$T/t" --pubkey "$T/key.pub"
has added "$T/added.out" "manifest: FAIL: reports/notes.txt: extra file, not in MANIFEST.sha256"
has added "$T/added.out" "signature: ok"
has added "$T/added.out" "verify: FAILED: 1 problem"
# Signed with one key, verified with another; unsigned, verified with a key.
run other-key 3 "$IMGAUDIT" verify "$B" --pubkey "$T/other.pub"
has other-key "$T/other-key.out" "signature: FAIL: MANIFEST.sha256.sig is not a valid signature of MANIFEST.sha256 by $T/other.pub"
has other-key "$T/other-key.out" "manifest: ok"
fresh
rm "$T/t/MANIFEST.sha256.sig"
run unsigned 3 "$IMGAUDIT" verify "$T/t" --pubkey "$T/key.pub"
has unsigned "$T/unsigned.out" "signature: FAIL: MANIFEST.sha256.sig is missing: --pubkey requires a signed bundle"
run unsigned-nokey 0 "$IMGAUDIT" verify "$T/t"

# Usage errors (exit 2), and nothing written.
run sign-alone 2 "$IMGAUDIT" report --input samples/images.jsonl --rules rules/default.yaml --sign-key "$T/key.pem"
has sign-alone "$T/sign-alone.err" "--sign-key signs an evidence bundle: add --evidence-dir DIR"
openssl genpkey -algorithm rsa -pkeyopt rsa_keygen_bits:1024 -out "$T/rsa.pem" 2>/dev/null
run rsa-key 2 "$IMGAUDIT" report --input samples/images.jsonl --rules rules/default.yaml \
  --evidence-dir "$T/ev-rsa" --sign-key "$T/rsa.pem"
has rsa-key "$T/rsa-key.err" "$T/rsa.pem: error: the signing key is not an Ed25519 key (it is RSA)"
run pub-as-key 2 "$IMGAUDIT" report --input samples/images.jsonl --rules rules/default.yaml \
  --evidence-dir "$T/ev-rsa" --sign-key "$T/key.pub"
has pub-as-key "$T/pub-as-key.err" "$T/key.pub: error: not a private key PEM file"
[[ ! -e "$T/ev-rsa" ]] && pass || fail "a usage error created the evidence folder"
echo x >"$T/plain"
run evdir-file 2 "$IMGAUDIT" report --input samples/images.jsonl --rules rules/default.yaml --evidence-dir "$T/plain"
has evdir-file "$T/evdir-file.err" "$T/plain: error: --evidence-dir: not a folder"
run verify-none 2 "$IMGAUDIT" verify
run verify-missing 2 "$IMGAUDIT" verify "$T/no-such"
has verify-missing "$T/verify-missing.err" "$T/no-such: error: No such file or directory"
run verify-badkey 2 "$IMGAUDIT" verify "$B" --pubkey "$T/plain"
has verify-badkey "$T/verify-badkey.err" "$T/plain: error: not a public key PEM file"
mkdir -p "$T/notbundle"
run verify-empty 3 "$IMGAUDIT" verify "$T/notbundle"
has verify-empty "$T/verify-empty.out" "manifest: FAIL: MANIFEST.sha256 is missing"
has verify-empty "$T/verify-empty.out" "reproduce: FAIL: run.json cannot be read"

# A report that cannot be written: exit 4, and no bundle, not even a part.
run full 4 "$IMGAUDIT" report --input samples/images.jsonl --rules rules/default.yaml \
  -o /dev/full --format csv --evidence-dir "$T/ev-full" -q
eq full-nothing "$(ls -A "$T/ev-full" | wc -l)" 0
# Standard input and no -o: the records are kept, and the bundle verifies.
run stdin-bundle 0 "$IMGAUDIT" report --input - --rules rules/default.yaml "${NOW[@]}" \
  --evidence-dir "$T/ev-stdin" -q <samples/images.jsonl
SB=$(ls -d "$T/ev-stdin/"*/ | head -1)
cmp -s "$SB/records/snapshot.jsonl" samples/images.jsonl && pass || fail "stdin records not bundled"
run stdin-verify 0 "$IMGAUDIT" verify "$SB"
eq no-temp-left "$(ls -A "$T/ev-stdin" | wc -l)" 1

# The bundle's reports are copies of the run's, made once each is
# complete (src/render/render.c, run_copy), not written a second time:
# copy_file_range into each of the four (tried, whether or not the
# filesystem can), and the workbook is created once by libxlsxwriter's
# zip writer (O_CREAT|O_TRUNC; a copy opens its file without O_CREAT).
# The bytes are the run's (section 1 checks that for a pull).
mkdir -p "$T/cp/out"
(cd "$T/cp" && strace -f -y -o trace -e trace=copy_file_range,openat "$IMGAUDIT" report \
   --input "$SRC/samples/images.jsonl" --rules "$SRC/rules/default.yaml" "${NOW[@]}" -q \
   -o out/r.csv -o out/r.xlsx -o out/r.html -o out/r.json --evidence-dir ev)
CB=$(ls -d "$T/cp/ev/"*/ | head -1)
for e in csv xlsx html json; do
  cmp -s "$T/cp/out/r.$e" "$CB/reports/r.$e" && pass || fail "copy: r.$e differs from the run's"
  grep -q "copy_file_range([0-9]*<$T/cp/out/.r.$e.tmp-[^>]*>, NULL, [0-9]*<$T/cp/ev/[^/]*/reports/.r.$e.tmp-" \
    "$T/cp/trace" && pass || fail "copy: r.$e not copied from the run's"
done
eq copy-xlsx-created-once "$(grep -c 'xlsx.tmp-[^"]*", O_WRONLY|O_CREAT|O_TRUNC' "$T/cp/trace")" 1
run copy-verify 0 "$IMGAUDIT" verify "$CB"
# A report that fails fails its copy too, with one message: the run's.
FAIL_CLOSE=".f.json.tmp-" LD_PRELOAD="$(preload "$FAILCLOSE")" run copy-fail 4 "$IMGAUDIT" report \
  --input samples/images.jsonl --rules rules/default.yaml "${NOW[@]}" -q -o "$T/cp/f.json" \
  -o "$T/cp/f.csv" --evidence-dir "$T/cp/ev-fail"
eq copy-fail-message "$(cat "$T/copy-fail.err")" "$T/cp/f.json: error: cannot write: No space left on device"
eq copy-fail-nothing "$(ls -A "$T/cp/ev-fail" 2>/dev/null | wc -l)" 0

# ---- 5. no credential in any bundle file ----
printf '%s\n' "$TOK" >"$T/token"
unset HUAWEICLOUD_SDK_AK HUAWEICLOUD_SDK_SK HUAWEICLOUD_SDK_SECURITY_TOKEN
run token-bundle 0 "$IMGAUDIT" report "${C[@]}" --token-file "$T/token" --rules rules/default.yaml \
  "${NOW[@]}" --evidence-dir "$T/ev-secrets" -o "$T/tok.json" -q
HUAWEICLOUD_SDK_AK=$AK HUAWEICLOUD_SDK_SK=$SK HUAWEICLOUD_SDK_SECURITY_TOKEN=$STS \
  run aksk-bundle 0 "$IMGAUDIT" report "${C[@]}" --rules rules/default.yaml "${NOW[@]}" \
  --evidence-dir "$T/ev-secrets" -o "$T/aksk.json" -q
eq two-bundles "$(ls -d "$T/ev-secrets/"*/ | wc -l)" 2
for secret in "$AK" "$SK" "$STS" "$TOK"; do
  if grep -rqF -- "$secret" "$T/ev-secrets" "$B"; then fail "secret $secret in a bundle"; else pass; fi
done
has token-credentials "$(ls -d "$T/ev-secrets/"*/ | head -1)run.json" '"credentials": "'

# ---- 6. hostile names ----
H="$T/dir with spaces 'single' \"double\""$'\nnewline'
mkdir -p "$H"
cp rules/default.yaml "$H/rules \"q\" 'x'"$'\n.yaml'
cp samples/images.jsonl "$H/in put"$'\n"q".jsonl'
(cd "$H" && run hostile 0 "$IMGAUDIT" report --input "in put"$'\n"q".jsonl' \
   --rules "rules \"q\" 'x'"$'\n.yaml' "${NOW[@]}" --evidence-dir "$H/ev 'b' \"c\""$'\nd' \
   -o "out \"r\""$'\n.json' -o "out 'x'.xlsx" -q)
HB=
for x in "$H/ev 'b' \"c\""$'\nd'/*/; do HB=${x%/}; done
[[ -n "$HB" && -f "$HB/run.json" ]] && pass || fail "hostile: no bundle"
run hostile-verify 0 "$IMGAUDIT" verify "$HB"
(cd "$HB" && sha256sum -c --quiet MANIFEST.sha256) && pass || fail "hostile: sha256sum -c"
$PY3 - "$HB/run.json" <<'PY' && pass || fail "hostile: run.json names"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["settings"]["rules"][0]["name"] == "rules \"q\" 'x'\n.yaml", r["settings"]["rules"]
assert r["settings"]["rules"][0]["file"] == "inputs/rules-1-rules__q___x__.yaml"
assert [x["file"] for x in r["reports"]] == ["reports/out__r__.json", "reports/out__x_.xlsx"]
assert r["records"]["from"] == "file"
PY
$PY3 -c "
import json,sys
m = json.load(open(sys.argv[1]))['meta']
assert m['rule_files'][0]['path'] == 'rules \"q\" \'x\'\n.yaml'" "$HB/reports/out__r__.json" \
  && pass || fail "hostile: the report names the rule file as given"
finish

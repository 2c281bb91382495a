#!/usr/bin/env bash
# The JSON report (-o report.json): valid against docs/report-schema.json
# and internally consistent (tests/tools/check_report_json.py) for the
# samples and the unit tests' golden file, identical from run to run
# with --now, and with hostile values
# round-tripping unchanged.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
NOW=2026-11-27T08:00:00Z

run images 0 "$IMGAUDIT" report --rules rules/default.yaml --input samples/images.jsonl \
  --now $NOW -o "$T/a.json" --quiet
run images-again 0 "$IMGAUDIT" report --rules rules/default.yaml --input samples/images.jsonl \
  --now $NOW -o "$T/b.json" --quiet
run hostile 0 "$IMGAUDIT" report --rules tests/data/rules/every-image.yaml \
  --input samples/hostile.jsonl --now $NOW -o "$T/h.json" --quiet
run api-doc 0 "$IMGAUDIT" report --rules rules/default.yaml \
  --input samples/api-doc-example.json --now $NOW -o "$T/api.json" --quiet

if $PY tests/tools/check_report_json.py docs/report-schema.json tests/golden/json/small.json \
     "$T/a.json" "$T/h.json" "$T/api.json" >"$T/schema.out" 2>&1; then
  pass
else
  fail "schema check"; sed 's/^/    /' "$T/schema.out" | tail -15 >&2
fi

# Same input and --now: same bytes (generated_at is --now too).
if cmp -s "$T/a.json" "$T/b.json"; then
  pass
else
  fail "two runs differ"
fi

# Hostile text comes back exactly as it went in (one finding per image).
$PY - "$T/h.json" samples/hostile.jsonl <<'PY' && pass || fail "hostile round trip"
import json, sys
rep = json.load(open(sys.argv[1], encoding="utf-8"))
recs = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8") if l.strip()]
assert len(rep["findings"]) == len(recs)
for f in rep["findings"]:
    rec = recs[f["image_index"]]
    for k in ("namespace", "image_name", "image_version", "image_digest"):
        want = rec.get(k) if isinstance(rec.get(k), str) else None
        assert f[k] == want, (k, f[k], want)
PY

# The data-quality table of the API doc's own example is in the JSON.
has api-quality "$T/api.json" '{"field":"image_size","problem":"wrong type"'
finish

#!/usr/bin/env bash
# The hostile sample (formula-looking names, quotes, commas, newlines,
# <script>, non-ASCII) survives the CSV report: a standard CSV reader gets
# every value back intact, apart from the documented leading ' on text
# cells that a spreadsheet would run as a formula. Numbers stay bare.
. "$(dirname "$0")/lib.sh"
run hostile 0 "$IMGAUDIT" report --rules tests/data/rules/every-image.yaml \
  --input samples/hostile.jsonl --now 2026-11-27T08:00:00Z -o "$T/h.csv" --quiet
/usr/bin/python3 - "$T/h.csv" samples/hostile.jsonl <<'PY' && pass || fail "CSV round trip"
import csv, json, sys
csv_path, src = sys.argv[1:3]
records = [json.loads(l) for l in open(src, encoding="utf-8") if l.strip()]
raw = open(csv_path, "rb").read()
assert raw.endswith(b"\r\n"), "RFC 4180 line ends"
rows = list(csv.DictReader(open(csv_path, newline="", encoding="utf-8")))
assert len(rows) == len(records), (len(rows), len(records))
def guarded(v):
    return "'" + v if v and v[0] in "=+-@\t\r" else v
by_index = {}
for row in rows:
    # Findings of one rule come in input order.
    by_index[len(by_index)] = row
problems = 0
for i, rec in enumerate(records):
    row = by_index[i]
    for col in ("namespace", "image_name", "image_version", "image_digest", "registry_name"):
        v = rec.get(col)
        want = guarded(v) if isinstance(v, str) else ""
        if row[col] != want:
            problems += 1
            print(f"record {i+1} {col}: {row[col]!r} != {want!r}", file=sys.stderr)
    for col in ("vul_num", "malicious_file_num", "unsafe_setting_num"):
        v = rec.get(col)
        if isinstance(v, int) and row[col] != str(v):
            problems += 1
            print(f"record {i+1} {col}: {row[col]!r} != {v!r}", file=sys.stderr)
sys.exit(1 if problems else 0)
PY
# No formula survives unguarded: no field starts with = + - @ (after the quote).
if grep -qE '(^|,)"[=+@-]' "$T/h.csv"; then fail "an unguarded formula cell"; else pass; fi
finish

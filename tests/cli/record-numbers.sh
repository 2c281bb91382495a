#!/usr/bin/env bash
# One record numbering everywhere: the data-quality "first record" is
# 1-based, in input order, in the summary on stdout, the JSON, the HTML
# and the XLSX alike, with its line for JSON Lines input (and no line for
# the other forms). A schema version 3 report, which counted from 0, is
# read back as the same record. Issue 11.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
NOW=2026-11-27T08:00:00Z
R=(--rules tests/data/rules/every-image.yaml --now $NOW)

# Record 1 spans two lines and a blank line follows it, so record 2 is
# on line 4 and record 3 on line 5: a line is not a record number.
cat >"$T/in.jsonl" <<'EOF'
{"id": 1, "image_name": "a",
 "vul_num": 1}

{"id": 2, "image_name": "b", "vul_num": "many"}
{"id": 3, "image_name": "c", "scan_status": "odd"}
EOF
run jsonl 0 "$IMGAUDIT" report "${R[@]}" --input "$T/in.jsonl" -o "$T/l.json" -o "$T/l.html" -o "$T/l.xlsx"
has jsonl-stdout-bad "$T/jsonl.out" "  vul_num: wrong type in 1 record (first: record 2, line 4)"
has jsonl-stdout-unknown "$T/jsonl.out" "  scan_status: unknown value in 1 record (first: record 3, line 5)"
eq jsonl-json "$(jq -c '[.data_quality[] | [.field, .first_record, .first_line]]' "$T/l.json")" \
  '[["scan_status",3,5],["vul_num",2,4]]'
has jsonl-html "$T/l.html" '<td><code>vul_num</code></td><td>wrong type</td><td class="num">1</td><td class="num">2</td><td class="num">4</td>'
eq jsonl-xlsx "$($PY - "$T/l.xlsx" <<'PYEOF'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1], read_only=True)["Data quality"]
rows = list(ws.iter_rows(values_only=True))
print(rows[0][:5])
for r in rows[1:3]:
    print(r[:5])
PYEOF
)" "('field', 'problem', 'records', 'first_record', 'first_line')
('scan_status', 'unknown value', 1, 3, 5)
('vul_num', 'wrong type', 1, 2, 4)"

# The same records as a JSON array: record numbers, no lines (errors in
# that form are placed by byte).
jq -s . "$T/in.jsonl" >"$T/in.json"
run array 0 "$IMGAUDIT" report "${R[@]}" --input "$T/in.json" -o "$T/a.json"
has array-stdout "$T/array.out" "  vul_num: wrong type in 1 record (first: record 2)"
eq array-json "$(jq -c '[.data_quality[] | [.first_record, .first_line]]' "$T/a.json")" \
  '[[3,null],[2,null]]'

# A version 3 report counted from 0: read back (as NEW of diff), its
# record 1 is record 2, with no line.
jq '.schema_version = 3 | .data_quality |= map(.first_record -= 1 | del(.first_line))' \
  "$T/l.json" >"$T/v3.json"
run v3 0 "$IMGAUDIT" diff "$T/l.json" "$T/v3.json" -o "$T/v4.json" --quiet
eq v3-read "$(jq -c '[.schema_version, [.data_quality[] | [.first_record, .first_line]]]' \
  "$T/v4.json")" '[4,[[3,null],[2,null]]]'
# A version 4 report has no record 0.
jq '.data_quality[0].first_record = 0' "$T/l.json" >"$T/zero.json"
run zero 3 "$IMGAUDIT" diff "$T/l.json" "$T/zero.json" --quiet
has zero-msg "$T/zero.err" "error: data_quality[0].first_record: expected a record number (1 or more), found 0"
finish

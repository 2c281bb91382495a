#!/usr/bin/env bash
# The XLSX report read back with an independent reader (openpyxl, via
# tests/tools/check_report_xlsx.py) and checked against the JSON report of
# the same run: sheet names, headers, row counts, cell types (dates are
# datetimes, numbers are numbers), charts, coloured severities, hostile
# strings stored as plain text (never formulas), and the continuation
# sheets when a table passes the sheet row limit (lowered here).
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
NOW=2026-11-27T08:00:00Z
check() {  # check NAME XLSX JSON [ARGS...]
  local name=$1
  shift
  if $PY tests/tools/check_report_xlsx.py "$@" >"$T/$name.check" 2>&1; then
    pass
  else
    fail "$name"; sed 's/^/    /' "$T/$name.check" | tail -10 >&2
  fi
}

# --fail-on critical fails the gate (exit 1): the verdict is on the Summary.
run images 1 "$IMGAUDIT" report --rules rules/default.yaml --input samples/images.jsonl \
  --now $NOW --fail-on critical -o "$T/a.xlsx" -o "$T/a.json" --quiet
check images "$T/a.xlsx" "$T/a.json"

run hostile 0 "$IMGAUDIT" report --rules tests/data/rules/every-image.yaml \
  --input samples/hostile.jsonl --now $NOW -o "$T/h.xlsx" -o "$T/h.json" --quiet
check hostile "$T/h.xlsx" "$T/h.json" --hostile samples/hostile.jsonl

# Excel's cell limit (32,767 UTF-16 units): text that fits is kept whole,
# one unit more is cut with the marker and stays within the limit, also
# when the unit more is the second half of a character outside the BMP
# (the writer's quick check counts those twice). Text with '_' and
# characters beyond ASCII that needs no mapping is stored as it is.
$PY - "$T/edge.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for i, name in enumerate(["a" * 32767, "b" * 32768, "\U0001F600" * 16383 + "c",
                              "\U0001F600" * 16384, "caf\u00e9_x1_\u4e2d_\U0001F600_end"]):
        f.write(json.dumps({"id": i + 1, "namespace": "ns", "image_name": name,
                            "image_version": ""}) + "\n")
PY
run cell-limit 0 "$IMGAUDIT" report --rules tests/data/rules/every-image.yaml \
  --input "$T/edge.jsonl" --now $NOW -o "$T/edge.xlsx" --quiet
$PY - "$T/edge.xlsx" <<'PY' && pass || fail "cell limit"
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1], read_only=True)["Inventory"]
col = [c.value for c in next(ws.iter_rows(max_row=1))].index("image_name")
got = [row[col].value for row in ws.iter_rows(min_row=2)]
units = lambda s: len(s.encode("utf-16-le")) // 2
assert got[0] == "a" * 32767, "text that fits was cut"
assert got[1].startswith("bbb") and got[1].endswith("holds]") and units(got[1]) <= 32767, "not cut"
assert got[2] == "\U0001F600" * 16383 + "c", "astral text that fits was cut"
assert got[3].startswith("\U0001F600") and got[3].endswith("holds]") and units(got[3]) <= 32767, \
    "astral text one unit too long was not cut"
assert got[4] == "caf\u00e9_x1_\u4e2d_\U0001F600_end", repr(got[4])
# An empty value is no cell (a blank cell with an alignment shows the
# same and only makes the sheet longer): openpyxl reads None either way,
# so look at the sheet's XML.
import re, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    names = re.findall(r'<sheet name="([^"]*)"', z.read("xl/workbook.xml").decode())
    inv = z.read("xl/worksheets/sheet%d.xml" % (names.index("Inventory") + 1)).decode()
assert re.search(r"<c [^>]*/>", inv) is None, "an empty value was written as a blank cell"
assert inv.count("<row ") == 6, inv.count("<row ")
PY

# 120 findings and 120 images at 10 data rows a sheet: 12 sheets each.
IMGAUDIT_XLSX_MAX_ROWS=11 run split 0 "$IMGAUDIT" report \
  --rules tests/data/rules/every-image.yaml --input samples/images.jsonl --now $NOW \
  -o "$T/s.xlsx" -o "$T/s.json" --quiet
check split "$T/s.xlsx" "$T/s.json" --max-rows 11

# No images, no findings: the sheets are there, and say so.
printf '[]' >"$T/empty.json"
run clean 0 "$IMGAUDIT" report --rules tests/data/rules/every-image.yaml \
  --input "$T/empty.json" --now $NOW -o "$T/c.xlsx" -o "$T/c.json" --quiet
check clean "$T/c.xlsx" "$T/c.json"

# A write error is reported, and no half-written file is left behind.
run unwritable 4 "$IMGAUDIT" report --rules rules/default.yaml --input samples/images.jsonl \
  --now $NOW -o /nonexistent-dir/r.xlsx --quiet
has unwritable-msg "$T/unwritable.err" "r.xlsx"

# The worksheets' rows reach libxlsxwriter's temporary files (tmp.XXXXXX)
# in writes of 32 KiB, not stdio's 4 KiB (src/render/xlsx.c, add_sheet).
# Its own copies of them when the workbook closes stay at 4 KiB.
if command -v strace >/dev/null; then
  python3 tests/tools/gen_images.py --count 2000 --seed 5 -o "$T/2k.jsonl"
  strace -f -y -e trace=write -e signal=none -o "$T/xlsx.strace" "$IMGAUDIT" report \
    --rules rules/default.yaml --input "$T/2k.jsonl" --now $NOW -q -o "$T/2k.xlsx"
  eq strace-exit "$?" 0
  big=$(grep -cE 'write\([0-9]+<[^>]*/tmp\.[A-Za-z0-9]+>[^,]*, .*= 32768$' "$T/xlsx.strace")
  [[ $big -ge 10 ]] && pass || fail "rows written to the sheets' files in 32 KiB: $big writes"
  # The sheets' files are in $TMPDIR, the folder whose room is checked
  # before the workbook closes (src/render/xlsx.c, room_for_copies).
  mkdir -p "$T/tmp"
  TMPDIR="$T/tmp" strace -f -y -e trace=write -e signal=none -o "$T/xlsx-tmpdir.strace" \
    "$IMGAUDIT" report --rules rules/default.yaml --input "$T/2k.jsonl" --now $NOW -q \
    -o "$T/2k-tmpdir.xlsx"
  inside=$(grep -cE "write\([0-9]+<$T/tmp/tmp\.[A-Za-z0-9]+>" "$T/xlsx-tmpdir.strace")
  outside=$(grep -E 'write\([0-9]+<[^>]*/tmp\.[A-Za-z0-9]+>' "$T/xlsx-tmpdir.strace" |
    grep -vc "<$T/tmp/tmp\.")
  [[ $inside -ge 10 && $outside -eq 0 ]] && pass ||
    fail "the sheets' files: $inside writes in \$TMPDIR, $outside elsewhere"
else
  echo "SKIP: strace not installed (the sheets' write sizes)"
fi
finish

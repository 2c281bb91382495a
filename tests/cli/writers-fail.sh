#!/usr/bin/env bash
# Writers that fail at once (issue 10's concurrent writers, issue 12's
# atomic writes): with --jobs 3 the reports are written by three threads,
# and two of them fail after writing all of their file (fclose reports
# ENOSPC: tests/tools/failclose.c, LD_PRELOAD), the CSV in chunks. Every
# time: exit 4, one message per failed report in the order of the -o
# options whichever thread finished first, no report written or left
# half-written, no temporary file left, and a report that was there
# before is untouched.
. "$(dirname "$0")/lib.sh"
: "${FAILCLOSE:?set FAILCLOSE to the libfailclose.so shim}"
# 12,000 images: more findings than one CSV chunk (render.c, CSV_CHUNK).
python3 tests/tools/gen_images.py --count 12000 --seed 3 -o "$T/in.jsonl"
R=(report --rules rules/default.yaml --input "$T/in.jsonl" --now 2026-11-27T08:00:00Z -q
   --jobs 3)
mkdir "$T/out"
echo "last week's page" >"$T/out/r.html"
for round in 1 2 3 4 5; do
  for order in csv-first json-first; do
    if [[ $order == csv-first ]]; then
      O=(-o "$T/out/r.csv" -o "$T/out/r.html" -o "$T/out/r.json")
      want="$T/out/r.csv: error: cannot write: No space left on device
$T/out/r.json: error: cannot write: No space left on device"
    else
      O=(-o "$T/out/r.json" -o "$T/out/r.html" -o "$T/out/r.csv")
      want="$T/out/r.json: error: cannot write: No space left on device
$T/out/r.csv: error: cannot write: No space left on device"
    fi
    FAIL_CLOSE=".r.csv.tmp-:.r.json.tmp-" LD_PRELOAD="$FAILCLOSE" \
      run "fail-$order-$round" 4 "$IMGAUDIT" "${R[@]}" "${O[@]}"
    eq "fail-$order-$round-messages" "$(cat "$T/fail-$order-$round.err")" "$want"
    eq "fail-$order-$round-files" "$(ls -A "$T/out")" "r.html"
    eq "fail-$order-$round-kept" "$(cat "$T/out/r.html")" "last week's page"
  done
done
# A write that fails on the way, not at the end: past the file size
# limit (ulimit -f, SIGXFSZ ignored, so write() fails with EFBIG), the
# CSV's chunks stop at the limit and the message gives the reason, which
# the stream's error flag alone does not keep (it said "Input/output
# error"). The 9 MB CSV passes 6 MB; the temporary files in $TMPDIR stay
# under it. The old report is kept, nothing is left beside it.
# limited BLOCKS NAME ARGS...: imgaudit ARGS under a file size limit of
# BLOCKS KiB, with SIGXFSZ ignored (write() then fails with EFBIG) and
# its temporary files in $T/tmp.
mkdir "$T/tmp"
limited() {
  local blocks=$1 name=$2
  shift 2
  TMPDIR="$T/tmp" run "$name" 4 bash -c "trap '' XFSZ; ulimit -f $blocks; exec \"\$@\"" _ \
    "$IMGAUDIT" "$@"
}
echo "last week's csv" >"$T/out/r.csv"
limited 6144 fsize "${R[@]}" -o "$T/out/r.csv"
eq fsize-message "$(cat "$T/fsize.err")" "$T/out/r.csv: error: cannot write: File too large"
eq fsize-files "$(ls -A "$T/out" | tr '\n' ' ')" "r.csv r.html "
eq fsize-kept "$(cat "$T/out/r.csv")" "last week's csv"
rm "$T/out/r.csv"
# The other writers name their file too (they said "imgaudit: error:").
limited 6144 fsize-others "${R[@]}" -o "$T/out/r.json" -o "$T/out/r.sarif"
eq fsize-others-message "$(cat "$T/fsize-others.err")" \
  "$T/out/r.json: error: cannot write the JSON report: File too large
$T/out/r.sarif: error: cannot write the SARIF report: File too large"
# libxlsxwriter checks no write to its temporary files: a sheet's rows
# stopped at the limit and the workbook came out as a valid zip with
# sheets whose XML stops mid-row, exit 0 (src/render/xlsx.c,
# sheets_written). Now exit 4 and nothing written.
limited 6144 fsize-xlsx "${R[@]}" -o "$T/out/r.xlsx"
eq fsize-xlsx-message "$(cat "$T/fsize-xlsx.err")" \
  "$T/out/r.xlsx: error: cannot write the XLSX report's temporary files in $T/tmp: File too large"
eq fsize-xlsx-files "$(ls -A "$T/out" "$T/tmp" | tr '\n' ' ')" "$T/out: r.html  $T/tmp: "
# When the workbook closes, libxlsxwriter copies each sheet once more,
# unchecked: room for the largest sheet's copy and 1 MiB is reserved
# first (room_for_copies). Under a limit of the largest sheet + 256 KiB,
# both copies would fit, the reservation does not: the check fails the
# report; with + 2 MiB it passes, and the workbook is the same.
TMPDIR="$T/tmp" "$IMGAUDIT" "${R[@]}" -o "$T/full.xlsx"
largest=$(python3 -c 'import sys, zipfile
print(max(i.file_size for i in zipfile.ZipFile(sys.argv[1]).infolist()))' "$T/full.xlsx")
limited $(((largest + 262144) / 1024)) room-xlsx "${R[@]}" -o "$T/out/r.xlsx"
eq room-xlsx-message "$(sed 's/([0-9.]* MB)/(N MB)/' "$T/room-xlsx.err")" \
  "$T/out/r.xlsx: error: cannot write the XLSX report: no room in $T/tmp for the copy of its largest sheet (N MB) that libxlsxwriter makes when it closes the workbook: File too large"
eq room-xlsx-files "$(ls -A "$T/out" "$T/tmp" | tr '\n' ' ')" "$T/out: r.html  $T/tmp: "
TMPDIR="$T/tmp" bash -c "trap '' XFSZ; ulimit -f $(((largest + 2097152) / 1024)); exec \"\$@\"" _ \
  "$IMGAUDIT" "${R[@]}" -o "$T/out/r.xlsx" && pass || fail "room-xlsx-2MiB: not written"
same room-xlsx-2MiB "$T/out/r.xlsx" "$T/full.xlsx"
rm "$T/out/r.xlsx"
# Without the shim the same run writes all three (the shim is what fails),
# and the CSV was written in chunks.
run ok 0 "$IMGAUDIT" "${R[@]}" -o "$T/out/r.csv" -o "$T/out/r.html" -o "$T/out/r.json"
eq ok-files "$(ls -A "$T/out" | tr '\n' ' ')" "r.csv r.html r.json "
rows=$(($(wc -l <"$T/out/r.csv") - 1))
[[ $rows -gt 8192 ]] && pass || fail "the CSV has $rows rows: not more than one chunk"
finish

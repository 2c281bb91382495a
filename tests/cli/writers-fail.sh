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
echo "last week's csv" >"$T/out/r.csv"
run fsize 4 bash -c "trap '' XFSZ; ulimit -f 6144; exec \"$IMGAUDIT\" \"\$@\"" _ "${R[@]}" \
  -o "$T/out/r.csv"
eq fsize-message "$(cat "$T/fsize.err")" "$T/out/r.csv: error: cannot write: File too large"
eq fsize-files "$(ls -A "$T/out" | tr '\n' ' ')" "r.csv r.html "
eq fsize-kept "$(cat "$T/out/r.csv")" "last week's csv"
rm "$T/out/r.csv"
# Without the shim the same run writes all three (the shim is what fails),
# and the CSV was written in chunks.
run ok 0 "$IMGAUDIT" "${R[@]}" -o "$T/out/r.csv" -o "$T/out/r.html" -o "$T/out/r.json"
eq ok-files "$(ls -A "$T/out" | tr '\n' ' ')" "r.csv r.html r.json "
rows=$(($(wc -l <"$T/out/r.csv") - 1))
[[ $rows -gt 8192 ]] && pass || fail "the CSV has $rows rows: not more than one chunk"
finish

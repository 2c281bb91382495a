#!/usr/bin/env bash
# Evaluation on worker threads (--jobs) and the two record decoders
# (the fast one, and jansson with IMGAUDIT_DECODER=jansson): every report,
# in every format, and the summary are byte-identical whatever the number
# of jobs and whichever decoder, on the samples (with waivers and a
# baseline) and on 20,000 generated records with hostile strings in three
# input forms; and a bad record deep in the input is reported in the
# same words, the first one first, however the work was split; and
# which threads a run starts.
. "$(dirname "$0")/lib.sh"
R=$SRCDIR/rules/default.yaml
S=$SRCDIR/samples
NOW=(--now 2026-11-27T08:00:00Z)

# report NAME ENV... -- ARGS...: a report in all four formats into
# $T/NAME/r.*, run from there so that the summary names the same files.
# Paths in ARGS must be absolute.
report() {
  local name=$1
  shift
  local envs=()
  while [[ $1 != -- ]]; do envs+=("$1"); shift; done
  shift
  mkdir -p "$T/$name"
  (cd "$T/$name" && env "${envs[@]}" "$IMGAUDIT" report "${NOW[@]}" "$@" -o r.csv -o r.xlsx \
    -o r.html -o r.json >out 2>err; echo $? >code)
}

# identical REF NAME: every output of NAME equals REF's.
identical() {
  local f
  for f in r.csv r.xlsx r.html r.json out err code; do
    if [[ ! -e "$T/$1/$f" && ! -e "$T/$2/$f" ]] || cmp -s "$T/$1/$f" "$T/$2/$f"; then
      pass
    else
      fail "$2/$f differs from $1/$f"
      diff <(head -c 3000 "$T/$1/$f") <(head -c 3000 "$T/$2/$f") | head -10 >&2
    fi
  done
}

# compare TAG ARGS...: the reference (jansson, one job) against the fast
# decoder on 1, 2 and 4 jobs and jansson on 3 (on big inputs: 1 and 4).
compare() {
  local tag=$1 v
  shift
  report "$tag-ref" IMGAUDIT_DECODER=jansson -- "$@" --jobs 1
  report "$tag-j1" A=1 -- "$@" --jobs 1
  report "$tag-j4" A=1 -- "$@" --jobs 4
  if [[ $tag != big* ]]; then
    report "$tag-j2" A=1 -- "$@" --jobs 2
    report "$tag-jansson3" IMGAUDIT_DECODER=jansson -- "$@" --jobs 3
  fi
  for v in j1 j2 j4 jansson3; do [[ -d "$T/$tag-$v" ]] && identical "$tag-ref" "$tag-$v"; done
}

# ---- the samples ---------------------------------------------------------
compare images --rules $R --input $S/images.jsonl
compare hostile --rules $R --input $S/hostile.jsonl
compare apidoc --rules $R --input $S/api-doc-example.json
compare weekly --rules $R --input $S/images.jsonl --waivers $S/waivers.yaml \
  --baseline $S/baseline.json --fail-on-new high
has weekly "$T/weekly-ref/out" "Status:    163 open, 10 waived"

# ---- 20,000 generated records, more than a batch per worker ---------------
python3 tests/tools/gen_images.py --count 20000 --seed 11 --hostile-ratio 0.05 -o "$T/big.jsonl"
compare big --rules $R --input "$T/big.jsonl" --waivers $S/waivers.yaml
has big-records "$T/big-ref/out" "20000"
for form in api array; do
  python3 tests/tools/gen_images.py --count 20000 --seed 11 --format $form -o "$T/big-$form.json"
  compare "big-$form" --rules $R --input "$T/big-$form.json"
done
# From standard input too.
"$IMGAUDIT" report "${NOW[@]}" --rules $R --waivers $S/waivers.yaml --input - -j 4 \
  -o "$T/stdin.csv" -q <"$T/big.jsonl"
same stdin-csv "$T/stdin.csv" "$T/big-ref/r.csv"

# ---- a CSV report written in parts ---------------------------------------
# With more than one job, the writers run at once and a CSV report of
# more than 8,192 findings is formatted in chunks by every thread and
# appended in order (src/render/render.c): the same bytes, however many
# threads. 40,000 records: enough chunks that threads wait their turn.
python3 tests/tools/gen_images.py --count 40000 --seed 12 -o "$T/parts.jsonl"
for j in 1 2 3; do
  "$IMGAUDIT" report "${NOW[@]}" --rules $R --input "$T/parts.jsonl" -j $j -q \
    -o "$T/parts-$j.csv" -o "$T/parts-$j.json"
done
rows=$(($(wc -l <"$T/parts-1.csv") - 1))
((rows > 5 * 8192)) && pass || fail "parts: $rows findings, too few chunks"
for j in 2 3; do
  same "parts-$j.csv" "$T/parts-$j.csv" "$T/parts-1.csv"
  same "parts-$j.json" "$T/parts-$j.json" "$T/parts-1.json"
done
# A baseline of 40,000 images: with more than one job, the current
# images are identified in parts on threads of their own (report/
# baseline.c, marking_begin); the same verdicts however many. A tenth
# of the images differ, so there are new, existing and resolved ones.
{ head -n 36000 "$T/parts.jsonl"; python3 tests/tools/gen_images.py --count 4000 --seed 13 -o -; } \
  >"$T/parts-old.jsonl"
"$IMGAUDIT" report --now 2026-11-20T08:00:00Z --rules $R --input "$T/parts-old.jsonl" -q \
  -o "$T/parts-old.json"
for j in 1 2 3; do
  "$IMGAUDIT" report "${NOW[@]}" --rules $R --input "$T/parts.jsonl" --baseline "$T/parts-old.json" \
    -j $j -q -o "$T/based-$j.csv" -o "$T/based-$j.json"
done
for j in 2 3; do
  same "based-$j.csv" "$T/based-$j.csv" "$T/based-1.csv"
  same "based-$j.json" "$T/based-$j.json" "$T/based-1.json"
done
jq -e '.summary | .new.total > 1000 and .existing.total > 30000 and .resolved.total > 1000' \
  "$T/based-1.json" >/dev/null && pass || fail "based: too few new, existing or resolved findings"
# diff and merge write their reports the same way.
# diff and merge write their reports the same way (the same names in
# two folders: a cut HTML page names its companion file).
for j in 1 3; do
  mkdir -p "$T/dm$j"
  (cd "$T/dm$j" && "$IMGAUDIT" diff "$T/parts-1.json" "$T/parts-2.json" -j $j -q -o diff.csv \
    -o diff.html && "$IMGAUDIT" merge "$T/parts-1.json" -j $j -q -o merge.csv -o merge.xlsx)
done
for f in diff.csv diff.html merge.csv merge.xlsx; do
  same "$f" "$T/dm3/$f" "$T/dm1/$f"
done

# ---- a bad record far into the input ------------------------------------
# Line 15001 is not JSON, line 17001 not an object: the first is named,
# whichever batch or thread saw it, and no report is written.
awk 'NR == 15001 { print "{\"id\": 1,}"; next } NR == 17001 { print "\"text\""; next } { print }' \
  "$T/big.jsonl" >"$T/bad1.jsonl"
# The other way round: the reader's own error comes first.
awk 'NR == 15001 { print "\"text\""; next } NR == 17001 { print "{\"id\": 1,}"; next } { print }' \
  "$T/big.jsonl" >"$T/bad2.jsonl"
for bad in bad1 bad2; do
  report "$bad-ref" IMGAUDIT_DECODER=jansson -- --rules $R --input "$T/$bad.jsonl" -j 1
  report "$bad-j4" A=1 -- --rules $R --input "$T/$bad.jsonl" -j 4
  report "$bad-j1" A=1 -- --rules $R --input "$T/$bad.jsonl" -j 1
  identical "$bad-ref" "$bad-j4"
  identical "$bad-ref" "$bad-j1"
  [[ $(cat "$T/$bad-j4/code") == 3 && ! -e "$T/$bad-j4/r.csv" ]] && pass || fail "$bad: exit 3, no report"
done
has bad1 "$T/bad1-j4/err" "bad1.jsonl:15001: error: invalid JSON in record 15001: string or '}' expected near '}'"
has bad2 "$T/bad2-j4/err" "bad2.jsonl:15001: error: record 15001 is not an object (it is a string)"
[[ $(wc -l <"$T/bad1-j4/err") == 1 ]] && pass || fail "only the first bad record is named"
# In an array: the byte offset of the error inside the record.
python3 - "$T/big-array.json" "$T/bad3.json" <<'PY'
import sys
text = open(sys.argv[1]).read()
at = text.index('{"id"', len(text) * 3 // 4)
open(sys.argv[2], "w").write(text[:at + 1] + '"id" 5, ' + text[at + 1:])
PY
report bad3-ref IMGAUDIT_DECODER=jansson -- --rules $R --input "$T/bad3.json" -j 1
report bad3-j4 A=1 -- --rules $R --input "$T/bad3.json" -j 4
identical bad3-ref bad3-j4
has bad3 "$T/bad3-j4/err" "error: byte "

# ---- threads started ----------------------------------------------------
# The evaluation workers start with a second batch of records (1,024
# each): the samples fit in one and are evaluated on the calling thread,
# whatever --jobs says; 20,000 records start all of them. A JSON report
# alone is written on the calling thread, so the counts are the workers'
# alone (tests/tools/threadcount.c counts pthread_create).
threads() { env LD_PRELOAD="$THREADCOUNT" THREADCOUNT_OUT="$T/threads" "$IMGAUDIT" report \
  --rules $R "${NOW[@]}" -q "$@" >/dev/null 2>&1; cat "$T/threads"; }
eq threads-samples "$(threads --input $S/images.jsonl -j 4 -o "$T/t.json")" 0
eq threads-big "$(threads --input "$T/big.jsonl" -j 3 -o "$T/t.json")" 3
eq threads-big-j1 "$(threads --input "$T/big.jsonl" -j 1 -o "$T/t.json")" 0

# ---- a workbook written in two lanes -------------------------------------
# With more than one job, two threads write a workbook's rows at once,
# the findings' sheets and the images' (render/render.c, run_book;
# render/xlsx.c, xlsx_write_lane): the same bytes as one thread. With
# at most 2,000 rows a sheet, 20,000 records continue over several
# Findings, Images with findings and Inventory sheets, all added before
# either lane writes a row. Two workbooks in one run are written one
# after the other, each in lanes.
for j in 1 2 3; do
  mkdir -p "$T/lanes$j"
  (cd "$T/lanes$j" && IMGAUDIT_XLSX_MAX_ROWS=2000 "$IMGAUDIT" report "${NOW[@]}" --rules $R \
    --input "$T/big.jsonl" --waivers $S/waivers.yaml -j $j -q -o a.xlsx -o b.xlsx -o r.csv)
done
for j in 2 3; do
  same "lanes$j-a" "$T/lanes$j/a.xlsx" "$T/lanes1/a.xlsx"
  same "lanes$j-b" "$T/lanes$j/b.xlsx" "$T/lanes1/a.xlsx"
done
eq lanes-sheets "$(unzip -p "$T/lanes1/a.xlsx" xl/workbook.xml | grep -o '<sheet name="[^"]*"' |
  sed 's/<sheet name=//' | tr -d '"' | tr '\n' '|')" \
  "Summary|Findings|Findings (2)|Findings (3)|Findings (4)|Findings (5)|Findings (6)|Findings (7)|Findings (8)|Findings (9)|Findings (10)|Findings (11)|Findings (12)|Findings (13)|Findings (14)|Images with findings|Images with findings (2)|Images with findings (3)|Images with findings (4)|Images with findings (5)|Images with findings (6)|Images with findings (7)|Images with findings (8)|Images with findings (9)|Changes|Waivers|Inventory|Inventory (2)|Inventory (3)|Inventory (4)|Inventory (5)|Inventory (6)|Inventory (7)|Inventory (8)|Inventory (9)|Inventory (10)|Inventory (11)|Rules|Data quality|"
# Out of threads: the one thread left writes both lanes, the second
# task finding its lane taken; before, it waited for a lane that no
# thread would write. Exit 0 and the same bytes.
mkdir -p "$T/refused"
(cd "$T/refused" && env LD_PRELOAD="$THREADCOUNT" THREADCOUNT_REFUSE=1 THREADCOUNT_OUT=threads \
  timeout 60 "$IMGAUDIT" report "${NOW[@]}" --rules $R --input $S/images.jsonl -j 2 -q \
  -o r.xlsx -o r.csv >out 2>err; echo $? >code)
eq refused-code "$(cat "$T/refused/code")" 0
eq refused-threads "$(cat "$T/refused/threads")" 0
same refused-xlsx "$T/refused/r.xlsx" "$T/images-ref/r.xlsx"

# ---- the option ---------------------------------------------------------
run jobs0 2 "$IMGAUDIT" report --rules $R --input $S/images.jsonl --jobs 0
has jobs0 "$T/jobs0.err" "imgaudit: error: --jobs 0: must be 1 to 256"
run jobs-big 2 "$IMGAUDIT" report --rules $R --input $S/images.jsonl -j 257
has jobs-big "$T/jobs-big.err" "imgaudit: error: --jobs 257: must be 1 to 256"
run merge-jobs0 2 "$IMGAUDIT" merge "$T/parts-1.json" -o "$T/m0.csv" --jobs 0
has merge-jobs0 "$T/merge-jobs0.err" "imgaudit: error: --jobs 0: must be 1 to 256"
finish

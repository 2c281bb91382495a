#!/usr/bin/env bash
# report --verbose says where the run's time went, on stderr, once the
# reports are written (docs/imgaudit.md, "Where the time went"): a line
# per phase, one per report, then the run's totals; diff and merge too.
# The counts are exact; the times are blanked here, being whatever they
# were. Nothing of it without --verbose, and no byte of any report
# changes with it.
. "$(dirname "$0")/lib.sh"
common=(report --rules rules/default.yaml --input samples/images.jsonl
  --now 2026-11-27T08:00:00Z -q -j 2)

# blank NAME: $T/NAME.err with every time and the memory blanked.
blank() {
  sed -E 's/[0-9]+\.[0-9]{3} s/T s/g; s/peak memory [0-9]+ MB/peak memory M MB/' "$T/$1.err" >"$T/$1.txt"
}

run verbose 0 "$IMGAUDIT" "${common[@]}" --baseline samples/baseline.json -v \
  -o "$T/v.csv" -o "$T/v.json"
blank verbose
cat >"$T/want.txt" <<EOF
imgaudit: rules, waivers and settings loaded in T s
imgaudit: 120 images read and evaluated in T s (jobs: 2): 173 findings
imgaudit: baseline read in T s on its own thread, waited for T s, compared in T s
imgaudit: $T/v.csv written in T s
imgaudit: $T/v.json written in T s
imgaudit: reports written in T s (jobs: 2)
imgaudit: the run took T s, T s of CPU, peak memory M MB
EOF
same verbose "$T/verbose.txt" "$T/want.txt"
mem=$(sed -nE 's/.*peak memory ([0-9]+) MB$/\1/p' "$T/verbose.err")
[[ $mem -ge 1 && $mem -lt 256 ]] && pass || fail "peak memory '$mem' MB"

# The same reports without it, and nothing on stderr.
run quiet 0 "$IMGAUDIT" "${common[@]}" --baseline samples/baseline.json \
  -o "$T/q.csv" -o "$T/q.json"
eq "no lines without --verbose" "$(cat "$T/quiet.err")" ""
same verbose-csv "$T/v.csv" "$T/q.csv"
same verbose-json "$T/v.json" "$T/q.json"

# Standard input copied for an evidence bundle, a report on standard
# output, no baseline: the copy's line, "standard output", no baseline line.
"$IMGAUDIT" report --rules rules/default.yaml --input - --now 2026-11-27T08:00:00Z -q -j 1 -v \
  -o - --format csv --evidence-dir "$T/ev" <samples/images.jsonl >"$T/stdin.out" 2>"$T/stdin.err"
eq "stdin: exit code" "$?" 0
blank stdin
cat >"$T/want.txt" <<EOF
imgaudit: rules, waivers and settings loaded in T s
imgaudit: records copied to a temporary file in T s
imgaudit: 120 images read and evaluated in T s (jobs: 1): 173 findings
imgaudit: standard output written in T s
imgaudit: reports written in T s (jobs: 1)
imgaudit: the run took T s, T s of CPU, peak memory M MB
EOF
same verbose-stdin "$T/stdin.txt" "$T/want.txt"
run plain 0 "$IMGAUDIT" "${common[@]}" -o "$T/plain.csv"
same verbose-stdout "$T/stdin.out" "$T/plain.csv"

# A report that cannot be written: no line says it was.
run unwritable 4 "$IMGAUDIT" "${common[@]}" -v -o "$T/missing/r.csv"
blank unwritable
cat >"$T/want.txt" <<EOF
imgaudit: rules, waivers and settings loaded in T s
imgaudit: 120 images read and evaluated in T s (jobs: 2): 173 findings
imgaudit: the run took T s, T s of CPU, peak memory M MB
$T/missing/r.csv: error: cannot create: No such file or directory
EOF
same verbose-unwritable "$T/unwritable.txt" "$T/want.txt"

# --split-by: the parts are timed together.
mkdir "$T/split"
run split 0 "$IMGAUDIT" "${common[@]}" -v --split-by namespace -o "$T/split/r.csv"
blank split
cat >"$T/want.txt" <<EOF
imgaudit: rules, waivers and settings loaded in T s
imgaudit: 120 images read and evaluated in T s (jobs: 2): 173 findings
imgaudit: reports written in T s (jobs: 2)
imgaudit: the run took T s, T s of CPU, peak memory M MB
EOF
same verbose-split "$T/split.txt" "$T/want.txt"

# diff and merge: their reading, then the same lines of the writing.
run diff 0 "$IMGAUDIT" diff samples/baseline.json "$T/v.json" -q -j 2 -v -o "$T/d.csv"
blank diff
cat >"$T/want.txt" <<EOF
imgaudit: $T/v.json read in T s: 120 images, 173 findings
imgaudit: samples/baseline.json read in T s on its own thread, waited for T s, compared in T s
imgaudit: $T/d.csv written in T s
imgaudit: reports written in T s (jobs: 2)
imgaudit: the run took T s, T s of CPU, peak memory M MB
EOF
same verbose-diff "$T/diff.txt" "$T/want.txt"
run diff-quiet 0 "$IMGAUDIT" diff samples/baseline.json "$T/v.json" -q -j 2 -o "$T/d2.csv"
eq "diff: no lines without --verbose" "$(cat "$T/diff-quiet.err")" ""
same verbose-diff-csv "$T/d.csv" "$T/d2.csv"
run merge 0 "$IMGAUDIT" merge samples/baseline.json "$T/v.json" -q -j 1 -v -o "$T/m.csv"
blank merge
cat >"$T/want.txt" <<EOF
imgaudit: 2 reports read and merged in T s: 233 images, 334 findings
imgaudit: $T/m.csv written in T s
imgaudit: reports written in T s (jobs: 1)
imgaudit: the run took T s, T s of CPU, peak memory M MB
EOF
same verbose-merge "$T/merge.txt" "$T/want.txt"
finish

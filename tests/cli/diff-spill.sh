#!/usr/bin/env bash
# `imgaudit diff OLD NEW` reads NEW with its images and findings on disk
# (REPORT_READ_SPILL, src/report/reader_spill.c) instead of in memory;
# its outputs must be the bytes the in-memory read gives. Generated
# reports of 20,000 images (some with hostile strings: escapes in the
# JSON), with waivers, a baseline (existing, new and resolved findings)
# and a merged report (sources) as NEW:
#   - every format of the same comparison made by the test driver with
#     NEW read into memory (tests/tools/reread.c --baseline) and with
#     NEW spilled (reread --spill), and by imgaudit diff;
#   - NEW with its findings out of report order (reversed: the spilled
#     read starts over in memory) gives the diff of the ordered NEW, from
#     a file and from a pipe;
#   - --jobs 1 and --jobs 2 give the same bytes;
#   - merge, which reads its reports the same way, merges a source read
#     on disk as the same one read in memory (findings reversed);
#   - an error in NEW is the in-memory read's, word for word, also for
#     values made to hash as the entry's; a $TMPDIR that cannot hold
#     NEW's files is exit 4, as for a report.
# Peak memory is checked in flat-memory.sh.
. "$(dirname "$0")/lib.sh"
: "${REREAD:?set REREAD to the reread test driver (build/tests/reread)}"
NOW1=2026-11-27T08:00:00Z
NOW2=2026-12-04T08:00:00Z
FORMATS=(csv json xlsx html sarif junit.xml)
# Each run writes r.FORMAT in a directory of its own, from there (the
# HTML names the XLSX written with it as it was given): in_dir DIR CMD...
outs() {
  mkdir -p "$T/$1"
  for f in "${FORMATS[@]}"; do printf -- '-o\nr.%s\n' "$f"; done
}
in_dir() { local d=$1; shift; (cd "$d" && "$@"); }
# same_outs NAME A B: every format of run A and run B are the same bytes.
same_outs() {
  for f in "${FORMATS[@]}"; do
    if cmp -s "$T/$2/r.$f" "$T/$3/r.$f"; then pass; else fail "$1: $2/r.$f and $3/r.$f differ"; fi
  done
}

python3 tests/tools/gen_images.py --count 20000 --seed 11 --hostile-ratio 0.02 -o "$T/w1.jsonl"
python3 tests/tools/gen_images.py --count 20000 --seed 12 --hostile-ratio 0.02 \
  --ref-time $NOW2 -o "$T/w2.jsonl"
python3 tests/tools/gen_images.py --count 3000 --seed 13 -o "$T/other.jsonl"
R=(--rules rules/default.yaml --waivers samples/waivers.yaml -q)
run week1 0 "$IMGAUDIT" report "${R[@]}" --now $NOW1 --input "$T/w1.jsonl" -o "$T/old.json"
run week2 0 "$IMGAUDIT" report "${R[@]}" --now $NOW2 --input "$T/w2.jsonl" \
  --baseline "$T/old.json" -o "$T/new.json"
run other 0 "$IMGAUDIT" report "${R[@]}" --now $NOW2 --input "$T/other.jsonl" -o "$T/other.json"
run merged 0 "$IMGAUDIT" merge -q "$T/new.json" "$T/other.json" -o "$T/merged.json"

for new in new merged; do
  mapfile -t o < <(outs "$new-mem")
  run "$new-mem" 0 in_dir "$T/$new-mem" "$REREAD" --baseline "$T/old.json" "$T/$new.json" "${o[@]}"
  mapfile -t o < <(outs "$new-disk")
  run "$new-disk" 0 in_dir "$T/$new-disk" "$REREAD" --spill --baseline "$T/old.json" "$T/$new.json" "${o[@]}"
  same_outs "$new-spilled" "$new-mem" "$new-disk"
  for jobs in 1 2; do
    mapfile -t o < <(outs "$new-diff$jobs")
    run "$new-diff$jobs" 0 in_dir "$T/$new-diff$jobs" "$IMGAUDIT" diff -q --jobs $jobs "$T/old.json" "$T/$new.json" "${o[@]}"
  done
  same_outs "$new-jobs" "$new-diff1" "$new-diff2"
done
# imgaudit diff is that comparison (the JSON and CSV; the HTML, SARIF and
# JUnit name the tool's run).
for f in json csv; do
  cmp -s "$T/new-mem/r.$f" "$T/new-diff2/r.$f" && pass ||
    fail "diff's r.$f differs from the in-memory comparison"
done

# Findings out of report order: read again in memory, the same diff.
python3 - "$T/new.json" "$T/rev-in.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
r["findings"].reverse()
json.dump(r, open(sys.argv[2], "w"), indent=1)
EOF
mapfile -t o < <(outs reversed)
run reversed 0 in_dir "$T/reversed" "$IMGAUDIT" diff -q --jobs 2 "$T/old.json" "$T/rev-in.json" "${o[@]}"
same_outs reversed new-diff2 reversed
# From a pipe: copied to a temporary file, read again from there.
run pipe 0 sh -c 'cat "$1" | "$2" diff -q "$3" - -o "$4"' sh "$T/rev-in.json" "$IMGAUDIT" \
  "$T/old.json" "$T/pipe.csv"
cmp -s "$T/pipe.csv" "$T/new-diff2/r.csv" && pass || fail "pipe: a NEW from a pipe gives another CSV"

# merge reads its reports so too: a source read into memory (its
# findings reversed) merges to the same findings as one on disk.
run merge-disk 0 in_dir "$T/new-diff1" "$IMGAUDIT" merge -q "$T/new.json" "$T/other.json" -o m.csv
run merge-mem 0 in_dir "$T/reversed" "$IMGAUDIT" merge -q "$T/rev-in.json" "$T/other.json" -o m.csv
cmp -s "$T/new-diff1/m.csv" "$T/reversed/m.csv" && pass || fail "merge: a source on disk merges otherwise"

# Where NEW's images and findings go must be writable: else exit 4, as
# for a report, and no report.
run no-tmpdir 4 env TMPDIR="$T/missing" "$IMGAUDIT" diff -q "$T/old.json" "$T/new.json" \
  -o "$T/nt.csv"
has no-tmpdir-msg "$T/no-tmpdir.err" \
  "cannot create a temporary file in $T/missing for the report's images and findings"
[[ ! -e $T/nt.csv ]] && pass || fail "no-tmpdir: a report was written"
# The same for NEW from a pipe, which is first copied to $TMPDIR.
run no-tmpdir-pipe 4 sh -c 'cat "$1" | TMPDIR="$2" "$3" diff -q "$4" - -o "$5"' sh "$T/new.json" \
  "$T/missing" "$IMGAUDIT" "$T/old.json" "$T/ntp.csv"
has no-tmpdir-pipe-msg "$T/no-tmpdir-pipe.err" \
  "<stdin>: error: cannot create a temporary file in $T/missing to read it into"
[[ ! -e $T/ntp.csv ]] && pass || fail "no-tmpdir-pipe: a report was written"

# An error in NEW: the in-memory read's message and exit code.
python3 - "$T/new.json" "$T/bad.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
r["findings"][-1]["image_version"] = "not-its-version"
json.dump(r, open(sys.argv[2], "w"), indent=1)
EOF
run bad-mem 3 "$REREAD" "$T/bad.json"
run bad-diff 3 "$IMGAUDIT" diff -q "$T/old.json" "$T/bad.json" -o "$T/bad.csv"
eq bad-message "$(cat "$T/bad-diff.err")" "$(cat "$T/bad-mem.err")"
has bad-is-image "$T/bad-mem.err" "image_version is \"not-its-version\", but inventory["
[[ ! -e $T/bad.csv ]] && pass || fail "bad-diff: a report was written"

# A finding row whose other values were made to hash as its inventory
# entry's (tests/data/collision): refused as the read into memory
# refuses it, since the hash's seed is random per read.
C=tests/data/collision/new-collides.json
run collide-mem 3 "$REREAD" "$C"
run collide-diff 3 "$IMGAUDIT" diff -q samples/baseline.json "$C" -o "$T/collide.csv"
eq collide-message "$(cat "$T/collide-diff.err")" "$(cat "$T/collide-mem.err")"
has collide-msg "$T/collide-diff.err" \
  "$C:1:39614: error: findings[0].image_name is \"EVILTS?g0k%J}7 88Kp*ij\$\", but inventory[22] has \"user-service\""
[[ ! -e $T/collide.csv ]] && pass || fail "collide-diff: a report was written"
finish

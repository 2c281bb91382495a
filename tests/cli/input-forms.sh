#!/usr/bin/env bash
# The saved-input reader end to end, and the sample generator:
#  - gen_images.py is deterministic, and the committed samples are exactly
#    what the commands in docs/samples.md produce (so they cannot drift);
#  - the same records as an API body, a JSON array and JSON Lines give the
#    same report;
#  - malformed input exits 3 with the reader's message and writes nothing.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
GEN=tests/tools/gen_images.py
R=rules/default.yaml
NOW=(--now 2026-11-27T08:00:00Z)

# Determinism: same arguments, same bytes; another seed, other bytes.
for fmt in jsonl api array; do
  $PY $GEN --count 300 --seed 11 --format $fmt -o "$T/a.$fmt"
  $PY $GEN --count 300 --seed 11 --format $fmt > "$T/b.$fmt"
  cmp -s "$T/a.$fmt" "$T/b.$fmt" && pass || fail "gen_images.py --format $fmt is not deterministic"
done
$PY $GEN --count 300 --seed 12 -o "$T/c.jsonl"
cmp -s "$T/a.jsonl" "$T/c.jsonl" && fail "another seed gave the same output" || pass

# The committed samples are reproducible (commands as in docs/samples.md).
$PY $GEN --count 120 --seed 2026 -o "$T/images.jsonl"
cmp -s "$T/images.jsonl" samples/images.jsonl && pass ||
  fail "samples/images.jsonl differs from gen_images.py output: regenerate it (docs/samples.md)"
$PY $GEN --count 24 --seed 666 --hostile-ratio 1 -o "$T/hostile.jsonl"
cmp -s "$T/hostile.jsonl" samples/hostile.jsonl && pass ||
  fail "samples/hostile.jsonl differs from gen_images.py output: regenerate it (docs/samples.md)"

# One set of records in three forms: one report.
for fmt in jsonl api array; do
  run "form-$fmt" 0 "$IMGAUDIT" report --rules $R --input "$T/a.$fmt" "${NOW[@]}" -o "$T/r-$fmt.csv" --quiet
done
cmp -s "$T/r-jsonl.csv" "$T/r-api.csv" && pass || fail "API body and JSON Lines give different reports"
cmp -s "$T/r-jsonl.csv" "$T/r-array.csv" && pass || fail "array and JSON Lines give different reports"
# ...and not because all three are empty: the records do have findings.
n=$(wc -l <"$T/r-jsonl.csv")
[[ $n -gt 10 ]] && pass || fail "form-jsonl: only $n CSV lines: the comparison above proves nothing"

# The API document's own example is accepted as it is.
run doc-example 0 "$IMGAUDIT" report --rules $R --input samples/api-doc-example.json "${NOW[@]}" --quiet

# Malformed input: exit 3, the reader's message, no report.
: > "$T/empty.json"
run empty 3 "$IMGAUDIT" report --rules $R --input "$T/empty.json" -o "$T/x.csv"
has empty "$T/empty.err" "$T/empty.json: error: no records: the input is empty (write [] for an empty list)"
head -c 5000 "$T/a.api" > "$T/cut.json"
run truncated 3 "$IMGAUDIT" report --rules $R --input "$T/cut.json" -o "$T/x.csv"
has truncated "$T/truncated.err" "(the input ends inside this record: is it truncated?)"
printf '{"total_num":"3","data_list":[]}' > "$T/total.json"
run total-type 3 "$IMGAUDIT" report --rules $R --input "$T/total.json" -o "$T/x.csv"
has total-type "$T/total-type.err" "$T/total.json: error: byte 14: total_num is not an integer (it is a string)"
[[ ! -e "$T/x.csv" ]] && pass || fail "malformed input wrote a report"
finish

#!/usr/bin/env bash
# One value must not sink an audit: a record whose JSON is valid but
# holds a value imgaudit cannot represent (an integer beyond 64 bits,
# 1e400, \u0000 in a string or member name, a time outside the years
# 0000-9999) is audited in every input form, the value is missing for
# the rules and counted in the data-quality table, and the JSON report
# stays valid against its schema. Only invalid JSON fails the run (exit
# 3), and its message names the right record and line. (The summary and
# CSV of these records are the golden case report/unrepresentable.)
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
CASE=tests/golden/report/unrepresentable
NOW=(--now 2026-11-27T08:00:00Z)

# The golden case's records as an API body and as an array: same report.
$PY - "$CASE/input.jsonl" "$T/in.api.json" "$T/in.array.json" <<'PYEOF'
import sys
lines = [l.strip() for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
# The text is copied, not re-encoded: Python would refuse nothing, but it
# would rewrite 1e400 as Infinity.
open(sys.argv[2], "w").write('{"total_num": %d, "data_list": [\n%s\n]}\n' % (len(lines), ",\n".join(lines)))
open(sys.argv[3], "w").write("[\n%s\n]\n" % ",\n".join(lines))
PYEOF
run jsonl 0 "$IMGAUDIT" report --rules "$CASE/rules.yaml" --input "$CASE/input.jsonl" "${NOW[@]}" \
  -q -o "$T/jsonl.csv" -o "$T/jsonl.json"
for form in api array; do
  run "$form" 0 "$IMGAUDIT" report --rules "$CASE/rules.yaml" --input "$T/in.$form.json" "${NOW[@]}" \
    -q -o "$T/$form.csv"
  same "$form-csv" "$T/$form.csv" "$T/jsonl.csv"
done

# The JSON report: valid, with the data-quality rows by field and (other).
if $PY tests/tools/check_report_json.py docs/report-schema.json "$T/jsonl.json" >"$T/schema.out" 2>&1
then pass; else fail "schema check"; sed 's/^/    /' "$T/schema.out" | tail -5 >&2; fi
$PY - "$T/jsonl.json" >"$T/dq.txt" <<'PYEOF'
import json, sys
rep = json.load(open(sys.argv[1], encoding="utf-8"))
for q in rep["data_quality"]:
    print("%(field)s|%(problem)s|%(count)d|%(first_record)d" % q)   # counted from 1
print("latest_scan_time:", [i["latest_scan_time"] for i in rep["inventory"]])
PYEOF
cat >"$T/dq.want" <<'TXT'
image_name|NUL character|1|2
image_size|out of range|1|1
latest_scan_time|out of range|2|2
vul_num|out of range|1|3
association_images[].image_name|NUL character|1|3
association_images[].vul_num|out of range|1|3
(other)|out of range|2|1
(other)|NUL character|2|2
latest_scan_time: [None, None, '2026-11-18T11:06:40Z', None]
TXT
same data-quality "$T/dq.txt" "$T/dq.want"

# A time beyond 9999-12-31 alone: no "10000-01-01T00:00:00Z" in any report.
printf '{"id":1,"latest_scan_time":253402300800000}\n{"id":2,"latest_update_time":"-62167219200001"}\n' \
  >"$T/time.jsonl"
run time 0 "$IMGAUDIT" report --rules "$CASE/rules.yaml" --input "$T/time.jsonl" "${NOW[@]}" \
  -o "$T/time.json" -o "$T/time.csv" -o "$T/time.html"
has time-quality "$T/time.out" "  latest_scan_time: out of range in 1 record (first: record 1, line 1)"
has time-quality2 "$T/time.out" "  latest_update_time: out of range in 1 record (first: record 2, line 2)"
if $PY tests/tools/check_report_json.py docs/report-schema.json "$T/time.json" >"$T/schema2.out" 2>&1
then pass; else fail "time: schema check"; sed 's/^/    /' "$T/schema2.out" | tail -5 >&2; fi
for f in time.json time.csv time.html time.out; do
  lacks "time-$f" "$T/$f" "10000-"
done

# Only invalid JSON fails: exit 3, the record and line it is on (the
# run stops at the first bad record).
printf '{"id":1}\n{"id":2} x\n{"id":3}\nnope\n' >"$T/trail.jsonl"
run trailing 3 "$IMGAUDIT" report --rules "$CASE/rules.yaml" --input "$T/trail.jsonl" -o "$T/x.csv"
echo "$T/trail.jsonl:2: error: unexpected data after record 2 on line 2 (found 'x'): JSON Lines has one record per line" \
  >"$T/trailing.want"
same trailing-msg "$T/trailing.err" "$T/trailing.want"
printf '{"id":1}\n{"id":2,"a":1e400 "b":1}\n' >"$T/bad.jsonl"
run invalid 3 "$IMGAUDIT" report --rules "$CASE/rules.yaml" --input "$T/bad.jsonl" -o "$T/x.csv"
echo "$T/bad.jsonl:2: error: invalid JSON in record 2: '}' expected near '\"b\"'" >"$T/invalid.want"
same invalid-msg "$T/invalid.err" "$T/invalid.want"
[[ ! -e "$T/x.csv" ]] && pass || fail "invalid input wrote a report"
finish

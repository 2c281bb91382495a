#!/usr/bin/env bash
# Completeness: records shifting between pages (an insert during the
# pull) are de-duplicated and the pull is repeated once; a total_num
# that keeps drifting is exit 3 with the numbers and no file, unless
# --allow-incomplete (still exit 3); a record listed twice is reported as
# a duplicate, not as a changed inventory; total_num beyond the API's
# offset limit suggests --filter. Issues 3 and 11.
. "$(dirname "$0")/../server/fetch-lib.sh"
export HUAWEICLOUD_SDK_AK=AKINC HUAWEICLOUD_SDK_SK=SKincomplete0123456789
S=(--project-id pid1 --ak AKINC --sk SKincomplete0123456789)

gen_data 2000 21 "$T/data.jsonl"

# Three records are inserted at offset 0 after the fifth request: later
# pages repeat records of earlier ones (dropped as duplicates), the new
# ones are missed, the count does not add up, and the second pull gets
# the new inventory, identical to what the server now holds.
start_server "$T/data.jsonl" "${S[@]}" --faults '{"shift": {"after": 5, "insert": 3}}'
run shift 0 "$IMGAUDIT" fetch "${C[@]}" --concurrency 1 -o "$T/shift.jsonl"
same_records shift "$T/shift.jsonl" "$T/served.jsonl"
eq shift-lines "$(wc -l <"$T/shift.jsonl")" 2003
has shift-note "$T/shift.err" "note: received 1997 records but total_num is 2003; total_num changed during the pull (2000 -> 2003); 3 records were sent twice, dropped as duplicates; pulled again"
has shift-summary "$T/shift.err" "imgaudit: pulled 2003 records (total_num 2003, 11 pages, 0 duplicates dropped, 0 retries, pulled twice)"

# total_num drifts for two responses only: the second pull is clean.
start_server "$T/data.jsonl" "${S[@]}" --faults '{"drift": {"after": 3, "count": 2, "delta": 1}}'
run drift-once 0 "$IMGAUDIT" fetch "${C[@]}" -o "$T/once.jsonl"
same_records drift-once "$T/once.jsonl" "$T/served.jsonl"
has drift-once "$T/drift-once.err" "pulled twice"

# total_num drifts for good: exit 3, the numbers, no snapshot and no
# temporary file left.
start_server "$T/data.jsonl" "${S[@]}" --faults '{"drift": {"after": 3, "count": -1, "delta": 1}}'
run drift 3 "$IMGAUDIT" fetch "${C[@]}" -o "$T/drift.jsonl"
has drift-note "$T/drift.err" "note: received 2000 records but total_num is 2001; total_num changed during the pull (2000 -> 2001); pulled again"
has drift-msg "$T/drift.err" "imgaudit: error: incomplete pull: received 2000 records but total_num is 2001; nothing was sent twice and total_num did not change: the server listed fewer records than it counts (pulled twice); no snapshot was written."
has drift-hint "$T/drift.err" "use --allow-incomplete to keep what arrived, marked INCOMPLETE"
no_snapshot drift "$T" drift.jsonl

# ... unless --allow-incomplete: the snapshot is written, with a warning,
# and the exit code is still 3: the snapshot does not say it is partial,
# so a pipeline must not go on as if it were whole.
start_server "$T/data.jsonl" "${S[@]}" --faults '{"drift": {"after": 3, "count": -1, "delta": 1}}'
run drift-allowed 3 "$IMGAUDIT" fetch "${C[@]}" --allow-incomplete -o "$T/partial.jsonl"
same_records drift-allowed "$T/partial.jsonl" "$T/served.jsonl"
has drift-allowed-warn "$T/drift-allowed.err" "warning: INCOMPLETE: 2000 of 2001 records received; written because of --allow-incomplete"
has drift-allowed-summary "$T/drift-allowed.err" "imgaudit: pulled 2000 records INCOMPLETE (total_num 2001,"

# The server lists one record twice (same id), total_num unchanged:
# the message says duplicates, not a changed inventory, and counts in
# the singular.
{ cat "$T/data.jsonl"; head -n 1 "$T/data.jsonl"; } >"$T/dup.jsonl"
start_server "$T/dup.jsonl" "${S[@]}"
run dup 3 "$IMGAUDIT" fetch "${C[@]}" -o "$T/dup-snap.jsonl"
has dup-note "$T/dup.err" "note: received 2000 records but total_num is 2001; 1 record was sent twice, dropped as a duplicate; pulled again"
has dup-msg "$T/dup.err" "imgaudit: error: incomplete pull: received 2000 records but total_num is 2001; 1 record was sent twice, dropped as a duplicate (pulled twice); no snapshot was written."
lacks dup-no-drift "$T/dup.err" "changed"
no_snapshot dup "$T" dup-snap.jsonl
start_server "$T/dup.jsonl" "${S[@]}"
run dup-allowed 3 "$IMGAUDIT" fetch "${C[@]}" --allow-incomplete -o "$T/dup-snap.jsonl"
has dup-allowed-summary "$T/dup-allowed.err" "imgaudit: pulled 2000 records INCOMPLETE (total_num 2001, 11 pages, 1 duplicate dropped, 0 retries, pulled twice)"

# Beyond the offset limit: say so, suggest --filter, send nothing more.
start_server "$T/data.jsonl" "${S[@]}" --faults '{"fake_total": 3000000}'
run offset-limit 3 "$IMGAUDIT" fetch "${C[@]}" -o "$T/big.jsonl"
has offset-limit "$T/offset-limit.err" "imgaudit: error: total_num is 3000000, but the API serves offsets up to 2000000 only (2000200 records at --page-size 200): split the pull with --filter (e.g. one run per namespace=... or image_type=...)"
eq offset-limit-requests "$(count_log)" 1
no_snapshot offset-limit "$T" big.jsonl
# A total_num near INT64_MAX is refused the same way (the page count is
# computed without overflowing).
start_server "$T/data.jsonl" "${S[@]}" --faults '{"fake_total": 9223372036854775807}'
run offset-huge 3 "$IMGAUDIT" fetch "${C[@]}" -o "$T/big.jsonl"
has offset-huge "$T/offset-huge.err" "imgaudit: error: total_num is 9223372036854775807, but the API serves offsets up to 2000000 only"
no_snapshot offset-huge "$T" big.jsonl

finish

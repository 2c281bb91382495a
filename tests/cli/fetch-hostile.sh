#!/usr/bin/env bash
# A server that misbehaves on purpose:
#  - a page whose JSON is valid is never retried for its content: values
#    jansson cannot hold are audited (and counted as data quality), a
#    valid body that is not a page fails at once.
. "$(dirname "$0")/../server/fetch-lib.sh"
AK=AKHOSTILE0123456789
SK=SKhostile0123456789abcdef
NOW=(--now 2026-11-27T08:00:00Z)
R=(--rules rules/default.yaml)
gen_data 300 21 "$T/data.jsonl"
export HUAWEICLOUD_SDK_AK=$AK HUAWEICLOUD_SDK_SK=$SK

# ---- valid JSON is never retried for its content ----
cat >"$T/odd.jsonl" <<'JSONL'
{"id":1,"namespace":"prod","image_name":"api","image_size":1e400,"vul_num":3}
{"id":2,"namespace":"prod","image_name":"a\u0000b","x":123456789012345678901234567890}
{"id":3,"namespace":"prod","image_name":"job","latest_scan_time":253402300800000}
JSONL
start_server "$T/odd.jsonl" --project-id pid1 --ak $AK --sk $SK --verbatim
run odd-fetch 0 "$IMGAUDIT" fetch "${C[@]}" -o "$T/odd-snap.jsonl"
eq odd-one-request "$(count_log)" 1
same odd-snapshot-as-served "$T/odd-snap.jsonl" "$T/odd.jsonl"
run odd-report 0 "$IMGAUDIT" report "${C[@]}" "${R[@]}" "${NOW[@]}" -o "$T/odd.json"
has odd-q1 "$T/odd-report.out" "  image_name: NUL character in 1 record (first: record 2)"
has odd-q2 "$T/odd-report.out" "  image_size: out of range in 1 record (first: record 1)"
has odd-q3 "$T/odd-report.out" "  latest_scan_time: out of range in 1 record (first: record 3)"
has odd-q4 "$T/odd-report.out" "  (other): out of range in 1 record (first: record 2)"
if "$PY" tests/tools/check_report_json.py docs/report-schema.json "$T/odd.json" >"$T/odd.schema" 2>&1
then pass; else fail "odd: schema check"; tail -5 "$T/odd.schema" >&2; fi
# Valid JSON that is not a page: one request, exit 3, said why.
start_server "$T/data.jsonl" --project-id pid1 --ak $AK --sk $SK --faults '{"first": ["notapage"]}'
run not-a-page 3 "$IMGAUDIT" fetch "${C[@]}" -o "$T/n.jsonl"
has not-a-page-msg "$T/not-a-page.err" "imgaudit: error: GET /v5/pid1/image/registries/images?limit=200&offset=0: HTTP 200, but the body is not an image list page: data_list[0] is not an object (X-Request-Id: "
has not-a-page-no-retry "$T/not-a-page.err" "); not retried"
eq not-a-page-one-request "$(count_log)" 1
no_snapshot not-a-page "$T" n.jsonl

finish

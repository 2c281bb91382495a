#!/usr/bin/env bash
# A server that misbehaves on purpose:
#  - it echoes every request header back (in the body, in a response
#    header, in the X-Request-Id): no credential (AK, SK, security
#    token, IAM token, signature, the whole Authorization value) may
#    reach stdout, stderr, the snapshot or any report;
#  - Retry-After: 99999 is capped to 60 s (and said so under -v);
#  - a 2 MiB response header is reported as what it is, not as libcurl's
#    "Out of memory";
#  - a page whose JSON is valid is never retried for its content: values
#    jansson cannot hold are audited (and counted as data quality), a
#    valid body that is not a page fails at once.
. "$(dirname "$0")/../server/fetch-lib.sh"
AK=AKHOSTILE0123456789
SK=SKhostile0123456789abcdef
STS=STShostile0123456789abcdef
TOK=TOKhostile$(printf '%0600d' 3)
printf '%s\n' "$TOK" >"$T/token"
NOW=(--now 2026-11-27T08:00:00Z)
R=(--rules rules/default.yaml)
gen_data 300 21 "$T/data.jsonl"

# ---- echoed request headers ----
: >"$T/all"
collect() { for f in "$@"; do cat "$f" >>"$T/all" 2>/dev/null; done; }
start_server "$T/data.jsonl" --project-id pid1 --ak $AK --sk $SK --security-token $STS \
  --echo-headers --faults '{"first": ["429", "503", "echo503"]}'
export HUAWEICLOUD_SDK_AK=$AK HUAWEICLOUD_SDK_SK=$SK HUAWEICLOUD_SDK_SECURITY_TOKEN=$STS
run echo-fetch 0 "$IMGAUDIT" fetch "${C[@]}" -v --page-size 100 -o "$T/snap.jsonl"
has echo-fetch-echoed "$T/echo-fetch.err" "; you sent: Host: 127.0.0.1:$PORT;"
has echo-fetch-scrubbed "$T/echo-fetch.err" "Authorization: ***"
has echo-snapshot-echoed "$T/snap.jsonl" '"image_name":"Host: 127.0.0.1:'
eq echo-snapshot-lines "$(wc -l <"$T/snap.jsonl")" 300
collect "$T/echo-fetch.out" "$T/echo-fetch.err" "$T/snap.jsonl"
cat "$LOG" >"$T/log-aksk"
run echo-report 0 "$IMGAUDIT" report "${C[@]}" "${R[@]}" "${NOW[@]}" -v --page-size 100 \
  --save-snapshot "$T/snap2.jsonl" -o "$T/r.csv" -o "$T/r.json" -o "$T/r.html" -o "$T/r.xlsx"
"$PY" - "$T/r.xlsx" >"$T/r.xlsx.txt" <<'PYEOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for n in z.namelist():
        sys.stdout.write(z.read(n).decode("utf-8", "replace"))
PYEOF
has echo-report-xlsx-read "$T/r.xlsx.txt" "Authorization: ***"
cat "$LOG" >>"$T/log-aksk"
collect "$T/echo-report.out" "$T/echo-report.err" "$T/snap2.jsonl" "$T/r.csv" "$T/r.json" \
  "$T/r.html" "$T/r.xlsx.txt"
# A failing run: the 401 message itself quotes the echo.
start_server "$T/data.jsonl" --project-id pid1 --ak $AK --sk $SK --security-token $STS \
  --echo-headers --faults '{"always": "401"}'
run echo-401 3 "$IMGAUDIT" fetch "${C[@]}" -v -o "$T/s.jsonl"
has echo-401-msg "$T/echo-401.err" "HTTP 401 APIG.0301: Incorrect IAM authentication information: verify aksk signature fail; you sent: Host: "
collect "$T/echo-401.out" "$T/echo-401.err"
cat "$LOG" >>"$T/log-aksk"
# An IAM token as long as a real one.
unset HUAWEICLOUD_SDK_AK HUAWEICLOUD_SDK_SK HUAWEICLOUD_SDK_SECURITY_TOKEN
start_server "$T/data.jsonl" --project-id pid1 --token "$TOK" --echo-headers \
  --faults '{"first": ["503", "echo401"]}'
run echo-token 3 "$IMGAUDIT" fetch "${C[@]}" -v --token-file "$T/token" -o "$T/s.jsonl"
has echo-token-msg "$T/echo-token.err" "X-Auth-Token: ***"
collect "$T/echo-token.out" "$T/echo-token.err"
for secret in "$AK" "$SK" "$STS" "$TOK" "${TOK:0:24}" "Access=" "Signature=" "SDK-HMAC-SHA256"; do
  lacks "echo-no-${secret:0:24}" "$T/all" "$secret"
done
lacks_signatures echo-no-signature "$T/all" "$T/log-aksk" 10
[[ -s "$T/all" ]] && pass || fail "echo: no output was searched"

# ---- Retry-After beyond the cap ----
# The wait itself is not awaited: the verbose line shows the cap, then
# Ctrl-C ends the run, and the server saw exactly one request (the retry
# is not sent early either).
export HUAWEICLOUD_SDK_AK=$AK HUAWEICLOUD_SDK_SK=$SK
n=0
for ra in 99999 "Fri, 31 Dec 9999 23:59:59 GMT"; do
  n=$((n + 1))
  # A file per run: the next run must not find this one's line.
  err="$T/ra$n.err"
  start_server "$T/data.jsonl" --project-id pid1 --ak $AK --sk $SK \
    --faults "{\"first\": [\"429\"], \"retry_after\": \"$ra\"}"
  "$IMGAUDIT" fetch "${C[@]}" -v -o "$T/ra.jsonl" >"$T/ra.out" 2>"$err" &
  pid=$!
  for _ in $(seq 1 300); do
    grep -q "capped to 60 s" "$err" 2>/dev/null && break
    sleep 0.1
  done
  has "retry-after-capped-$n" "$err" "imgaudit: retry 1 for offset 0 in 60.0 s (Retry-After asked for "
  has "retry-after-capped2-$n" "$err" " s; capped to 60 s): HTTP 429 APIG.0308: "
  if kill -0 "$pid" 2>/dev/null; then pass; else fail "retry-after: the run ended instead of waiting"; fi
  # Once the line is out, imgaudit's own SIGINT handler is in place (a
  # background job starts with SIGINT ignored); otherwise do not hang.
  if grep -q "capped to 60 s" "$err"; then kill -INT "$pid"; else kill -TERM "$pid"; fi
  wait "$pid"
  eq "retry-after-interrupted-$n" $? 130
  eq "retry-after-one-request-$n" "$(count_log)" 1
  no_snapshot "retry-after-$n" "$T" ra.jsonl
done
has retry-after-asked "$T/ra1.err" "(Retry-After asked for 99999 s; capped to 60 s)"

# ---- a 2 MiB response header ----
start_server "$T/data.jsonl" --project-id pid1 --ak $AK --sk $SK --faults '{"first": ["bigheader"]}'
run bigheader 3 "$IMGAUDIT" fetch "${C[@]}" -o "$T/b.jsonl"
eq bigheader-served "$(count_log fault=bigheader)" 1
"$PY" - "$T/bigheader.err" <<'PYEOF' && pass || { fail "bigheader: message"; cat "$T/bigheader.err" >&2; }
import re, sys
want = (r"imgaudit: error: GET /v5/pid1/image/registries/images\?limit=200&offset=0: "
        r"response header larger than libcurl accepts \(over 100 KiB in one header line; "
        r"HTTP 200, X-Request-Id: [0-9a-f]{32}\); not retried\n")
sys.exit(0 if re.fullmatch(want, open(sys.argv[1]).read()) else 1)
PYEOF
lacks bigheader-no-oom "$T/bigheader.err" "Out of memory"
eq bigheader-one-request "$(count_log)" 1
no_snapshot bigheader "$T" b.jsonl

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
has odd-q1 "$T/odd-report.out" "  image_name: NUL character in 1 record (first: record 2, line 2)"
has odd-q2 "$T/odd-report.out" "  image_size: out of range in 1 record (first: record 1, line 1)"
has odd-q3 "$T/odd-report.out" "  latest_scan_time: out of range in 1 record (first: record 3, line 3)"
has odd-q4 "$T/odd-report.out" "  (other): out of range in 1 record (first: record 2, line 2)"
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

#!/usr/bin/env bash
# A pull of 20,000 records through mixed faults (429 bursts, 5xx,
# connection resets, truncated bodies, invalid JSON, stalls past
# --timeout) must arrive complete and identical to the served data; 429
# halves the concurrency; Retry-After is honoured; --max-rate holds; a
# body over the cap is refused. Issue 3.
. "$(dirname "$0")/../server/fetch-lib.sh"
export HUAWEICLOUD_SDK_AK=AKFAULTS HUAWEICLOUD_SDK_SK=SKfaults0123456789

gen_data 20000 3 "$T/data.jsonl" --hostile-ratio 0.05   # markup, control bytes, non-ASCII
gen_data 400 5 "$T/small.jsonl"
cat >"$T/plan.json" <<'JSON'
{"seed": 42,
 "first": ["429", "429", "429"],
 "offsets": {"2000": ["503", "reset", "truncate"], "19800": ["badjson", "504"]},
 "random": {"rate": 0.15,
            "kinds": ["429", "500", "502", "503", "504", "reset", "truncate", "badjson", "slow"]},
 "max_in_row": 3, "slow_ms": 2500}
JSON
start_server "$T/data.jsonl" --project-id pid1 --ak AKFAULTS --sk SKfaults0123456789 \
  --latency 5 --ensure-ascii --faults "@$T/plan.json"
run mixed 0 "$IMGAUDIT" fetch "${C[@]}" --concurrency 8 --timeout 1.5 -v -o "$T/snap.jsonl"
same_records mixed "$T/snap.jsonl" "$T/served.jsonl"
eq mixed-lines "$(wc -l <"$T/snap.jsonl")" 20000
for kind in 429 500 502 503 504 reset truncate badjson slow; do
  n=$(count_log fault=$kind)
  if [[ $n -gt 0 ]]; then pass; else fail "fault $kind was never injected"; fi
done
has mixed-429-backoff "$T/mixed.err" "throttled (HTTP 429): concurrency down to 4"
has mixed-retry-line "$T/mixed.err" "retry 1 for offset 0 in"
has mixed-summary "$T/mixed.err" "imgaudit: pulled 20000 records (total_num 20000, 100 pages, 0 duplicates dropped,"
has mixed-timeout "$T/mixed.err" "Operation timed out"
has mixed-truncated "$T/mixed.err" "HTTP 200 with an unusable body: invalid JSON at byte"
lacks mixed-no-400 "$LOG" '"status": 400'

# Retries run out: the message says how often and why; exit 3, no file.
start_server "$T/small.jsonl" --project-id pid1 --ak AKFAULTS --sk SKfaults0123456789 \
  --faults '{"always": "503"}'
run give-up 3 "$IMGAUDIT" fetch "${C[@]}" --retries 2 -o "$T/g.jsonl"
has give-up-msg "$T/give-up.err" "imgaudit: error: GET /v5/pid1/image/registries/images?limit=200&offset=0: giving up after 2 retries: HTTP 503 HSS.0503: Service temporarily unavailable"
eq give-up-requests "$(count_log)" 3
no_snapshot give-up "$T" g.jsonl

# Retry-After is honoured (1 s here; full jitter alone would average 0.25 s).
start_server "$T/small.jsonl" --project-id pid1 --ak AKFAULTS --sk SKfaults0123456789 \
  --faults '{"first": ["429"], "retry_after": 1}'
start=$(date +%s.%N)
run retry-after 0 "$IMGAUDIT" fetch "${C[@]}" -v -o "$T/ra.jsonl"
secs=$(echo "$(date +%s.%N) - $start" | bc)
has retry-after-msg "$T/retry-after.err" "retry 1 for offset 0 in 1.0 s: HTTP 429 APIG.0308"
if (( $(echo "$secs >= 1.0" | bc) )); then pass; else fail "retry-after: finished in $secs s"; fi
same_records retry-after "$T/ra.jsonl" "$T/served.jsonl"

# --max-rate: 20 requests at 10/s take at least 1.9 s.
start_server "$T/small.jsonl" --project-id pid1 --ak AKFAULTS --sk SKfaults0123456789
start=$(date +%s.%N)
run max-rate-small 0 "$IMGAUDIT" fetch "${C[@]}" --max-rate 10 --page-size 20 --concurrency 8 -o "$T/mr2.jsonl"
secs=$(echo "$(date +%s.%N) - $start" | bc)
if (( $(echo "$secs >= 1.9" | bc) )); then pass; else fail "max-rate: 20 requests in $secs s"; fi
same_records max-rate-small "$T/mr2.jsonl" "$T/served.jsonl"

# A body beyond the cap (16 MiB) is refused, not buffered.
start_server "$T/small.jsonl" --project-id pid1 --ak AKFAULTS --sk SKfaults0123456789 \
  --faults '{"huge": true}'
run huge 3 "$IMGAUDIT" fetch "${C[@]}" -o "$T/h.jsonl"
has huge-msg "$T/huge.err" "the response body exceeds 16777216 bytes; refusing it"
no_snapshot huge "$T" h.jsonl

finish

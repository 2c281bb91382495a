#!/usr/bin/env bash
# fetch against the fake HSS server: AK/SK and token auth (every source
# of credentials), odd page sizes, server-side filters, config files,
# connection reuse, the summary line and --quiet. Issue 3.
. "$(dirname "$0")/../server/fetch-lib.sh"

gen_data 1000 11 "$T/data.jsonl"
start_server "$T/data.jsonl" --project-id pid1 --ak AKBASIC --sk SKbasic0123456789 \
  --security-token STStoken0123456789 --token TOKbasic0123456789

# AK/SK from HUAWEICLOUD_SDK_*, with a temporary security token.
HUAWEICLOUD_SDK_AK=AKBASIC HUAWEICLOUD_SDK_SK=SKbasic0123456789 \
HUAWEICLOUD_SDK_SECURITY_TOKEN=STStoken0123456789 \
  run aksk 0 "$IMGAUDIT" fetch "${C[@]}" -o "$T/snap.jsonl"
same_records aksk "$T/snap.jsonl" "$T/served.jsonl"
has aksk-summary "$T/aksk.err" "imgaudit: pulled 1000 records (total_num 1000, 5 pages, 0 duplicates dropped, 0 retries)"
# Not a terminal: a summary only, no live progress line.
lacks aksk-no-progress "$T/aksk.err" $'\r'
lacks aksk-no-progress2 "$T/aksk.err" "pulling:"
eq aksk-stdout "$(wc -c <"$T/aksk.out")" 0

# Without the security token the server refuses (it expects one): the
# token really is sent and signed.
HUAWEICLOUD_SDK_AK=AKBASIC HUAWEICLOUD_SDK_SK=SKbasic0123456789 \
  run no-sts 3 "$IMGAUDIT" fetch "${C[@]}" -o "$T/nosts.jsonl"
has no-sts-msg "$T/no-sts.err" "security token mismatch"
stop_server
start_server "$T/data.jsonl" --project-id pid1 --ak AKBASIC --sk SKbasic0123456789 \
  --token TOKbasic0123456789

# CLOUD_SDK_AK/SK (the SDK samples' names), odd page size, concurrency 3:
# page boundaries are not multiples of anything.
CLOUD_SDK_AK=AKBASIC CLOUD_SDK_SK=SKbasic0123456789 \
  run cloud-sdk 0 "$IMGAUDIT" fetch "${C[@]}" --page-size 37 --concurrency 3 -o "$T/p37.jsonl"
same_records page-37 "$T/p37.jsonl" "$T/served.jsonl"
has page-37-pages "$T/cloud-sdk.err" "28 pages"
# Connections are reused: 28 requests over at most 3 (+1 for the first page) connections.
peers=$("$PY" -c "
import json,sys
print(len({json.loads(l)['peer'] for l in open('$LOG') if '\"limit=37' in l or 'limit=37' in json.loads(l)['query']}))")
if [[ $peers -le 4 ]]; then pass; else fail "connection reuse: $peers connections for 28 requests"; fi

# The project id from the environment.
HUAWEICLOUD_SDK_PROJECT_ID=pid1 HUAWEICLOUD_SDK_AK=AKBASIC HUAWEICLOUD_SDK_SK=SKbasic0123456789 \
  run env-project 0 "$IMGAUDIT" fetch --endpoint "$ENDPOINT" -o "$T/envp.jsonl"
same_records env-project "$T/envp.jsonl" "$T/served.jsonl"

# IAM token from a file and from IMGAUDIT_AUTH_TOKEN.
printf 'TOKbasic0123456789\n' >"$T/token"
run token-file 0 "$IMGAUDIT" fetch "${C[@]}" --token-file "$T/token" -o "$T/tok.jsonl"
same_records token-file "$T/tok.jsonl" "$T/served.jsonl"
IMGAUDIT_AUTH_TOKEN=TOKbasic0123456789 \
  run token-env 0 "$IMGAUDIT" fetch "${C[@]}" -o "$T/tok2.jsonl"
same_records token-env "$T/tok2.jsonl" "$T/served.jsonl"
eq token-auth "$(count_log auth=token)" 10

# Both configured: the run says which one it uses.
HUAWEICLOUD_SDK_AK=AKBASIC HUAWEICLOUD_SDK_SK=SKbasic0123456789 \
  run both-file 0 "$IMGAUDIT" fetch "${C[@]}" --token-file "$T/token" -o "$T/both.jsonl"
has both-file "$T/both-file.err" "AK/SK (HUAWEICLOUD_SDK_AK/SK) is also configured; using the IAM token from --token-file"
HUAWEICLOUD_SDK_AK=AKBASIC HUAWEICLOUD_SDK_SK=SKbasic0123456789 IMGAUDIT_AUTH_TOKEN=TOKbasic0123456789 \
  run both-env 0 "$IMGAUDIT" fetch "${C[@]}" -o "$T/both2.jsonl"
has both-env "$T/both-env.err" "both AK/SK (HUAWEICLOUD_SDK_AK/SK) and IMGAUDIT_AUTH_TOKEN are set; using AK/SK signing"

# Server-side filters reach the server and narrow the result.
export HUAWEICLOUD_SDK_AK=AKBASIC HUAWEICLOUD_SDK_SK=SKbasic0123456789
run filter 0 "$IMGAUDIT" fetch "${C[@]}" --filter scan_status=failed --filter has_vul=true \
  --enterprise-project-id all_granted_eps -o "$T/failed.jsonl"
"$PY" -c "
import json
for l in open('$T/served.jsonl'):
    r = json.loads(l)
    v = r.get('vul_num'); v = v if type(v) is int else 0
    if r.get('scan_status') == 'failed' and v > 0:
        print(l, end='')" >"$T/failed.want"
same_records filter "$T/failed.jsonl" "$T/failed.want"
has filter-query "$LOG" "enterprise_project_id=all_granted_eps&has_vul=true&limit=200&offset=0&scan_status=failed"
# An RFC 3339 time is sent as epoch milliseconds.
run filter-time 0 "$IMGAUDIT" fetch "${C[@]}" \
  --filter start_latest_scan_time=2020-01-01T00:00:00Z -o "$T/t.jsonl"
has filter-time-ms "$LOG" "start_latest_scan_time=1577836800000"

# --quiet: nothing on stderr at all.
run quiet 0 "$IMGAUDIT" fetch "${C[@]}" -q -o "$T/q.jsonl"
eq quiet-stderr "$(wc -c <"$T/quiet.err")" 0

# Config files, YAML and INI; the command line wins over the file.
cat >"$T/c.yaml" <<YAML
endpoint: $ENDPOINT
project-id: pid1
page_size: 100
filter:
  scan_status: failed
YAML
run config-yaml 0 "$IMGAUDIT" fetch --config "$T/c.yaml" -o "$T/cy.jsonl"
"$PY" -c "
import json
for l in open('$T/served.jsonl'):
    if json.loads(l).get('scan_status') == 'failed': print(l, end='')" >"$T/f.want"
same_records config-yaml "$T/cy.jsonl" "$T/f.want"
has config-yaml-pages "$LOG" "limit=100&offset=0&scan_status=failed"
cat >"$T/c.ini" <<INI
; weekly audit
[hss]
endpoint = $ENDPOINT
project_id = "pid1"
concurrency = 2
[filter]
scan_status = failed
INI
run config-ini 0 "$IMGAUDIT" fetch --config "$T/c.ini" --filter scan_status=success -o "$T/ci.jsonl"
"$PY" -c "
import json
for l in open('$T/served.jsonl'):
    if json.loads(l).get('scan_status') == 'success': print(l, end='')" >"$T/s.want"
same_records config-ini-cli-wins "$T/ci.jsonl" "$T/s.want"

# Secrets are refused in config files, and the value is never echoed.
printf 'endpoint: %s\nsk: SKinfile0123456789\n' "$ENDPOINT" >"$T/bad.yaml"
run config-secret 2 "$IMGAUDIT" fetch --config "$T/bad.yaml" --project-id pid1 -o "$T/x.jsonl"
has config-secret "$T/config-secret.err" "bad.yaml:2: error: 'sk' is a secret: secrets are never read from config files"
lacks config-secret-value "$T/config-secret.err" "SKinfile0123456789"
printf '[auth]\ntoken = TOKinfile0123456789\n' >"$T/bad.ini"
run config-token 2 "$IMGAUDIT" fetch --config "$T/bad.ini" "${C[@]}" -o "$T/x.jsonl"
has config-token "$T/config-token.err" "bad.ini:2: error: 'token' is a secret"
lacks config-token-value "$T/config-token.err" "TOKinfile0123456789"
printf 'regoin: cn-north-4\n' >"$T/typo.yaml"
run config-typo 2 "$IMGAUDIT" fetch --config "$T/typo.yaml" "${C[@]}" -o "$T/x.jsonl"
has config-typo "$T/config-typo.err" "typo.yaml:1: error: unknown setting 'regoin' (did you mean 'region'?)"

# An empty inventory is a complete, empty snapshot.
: >"$T/empty.jsonl"
start_server "$T/empty.jsonl" --project-id pid1 --ak AKBASIC --sk SKbasic0123456789
run empty 0 "$IMGAUDIT" fetch "${C[@]}" -o "$T/e.jsonl"
eq empty-size "$(wc -c <"$T/e.jsonl")" 0

finish

#!/usr/bin/env bash
# Bad connection settings are usage errors (exit 2) found before any
# request: unknown filters, values outside the documented enums and
# ranges, bad paging options, plain http to a non-loopback host, missing
# project or credentials. The server's log must stay empty. Issue 3.
. "$(dirname "$0")/../server/fetch-lib.sh"
export HUAWEICLOUD_SDK_AK=AKUSAGE HUAWEICLOUD_SDK_SK=SKusage0123456789

: >"$T/data.jsonl"
start_server "$T/data.jsonl" --project-id pid1 --ak AKUSAGE --sk SKusage0123456789

# usage NAME EXPECTED_MESSAGE ARGS...: exit 2 with that message line.
usage() {
  local name=$1 want=$2
  shift 2
  run "$name" 2 "$IMGAUDIT" fetch "$@" -o "$T/$name.jsonl"
  has "$name" "$T/$name.err" "$want"
  no_snapshot "$name" "$T" "$name.jsonl"
}

usage unknown "imgaudit: error: --filter colour=red: unknown filter 'colour'; known filters: namespace, image_name," \
  "${C[@]}" --filter colour=red
usage typo "--filter namspace=prod: unknown filter 'namspace' (did you mean 'namespace'?)" \
  "${C[@]}" --filter namspace=prod
usage enum "--filter scan_status=done: 'done' is not a documented value (unscan, success, scanning, failed, waiting_for_scan)" \
  "${C[@]}" --filter scan_status=done
# Response-only values are not request values.
usage enum-response-only "--filter scan_status=download_failed: 'download_failed' is not a documented value" \
  "${C[@]}" --filter scan_status=download_failed
# A documented value in another case is that value (tests/cli/settings.sh).
usage image-type "--filter image_type=docker: 'docker' is not a documented value" \
  "${C[@]}" --filter image_type=docker
usage bool "--filter has_vul=yes: the value must be true or false" "${C[@]}" --filter has_vul=yes
usage size-range "--filter image_size=2147483548: the value must be a whole number from 0 to 2147483547" \
  "${C[@]}" --filter image_size=2147483548
usage size-neg "--filter image_size=-1: the value must be a whole number" "${C[@]}" --filter image_size=-1
usage time "--filter start_latest_scan_time=yesterday: the value must be a time: epoch milliseconds or RFC 3339" \
  "${C[@]}" --filter start_latest_scan_time=yesterday
usage time-order "--filter start_latest_update_time=2000 is after end_latest_update_time=1000: start must not be after end" \
  "${C[@]}" --filter start_latest_update_time=2000 --filter end_latest_update_time=1000
usage length "--filter image_version=$(printf 'v%.0s' {1..65}): the value must be 1 to 64 characters long" \
  "${C[@]}" --filter "image_version=$(printf 'v%.0s' {1..65})"
usage empty "--filter namespace=: the value must be 1 to 128 characters long" "${C[@]}" --filter namespace=
usage no-eq "--filter 'namespace': expected NAME=VALUE" "${C[@]}" --filter namespace
usage twice "--filter namespace=b: 'namespace' is given twice; the API takes one value per filter" \
  "${C[@]}" --filter namespace=a --filter namespace=b
usage sort "--filter sort_key=latest_scan_time: not a filter: sorting would change the paging order" \
  "${C[@]}" --filter sort_key=latest_scan_time
usage offset "--filter offset=5: not a filter: imgaudit pages through the whole list itself" \
  "${C[@]}" --filter offset=5
# Every problem is reported in one run.
run several 2 "$IMGAUDIT" fetch "${C[@]}" --filter has_vul=maybe --filter risky=1 -o "$T/x.jsonl"
eq several-count "$(grep -c 'error: --filter' "$T/several.err")" 2

usage page-size-0 "--page-size 0: must be 1 to 200" "${C[@]}" --page-size 0
usage page-size-201 "--page-size 201: must be 1 to 200" "${C[@]}" --page-size 201
usage concurrency "--concurrency 17: must be 1 to 16" "${C[@]}" --concurrency 17
usage timeout "--timeout 0: must be more than 0" "${C[@]}" --timeout 0
usage retries "--retries -1: must be 0 to 100" "${C[@]}" --retries -1
usage eps "--enterprise-project-id '': must be 1 to 256 characters" "${C[@]}" --enterprise-project-id ''
usage region "--region 'cn north': not a region id (e.g. cn-north-4)" --region 'cn north' --project-id p
usage no-endpoint "no endpoint: give --region ID (e.g. cn-north-4) or --endpoint URL" --project-id p
usage no-project "no project id: give --project-id ID or set HUAWEICLOUD_SDK_PROJECT_ID" --endpoint "$ENDPOINT"
usage bad-url "--endpoint 'ftp://127.0.0.1/': the scheme must be https://" --endpoint ftp://127.0.0.1/ --project-id p
usage url-query "--endpoint 'https://h.example/?a=1': must not have a query" --endpoint 'https://h.example/?a=1' --project-id p
# Plain http only for loopback (no request is made: 192.0.2.1 is TEST-NET-1).
usage http "--endpoint 'http://192.0.2.1:9': plain http:// is only allowed for loopback addresses" \
  --endpoint http://192.0.2.1:9 --project-id p

# Credentials: none, or half an AK/SK pair; a missing token file.
( unset HUAWEICLOUD_SDK_AK HUAWEICLOUD_SDK_SK
  usage no-creds "no credentials: set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (or CLOUD_SDK_AK and CLOUD_SDK_SK) in the environment, or give an IAM token with --token-file FILE or IMGAUDIT_AUTH_TOKEN" "${C[@]}"
  HUAWEICLOUD_SDK_AK=AK usage half-aksk "HUAWEICLOUD_SDK_AK is set but HUAWEICLOUD_SDK_SK is not: AK/SK signing needs both" "${C[@]}"
  usage token-missing "$T/nope: error: cannot read token file: No such file or directory" "${C[@]}" --token-file "$T/nope"
  : >"$T/empty-token"
  usage token-empty "empty-token: error: token file is empty" "${C[@]}" --token-file "$T/empty-token"
  finish >/dev/null ) || fail "credential checks (see above)"

# A region that is well-formed but unknown is tried, with a warning; the
# known ones map to their documented endpoints (checked with --verbose
# against a bad project id so no request leaves the machine).
run region-eu 2 "$IMGAUDIT" fetch --region eu-west-101 --project-id 'a/b' -v -o "$T/x.jsonl"
has region-eu "$T/region-eu.err" "--project-id 'a/b': must be 1 to 256 characters without '/'"
run region-typo 2 "$IMGAUDIT" fetch --region cn-nort-4 --project-id 'a/b' -o "$T/x.jsonl"
has region-typo "$T/region-typo.err" "warning: --region 'cn-nort-4' is not a known HSS region (did you mean 'cn-north-4'?); trying it anyway"

eq no-requests "$(count_log)" 0
finish

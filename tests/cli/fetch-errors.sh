#!/usr/bin/env bash
# Responses that are not retried (400, 401, 403, 404): one request, exit
# 3, no snapshot, and a message with the status, error_code, error_msg,
# X-Request-Id, URL path and the auth in use; the clock hint for an
# expired signature; and no secret in any output of a verbose failing
# run. Issue 3.
. "$(dirname "$0")/../server/fetch-lib.sh"

gen_data 300 9 "$T/data.jsonl"
AK=AKERRORS
SK=SKerrors0123456789abcdef
TOK=TOKerrors0123456789abcdef
STS=STSerrors0123456789abcdef

# A wrong SK: the server recomputes the signature and says APIG.0301.
start_server "$T/data.jsonl" --project-id pid1 --ak $AK --sk $SK
HUAWEICLOUD_SDK_AK=$AK HUAWEICLOUD_SDK_SK=SKwrong0123456789abcdef \
  run bad-sig 3 "$IMGAUDIT" fetch "${C[@]}" -o "$T/s.jsonl"
rid=$("$PY" -c "
import json; print([json.loads(l) for l in open('$LOG')][0].get('status'))")
eq bad-sig-one-request "$(count_log)" 1
has bad-sig-msg "$T/bad-sig.err" "imgaudit: error: GET /v5/pid1/image/registries/images?limit=200&offset=0: HTTP 401 APIG.0301: Incorrect IAM authentication information: verify aksk signature fail (X-Request-Id: "
has bad-sig-auth "$T/bad-sig.err" "; auth: AK/SK signing (HUAWEICLOUD_SDK_AK/SK); a 401 is not retried (the gateway locks an AK for 5 minutes after repeated failures)"
lacks bad-sig-no-clock "$T/bad-sig.err" "clock"
no_snapshot bad-sig "$T" s.jsonl
# The request id printed is the one the server sent.
"$PY" - "$T/bad-sig.err" <<'PYEOF' && pass || fail "bad-sig: X-Request-Id is not a 32-hex id"
import re, sys
sys.exit(0 if re.search(r"X-Request-Id: [0-9a-f]{32}\)", open(sys.argv[1]).read()) else 1)
PYEOF

# The server's clock is 20 minutes ahead: the message suggests the clock.
start_server "$T/data.jsonl" --project-id pid1 --ak $AK --sk $SK --clock-skew 1200
HUAWEICLOUD_SDK_AK=$AK HUAWEICLOUD_SDK_SK=$SK \
  run skew 3 "$IMGAUDIT" fetch "${C[@]}" -o "$T/s.jsonl"
has skew-msg "$T/skew.err" "HTTP 401 APIG.0303: Incorrect app authentication information: signature expired"
has skew-hint "$T/skew.err" "the signature expired: this machine's clock may be off (X-Sdk-Date must be within 15 minutes of the server's time)"
eq skew-one-request "$(count_log)" 1

# An expired IAM token.
start_server "$T/data.jsonl" --project-id pid1 --token $TOK --token-expired
IMGAUDIT_AUTH_TOKEN=$TOK run token-expired 3 "$IMGAUDIT" fetch "${C[@]}" -o "$T/s.jsonl"
has token-expired "$T/token-expired.err" "HTTP 401 APIG.0307: The token must be updated. (X-Request-Id: "
has token-expired-hint "$T/token-expired.err" "auth: IAM token (IMGAUDIT_AUTH_TOKEN); a 401 is not retried"
has token-expired-hint2 "$T/token-expired.err" "IAM tokens expire after 24 hours: get a new one"

# 403, 404 and 400: not retried either.
for code in 403 404 400; do
  start_server "$T/data.jsonl" --project-id pid1 --ak $AK --sk $SK --faults "{\"always\": \"$code\"}"
  HUAWEICLOUD_SDK_AK=$AK HUAWEICLOUD_SDK_SK=$SK \
    run "status-$code" 3 "$IMGAUDIT" fetch "${C[@]}" -o "$T/s.jsonl"
  eq "status-$code-one-request" "$(count_log)" 1
  has "status-$code-path" "$T/status-$code.err" "GET /v5/pid1/image/registries/images?limit=200&offset=0: HTTP $code "
  has "status-$code-rid" "$T/status-$code.err" "(X-Request-Id: "
  no_snapshot "status-$code" "$T" s.jsonl
done
has status-403-msg "$T/status-403.err" "HTTP 403 APIG.0302: The IAM user is not authorized to access the API"
has status-404-msg "$T/status-404.err" "HTTP 404 APIG.0101: The API does not exist or has not been published in the environment"
has status-404-hint "$T/status-404.err" "check --region/--endpoint and --project-id"
# The wrong project in the path is the server's 403 APIG.0310.
start_server "$T/data.jsonl" --project-id pid1 --ak $AK --sk $SK
HUAWEICLOUD_SDK_AK=$AK HUAWEICLOUD_SDK_SK=$SK \
  run wrong-project 3 "$IMGAUDIT" fetch --endpoint "$ENDPOINT" --project-id pid2 -o "$T/s.jsonl"
has wrong-project "$T/wrong-project.err" "GET /v5/pid2/image/registries/images?limit=200&offset=0: HTTP 403 APIG.0310: The project is unavailable."

# Nothing listening: connection failures are retried, then reported.
stop_server
HUAWEICLOUD_SDK_AK=$AK HUAWEICLOUD_SDK_SK=$SK \
  run refused 3 "$IMGAUDIT" fetch "${C[@]}" --retries 1 -o "$T/s.jsonl"
has refused "$T/refused.err" "giving up after 1 retry: Failed to connect to 127.0.0.1 port $PORT"

# Secrets never appear: verbose runs that fail in every way, with every
# kind of secret configured; all output is searched for the SK, the
# tokens and every signature the server received.
: >"$T/all-output"
printf '%s\n' "$TOK" >"$T/token"
start_server "$T/data.jsonl" --project-id pid1 --ak $AK --sk $SK --security-token $STS \
  --faults '{"first": ["429", "503", "reset", "truncate", "badjson"]}'
HUAWEICLOUD_SDK_AK=$AK HUAWEICLOUD_SDK_SK=$SK HUAWEICLOUD_SDK_SECURITY_TOKEN=$STS \
IMGAUDIT_AUTH_TOKEN=$TOK run secrets-ok 0 "$IMGAUDIT" fetch "${C[@]}" -v --page-size 50 -o "$T/ok.jsonl"
cat "$T/secrets-ok.out" "$T/secrets-ok.err" >>"$T/all-output"
cp "$LOG" "$T/log1"
start_server "$T/data.jsonl" --project-id pid1 --ak $AK --sk "$SK" --security-token $STS
HUAWEICLOUD_SDK_AK=$AK HUAWEICLOUD_SDK_SK=SKwrong0123456789abcdef HUAWEICLOUD_SDK_SECURITY_TOKEN=$STS \
  run secrets-fail 3 "$IMGAUDIT" fetch "${C[@]}" -v -o "$T/s.jsonl"
cat "$T/secrets-fail.out" "$T/secrets-fail.err" >>"$T/all-output"
cat "$LOG" >>"$T/log1"
start_server "$T/data.jsonl" --project-id pid1 --token WRONG-$TOK
HUAWEICLOUD_SDK_AK=$AK HUAWEICLOUD_SDK_SK=$SK \
  run secrets-token 3 "$IMGAUDIT" fetch "${C[@]}" -v --token-file "$T/token" -o "$T/s.jsonl"
cat "$T/secrets-token.out" "$T/secrets-token.err" >>"$T/all-output"
has secrets-verbose-ran "$T/all-output" "imgaudit: GET /v5/pid1/image/registries/images?limit=50&offset=0: HTTP 429"
for secret in "$SK" SKwrong0123456789abcdef "$TOK" "$STS"; do
  lacks "secret-$secret" "$T/all-output" "$secret"
done
lacks_signatures signature "$T/all-output" "$T/log1" 10
lacks no-authorization "$T/all-output" "Signature="
lacks no-auth-header "$T/all-output" "X-Auth-Token:"


# A hostile server echoes the credentials back: in the error body, placed
# so that the 300-byte cut of an error_msg would split them, and as the
# X-Request-Id. No part of a secret or of a signature may show, in the
# verbose retry lines or the final error. The IAM token is as long as a
# real one, so a cut copy would have to be caught, not just a whole one.
LONGTOK=TOKlong$(printf '%0600d' 7)
printf '%s\n' "$LONGTOK" >"$T/longtoken"
: >"$T/echo-output"
start_server "$T/data.jsonl" --project-id pid1 --ak $AK --sk $SK --security-token $STS \
  --faults '{"first": ["echo503", "echo401"]}'
HUAWEICLOUD_SDK_AK=$AK HUAWEICLOUD_SDK_SK=$SK HUAWEICLOUD_SDK_SECURITY_TOKEN=$STS \
  run echo-aksk 3 "$IMGAUDIT" fetch "${C[@]}" -v -o "$T/s.jsonl"
cat "$T/echo-aksk.out" "$T/echo-aksk.err" >>"$T/echo-output"
has echo-aksk-retried "$T/echo-aksk.err" "HTTP 503 ECHO.0001: you sent ...."
has echo-aksk-failed "$T/echo-aksk.err" "imgaudit: error: GET /v5/pid1/image/registries/images?limit=200&offset=0: HTTP 401 ECHO.0001"
cp "$LOG" "$T/log2"
start_server "$T/data.jsonl" --project-id pid1 --token "$LONGTOK" \
  --faults '{"first": ["echo503", "echo401"]}'
run echo-token 3 "$IMGAUDIT" fetch "${C[@]}" -v --token-file "$T/longtoken" -o "$T/s.jsonl"
cat "$T/echo-token.out" "$T/echo-token.err" >>"$T/echo-output"
has echo-token-failed "$T/echo-token.err" "HTTP 401 ECHO.0001: you sent ...."
for secret in "$SK" "$STS" "$LONGTOK"; do
  lacks "echo-secret-${secret:0:12}" "$T/echo-output" "${secret:0:12}"
done
lacks_signatures echo-signature "$T/echo-output" "$T/log2" 2 12

finish

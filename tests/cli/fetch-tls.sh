#!/usr/bin/env bash
# HTTPS: the endpoint's certificate is verified (a self-signed one is
# refused, exit 3), --cacert FILE trusts a private CA, and --insecure
# skips verification with a loud warning. Issue 3.
. "$(dirname "$0")/../server/fetch-lib.sh"

# A self-signed certificate for 127.0.0.1 (subjectAltName IP, so hostname
# verification passes once the certificate is trusted).
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=imgaudit-test" \
  -addext "subjectAltName=IP:127.0.0.1" \
  -keyout "$T/key.pem" -out "$T/cert.pem" >/dev/null 2>&1 || { fail "openssl req"; finish; exit; }

gen_data 300 5 "$T/data.jsonl"
start_server "$T/data.jsonl" --project-id pid1 --token TOKtls0123456789 \
  --tls-cert "$T/cert.pem" --tls-key "$T/key.pem"
HTTPS=(--endpoint "https://127.0.0.1:$PORT" --project-id pid1)
export IMGAUDIT_AUTH_TOKEN=TOKtls0123456789

# Not trusted: refused, no snapshot, and the message names the problem.
run untrusted 3 "$IMGAUDIT" fetch "${HTTPS[@]}" --retries 0 -o "$T/u.jsonl"
has untrusted-msg "$T/untrusted.err" "SSL certificate problem: self-signed certificate (trust the endpoint's CA with --cacert FILE)"
[[ ! -e "$T/u.jsonl" ]] && pass || fail "an untrusted pull wrote a snapshot"

# Trusted through --cacert: complete and identical.
run cacert 0 "$IMGAUDIT" fetch "${HTTPS[@]}" --cacert "$T/cert.pem" -o "$T/c.jsonl"
same_records cacert "$T/c.jsonl" "$T/served.jsonl"
lacks cacert-no-warning "$T/cacert.err" "NOT verified"

# --insecure: works, and says loudly that nothing was verified.
run insecure 0 "$IMGAUDIT" fetch "${HTTPS[@]}" --insecure -o "$T/i.jsonl"
same_records insecure "$T/i.jsonl" "$T/served.jsonl"
has insecure-warning "$T/insecure.err" "warning: --insecure: the TLS certificate of https://127.0.0.1:$PORT was NOT verified"
# ... before the pull, not after it.
w=$(grep -n "NOT verified" "$T/insecure.err" | cut -d: -f1)
p=$(grep -n "imgaudit: pulled" "$T/insecure.err" | cut -d: -f1)
[[ -n "$w" && -n "$p" && $w -lt $p ]] && pass || fail "the --insecure warning came after the pull"
# The token never shows, even here.
lacks no-token "$T/insecure.err" "TOKtls0123456789"
finish

#!/usr/bin/env bash
# What a run that does not use the network does not start (issue 10,
# target 4), and what every thread it starts costs. libcurl is loaded when a command needs the network, not at
# start-up (src/source/curlload.h): `report --input` and
# `lint` run without it and the thirty libraries it brings, `fetch` and
# `report` from the API load it. Observed with the dynamic loader's own
# trace (LD_DEBUG=files names every object whose initialiser it runs).
. "$(dirname "$0")/../server/fetch-lib.sh"

loaded() { grep -c 'calling init: .*/libcurl\.so' "$1"; }

LD_DEBUG=files run report-input 1 "$IMGAUDIT" report --rules rules/default.yaml \
  --input samples/images.jsonl --fail-on critical --now 2026-11-27T08:00:00Z -q \
  -o "$T/r.csv" -o "$T/r.xlsx" -o "$T/r.html" -o "$T/r.json"
eq report-input-no-libcurl "$(loaded "$T/report-input.err")" 0
# The trace is there (the check above is not passing on an empty file).
has report-input-traced "$T/report-input.err" "/libxlsxwriter.so"

# No OpenSSL initialisation either (src/util/hash.c: SHA-256 without
# EVP): with a configuration that makes OpenSSL's initialisation fail
# (config_diagnostics = 1 and a provider that does not exist), a report
# that reads its input is still written; a pull, which needs TLS, would
# not be.
cat >"$T/openssl.cnf" <<'CNF'
config_diagnostics = 1
openssl_conf = openssl_init

[openssl_init]
providers = provider_sect

[provider_sect]
absent = absent_sect

[absent_sect]
module = /nonexistent/imgaudit-absent-provider.so
activate = 1
CNF
OPENSSL_CONF="$T/openssl.cnf" run no-openssl-init 1 "$IMGAUDIT" report \
  --rules rules/default.yaml --input samples/images.jsonl --fail-on critical \
  --now 2026-11-27T08:00:00Z -q -o "$T/o.csv"
same no-openssl-init-same "$T/o.csv" "$T/r.csv"

LD_DEBUG=files run lint 0 "$IMGAUDIT" lint rules/default.yaml
eq lint-no-libcurl "$(loaded "$T/lint.err")" 0

# The evidence bundle records the libcurl version a pull would use.
LD_DEBUG=files run evidence 1 "$IMGAUDIT" report --rules rules/default.yaml \
  --input samples/images.jsonl --fail-on critical --now 2026-11-27T08:00:00Z -q \
  -o "$T/e.csv" --evidence-dir "$T/evidence"
eq evidence-loads-libcurl "$(loaded "$T/evidence.err")" 1
curl_version=$("$PY" -c 'import glob,json,sys; print(json.load(open(glob.glob(sys.argv[1] + "/*/run.json")[0]))["versions"]["libcurl"])' "$T/evidence")
if [[ "$curl_version" =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]]; then pass; else fail "evidence: libcurl version '$curl_version'"; fi

start_server samples/images.jsonl --project-id pid1 --token TOKstartup0123456789
IMGAUDIT_AUTH_TOKEN=TOKstartup0123456789 LD_DEBUG=files run fetch 0 "$IMGAUDIT" fetch \
  "${C[@]}" -q -o "$T/snap.jsonl"
eq fetch-loads-libcurl "$(loaded "$T/fetch.err")" 1
same_records fetch-records "$T/snap.jsonl" "$T/served.jsonl"
IMGAUDIT_AUTH_TOKEN=TOKstartup0123456789 LD_DEBUG=files run report-pull 1 "$IMGAUDIT" report \
  "${C[@]}" --rules rules/default.yaml --fail-on critical --now 2026-11-27T08:00:00Z -q \
  -o "$T/p.csv"
eq report-pull-loads-libcurl "$(loaded "$T/report-pull.err")" 1
# The same report as from the saved list.
LD_DEBUG= run report-snap 1 "$IMGAUDIT" report --rules rules/default.yaml \
  --input "$T/snap.jsonl" --fail-on critical --now 2026-11-27T08:00:00Z -q -o "$T/s.csv"
same report-pull-same "$T/p.csv" "$T/s.csv"

# Thread-local storage is zeroed for every thread the program starts, a
# page fault per 4 KiB: a large thread-local array costs every run (a
# 256 KiB one was about 250 of the shipped samples' 1,560 page faults).
# The program's TLS segment (PT_TLS, its size in memory) stays small.
tls=$(readelf -lW "$IMGAUDIT" | awk '$1 == "TLS" { print $6 }')    # MemSiz, 0x...
if [[ $tls == 0x* ]] && ((tls <= 4096)); then pass; else fail "TLS of '$tls' bytes (at most 4096)"; fi
finish

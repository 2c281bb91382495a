# Helpers for the fetch end-to-end tests (sourced, not run): the shared
# CLI helpers of tests/cli/lib.sh plus the fake HSS server
# (tests/server/fake_hss.py) on 127.0.0.1, stopped when the test exits.
. "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"

PY=${PYTHON:-python3}
FAKE="$SRCDIR/tests/server/fake_hss.py"
SERVER_PID=
# Loopback only: a proxy from the environment must not see these requests,
# and no test may pick up the caller's real credentials.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy no_proxy NO_PROXY
unset HUAWEICLOUD_SDK_AK HUAWEICLOUD_SDK_SK CLOUD_SDK_AK CLOUD_SDK_SK \
      HUAWEICLOUD_SDK_SECURITY_TOKEN HUAWEICLOUD_SDK_PROJECT_ID IMGAUDIT_AUTH_TOKEN

# spawn_server PORT_FILE OUT_FILE [fake_hss.py options...]: one fake
# server in the background, waited for until it says its port; sets
# SPAWNED_PID and SPAWNED_PORT, or ends the test when it does not start.
# Every test that runs servers starts them through this.
spawn_server() {
  local portfile=$1 out=$2
  shift 2
  rm -f "$portfile"
  "$PY" "$FAKE" --port-file "$portfile" "$@" >"$out" 2>&1 &
  SPAWNED_PID=$!
  for _ in $(seq 1 300); do
    [[ -s "$portfile" ]] && break
    sleep 0.1
  done
  if [[ ! -s "$portfile" ]]; then
    echo "fake server did not start" >&2
    [[ -f "$out" ]] && cat "$out" >&2
    reap_server "$SPAWNED_PID"
    exit 1
  fi
  SPAWNED_PORT=$(cat "$portfile")
}

# reap_server PID: stop a spawned server and wait for it (no-op for "").
reap_server() {
  if [[ -n "$1" ]]; then
    kill "$1" 2>/dev/null
    wait "$1" 2>/dev/null
  fi
}

stop_server() {
  reap_server "$SERVER_PID"
  SERVER_PID=
}
trap 'stop_server; rm -rf "$T"' EXIT

# gen_data N SEED FILE [OPTIONS]: deterministic records (the samples generator).
gen_data() {
  "$PY" "$SRCDIR/tests/tools/gen_images.py" --count "$1" --seed "$2" -o "$3" "${@:4}"
}

# start_server DATA [fake_hss.py options...]: sets PORT, ENDPOINT, LOG, C;
# the served records are kept in $T/served.jsonl.
start_server() {
  local data=$1
  shift
  stop_server
  rm -f "$T/server.log"
  LOG="$T/server.log"
  spawn_server "$T/port" "$T/server.out" --data "$data" --log "$LOG" \
    --final-data "$T/served.jsonl" "$@"
  SERVER_PID=$SPAWNED_PID PORT=$SPAWNED_PORT
  ENDPOINT="http://127.0.0.1:$PORT"
  C=(--endpoint "$ENDPOINT" --project-id pid1)   # the common connection options
}

# same_records NAME GOT WANT: the same records, in the same order
# (compared as JSON values, so formatting may differ).
same_records() {
  if "$PY" - "$2" "$3" <<'PYEOF'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
b = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
if a != b:
    print("records differ: %d vs %d" % (len(a), len(b)))
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            print("first difference at line %d" % (i + 1))
            break
    sys.exit(1)
PYEOF
  then pass; else fail "$1: $2 and $3 hold different records"; fi
}

# count_requests [JQ-LIKE FIELD=VALUE]: data requests in the server log.
count_log() {
  "$PY" - "$LOG" "${1:-}" <<'PYEOF'
import json, sys
n = 0
try:
    for line in open(sys.argv[1]):
        e = json.loads(line)
        if sys.argv[2]:
            k, v = sys.argv[2].split("=", 1)
            if str(e.get(k)) != v:
                continue
        n += 1
except FileNotFoundError:
    pass
print(n)
PYEOF
}

# no_snapshot NAME DIR FILE: neither FILE nor any temporary of it in DIR.
no_snapshot() {
  local left
  left=$(ls -A "$2" | grep -F "$3" || true)
  if [[ -z "$left" ]]; then pass; else fail "$1: left behind in $2: $left"; fi
}

# lacks_signatures NAME FILE LOG MIN [LEN]: no request signature the server
# logged in LOG (nor its first LEN characters, default all 64) is in FILE,
# and at least MIN signatures were checked.
lacks_signatures() {
  local name=$1 file=$2 log=$3 min=$4 len=${5:-64} n=0 sig
  while read -r sig; do
    n=$((n + 1))
    lacks "$name-$n" "$file" "${sig:0:$len}"
  done < <("$PY" -c "
import json, sys
for l in open(sys.argv[1]):
    s = json.loads(l).get('sig')
    if s: print(s)" "$log")
  if [[ $n -ge $min ]]; then pass; else fail "$name: only $n signatures checked"; fi
}

#!/usr/bin/env bash
# Ctrl-C during a pull leaves neither the snapshot nor its temporary
# file; on a terminal the live progress line is drawn (and --quiet
# silences it); off a terminal there is only the final summary (checked
# in fetch-basic.sh). Issue 3.
. "$(dirname "$0")/../server/fetch-lib.sh"
export HUAWEICLOUD_SDK_AK=AKSIG HUAWEICLOUD_SDK_SK=SKsignals0123456789

gen_data 2000 4 "$T/data.jsonl"
start_server "$T/data.jsonl" --project-id pid1 --ak AKSIG --sk SKsignals0123456789 --latency 200
mkdir "$T/out"

# SIGINT mid-pull (100 pages at 200 ms, one at a time: 20 s if left alone).
"$IMGAUDIT" fetch "${C[@]}" --page-size 20 --concurrency 1 -o "$T/out/snap.jsonl" \
  >"$T/int.out" 2>"$T/int.err" &
pid=$!
for _ in $(seq 1 50); do
  ls -A "$T/out" | grep -q '\.tmp-' && break
  sleep 0.1
done
sleep 0.5
if ls -A "$T/out" | grep -q '\.tmp-'; then pass; else fail "sigint: no temporary snapshot while pulling"; fi
kill -INT "$pid"
wait "$pid"
eq sigint-status $? 130
left=$(ls -A "$T/out")
eq sigint-nothing-left "$left" ""
if [[ $(count_log) -lt 100 ]]; then pass; else fail "sigint: the pull ran to the end"; fi

# SIGTERM too.
"$IMGAUDIT" fetch "${C[@]}" --page-size 20 --concurrency 1 -o "$T/out/snap.jsonl" \
  >/dev/null 2>&1 &
pid=$!
sleep 1
kill -TERM "$pid"
wait "$pid"
eq sigterm-status $? 143
eq sigterm-nothing-left "$(ls -A "$T/out")" ""

# The live line on a terminal (script(1) provides one).
stop_server
start_server "$T/data.jsonl" --project-id pid1 --ak AKSIG --sk SKsignals0123456789 --latency 50
if command -v script >/dev/null; then
  script -qec "'$IMGAUDIT' fetch ${C[*]} --page-size 100 --concurrency 1 -o '$T/tty.jsonl'" \
    /dev/null >"$T/tty.txt" 2>&1
  has tty-progress "$T/tty.txt" "pulling: page "
  has tty-progress-fields "$T/tty.txt" "records, "
  has tty-progress-eta "$T/tty.txt" "ETA "
  has tty-progress-cr "$T/tty.txt" $'\r'
  has tty-summary "$T/tty.txt" "imgaudit: pulled 2000 records"
  script -qec "'$IMGAUDIT' fetch ${C[*]} --page-size 100 --concurrency 1 -q -o '$T/tty.jsonl'" \
    /dev/null >"$T/ttyq.txt" 2>&1
  lacks tty-quiet "$T/ttyq.txt" "pulling:"
  lacks tty-quiet-summary "$T/ttyq.txt" "imgaudit: pulled"
else
  echo "SKIP: script(1) not installed, live progress line not checked"
fi

finish

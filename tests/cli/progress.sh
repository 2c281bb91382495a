#!/usr/bin/env bash
# The report's progress line (docs/imgaudit.md, Progress): on a terminal,
# once evaluation has taken a second, "evaluating: N records, R rec/s"
# and then "writing reports...", redrawn in place and erased before the
# summary; nothing with -q, and nothing when stderr is not a terminal.
# The terminal is a pty from script(1); the input comes through a pipe
# that stalls for 1.5 s after 10 records, so the first redraw (every 64
# records read) comes after the one-second delay.
. "$(dirname "$0")/lib.sh"
if ! command -v script >/dev/null; then
  echo "SKIP: script(1) not installed"
  finish
  exit
fi
CMD="(head -n 10 samples/images.jsonl; sleep 1.5; tail -n +11 samples/images.jsonl) |
  \"$IMGAUDIT\" report --rules rules/default.yaml --input - --now 2026-11-27T08:00:00Z \
  -o '$T/p.csv' >/dev/null"

# On a terminal: the line, then the writing note, then erased.
script -qec "bash -c \"$CMD\"" /dev/null >"$T/tty.raw" </dev/null
has tty "$T/tty.raw" $'\revaluating: 64 records, '
has tty-rate "$T/tty.raw" $' rec/s\e[K'
has tty-writing "$T/tty.raw" $'\rwriting reports...\e[K'
[[ $(tail -c 4 "$T/tty.raw") == $'\r\e[K' ]] && pass || fail "the line is not erased at the end"
lacks tty-eta "$T/tty.raw" "ETA"        # a pipe: the size is not known
[[ -s "$T/p.csv" ]] && pass || fail "no report written on a terminal"

# -q: silent on a terminal too.
script -qec "bash -c \"${CMD/--input -/--input - -q}\"" /dev/null >"$T/quiet.raw" </dev/null
lacks quiet "$T/quiet.raw" "evaluating"
lacks quiet-writing "$T/quiet.raw" "writing"

# Not a terminal: nothing on stderr.
bash -c "$CMD" 2>"$T/notty.err" </dev/null
[[ ! -s "$T/notty.err" ]] && pass || fail "progress printed when stderr is not a terminal"

# A short run on a terminal shows nothing.
script -qec "\"$IMGAUDIT\" report --rules rules/default.yaml --input samples/images.jsonl \
  --now 2026-11-27T08:00:00Z -o '$T/s.csv' >/dev/null" /dev/null >"$T/short.raw" </dev/null
lacks short "$T/short.raw" "evaluating"
lacks short-writing "$T/short.raw" "writing"
finish

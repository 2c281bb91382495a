#!/usr/bin/env bash
# An evidence bundle is never overwritten (issue 8, docs/evidence.md): a
# bundle is named by its start time (to the second) and its manifest's
# hash, so only two runs that are the same to the millisecond can clash.
# With the wall clock stopped (tests/tools/fixedclock.c, LD_PRELOAD), the
# second of two identical runs finds the name taken: it exits 4 naming
# the folder, the first bundle is untouched and still verifies, and no
# unfinished folder is left behind.
. "$(dirname "$0")/lib.sh"
: "${FIXEDCLOCK:?set FIXEDCLOCK to the libfixedclock.so shim}"
R=(report --rules rules/default.yaml --input samples/images.jsonl --now 2026-11-27T08:00:00Z -q
   -o "$T/r.csv" --evidence-dir "$T/ev")
export FIXED_CLOCK_MS=1795852800123       # 2026-11-28T08:00:00.123Z
LD_PRELOAD="$FIXEDCLOCK" run first 0 "$IMGAUDIT" "${R[@]}"
bundle=$(ls "$T/ev")
eq first-name "$bundle" "$(echo "$bundle" | grep -E '^20261128T080000Z-[0-9a-f]{12}$')"
(cd "$T/ev/$bundle" && find . -type f -exec sha256sum {} + | sort) >"$T/before.sums"
LD_PRELOAD="$FIXEDCLOCK" run second 4 "$IMGAUDIT" "${R[@]}"
eq second-message "$(cat "$T/second.err")" \
  "$T/ev/$bundle: error: already exists; an evidence bundle is never overwritten"
eq one-bundle "$(ls -A "$T/ev")" "$bundle"
(cd "$T/ev/$bundle" && find . -type f -exec sha256sum {} + | sort) >"$T/after.sums"
same first-untouched "$T/after.sums" "$T/before.sums"
run verify 0 "$IMGAUDIT" verify "$T/ev/$bundle"
finish

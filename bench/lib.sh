# Shared helpers for the benchmarks (sourced, not run). The caller sets
# $tmp to a scratch directory (and, for bench_input, BENCH_DIR).

# best3 CMD...: of three runs, the best wall seconds, with the peak RSS
# (MB) and the CPU seconds (user + system) of that run.
best3() {
  local best="" rss="" cpu=""
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M %U %S" -o "$tmp/time" "$@" >/dev/null 2>&1 || true
    read -r t m u s <"$tmp/time"
    if [[ -z "$best" ]] || awk "BEGIN{exit !($t < $best)}"; then
      best=$t rss=$m cpu=$(awk "BEGIN{print $u + $s}")
    fi
  done
  echo "$best $((rss / 1024)) $cpu"
}

# measure CMD...: "SECONDS CPU_SECONDS RSS_KB" of one run (stdout
# discarded; a non-zero exit other than 1, a failed gate, stops the
# benchmark). CPU time (user + system) says more than wall time on a
# shared machine.
measure() {
  local rc=0
  /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$@" >/dev/null 2>"$tmp/stderr" || rc=$?
  if ((rc > 1)); then
    echo "$0: $* exited $rc" >&2
    cat "$tmp/stderr" >&2
    exit 1
  fi
  awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$tmp/time"
}

# bench_input N: the path of N generated records of JSON Lines in
# $BENCH_DIR (tests/tools/gen_images.py, seed 7), made the first time.
# The input is read once before a round's first measure ("cat IN
# >/dev/null"): on this project's VMs the kernel now and then drops the
# page cache of a large file between runs, and the first run after it
# (always the decode floor, which runs first) then reads 857 MB from
# disk: 11.5 s of wall time for 1.5 s of CPU once (docs/performance.md).
bench_input() {
  local in=$BENCH_DIR/images-$1.jsonl
  if [[ ! -s $in ]]; then
    python3 tests/tools/gen_images.py --count "$1" --seed 7 -o "$in.tmp"
    mv "$in.tmp" "$in"
  fi
  echo "$in"
}

# Shared helpers for the benchmarks (sourced, not run). The caller sets
# $tmp to a scratch directory.

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

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Issue 10, target 4: `imgaudit report` on the shipped samples (120
# images) must finish in under 50 ms. A run this short is mostly fixed
# costs (loading shared libraries, set-up per writer), so this prints,
# per set of outputs, the best and the median wall milliseconds of N
# runs, and the median CPU milliseconds (user + system: the steadier
# number on a shared machine).
#
#   bench/samples.sh [N]          (default: 15 runs per set)
#
# The arguments are the main job's (scripts/run-sample.sh) with the
# snapshot as input: rules/default.yaml, samples/waivers.yaml,
# samples/baseline.json, its gates and its --now, -q. The sets: no -o
# at all (start-up, reading, evaluating, the baseline: what every run
# costs), each format alone (minus the first row: what each writer
# costs, the figure that tells what writing them concurrently can
# give), CSV+HTML+JSON+SARIF+JUnit, and all six. Each run is timed from Python's time.perf_counter() around
# the process (fork, exec and exit included). Runs
# ${IMGAUDIT:-build/imgaudit}; IMGAUDIT2=OTHER also runs OTHER,
# alternating run by run with the first, to compare two builds in one
# sitting. Prints the load average before and after: compare the rows
# of one run, not runs of different days.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-15}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/samples-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

python3 - "$tmp" "$N" "${IMGAUDIT:-build/imgaudit}" ${IMGAUDIT2:+"$IMGAUDIT2"} <<'PY'
import os, resource, statistics, subprocess, sys, time

tmp, n, bins = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
common = ["report", "--rules", "rules/default.yaml", "--input", "samples/images.jsonl",
          "--waivers", "samples/waivers.yaml", "--baseline", "samples/baseline.json",
          "--fail-on-new", "high", "--fail-on", "critical",
          "--now", "2026-11-27T08:00:00Z", "-q"]
sets = [(), ("csv",), ("xlsx",), ("html",), ("json",), ("sarif",), ("junit.xml",),
        ("csv", "html", "json", "sarif", "junit.xml"),
        ("csv", "xlsx", "html", "json", "sarif", "junit.xml")]

def run(binary, exts):
    argv = [binary] + common
    for e in exts:
        argv += ["-o", os.path.join(tmp, "report." + e)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    rc = subprocess.call(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if rc > 1:  # 0 and 1 (a gate failed) are both a complete run
        sys.exit(f"samples-bench: {' '.join(argv)} exited {rc}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall * 1000, cpu * 1000

print(f"load average {os.getloadavg()[0]:.2f}, {n} runs per set")
print(f"{'outputs':<36} {'build':<28} {'best ms':>8} {'median ms':>10} {'cpu ms':>7}")
for exts in sets:
    for b in bins:  # one unmeasured run each: page cache, first exec
        run(b, exts)
    walls = {b: [] for b in bins}
    cpus = {b: [] for b in bins}
    for _ in range(n):
        for b in bins:
            w, c = run(b, exts)
            walls[b].append(w)
            cpus[b].append(c)
    for b in bins:
        print(f"{'+'.join(exts) or '(none: no -o)':<36} {b[-28:]:<28} {min(walls[b]):8.1f} "
              f"{statistics.median(walls[b]):10.1f} {statistics.median(cpus[b]):7.1f}")
print(f"load average {os.getloadavg()[0]:.2f}")
PY

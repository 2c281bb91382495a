#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# What a new file's write() costs by the size of each write
# (docs/performance.md, "Writes in 64 KiB pieces", "Report streams
# buffer 32 KiB"):
#   bench/write-piece.sh [MB [ROUNDS]]      default: 745 MB (a 1M-image CSV), 3 rounds
# Each round writes MB to a new file in $TMPDIR in writes of 4 KiB
# (stdio's default buffer), 16, 32, 64 and 256 KiB, 1 MiB and 4 MiB
# (bench/write_piece.c), pausing 5 s before each so that the pages the
# last one freed are handed back to the host as a long run's would be.
# The figures of two VMs are in src/util/writepiece.h, which they
# explain.
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-745}
rounds=${2:-3}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/write-piece.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cc -O2 -std=c11 -o "$tmp/write_piece" bench/write_piece.c
echo "page_reporting_order: $(cat /sys/module/page_reporting/parameters/page_reporting_order 2>/dev/null || echo unknown)"
for _ in $(seq "$rounds"); do
  for piece in 4096 16384 32768 65536 262144 1048576 4194304; do
    sleep 5
    "$tmp/write_piece" "$mb" "$piece" "$tmp/out"
  done
done

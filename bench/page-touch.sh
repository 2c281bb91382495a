#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# What fresh memory costs here (docs/performance.md, "Fresh memory"):
#   bench/page-touch.sh [MB [ROUNDS]]      default: 20 MB, 3 rounds
# Each round touches MB of fresh memory in 4 KiB pages, then advised
# for 2 MiB pages (bench/page_touch.c). On the 2-vCPU VM of 2026-12-02
# a 4 KiB page's first touch cost about 12 us, forty times a 2 MiB
# page's share: why src/util/hugemem.c exists.
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-20}
rounds=${2:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -std=c11 -o "$tmp/page_touch" bench/page_touch.c
echo "transparent huge pages: $(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || echo unknown)"
for _ in $(seq "$rounds"); do
  "$tmp/page_touch" "$mb"
  "$tmp/page_touch" "$mb" huge
done

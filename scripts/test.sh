#!/usr/bin/env bash
# The whole test suite: set-up (packages, configure, build with warnings
# as errors), then every test layer through CTest. Extra arguments go to
# ctest (e.g. -R rules).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
BUILD_DIR=${BUILD_DIR:-build}
cd "$BUILD_DIR"
ctest --output-on-failure -j"$(nproc)" "$@"

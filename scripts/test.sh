#!/usr/bin/env bash
# The whole test suite:
#  1. set-up (packages, configure, build with warnings as errors) and
#     every test layer through CTest;
#  2. the same code built with AddressSanitizer + UndefinedBehaviorSanitizer
#     (build-asan/), running the unit tests and the CLI tests that drive
#     the core end to end (rules, input, reports, errors), and the fuzz
#     corpus replays (fuzz/corpora: seeds and every crash reproducer),
#     so memory errors and undefined behaviour fail the suite.
# Extra arguments go to the first ctest (e.g. -R rules); SKIP_ASAN=1
# skips stage 2.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
BUILD_DIR=${BUILD_DIR:-build}
(cd "$BUILD_DIR" && ctest --output-on-failure -j"$(nproc)" "$@")

if [[ "${SKIP_ASAN:-}" != 1 ]]; then
  echo "== sanitizers: AddressSanitizer + UndefinedBehaviorSanitizer =="
  cmake -S . -B build-asan -DIMGAUDIT_WERROR=ON -DCMAKE_BUILD_TYPE=Debug \
    -DIMGAUDIT_SANITIZE="address;undefined" >/dev/null
  cmake --build build-asan -j"$(nproc)" >/dev/null
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1
  (cd build-asan && ctest --output-on-failure -j"$(nproc)" \
    -R '^unit/|^fuzz/|^cli/(golden|exit-codes|usage|csv-hostile|input-forms|input-unrepresentable|pathological|json-report|json-roundtrip|fetch-basic|fetch-hostile|output-targets|weekly|evidence|ci-formats|scoping|merge|projects)$')
fi

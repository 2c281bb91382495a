#!/usr/bin/env bash
# Install the Debian 12 packages imgaudit needs to build (and, with
# --test, to run its tests), then configure and build into $BUILD_DIR
# (default: build). Idempotent: installs only what is missing.
#   scripts/setup.sh          build dependencies, configure, build
#   scripts/setup.sh --test   also test-only packages; warnings are errors
set -euo pipefail
cd "$(dirname "$0")/.."

build_pkgs=(build-essential cmake pkg-config libcurl4-openssl-dev libjansson-dev
  libxlsxwriter-dev libpcre2-dev libyaml-dev libssl-dev zlib1g-dev libsimdjson-dev
  python3)
test_pkgs=(libcmocka-dev python3-openpyxl python3-jsonschema chromium fonts-dejavu-core
  libreoffice-calc poppler-utils fonts-crosextra-carlito
  bc openssl procps libexpat1-dev libcsv-dev groff-base man-db zsh strace)

want=("${build_pkgs[@]}")
werror=OFF
if [[ "${1:-}" == "--test" ]]; then
  want+=("${test_pkgs[@]}")
  werror=ON
fi
# cmocka is needed to configure the test tree, so it is always wanted.
want+=(libcmocka-dev)

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm fetches test-only material from the npm registry (the official
# SARIF schema: tests/tools/official-sarif-schema.sh). Any npm will do;
# Debian's is installed only when there is none.
if [[ "${1:-}" == "--test" ]] && ! command -v npm >/dev/null; then
  missing+=(npm)
fi
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -DIMGAUDIT_WERROR=$werror >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)" >/dev/null

# Shared helpers for the CLI tests (sourced, not run). Each test runs from
# the repository root with $IMGAUDIT pointing at the binary under test.
set -uo pipefail
: "${IMGAUDIT:?set IMGAUDIT to the imgaudit binary}"
: "${SRCDIR:=$(pwd)}"
cd "$SRCDIR"
T=$(mktemp -d "${TMPDIR:-/tmp}/imgaudit-cli.XXXXXX")
trap 'rm -rf "$T"' EXIT
fails=0
checks=0

pass() { checks=$((checks + 1)); }
fail() { checks=$((checks + 1)); fails=$((fails + 1)); echo "FAIL: $*" >&2; }

# run NAME EXPECTED_CODE CMD...: run CMD, keep stdout/stderr in $T/NAME.out/.err
run() {
  local name=$1 want=$2
  shift 2
  "$@" >"$T/$name.out" 2>"$T/$name.err"
  local got=$?
  if [[ $got -ne $want ]]; then
    fail "$name: exit code $got, expected $want"
    sed 's/^/    stderr: /' "$T/$name.err" | head -20 >&2
  else
    pass
  fi
}

# same NAME FILE EXPECTED_FILE: byte-for-byte comparison with a golden file.
# UPDATE_GOLDEN=1 rewrites the expected file instead.
same() {
  local name=$1 got=$2 want=$3
  if [[ "${UPDATE_GOLDEN:-}" == 1 ]]; then
    cp "$got" "$want"
    pass
    return
  fi
  if cmp -s "$got" "$want"; then
    pass
  else
    fail "$name: $got differs from $want"
    diff -u "$want" "$got" | head -40 >&2
  fi
}

# has NAME FILE TEXT: FILE contains TEXT (fixed string).
has() {
  if grep -qF -- "$3" "$2"; then pass; else fail "$1: '$3' not in $2"; sed 's/^/    /' "$2" | head -20 >&2; fi
}

# lacks NAME FILE TEXT: FILE does not contain TEXT.
lacks() {
  if grep -qF -- "$3" "$2"; then fail "$1: '$3' unexpectedly in $2"; else pass; fi
}

# eq NAME GOT WANT: integer or string equality.
eq() { if [[ "$2" == "$3" ]]; then pass; else fail "$1: got '$2', expected '$3'"; fi; }

# preload SHIM: the LD_PRELOAD value that loads a test shim
# (tests/tools/*.c) into $IMGAUDIT: after AddressSanitizer's runtime when
# the binary is built with it (scripts/test.sh's second stage), which
# refuses to start unless it comes first.
preload() {
  local asan
  asan=$(ldd "$IMGAUDIT" 2>/dev/null | awk '/libasan/ { print $3; exit }')
  echo "${asan:+$asan:}$1"
}

# Closing line for ctest logs; exit non-zero on any failure.
finish() {
  echo "$((checks - fails)) passed, $fails failed"
  [[ $fails -eq 0 ]]
}

#!/usr/bin/env bash
# Shell integration (issue 9, test 7): the man page and the bash and zsh
# completions, generated at build time by tools/gen_shell.c, against what
# the program says itself, `imgaudit --help` and `imgaudit help COMMAND`
# (never against the generator's tables): every command and option there
# and nothing else, with the same short names, metavars, texts and
# commands. The completions are run: bash's function with COMP_WORDS set,
# zsh's file under zsh with _arguments and _describe replaced by
# functions that print what they were given. The man page renders
# without a groff warning, and `cmake --install` puts all three in place.
. "$(dirname "$0")/lib.sh"
: "${BUILDDIR:?set BUILDDIR to the build directory}"
PY=/usr/bin/python3
CHECK=tests/tools/check_shell_sync.py
MAN=$BUILDDIR/imgaudit.1
BASHC=$BUILDDIR/completion/imgaudit.bash
ZSHC=$BUILDDIR/completion/_imgaudit

# What the program says.
mkdir -p "$T/help"
"$IMGAUDIT" --help >"$T/help/main.txt"
mapfile -t cmds < <(sed -n '/^Commands:$/,/^$/s/^  \([a-z]*\) .*/\1/p' "$T/help/main.txt")
eq "commands in --help" "${cmds[*]}" "report fetch lint diff verify merge"
for c in "${cmds[@]}"; do "$IMGAUDIT" help "$c" >"$T/help/$c.txt"; done

# tally FILE: the PASS/FAIL lines of check_shell_sync.py.
tally() {
  local line n=0
  while IFS= read -r line; do
    n=$((n + 1))
    case $line in
      PASS*) pass ;;
      *) fail "${line#FAIL }" ;;
    esac
  done <"$1"
  ((n > 0)) || fail "$1: no checks ran"
}

# ---- the man page
for f in "$MAN" "$BASHC" "$ZSHC"; do
  [[ -s $f ]] && pass || fail "$f was not generated"
done
$PY $CHECK man "$T/help" "$MAN" >"$T/man.checks" 2>&1
tally "$T/man.checks"
if command -v groff >/dev/null && command -v man >/dev/null; then
  groff -man -Tutf8 -ww -z "$MAN" >"$T/groff.err" 2>&1
  eq "groff exit" $? 0
  if [[ -s $T/groff.err ]]; then fail "groff warnings:"; sed 's/^/    /' "$T/groff.err" >&2; else pass; fi
  MANWIDTH=80 man -P cat -l "$MAN" >"$T/man.txt" 2>"$T/man.err"
  eq "man -l exit" $? 0
  has "man renders" "$T/man.txt" "imgaudit report --rules FILE"
  has "man renders options" "$T/man.txt" "-r, --rules FILE"
  lacks "man no groff noise" "$T/man.err" "warning"
  # 80 columns: nothing sticks out (examples, synopsis).
  long=$(awk 'length($0) > 80' "$T/man.txt" | head -3)
  eq "man fits 80 columns" "$long" ""
else
  fail "groff or man-db is not installed (scripts/setup.sh --test installs them)"
fi

# Every environment variable the sources read is in ENVIRONMENT, but the
# tests' knob IMGAUDIT_XLSX_MAX_ROWS (docs/reports.md).
for v in $(grep -rhoE '(getenv|env_nonempty)\("[A-Za-z_][A-Za-z0-9_]*"\)' src |
  sed -E 's/.*\("(.*)"\)/\1/' | sort -u); do
  [[ $v == IMGAUDIT_XLSX_MAX_ROWS ]] && continue
  if grep -qx "$v" "$T/help/man-environment.txt"; then pass; else fail "ENVIRONMENT lacks $v, which src/ reads"; fi
done

# ---- bash: the completion function, run as bash runs it
mkdir -p "$T/files/dir1"
touch "$T/files/a.yaml" "$T/files/b.json"
# complete WORD...: COMPREPLY for the words (the last is the one
# completed), sorted, one a line, run in $T/files.
complete_bash() {
  (cd "$T/files" && bash --norc --noprofile -c '
    source "$1" || exit 9
    shift
    COMP_WORDS=("$@")
    COMP_CWORD=$(($# - 1))
    _imgaudit
    printf "%s\n" "${COMPREPLY[@]}"' _ "$BASHC" "$@") | sed '/^$/d' | sort
}
# bash_is NAME "EXPECTED WORDS" WORD...: the completions are exactly those
# words, in any order.
bash_is() {
  local name=$1 got want
  want=$(tr ' ' '\n' <<<"$2" | sed '/^$/d' | sort)
  shift 2
  got=$(complete_bash "$@")
  if [[ $got == "$want" ]]; then
    pass
  else
    fail "bash: $name: missing [$(comm -13 <(echo "$got") <(echo "$want") | paste -sd' ' -)]," \
      "extra [$(comm -23 <(echo "$got") <(echo "$want") | paste -sd' ' -)]"
  fi
}
# spellings FILE [long]: the options of a help text, "--name" and "-x".
spellings() {
  sed -nE 's/^(  -([A-Za-z]), |      )--([a-z][a-z0-9-]*).*/--\3 -\2/p' "$1" |
    tr ' ' '\n' | grep -vx -- - | { if [[ ${2:-} == long ]]; then grep -- '^--'; else cat; fi; }
}

bash_is "commands" "${cmds[*]} help" imgaudit ""
bash_is "options before a command" "--help -h --version -V" imgaudit -
bash_is "a command's prefix" "merge" imgaudit me
for c in "${cmds[@]}"; do
  bash_is "$c options" "$(spellings "$T/help/$c.txt" | tr '\n' ' ')" imgaudit "$c" -
done
bash_is "report without a dash: options" "$(spellings "$T/help/report.txt" long | tr '\n' ' ')" \
  imgaudit report ""
bash_is "another command's option" "" imgaudit fetch --rul
bash_is "help topics" "${cmds[*]}" imgaudit help ""
bash_is "format names" "csv xlsx html json sarif junit" imgaudit report --format ""
bash_is "--format=j" "json junit" imgaudit report --format = j
bash_is "--format=" "csv xlsx html json sarif junit" imgaudit diff --format =
bash_is "severities" "info low medium high critical" imgaudit report --fail-on ""
bash_is "severity prefix" "high" imgaudit merge --fail-on-new h
bash_is "split keys" "namespace registry image_type" imgaudit report --split-by ""
bash_is "no values for a number" "" imgaudit report --jobs ""
bash_is "no values for an expression" "" imgaudit report --where ""
bash_is "lint operands: files" "a.yaml b.json dir1" imgaudit lint ""
bash_is "verify operand: a directory" "dir1" imgaudit verify ""
bash_is "after --: operands only" "" imgaudit lint -- -
bash_is "--rules=a as one word" "--rules=a.yaml" imgaudit report --rules=a
# Every FILE (or KEY.pem) argument of every command completes file names,
# every DIR argument directories.
for c in "${cmds[@]}"; do
  while read -r opt meta; do
    case $meta in
      DIR) bash_is "$c $opt $meta" "dir1" imgaudit "$c" "$opt" "" ;;
      FILE | *.*) bash_is "$c $opt $meta" "a.yaml b.json dir1" imgaudit "$c" "$opt" "" ;;
    esac
  done < <(sed -nE 's/^(  -[A-Za-z], |      )(--[a-z][a-z0-9-]*) ([A-Z][A-Za-z0-9_.=]*).*/\2 \3/p' \
    "$T/help/$c.txt")
done

# ---- zsh: syntax, then what each command hands to _arguments
mkdir -p "$T/zsh"
if command -v zsh >/dev/null; then
  zsh -n "$ZSHC" 2>"$T/zsh-n.err"
  eq "zsh -n" $? 0
  # zsh_run OUT WORD...: run the completion for WORD... (the last is the
  # one completed), printing what it gave _arguments or _describe.
  zsh_run() {
    local out=$1
    shift
    zsh -f -c '
      _arguments() { print -rl -- "$@"; }
      _describe() { print -rl -- "${(@P)argv[-1]}"; }
      fpath=("$1" $fpath); autoload -Uz _imgaudit; shift
      words=("$@"); CURRENT=$#; PREFIX=${words[-1]}; curcontext=:complete:imgaudit:
      _imgaudit' _ "$(dirname "$ZSHC")" "$@" >"$out" 2>&1
    eq "zsh run ${*}" $? 0
  }
  zsh_run "$T/zsh/top-commands.txt" imgaudit ""
  zsh_run "$T/zsh/top-options.txt" imgaudit -
  zsh_run "$T/zsh/help-topics.txt" imgaudit help ""
  for c in "${cmds[@]}"; do zsh_run "$T/zsh/$c.txt" imgaudit "$c" ""; done
else
  # Without zsh, the same checks on the specs as written in the file.
  echo "shell-sync: zsh is not installed; checking the file's text only" >&2
  awk '/^\(help\)$/{h=1} h && /^    .*:/ {sub(/^ +\x27/, ""); sub(/\x27$/, ""); print}' "$ZSHC" \
    >"$T/zsh/help-topics.txt"
  awk '/^    commands=\($/{f=1; next} f && /^    \)$/{exit} f {sub(/^ +\x27/, ""); sub(/\x27$/, ""); print}' \
    "$ZSHC" >"$T/zsh/top-commands.txt"
  echo "help:" >>"$T/zsh/top-commands.txt"
  grep -oE "'(--help|-h|--version|-V):" "$ZSHC" | tr -d "':" | sed 's/$/:/' \
    >"$T/zsh/top-options.txt"
  for c in "${cmds[@]}"; do
    awk -v c="($c)" '$0 == c {f=1; next} f && /^  ;;$/ {exit}
      f && /^    \x27/ {sub(/^    \x27/, ""); sub(/\x27 \\$/, ""); gsub(/\x27\\\x27\x27/, "\x27"); print}' \
      "$ZSHC" >"$T/zsh/$c.txt"
  done
fi
$PY $CHECK zsh "$T/help" "$T/zsh" >"$T/zsh.checks" 2>&1
tally "$T/zsh.checks"

# ---- cmake --install puts the three where man, bash-completion and
# compinit look, as generated.
cmake --install "$BUILDDIR" --prefix "$T/prefix" >"$T/install.out" 2>&1
eq "cmake --install" $? 0
for pair in "bin/imgaudit:$IMGAUDIT" "share/man/man1/imgaudit.1:$MAN" \
  "share/bash-completion/completions/imgaudit:$BASHC" "share/zsh/site-functions/_imgaudit:$ZSHC"; do
  if cmp -s "$T/prefix/${pair%%:*}" "${pair#*:}"; then pass; else fail "installed ${pair%%:*} differs or is missing"; fi
done

finish

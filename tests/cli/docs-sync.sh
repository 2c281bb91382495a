#!/usr/bin/env bash
# docs/imgaudit.md shows --help and `help COMMAND` verbatim; they come
# from the option table, so the reference cannot drift from the program.
. "$(dirname "$0")/lib.sh"
scripts/update-docs.sh "$IMGAUDIT" "$T/imgaudit.md"
same docs-sync "$T/imgaudit.md" docs/imgaudit.md
# Every option in the table appears in the reference.
"$IMGAUDIT" --help > "$T/help.txt"
for opt in $(grep -oE '^OPT\("[a-z-]+"' src/cli/options.def | cut -d'"' -f2); do
  has "option $opt" docs/imgaudit.md "--$opt"
done
# Every command in the table has its help block, so a new command cannot
# be left out of the reference.
for cmd in $(grep -oE '^CMD\("[a-z]+"' src/cli/commands.def | cut -d'"' -f2); do
  has "command $cmd" docs/imgaudit.md "<!-- help:$cmd -->"
done
finish

#!/usr/bin/env bash
# The settings path goes one way (issue 9): src/cli turns argv, the
# config file and the environment into the typed structs that src/app
# declares (app/job.h, app/pull.h); no other module includes src/cli.
. "$(dirname "$0")/lib.sh"
for dir in app source model rules report render util; do
  grep -rn '#include "cli/' "src/$dir" >"$T/$dir.txt"
  eq "src/$dir includes nothing from src/cli" "$(cat "$T/$dir.txt")" ""
done
finish

#!/usr/bin/env bash
# Usage errors (exit 2) with their exact messages, --help, help COMMAND
# and --version (exit 0).
. "$(dirname "$0")/lib.sh"

# expect_err NAME CODE EXPECTED_STDERR -- ARGS...
expect_err() {
  local name=$1 code=$2 want=$3
  shift 4
  run "$name" "$code" "$IMGAUDIT" "$@"
  printf '%s\n' "$want" > "$T/$name.want"
  same "$name stderr" "$T/$name.err" "$T/$name.want"
}
try="Try 'imgaudit --help' for more information."

expect_err no-command 2 "imgaudit: error: no command given
$try" --
expect_err bad-command 2 "imgaudit: error: unknown command 'reprot' (did you mean 'report'?)
$try" -- reprot
expect_err option-first 2 "imgaudit: error: '--rules' needs a command before it, e.g. 'imgaudit report --rules'
$try" -- --rules
expect_err bad-option 2 "imgaudit: error: unknown option '--rulez' (did you mean '--rules'?)
$try" -- report --rulez x
expect_err bad-option-eq 2 "imgaudit: error: unknown option '--formt' (did you mean '--format'?)
$try" -- report --formt=csv
expect_err no-value 2 "imgaudit: error: option '--rules' needs a value (FILE)
$try" -- report --rules
expect_err flag-value 2 "imgaudit: error: option '--quiet' takes no value
$try" -- report --quiet=yes
expect_err wrong-command 2 "imgaudit: error: option '--input' does not apply to 'lint'
$try" -- lint --input x rules/default.yaml
expect_err bad-now 2 "imgaudit: error: --now: 'yesterday' is not an RFC 3339 time (2026-11-27T08:00:00Z) or epoch milliseconds
$try" -- report --now yesterday
expect_err bad-fail-on 2 "imgaudit: error: --fail-on: 'severe' is not a severity (info, low, medium, high, critical)
$try" -- report --fail-on severe
expect_err bad-int 2 "imgaudit: error: --page-size: 'lots' is not a whole number
$try" -- report --page-size lots
expect_err report-operand 2 "imgaudit: error: 'report' takes no operand 'samples/images.jsonl' (a saved image list is --input FILE)
$try" -- report --rules rules/default.yaml samples/images.jsonl
expect_err report-operand-after-dashdash 2 "imgaudit: error: 'report' takes no operand '-x' (a saved image list is --input FILE)
$try" -- report --rules rules/default.yaml -- -x
expect_err fetch-operand 2 "imgaudit: error: 'fetch' takes no operand 'stray' (the snapshot is -o FILE)
$try" -- fetch -o "$T/snap.jsonl" stray
expect_err no-rules 2 "imgaudit: error: report needs at least one --rules FILE (try rules/default.yaml)" \
  -- report --input samples/images.jsonl
expect_err bad-ext 2 "imgaudit: error: -o $T/x.txt: cannot tell the format from the name; use .csv, .xlsx, .html, .json, .sarif or .junit.xml, or --format" \
  -- report --rules rules/default.yaml --input samples/images.jsonl -o "$T/x.txt"
expect_err bad-format 2 "imgaudit: error: --format: 'pdf' is not a report format (csv, xlsx, html, json, sarif, junit)" \
  -- report --rules rules/default.yaml --input samples/images.jsonl --format pdf -o "$T/x"
expect_err lint-nothing 2 "imgaudit: error: lint needs one or more rule or waiver files" -- lint
expect_err help-unknown 2 "imgaudit: error: no help for 'nope' (commands: report, fetch, lint, diff, verify, merge)" -- help nope
expect_err negative-html-max 2 "imgaudit: error: --html-max-findings -3: must not be negative (0 lists every finding)
$try" \
  -- report --rules rules/default.yaml --input samples/images.jsonl --html-max-findings -3
# A broken --template is a usage error before any evaluation, not a write error after it.
printf '<p>{{nope}}</p>\n' > "$T/bad.html"
expect_err bad-template 2 "$T/bad.html:1:4: error: unknown tag 'nope'
<p>{{nope}}</p>
   ^~~~~~~~" -- report --rules rules/default.yaml --input samples/images.jsonl --template "$T/bad.html" -o "$T/x.html"
expect_err snapshot-with-input 2 "imgaudit: error: --save-snapshot keeps pulled records; with --input there is no pull" \
  -- report --rules rules/default.yaml --input samples/images.jsonl --save-snapshot "$T/s.jsonl"
[[ ! -e "$T/x.txt" && ! -e "$T/x" && ! -e "$T/x.html" && ! -e "$T/s.jsonl" ]] && pass || fail "a usage error wrote a file"

run help 0 "$IMGAUDIT" --help
has help "$T/help.out" "Usage:"
has help "$T/help.out" "  -r, --rules FILE"
has help "$T/help.out" "Exit codes:"
has help "$T/help.out" "  4  a report or evidence bundle could not be written"
run help-report 0 "$IMGAUDIT" help report
has help-report "$T/help-report.out" "--fail-on SEVERITY"
lacks help-report "$T/help-report.out" "imgaudit lint"
run help-flag 0 "$IMGAUDIT" report --help
same help-flag "$T/help-flag.out" "$T/help-report.out"
run help-lint 0 "$IMGAUDIT" help lint
lacks help-lint "$T/help-lint.out" "--input"
run version 0 "$IMGAUDIT" --version
printf 'imgaudit 0.1.0\n' > "$T/version.want"
same version "$T/version.out" "$T/version.want"
finish

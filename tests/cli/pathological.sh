#!/usr/bin/env bash
# Pathological inputs, each under a time limit: deeply nested JSON, a huge
# string, deeply nested rule expressions and a catastrophic regular
# expression (once, and often enough to be disabled). None may crash, hang or exhaust memory; each gets a clear
# error or a bounded answer.
. "$(dirname "$0")/lib.sh"
R=rules/default.yaml
lim() { timeout 20 "$@"; }

# 1. 100,000 nested arrays inside a record: jansson's depth limit, exit 3.
python3 -c 'import sys; sys.stdout.write("{\"id\": 1, \"x\": " + "[" * 100000 + "]" * 100000 + "}\n")' > "$T/deep.jsonl"
run deep-json 3 lim "$IMGAUDIT" report --rules $R --input "$T/deep.jsonl" -q
has deep-json "$T/deep-json.err" "deep.jsonl:1:"

# 2. A 20 MB image name: evaluated and written, not truncated.
python3 -c 'import sys; sys.stdout.write("{\"id\": 1, \"image_name\": \"" + "a" * 20000000 + "\", \"image_version\": \"latest\"}\n")' > "$T/huge.jsonl"
run huge-string 0 lim "$IMGAUDIT" report --rules $R --input "$T/huge.jsonl" --now 2026-11-27T08:00:00Z -o "$T/huge.csv" -q
[[ $(stat -c %s "$T/huge.csv") -gt 20000000 ]] && pass || fail "huge string lost"

# 3. Deeply nested parentheses in a rule: a depth error with a caret, exit 2.
python3 - "$T/nest.yaml" <<'PY'
import sys
expr = "(" * 5000 + "vul_num > 1" + ")" * 5000
open(sys.argv[1], "w").write(f'version: 1\nrules:\n  - id: N\n    title: nested\n    severity: low\n    when: "{expr}"\n')
PY
run deep-rule 2 lim "$IMGAUDIT" lint "$T/nest.yaml"
has deep-rule "$T/deep-rule.err" "nest.yaml:6:"

# 4. A catastrophic regex against a long name: PCRE2's match limit turns it
# into "unknown" for that record instead of an endless search.
cat > "$T/redos.yaml" <<'Y'
version: 1
rules:
  - id: REDOS
    title: catastrophic backtracking
    severity: low
    when: image_name =~ "^(a+)+$"
Y
python3 -c 'import sys; sys.stdout.write("{\"id\": 1, \"image_name\": \"" + "a" * 5000 + "b\"}\n")' > "$T/redos.jsonl"
run redos 0 lim "$IMGAUDIT" report --rules "$T/redos.yaml" --input "$T/redos.jsonl" --now 2026-11-27T08:00:00Z
has redos "$T/redos.out" "REDOS  low              0        1"
lacks redos "$T/redos.err" "warning"

# 5. The same regex on 105 such records: after 100 limit hits it is
# disabled for the rest of the run (unknown, not run), with a warning at
# the pattern.
python3 -c 'import sys
for i in range(105): sys.stdout.write("{\"id\": %d, \"image_name\": \"%sb\"}\n" % (i, "a" * 5000))' > "$T/redos105.jsonl"
run redos-disabled 0 lim "$IMGAUDIT" report --rules "$T/redos.yaml" --input "$T/redos105.jsonl" --now 2026-11-27T08:00:00Z \
  -o "$T/redos.json" -o "$T/redos.html"
has redos-disabled "$T/redos-disabled.out" "REDOS  low              0      105"
# The report says so too, in every format with a rules table.
has redos-summary "$T/redos-disabled.out" "REDOS: a regular expression was disabled after 100 match-limit hits"
has redos-json "$T/redos.json" '"regex_limit_hits":100,"regex_disabled":true'
has redos-html "$T/redos.html" 'kept hitting the match limit (100 times) and was disabled'

cat > "$T/redos-disabled.want" <<EOF
$T/redos.yaml:6:25: warning: regex in rule 'REDOS' hit the PCRE2 match limit 100 times and was disabled; its results are unknown from then on (simplify the pattern: nested repetition such as (a+)+ backtracks exponentially)
    when: image_name =~ "^(a+)+\$"
                        ^~~~~~~~~
EOF
same redos-disabled "$T/redos-disabled.err" "$T/redos-disabled.want"
finish

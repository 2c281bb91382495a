#!/usr/bin/env bash
# One settings path (issue 9): a run configured from a --config file,
# YAML or INI, with the command line over it (a list given there replaces
# the file's); a single-valued option given twice; config errors located
# and all listed; secrets refused; severities in any case (options,
# config, rule files, --where, API filters). That every option with a
# config key is read from the file and overridden is
# tests/unit/test_cli_settings.c.
. "$(dirname "$0")/../server/fetch-lib.sh"

try="Try 'imgaudit --help' for more information."
NOW=2026-11-27T08:00:00Z
IN=samples/images.jsonl

# expect_err NAME CODE EXPECTED_STDERR -- ARGS...: exit CODE, exactly that stderr.
expect_err() {
  local name=$1 code=$2 want=$3
  shift 4
  run "$name" "$code" "$IMGAUDIT" "$@"
  printf '%s\n' "$want" >"$T/$name.want"
  same "$name stderr" "$T/$name.err" "$T/$name.want"
}

# --- a single-valued option given twice ---
expect_err twice-fail-on 2 "imgaudit: error: --fail-on given twice (\"high\", then \"low\"); give it once
$try" -- report --rules rules/default.yaml --input $IN --fail-on high --fail-on low
expect_err twice-short-long 2 "imgaudit: error: --jobs given twice (\"2\", then \"3\"); give it once
$try" -- report --rules rules/default.yaml --input $IN -j 2 --jobs=3
expect_err twice-input 2 "imgaudit: error: --input given twice (\"a.jsonl\", then \"b.jsonl\"); give it once
$try" -- report --rules rules/default.yaml --input a.jsonl -i b.jsonl
expect_err twice-region 2 "imgaudit: error: --region given twice (\"cn-north-4\", then \"cn-east-3\"); give it once
$try" -- fetch --region cn-north-4 --region cn-east-3 -o "$T/never.jsonl"
# Lists repeat, and a flag given twice says the same thing twice.
run list-and-flag-repeat 0 "$IMGAUDIT" report --rules rules/default.yaml --input $IN --now $NOW \
  -q -q -o "$T/twice.csv" -o "$T/twice.json"
[[ ! -e "$T/never.jsonl" ]] && pass || fail "a usage error wrote a file"

# --- a whole run from a config file; the command line over it ---
mkdir -p "$T/y" "$T/i" "$T/o"
cat >"$T/run.yaml" <<YAML
rules:
  - rules/default.yaml
input: $IN
outputs: [$T/y/weekly.csv, $T/y/weekly.json]
fail_on: critical
now: $NOW
quiet: true
YAML
run config-run 1 "$IMGAUDIT" report --config "$T/run.yaml"
eq config-run-files "$(cd "$T/y" && echo *)" "weekly.csv weekly.json"
eq config-run-quiet "$(cat "$T/config-run.out")" ""
# The same in INI, a list as a repeated key, gives the same report.
cat >"$T/run.ini" <<INI
; weekly
[imgaudit]
rules = rules/default.yaml
input = $IN
output = $T/i/weekly.csv
output = $T/i/weekly.json
fail-on = critical
now = $NOW
quiet = yes
INI
run config-run-ini 1 "$IMGAUDIT" report --config "$T/run.ini"
same config-run-ini-csv "$T/i/weekly.csv" "$T/y/weekly.csv"
same config-run-ini-json "$T/i/weekly.json" "$T/y/weekly.json"
# The command line's -o replaces the file's list (nothing is added to
# it), and its --fail-on the file's.
rm -f "$T/y/"*
run config-keeps-gate 1 "$IMGAUDIT" report --config "$T/run.yaml" -o "$T/o/gate.json"
run config-cli-gate 0 "$IMGAUDIT" report --config "$T/run.yaml" -o "$T/o/gate-off.json" \
  --fail-on-new critical --fail-on critical --where 'malicious_file_num == 0'
eq config-override-files "$(cd "$T/o" && echo *)" "gate-off.json gate.json"
eq config-override-none-from-file "$(cd "$T/y" && echo *)" "*"
run config-cli-gate-info 1 "$IMGAUDIT" report --config "$T/run.yaml" -o "$T/o/gate-info.json" \
  --fail-on Info
"$PY" - "$T/o/gate.json" "$T/o/gate-info.json" <<'PY' && pass || fail "config-cli-gate: fail_on in the reports"
import json, sys
a, b = (json.load(open(p))["meta"] for p in sys.argv[1:3])
assert a["gate"]["fail_on"] == "critical", a["gate"]
assert b["gate"]["fail_on"] == "info", b["gate"]
PY
# The file's value and the command line's are an override, not "given twice".
lacks config-override-not-twice "$T/config-cli-gate-info.err" "given twice"

# --- config errors: located, every one in one run, secrets never quoted ---
cat >"$T/bad.yaml" <<'YAML'
fail_on: severe
jobs: many
outputs:
  - a.csv
  - {b: c}
regoin: cn-north-4
aws_secret_access_key: [AKsecretvalue0001]
insecure: maybe
YAML
# The keys, in the table's order (the key column of options.def).
known=$(sed -n 's/^    "\([a-z_]*\)")$/\1/p' src/cli/options.def | paste -sd, | sed 's/,/, /g')
expect_err config-errors 2 "$T/bad.yaml:1: error: fail_on: 'severe' is not a severity (info, low, medium, high, critical)
$T/bad.yaml:2: error: jobs: 'many' is not a whole number
$T/bad.yaml:5: error: outputs: expected FILE strings
$T/bad.yaml:6: error: unknown setting 'regoin' (did you mean 'region'?); known: $known
$T/bad.yaml:7: error: 'aws_secret_access_key' is a secret: secrets are never read from config files (they end up in backups and repositories); set HUAWEICLOUD_SDK_SK instead
$T/bad.yaml:8: error: insecure: 'maybe' is not true or false
$try" -- report --config "$T/bad.yaml" --rules rules/default.yaml --input $IN
lacks config-errors-secret "$T/config-errors.err" "AKsecretvalue0001"
printf 'fail_on = high\n[hss]\npassword = hunter2hunter2\nfail-on = low\nfail_on: x\n' >"$T/bad.ini"
expect_err config-errors-ini 2 "$T/bad.ini:3: error: 'password' is a secret: secrets are never read from config files (they end up in backups and repositories); set an IAM token in --token-file instead
$T/bad.ini:4: error: fail_on given twice (\"high\", then \"low\"); give it once
$T/bad.ini:5: error: expected KEY = VALUE
$try" -- report --config "$T/bad.ini" --rules rules/default.yaml --input $IN
lacks config-errors-ini-secret "$T/config-errors-ini.err" "hunter2"
# Numbers out of range: located in the file, each named as the command
# line names it, every one in one run (the command line's too). With
# usage.sh and fetch-*.sh, every row of cli.c's range table is tried.
printf 'jobs: 0\nhtml_max_findings: -5\nretries: 101\ntimeout: 0\nmax_time: 700000\nwarn_expiring: 3\n' >"$T/range.yaml"
expect_err config-ranges 2 "$T/range.yaml:1: error: jobs 0: must be 1 to 256
$T/range.yaml:2: error: html_max_findings -5: must not be negative (0 lists every finding)
$T/range.yaml:3: error: retries 101: must be 0 to 100
$T/range.yaml:4: error: timeout 0: must be more than 0 and at most 3600 seconds
$T/range.yaml:5: error: max_time 700000: must be at most 604800 seconds (7 days), or 0 for no limit
$try" -- report --config "$T/range.yaml" --rules rules/default.yaml --input $IN
expect_err cli-ranges 2 "imgaudit: error: --page-size 201: must be 1 to 200
imgaudit: error: --max-waiver-days 0: must be a positive number of days
imgaudit: error: --concurrency 0: must be 1 to 16
imgaudit: error: --warn-expiring -1: must not be negative (0 flags none)
$try" -- report --rules rules/default.yaml --input $IN --page-size 201 --max-waiver-days 0 \
  --concurrency 0 --warn-expiring -1
printf 'rules:\n  nested: [x]\n' >"$T/notlist.yaml"
expect_err config-not-a-list 2 "$T/notlist.yaml:1: error: 'rules': expected a value or a list of values
$try" -- report --config "$T/notlist.yaml" --input $IN
printf 'fail_on: [high, low]\n' >"$T/notsingle.yaml"
expect_err config-not-single 2 "$T/notsingle.yaml:1: error: 'fail_on': expected a single value
$try" -- report --config "$T/notsingle.yaml" --rules rules/default.yaml --input $IN
expect_err config-missing 2 "$T/nope.yaml: error: cannot read config file: No such file or directory
$try" -- lint --config "$T/nope.yaml" rules/default.yaml

# --- severities in any case ---
"$IMGAUDIT" report --rules rules/default.yaml --input $IN --now $NOW --fail-on high \
  >"$T/sev-lower.out" 2>&1
run sev-option 1 "$IMGAUDIT" report --rules rules/default.yaml --input $IN --now $NOW --fail-on High
same sev-option "$T/sev-option.out" "$T/sev-lower.out"
printf 'fail_on: HIGH\n' >"$T/sev.yaml"
run sev-config 1 "$IMGAUDIT" report --config "$T/sev.yaml" --rules rules/default.yaml --input $IN --now $NOW
same sev-config "$T/sev-config.out" "$T/sev-lower.out"
run sev-new 2 "$IMGAUDIT" report --rules rules/default.yaml --input $IN --fail-on-new Severe
has sev-new "$T/sev-new.err" "--fail-on-new: 'Severe' is not a severity (info, low, medium, high, critical)"
cat >"$T/sev-rules.yaml" <<'YAML'
version: 1
rules:
  - id: HIGH-API
    title: severity as HSS writes it, in the rule and in the expression
    severity: High
    when: severity_level == "high"
YAML
run sev-rule-lint 0 "$IMGAUDIT" lint "$T/sev-rules.yaml"
eq sev-rule-lint-clean "$(cat "$T/sev-rule-lint.err")" ""
run sev-rule 0 "$IMGAUDIT" report --rules "$T/sev-rules.yaml" --input $IN --now $NOW -o "$T/sev.json" -q
"$PY" - "$T/sev.json" $IN <<'PY' && pass || fail "sev-rule: findings of a severity: High rule"
import json, sys
rep = json.load(open(sys.argv[1]))
want = sum(1 for l in open(sys.argv[2]) if l.strip() and json.loads(l).get("severity_level") == "High")
found = [f for f in rep["findings"] if f["rule_id"] == "HIGH-API"]
assert want > 0 and len(found) == want, (want, len(found))
assert {f["severity"] for f in found} == {"high"}
PY
run sev-where 0 "$IMGAUDIT" report --rules rules/default.yaml --input $IN --now $NOW \
  --where 'severity_level == "HIGH"' -o "$T/where-upper.json" -q
run sev-where-api-case 0 "$IMGAUDIT" report --rules rules/default.yaml --input $IN --now $NOW \
  --where 'severity_level == "High"' -o "$T/where-api.json" -q
"$PY" - "$T/where-upper.json" "$T/where-api.json" <<'PY' && pass || fail "sev-where: same images"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert a["summary"]["images"] == b["summary"]["images"] > 0, (a["summary"], b["summary"])
PY

# An API filter's documented value in any case is sent as the API spells it.
gen_data 30 7 "$T/data.jsonl"
start_server "$T/data.jsonl" --project-id pid1 --ak AKSET --sk SKset0123456789
export HUAWEICLOUD_SDK_AK=AKSET HUAWEICLOUD_SDK_SK=SKset0123456789
run filter-case 0 "$IMGAUDIT" fetch "${C[@]}" --filter severity_level=high -o "$T/f.jsonl" -q
has filter-case "$LOG" "severity_level=High"
lacks filter-case-lower "$LOG" "severity_level=high"

# The project list: items of `source` as {region, project_id,
# enterprise_project_id} are --source REGION/PROJECT_ID[/EPS_ID].
cat >"$T/projects.yaml" <<YAML
sources:
  - {region: cn-north-4, project_id: pid1}
  - region: cn-north-4
    project_id: pid1
    enterprise_project_id: all_granted_eps
region_endpoint: cn-north-4=$ENDPOINT
YAML
run projects-config 0 "$IMGAUDIT" fetch --config "$T/projects.yaml" -o "$T/p.jsonl" -q
run projects-cli 0 "$IMGAUDIT" fetch --source cn-north-4/pid1 --source cn-north-4/pid1/all_granted_eps \
  --region-endpoint "cn-north-4=$ENDPOINT" -o "$T/p-cli.jsonl" -q
same_records projects-config "$T/p.jsonl" "$T/p-cli.jsonl"
"$PY" - "$T/p.meta.json" <<'PY' && pass || fail "projects-config: provenance sources"
import json, sys
m = json.load(open(sys.argv[1]))
got = [(s["region"], s["project_id"], s.get("enterprise_project_id")) for s in m["sources"]]
assert got == [("cn-north-4", "pid1", None), ("cn-north-4", "pid1", "all_granted_eps")], got
PY
# --project-id (or --source) on the command line replaces the file's
# whole project list: one project pulled, not the file's two as well.
run projects-cli-over 0 "$IMGAUDIT" fetch --config "$T/projects.yaml" --region cn-north-4 \
  --project-id pid1 -o "$T/p1.jsonl" -q
"$PY" - "$T/p1.meta.json" <<'PY' && pass || fail "projects-cli-over: the file's projects were pulled too"
import json, sys
m = json.load(open(sys.argv[1]))
assert len(m.get("sources") or [m]) == 1 and m.get("project_id") == "pid1", m
PY
printf 'source:\n  - {region: cn-north-4, project: pid1}\n  - {region: cn-north-4}\n' >"$T/badproj.yaml"
expect_err projects-config-bad 2 "$T/badproj.yaml:2: error: source: unknown key 'project' (region, project_id, enterprise_project_id)
$T/badproj.yaml:3: error: source: needs region and project_id
$try" -- fetch --config "$T/badproj.yaml" -o "$T/never.jsonl"

# --- one file for report and fetch: fetch checks report's settings, uses its own ---
cat >"$T/shared.yaml" <<YAML
endpoint: $ENDPOINT
project_id: pid1
rules: [rules/default.yaml]
fail_on: info
output: $T/shared.csv
now: $NOW
YAML
run shared-fetch 0 "$IMGAUDIT" fetch --config "$T/shared.yaml" -o "$T/shared.jsonl" -q
same_records shared-fetch "$T/shared.jsonl" "$T/served.jsonl"
[[ ! -e "$T/shared.csv" ]] && pass || fail "shared-fetch: fetch wrote report's output"
# Without -o, fetch does not take the file's report output as its snapshot.
run shared-fetch-no-o 2 "$IMGAUDIT" fetch --config "$T/shared.yaml" -q
[[ ! -e "$T/shared.csv" ]] && pass || fail "shared-fetch-no-o: fetch wrote its snapshot over report's output"
run shared-report 1 "$IMGAUDIT" report --config "$T/shared.yaml" -q
has shared-report-csv "$T/shared.csv" "rule_id"
finish

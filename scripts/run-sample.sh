#!/usr/bin/env bash
# The main job: pull the complete image list, evaluate rules/default.yaml
# with the accepted risks of samples/waivers.yaml, compare with last
# week's report (samples/baseline.json: this is the second week, see
# docs/weekly.md) and write every report format into ${OUT_DIR:-out}/,
# printing the summary and the report paths, with the snapshot's
# provenance and an evidence bundle of the run (docs/evidence.md). The gate is the one CI
# wants: fail on new high findings (and on any critical one), not on
# known, accepted debt.
#
# With no credentials in the environment, the API is the fake HSS server
# of the tests (tests/server/fake_hss.py), started on 127.0.0.1 and
# seeded from samples/images.jsonl, and the evaluation time is fixed so
# the reports are reproducible. With HUAWEICLOUD_SDK_AK/SK (or
# CLOUD_SDK_AK/SK, or IMGAUDIT_AUTH_TOKEN) and HUAWEICLOUD_SDK_PROJECT_ID
# set, the same command pulls from the real region ${HSS_REGION:-cn-north-4}.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
BUILD_DIR=${BUILD_DIR:-build}
OUT_DIR=${OUT_DIR:-out}
mkdir -p "$OUT_DIR"

conn=()
week=(--waivers samples/waivers.yaml --baseline samples/baseline.json)
if [[ -n "${HUAWEICLOUD_SDK_AK:-}${CLOUD_SDK_AK:-}${IMGAUDIT_AUTH_TOKEN:-}" ]]; then
  conn=(--region "${HSS_REGION:-cn-north-4}")
  echo "run-sample: pulling from region ${HSS_REGION:-cn-north-4}" >&2
  # The samples' waivers and baseline describe the sample tenant, not yours.
  week=()
  [[ -n "${WAIVERS:-}" ]] && week+=(--waivers "$WAIVERS")
  [[ -n "${BASELINE:-}" ]] && week+=(--baseline "$BASELINE")
else
  tmp=$(mktemp -d)
  python3 tests/server/fake_hss.py --data samples/images.jsonl --port-file "$tmp/port" \
    --ak SAMPLE-AK --sk SAMPLE-SK --project-id sample-project --latency 30 \
    >"$tmp/server.log" 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null; rm -rf "$tmp"' EXIT
  for _ in $(seq 100); do [[ -s "$tmp/port" ]] && break; sleep 0.1; done
  export HUAWEICLOUD_SDK_AK=SAMPLE-AK HUAWEICLOUD_SDK_SK=SAMPLE-SK
  conn=(--endpoint "http://127.0.0.1:$(cat "$tmp/port")" --project-id sample-project
        --page-size 20 --now 2026-11-27T08:00:00Z)
  echo "run-sample: no credentials set; pulling samples/images.jsonl from a local fake HSS server" >&2
fi

set +e
"$BUILD_DIR"/imgaudit report "${conn[@]}" --rules rules/default.yaml "${week[@]}" \
  --fail-on-new high --fail-on critical \
  --save-snapshot "$OUT_DIR"/snapshot.jsonl --evidence-dir "$OUT_DIR"/evidence \
  -o "$OUT_DIR"/report.csv -o "$OUT_DIR"/report.xlsx \
  -o "$OUT_DIR"/report.html -o "$OUT_DIR"/report.json \
  -o "$OUT_DIR"/report.sarif -o "$OUT_DIR"/report.junit.xml
rc=$?
set -e
echo "exit code: $rc (0 = gate passed, 1 = a new open finding at or above high, or an open critical one: the gate failed)"
[[ $rc -le 1 ]]

#!/usr/bin/env bash
# docs/scale-out.md, run as written (issue 9, "Beyond one machine"): its
# blocks marked <!-- scale-out: NAME --> are extracted, never copied, and
# - the xargs -P pipeline runs against one fake HSS server per project
#   (different data), one of which keeps failing; the merged report's
#   per-project counts and the exit codes (3: a project missing, 1: the
#   gate failed anyway, 0: all there and passing, 3: one report
#   INCOMPLETE) are checked;
# - both Kubernetes manifests parse, and the commands of the indexed
#   Job's pods (every completion index) and of the merge container run
#   locally, with /config and /reports mapped to directories, giving the
#   same organisation report.
. "$(dirname "$0")/../server/fetch-lib.sh"
export HUAWEICLOUD_SDK_AK=AKSCALE HUAWEICLOUD_SDK_SK=SKscale0123456789
DOC=docs/scale-out.md

# ---- the blocks of the page ----
mkdir -p "$T/doc"
"$PY" - "$DOC" "$T/doc" <<'PYEOF' && pass || fail "could not extract the blocks of $DOC"
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
blocks = re.findall(r"<!-- scale-out: (\S+) -->\n```[a-z]*\n(.*?)```\n", text, re.S)
want = {"projects.txt", "audit-project.sh", "merge-reports.sh", "pipeline.sh",
        "projects-job.yaml", "cronjob.yaml"}
names = [n for n, _ in blocks]
if sorted(names) != sorted(want):
    sys.exit("blocks found: %s" % names)
for name, body in blocks:
    open("%s/%s" % (sys.argv[2], name), "w", encoding="utf-8").write(body)
PYEOF

# imgaudit as the scripts call it: by name, on PATH.
mkdir -p "$T/bin"
ln -s "$IMGAUDIT" "$T/bin/imgaudit"
export PATH="$T/bin:$PATH"
unset IMGAUDIT_RULES IMGAUDIT_FAIL_ON

# The scripts are POSIX sh (sh is dash on Debian).
for s in audit-project.sh merge-reports.sh pipeline.sh; do
  if sh -n "$T/doc/$s"; then pass; else fail "$s: not valid sh"; fi
done
# The documented list is in the format the scripts read.
"$PY" - "$T/doc/projects.txt" <<'PYEOF' && pass || fail "projects.txt: not name + options"
import re, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip() and not l.startswith("#")]
ok = rows and all(re.fullmatch(r"[A-Za-z0-9._-]+", r[0]) and "--project-id" in r for r in rows)
sys.exit(0 if ok else 1)
PYEOF

# ---- one fake server per project, different data ----
PIDS=()
trap 'for p in "${PIDS[@]}"; do reap_server "$p"; done; rm -rf "$T"' EXIT
# serve NAME COUNT SEED [fake_hss.py options]: sets PORT_<NAME>.
serve() {
  local name=$1 count=$2 seed=$3
  shift 3
  gen_data "$count" "$seed" "$T/$name.jsonl"
  spawn_server "$T/$name.port" "$T/$name.out" --data "$T/$name.jsonl" --project-id "pid-$name" \
    --ak AKSCALE --sk SKscale0123456789 --log "$T/$name.log" "$@"
  PIDS+=("$SPAWNED_PID")
  printf -v "PORT_${name//-/_}" '%s' "$SPAWNED_PORT"
}
serve proj-a 150 21
serve proj-b 420 22
serve proj-c 260 23
serve proj-down 100 24 --faults '{"always": "503"}'
# total_num is 5 more than the records, on every page: never adds up.
serve proj-drift 80 25 --faults '{"drift": {"after": 0, "count": -1, "delta": 5}}'

cat >"$T/rules.yaml" <<'YAML'
version: 1
rules:
  - id: T-VULNS
    title: Image has known vulnerabilities
    severity: medium
    when: vul_num > 0
    message: "{image_name}:{image_version} has {vul_num} vulnerabilities"
YAML

# A working directory as the page describes: the list, the rules, the
# scripts. The failing project gets a short retry budget.
# workdir DIR PROJECT...: the list holds these projects, in this order.
workdir() {
  local dir=$1 p port
  shift
  mkdir -p "$dir"
  cp "$T/doc/audit-project.sh" "$T/doc/merge-reports.sh" "$T/doc/pipeline.sh" "$dir/"
  cp "$T/rules.yaml" "$dir/rules.yaml"
  {
    echo "# test projects: name, then the options that select it"
    echo ""
    for p in "$@"; do
      port=PORT_${p//-/_}
      printf '%s --endpoint http://127.0.0.1:%s --project-id pid-%s%s\n' "$p" "${!port}" "$p" \
        "$([[ $p == proj-down ]] && echo " --retry-max-time 2")"
    done
  } >"$dir/projects.txt"
}

# What each project's report must say, from its data alone.
for p in proj-a proj-b proj-c; do
  "$IMGAUDIT" report --input "$T/$p.jsonl" --rules "$T/rules.yaml" -q -o "$T/$p.expect.json" ||
    fail "$p: the reference report failed"
done

# check_org NAME ORG_JSON: one source per reachable project, with its counts.
check_org() {
  "$PY" - "$2" "$T" <<'PYEOF' && pass || fail "$1: the merged report's per-project counts"
import json, sys
org = json.load(open(sys.argv[1]))
T = sys.argv[2]
got = {s["project_id"]: s for s in org["sources"]}
ok = sorted(got) == ["pid-proj-a", "pid-proj-b", "pid-proj-c"]
for p in ("proj-a", "proj-b", "proj-c"):
    want = json.load(open("%s/%s.expect.json" % (T, p)))["summary"]
    s = got.get("pid-" + p, {})
    served = sum(1 for l in open("%s/%s.jsonl" % (T, p)) if l.strip())
    row = (s.get("images"), s.get("findings"), s.get("complete"))
    exp = (served, want["findings"], True)
    print("%s: %s, expected %s" % (p, row, exp))
    ok = ok and row == exp and want["findings"] > 0
ok = ok and org["summary"]["findings"] == sum(s["findings"] for s in org["sources"])
sys.exit(0 if ok else 1)
PYEOF
}

# ---- xargs -P: one project keeps failing ----
workdir "$T/w1" proj-a proj-b proj-down proj-c
cd "$T/w1" && run down 3 sh ./pipeline.sh; cd "$SRCDIR"
run1=$(ls -d "$T"/w1/reports/*/)
sed 's/^/    down: /' "$T/down.err"
has down-named "$T/down.err" "merge-reports: proj-down: no report: imgaudit: error: GET /v5/pid-proj-down/image/registries/images?limit=200&offset=0: giving up after "
has down-budget "$T/down.err" "(--retry-max-time 2 s): HTTP 503 HSS.0503: Service temporarily unavailable"
has down-script "$T/down.err" "audit-project: proj-down: exit 3: imgaudit: error: GET /v5/pid-proj-down/"
has down-incomplete "$T/down.err" "merge-reports: INCOMPLETE: 1 project(s) missing from the org report"
for f in org.json org.html org.xlsx proj-a.json proj-b.json proj-c.json; do
  if [[ -s "$run1/$f" ]]; then pass; else fail "down: $f not written"; fi
done
if [[ ! -e "$run1/proj-down.json" ]]; then pass; else fail "down: proj-down.json written"; fi
check_org down "$run1/org.json"
# Four projects ran, each against its own server, at once.
for p in proj-a proj-b proj-c proj-down; do
  n=$("$PY" -c 'import sys; print(sum(1 for _ in open(sys.argv[1])))' "$T/$p.log")
  if [[ $n -ge 1 ]]; then pass; else fail "$p: its server saw no request"; fi
done

# ---- the gate fails: 1 wins over a missing project ----
workdir "$T/w2" proj-a proj-b proj-down proj-c
cd "$T/w2" && IMGAUDIT_FAIL_ON=medium run gate 1 sh ./pipeline.sh; cd "$SRCDIR"
has gate-missing "$T/gate.err" "merge-reports: proj-down: no report:"
lacks gate-not-incomplete "$T/gate.err" "merge-reports: INCOMPLETE"

# ---- every project there: the merge's own verdict ----
workdir "$T/w3" proj-a proj-b proj-c
cd "$T/w3" && run all 0 sh ./pipeline.sh; cd "$SRCDIR"
run3=$(ls -d "$T"/w3/reports/*/)
check_org all "$run3/org.json"
lacks all-nothing-missing "$T/all.err" "merge-reports:"

# ---- one report INCOMPLETE: the merged report says so, exit 3 ----
workdir "$T/w4" proj-a proj-drift
cd "$T/w4" && run drift 3 sh ./pipeline.sh; cd "$SRCDIR"
run4=$(ls -d "$T"/w4/reports/*/)
has drift-project "$T/drift.err" "audit-project: proj-drift: exit 3: "
lacks drift-not-missing "$T/drift.err" "merge-reports:"
"$PY" - "$run4/org.json" <<'PYEOF' && pass || fail "drift: the merged report is not INCOMPLETE"
import json, sys
org = json.load(open(sys.argv[1]))
rows = {s["project_id"]: (s["complete"], s["records_received"], s["expected_records"])
        for s in org["sources"]}
print("drift:", rows, org["meta"]["complete"])
sys.exit(0 if org["meta"]["complete"] is False and rows == {
    "pid-proj-a": (True, 150, None), "pid-proj-drift": (False, 80, 85)} else 1)
PYEOF

# ---- Kubernetes: the manifests parse; their pods' commands run ----
mkdir -p "$T/k8s/config" "$T/k8s/reports"
cp "$T/w1/projects.txt" "$T/w1/rules.yaml" "$T/doc/audit-project.sh" "$T/doc/merge-reports.sh" \
  "$T/doc/projects-job.yaml" "$T/k8s/config/"
"$PY" - "$T/doc" "$T/k8s" <<'PYEOF' && pass || fail "k8s: the manifests"
import json, sys, yaml
doc, k8s = sys.argv[1], sys.argv[2]
job = yaml.safe_load(open(doc + "/projects-job.yaml").read()
                     .replace("@RUN@", "imgaudit-weekly-1").replace("@COUNT@", "4"))
docs = list(yaml.safe_load_all(open(doc + "/cronjob.yaml")))
kinds = [d["kind"] for d in docs]
assert kinds == ["ServiceAccount", "Role", "RoleBinding", "CronJob"], kinds
cron = docs[3]["spec"]["jobTemplate"]["spec"]["template"]["spec"]
assert job["spec"]["completionMode"] == "Indexed" and job["spec"]["completions"] == 4
pod = job["spec"]["template"]["spec"]
audit = pod["containers"][0]
assert audit["envFrom"] == [{"secretRef": {"name": "hss-credentials"}}]
merge = cron["containers"][0]
init = cron["initContainers"][0]["command"][2]
assert "projects-job.yaml" in init and "kubectl wait" in init
def local(cmd):   # the pods' paths, mapped to the test's directories
    return cmd.replace("/reports", k8s + "/reports").replace("/config", k8s + "/config")
env = {e["name"]: e.get("value") for e in merge["env"]}
open(k8s + "/audit.sh", "w").write(local(audit["command"][2]))
open(k8s + "/merge.sh", "w").write(local(merge["command"][2]))
open(k8s + "/merge.fail-on", "w").write(env["IMGAUDIT_FAIL_ON"])
assert audit["workingDir"] == merge["workingDir"] == "/config"
PYEOF
n=$(grep -c '^[^#]' "$T/k8s/config/projects.txt")
eq k8s-count "$n" 4
for i in $(seq 0 $((n - 1))); do
  cd "$T/k8s/config" && JOB_COMPLETION_INDEX=$i run "k8s-index-$i" 0 sh "$T/k8s/audit.sh"
  cd "$SRCDIR"
done
cd "$T/k8s/config" && IMGAUDIT_FAIL_ON=$(cat "$T/k8s/merge.fail-on") RUN=imgaudit-weekly-1 \
  run k8s-merge 3 sh "$T/k8s/merge.sh"
cd "$SRCDIR"
has k8s-merge-missing "$T/k8s-merge.err" "merge-reports: proj-down: no report: imgaudit: error: GET /v5/pid-proj-down/"
check_org k8s "$T/k8s/reports/imgaudit-weekly-1/org.json"

finish

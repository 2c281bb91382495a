#!/usr/bin/env bash
# The HTML report at scale (issue 11's budget): its size per finding and
# how soon headless Chromium makes it interactive.
#   bench/html-bench.sh [IMAGES] [RUNS]     (default: 100000 images, 5 runs)
#
# Data: tests/tools/gen_images.py --count IMAGES --seed 7, evaluated with
# rules/default.yaml and bench/html-bench-rules.yaml (about three findings
# per image: 100,000 images give about 300,000 findings).
#
# Size: the marginal cost of a finding, from two reports of the same
# kind (IMAGES and IMAGES/2 images, both past --html-max-findings, so
# both carry the same fixed part: template, summary, rules and the 5,000
# rows for readers without scripts):
#   (bytes(IMAGES) - bytes(IMAGES/2)) / (findings(IMAGES) - findings(IMAGES/2))
# and, for reference, the whole file divided by its findings.
#
# Time: headless Chromium driven over the DevTools pipe
# (tests/tools/chromium_cdp.py), a fresh profile per run. The page's
# script writes performance.now() (milliseconds since the navigation
# started) into <html> attributes: data-start-ms when it starts (the
# document parsed), data-parse-ms for its JSON.parse, data-ready-ms
# when the first page of the findings view is in the document and laid
# out (the page answers input from then on), data-painted-ms after the
# next frame. Also the navigation timing (responseEnd: the file read and
# parsed), and the time of a few actions, each up to its next frame.
# Reported: the best and the median of RUNS.
#
# The machine is shared and noisy: compare within one run of this
# script. Needs a build in ${BUILD_DIR:-build} and /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
bin=$BUILD_DIR/imgaudit
images=${1:-100000}
runs=${2:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rules=(--rules rules/default.yaml --rules bench/html-bench-rules.yaml)
now=(--now 2026-11-27T08:00:00Z)

for n in "$images" $((images / 2)); do
  python3 tests/tools/gen_images.py --count "$n" --seed 7 -o "$tmp/in-$n.jsonl"
  /usr/bin/time -f "%e %M" -o "$tmp/time-$n" "$bin" report --input "$tmp/in-$n.jsonl" \
    "${now[@]}" "${rules[@]}" -o "$tmp/r-$n.html" -q || [[ $? == 1 ]]
done

python3 - "$tmp" "$images" "$runs" <<'PY'
import json, os, re, statistics, sys
sys.path.insert(0, "tests/tools")
from chromium_cdp import Browser

tmp, n, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def findings(path):
    with open(path, "rb") as f:
        head = f.read()
    return int(re.search(rb'"findings":(\d+),"findings_shown"', head).group(1))
big, half = f"{tmp}/r-{n}.html", f"{tmp}/r-{n // 2}.html"
fb, fh = findings(big), findings(half)
sb, sh = os.path.getsize(big), os.path.getsize(half)
secs, rss = open(f"{tmp}/time-{n}").read().split()
print(f"images {n:,}: {fb:,} findings; report written in {float(secs):.1f} s, peak RSS "
      f"{int(rss) // 1024} MB")
print(f"file: {sb:,} bytes ({sb / 2**20:.1f} MiB), {sb / fb:.0f} bytes per finding overall")
print(f"      {sh:,} bytes for {fh:,} findings ({n // 2:,} images)")
print(f"      marginal: {(sb - sh) / (fb - fh):.0f} bytes per finding (budget: 250)")

ACTIONS = [
    ("view by image", "document.getElementById('tab-image').click()"),
    ("view by rule", "document.getElementById('tab-rule').click()"),
    ("view by finding", "document.getElementById('tab-finding').click()"),
    ("filter severity", "var s = document.getElementById('sevfilter'); s.value = 'high';"
                        " s.dispatchEvent(new Event('change'))"),
    ("next page", "document.querySelector('.pager [data-page]:not([disabled])').click()"),
    ("sort by vulns", "document.querySelector('th[data-sort=vul_num]').click()"),
    ("search (+250ms wait)", "var q = document.getElementById('filter'); q.value = 'payments';"
                       " q.dispatchEvent(new Event('input')); await new Promise(r => setTimeout(r, 300))"),
]
MARKS = ["responseEnd", "start", "parse", "ready", "painted"]
res = {k: [] for k in MARKS + [a for a, _ in ACTIONS]}
for _ in range(runs):
    b = Browser(1280, 900, timeout=300)
    try:
        b.open("file://" + os.path.abspath(big))
        m = b.eval("""new Promise(done => {
            const get = () => {
              const h = document.documentElement, a = k => +h.getAttribute('data-' + k + '-ms');
              if (!h.hasAttribute('data-painted-ms')) return setTimeout(get, 20);
              done({responseEnd: performance.getEntriesByType('navigation')[0].responseEnd,
                    start: a('start'), parse: a('parse'), ready: a('ready'), painted: a('painted')});
            };
            get();
        })""")
        for k in MARKS:
            res[k].append(m[k])
        for name, js in ACTIONS:
            # Synchronous work and layout, then the next frame.
            t = b.eval("(async () => { const t0 = performance.now(); {" + js + "}"
                       " void document.body.offsetHeight;"
                       " await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));"
                       " return performance.now() - t0; })()")
            res[name].append(t)
    finally:
        b.close()
print(f"\nChromium, {runs} runs (ms since navigation start; actions: ms each)")
print(f"{'':22} {'best':>8} {'median':>8}")
labels = {"responseEnd": "file read and parsed", "start": "script starts", "parse": "JSON.parse (its own)",
          "ready": "interactive", "painted": "painted"}
for k, v in res.items():
    print(f"{labels.get(k, k):22} {min(v):8.0f} {statistics.median(v):8.0f}")
PY

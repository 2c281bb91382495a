#!/usr/bin/env bash
# Regenerate the blocks of docs/imgaudit.md that come from the program
# itself: --help and `help COMMAND` between <!-- help:NAME --> and
# <!-- /help:NAME --> markers, and the config-file keys (from the key
# column of src/cli/options.def) between <!-- config-keys --> and
# <!-- /config-keys -->. tests/cli/docs-sync.sh fails when the
# committed file differs from what this script would write.
#   scripts/update-docs.sh [IMGAUDIT] [OUTPUT]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/imgaudit}
out=${2:-docs/imgaudit.md}
tmp=$(mktemp)
/usr/bin/env python3 - "$bin" docs/imgaudit.md "$tmp" <<'PY'
import re, subprocess, sys
binary, src, dst = sys.argv[1:4]
text = open(src, encoding="utf-8").read()
def block(m):
    name = m.group(1)
    args = ["--help"] if name == "main" else ["help", name]
    out = subprocess.run([binary] + args, capture_output=True, text=True, check=True).stdout
    return f"<!-- help:{name} -->\n```text\n{out}```\n<!-- /help:{name} -->"
text = re.sub(r"<!-- help:(\w+) -->.*?<!-- /help:\1 -->", block, text, flags=re.S)
# OPT(name, short, kind, field, commands, metavar, help, key)
opt = re.compile(r'^OPT\("([a-z-]+)", (?:\'.\'|0), (ARG_\w+), \w+, [^"]*?"([^"]*)",\n'
                 r'.*?,\n\s*(NULL|"[a-z_]+")\)$', re.M | re.S)
rows = ["| key | option | value |", "|---|---|---|"]
for name, kind, metavar, key in opt.findall(open("src/cli/options.def", encoding="utf-8").read()):
    if key == "NULL":
        continue
    value = {"ARG_FLAG": "true or false", "ARG_LIST": f"{metavar}, or a list of them"}.get(kind, metavar)
    rows.append(f"| `{key.strip(chr(34))}` | `--{name}` | {value} |")
keys = "\n".join(rows)
text = re.sub(r"<!-- config-keys -->.*?<!-- /config-keys -->",
              lambda m: f"<!-- config-keys -->\n{keys}\n<!-- /config-keys -->", text, flags=re.S)
open(dst, "w", encoding="utf-8").write(text)
PY
mv "$tmp" "$out"

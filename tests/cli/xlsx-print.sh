#!/usr/bin/env bash
# The XLSX report as it prints: exported to PDF by LibreOffice (not only
# read by openpyxl) and read back with pdftotext, page by page. Every
# page is landscape with its sheet and page number in the footer; the
# Findings pages repeat the header row and carry the reader's columns
# (severity to change), not twenty columns shrunk to one page width; the
# Summary never leaves a section heading alone at the bottom of a page;
# the Rules and Waivers continue on later pages starting with their id.
# Issue 11. (scripts/setup.sh --test installs libreoffice-calc,
# poppler-utils and fonts-crosextra-carlito, Calibri's metric twin.)
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
for tool in soffice pdftotext pdfinfo; do
  command -v $tool >/dev/null || { fail "$tool is missing: run scripts/setup.sh --test"; finish; exit; }
done

run weekly 1 "$IMGAUDIT" report --rules rules/default.yaml --waivers samples/waivers.yaml \
  --input samples/images.jsonl --now 2026-11-27T08:00:00Z --baseline samples/baseline.json \
  --fail-on-new high --fail-on critical -o "$T/weekly.xlsx" --quiet
# A profile of its own: tests run in parallel, and a second soffice
# sharing the user's profile would hand its work to the first one.
timeout 300 soffice -env:UserInstallation="file://$T/lo-profile" --headless \
  --convert-to pdf --outdir "$T" "$T/weekly.xlsx" >"$T/soffice.log" 2>&1
if [[ -s "$T/weekly.pdf" ]]; then pass; else fail "no PDF from LibreOffice"; cat "$T/soffice.log" >&2; finish; exit; fi

if $PY - "$T/weekly.pdf" >"$T/pages.out" 2>&1 <<'PYEOF'
import re, subprocess, sys
pdf = sys.argv[1]
info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", pdf], capture_output=True, text=True).stdout
n = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info, re.M)
fails = []
def expect(cond, msg):
    if not cond:
        fails.append(msg)
expect(len(sizes) == n and all(float(w) > float(h) for w, h in sizes), "a page is not landscape")

SECTIONS = ["Findings by severity", "Status and changes since the baseline", "Top rules",
            "Top namespaces", "Metadata"]
sheets = {}
for p in range(1, n + 1):
    text = subprocess.run(["pdftotext", "-layout", "-f", str(p), "-l", str(p), pdf, "-"],
                          capture_output=True, text=True).stdout
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    foot = re.match(r"(.+?)\s+Page (\d+) of (\d+)$", lines[-1]) if lines else None
    expect(foot and int(foot.group(2)) == p and int(foot.group(3)) == n,
           f"page {p}: no footer with the sheet and 'Page {p} of {n}'")
    if not foot:
        continue
    sheet, body = foot.group(1), lines[:-1]
    sheets.setdefault(sheet, []).append(body)
    if sheet == "Summary":
        # The last line of a page is never a heading: its section moved on.
        expect(body and body[-1] not in SECTIONS, f"page {p}: '{body[-1]}' alone at the bottom")
        for i, l in enumerate(body):
            if l in SECTIONS[:4]:
                expect(i + 1 < len(body), f"page {p}: nothing after '{l}'")
    if sheet in ("Findings", "Changes") and body and not body[0].startswith("No "):
        expect(re.match(r"severity\s+rule_id\s+namespace\s+image_name\s+image_version\s+message\s+"
                        r"remediation\s+status\s+change$", body[0]),
               f"page {p} ({sheet}): header row is '{body[0]}'")
        expect(not any("rule_title" in l or "first_seen" in l for l in body),
               f"page {p} ({sheet}): prints more than the reader's columns")
    if sheet in ("Rules", "Waivers"):
        expect(body and body[0].split()[0] == "id", f"page {p} ({sheet}): does not start with id")
expect(len(sheets.get("Summary", [])) == 3, f"Summary: {len(sheets.get('Summary', []))} pages, want 3")
expect(sheets["Summary"][0][0] == "Container image audit", "Summary: title not first")
# Two sections a page (a chart's title may repeat its section's name).
expect([sorted({l for l in pg if l in SECTIONS}) for pg in sheets["Summary"]]
       == [["Metadata"], ["Findings by severity", "Status and changes since the baseline"],
           ["Top namespaces", "Top rules"]],
       f"Summary sections by page: {[[l for l in pg if l in SECTIONS] for pg in sheets['Summary']]}")
for name, want in (("Findings", 10), ("Images with findings", 2), ("Rules", 2), ("Waivers", 2),
                   ("Data quality", 1)):
    expect(len(sheets.get(name, [])) >= want, f"{name}: {len(sheets.get(name, []))} pages")
# Rules: the first page holds id to remediation; the second starts with
# the id again, then the tags and the expression.
expect(re.match(r"id\s+title\s+severity\s+description\s+remediation$", sheets["Rules"][0][0]),
       f"Rules header {sheets['Rules'][0][0]!r}")
expect(re.match(r"id\s+tags\s+expression\s+file\s+findings\s+unknown\s+regex_disabled$", sheets["Rules"][1][0]),
       f"Rules page 2 header {sheets['Rules'][1][0]!r}")
print("\n".join(f"{k}: {len(v)} pages" for k, v in sheets.items()))
for f in fails:
    print("FAIL:", f)
sys.exit(1 if fails else 0)
PYEOF
then pass; else fail "printed pages"; sed 's/^/    /' "$T/pages.out" >&2; fi
finish

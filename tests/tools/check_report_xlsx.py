#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Read an imgaudit XLSX report back with an independent reader
(Debian's python3-openpyxl) and check it against the JSON report of the
same run. Usage:
  check_report_xlsx.py XLSX JSON [--hostile JSONL] [--max-rows N]
--hostile: every finding's text cells must equal the input record's
  value exactly (stored as text, never a formula);
--max-rows: the sheet row limit the run used (IMGAUDIT_XLSX_MAX_ROWS),
  so Findings and Inventory must continue on "Findings (2)" etc."""
import argparse
import datetime
import json
import re
import sys
import zipfile

import openpyxl

FINDING_COLUMNS = [
    "severity", "rule_id", "namespace", "image_name", "image_version", "message",
    "remediation", "status", "change", "rule_title", "first_seen", "age_days",
    "image_digest", "image_id", "registry_name", "registry_type", "image_type",
    "severity_level", "vul_num", "malicious_file_num", "unsafe_setting_num", "scan_status",
    "latest_scan_time", "waiver_id", "waiver_reason", "waiver_owner", "waiver_expires", "id",
    "project_id", "region",
]
# Printed: the columns a reader needs first, severity to change (A:I).
FINDINGS_PRINTED = FINDING_COLUMNS.index("change") + 1
SEVERITIES = ["info", "low", "medium", "high", "critical"]
SECTIONS = {"Findings by severity", "Status and changes since the baseline", "Top rules",
            "Top namespaces"}
NUMBERS = {"vul_num", "malicious_file_num", "unsafe_setting_num", "id"}


def parts(wb, base):
    names = [n for n in wb.sheetnames if n == base or re.fullmatch(re.escape(base) + r" \(\d+\)", n)]
    return [wb[n] for n in names]


def data_rows(sheets):
    for ws in sheets:
        yield from ws.iter_rows(min_row=2)


def expect(cond, msg):
    if not cond:
        raise AssertionError(msg)


def check_heights(ws, wrapped, what):
    """Rows whose wrapped text ('wrapped': column index -> width) needs
    several lines are tall enough for them, and not absurdly taller; a
    row of short text keeps the default height. A line holds at most
    about 1.5 characters per unit of width (narrow letters) and at least
    0.6 (capitals and wide letters)."""
    for row in ws.iter_rows(min_row=2):
        texts = [(row[c].value, w) for c, w in wrapped.items()
                 if c < len(row) and isinstance(row[c].value, str)]
        if not texts:
            continue
        need = max(sum(-(-len(part) // int(w * 1.5)) or 1 for part in t.strip().split("\n"))
                   for t, w in texts)
        most = max(sum(-(-len(part) // int(w * 0.6)) or 1 for part in t.strip().split("\n"))
                   for t, w in texts)
        h = ws.row_dimensions[row[0].row].height
        need = min(need, 27)            # Excel's tallest row, 409 points
        if need > 1:
            expect(h is not None and h >= 15 * need,
                   f"{what} row {row[0].row}: height {h} for {need}+ lines of text")
        if h is not None:
            expect(h <= 15 * most + 2, f"{what} row {row[0].row}: height {h}, text needs at most {most} lines")


def check_print(ws, printed=None, keep=None):
    """Print setup: landscape, the header row on every page, a legible
    scale rather than "fit to one page wide", and either a print area of
    the first 'printed' columns or page breaks between columns with the
    'keep' columns repeated on every page."""
    expect(ws.page_setup.orientation == "landscape", f"{ws.title}: not landscape")
    expect(ws.print_title_rows == "$1:$1", f"{ws.title}: header row not repeated ({ws.print_title_rows})")
    fit = ws.sheet_properties.pageSetUpPr
    expect(not (fit and fit.fitToPage), f"{ws.title}: fit to page")
    expect(70 <= int(ws.page_setup.scale or 100) <= 100, f"{ws.title}: print scale {ws.page_setup.scale}")
    if printed:
        last = openpyxl.utils.get_column_letter(printed)
        area = ws.print_area[0] if isinstance(ws.print_area, list) else ws.print_area
        expect(area and re.fullmatch(rf"('?{re.escape(ws.title)}'?!)?\$A\$1:\${last}\$\d+", area),
               f"{ws.title}: print area {ws.print_area}, want A:{last}")
    if keep:
        expect(ws.print_title_cols == keep, f"{ws.title}: repeated columns {ws.print_title_cols}")
        expect(len(ws.col_breaks.brk) > 0, f"{ws.title}: no page breaks between columns")


def check_summary(summ, rep):
    """The Summary's metadata is typed (numbers as numbers, times as
    dates), it prints at a legible scale, and each page break comes just
    before a section heading (a heading is never last on a page)."""
    meta = {}
    for row in summ.iter_rows(min_row=2, max_col=2):
        if row[0].value and row[0].value not in meta:
            meta[row[0].value] = row[1]
    m = rep["meta"]

    def number(label, want):
        c = meta.get(label)
        expect(c is not None and c.data_type == "n" and not isinstance(c.value, datetime.datetime)
               and c.value == want, f"Summary {label}: {c.value if c else None!r} != {want}")

    def when(label, iso):
        c = meta.get(label)
        expect(c is not None and isinstance(c.value, datetime.datetime)
               and iso.startswith(c.value.strftime("%Y-%m-%dT%H:%M:%S")),
               f"Summary {label}: {c.value if c else None!r} != {iso}")

    when("Generated at", m["generated_at"])
    when("Evaluated as of", m["now"])
    number("Records received", m["source"]["records_received"])
    number("Images evaluated", rep["summary"]["images"])
    if m["source"].get("total_num") is not None:
        number("Declared total (total_num)", m["source"]["total_num"])
    if m["source"].get("pages"):
        number("Pages", m["source"]["pages"])
        number("Retries", m["source"]["retries"])
    if not m["complete"]:
        number("Records expected", m["expected_records"])
    if rep["waivers"]:
        number("Warn when a waiver expires within", m["warn_expiring_days"])
        expect("days" in meta["Warn when a waiver expires within"].number_format, "days format")
    if m["baseline"]:
        number("Baseline findings", m["baseline"]["findings"])
        when("Baseline evaluated as of", m["baseline"]["now"])
    for label, c in meta.items():
        expect(not (isinstance(c.value, str) and re.fullmatch(r"[\d,]+", c.value)),
               f"Summary {label}: the number {c.value!r} is stored as text")
    expect(summ.page_setup.orientation == "landscape", "Summary not landscape")
    expect(70 <= int(summ.page_setup.scale or 100) <= 100, f"Summary print scale {summ.page_setup.scale}")
    for brk in summ.row_breaks.brk:
        expect(summ.cell(row=brk.id + 1, column=1).value in SECTIONS,
               f"Summary page break before row {brk.id + 1}, not before a section heading")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("xlsx")
    ap.add_argument("json")
    ap.add_argument("--hostile")
    ap.add_argument("--max-rows", type=int, default=1048576)
    a = ap.parse_args()
    rep = json.load(open(a.json, encoding="utf-8"))
    wb = openpyxl.load_workbook(a.xlsx)
    n_find, n_img = len(rep["findings"]), len(rep["inventory"])
    per = a.max_rows - 1

    # Sheet names, in tab order.
    fparts = max(1, -(-n_find // per))
    iparts = max(1, -(-n_img // per))
    # Changes: the new findings and the resolved ones, only with a baseline.
    n_chg = (rep["summary"]["new"]["total"] + len(rep["resolved"])) if rep["meta"]["baseline"] else 0
    cparts = max(1, -(-n_chg // per))
    n_iwf = rep["summary"]["images_with_findings"]
    wparts = max(1, -(-n_iwf // per))
    projects = ["Projects"] if rep.get("sources") else []
    want = (["Summary"] + projects + ["Findings" + (f" ({i + 1})" if i else "") for i in range(fparts)]
            + ["Images with findings" + (f" ({i + 1})" if i else "") for i in range(wparts)]
            + ["Changes" + (f" ({i + 1})" if i else "") for i in range(cparts)] + ["Waivers"]
            + ["Inventory" + (f" ({i + 1})" if i else "") for i in range(iparts)]
            + ["Rules", "Data quality"])
    expect(wb.sheetnames == want, f"sheets {wb.sheetnames} != {want}")

    # A merged report: one Projects row per source, as in the JSON.
    if projects:
        pr = list(wb["Projects"].iter_rows(values_only=True))
        expect(len(pr) - 1 == len(rep["sources"]), f"{len(pr) - 1} Projects rows")
        for row, src in zip(pr[1:], rep["sources"]):
            expect((row[0], row[1], row[4], row[6], row[7], row[13], row[14])
                   == (src["project_id"], src["region"], src["images"], src["findings"],
                       src["open"]["total"], src["waived"], src["complete"]), f"Projects row {row}")

    # Summary: charts, verdict, the continuation note.
    summ = wb["Summary"]
    # severity, status and changes, and (with findings) top rules and namespaces
    expect(len(summ._charts) == (4 if n_find else 2), f"{len(summ._charts)} charts on Summary")
    cells = {c.value for row in summ.iter_rows() for c in row if isinstance(c.value, str)}
    verdict = rep["meta"]["gate"]["verdict"]
    expect(any(v.startswith({"fail": "FAIL", "pass": "PASS", "none": "no gate",
                             "incomplete": "INCOMPLETE"}[verdict]) for v in cells),
           "gate verdict not on Summary")
    check_summary(summ, rep)
    if fparts > 1:
        expect(any("continued on" in v and f"Findings ({fparts})" in v for v in cells),
               "Summary does not say where the findings continue")
    if not rep["meta"]["complete"]:
        expect("INCOMPLETE" in cells, "no INCOMPLETE marker")

    # Findings: header, frozen, filtered, row count, cell types.
    fs = parts(wb, "Findings")
    for ws in fs:
        expect([c.value for c in ws[1]] == FINDING_COLUMNS, f"{ws.title} header")
        expect(all(c.font.b for c in ws[1]), f"{ws.title} header not bold")
        expect(ws.freeze_panes == "A2", f"{ws.title} not frozen")
        last = openpyxl.utils.get_column_letter(len(FINDING_COLUMNS))
        expect(ws.auto_filter.ref and ws.auto_filter.ref.startswith(f"A1:{last}"), f"{ws.title} autofilter")
        expect(ws.max_row - 1 <= per, f"{ws.title} over the row limit")
        check_print(ws, printed=FINDINGS_PRINTED)
        check_heights(ws, {FINDING_COLUMNS.index(n): w for n, w in
                           (("message", 32), ("remediation", 38), ("rule_title", 30),
                            ("waiver_reason", 36))}, ws.title)
    rows = list(data_rows(fs)) if n_find else []
    expect(len(rows) == n_find, f"{len(rows)} finding rows, JSON has {n_find}")
    col = {name: i for i, name in enumerate(FINDING_COLUMNS)}
    for row, f in zip(rows, rep["findings"]):
        img = rep["inventory"][f["image_index"]]
        expect(row[col["rule_id"]].value == f["rule_id"], "rule_id order")
        expect(row[col["severity"]].fill.fgColor.rgb not in (None, "00000000"), "severity not coloured")
        for name in NUMBERS:
            c = row[col[name]]
            if img[name] is None:
                expect(c.value is None, f"{name} should be blank")
            else:
                expect(c.data_type == "n" and c.value == img[name], f"{name}: {c.value!r} ({c.data_type})")
        t = row[col["latest_scan_time"]]
        if img["latest_scan_time"] is None:
            expect(t.value is None, "missing time should be blank")
        else:
            expect(isinstance(t.value, datetime.datetime), f"time cell is {type(t.value)}")
            iso = t.value.strftime("%Y-%m-%dT%H:%M:%S")
            expect(img["latest_scan_time"].startswith(iso), f"time {iso} != {img['latest_scan_time']}")
        # Since the baseline: first seen is a date, the age a number.
        fs_cell = row[col["first_seen"]]
        expect(isinstance(fs_cell.value, datetime.datetime)
               and f["first_seen"].startswith(fs_cell.value.strftime("%Y-%m-%dT%H:%M:%S")),
               f"first_seen {fs_cell.value!r} != {f['first_seen']}")
        expect(row[col["age_days"]].data_type == "n" and row[col["age_days"]].value == f["age_days"],
               "age_days")
        expect(row[col["change"]].value == f["change"] and row[col["status"]].value == f["status"],
               "change/status")
        for name in ("namespace", "image_name", "message"):
            c = row[col[name]]
            expect(c.value is None or c.data_type == "s", f"{name} stored as {c.data_type}")

    # Images with findings: one row each, worst first, counts that add up.
    rules_of = {r["id"]: r for r in rep["rules"]}
    iwf = list(data_rows(parts(wb, "Images with findings"))) if n_iwf else []
    expect(len(iwf) == n_iwf, f"{len(iwf)} image rows, {n_iwf} images with findings")
    head = [c.value for c in parts(wb, "Images with findings")[0][1]]
    expect(head[:5] == ["max_severity", "namespace", "image_name", "image_version", "findings"],
           f"Images with findings header {head}")
    key = []
    for row in iwf:
        v = {h: c.value for h, c in zip(head, row)}
        counts = [v[s] for s in SEVERITIES]
        expect(sum(counts) == v["findings"] and 0 <= v["open"] <= v["findings"],
               f"image {v['image_name']}: counts {counts} != {v['findings']}")
        worst = max(i for i, c in enumerate(counts) if c)
        expect(v["max_severity"] == SEVERITIES[worst], f"image {v['image_name']}: max_severity")
        listed = v["rules"].split(", ")
        expect(len(listed) == v["findings"]
               and all(r.split(" (")[0] in rules_of for r in listed), f"rules {v['rules']}")
        expect(all(row[i].data_type == "n" for i in range(4, 11)), "image counts stored as numbers")
        key.append((-worst, -v["findings"]))
    expect(key == sorted(key), "Images with findings not sorted by worst severity, then findings")
    for ws in parts(wb, "Images with findings"):
        check_print(ws, keep="$A:$D")
        check_heights(ws, {head.index("rules"): 40}, ws.title)

    # Inventory: every image, typed.
    inv = list(data_rows(parts(wb, "Inventory"))) if n_img else []
    expect(len(inv) == n_img, f"{len(inv)} inventory rows, JSON has {n_img}")
    head = [c.value for c in parts(wb, "Inventory")[0][1]]
    for row, img in zip(inv, rep["inventory"]):
        for i, name in enumerate(head):
            v = row[i].value
            want_v = img.get(name)
            if name in ("latest_update_time", "latest_scan_time", "latest_sync_time"):
                expect((v is None) == (want_v is None), f"inventory {name}")
                expect(v is None or isinstance(v, datetime.datetime), f"inventory {name} type")
            elif isinstance(want_v, bool):
                expect(v is want_v, f"inventory {name}: {v!r} != {want_v!r}")
            elif isinstance(want_v, int):
                expect(v == want_v and row[i].data_type == "n", f"inventory {name}: {v!r}")

    # Rules and data quality.
    check_print(wb["Rules"], keep="$A:$A")
    check_heights(wb["Rules"], {1: 30, 3: 46, 4: 46, 5: 22, 6: 46}, "Rules")
    check_print(wb["Waivers"], keep="$A:$A")
    check_heights(wb["Waivers"], {3: 40, 7: 40}, "Waivers")
    for ws in parts(wb, "Inventory"):
        check_print(ws, keep="$A:$C")
    rules = list(wb["Rules"].iter_rows(min_row=2, values_only=True))
    expect(len(rules) == len(rep["rules"]), "rule rows")
    for r, jr in zip(rules, rep["rules"]):
        expect(r[0] == jr["id"] and r[8] == jr["findings"] and r[9] == jr["unknown"], f"rule {jr['id']}")
    dq = [r for r in wb["Data quality"].iter_rows(min_row=2, values_only=True) if r[1]]
    expect(len(dq) == len(rep["data_quality"]), "data quality rows")

    # No formula anywhere: hostile '=...' text must never become one.
    # Every chart's value axis starts at 0: bars are compared by length.
    with zipfile.ZipFile(a.xlsx) as z:
        charts = [n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
        expect(len(charts) == len(summ._charts), f"{len(charts)} chart parts")
        for name in charts:
            xml = z.read(name).decode("utf-8")
            val = re.findall(r"<c:valAx>.*?</c:valAx>", xml, re.S)
            expect(len(val) == 1 and '<c:min val="0"/>' in val[0],
                   f"{name}: the value axis does not start at 0")
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                expect(b"<f>" not in z.read(name) and b"<f " not in z.read(name), f"formula in {name}")

    if a.hostile:
        recs = [json.loads(l) for l in open(a.hostile, encoding="utf-8") if l.strip()]
        checked = 0
        for row, f in zip(rows, rep["findings"]):
            rec = recs[f["image_index"]]
            for name in ("namespace", "image_name", "image_version", "image_digest", "registry_name"):
                v = rec.get(name)
                if not isinstance(v, str) or v == "":
                    continue
                c = row[col[name]]
                expect(c.data_type == "s", f"{name} {v[:30]!r} stored as {c.data_type}")
                # libxlsxwriter writes CR as Excel's escape _x000D_, which
                # Excel decodes and openpyxl leaves as it is.
                got = c.value.replace("_x000D_", "\r")
                if len(v) > 32000:
                    expect(got.endswith("holds]") and v.startswith(got[:1000]), "long text not cut visibly")
                elif any(ord(ch) < 32 and ch not in "\t\n\r" for ch in v):
                    expect(len(got) == len(v), "control characters")
                else:
                    # XML normalises a bare CR to LF when read back.
                    expect(got.replace("\r\n", "\n") == v.replace("\r\n", "\n").replace("\r", "\n")
                           or got == v, f"{name}: {got[:40]!r} != {v[:40]!r}")
                checked += 1
        expect(checked > 50, f"only {checked} hostile cells checked")
    print(f"{a.xlsx}: {len(wb.sheetnames)} sheets, {n_find} findings, {n_img} images: ok")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print(f"FAIL: {e}", file=sys.stderr)
        sys.exit(1)

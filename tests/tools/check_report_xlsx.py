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
    "rule_id", "rule_title", "severity", "status", "change", "first_seen", "age_days",
    "namespace", "image_name", "image_version", "image_digest", "image_id",
    "registry_name", "registry_type", "image_type", "severity_level", "vul_num",
    "malicious_file_num", "unsafe_setting_num", "scan_status", "latest_scan_time",
    "message", "waiver_id", "waiver_reason", "waiver_owner", "waiver_expires", "id",
]
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
    want = (["Summary"] + ["Findings" + (f" ({i + 1})" if i else "") for i in range(fparts)]
            + ["Changes" + (f" ({i + 1})" if i else "") for i in range(cparts)] + ["Waivers"]
            + ["Inventory" + (f" ({i + 1})" if i else "") for i in range(iparts)]
            + ["Rules", "Data quality"])
    expect(wb.sheetnames == want, f"sheets {wb.sheetnames} != {want}")

    # Summary: charts, verdict, the continuation note.
    summ = wb["Summary"]
    # severity, status and changes, and (with findings) top rules and namespaces
    expect(len(summ._charts) == (4 if n_find else 2), f"{len(summ._charts)} charts on Summary")
    cells = {c.value for row in summ.iter_rows() for c in row if isinstance(c.value, str)}
    verdict = rep["meta"]["gate"]["verdict"]
    expect(any(v.startswith({"fail": "FAIL", "pass": "PASS", "none": "no gate"}[verdict]) for v in cells),
           "gate verdict not on Summary")
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
        expect(ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:AA"), f"{ws.title} autofilter")
        expect(ws.max_row - 1 <= per, f"{ws.title} over the row limit")
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
    rules = list(wb["Rules"].iter_rows(min_row=2, values_only=True))
    expect(len(rules) == len(rep["rules"]), "rule rows")
    for r, jr in zip(rules, rep["rules"]):
        expect(r[0] == jr["id"] and r[8] == jr["findings"] and r[9] == jr["unknown"], f"rule {jr['id']}")
    dq = [r for r in wb["Data quality"].iter_rows(min_row=2, values_only=True) if r[1]]
    expect(len(dq) == len(rep["data_quality"]), "data quality rows")

    # No formula anywhere: hostile '=...' text must never become one.
    with zipfile.ZipFile(a.xlsx) as z:
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

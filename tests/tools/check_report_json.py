#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Check imgaudit JSON reports against docs/report-schema.json and for
internal consistency: summary counts match the arrays, every finding's
image identity matches the inventory entry it points at, and rule
counts add up. Usage: check_report_json.py SCHEMA REPORT...
Needs Debian's python3-jsonschema (run with /usr/bin/python3)."""
import json
import sys

import jsonschema


def check(schema, path):
    with open(path, encoding="utf-8") as f:
        rep = json.load(f)
    jsonschema.Draft202012Validator(schema).validate(rep)
    s, inv, fnd = rep["summary"], rep["inventory"], rep["findings"]
    assert s["images"] == len(inv), (s["images"], len(inv))
    assert s["findings"] == len(fnd), (s["findings"], len(fnd))
    assert sum(s["by_severity"].values()) == len(fnd)
    assert sum(r["findings"] for r in rep["rules"]) == len(fnd)
    assert [e["index"] for e in inv] == list(range(len(inv)))
    rules = {r["id"]: r for r in rep["rules"]}
    with_findings = set()
    order = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
    prev = None
    for f in fnd:
        img = inv[f["image_index"]]
        for k, v in f.items():
            if k in img and k != "findings":
                assert img[k] == v, (f, k)
        assert rules[f["rule_id"]]["severity"] == f["severity"]
        key = (order[f["severity"]], f["rule_id"], f["image_index"])
        assert prev is None or prev < key, ("findings out of order", prev, key)
        prev = key
        with_findings.add(f["image_index"])
    assert s["images_with_findings"] == len(with_findings)
    assert sum(e["findings"] for e in inv) == len(fnd)
    for t in ("open", "waived", "new", "existing", "resolved"):
        c = s[t]
        assert c["total"] == sum(v for k, v in c.items() if k != "total"), (t, c)
    assert s["open"]["total"] + s["waived"]["total"] == len(fnd)
    assert s["new"]["total"] + s["existing"]["total"] == len(fnd)
    assert s["resolved"]["total"] == len(rep["resolved"])
    assert all(f["status"] != "waived" or f["waiver_id"] for f in fnd)
    # A merged report: the summary rows add up, and every finding names
    # the project and region of its image's source.
    src = rep.get("sources", [])
    if src:
        assert sum(x["images"] for x in src) == len(inv)
        assert sum(x["findings"] for x in src) == len(fnd)
        assert sum(x["open"]["total"] for x in src) == s["open"]["total"]
        for f in fnd:
            x = src[inv[f["image_index"]]["source"]]
            assert (f["project_id"], f["region"]) == (x["project_id"], x["region"]), f
    return len(inv), len(fnd)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    for path in sys.argv[2:]:
        images, findings = check(schema, path)
        print(f"{path}: valid, {images} images, {findings} findings")


if __name__ == "__main__":
    main()

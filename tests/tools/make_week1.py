#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Make the previous week's image list for the samples (docs/weekly.md):
samples/images.jsonl as it was a week earlier. Deterministic:
  - the first 12 images and image 94 (a high-risk one) did not exist yet
    (their findings are new now);
  - images 12..19 had other digests (rebuilt since: same findings, existing);
  - 6 images existed then and are gone now (their findings are resolved);
  - every scan was a week older.
Usage: make_week1.py samples/images.jsonl > samples/images-week1.jsonl"""
import json
import sys

WEEK_MS = 7 * 86400000


def main():
    recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
    out = []
    for i, r in enumerate(recs):
        if i < 12 or i == 94:
            continue
        r = dict(r)
        if i < 20 and isinstance(r.get("image_digest"), str):
            r["image_digest"] = "sha256:" + format(i, "064x")
        for k in ("latest_scan_time", "latest_update_time", "latest_sync_time"):
            if isinstance(r.get(k), int):
                r[k] -= WEEK_MS
        out.append(r)
    # Retired since: copies of images with findings under names that are gone now.
    for n, i in enumerate((30, 41, 52, 63, 74, 85)):
        r = dict(recs[i])
        r["id"] = 900000 + n
        r["image_name"] = f"{r['image_name']}-retired"
        out.append(r)
    for r in out:
        sys.stdout.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()

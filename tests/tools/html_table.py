#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Print the rows of one table of an HTML report as JSON: a list of rows,
each the list of its cells' non-blank text pieces, header row first.

    html_table.py REPORT.html TABLE_ID
"""
import json
import sys
from html.parser import HTMLParser


class Rows(HTMLParser):
    def __init__(self, table_id):
        super().__init__()
        self.table_id = table_id
        self.inside = False
        self.rows = []

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self.inside = True
        if self.inside and tag == "tr":
            self.rows.append([])

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False

    def handle_data(self, data):
        if self.inside and self.rows and data.strip():
            self.rows[-1].append(data.strip())


def main():
    p = Rows(sys.argv[2])
    with open(sys.argv[1], encoding="utf-8") as f:
        p.feed(f.read())
    json.dump(p.rows, sys.stdout)
    print()


if __name__ == "__main__":
    main()

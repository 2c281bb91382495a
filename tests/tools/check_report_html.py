#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Checks of imgaudit HTML reports, on the DOM that headless Chromium
rendered (--dump-dom) or on the file itself. Subcommands:
  dom DUMP JSON --js|--no-js [--rows N] [--hostile TEXT]...
      the rendered DOM: findings rows, whether the page script ran, that no
      injected script ran (title unchanged, no <pwned> element, only the
      page's own two script elements), hostile TEXT shown as text
  static HTML    the file: self-contained (nothing fetched), data block
                 escaped so that no value ends the script element
  png FILE       a screenshot that is not blank (decoded with zlib)"""
import html.parser
import json
import struct
import sys
import zlib


class Dom(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = {}
        self.title = ""
        self.html_class = None
        self.rows = 0
        self.text = []
        self.scripts = 0
        self._in = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if tag == "html":
            self.html_class = a.get("class")
        if tag == "tr" and "data-sev" in a:
            self.rows += 1
        if tag == "script":
            self.scripts += 1
        self._in.append(tag)

    def handle_endtag(self, tag):
        while self._in and self._in.pop() != tag:
            pass

    def handle_data(self, data):
        if self._in and self._in[-1] == "title" and "head" in self._in:
            self.title += data      # not the SVG charts' <title>s
        elif not (self._in and self._in[-1] in ("script", "style")):
            self.text.append(data)


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def dom(args):
    path, rep_path, mode = args[0], args[1], args[2]
    rep = json.load(open(rep_path, encoding="utf-8"))
    rows = len(rep["findings"])
    hostile = []
    i = 3
    while i < len(args):
        if args[i] == "--rows":
            rows = int(args[i + 1])
        elif args[i] == "--hostile":
            hostile.append(args[i + 1])
        i += 2
    d = Dom()
    d.feed(open(path, encoding="utf-8").read())
    want_class = "js" if mode == "--js" else "no-js"
    if d.html_class != want_class:
        fail(f"<html class={d.html_class!r}>, expected {want_class!r}")
    if not d.title.startswith("Container image audit"):
        fail(f"title changed: {d.title!r}")
    if "pwned" in d.title or d.tags.get("pwned"):
        fail("an injected script ran")
    if d.scripts != 2:
        fail(f"{d.scripts} script elements, expected the page's own 2")
    if d.rows != rows:
        fail(f"{d.rows} finding rows, expected {rows}")
    text = "".join(d.text)
    for h in hostile:
        if h not in text:
            fail(f"hostile text not shown as text: {h[:60]!r}")
    if mode == "--js" and rows and f"{rows} of {rows} rows shown" not in text:
        fail("the filter script did not count the rows")
    print(f"{path}: {d.rows} rows, scripts {'on' if mode == '--js' else 'off'}: ok")


class Refs(html.parser.HTMLParser):
    """External references in markup (not in escaped text)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.bad = []
        self._style = False

    def handle_starttag(self, tag, attrs):
        self._style = tag == "style"
        if tag in ("link", "iframe", "object", "embed", "img", "audio", "video", "source"):
            self.bad.append(f"<{tag}>")
        for k, v in attrs:
            if k in ("src", "href", "srcset", "action", "poster") and v and not v.startswith("#"):
                self.bad.append(f"{tag} {k}={v}")

    def handle_endtag(self, tag):
        self._style = False

    def handle_data(self, data):
        if self._style and ("url(" in data or "@import" in data):
            self.bad.append("url() or @import in CSS")


def static(args):
    src = open(args[0], encoding="utf-8").read()
    r = Refs()
    r.feed(src)
    if r.bad:
        fail(f"external references: {r.bad[:5]}")
    start = src.index('<script type="application/json" id="imgaudit-data">')
    body = src[start:].split(">", 1)[1]
    block, _ = body.split("</script>", 1)
    if "<" in block or "-->" in block:
        fail("raw '<' or '-->' inside the data block")
    json.loads(block)
    print(f"{args[0]}: self-contained, data block safe: ok")


def png(args):
    data = open(args[0], "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("not a PNG")
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", chunk[:8])
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + n
    raw = zlib.decompress(idat)
    distinct = len(set(raw))
    # A blank page filters to a few byte values; a rendered report to many.
    if distinct < 64 or len(data) < 20000:
        fail(f"screenshot looks blank: {distinct} distinct bytes, {len(data)} bytes")
    print(f"{args[0]}: {width}x{height}, {distinct} distinct bytes: ok")


if __name__ == "__main__":
    {"dom": dom, "static": static, "png": png}[sys.argv[1]](sys.argv[2:])

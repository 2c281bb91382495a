#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Checks of imgaudit HTML reports, against the JSON report of the same
run, in headless Chromium (tests/tools/chromium_cdp.py) or on the file.
Subcommands:
  dom HTML JSON --js|--no-js [--rows N] [--hostile TEXT]...
      the loaded page with scripts on (the findings view) or off (the
      rows in <noscript>): that many finding rows, whether the page
      script ran, that no injected script ran (title unchanged, no
      <pwned> element, only the page's own two script elements), hostile
      TEXT shown as text
  pages HTML JSON   with scripts, every finding of the JSON report is on
                    some page of the findings view, with its values
  views HTML JSON   the by-image and by-rule views and their expanded rows,
                    and a finding's details (description, remediation,
                    every value in full)
  state HTML JSON   filters and search from the URL's hash match what the
                    JSON says; changing a control writes the hash
  long HTML JSON SECONDS   loads with scripts on and off within SECONDS,
                    cells cut to 200 characters, full values on expand
  print PDF TEXT...  a printed page: the findings (from the first page with
                    their header to the Waivers section) take more than one
                    page and every one repeats the header; each TEXT (an
                    image group heading, a note) is in the PDF
  static HTML    the file: self-contained (nothing fetched), data block
                 escaped so that no value ends the script element
  png FILE       a screenshot that is not blank (decoded with zlib)
  data HTML CSV  the file's data block decoded here (string tables,
                 image differences, message keys), without a browser:
                 every finding's namespace, image name, version, digest
                 and message equal the CSV's row of the same run"""
import html.parser
import json
import os
import struct
import subprocess
import sys
import time
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from chromium_cdp import Browser  # noqa: E402

SEV = ["info", "low", "medium", "high", "critical"]
CELL = 200
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.kids = tag, attrs, parent, []

    def text(self):
        return "".join(k if isinstance(k, str) else k.text() for k in self.kids)

    def walk(self):
        yield self
        for k in self.kids:
            if isinstance(k, Node):
                yield from k.walk()

    def find(self, tag=None, cls=None, attr=None):
        """Descendants with 'tag', class 'cls', attribute 'attr'."""
        for n in self.walk():
            if n is self:
                continue
            if tag and n.tag != tag:
                continue
            if cls and cls not in n.attrs.get("class", "").split():
                continue
            if attr and attr not in n.attrs:
                continue
            yield n

    def first(self, *a, **k):
        return next(self.find(*a, **k), None)

    def cells(self):
        return [k for k in self.kids if isinstance(k, Node) and k.tag in ("td", "th")]


class Tree(html.parser.HTMLParser):
    """The DOM as Chromium serialized it, as a tree of Nodes."""

    def __init__(self, markup):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.cur = self.root
        self.title = ""
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        n = Node(tag, {k: v or "" for k, v in attrs}, self.cur)
        self.cur.kids.append(n)
        if tag not in VOID:
            self.cur = n

    def handle_startendtag(self, tag, attrs):
        self.cur.kids.append(Node(tag, {k: v or "" for k, v in attrs}, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not self.root and n.tag != tag:
            n = n.parent
        if n is not self.root:
            self.cur = n.parent

    def handle_data(self, data):
        if self.cur.tag == "title" and self.cur.parent.tag == "head":
            self.title += data      # not the SVG charts' <title>s
        if self.cur.tag not in ("script", "style"):
            self.cur.kids.append(data)


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def report(path):
    return json.load(open(path, encoding="utf-8"))


def url(path, state=""):
    return "file://" + os.path.abspath(path) + ("#findings?" + state if state else "")


def clip(s):
    s = "" if s is None else str(s)
    # The page cuts UTF-16 units; the test data is in the BMP.
    return s if len(s) <= CELL else s[:CELL] + "\u2026"


def text(v):
    return "" if v is None else str(v)


def load(path, state="", scripts=True, timeout=120):
    b = Browser(scripts=scripts, timeout=timeout)
    try:
        b.open(url(path, state))
        return Tree(b.dom())
    finally:
        b.close()


def goto(b, state):
    """Set the hash to '#findings?state' and wait for the page to render it."""
    b.eval("new Promise(r => { addEventListener('hashchange', () => setTimeout(r, 0), {once: true});"
           f" location.hash = {json.dumps('#findings?' + state)}; }})")


def finding_rows(tree):
    return list(tree.root.find("tr", cls="frow", attr="data-f"))


class Row:
    """A table row as the page has it: attributes and its cells' text."""

    def __init__(self, attrs, cells):
        self.attrs, self._cells = attrs, cells

    def cells(self):
        return [Row({}, t) for t in self._cells]

    def text(self):
        return self._cells


ROWS_JS = """Array.from(document.querySelectorAll(%s)).map(tr => [
    Object.fromEntries(Array.from(tr.attributes).map(a => [a.name, a.value])),
    Array.from(tr.cells).map(c => c.textContent)])"""


def rows_of(b, selector):
    """The rows matching 'selector', read in the page (much faster than
    parsing a DOM of thousands of rows here)."""
    return [Row(a, c) for a, c in b.eval(ROWS_JS % json.dumps(selector))]


def check_row(tr, f, where):
    """A row of the findings view against finding 'f' of the JSON report."""
    c = tr.cells()
    want = {
        "rule": clip(f["rule_id"]) + clip(f["rule_title"]),
        "image": clip(f["namespace"]) + "/" + clip(f["image_name"]) + ":" + clip(f["image_version"]) +
                 clip(f["image_digest"]),
        "registry": clip(f["registry_name"]),
        "message": clip(f["message"]),
        "vulns": text(f["vul_num"]),
        "scan": text(f["latest_scan_time"]) + clip(f["scan_status"]),
    }
    got = {"rule": c[1].text(), "image": c[2].text(), "registry": c[3].text(),
           "message": c[4].text(), "vulns": c[5].text(), "scan": c[6].text()}
    if tr.attrs.get("data-sev") != str(SEV.index(f["severity"])):
        fail(f"{where}: severity {tr.attrs.get('data-sev')}, expected {f['severity']}")
    if (tr.attrs.get("data-status"), tr.attrs.get("data-change")) != (f["status"], f["change"]):
        fail(f"{where}: status/change {tr.attrs.get('data-status')}/{tr.attrs.get('data-change')}, "
             f"expected {f['status']}/{f['change']}")
    for k in want:
        if got[k] != want[k]:
            fail(f"{where}: {k} {got[k][:120]!r}, expected {want[k][:120]!r}")


# ---- dom ----

def dom(args):
    path, rep_path, mode = args[0], args[1], args[2]
    rep = report(rep_path)
    js = mode == "--js"
    n = len(rep["findings"])
    rows = min(n, 100) if js else n
    hostile = []
    i = 3
    while i < len(args):
        if args[i] == "--rows":
            rows = int(args[i + 1])
        elif args[i] == "--hostile":
            hostile.append(args[i + 1])
        i += 2
    t = load(path, scripts=js)
    html_el = t.root.first("html")
    want_class = "js" if js else "no-js"
    if html_el.attrs.get("class") != want_class:
        fail(f"<html class={html_el.attrs.get('class')!r}>, expected {want_class!r}"
             f" ({html_el.attrs.get('data-error', '')})")
    if not t.title.startswith("Container image audit"):
        fail(f"title changed: {t.title!r}")
    if "pwned" in t.title or t.root.first("pwned"):
        fail("an injected script ran")
    scripts = len(list(t.root.find("script")))
    if scripts != 2:
        fail(f"{scripts} script elements, expected the page's own 2")
    if js:
        got = finding_rows(t)
        if t.root.first("noscript"):
            fail("the rows for readers without scripts are still in the page")
        for k, tr in enumerate(got):
            check_row(tr, rep["findings"][int(tr.attrs["data-f"])], f"row {k}")
        shown = t.root.first(attr="id") and next(
            (x for x in t.root.find(attr="id") if x.attrs["id"] == "shown"), None)
        want = f"{n:,} of {n:,} findings"
        if n and (not shown or not shown.text().startswith(want)):
            fail(f"the count says {shown.text() if shown else None!r}, expected {want!r}")
    else:
        nos = t.root.first("noscript")
        got = list(nos.find("tr", attr="data-change")) if nos else []
        if not nos or nos.first("tr", attr="data-f"):
            fail("no rows for readers without scripts, or the script's rows")
    if len(got) != rows:
        fail(f"{len(got)} finding rows, expected {rows}")
    alltext = t.root.text()
    for h in hostile:
        if h not in alltext:
            fail(f"hostile text not shown as text: {h[:60]!r}")
    print(f"{path}: {len(got)} rows, scripts {'on' if js else 'off'}: ok")


# ---- pages ----

def pages(args):
    path, rep = args[0], report(args[1])
    fs = rep["findings"]
    size = 5000
    b = Browser()
    seen = {}
    try:
        b.open(url(path, f"size={size}"))
        npages = -(-len(fs) // size)
        for p in range(1, npages + 1):
            goto(b, f"size={size}&page={p}&x={p}")
            rows = rows_of(b, "tr.frow[data-f]")
            want = min(size, len(fs) - (p - 1) * size)
            if len(rows) != want:
                fail(f"page {p}: {len(rows)} rows, expected {want}")
            for tr in rows:
                k = int(tr.attrs["data-f"])
                if k in seen:
                    fail(f"finding {k} on pages {seen[k]} and {p}")
                seen[k] = p
                check_row(tr, fs[k], f"page {p}, finding {k}")
            where = b.eval("document.querySelector('.pager .where').textContent")
            if f"Page {p:,} of {npages:,}" not in where:
                fail(f"page {p}: the pager says {where!r}")
    finally:
        b.close()
    if len(seen) != len(fs):
        fail(f"{len(seen)} findings shown across the pages, expected {len(fs)}")
    print(f"{path}: {len(fs)} findings on {npages} pages of {size}: ok")


# ---- views ----

def image_key(f):
    return (f["namespace"], f["image_name"], f["image_version"], f["image_digest"],
            f["image_id"], f["id"])


def views(args):
    path, rep = args[0], report(args[1])
    fs = rep["findings"]
    by_image = {}
    for k, f in enumerate(fs):
        by_image.setdefault(image_key(f), []).append(k)
    rows = []
    b = Browser()
    try:
        b.open(url(path, "view=image&size=5000"))
        for p in range(1, -(-len(by_image) // 5000) + 1):
            goto(b, f"view=image&size=5000&page={p}&x={p}")
            rows += rows_of(b, "tr.irow")
    finally:
        b.close()
    if len(rows) != len(by_image) or len(rows) != rep["summary"]["images_with_findings"]:
        fail(f"by image: {len(rows)} rows, expected {len(by_image)}")
    shown_as = {}
    for k in by_image:
        shown_as.setdefault(clip(k[0]) + "/" + clip(k[1]) + ":" + clip(k[2]) + clip(k[3]), []).append(k)
    prev = None
    for tr in rows:
        c = tr.cells()
        name = c[1].text()
        n = int(tr.attrs["data-count"])
        worst = int(tr.attrs["data-worst"])
        # The image's findings by its identity, as the row shows it.
        cands = shown_as.get(name, [])
        if not any(len(by_image[k]) == n and
                   max(SEV.index(fs[x]["severity"]) for x in by_image[k]) == worst for k in cands):
            fail(f"by image: {name!r} with {n} findings, worst {worst}: no such image in the JSON")
        if prev and (worst, n) > prev:
            fail("by image: not worst severity first, then most findings")
        prev = (worst, n)
    # Expanded: the first image's findings, each with its message.
    t = load(path, "view=image&open=i" + rows[0].attrs["data-img"])
    box = t.root.first("tr", cls="detail")
    inner = [int(x.attrs["data-f"]) for x in box.find("tr", attr="data-f")] if box else []
    if len(inner) != int(rows[0].attrs["data-count"]):
        fail(f"by image, expanded: {len(inner)} findings, expected {rows[0].attrs['data-count']}")
    if len({image_key(fs[k]) for k in inner}) != 1:
        fail("by image, expanded: findings of several images")
    for k in inner:
        if clip(fs[k]["message"]) not in box.text():
            fail(f"by image, expanded: no message {fs[k]['message']!r}")

    t = load(path, "view=rule")
    rows = list(t.root.find("tr", cls="rrow"))
    want = {r["id"]: r["findings"] for r in rep["rules"] if r["findings"]}
    got = {tr.attrs["data-rule"]: int(tr.attrs["data-count"]) for tr in rows}
    if got != want:
        fail(f"by rule: {got}, expected {want}")
    rules = {r["id"]: r for r in rep["rules"]}
    first = rows[0].attrs["data-rule"]
    t = load(path, "view=rule&open=r" + str([r["id"] for r in rep["rules"]].index(first)))
    box = t.root.first("tr", cls="detail")
    imgs = list(box.find("tr", attr="data-f")) if box else []
    if len(imgs) != min(100, want[first]):
        fail(f"by rule, expanded: {len(imgs)} images, expected {min(100, want[first])}")
    r = rules[first]
    for part in (r["description"], r["remediation"]):
        if part and part.strip() not in box.text():
            fail(f"by rule, expanded: {part[:60]!r} missing")
    if any(fs[int(x.attrs["data-f"])]["rule_id"] != first for x in imgs):
        fail("by rule, expanded: a finding of another rule")

    # A finding's details: the rule's description and remediation, every
    # value in full.
    k = len(fs) - 1
    t = load(path, f"sort=-severity&open=f{k}&page={-(-len(fs) // 100)}")
    det = next((d for d in t.root.find("div", cls="detail") if d.attrs.get("data-detail") == f"f{k}"),
               None)
    if not det:
        fail(f"finding {k}: no details")
    f, r = fs[k], rules[fs[k]["rule_id"]]
    dl = det.first("dl")
    pairs = {}
    name = None
    for x in dl.kids:
        if isinstance(x, Node) and x.tag == "dt":
            name = x.text()
        elif isinstance(x, Node) and x.tag == "dd":
            pairs[name] = x.text()
    for col in ("namespace", "image_name", "image_version", "image_digest", "image_id",
                "registry_name", "vul_num", "scan_status", "latest_scan_time", "id"):
        if text(f[col]) and pairs.get(col) != text(f[col]):
            fail(f"finding {k} details: {col} {pairs.get(col)!r}, expected {f[col]!r}")
    if pairs.get("Message") != f["message"]:
        fail(f"finding {k} details: message {pairs.get('Message')!r}")
    for part in (r["description"], r["remediation"]):
        if part and part.strip() not in det.text():
            fail(f"finding {k} details: {part[:60]!r} missing")
    print(f"{path}: {len(by_image)} images, {len(want)} rules, expanded rows and details: ok")


# ---- state ----

def state(args):
    path, rep = args[0], report(args[1])
    fs = rep["findings"]
    # A namespace and a word of a message that some findings have.
    ns = rep["summary"]["by_namespace"][0]["namespace"]
    cases = [
        ("sev=high", lambda f: f["severity"] == "high", {"sevfilter": "high"}),
        (f"ns={ns}&status=open", lambda f: f["namespace"] == ns and f["status"] == "open",
         {"nsfilter": ns, "statusfilter": "open"}),
        ("rule=" + fs[0]["rule_id"] + "&change=new",
         lambda f: f["rule_id"] == fs[0]["rule_id"] and f["change"] == "new",
         {"rulefilter": fs[0]["rule_id"], "changefilter": "new"}),
        ("view=image&q=" + fs[-1]["image_name"].upper(),
         lambda f: any(fs[-1]["image_name"].lower() in text(v).lower() for v in
                       [f[k] for k in ("image_digest", "image_id", "registry_name", "message",
                                       "rule_id", "rule_title", "id")] +
                       [f"{text(f['namespace'])}/{text(f['image_name'])}:{text(f['image_version'])}"]),
         {}),
    ]
    b = Browser()
    try:
        b.open(url(path))
        for h, pred, controls in cases:
            goto(b, h)
            got = b.eval("+document.getElementById('view').getAttribute('data-matching')")
            want = sum(1 for f in fs if pred(f))
            if got != want:
                fail(f"#findings?{h}: {got} findings match, expected {want}")
            for cid, v in controls.items():
                cur = b.eval(f"document.getElementById({json.dumps(cid)}).value")
                if cur != v:
                    fail(f"#findings?{h}: {cid} shows {cur!r}, expected {v!r}")
        # The other way: a control writes the hash, and the hash survives
        # a reload.
        goto(b, "x=reset")
        b.eval("document.getElementById('tab-rule').click();"
               "var s = document.getElementById('sevfilter'); s.value = 'medium';"
               "s.dispatchEvent(new Event('change'));")
        h = b.eval("location.hash")
        if h != "#findings?view=rule&sev=medium":
            fail(f"after choosing By rule and medium, the hash is {h!r}")
        # The navigation's link to the section keeps the view.
        b.eval("document.querySelector('nav.toc a[href=\"#findings\"]').click()")
        b.eval("new Promise(r => setTimeout(r, 50))")
        h = b.eval("location.hash")
        if h != "#findings?view=rule&sev=medium":
            fail(f"after the navigation's Findings link, the hash is {h!r}")
        b.open(url(path, "view=rule&sev=medium"))
        if b.eval("document.getElementById('view').getAttribute('data-current')") != "rule":
            fail("a link with view=rule did not open the by-rule view")
    finally:
        b.close()
    print(f"{path}: filters and search from the hash, hash from the controls: ok")


# ---- long ----

def long_values(args):
    path, rep, limit = args[0], report(args[1]), float(args[2])
    longest = max(rep["findings"], key=lambda f: len(text(f["image_name"])))
    name = longest["image_name"]
    for scripts in (True, False):
        t0 = time.monotonic()
        t = load(path, "open=f%d" % rep["findings"].index(longest) if scripts else "",
                 scripts=scripts, timeout=limit)
        took = time.monotonic() - t0
        if took > limit:
            fail(f"scripts {'on' if scripts else 'off'}: {took:.1f} s, more than {limit} s")
        if scripts:
            cells = [c for tr in finding_rows(t) for c in tr.cells() if c.attrs.get("class") == "img"]
            full = t.root.first("div", cls="detail")
            if not full or name not in full.text():
                fail("scripts on: the full image name is not in the finding's details")
        else:
            nos = t.root.first("noscript")
            cells = list(nos.find("td", cls="img"))
            full = [d for d in nos.find("div", cls="fullval") if d.text() == name]
            if not full:
                fail("scripts off: the full image name is not under 'Full image_name'")
            if len(list(full[0].find("wbr"))) < len(name) // 60:
                fail("scripts off: the full value has no <wbr>s")
        if not any(clip(name) in c.text() for c in cells):
            fail(f"scripts {'on' if scripts else 'off'}: no cell with the name cut to {CELL}")
        if any(len(c.text()) > 4 * (CELL + 1) + 2 for c in cells):
            fail(f"scripts {'on' if scripts else 'off'}: a cell longer than its values' cuts")
        print(f"{path}: a {len(name):,}-character name, scripts {'on' if scripts else 'off'}: "
              f"{took:.1f} s: ok")


# ---- print ----

def print_pdf(args):
    pdf, wants = args[0], args[1:]
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    npages = int(next(x for x in info.splitlines() if x.startswith("Pages:")).split()[1])
    texts = [subprocess.run(["pdftotext", "-layout", "-f", str(p), "-l", str(p), pdf, "-"],
                            capture_output=True, text=True, check=True).stdout
             for p in range(1, npages + 1)]
    def header(x):
        return "SEVERITY" in x and "RULE" in x and "MESSAGE" in x
    # The findings table's pages: from the first with its header.
    start = next((i for i, x in enumerate(texts) if header(x)), None)
    if start is None:
        fail("no findings table printed")
    end = next((i for i in range(start, npages) if "Waivers" in texts[i]), npages)
    body = texts[start:end]
    if len(body) < 2:
        fail(f"the findings printed on {len(body)} page(s): nothing shows the header repeats")
    for i, x in enumerate(body):
        if not header(x):
            fail(f"page {start + i + 1}: the findings table's header is not repeated")
    alltext = "\n".join(texts)
    for w in wants:
        if w not in alltext:
            fail(f"{w!r} not printed")
    print(f"{pdf}: {npages} pages, the findings on {len(body)} with their header: ok")


# ---- static, png ----

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


def data_block(src):
    start = src.index('<script type="application/json" id="imgaudit-data">')
    return json.loads(src[start:].split(">", 1)[1].split("</script>", 1)[0])


def data(args):
    import csv
    d = data_block(open(args[0], encoding="utf-8").read())
    cols = {}
    for name, c in d["image_columns"].items():
        cols[name] = [c["t"][x] for x in c["x"]] if "t" in c else c.get("v", c.get("d"))
    fc = d["finding_columns"]
    images, img = [], 0
    for delta in fc["image"]:
        img += delta
        images.append(img)
    rows = list(csv.DictReader(open(args[1], encoding="utf-8", newline="")))
    if len(rows) != d["findings"] or len(images) != len(rows):
        fail(f"{len(rows)} CSV rows, {d['findings']} findings, {len(images)} images")
    titles = []
    for rule, count in zip(fc["rule"][::2], fc["rule"][1::2]):
        titles += [d["rules"][rule]["title"]] * count
    for k, (row, i) in enumerate(zip(rows, images)):
        got = {f: cols[f][i] or "" for f in ("namespace", "image_name", "image_version",
                                              "image_digest")}
        ref = f"{got['namespace']}/{got['image_name']}:{got['image_version']}"
        m = fc["message"][k]
        got["message"] = d["messages"][m - 1].replace("\0", ref, 1) if m else titles[k]
        for f, v in got.items():
            if v != row[f]:
                fail(f"finding {k}: {f} {v!r} in the data block, {row[f]!r} in the CSV")
    print(f"{args[0]}: {len(rows)} findings, {len(d['messages'])} messages as in the CSV: ok")


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
    {"dom": dom, "pages": pages, "views": views, "state": state, "long": long_values,
     "print": print_pdf, "static": static, "png": png,
     "data": data}[sys.argv[1]](sys.argv[2:])

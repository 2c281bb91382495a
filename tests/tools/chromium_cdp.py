#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Drive headless Chromium over the DevTools protocol on a pipe
(--remote-debugging-pipe: file descriptors 3 and 4, NUL-separated JSON),
with the Python standard library only. For what --dump-dom and
--screenshot cannot do: act on a page (choose a filter, click a tab) and
read the result, and take a screenshot of a page that scrolled itself
(--screenshot then captures a blank image).

    chromium_cdp.py shot URL PNG [--size 1280x900] [--scroll SELECTOR] [--no-js]
    chromium_cdp.py eval URL EXPR...   each EXPR's value, as JSON, one a line
    chromium_cdp.py dom URL [--no-js]  the document as HTML once loaded; with
                                       --no-js, scripts are off (a reader who
                                       disabled them: <noscript> shows)
    chromium_cdp.py pdf URL PDF [--no-js]   the page printed

Each EXPR is awaited, so it may be a promise. Exit 1 with the message on
an exception in the page, 2 on a protocol or launch problem."""
import base64
import json
import os
import select
import subprocess
import sys
import tempfile
import time

CHROMIUM = "/usr/bin/chromium"


class Browser:
    def __init__(self, width=1280, height=900, timeout=120, scripts=True):
        self.deadline = time.monotonic() + timeout
        to_child, self._out = os.pipe()
        self._in, from_child = os.pipe()

        def fds():
            # os.pipe() descriptors are close-on-exec: dup them onto 3
            # and 4 through fresh ones, which dup2 makes inheritable.
            a, b = os.dup(to_child), os.dup(from_child)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.profile = tempfile.TemporaryDirectory()
        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--hide-scrollbars", "--remote-debugging-pipe", f"--window-size={width},{height}",
             "--user-data-dir=" + self.profile.name, "about:blank"],
            preexec_fn=fds, close_fds=False, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_child)
        os.close(from_child)
        self._buf = b""
        self._id = 0
        self.url = "about:blank"
        self.scripts = scripts
        self.events = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget",
                                 {"targetId": target, "flatten": True})["sessionId"]
        self.call("Page.enable", session=True)
        self.call("Runtime.enable", session=True)
        if not scripts:
            self.call("Emulation.setScriptExecutionDisabled", {"value": True}, session=True)

    def _send(self, method, params, session):
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = self.session
        os.write(self._out, json.dumps(msg).encode() + b"\0")
        return self._id

    def _next(self):
        while b"\0" not in self._buf:
            left = self.deadline - time.monotonic()
            if left <= 0 or not select.select([self._in], [], [], left)[0]:
                raise SystemExit("chromium_cdp: timed out")
            chunk = os.read(self._in, 1 << 20)
            if not chunk:
                raise SystemExit("chromium_cdp: chromium closed the pipe")
            self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=False):
        want = self._send(method, params, session)
        while True:
            m = self._next()
            if m.get("id") == want:
                if "error" in m:
                    raise SystemExit(f"chromium_cdp: {method}: {m['error']}")
                return m["result"]
            self.events.append(m)

    def wait_event(self, method):
        for i, m in enumerate(self.events):
            if m.get("method") == method:
                del self.events[i]
                return m
        while True:
            m = self._next()
            if m.get("method") == method:
                return m
            self.events.append(m)

    def open(self, url):
        """Load 'url' afresh, even when only its fragment differs from the
        page's (which would only scroll, without a load)."""
        for u in (["about:blank"] if url.split("#")[0] == self.url.split("#")[0] else []) + [url]:
            self.events.clear()
            self.call("Page.navigate", {"url": u}, session=True)
            self.wait_event("Page.loadEventFired")
            self.url = u

    def eval(self, expr):
        r = self.call("Runtime.evaluate", {"expression": expr, "awaitPromise": True,
                                           "returnByValue": True}, session=True)
        if "exceptionDetails" in r:
            d = r["exceptionDetails"]
            raise RuntimeError(d.get("exception", {}).get("description") or d.get("text"))
        return r["result"].get("value")

    def dom(self):
        """The document's markup, read through the DOM domain (works
        with scripts off, unlike Runtime.evaluate)."""
        node = self.call("DOM.getDocument", {"depth": 0}, session=True)["root"]["nodeId"]
        return self.call("DOM.getOuterHTML", {"nodeId": node}, session=True)["outerHTML"]

    def pdf(self, path):
        data = self.call("Page.printToPDF", {"displayHeaderFooter": False}, session=True)["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def screenshot(self, path):
        # Two frames, so that what the page did on load is painted (with
        # scripts off, frame callbacks never run: a pause instead).
        if self.scripts:
            self.eval("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        else:
            time.sleep(0.5)
        data = self.call("Page.captureScreenshot", {"format": "png"}, session=True)["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        try:
            self._send("Browser.close", None, False)
            self.proc.wait(10)
        except Exception:
            self.proc.kill()
        self.profile.cleanup()


def main(argv):
    if len(argv) < 2 or argv[0] not in ("shot", "eval", "dom", "pdf"):
        print(__doc__, file=sys.stderr)
        return 2
    cmd, url, rest = argv[0], argv[1], argv[2:]
    width, height, scroll = 1280, 900, None
    if cmd == "shot":
        png, opts = rest[0], rest[1:]
        while opts:
            if opts[0] == "--size":
                width, height = (int(x) for x in opts[1].split("x"))
            elif opts[0] == "--scroll":
                scroll = opts[1]
            elif opts[0] == "--no-js":
                opts = opts[1:]
                continue
            opts = opts[2:]
    b = Browser(width, height, scripts="--no-js" not in rest)
    try:
        b.open(url)
        if cmd == "dom":
            sys.stdout.write(b.dom())
        elif cmd == "pdf":
            b.pdf(rest[0])
        elif cmd == "shot":
            if scroll:
                node = b.call("DOM.getDocument", {"depth": 0}, session=True)["root"]["nodeId"]
                node = b.call("DOM.querySelector", {"nodeId": node, "selector": scroll},
                              session=True)["nodeId"]
                b.call("DOM.scrollIntoViewIfNeeded", {"nodeId": node}, session=True)
            b.screenshot(png)
        else:
            for expr in rest:
                print(json.dumps(b.eval(expr)))
    except RuntimeError as e:
        print(f"chromium_cdp: exception in the page: {e}", file=sys.stderr)
        return 1
    finally:
        b.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

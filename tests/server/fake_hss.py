#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A fake Huawei Cloud HSS ListRegistryImages endpoint for imgaudit's tests.

Python 3 standard library only. It serves
    GET /v5/{project_id}/image/registries/images
as documented (../shared/reference): offset/limit paging (limit 1..200,
offset 0..2,000,000), total_num, the server-side filters with their enums
and ranges, AK/SK (SDK-HMAC-SHA256, recomputed with the same algorithm;
a wrong signature is 401 APIG.0301 "verify aksk signature fail") and IAM
token (X-Auth-Token) verification, Huawei-style error bodies and an
X-Request-Id on every response.

Faults are chosen per test with --faults, a JSON object (or @FILE):
  "random":  {"rate": 0.2, "kinds": ["429", "503", "reset", ...]}
             each data request faults with probability 'rate' (seeded by
             "seed"); never more than "max_in_row" (default 3) times in a
             row for one offset, so a test cannot flake past --retries.
  "offsets": {"400": ["503", "reset"]}  faults for the first requests of
             one offset, in order.
  "first":   ["429", "429"]   faults for the first data requests overall.
  "always":  "401"            every data request fails with this.
  "drift":   {"after": 3, "count": 2, "delta": 1}  requests number
             after..after+count-1 report total_num + delta (count -1 =
             forever) without any data change.
  "shift":   {"after": 3, "insert": 1}  after that many data requests,
             new records are inserted at offset 0 (a real inventory change).
  "retry_after": 1            send Retry-After: 1 with 429 and 503 responses
                              (a string is sent as it is, e.g. an HTTP-date).
  "fake_total": 3000000       report this total_num (offset limit tests).
  "huge": true                answer with a 40 MB body.
  "slow_ms": 3000             how long the "slow" fault stalls.
  "trickle_ms": 200           the "trickle" fault's pause between bytes.
  "throttle": {"max_inflight": 2, "from": 60, "to": 260, "retry_after": 1}
             a gateway's concurrency limit: while the data request number
             is in [from, to), a request that would make more than
             max_inflight data requests in progress is answered 429
             (after --latency, so that the log's in-flight count sees
             every request the client has open), with Retry-After when
             given; the log's
             "phase" says before, throttle or after, and "inflight" counts
             the requests in progress at its arrival, itself included.
Fault kinds: 429, 500, 502, 503, 504 (with error bodies), 400, 401, 403,
404, reset (connection reset, no response), echo503 and echo401 (a hostile
server: the error body and the X-Request-Id echo the request's
Authorization, X-Auth-Token and X-Security-Token headers, placed so that
a 300-byte cut would split them), truncate (half the promised
body, then reset), badjson (a 200 with invalid JSON), slow (stall
slow_ms before answering), trickle (a 200 whose body comes one byte per
trickle_ms, a slowloris, for at most 10 minutes), bigheader (a 200 whose headers hold one
2 MiB header line, after its X-Request-Id), notapage (a 200 with valid
JSON that is not a page: a data_list element is a number).

--echo-headers makes every response a hostile server's: all request
headers, joined as "Name: value; ...", come back in an X-Echo response
header, in the X-Request-Id, in an error body's error_msg, and in a
page's records (as image_name, which reports show, and as a member
"request_headers", which they do not).

--verbatim serves each record as its line in --data, not re-encoded (so
values Python would rewrite, such as 1e400, reach the client as written).
--latency MS delays every data response; --ensure-ascii sends non-ASCII
text as \\u escapes. --log FILE appends one JSON line per request (no
secrets). Each log line has the request's arrival "time" and its "end" (epoch
seconds), so a test can count the requests in flight from the server's
side. --final-data FILE is rewritten with the served
records (JSON Lines) whenever they change, for comparing a snapshot.
The bound port is printed on stdout and written to --port-file.
"""
import argparse
import hashlib
import hmac
import json
import os
import random
import socket
import struct
import sys
import threading
import time
import uuid
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, unquote

PATH_PREFIX = "/v5/"
PATH_SUFFIX = "/image/registries/images"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()

IMAGE_TYPES = {"private_image", "shared_image", "instance_image", "harbor", "jfrog"}
SCAN_STATUSES = {"unscan", "success", "scanning", "failed", "waiting_for_scan"}
SEVERITIES = {"Security", "Low", "Medium", "High"}
BOOLS = {"latest_version", "has_vul", "risky", "has_malicious_file",
         "has_unsafe_setting", "is_multarch"}
STRINGS = {"namespace": (1, 128), "image_name": (1, 128), "image_version": (1, 64),
           "registry_name": (1, 128), "instance_id": (0, 128), "instance_name": (0, 128),
           "enterprise_project_id": (1, 256)}
TIMES = {"start_latest_update_time": "latest_update_time",
         "end_latest_update_time": "latest_update_time",
         "start_latest_scan_time": "latest_scan_time",
         "end_latest_scan_time": "latest_scan_time",
         "start_latest_sync_time": "latest_sync_time",
         "end_latest_sync_time": "latest_sync_time"}
KNOWN = (set(STRINGS) | BOOLS | set(TIMES) |
         {"image_type", "scan_status", "severity_level", "image_size", "offset", "limit",
          "sort_key", "sort_dir"})

ERRORS = {
    "400": (400, "HSS.1001", "invalid request parameter"),
    "401": (401, "APIG.0301", "Incorrect IAM authentication information: verify aksk signature fail"),
    "403": (403, "APIG.0302", "The IAM user is not authorized to access the API"),
    "404": (404, "APIG.0101", "The API does not exist or has not been published in the environment"),
    "429": (429, "APIG.0308", "The throttling threshold has been reached: policy user over ratelimit,limit:10,time:1 second"),
    "500": (500, "HSS.0001", "Internal server error"),
    "502": (502, "APIG.0202", "Backend unavailable"),
    "503": (503, "HSS.0503", "Service temporarily unavailable"),
    "504": (504, "APIG.0203", "Backend timeout"),
}


def esc(s):
    return quote(s, safe="-_.~")


def canonical_request(method, raw_path, raw_query, headers, signed):
    segs = [esc(unquote(seg)) for seg in raw_path.split("/")]
    uri = "/".join(segs)
    if not uri.endswith("/"):
        uri += "/"
    pairs = parse_qsl(raw_query, keep_blank_values=True)
    pairs.sort(key=lambda kv: (kv[0].encode(), kv[1].encode()))
    query = "&".join(esc(k) + "=" + esc(v) for k, v in pairs)
    lines = "".join(h + ":" + (headers.get(h) or "").strip() + "\n" for h in signed)
    return "\n".join([method, uri, query, lines, ";".join(signed), EMPTY_SHA256])


class State:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.records = []
        self.lines = []
        with open(args.data, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line:
                    self.records.append(json.loads(line))
                    self.lines.append(line)
        plan = args.faults or "{}"
        if plan.startswith("@"):
            with open(plan[1:], encoding="utf-8") as f:
                plan = f.read()
        self.plan = json.loads(plan)
        self.rng = random.Random(self.plan.get("seed", 1))
        self.data_requests = 0
        self.offset_faults = {int(k): list(v) for k, v in self.plan.get("offsets", {}).items()}
        self.first = list(self.plan.get("first", []))
        self.in_row = {}
        self.inflight = 0           # data requests in progress
        self.admitted = 0           # ... of which not refused by "throttle"
        self.shifted = False
        self.next_id = max([r.get("id", 0) for r in self.records
                            if isinstance(r.get("id"), int)] or [0]) + 1
        self.cache = {}
        self.rebuild()

    def rebuild(self):
        if self.args.verbatim:
            self.strs = list(self.lines)
        else:
            self.strs = [json.dumps(r, separators=(",", ":"), ensure_ascii=self.args.ensure_ascii)
                         for r in self.records]
        self.cache = {}
        if self.args.final_data:
            tmp = self.args.final_data + ".tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                for s in self.strs:
                    f.write(s + "\n")
            os.replace(tmp, self.args.final_data)

    def log(self, entry):
        if self.args.log:
            with self.lock, open(self.args.log, "a", encoding="utf-8") as f:
                f.write(json.dumps(entry) + "\n")

    def choose_fault(self, offset, entry):
        """The fault for this data request (or None) and its total_num delta."""
        with self.lock:
            n = self.data_requests
            self.data_requests += 1
            th = self.plan.get("throttle")
            if th:
                lo, hi = th.get("from", 0), th.get("to", 1 << 62)
                entry["phase"] = "before" if n < lo else "throttle" if n < hi else "after"
                if entry["phase"] == "throttle" and self.admitted >= th.get("max_inflight", 1):
                    entry["admitted"] = False
                    return "429", 0
            entry["admitted"] = True
            self.admitted += 1
            shift = self.plan.get("shift")
            if shift and not self.shifted and n >= shift.get("after", 0):
                self.shifted = True
                new = []
                for _ in range(shift.get("insert", 1)):
                    rec = dict(self.records[0]) if self.records else {}
                    rec["id"] = self.next_id
                    rec["image_version"] = "inserted-%d" % self.next_id
                    self.next_id += 1
                    new.append(rec)
                self.records[0:0] = new
                self.rebuild()
            delta = 0
            drift = self.plan.get("drift")
            if drift:
                after, count = drift.get("after", 0), drift.get("count", -1)
                if n >= after and (count < 0 or n < after + count):
                    delta = drift.get("delta", 1)
            fault = None
            if self.plan.get("always"):
                fault = self.plan["always"]
            elif self.first:
                fault = self.first.pop(0)
            elif self.offset_faults.get(offset):
                fault = self.offset_faults[offset].pop(0)
            else:
                rnd = self.plan.get("random")
                if rnd and self.rng.random() < rnd.get("rate", 0):
                    if self.in_row.get(offset, 0) < self.plan.get("max_in_row", 3):
                        fault = self.rng.choice(rnd.get("kinds", ["503"]))
            if fault:
                self.in_row[offset] = self.in_row.get(offset, 0) + 1
            else:
                self.in_row[offset] = 0
            return fault, delta


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Responses are buffered and sent when do_GET returns (the base class
    # flushes then), after the request's log line is written: a test that
    # reads the log as soon as imgaudit exits must find every line there.
    # Unbuffered, the client could finish before the line was written. The
    # faults that need bytes on the wire at a given time flush themselves.
    wbufsize = 1 << 16
    server_version = "fake-hss/1"

    def log_message(self, fmt, *args):  # quiet
        pass

    def finish(self):
        try:
            super().finish()
        except OSError:
            pass

    # ---- responses ----
    def echoed(self):
        """All request headers, one line, for --echo-headers."""
        return "; ".join("%s: %s" % (k, v) for k, v in self.headers.items()).replace(
            "\r", " ").replace("\n", " ")

    def send_body(self, status, body, ctype="application/json", extra=None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Request-Id", self.request_id)
        if self.server.state.args.echo_headers:
            self.send_header("X-Echo", self.echoed())
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def send_error_body(self, status, code, msg, extra=None):
        if self.server.state.args.echo_headers:
            msg += "; you sent: " + self.echoed()
        body = json.dumps({"error_code": code, "error_msg": msg,
                           "request_id": self.request_id}).encode()
        self.send_body(status, body, extra=extra)
        return status

    def reset(self):
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    # ---- checks ----
    def check_auth(self, project_id):
        st = self.server.state
        a = st.args
        hdr = {k.lower(): v for k, v in self.headers.items()}
        token = hdr.get("x-auth-token")
        authz = hdr.get("authorization")
        if token is not None and a.token:
            if token != a.token:
                return self.send_error_body(401, "APIG.0301",
                                            "Incorrect IAM authentication information: decrypt token fail"), "token"
            if a.token_expired:
                return self.send_error_body(401, "APIG.0307", "The token must be updated."), "token"
            return None, "token"
        if authz is not None and a.ak:
            try:
                alg, rest = authz.split(" ", 1)
                parts = dict(p.strip().split("=", 1) for p in rest.split(","))
                access, signed, sig = parts["Access"], parts["SignedHeaders"], parts["Signature"]
            except (ValueError, KeyError):
                return self.send_error_body(401, "APIG.0301",
                                            "Incorrect IAM authentication information: Authorization format error"), "aksk"
            if alg != "SDK-HMAC-SHA256" or access != a.ak:
                return self.send_error_body(401, "APIG.0301",
                                            "Incorrect IAM authentication information: Get secretKey failed, ak not exist"), "aksk"
            names = signed.split(";")
            date = hdr.get("x-sdk-date", "")
            if "x-sdk-date" not in names:
                return self.send_error_body(401, "APIG.0301",
                                            "Incorrect IAM authentication information: x-sdk-date not signed"), "aksk"
            try:
                t = datetime.strptime(date, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
            except ValueError:
                return self.send_error_body(401, "APIG.0301",
                                            "Incorrect IAM authentication information: bad x-sdk-date"), "aksk"
            now = time.time() + a.clock_skew
            if abs(now - t.timestamp()) > 15 * 60:
                server_time = datetime.fromtimestamp(now, timezone.utc).strftime("%Y%m%dT%H%M%SZ")
                return self.send_error_body(401, "APIG.0303",
                                            "Incorrect app authentication information: signature expired, "
                                            "signature time:%s, server time:%s" % (date, server_time)), "aksk"
            if a.security_token and (hdr.get("x-security-token") != a.security_token
                                     or "x-security-token" not in names):
                return self.send_error_body(401, "APIG.0301",
                                            "Incorrect IAM authentication information: security token mismatch"), "aksk"
            if hdr.get("x-project-id", project_id) != project_id:
                return self.send_error_body(403, "APIG.0310", "The project is unavailable."), "aksk"
            raw_path, _, raw_query = self.path.partition("?")
            creq = canonical_request(self.command, raw_path, raw_query, hdr, names)
            sts = "SDK-HMAC-SHA256\n%s\n%s" % (date, hashlib.sha256(creq.encode()).hexdigest())
            want = hmac.new(a.sk.encode(), sts.encode(), hashlib.sha256).hexdigest()
            if not hmac.compare_digest(want, sig):
                return self.send_error_body(401, "APIG.0301",
                                            "Incorrect IAM authentication information: verify aksk signature fail"), "aksk"
            return None, "aksk"
        return self.send_error_body(401, "APIG.0301",
                                    "Incorrect IAM authentication information: no credentials"), "none"

    def check_params(self, q):
        for k, v in q.items():
            bad = None
            if k not in KNOWN:
                bad = "unknown parameter"
            elif k == "limit":
                bad = None if v.isdigit() and 1 <= int(v) <= 200 else "limit must be 1..200"
            elif k == "offset":
                bad = None if v.isdigit() and int(v) <= 2000000 else "offset must be 0..2000000"
            elif k == "image_type" and v not in IMAGE_TYPES:
                bad = "bad image_type"
            elif k == "scan_status" and v not in SCAN_STATUSES:
                bad = "bad scan_status"
            elif k == "severity_level" and v not in SEVERITIES:
                bad = "bad severity_level"
            elif k in BOOLS and v not in ("true", "false"):
                bad = "bad boolean"
            elif k in STRINGS and not STRINGS[k][0] <= len(v) <= STRINGS[k][1]:
                bad = "bad length"
            elif k == "image_size" and not (v.isdigit() and int(v) <= 2147483547):
                bad = "bad image_size"
            elif k in TIMES and not v.isdigit():
                bad = "bad time"
            if bad:
                return "%s: %s" % (k, bad)
        return None

    @staticmethod
    def matches(r, q):
        def num(k):  # the samples hold wrong-typed values on purpose
            v = r.get(k)
            return v if isinstance(v, int) and not isinstance(v, bool) else 0

        for k, v in q.items():
            if k in ("offset", "limit", "enterprise_project_id", "sort_key", "sort_dir"):
                continue
            if k in ("namespace", "image_name", "image_version", "registry_name",
                     "instance_id", "instance_name", "image_type", "scan_status",
                     "severity_level"):
                if r.get(k) != v:
                    return False
            elif k == "image_size":
                if num(k) != int(v):
                    return False
            elif k in BOOLS:
                want = v == "true"
                if k == "latest_version":
                    if want and not r.get("latest_version"):
                        return False
                    continue
                have = {
                    "has_vul": num("vul_num") > 0,
                    "has_malicious_file": num("malicious_file_num") > 0,
                    "has_unsafe_setting": num("unsafe_setting_num") > 0,
                    "risky": num("vul_num") + num("malicious_file_num") +
                             num("unsafe_setting_num") > 0,
                    "is_multarch": r.get("is_multiple_arch") is True,
                }[k]
                if have != want:
                    return False
            elif k in TIMES:
                t = num(TIMES[k])
                if k.startswith("start_") and t < int(v):
                    return False
                if k.startswith("end_") and t > int(v):
                    return False
        return True

    # ---- the endpoint ----
    def do_GET(self):
        st = self.server.state
        a = st.args
        self.request_id = uuid.uuid4().hex
        if a.echo_headers:
            self.request_id += " " + self.echoed()
        raw_path, _, raw_query = self.path.partition("?")
        q = dict(parse_qsl(raw_query, keep_blank_values=True))
        # The peer port shows connection reuse; the signature lets a test
        # grep imgaudit's output for it (this log is the test's, not a product's).
        authz = self.headers.get("Authorization") or ""
        entry = {"path": raw_path, "query": raw_query, "time": time.time(),
                 "peer": self.client_address[1],
                 "sig": authz.rpartition("Signature=")[2] if "Signature=" in authz else None}
        try:
            status = self.serve(st, a, raw_path, q, entry)
        except (BrokenPipeError, ConnectionResetError):
            status = "client-gone"
        except Exception as e:  # a bug here must show, not look like a reset
            import traceback
            traceback.print_exc()
            status = self.send_error_body(500, "FAKE.BUG", "fake_hss: %r" % e)
        entry["status"] = status
        entry["end"] = time.time()
        st.log(entry)

    def serve(self, st, a, raw_path, q, entry):
        if not (raw_path.startswith(PATH_PREFIX) and raw_path.endswith(PATH_SUFFIX)):
            return self.send_error_body(404, "APIG.0101", "The API does not exist or has not been published in the environment")
        pid = unquote(raw_path[len(PATH_PREFIX):-len(PATH_SUFFIX)])
        err, entry["auth"] = self.check_auth(pid)
        if err:
            return err
        if a.project_id and pid != a.project_id and pid not in a.also_project_id:
            return self.send_error_body(403, "APIG.0310", "The project is unavailable.")
        bad = self.check_params(q)
        if bad:
            return self.send_error_body(400, "HSS.1001", "invalid request parameter: " + bad)
        offset = int(q.get("offset", "0"))
        limit = int(q.get("limit", "10"))
        with st.lock:
            st.inflight += 1
            entry["inflight"] = st.inflight
        try:
            return self.serve_data(st, a, q, entry, offset, limit)
        finally:
            with st.lock:
                st.inflight -= 1
                if entry.get("admitted"):
                    st.admitted -= 1

    def serve_data(self, st, a, q, entry, offset, limit):
        fault, delta = st.choose_fault(offset, entry)
        entry["offset"], entry["fault"] = offset, fault
        if entry.get("admitted") is False:
            if a.latency:
                time.sleep(a.latency / 1000.0)
            status, code, msg = ERRORS["429"]
            ra = st.plan["throttle"].get("retry_after")
            return self.send_error_body(status, code, msg,
                                        {"Retry-After": str(ra)} if ra is not None else None)
        if a.latency:
            time.sleep(a.latency / 1000.0)
        if fault == "slow":
            time.sleep(st.plan.get("slow_ms", 3000) / 1000.0)
            fault = None
        if fault in ERRORS:
            status, code, msg = ERRORS[fault]
            extra = {}
            if fault in ("429", "503") and "retry_after" in st.plan:
                extra["Retry-After"] = str(st.plan["retry_after"])
            return self.send_error_body(status, code, msg, extra)
        if fault in ("echo503", "echo401"):
            hdr = {k.lower(): v for k, v in self.headers.items()}
            echoed = " ".join("%s: %s" % (k, hdr[k]) for k in
                              ("authorization", "x-auth-token", "x-security-token") if k in hdr)
            self.request_id = echoed.replace("\r", " ").replace("\n", " ")
            return self.send_error_body(int(fault[4:]), "ECHO.0001",
                                        "you sent " + "." * 240 + echoed)
        if fault == "reset":
            self.reset()
            return "reset"
        if fault == "trickle":
            body = self.page(st, q, offset, limit, delta)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Request-Id", self.request_id)
            self.end_headers()
            pause = st.plan.get("trickle_ms", 200) / 1000.0
            deadline = time.time() + 600
            for i in range(len(body)):
                if time.time() > deadline:
                    break
                self.wfile.write(body[i:i + 1])
                self.wfile.flush()
                time.sleep(pause)
            self.reset()
            return "trickle"
        if fault == "bigheader":
            body = self.page(st, q, offset, limit, delta)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("X-Request-Id", self.request_id)
            self.send_header("X-Padding", "a" * (2 * 1024 * 1024))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return "bigheader"
        if st.plan.get("huge"):
            self.send_response(200)
            size = 40 * 1024 * 1024
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(size))
            self.send_header("X-Request-Id", self.request_id)
            self.end_headers()
            chunk = b" " * 65536
            for _ in range(size // len(chunk)):
                self.wfile.write(chunk)
            return 200
        body = self.page(st, q, offset, limit, delta)
        if a.echo_headers:
            page = json.loads(body)
            for r in page["data_list"]:
                r["image_name"] = r["request_headers"] = self.echoed()
            body = json.dumps(page).encode()
        if fault == "truncate":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Request-Id", self.request_id)
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.reset()
            return "truncate"
        if fault == "badjson":
            body = body[: len(body) // 2]
        if fault == "notapage":
            body = b'{"total_num":1,"data_list":[1]}'
        self.send_body(200, body)
        return 200

    @staticmethod
    def page(st, q, offset, limit, delta):
        fkey = tuple(sorted((k, v) for k, v in q.items() if k not in ("offset", "limit")))
        with st.lock:
            key = (fkey, offset, limit, delta)
            body = st.cache.get(key)
            if body is not None:
                return body
            if fkey and any(k != "enterprise_project_id" for k, _ in fkey):
                idx = st.cache.get(("idx", fkey))
                if idx is None:
                    idx = [i for i, r in enumerate(st.records) if Handler.matches(r, dict(fkey))]
                    st.cache[("idx", fkey)] = idx
                strs = [st.strs[i] for i in idx]
            else:
                strs = st.strs
            total = st.plan.get("fake_total", len(strs)) + delta
            body = ('{"total_num":%d,"data_list":[%s]}'
                    % (total, ",".join(strs[offset:offset + limit]))).encode()
            st.cache[key] = body
            return body


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def handle_error(self, request, client_address):  # resets are part of the job
        pass


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True, help="records, JSON Lines")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--project-id", default="")
    ap.add_argument("--also-project-id", action="append", default=[],
                    help="another project this endpoint serves, with the same data "
                         "(several projects of one region, one endpoint); repeatable")
    ap.add_argument("--ak", default="")
    ap.add_argument("--sk", default="")
    ap.add_argument("--security-token", default="")
    ap.add_argument("--token", default="")
    ap.add_argument("--token-expired", action="store_true")
    ap.add_argument("--clock-skew", type=float, default=0, help="server clock offset, seconds")
    ap.add_argument("--latency", type=float, default=0, help="milliseconds per data request")
    ap.add_argument("--faults", default="")
    ap.add_argument("--verbatim", action="store_true",
                    help="serve each record as its line in --data, not re-encoded")
    ap.add_argument("--echo-headers", action="store_true",
                    help="echo all request headers back (a hostile server)")
    ap.add_argument("--ensure-ascii", action="store_true",
                    help="send non-ASCII as \\u escapes (surrogate pairs included)")
    ap.add_argument("--log")
    ap.add_argument("--final-data")
    ap.add_argument("--tls-cert", help="serve HTTPS with this certificate (PEM)")
    ap.add_argument("--tls-key", help="the certificate's private key (PEM)")
    args = ap.parse_args()
    if args.host not in ("127.0.0.1", "::1", "localhost"):
        sys.exit("fake_hss: loopback only")
    srv = Server((args.host, args.port), Handler)
    srv.state = State(args)
    if args.tls_cert:
        import ssl
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    port = srv.server_address[1]
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.replace(tmp, args.port_file)
    print(port, flush=True)
    try:
        srv.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()

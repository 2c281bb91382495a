#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Generate realistic HSS ListRegistryImages records for samples, tests
and benchmarks.

    gen_images.py --count N --seed S [--format jsonl|api|array]
                  [--ref-time 2026-11-27T08:00:00Z] [--hostile-ratio F]
                  [-o FILE]

The output is deterministic: the same arguments give byte-identical
output (one random.Random(seed), fixed key order, no clock, no hash
ordering). Records are written one at a time, so --count 1000000 runs in
constant memory.

What the records look like (RegistryImagesInfo, see
../../../shared/reference/hss-api-facts.md):

* The first records walk through every documented enum value and the
  corner cases the rules and the data-quality table care about (failed
  scans with each failure code, never-scanned, stale scans, High
  severity, malicious files, unsafe settings, expired shared images,
  `latest` tags, multi-arch images with 1-4 association_images, nulls,
  ids given as strings of digits, an unknown enum value, wrong-typed
  values), so even a sample of ~60 records covers them all.
* The rest are drawn from skewed distributions: a few namespaces and
  images hold most records, most scans succeed, vulnerability counts have
  a long tail, sizes are log-normal, times are epoch milliseconds before
  --ref-time.
* --hostile-ratio F puts a hostile string (markup, spreadsheet formulas,
  control characters, quotes, non-ASCII, very long text) into one or two
  text fields of that fraction of the records, cycling through the whole
  list so that every one appears.

Python 3 standard library only.
"""

import argparse
import datetime
import json
import random
import sys

DAY_MS = 86400 * 1000

# (name, weight): a few teams own most images.
NAMESPACES = [
    ("platform", 18), ("payments", 12), ("web", 11), ("data-eng", 9),
    ("ml", 7), ("mobile-backend", 6), ("search", 5), ("billing", 5),
    ("infra", 5), ("security", 4), ("qa", 4), ("library", 4),
    ("observability", 3), ("iot", 2), ("legacy", 2), ("sandbox", 2),
    ("partner-acme", 1), ("edge", 1),
]
BASE_IMAGES = ["nginx", "redis", "mysql", "postgres", "centos7", "ubuntu",
               "alpine", "python", "node", "openjdk", "golang", "busybox",
               "mongo", "rabbitmq", "elasticsearch", "kafka", "etcd",
               "haproxy", "tomcat", "php-fpm"]
SERVICES = ["api-gateway", "order-service", "user-service", "payment-worker",
            "checkout", "catalog", "notifier", "auth", "report-builder",
            "etl-runner", "feature-store", "model-server", "frontend",
            "admin-console", "scheduler", "log-shipper", "metrics-agent",
            "cert-manager", "ingress-controller", "batch-exporter"]

IMAGE_TYPES = [("private_image", 55), ("shared_image", 14),
               ("instance_image", 16), ("harbor", 10), ("jfrog", 5)]
REGISTRY_TYPE = {"private_image": "SwrPrivate", "shared_image": "SwrShared",
                 "instance_image": "SwrEnterprise", "harbor": "Harbor",
                 "jfrog": "Jfrog"}
SCAN_STATUSES = [("success", 72), ("failed", 8), ("unscan", 7),
                 ("waiting_for_scan", 4), ("scanning", 3),
                 ("download_failed", 3), ("image_oversized", 2)]
SEVERITIES = ["Security", "Low", "Medium", "High"]
FAILED = [
    ("unknown_error", "Unknown error."),
    ("authentication_failed", "Authentication failed."),
    ("download_failed", "Image download failed. Contact technical support."),
    ("image_over_sized", "The image is too large to be scanned. Slim the image."),
    ("get_detail_info_not_found", "Image details not found. The image may no "
     "longer exist in the registry. Synchronize images again."),
    ("image_layer_over_sized", "The image has too many layers to be scanned."),
    ("schema_v1_not_support", "Schema V1 images are not supported. Upgrade to V2."),
    ("access_swr_failed", "Failed to access SWR. Contact technical support."),
    ("swr_authentication_error", "SWR authorization is missing. Grant image permissions."),
    ("failed_to_scan_vulnerability", "Vulnerability scan failed."),
    ("failed_to_scan_file", "File scan failed."),
    ("failed_to_scan_software", "Software scan failed."),
    ("failed_to_check_sensitive_information", "Sensitive information check failed."),
    ("failed_to_check_baseline", "Baseline check failed."),
    ("failed_to_check_software_compliance", "Software compliance check failed."),
    ("failed_to_query_basic_image_information", "Failed to query base image information."),
    ("failed_to_check_build_cmd", "Image build instruction scan failed."),
    ("response_timed_out", "Response timed out."),
    ("database_error", "Database error."),
    ("failed_to_send_the_scan_request", "Failed to send the scan request."),
]
ARCHES = ["amd64", "arm64", "ppc64le", "s390x"]

HOSTILE = [
    "<script>alert(1)</script>",
    "</script><script>alert(document.domain)</script>",
    "=HYPERLINK(\"http://x\",\"y\")",
    "+cmd|' /C calc'!A0",
    "-1+2",
    "@SUM(A1)",
    "\tleading-tab",
    "\rleading-carriage-return",
    "say \"hello\", then \"bye\"",
    "comma,separated,value",
    "line one\nline two\r\nline three",
    "\u955c\u50cf\u4ed3\u5e93-\u751f\u4ea7",          # CJK
    "rocket-\U0001F680-\U0001F525",                    # emoji
    "cafe\u0301-n\u0303-a\u0308",                      # combining marks
    "{namespace}/{image_name}:{{version}}",
    "%s%n%x%%",
    "'; DROP TABLE images; --",
    "&lt;b&gt; & <b>bold</b> &amp;",
    "back\\slash\\\\double",
    "right-to-left \u202emoc.elpmaxe\u202c",
    "zero\u200bwidth",
    "L" * 5000,
    "long-" + "0123456789abcdef" * 2500,   # 40005 chars: past Excel's 32767
]
HOSTILE_FIELDS = ["image_name", "namespace", "image_version",
                  "scan_failed_desc", "instance_name", "registry_name",
                  "domain_name"]


def weighted(pairs):
    """Return (values, cumulative weights) for random.choices."""
    vals = [p[0] for p in pairs]
    cum, t = [], 0
    for p in pairs:
        t += p[1]
        cum.append(t)
    return vals, cum


NS_VALS, NS_CUM = weighted(NAMESPACES)
TYPE_VALS, TYPE_CUM = weighted(IMAGE_TYPES)
STATUS_VALS, STATUS_CUM = weighted(SCAN_STATUSES)


class Gen:
    """One record at a time from a seeded random.Random."""

    def __init__(self, seed, ref_ms, hostile_ratio):
        self.r = random.Random(seed)
        self.ref = ref_ms
        self.hostile_ratio = hostile_ratio
        self.hostile_next = 0
        self.next_id = 100000 + self.r.randrange(900000)

    def hexid(self, bits=256):
        return "%0*x" % (bits // 4, self.r.getrandbits(bits))

    def version(self):
        r = self.r
        x = r.random()
        if x < 0.12:
            return "latest"
        if x < 0.55:
            return "%d.%d.%d" % (r.randrange(1, 6), r.randrange(20), r.randrange(30))
        if x < 0.70:
            return "v%d.%d.%d" % (r.randrange(1, 4), r.randrange(40), r.randrange(10))
        if x < 0.80:
            return "%d.%d" % (r.randrange(1, 9), r.randrange(10))
        if x < 0.90:
            return "2026%02d%02d-%s" % (r.randrange(1, 12), r.randrange(1, 29), self.hexid(28))
        return r.choice(["stable", "alpine3.19", "bookworm", "jdk17", "slim", "dev", "canary"])

    def image_name(self, ns):
        r = self.r
        if ns == "library" or r.random() < 0.3:
            return r.choice(BASE_IMAGES)
        return r.choice(SERVICES)

    def registry(self, itype):
        r = self.r
        if itype == "harbor":
            name = r.choice(["harbor-prod", "harbor-dev", "harbor-dr"])
        elif itype == "jfrog":
            name = r.choice(["artifactory-main", "jfrog-eu"])
        elif itype == "instance_image":
            name = r.choice(["swr-ee-prod", "swr-ee-staging"])
        else:
            name = "swr-" + r.choice(["cn-north-4", "cn-east-3", "ap-southeast-1"])
        rtype = REGISTRY_TYPE[itype]
        if itype in ("harbor", "jfrog") and r.random() < 0.1:
            rtype = "Other"
        return "reg-" + name, name, rtype

    def assoc(self, rec, arch):
        r = self.r
        self.next_id += 1
        status = rec["scan_status"] if r.random() < 0.8 else r.choice(STATUS_VALS)
        return {
            "id": self.next_id,
            "image_id": self.hexid(),
            "image_name": rec["image_name"],
            "image_version": "%s-%s" % (rec["image_version"], arch),
            "image_type": rec["image_type"],
            "namespace": rec["namespace"],
            "image_digest": "sha256:" + self.hexid(),
            "scan_status": status,
            "vul_num": int(r.paretovariate(1.3) * 2) - 2 if status == "success" else 0,
            "unsafe_setting_num": r.choice([0, 0, 0, 1, 2]),
            "malicious_file_num": 1 if r.random() < 0.02 else 0,
        }

    def record(self, case=None):
        """A drawn record; 'case' forces one of the coverage scenarios."""
        r = self.r
        case = case or {}
        ns = case.get("namespace") or r.choices(NS_VALS, cum_weights=NS_CUM)[0]
        itype = case.get("image_type") or ("shared_image" if ns == "library" and r.random() < 0.5
                                           else r.choices(TYPE_VALS, cum_weights=TYPE_CUM)[0])
        status = case.get("scan_status") or r.choices(STATUS_VALS, cum_weights=STATUS_CUM)[0]
        reg_id, reg_name, reg_type = self.registry(itype)
        if "registry_type" in case:
            reg_type = case["registry_type"]
        self.next_id += r.randrange(1, 40)
        image_id = self.hexid()
        rec = {
            "id": self.next_id,
            "namespace": ns,
            "image_name": case.get("image_name") or self.image_name(ns),
            "image_id": image_id,
            "image_digest": "sha256:" + self.hexid(),
            "image_version": case.get("image_version") or self.version(),
            "image_type": itype,
            "registry_id": reg_id,
            "registry_name": reg_name,
            "registry_type": reg_type,
            "latest_version": r.random() < 0.3,
            "scan_status": status,
        }
        # Update, scan and sync times: epoch ms before the reference time.
        sync = self.ref - int(r.expovariate(1 / 6.0) * 3600 * 1000)
        update = sync - int(r.expovariate(1 / 40.0) * DAY_MS) - r.randrange(DAY_MS)
        if case.get("stale"):
            update = self.ref - r.randrange(300, 700) * DAY_MS
        scanned = status in ("success", "failed", "download_failed", "image_oversized", "scanning")
        if scanned and not case.get("never_scanned"):
            age = case.get("scan_age_days")
            if age is None:
                age = min(r.expovariate(1 / 9.0), 400)
            scan = self.ref - int(age * DAY_MS) - r.randrange(3600 * 1000)
            # Most scans follow the last push; some images changed since.
            if update > scan and r.random() < 0.7:
                update = scan - r.randrange(1, 30) * DAY_MS
        else:
            scan = None
        if status in ("failed", "download_failed", "image_oversized"):
            code = case.get("scan_failed_code")
            if code is None:
                code = {"download_failed": "download_failed",
                        "image_oversized": "image_over_sized"}.get(status) or r.choice(FAILED)[0]
            rec["scan_failed_desc"] = dict(FAILED).get(code, "")
            rec["scan_failed_code"] = code
        size = int(r.lognormvariate(19.0, 1.1))
        if status == "image_oversized":
            size = r.randrange(1500, 2047) * 1024 * 1024
        rec["image_size"] = min(size, 2147483547)
        rec["latest_update_time"] = update
        if scan is not None:
            rec["latest_scan_time"] = scan
        elif r.random() < 0.5:
            rec["latest_scan_time"] = 0 if r.random() < 0.5 else None
        rec["latest_sync_time"] = sync
        if status == "success":
            vul = case.get("vul_num")
            if vul is None:
                vul = 0 if r.random() < 0.35 else min(int(r.paretovariate(1.1) * 3), 5000)
            unsafe = case.get("unsafe_setting_num", r.choice([0, 0, 0, 0, 1, 1, 2, 3, 5, 12]))
            mal = case.get("malicious_file_num", r.randrange(1, 6) if r.random() < 0.03 else 0)
            rec["vul_num"] = vul
            rec["unsafe_setting_num"] = unsafe
            rec["malicious_file_num"] = mal
        else:
            rec["vul_num"] = 0
            rec["unsafe_setting_num"] = 0
            rec["malicious_file_num"] = 0
        if itype == "shared_image":
            rec["domain_name"] = "scc_cgs_" + r.choice(["acme", "globex", "initech", "umbrella"])
            rec["shared_status"] = case.get("shared_status") or (
                "expired" if r.random() < 0.2 else "effective")
        rec["scannable"] = case.get("scannable", status != "image_oversized")
        multi = case.get("multi_arch", r.random() < 0.1)
        rec["is_multiple_arch"] = multi
        if itype == "instance_image":
            inst = reg_name
            rec["instance_name"] = inst
            rec["instance_id"] = "%s-%s-%s-%s-%s" % (self.hexid(32), self.hexid(16),
                                                     self.hexid(16), self.hexid(16), self.hexid(48))
            rec["instance_url"] = "https://%s.swr.cn-north-4.myhuaweicloud.com" % inst
        else:
            rec["instance_name"] = ""
            rec["instance_id"] = ""
            rec["instance_url"] = ""
        if status == "success":
            sev = case.get("severity_level")
            if sev is None:
                v = rec["vul_num"]
                sev = ("Security" if v == 0 else "High" if v > 60 or r.random() < 0.1
                       else "Medium" if v > 8 else "Low")
            rec["severity_level"] = sev
        if multi:
            n = case.get("assoc_count") or r.randrange(1, 5)
            rec["association_images"] = [self.assoc(rec, a) for a in ARCHES[:n]]
        for k, v in case.get("set", {}).items():
            rec[k] = v
        for k in case.get("drop", []):
            rec.pop(k, None)
        if self.hostile_ratio > 0 and r.random() < self.hostile_ratio:
            for f in r.sample(HOSTILE_FIELDS, r.randrange(1, 3)):
                rec[f] = HOSTILE[self.hostile_next % len(HOSTILE)]
                self.hostile_next += 1
        return rec


def coverage_cases():
    """Scenarios for the first records: every enum value and corner case."""
    cases = []
    for code, _ in FAILED:
        cases.append({"scan_status": "failed", "scan_failed_code": code})
    cases += [
        {"scan_status": "download_failed"},
        {"scan_status": "image_oversized", "scannable": False},
        {"scan_status": "unscan", "never_scanned": True},
        {"scan_status": "unscan", "never_scanned": True, "drop": ["latest_scan_time"]},
        {"scan_status": "scanning"},
        {"scan_status": "waiting_for_scan"},
        {"scan_status": "success", "scan_age_days": 45, "stale": True},
        {"scan_status": "success", "scan_age_days": 120},
        {"scan_status": "success", "vul_num": 0, "severity_level": "Security"},
        {"scan_status": "success", "vul_num": 3, "severity_level": "Low"},
        {"scan_status": "success", "vul_num": 27, "severity_level": "Medium"},
        {"scan_status": "success", "vul_num": 1843, "severity_level": "High"},
        {"scan_status": "success", "vul_num": 4, "malicious_file_num": 2, "severity_level": "High"},
        {"scan_status": "success", "unsafe_setting_num": 9},
        {"image_type": "shared_image", "shared_status": "expired", "scan_status": "success"},
        {"image_type": "shared_image", "shared_status": "effective", "scan_status": "success"},
        {"image_type": "private_image", "image_version": "latest", "scan_status": "success"},
        {"image_type": "instance_image", "image_version": "latest", "scan_status": "success"},
        {"image_type": "harbor", "scan_status": "success"},
        {"image_type": "harbor", "registry_type": "Other", "scan_status": "success"},
        {"image_type": "jfrog", "scan_status": "success"},
        {"multi_arch": True, "assoc_count": 1, "scan_status": "success"},
        {"multi_arch": True, "assoc_count": 4, "scan_status": "success"},
        # Data quality: ids as digit strings, nulls, unknown enum values
        # and wrong types, as real exports and the API doc's example have.
        {"set": {"id": "4242001"}},
        {"set": {"id": "4242002", "image_size": "1,000 (bytes)"}},
        {"set": {"registry_name": None, "domain_name": None, "latest_sync_time": None}},
        {"scan_status": "queued"},
        {"scan_status": "success", "severity_level": "Critical"},
        {"set": {"vul_num": "many", "scannable": "yes"}},
    ]
    return cases


def parse_time(s):
    try:
        dt = datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        raise argparse.ArgumentTypeError("expected a UTC time like 2026-11-27T08:00:00Z")
    return int(dt.replace(tzinfo=datetime.timezone.utc).timestamp()) * 1000


def ratio(s):
    v = float(s)
    if not 0.0 <= v <= 1.0:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return v


def main(argv=None):
    ap = argparse.ArgumentParser(description="Generate HSS image records (deterministic).")
    ap.add_argument("--count", type=int, required=True, help="number of records")
    ap.add_argument("--seed", type=int, required=True, help="random seed")
    ap.add_argument("--format", choices=["jsonl", "api", "array"], default="jsonl")
    ap.add_argument("--ref-time", type=parse_time, default=parse_time("2026-11-27T08:00:00Z"),
                    help="times are before this UTC time (default 2026-11-27T08:00:00Z)")
    ap.add_argument("--hostile-ratio", type=ratio, default=0.0,
                    help="fraction of records given hostile strings (0..1)")
    ap.add_argument("-o", "--output", default="-", help="output file (default stdout)")
    a = ap.parse_args(argv)
    if a.count < 0:
        ap.error("--count must be >= 0")

    gen = Gen(a.seed, a.ref_time, a.hostile_ratio)
    cases = coverage_cases()
    enc = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    out = (open(a.output, "w", encoding="utf-8", newline="\n") if a.output != "-"
           else open(sys.stdout.fileno(), "w", encoding="utf-8", newline="\n", closefd=False))
    with out:
        if a.format == "api":
            out.write('{"total_num":%d,"data_list":[' % a.count)
        elif a.format == "array":
            out.write("[")
        for i in range(a.count):
            text = enc(gen.record(cases[i] if i < len(cases) else None))
            if a.format == "jsonl":
                out.write(text + "\n")
            else:
                out.write(("\n" if i == 0 else ",\n") + text)
        if a.format == "api":
            out.write("\n]}\n" if a.count else "]}\n")
        elif a.format == "array":
            out.write("\n]\n" if a.count else "]\n")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:
        # "gen_images.py ... | head" is normal use, not an error.
        sys.stderr.close()
        sys.exit(0)

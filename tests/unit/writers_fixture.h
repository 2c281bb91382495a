/* SPDX-License-Identifier: MIT
 * A small, fixed report for the writer tests (JSON golden file, HTML
 * and XLSX smoke tests), built with the report builder from JSON records
 * so that it does not depend on the rule engine. It holds the hostile
 * values the writers must survive: markup and script in names, a
 * spreadsheet formula, quotes, a newline, non-ASCII, a script-block
 * terminator, and a value of the wrong type for the data-quality table.
 *
 * Header-only (static functions) because each unit test is its own
 * executable. */
#ifndef IMGAUDIT_WRITERS_FIXTURE_H
#define IMGAUDIT_WRITERS_FIXTURE_H
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "model/record.h"
#include "report/report.h"
#include "util/xalloc.h"

static const char *const fixture_records[] = {
    "{\"id\": 101, \"namespace\": \"prod\", \"image_name\": \"nginx\", \"image_version\": "
    "\"1.25\", \"image_digest\": \"sha256:aa11\", \"image_id\": \"img-aa11\", "
    "\"registry_id\": \"reg-1\", \"registry_name\": \"swr-cn-north-4\", \"registry_type\": "
    "\"SwrPrivate\", \"image_type\": \"private_image\", \"severity_level\": \"High\", "
    "\"vul_num\": 42, \"malicious_file_num\": 0, \"unsafe_setting_num\": 2, "
    "\"scan_status\": \"success\", \"latest_scan_time\": 1764057600000, "
    "\"latest_update_time\": 1763971200500, \"latest_version\": true, \"scannable\": true, "
    "\"image_size\": 73400320, \"association_images\": [{\"id\": 1}, {\"id\": 2}]}",

    "{\"id\": 102, \"namespace\": \"<script>document.title='pwned'</script>\", "
    "\"image_name\": \"=HYPERLINK(\\\"http://evil.example\\\",\\\"click\\\")\", "
    "\"image_version\": \"v1\\\"'<b>x</b>\", \"image_digest\": \"sha256:bb22\", "
    "\"image_id\": \"img-bb22\", \"registry_name\": \"r\\u00e9gistre \\u6d4b\\u8bd5\", "
    "\"registry_type\": \"SwrShared\", \"image_type\": \"shared_image\", "
    "\"severity_level\": \"Medium\", \"vul_num\": 7, \"scan_status\": \"success\", "
    "\"latest_scan_time\": 1763280000000, \"scan_failed_desc\": \"line1\\nline2, \\\"q\\\"\", "
    "\"scannable\": false}",

    "{\"id\": 103, \"namespace\": \"stg\", \"image_name\": \"</script><!--app\", "
    "\"image_version\": \"latest\", \"image_size\": \"1,000 (bytes)\", "
    "\"scan_status\": \"not_a_status\", \"registry_name\": \"swr-cn-north-4\"}",
};

static void fixture_rule(struct report *rep, size_t i, const char *id, const char *title,
                         enum severity sev, const char *when, const char *tag)
{
    struct report_rule *r = &rep->rules[i];
    r->id = report_str(rep, id);
    r->title = report_str(rep, title);
    r->severity = sev;
    r->description = report_str(rep, "Why it matters: <see> \"policy\" & more.");
    r->remediation = report_str(rep, "Rebuild the image.");
    r->when = report_str(rep, when);
    r->message = report_str(rep, "");
    r->file = report_str(rep, "rules/test.yaml");
    const char **tags = xcalloc(2, sizeof *tags);
    tags[0] = report_str(rep, tag);
    r->tags = tags;
    r->n_tags = 1;
}

/* The fixture up to its findings: meta, rules, images, data quality. */
static void fixture_base(struct report *rep)
{
    report_init(rep);
    rep->meta.version = "0.1.0";   /* pinned: golden files must not follow releases */
    rep->meta.generated_at_ms = 1764230400123;
    rep->meta.now_ms = 1764230400000;
    rep->meta.provenance = REPORT_PROV_MISSING;
    rep->meta.records_format = "jsonl";
    rep->meta.records_received = 3;
    snprintf(rep->meta.source_sha256, SHA256_HEX_LEN, "%064d", 0);
    rep->meta.fail_on = SEV_HIGH;

    rep->n_rules = 3;
    rep->rules = xcalloc(rep->n_rules, sizeof *rep->rules);
    fixture_rule(rep, 0, "IMG-VULNS", "Too many vulnerabilities", SEV_CRITICAL,
                 "vul_num > params.max_vulns", "soc2-cc7.1");
    fixture_rule(rep, 1, "IMG-HSS-HIGH", "HSS risk level is High", SEV_HIGH,
                 "severity_level == \"High\"", "iso27001-a.12.6");
    fixture_rule(rep, 2, "IMG-LATEST <tag>", "Mutable 'latest' tag </script>", SEV_LOW,
                 "image_version == \"latest\"", "cis-4.2");
    rep->meta.n_params = 1;
    rep->meta.params = xcalloc(1, sizeof *rep->meta.params);
    rep->meta.params[0].name = report_str(rep, "max_vulns");
    rep->meta.params[0].value = report_str(rep, "5");
    rep->meta.params[0].type = report_str(rep, "integer");
    report_add_rulefile(rep, "rules/test.yaml",
                        "1111111111111111111111111111111111111111111111111111111111111111");

    struct quality q;
    quality_init(&q);
    for (size_t i = 0; i < sizeof fixture_records / sizeof fixture_records[0]; i++) {
        json_error_t err;
        json_t *obj = json_loads(fixture_records[i], 0, &err);
        if (!obj)
            abort();
        struct record rec;
        record_decode(&rec, obj, i, &q);
        report_add_image(rep, &rec);
        record_dispose(&rec);
    }
    report_set_quality(rep, &q);
}

/* Fill 'rep' (report_init'ed here) with the fixture; report_dispose()
 * frees it all. */
static void fixture_report(struct report *rep)
{
    fixture_base(rep);
    report_add_finding(rep, 0, 0, "prod/nginx:1.25 has 42 vulnerabilities");
    report_add_finding(rep, 0, 1, "<script>document.title='pwned'</script> has 7 </script>");
    report_add_finding(rep, 1, 0, "HSS says High");
    report_add_finding(rep, 2, 2, "=HYPERLINK(\"http://evil.example\",\"x\")");
    report_add_unknown(rep, 0);
    report_add_unknown(rep, 1);
    report_add_unknown(rep, 1);
    report_finish(rep);
}

/* (unused attribute: not every test uses the full fixture) */
__attribute__((unused)) static void fixture_waiver(struct report *rep, const char *id, const char *rule,
                           const char *expires, int64_t expires_ms, bool is_date,
                           size_t waived, size_t matched, size_t unknown)
{
    struct report_waiver w;
    memset(&w, 0, sizeof w);
    w.id = id;
    w.rule = rule;
    w.when = strcmp(id, "W-UNUSED") == 0 ? "namespace == \"gone\"" : "";
    w.reason = "Vendor fix pending <b>\"soon\"</b>";
    w.owner = "sec-team@example.com";
    w.ticket = strcmp(id, "W-ACTIVE") == 0 ? "SEC-42" : NULL;
    w.expires = expires;
    w.expires_ms = expires_ms;
    w.expires_is_date = is_date;
    w.file = "waivers/<team>.yaml";
    w.line = 3;
    uint32_t i = report_add_waiver(rep, &w);
    rep->waivers[i].waived = waived;
    rep->waivers[i].matched = matched;
    rep->waivers[i].unknown = unknown;
}

/* The fixture as a run with every governance feature gives it: an API
 * source, waivers in each state (active, expiring, expired, unused) with
 * a waived finding, an expiring waiver's finding and a finding whose
 * waiver expired, an existing finding first seen before this run, a
 * baseline with two resolved findings (one of a rule this run no longer
 * has), warnings, and all three gates. For the reader's round trip and
 * the baseline tests. */
__attribute__((unused)) static void fixture_report_full(struct report *rep)
{
    fixture_base(rep);
    struct report_meta *m = &rep->meta;
    m->provenance = REPORT_PROV_PULL;
    m->records_format = report_str(rep, "api");
    m->pulled_at_ms = 1764143400000;
    m->pulled_by = report_str(rep, "imgaudit 0.1.0");
    m->endpoint = report_str(rep, "https://hss.cn-north-4.myhuaweicloud.com");
    m->region = report_str(rep, "cn-north-4");
    m->project_id = report_str(rep, "p-0123456789");
    static const char *filters[] = {"namespace=prod", "image_type=private_image"};
    const char **fv = xcalloc(2, sizeof *fv);
    fv[0] = report_str(rep, filters[0]);
    fv[1] = report_str(rep, filters[1]);
    m->filters = fv;
    m->n_filters = 2;
    m->has_total = true;
    m->total_num = 4;
    m->duplicates_dropped = 1;
    m->pages = 1;
    m->retries = 2;
    m->fail_on_new = SEV_HIGH;
    m->fail_on_expired_waivers = true;
    m->warn_expiring_days = 14;
    report_add_waiver_file(rep, "waivers/<team>.yaml",
                           "2222222222222222222222222222222222222222222222222222222222222222");
    fixture_waiver(rep, "W-ACTIVE", "IMG-HSS-HIGH", "2027-03-31", 1806537600000, true, 1, 1, 0);
    fixture_waiver(rep, "W-EXPIRED", "IMG-VULNS", "2025-11-01T00:00:00Z", 1761955200000, false,
                   0, 1, 0);
    fixture_waiver(rep, "W-UNUSED", "IMG-VULNS", "2026-06-01", 1780358400000, true, 0, 0, 1);
    fixture_waiver(rep, "W-SOON", "IMG-LATEST <tag>", "2025-12-05", 1764979200000, true, 1, 1,
                   0);
    m->baseline.present = true;
    m->baseline.path = report_str(rep, "reports/<last week>.json");
    snprintf(m->baseline.sha256, SHA256_HEX_LEN, "%064d", 3);
    m->baseline.now_ms = 1763625600000;
    m->baseline.generated_at_ms = 1763625900500;
    m->baseline.project_id = report_str(rep, "p-0123456789");
    m->baseline.region = NULL;
    m->baseline.complete = true;
    m->baseline.findings = 4;
    report_add_warning(rep, "the baseline reports/<last week>.json was made with other rule files");
    report_add_warning(rep, "a warning with \"quotes\" & <markup>");

    /* Existing since 2025-10-01, waiver expired. */
    size_t f = report_add_finding(rep, 0, 0, "prod/nginx:1.25 has 42 vulnerabilities");
    rep->findings[f].change = CHANGE_EXISTING;
    rep->findings[f].first_seen_ms = 1759320000250;
    rep->findings[f].status = FINDING_WAIVER_EXPIRED;
    rep->findings[f].waiver = 1;
    report_add_match(rep, f, 1);
    report_add_finding(rep, 0, 1, "<script>document.title='pwned'</script> has 7 </script>");
    /* Waived, matched by two waivers; its message is the rule's title. */
    f = report_add_finding(rep, 1, 0, NULL);
    rep->findings[f].status = FINDING_WAIVED;
    rep->findings[f].waiver = 0;
    rep->findings[f].change = CHANGE_EXISTING;
    rep->findings[f].first_seen_ms = 1763625600000;
    report_add_match(rep, f, 0);
    report_add_match(rep, f, 3);
    f = report_add_finding(rep, 2, 2, "=HYPERLINK(\"http://evil.example\",\"x\")");
    rep->findings[f].status = FINDING_WAIVED;
    rep->findings[f].waiver = 3;
    report_add_match(rep, f, 3);
    report_add_unknown(rep, 0);
    report_add_unknown(rep, 1);

    /* Resolved: one of a rule still here, one of a rule since removed. */
    rep->resolved_rules = xcalloc(2, sizeof *rep->resolved_rules);
    rep->n_resolved_rules = rep->cap_resolved_rules = 2;
    rep->resolved_rules[0].id = report_str(rep, "IMG-LATEST <tag>");
    rep->resolved_rules[0].title = report_str(rep, "Mutable 'latest' tag </script>");
    rep->resolved_rules[0].severity = SEV_LOW;
    rep->resolved_rules[0].description = rep->rules[2].description;
    rep->resolved_rules[0].remediation = rep->rules[2].remediation;
    rep->resolved_rules[1].id = report_str(rep, "IMG-OLD");
    rep->resolved_rules[1].title = report_str(rep, "A rule since removed");
    rep->resolved_rules[1].severity = SEV_MEDIUM;
    rep->resolved_images = xcalloc(2, sizeof *rep->resolved_images);
    rep->n_resolved_images = rep->cap_resolved_images = 2;
    for (int i = 0; i < 2; i++) {
        struct report_image *img = &rep->resolved_images[i];
        img->max_severity = -1;
        img->c[F_NAMESPACE].state = CELL_OK;
        img->c[F_NAMESPACE].v.s = report_str(rep, i ? "stg" : "prod");
        img->c[F_IMAGE_NAME].state = CELL_OK;
        img->c[F_IMAGE_NAME].v.s = report_str(rep, "old-app");
        img->c[F_IMAGE_VERSION].state = CELL_OK;
        img->c[F_IMAGE_VERSION].v.s = report_str(rep, i ? "latest" : "");
        img->c[F_VUL_NUM].state = CELL_OK;
        img->c[F_VUL_NUM].v.i = 3 + i;
        img->c[F_LATEST_SCAN_TIME].state = CELL_OK;
        img->c[F_LATEST_SCAN_TIME].v.i = 1757894400000;
        img->c[F_ID].state = CELL_OK;
        img->c[F_ID].v.i = 900 + i;
    }
    rep->resolved = xcalloc(2, sizeof *rep->resolved);
    rep->n_resolved = rep->cap_resolved = 2;
    for (uint32_t i = 0; i < 2; i++) {
        struct report_finding *r = &rep->resolved[i];
        r->rule = 1 - i;
        r->image = i;
        r->message = i ? NULL : report_str(rep, "old-app has an old base");
        r->first_seen_ms = 1757894400000;
        r->waiver = -1;
        r->status = i ? FINDING_WAIVED : FINDING_OPEN;
        r->change = CHANGE_RESOLVED;
    }
    report_finish(rep);
}

#endif

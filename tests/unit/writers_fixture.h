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

/* Fill 'rep' (report_init'ed here) with the fixture; report_dispose()
 * frees it all. */
static void fixture_report(struct report *rep)
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

    report_add_finding(rep, 0, 0, "prod/nginx:1.25 has 42 vulnerabilities");
    report_add_finding(rep, 0, 1, "<script>document.title='pwned'</script> has 7 </script>");
    report_add_finding(rep, 1, 0, "HSS says High");
    report_add_finding(rep, 2, 2, "=HYPERLINK(\"http://evil.example\",\"x\")");
    report_add_unknown(rep, 0);
    report_add_unknown(rep, 1);
    report_add_unknown(rep, 1);
    report_finish(rep);
}

#endif

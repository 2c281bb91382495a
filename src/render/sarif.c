/* SPDX-License-Identifier: MIT
 * The SARIF 2.1.0 log (OASIS Static Analysis Results Interchange Format),
 * for GitHub code scanning, GitLab and Azure DevOps. docs/reports.md says
 * what each part holds and why; tests/cli/ci-formats.sh validates it
 * against the official schema.
 *
 * One run. tool.driver lists every rule of the run (reportingDescriptor:
 * id, name, descriptions, help from the remediation, a default level and
 * a security-severity from the severity). There is one result per
 * finding of this run, open or waived; a waived one carries an external,
 * accepted suppression with the waiver's reason, so platforms show it as
 * dismissed rather than dropping it. Resolved findings are not results.
 *
 * Each result's partialFingerprints values are SHA-256s of the finding
 * identity that --baseline uses (report/baseline.h; the keys below): the same finding
 * keeps its fingerprint across runs, also when its tag was rebuilt with a
 * new digest. Its location is the image reference as a relative URI
 * (render/imageref.h).
 *
 * Every string goes through the XML text mapping (render/xmltext.h), so
 * that a value reads the same here as in the JUnit and XLSX reports.
 * Layout as the JSON report (render/jsonout.h): the envelope by hand,
 * the tool pretty-printed, one result per line. */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <string.h>

#include "render/imageref.h"
#include "render/jsonout.h"
#include "render/render.h"
#include "render/xmltext.h"
#include "report/baseline.h"
#include "report/columns.h"
#include "util/hash.h"
#include "util/timefmt.h"

#define SARIF_SCHEMA \
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
/* The partialFingerprints keys: versioned, as SARIF 3.27.17 asks, so that
 * a different identity later is a new key and not a false match. v2 is
 * the identity with project and region (baseline_identity); v1, without
 * them (baseline_local_identity), is what reports before several
 * projects carried, still written for a report of one project so that a
 * platform that tracked those results goes on matching them. A report
 * of several projects has no v1: it would be the same for one image in
 * two projects. */
#define SARIF_FINGERPRINT_KEY "imgauditFindingIdentity/v2"
#define SARIF_FINGERPRINT_KEY_V1 "imgauditFindingIdentity/v1"

/* Severity as SARIF level and as GitHub's security-severity score
 * (critical > 9.0, high 7.0-8.9, medium 4.0-6.9, low below 4.0); info
 * has no score, so it is a note and not a security alert. */
static const struct {
    const char *level;
    const char *score;
} sev_map[SEV_COUNT] = {
    [SEV_INFO] = {"note", NULL},
    [SEV_LOW] = {"note", "2.0"},
    [SEV_MEDIUM] = {"warning", "5.5"},
    [SEV_HIGH] = {"error", "8.0"},
    [SEV_CRITICAL] = {"error", "9.5"},
};

/* A string, mapped (xmltext.h); 'tmp' is scratch. */
static json_t *sstr(struct buf *tmp, const char *s)
{
    buf_clear(tmp);
    xmltext_clean(tmp, s ? s : "");
    return json_stringn(buf_cstr(tmp), tmp->len);
}

/* A message or multiformatMessageString: {"text": s}. */
static json_t *stext(struct buf *tmp, const char *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "text", sstr(tmp, s));
    return o;
}

static bool empty(const char *s)
{
    return !s || !*s;
}

static json_t *rule_json(const struct report_rule *r, struct buf *tmp)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", sstr(tmp, r->id));
    json_object_set_new(o, "name", sstr(tmp, r->title));
    json_object_set_new(o, "shortDescription", stext(tmp, r->title));
    json_object_set_new(o, "fullDescription",
                        stext(tmp, empty(r->description) ? r->title : r->description));
    const char *fix = empty(r->remediation) ? "The rule gives no remediation." : r->remediation;
    json_t *help = stext(tmp, fix);
    json_object_set_new(help, "markdown", sstr(tmp, fix));
    json_object_set_new(o, "help", help);
    json_t *conf = json_object();
    json_object_set_new(conf, "level", json_string(sev_map[r->severity].level));
    json_object_set_new(o, "defaultConfiguration", conf);

    json_t *props = json_object();
    json_t *tags = json_array();
    bool security = false;
    for (size_t t = 0; t < r->n_tags; t++) {
        json_array_append_new(tags, sstr(tmp, r->tags[t]));
        security |= strcmp(r->tags[t], "security") == 0;
    }
    /* GitHub uses security-severity only on rules tagged "security". */
    if (sev_map[r->severity].score && !security)
        json_array_append_new(tags, json_string("security"));
    json_object_set_new(props, "tags", tags);
    json_object_set_new(props, "severity", json_string(severity_name(r->severity)));
    if (sev_map[r->severity].score)
        json_object_set_new(props, "security-severity",
                            json_string(sev_map[r->severity].score));
    json_object_set_new(props, "file", sstr(tmp, r->file));
    json_object_set_new(o, "properties", props);
    return o;
}

static json_t *tool_json(const struct report *rep, struct buf *tmp)
{
    json_t *driver = json_object();
    json_object_set_new(driver, "name", sstr(tmp, rep->meta.tool ? rep->meta.tool : "imgaudit"));
    json_object_set_new(driver, "version", sstr(tmp, rep->meta.version));
    json_t *rules = json_array();
    for (size_t i = 0; i < rep->n_rules; i++)
        json_array_append_new(rules, rule_json(&rep->rules[i], tmp));
    json_object_set_new(driver, "rules", rules);
    json_t *tool = json_object();
    json_object_set_new(tool, "driver", driver);
    return tool;
}

static json_t *notification(struct buf *tmp, const char *text)
{
    json_t *n = json_object();
    json_object_set_new(n, "level", json_string("warning"));
    json_object_set_new(n, "message", stext(tmp, text));
    return n;
}

/* The run itself: it completed (a run that failed writes no report), and
 * what the reader should know about its data, as notifications. */
static json_t *invocations_json(const struct report *rep, struct buf *tmp)
{
    const struct report_meta *m = &rep->meta;
    json_t *inv = json_object();
    json_object_set_new(inv, "executionSuccessful", json_true());
    json_t *notes = json_array();
    if (!m->complete) {
        struct buf b = BUF_INIT;
        buf_printf(&b, "INCOMPLETE: only %zu of %" PRId64 " expected records were received",
                   m->records_received, m->expected_records);
        json_array_append_new(notes, notification(tmp, buf_cstr(&b)));
        buf_dispose(&b);
    }
    for (size_t i = 0; i < m->n_warnings; i++)
        json_array_append_new(notes, notification(tmp, m->warnings[i]));
    json_object_set_new(inv, "toolExecutionNotifications", notes);
    json_t *a = json_array();
    json_array_append_new(a, inv);
    return a;
}

static json_t *jtime(int64_t ms)
{
    char t[TIME_ISO_MAX];
    time_format_iso(ms, t);
    return json_string(t);
}

/* imgaudit's own facts about the run: as of when, complete, the gate. */
static json_t *run_properties(const struct report *rep)
{
    const struct report_meta *m = &rep->meta;
    json_t *p = json_object();
    json_object_set_new(p, "now", jtime(m->now_ms));
    json_object_set_new(p, "generated_at", jtime(m->generated_at_ms));
    json_object_set_new(p, "complete", json_boolean(m->complete));
    json_object_set_new(p, "gate", json_string(report_gate_name(m->gate)));
    json_object_set_new(p, "images", json_integer((json_int_t)rep->summary.images));
    return p;
}

/* Every finding column but the ones the result holds itself, typed as
 * in the JSON report; missing values are left out. */
static json_t *finding_properties(const struct report *rep, const struct report_finding *fi,
                                  struct buf *tmp)
{
    json_t *p = json_object();
    struct buf text = BUF_INIT;
    for (int c = 0; c < FC_COUNT; c++) {
        if (c == FC_RULE_ID || c == FC_MESSAGE)
            continue;
        struct fcol_value v;
        fcol_value(rep, fi, (enum fcol_id)c, &v);
        json_t *j = NULL;
        switch (v.kind) {
        case FV_MISSING: continue;
        case FV_INT: j = json_integer(v.i); break;
        case FV_BOOL: j = json_boolean(v.b); break;
        case FV_TEXT:
        case FV_TIME:
        case FV_DATE:
            buf_clear(&text);
            fcol_text(&text, &v);
            j = sstr(tmp, buf_cstr(&text));
            break;
        }
        json_object_set_new(p, fcol_defs[c].name, j);
    }
    buf_dispose(&text);
    return p;
}

static json_t *suppression_json(const struct report_waiver *w, struct buf *tmp)
{
    json_t *s = json_object();
    json_object_set_new(s, "kind", json_string("external"));
    json_object_set_new(s, "status", json_string("accepted"));
    json_object_set_new(s, "justification", sstr(tmp, w->reason));
    json_t *p = json_object();
    json_object_set_new(p, "waiver_id", sstr(tmp, w->id));
    json_object_set_new(p, "owner", sstr(tmp, w->owner));
    json_object_set_new(p, "expires", sstr(tmp, w->expires));
    if (w->ticket)
        json_object_set_new(p, "ticket", sstr(tmp, w->ticket));
    json_object_set_new(p, "file", sstr(tmp, w->file));
    json_object_set_new(p, "line", json_integer(w->line));
    json_object_set_new(s, "properties", p);
    json_t *a = json_array();
    json_array_append_new(a, s);
    return a;
}

static json_t *result_json(const struct report *rep, const struct report_finding *fi,
                           struct buf *tmp)
{
    const struct report_rule *r = report_finding_rule(rep, fi);
    json_t *o = json_object();
    json_object_set_new(o, "ruleId", sstr(tmp, r->id));
    json_object_set_new(o, "ruleIndex", json_integer(fi->rule));
    json_object_set_new(o, "level", json_string(sev_map[r->severity].level));
    json_object_set_new(o, "message", stext(tmp, fi->message ? fi->message : r->title));

    /* GitHub needs a location with a line; an image has no lines, so
     * line 1 of the image reference. */
    struct buf uri = BUF_INIT;
    imageref_append(&uri, report_finding_image(rep, fi), true);
    json_t *art = json_object();
    json_object_set_new(art, "uri", json_string(buf_cstr(&uri)));
    buf_dispose(&uri);
    json_t *region = json_object();
    json_object_set_new(region, "startLine", json_integer(1));
    json_t *phys = json_object();
    json_object_set_new(phys, "artifactLocation", art);
    json_object_set_new(phys, "region", region);
    json_t *loc = json_object();
    json_object_set_new(loc, "physicalLocation", phys);
    json_t *locs = json_array();
    json_array_append_new(locs, loc);
    json_object_set_new(o, "locations", locs);

    struct buf id = BUF_INIT;
    char sha[SHA256_HEX_LEN];
    json_t *fp = json_object();
    if (!rep->n_sources) {
        baseline_local_identity(&id, rep, fi);
        sha256_hex(id.data ? id.data : "", id.len, sha);
        json_object_set_new(fp, SARIF_FINGERPRINT_KEY_V1, json_string(sha));
    }
    baseline_identity(&id, rep, fi);
    sha256_hex(id.data ? id.data : "", id.len, sha);
    json_object_set_new(fp, SARIF_FINGERPRINT_KEY, json_string(sha));
    buf_dispose(&id);
    json_object_set_new(o, "partialFingerprints", fp);

    if (rep->meta.baseline.present)
        json_object_set_new(o, "baselineState",
                            json_string(fi->change == CHANGE_NEW ? "new" : "unchanged"));
    if (fi->status == FINDING_WAIVED && fi->waiver >= 0)
        json_object_set_new(o, "suppressions", suppression_json(&rep->waivers[fi->waiver], tmp));
    json_object_set_new(o, "properties", finding_properties(rep, fi, tmp));
    return o;
}

int render_sarif(const struct report *rep, const struct render_opts *o, FILE *out,
                 struct diags *d)
{
    (void)o;
    struct buf tmp = BUF_INIT;
    int rc = 0;
    fputs("{\n  \"$schema\": \"" SARIF_SCHEMA "\",\n  \"version\": \"2.1.0\",\n"
          "  \"runs\": [\n    {\n      \"tool\": ", out);
    rc |= jsonout_indented(out, tool_json(rep, &tmp), 6);
    fputs(",\n      \"invocations\": ", out);
    rc |= jsonout_indented(out, invocations_json(rep, &tmp), 6);
    fputs(",\n      \"properties\": ", out);
    rc |= jsonout_indented(out, run_properties(rep), 6);
    fputs(",\n      \"results\": [", out);
    for (size_t i = 0; i < rep->n_findings; i++)
        if (jsonout_line(out, result_json(rep, report_finding_at(rep, i), &tmp), i == 0, 8) < 0)
            rc = -1;
    fputs(rep->n_findings ? "\n      ]\n    }\n  ]\n}\n" : "]\n    }\n  ]\n}\n", out);
    buf_dispose(&tmp);
    if (rc < 0 || ferror(out)) {
        diags_error(d, "cannot write the SARIF report: %s",
                    ferror(out) ? strerror(errno) : "out of memory in the JSON encoder");
        return -1;
    }
    return 0;
}

/* SPDX-License-Identifier: MIT
 * The JSON report reader; see reader.h. Each section has one function
 * that turns its JSON into model entries; 'struct rd' carries the file
 * name for messages and the first error. */
#include "report/reader.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/columns.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

struct rd {
    struct report *rep;
    const char *path;
    struct diags *d;
    int failed;
    int version;                /* the document's schema_version */
    const char *where;          /* "findings[12]" etc., for messages */
    char where_buf[64];
};

static void bad(struct rd *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void bad(struct rd *r, const char *fmt, ...)
{
    if (r->failed++)
        return;                 /* one error: the rest are usually its echo */
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (r->where)
        diags_add(r->d, DIAG_ERROR, r->path, 0, 0, 0, NULL, "%s: %s", r->where, msg);
    else
        diags_add(r->d, DIAG_ERROR, r->path, 0, 0, 0, NULL, "%s", msg);
}

static void at(struct rd *r, const char *section, size_t i)
{
    snprintf(r->where_buf, sizeof r->where_buf, "%s[%zu]", section, i);
    r->where = r->where_buf;
}

/* ---- typed member access: each reports a missing or mistyped key ---- */

static json_t *member(struct rd *r, const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!v)
        bad(r, "'%s' is missing", key);
    return v;
}

/* A string (NULL for null when 'nullable'), copied into the report. */
static const char *str(struct rd *r, const json_t *o, const char *key, bool nullable)
{
    json_t *v = member(r, o, key);
    if (!v)
        return NULL;
    if (json_is_null(v) && nullable)
        return NULL;
    if (!json_is_string(v)) {
        bad(r, "'%s' is not a string", key);
        return NULL;
    }
    return report_str(r->rep, json_string_value(v));
}

static int64_t integer(struct rd *r, const json_t *o, const char *key)
{
    json_t *v = member(r, o, key);
    if (v && !json_is_integer(v)) {
        bad(r, "'%s' is not an integer", key);
        return 0;
    }
    return v ? json_integer_value(v) : 0;
}

static size_t count(struct rd *r, const json_t *o, const char *key)
{
    int64_t n = integer(r, o, key);
    if (n < 0)
        bad(r, "'%s' is negative", key);
    return n < 0 ? 0 : (size_t)n;
}

static bool boolean(struct rd *r, const json_t *o, const char *key)
{
    json_t *v = member(r, o, key);
    if (v && !json_is_boolean(v))
        bad(r, "'%s' is not true or false", key);
    return v && json_is_true(v);
}

static int64_t time_of(struct rd *r, const json_t *o, const char *key)
{
    json_t *v = member(r, o, key);
    int64_t ms = 0;
    if (v && (!json_is_string(v) || time_parse(json_string_value(v), &ms) < 0))
        bad(r, "'%s' is not an ISO 8601 time", key);
    return ms;
}

/* A severity name, or -1 for null when 'nullable'. */
static int severity_of(struct rd *r, const json_t *o, const char *key, bool nullable)
{
    json_t *v = member(r, o, key);
    if (!v || (nullable && json_is_null(v)))
        return -1;
    int s = json_is_string(v) ? severity_parse(json_string_value(v)) : -1;
    if (s < 0)
        bad(r, "'%s' is not a severity", key);
    return s;
}

static void sha(struct rd *r, const json_t *o, const char *key, char out[SHA256_HEX_LEN])
{
    const char *s = str(r, o, key, true);
    snprintf(out, SHA256_HEX_LEN, "%s", s ? s : "");
}

static json_t *array(struct rd *r, const json_t *o, const char *key)
{
    json_t *v = member(r, o, key);
    if (v && !json_is_array(v)) {
        bad(r, "'%s' is not an array", key);
        return NULL;
    }
    return v;
}

static json_t *object(struct rd *r, const json_t *o, const char *key)
{
    json_t *v = member(r, o, key);
    if (v && !json_is_object(v)) {
        bad(r, "'%s' is not an object", key);
        return NULL;
    }
    return v;
}

/* ---- sections ---- */

static struct report_rulefile *files(struct rd *r, const json_t *o, const char *key, size_t *n)
{
    json_t *a = array(r, o, key);
    *n = a ? json_array_size(a) : 0;
    struct report_rulefile *f = xcalloc(*n ? *n : 1, sizeof *f);
    for (size_t i = 0; i < *n; i++) {
        f[i].path = str(r, json_array_get(a, i), "path", false);
        sha(r, json_array_get(a, i), "sha256", f[i].sha256);
    }
    return f;
}

/* meta.source's provenance keys. Version 2 said how the records were
 * read ("kind": "api" or "file", and the input path): a pull then is a
 * pull now, a file is a file of unknown provenance. */
static void read_provenance(struct rd *r, const json_t *src, struct report_meta *o)
{
    if (r->version < 3) {
        const char *kind = str(r, src, "kind", false);
        o->provenance = kind && strcmp(kind, "api") == 0 ? REPORT_PROV_PULL
                                                         : REPORT_PROV_MISSING;
        o->records_format = str(r, src, "input_format", true);
        return;
    }
    const char *name = str(r, src, "provenance", false);
    const char *problem = str(r, src, "provenance_problem", true);
    o->provenance = REPORT_PROV_PULL;
    if (name && strcmp(name, "pull") != 0) {
        static const enum report_provenance unknown[] = {
            REPORT_PROV_MISSING, REPORT_PROV_MISMATCH, REPORT_PROV_INVALID};
        size_t k = 0;
        while (k < 3 && !(problem && strcmp(problem, report_provenance_problem(unknown[k])) == 0))
            k++;
        if (k == 3 || strcmp(name, "unknown") != 0)
            bad(r, "'provenance' or 'provenance_problem' is not one of the documented values");
        else
            o->provenance = unknown[k];
    }
    o->records_format = str(r, src, "records_format", true);
    json_t *at = json_object_get(src, "pulled_at");
    if (o->provenance == REPORT_PROV_PULL && !json_is_null(at))
        o->pulled_at_ms = time_of(r, src, "pulled_at");
    o->pulled_by = str(r, src, "pulled_by", true);
}

static void read_meta(struct rd *r, const json_t *m)
{
    struct report_meta *o = &r->rep->meta;
    r->where = "meta";
    o->tool = str(r, m, "tool", false);
    o->version = str(r, m, "version", false);
    o->generated_at_ms = time_of(r, m, "generated_at");
    o->now_ms = time_of(r, m, "now");
    json_t *src = object(r, m, "source");
    if (src) {
        r->where = "meta.source";
        read_provenance(r, src, o);
        o->endpoint = str(r, src, "endpoint", true);
        o->region = str(r, src, "region", true);
        o->project_id = str(r, src, "project_id", true);
        o->enterprise_project_id = str(r, src, "enterprise_project_id", true);
        json_t *fl = array(r, src, "filters");
        o->n_filters = fl ? json_array_size(fl) : 0;
        const char **filters = xcalloc(o->n_filters + 1, sizeof *filters);
        for (size_t i = 0; i < o->n_filters; i++)
            filters[i] = report_str(r->rep, json_string_value(json_array_get(fl, i)));
        o->filters = filters;
        json_t *t = member(r, src, "total_num");
        o->has_total = t && json_is_integer(t);
        o->total_num = o->has_total ? json_integer_value(t) : 0;
        o->records_received = count(r, src, "records_received");
        bool pull = o->provenance == REPORT_PROV_PULL;
        o->duplicates_dropped = pull || r->version < 3 ? count(r, src, "duplicates_dropped") : 0;
        o->pages = pull || r->version < 3 ? count(r, src, "pages") : 0;
        o->retries = pull || r->version < 3 ? count(r, src, "retries") : 0;
        sha(r, src, "sha256", o->source_sha256);
    }
    r->where = "meta";
    o->rulefiles = files(r, m, "rule_files", &o->n_rulefiles);
    json_t *pa = array(r, m, "params");
    o->n_params = pa ? json_array_size(pa) : 0;
    o->params = xcalloc(o->n_params ? o->n_params : 1, sizeof *o->params);
    for (size_t i = 0; i < o->n_params; i++) {
        json_t *p = json_array_get(pa, i);
        o->params[i].name = str(r, p, "name", false);
        o->params[i].value = str(r, p, "value", false);
        o->params[i].type = str(r, p, "type", false);
    }
    o->waiver_files = files(r, m, "waiver_files", &o->n_waiver_files);
    o->warn_expiring_days = integer(r, m, "warn_expiring_days");
    json_t *b = member(r, m, "baseline");
    if (b && json_is_object(b)) {
        r->where = "meta.baseline";
        o->baseline.present = true;
        o->baseline.path = str(r, b, "path", false);
        sha(r, b, "sha256", o->baseline.sha256);
        o->baseline.now_ms = time_of(r, b, "now");
        o->baseline.generated_at_ms = time_of(r, b, "generated_at");
        o->baseline.project_id = str(r, b, "project_id", true);
        o->baseline.region = str(r, b, "region", true);
        o->baseline.complete = boolean(r, b, "complete");
        o->baseline.findings = count(r, b, "findings");
        r->where = "meta";
    }
    json_t *w = array(r, m, "warnings");
    for (size_t i = 0; w && i < json_array_size(w); i++)
        report_add_warning(r->rep, json_string_value(json_array_get(w, i)));
    json_t *g = object(r, m, "gate");
    if (g) {
        r->where = "meta.gate";
        o->fail_on = severity_of(r, g, "fail_on", true);
        o->fail_on_new = severity_of(r, g, "fail_on_new", true);
        o->fail_on_expired_waivers = boolean(r, g, "fail_on_expired_waivers");
        /* The verdict is computed again from the thresholds and the data
         * (report_finish); the one written must still be a known one. */
        const char *v = str(r, g, "verdict", false);
        bool known = false;
        for (int k = GATE_NONE; k <= (r->version >= 4 ? GATE_INCOMPLETE : GATE_FAIL); k++)
            known |= v && strcmp(v, report_gate_name((enum gate_verdict)k)) == 0;
        if (v && !known)
            bad(r, "'verdict' is '%s', not %s", v,
                r->version >= 4 ? "none, pass, fail or incomplete" : "none, pass or fail");
        r->where = "meta";
    }
    o->complete = boolean(r, m, "complete");
    json_t *e = member(r, m, "expected_records");
    o->expected_records = e && json_is_integer(e) ? json_integer_value(e) : 0;
    r->where = NULL;
}

static void read_rule(struct rd *r, const json_t *j, struct report_rule *o)
{
    o->id = str(r, j, "id", false);
    o->title = str(r, j, "title", false);
    int sev = severity_of(r, j, "severity", false);
    o->severity = sev < 0 ? SEV_INFO : (enum severity)sev;
    o->description = str(r, j, "description", false);
    o->remediation = str(r, j, "remediation", false);
    json_t *tags = array(r, j, "tags");
    o->n_tags = tags ? json_array_size(tags) : 0;
    const char **t = xcalloc(o->n_tags + 1, sizeof *t);
    for (size_t k = 0; k < o->n_tags; k++)
        t[k] = report_str(r->rep, json_string_value(json_array_get(tags, k)));
    o->tags = t;
    o->when = str(r, j, "when", false);
    o->message = str(r, j, "message", false);
    o->file = str(r, j, "file", true);
    o->unknown = count(r, j, "unknown");
    /* Added within version 2: absent in older reports. */
    if (json_object_get(j, "regex_limit_hits")) {
        o->regex_limit_hits = count(r, j, "regex_limit_hits");
        o->regex_disabled = boolean(r, j, "regex_disabled");
    }
}

static void read_waiver(struct rd *r, const json_t *j)
{
    struct report_waiver w = {0};
    w.id = str(r, j, "id", false);
    w.rule = str(r, j, "rule", false);
    w.when = str(r, j, "when", false);
    w.reason = str(r, j, "reason", false);
    w.owner = str(r, j, "owner", false);
    w.ticket = str(r, j, "ticket", true);
    w.expires = str(r, j, "expires", false);
    w.expires_ms = time_of(r, j, "expires_at");
    w.expires_is_date = w.expires && strlen(w.expires) == 10;
    w.file = str(r, j, "file", false);
    w.line = (int)integer(r, j, "line");
    if (r->failed)
        return;
    uint32_t k = report_add_waiver(r->rep, &w);    /* may move waivers[] */
    struct report_waiver *o = &r->rep->waivers[k];
    o->waived = count(r, j, "findings_waived");
    o->matched = count(r, j, "findings_matched");
    o->unknown = count(r, j, "unknown");
}

static void read_quality(struct rd *r, const json_t *j, size_t *cap)
{
    struct report *rep = r->rep;
    XGROW(rep->quality, *cap, rep->n_quality + 1);
    struct report_quality *q = &rep->quality[rep->n_quality++];
    memset(q, 0, sizeof *q);
    q->field = str(r, j, "field", false);
    q->problem = str(r, j, "problem", false);
    q->count = count(r, j, "count");
    /* Versions 2 and 3 counted records from 0; every format now counts from 1. */
    q->first_record = count(r, j, "first_record") + (r->version < 4);
    if (q->first_record == 0)
        bad(r, "'first_record' is 0 (record numbers start at 1)");
    if (r->version >= 4) {
        json_t *line = member(r, j, "first_line");
        if (line && !json_is_null(line))
            q->first_line = count(r, j, "first_line");
    }
}

/* Inventory cell 'f' from JSON value 'v' (null: missing). */
static void read_cell(struct rd *r, const json_t *v, enum field_id f, struct rcell *c)
{
    c->state = CELL_MISSING;
    if (!v || json_is_null(v))
        return;
    bool ok = false;
    switch (field_defs[f].type) {
    case FT_INT:
    case FT_LIST:
        if ((ok = json_is_integer(v)))
            c->v.i = json_integer_value(v);
        break;
    case FT_TIME:
        ok = json_is_string(v) && time_parse(json_string_value(v), &c->v.i) == 0;
        break;
    case FT_BOOL:
        if ((ok = json_is_boolean(v)))
            c->v.b = json_is_true(v);
        break;
    case FT_STR:
        if ((ok = json_is_string(v)))
            c->v.s = report_str(r->rep, json_string_value(v));
        break;
    }
    if (!ok)
        bad(r, "'%s' has the wrong type", report_field_key(f));
    else
        c->state = CELL_OK;
}

static struct report_image *new_image(struct report_image **v, size_t *n, size_t *cap)
{
    XGROW(*v, *cap, *n + 1);
    struct report_image *img = &(*v)[(*n)++];
    memset(img, 0, sizeof *img);
    img->max_severity = -1;
    return img;
}

static void read_image(struct rd *r, const json_t *j)
{
    struct report *rep = r->rep;
    struct report_image *img = new_image(&rep->images, &rep->n_images, &rep->cap_images);
    for (int f = 0; f < FIELD_COUNT; f++)
        read_cell(r, member(r, j, report_field_key((enum field_id)f)), (enum field_id)f,
                  &img->c[f]);
}

/* An image from a finding row's columns (the fields a finding shows). */
static void image_from_row(struct rd *r, const json_t *j, struct report_image *img)
{
    for (int c = 0; c < FC_COUNT; c++)
        if (fcol_defs[c].field >= 0)
            read_cell(r, member(r, j, fcol_defs[c].name), (enum field_id)fcol_defs[c].field,
                      &img->c[fcol_defs[c].field]);
}

static int index_of_rule(const struct report_rule *rules, size_t n, const char *id)
{
    for (size_t i = 0; id && i < n; i++)
        if (strcmp(rules[i].id, id) == 0)
            return (int)i;
    return -1;
}

static int enum_of(const char *s, const char *(*name)(int), int n)
{
    for (int i = 0; s && i < n; i++)
        if (strcmp(s, name(i)) == 0)
            return i;
    return -1;
}

static const char *status_name(int i) { return finding_status_name((enum finding_status)i); }
static const char *change_name(int i) { return finding_change_name((enum finding_change)i); }

static void read_finding(struct rd *r, const json_t *j, unsigned flags, size_t *rank_cache)
{
    struct report *rep = r->rep;
    (void)rank_cache;
    const char *rule_id = str(r, j, "rule_id", false);
    int rule = index_of_rule(rep->rules, rep->n_rules, rule_id);
    if (rule < 0 && !r->failed) {
        bad(r, "rule '%s' is not among the report's rules", rule_id ? rule_id : "");
        return;
    }
    size_t image;
    if (flags & REPORT_READ_NO_INVENTORY) {
        image = rep->n_images;
        image_from_row(r, j, new_image(&rep->images, &rep->n_images, &rep->cap_images));
    } else {
        int64_t ix = integer(r, j, "image_index");
        if (!r->failed && (ix < 0 || (size_t)ix >= rep->n_images)) {
            bad(r, "image_index %lld is not in the inventory", (long long)ix);
            return;
        }
        image = (size_t)ix;
    }
    if (r->failed)
        return;
    size_t f = report_add_finding(rep, (uint32_t)rule, (uint32_t)image,
                                  str(r, j, "message", false));
    int st = enum_of(str(r, j, "status", false), status_name, FINDING_WAIVER_EXPIRED + 1);
    int ch = enum_of(str(r, j, "change", false), change_name, CHANGE_EXISTING + 1);
    if (st < 0 || ch < 0) {
        bad(r, "'status' or 'change' is not one of the documented values");
        return;
    }
    json_t *ms = array(r, j, "waivers");
    for (size_t k = 0; ms && k < json_array_size(ms); k++) {
        const char *id = json_string_value(json_array_get(ms, k));
        size_t w = 0;
        while (w < rep->n_waivers && (!id || strcmp(rep->waivers[w].id, id) != 0))
            w++;
        if (w == rep->n_waivers) {
            bad(r, "waiver '%s' is not among the report's waivers", id ? id : "");
            return;
        }
        report_add_match(rep, f, (uint32_t)w);
    }
    struct report_finding *fi = &rep->findings[f];
    fi->status = (uint8_t)st;
    fi->change = (uint8_t)ch;
    fi->first_seen_ms = time_of(r, j, "first_seen");
    const char *wid = str(r, j, "waiver_id", true);
    for (size_t w = 0; wid && w < rep->n_waivers; w++)
        if (strcmp(rep->waivers[w].id, wid) == 0)
            fi->waiver = (int32_t)w;
    if (wid && fi->waiver < 0)
        bad(r, "waiver '%s' is not among the report's waivers", wid);
}

/* A resolved finding: its rule (shared by id) and image live in the
 * resolved_* tables; the rule's texts come from 'rules' when it is
 * still there. */
static void read_resolved(struct rd *r, const json_t *j)
{
    struct report *rep = r->rep;
    const char *rule_id = str(r, j, "rule_id", false);
    int rule = index_of_rule(rep->resolved_rules, rep->n_resolved_rules, rule_id);
    if (rule < 0 && !r->failed) {
        XGROW(rep->resolved_rules, rep->cap_resolved_rules, rep->n_resolved_rules + 1);
        struct report_rule *o = &rep->resolved_rules[rep->n_resolved_rules];
        memset(o, 0, sizeof *o);
        int cur = index_of_rule(rep->rules, rep->n_rules, rule_id);
        if (cur >= 0) {
            *o = rep->rules[cur];
            o->tags = xcalloc(1, sizeof *o->tags);
            o->n_tags = 0;
        } else {
            o->tags = xcalloc(1, sizeof *o->tags);
            o->description = o->remediation = o->when = o->message = "";
        }
        o->id = rule_id;
        o->title = str(r, j, "rule_title", false);
        int sev = severity_of(r, j, "severity", false);
        o->severity = sev < 0 ? SEV_INFO : (enum severity)sev;
        o->findings = o->unknown = 0;
        rule = (int)rep->n_resolved_rules++;
    }
    if (r->failed)
        return;
    size_t image = rep->n_resolved_images;
    image_from_row(r, j, new_image(&rep->resolved_images, &rep->n_resolved_images,
                                   &rep->cap_resolved_images));
    XGROW(rep->resolved, rep->cap_resolved, rep->n_resolved + 1);
    struct report_finding *fi = &rep->resolved[rep->n_resolved++];
    memset(fi, 0, sizeof *fi);
    fi->rule = (uint32_t)rule;
    fi->image = (uint32_t)image;
    fi->message = str(r, j, "message", false);
    fi->first_seen_ms = time_of(r, j, "first_seen");
    fi->waiver = -1;
    fi->change = CHANGE_RESOLVED;
    int st = enum_of(str(r, j, "status", false), status_name, FINDING_WAIVER_EXPIRED + 1);
    fi->status = (uint8_t)(st < 0 ? FINDING_OPEN : st);
}

/* Walk array section 'key' of 'root', calling 'each' per element. */
#define EACH(r, root, key, each)                                           \
    do {                                                                   \
        json_t *a_ = array(r, root, key);                                  \
        for (size_t i_ = 0; a_ && i_ < json_array_size(a_) && !(r)->failed; i_++) { \
            at(r, key, i_);                                                \
            json_t *e_ = json_array_get(a_, i_);                           \
            if (!json_is_object(e_))                                       \
                bad(r, "is not an object");                                \
            else                                                           \
                each;                                                      \
        }                                                                  \
        (r)->where = NULL;                                                 \
    } while (0)

static int read_doc(struct rd *r, const json_t *root, unsigned flags)
{
    struct report *rep = r->rep;
    json_t *schema = json_object_get(root, "schema");
    if (!json_is_object(root) || !json_is_string(schema) ||
        strcmp(json_string_value(schema), "imgaudit-report") != 0) {
        bad(r, "is not an imgaudit JSON report (no \"schema\": \"imgaudit-report\"); "
               "pass a report written with -o FILE.json");
        return -1;
    }
    json_t *ver = json_object_get(root, "schema_version");
    if (!json_is_integer(ver) || json_integer_value(ver) < REPORT_SCHEMA_VERSION_MIN ||
        json_integer_value(ver) > REPORT_SCHEMA_VERSION) {
        char v[32] = "?";
        if (json_is_integer(ver))
            snprintf(v, sizeof v, "%lld", (long long)json_integer_value(ver));
        bad(r, "report schema version %s is not supported (this imgaudit reads versions %d "
               "to %d; version 1 reports have no first-seen dates: make a new report from "
               "the same data with this version)", v, REPORT_SCHEMA_VERSION_MIN,
            REPORT_SCHEMA_VERSION);
        return -1;
    }
    r->version = (int)json_integer_value(ver);
    json_t *meta = object(r, root, "meta");
    if (meta)
        read_meta(r, meta);
    json_t *rules = array(r, root, "rules");
    rep->n_rules = rules ? json_array_size(rules) : 0;
    rep->rules = xcalloc(rep->n_rules ? rep->n_rules : 1, sizeof *rep->rules);
    for (size_t i = 0; i < rep->n_rules && !r->failed; i++) {
        at(r, "rules", i);
        read_rule(r, json_array_get(rules, i), &rep->rules[i]);
    }
    r->where = NULL;
    EACH(r, root, "waivers", read_waiver(r, e_));
    size_t qcap = 0;
    EACH(r, root, "data_quality", read_quality(r, e_, &qcap));
    if (!(flags & REPORT_READ_NO_INVENTORY))
        EACH(r, root, "inventory", read_image(r, e_));
    EACH(r, root, "findings", read_finding(r, e_, flags, NULL));
    EACH(r, root, "resolved", read_resolved(r, e_));
    return r->failed ? -1 : 0;
}

int report_read_json(struct report *rep, const char *path, unsigned flags, struct diags *d)
{
    json_error_t err;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
    if (!root) {
        if (json_error_code(&err) == json_error_cannot_open_file)
            diags_add(d, DIAG_ERROR, path, 0, 0, 0, NULL, "cannot read the report: %s",
                      err.text);
        else if (json_error_code(&err) == json_error_premature_end_of_input)
            diags_add(d, DIAG_ERROR, path, err.line, err.column, 0, NULL,
                      "the report ends early (truncated?): %s", err.text);
        else
            diags_add(d, DIAG_ERROR, path, err.line, err.column, 0, NULL,
                      "not a JSON report: %s", err.text);
        return -1;
    }
    struct rd r = {.rep = rep, .path = path, .d = d};
    int rc = read_doc(&r, root, flags);
    json_decref(root);
    if (rc == 0)
        report_finish(rep);
    return rc;
}

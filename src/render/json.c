/* SPDX-License-Identifier: MIT
 * The JSON report: the whole report model, in the versioned schema of
 * docs/report-json-schema.md. A later run reads it back as its baseline,
 * so every finding carries its rule id and the image's identity.
 *
 * Layout (render/jsonout.h): the envelope is written by hand; meta and
 * summary are small and pretty-printed; the arrays (rules, waivers,
 * data_quality, and the inventory and findings that can hold a million
 * entries) have one compact element per line, each built, dumped and
 * freed at once. Memory stays flat and the file stays greppable and
 * jq-friendly.
 *
 * The finding index (docs/report-json-schema.md): after "resolved", a
 * compact copy of what a baseline needs of each finding row (its rule,
 * image, status, change, first_seen, where the row is; an image's
 * identity with its first row), then "finding_index_check", where the
 * sections are and CRC-32Cs of the findings and the index. A later run
 * reads a 100,000-image baseline through it in a fifth of the time the
 * rows take (report/reader_index.c), and reads the rows when the
 * checksums say the file was changed. Offsets count from the
 * inventory's '[', so the writer counts its own bytes from there (a
 * pipe has no position); the index rows wait in a temporary file, as
 * the rows they describe are written, and are copied in at the end. */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render/distinct.h"
#include "render/jsonout.h"
#include "render/render.h"
#include "report/columns.h"
#include "util/buf.h"
#include "util/crc32c.h"
#include "util/timefmt.h"
#include "util/tmpfile.h"
#include "util/xalloc.h"

/* A JSON string, or null for NULL. jansson refuses invalid UTF-8 (it
 * cannot come from parsed JSON, but rule files are another path), so
 * such bytes are replaced by U+FFFD rather than dropping the value. */
static json_t *jstr(const char *s)
{
    if (!s)
        return json_null();
    json_t *j = json_string(s);
    if (j)
        return j;
    struct buf b = BUF_INIT;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        int n = *p < 0x80 ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3
              : (*p >> 3) == 30 ? 4 : 0;
        int ok = n > 0;
        for (int k = 1; ok && k < n; k++)
            ok = (p[k] & 0xC0) == 0x80;
        if (ok && n > 1) {
            json_t *probe = json_stringn((const char *)p, (size_t)n);
            ok = probe != NULL;
            json_decref(probe);
        }
        if (ok) {
            buf_append(&b, p, (size_t)n);
            p += n;
        } else {
            buf_puts(&b, "\xEF\xBF\xBD");
            p++;
        }
    }
    j = json_string(buf_cstr(&b));
    buf_dispose(&b);
    return j;
}

static json_t *jint(size_t n)
{
    return json_integer((json_int_t)n);
}

static json_t *jtime(int64_t ms)
{
    char t[TIME_ISO_MAX];
    time_format_iso(ms, t);
    return json_string(t);
}

/* A SHA-256 hex field: null when unknown (""). */
static json_t *jsha(const char *hex)
{
    return hex[0] ? json_string(hex) : json_null();
}

/* The typed value of an inventory cell: null when missing or of the
 * wrong type, out of range or holding a NUL character (the data_quality
 * section says which). */
static json_t *jcell(const struct rcell *c, enum field_id f)
{
    if (c->state != CELL_OK)
        return json_null();
    switch (field_defs[f].type) {
    case FT_INT:
    case FT_LIST: return json_integer(c->v.i);
    case FT_TIME: return jtime(c->v.i);
    case FT_BOOL: return json_boolean(c->v.b);
    case FT_STR: return jstr(c->v.s);
    }
    return json_null();
}

static json_t *jsev(int sev)
{
    return sev >= 0 ? json_string(severity_name((enum severity)sev)) : json_null();
}

static json_t *files_json(const struct report_rulefile *f, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_object();
        json_object_set_new(e, "path", jstr(f[i].path));
        json_object_set_new(e, "sha256", jsha(f[i].sha256));
        json_array_append_new(a, e);
    }
    return a;
}

static json_t *baseline_json(const struct report_baseline *b)
{
    if (!b->present)
        return json_null();
    json_t *o = json_object();
    json_object_set_new(o, "path", jstr(b->path));
    json_object_set_new(o, "sha256", jsha(b->sha256));
    json_object_set_new(o, "now", jtime(b->now_ms));
    json_object_set_new(o, "generated_at", jtime(b->generated_at_ms));
    json_object_set_new(o, "project_id", jstr(b->project_id));
    json_object_set_new(o, "region", jstr(b->region));
    json_object_set_new(o, "where", jstr(b->where));
    json_object_set_new(o, "complete", json_boolean(b->complete));
    json_object_set_new(o, "findings", jint(b->findings));
    return o;
}

static json_t *meta_json(const struct report *rep)
{
    const struct report_meta *m = &rep->meta;
    json_t *o = json_object();
    json_object_set_new(o, "tool", jstr(m->tool));
    json_object_set_new(o, "version", jstr(m->version));
    json_object_set_new(o, "generated_at", jtime(m->generated_at_ms));
    json_object_set_new(o, "now", jtime(m->now_ms));

    /* The data, not how this run read it (report.h). */
    bool pull = m->provenance == REPORT_PROV_PULL;
    json_t *src = json_object();
    json_object_set_new(src, "provenance", jstr(report_provenance_name(m->provenance)));
    json_object_set_new(src, "provenance_problem", jstr(report_provenance_problem(m->provenance)));
    json_object_set_new(src, "label", jstr(report_source_label(m->provenance)));
    json_object_set_new(src, "records_format", jstr(m->records_format));
    json_object_set_new(src, "endpoint", jstr(m->endpoint));
    json_object_set_new(src, "region", jstr(m->region));
    json_object_set_new(src, "project_id", jstr(m->project_id));
    json_object_set_new(src, "enterprise_project_id", jstr(m->enterprise_project_id));
    json_t *filters = json_array();
    for (size_t i = 0; i < m->n_filters; i++)
        json_array_append_new(filters, jstr(m->filters[i]));
    json_object_set_new(src, "filters", filters);
    json_object_set_new(src, "pulled_at", pull && m->pulled_at_ms ? jtime(m->pulled_at_ms)
                                                                  : json_null());
    json_object_set_new(src, "pulled_by", jstr(m->pulled_by));
    json_object_set_new(src, "total_num", m->has_total ? json_integer(m->total_num)
                                                       : json_null());
    json_object_set_new(src, "records_received", jint(m->records_received));
    json_object_set_new(src, "duplicates_dropped", pull ? jint(m->duplicates_dropped)
                                                        : json_null());
    json_object_set_new(src, "pages", pull ? jint(m->pages) : json_null());
    json_object_set_new(src, "retries", pull ? jint(m->retries) : json_null());
    json_object_set_new(src, "sha256", jsha(m->source_sha256));
    json_object_set_new(o, "source", src);
    json_object_set_new(o, "where", jstr(m->where));
    json_t *split = json_null();
    if (m->split.by) {
        split = json_object();
        json_object_set_new(split, "by", jstr(m->split.by));
        json_object_set_new(split, "key", jstr(m->split.key));
        json_object_set_new(split, "name", jstr(m->split.name));
    }
    json_object_set_new(o, "split", split);
    json_object_set_new(o, "mixed_rules", json_boolean(m->mixed_rules));

    json_object_set_new(o, "rule_files", files_json(m->rulefiles, m->n_rulefiles));

    json_t *params = json_array();
    for (size_t i = 0; i < m->n_params; i++) {
        json_t *p = json_object();
        json_object_set_new(p, "name", jstr(m->params[i].name));
        json_object_set_new(p, "value", jstr(m->params[i].value));
        json_object_set_new(p, "type", jstr(m->params[i].type));
        json_array_append_new(params, p);
    }
    json_object_set_new(o, "params", params);
    json_object_set_new(o, "waiver_files", files_json(m->waiver_files, m->n_waiver_files));
    json_object_set_new(o, "warn_expiring_days", json_integer(m->warn_expiring_days));
    json_object_set_new(o, "baseline", baseline_json(&m->baseline));
    json_t *warnings = json_array();
    for (size_t i = 0; i < m->n_warnings; i++)
        json_array_append_new(warnings, jstr(m->warnings[i]));
    json_object_set_new(o, "warnings", warnings);

    json_t *gate = json_object();
    json_object_set_new(gate, "fail_on", jsev(m->fail_on));
    json_object_set_new(gate, "fail_on_new", jsev(m->fail_on_new));
    json_object_set_new(gate, "fail_on_expired_waivers",
                        json_boolean(m->fail_on_expired_waivers));
    json_object_set_new(gate, "verdict", jstr(report_gate_name(m->gate)));
    json_t *failed = json_array();
    static const struct { unsigned bit; const char *name; } gates[] = {
        {GATE_BY_SEVERITY, "fail_on"}, {GATE_BY_NEW, "fail_on_new"},
        {GATE_BY_EXPIRED_WAIVER, "expired_waivers"},
    };
    for (size_t i = 0; i < sizeof gates / sizeof gates[0]; i++)
        if (m->gate_failed & gates[i].bit)
            json_array_append_new(failed, json_string(gates[i].name));
    json_object_set_new(gate, "failed", failed);
    json_object_set_new(o, "gate", gate);
    json_object_set_new(o, "complete", json_boolean(m->complete));
    json_object_set_new(o, "expected_records", m->complete ? json_null()
                                                           : json_integer(m->expected_records));
    return o;
}

static json_t *counts_json(const struct report_count *c, size_t n, const char *key)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_object();
        json_object_set_new(e, key, jstr(c[i].key));
        json_object_set_new(e, "findings", jint(c[i].count));
        json_array_append_new(a, e);
    }
    return a;
}

static json_t *summary_json(const struct report *rep)
{
    const struct report_summary *s = &rep->summary;
    json_t *o = json_object();
    json_object_set_new(o, "images", jint(s->images));
    json_object_set_new(o, "images_with_findings", jint(s->images_with_findings));
    json_object_set_new(o, "findings", jint(s->findings));
    json_t *sev = json_object();
    for (int v = SEV_COUNT - 1; v >= 0; v--)
        json_object_set_new(sev, severity_name((enum severity)v), jint(s->by_severity[v]));
    json_object_set_new(o, "by_severity", sev);
    for (int t = 0; t < TALLY_COUNT; t++) {
        json_t *c = json_object();
        json_object_set_new(c, "total", jint(s->tally_total[t]));
        for (int v = SEV_COUNT - 1; v >= 0; v--)
            json_object_set_new(c, severity_name((enum severity)v), jint(s->tally[t][v]));
        json_object_set_new(o, tally_name((enum tally)t), c);
    }
    json_object_set_new(o, "resolved_trusted", json_boolean(s->resolved_trusted));
    json_t *ws = json_object();
    for (int w = 0; w < WAIVER_STATE_COUNT; w++)
        json_object_set_new(ws, waiver_state_name((enum waiver_state)w),
                            jint(s->waivers_by_state[w]));
    json_object_set_new(o, "waivers", ws);
    json_object_set_new(o, "by_namespace",
                        counts_json(s->by_namespace, s->n_by_namespace, "namespace"));
    json_object_set_new(o, "by_registry",
                        counts_json(s->by_registry, s->n_by_registry, "registry_name"));
    return o;
}

/* A merged report's summary row per source (report.h). */
static json_t *source_json(const struct report_source *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "path", jstr(s->path));
    json_object_set_new(o, "sha256", jsha(s->sha256));
    json_object_set_new(o, "provenance", jstr(report_provenance_name(s->provenance)));
    json_object_set_new(o, "provenance_problem", jstr(report_provenance_problem(s->provenance)));
    json_object_set_new(o, "label", jstr(report_source_label(s->provenance)));
    json_object_set_new(o, "records_format", jstr(s->records_format));
    json_object_set_new(o, "project_id", jstr(s->project_id));
    json_object_set_new(o, "region", jstr(s->region));
    json_object_set_new(o, "enterprise_project_id", jstr(s->enterprise_project_id));
    json_object_set_new(o, "where", jstr(s->where));
    json_object_set_new(o, "now", jtime(s->now_ms));
    json_object_set_new(o, "generated_at", jtime(s->generated_at_ms));
    json_object_set_new(o, "records_received", jint(s->records_received));
    json_object_set_new(o, "complete", json_boolean(s->complete));
    json_object_set_new(o, "expected_records", s->complete ? json_null()
                                                           : json_integer(s->expected_records));
    json_object_set_new(o, "other_rules", json_boolean(s->other_rules));
    json_object_set_new(o, "images", jint(s->images));
    json_object_set_new(o, "images_with_findings", jint(s->images_with_findings));
    json_object_set_new(o, "findings", jint(s->findings));
    json_t *open = json_object();
    json_object_set_new(open, "total", jint(s->open_total));
    for (int v = SEV_COUNT - 1; v >= 0; v--)
        json_object_set_new(open, severity_name((enum severity)v), jint(s->open[v]));
    json_object_set_new(o, "open", open);
    json_object_set_new(o, "waived", jint(s->waived_total));
    return o;
}

static json_t *rule_json(const struct report_rule *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", jstr(r->id));
    json_object_set_new(o, "title", jstr(r->title));
    json_object_set_new(o, "severity", jstr(severity_name(r->severity)));
    json_object_set_new(o, "description", jstr(r->description ? r->description : ""));
    json_object_set_new(o, "remediation", jstr(r->remediation ? r->remediation : ""));
    json_t *tags = json_array();
    for (size_t t = 0; t < r->n_tags; t++)
        json_array_append_new(tags, jstr(r->tags[t]));
    json_object_set_new(o, "tags", tags);
    json_object_set_new(o, "when", jstr(r->when ? r->when : ""));
    json_object_set_new(o, "message", jstr(r->message ? r->message : ""));
    json_object_set_new(o, "file", jstr(r->file));
    json_object_set_new(o, "findings", jint(r->findings));
    json_object_set_new(o, "unknown", jint(r->unknown));
    json_object_set_new(o, "regex_limit_hits", jint(r->regex_limit_hits));
    json_object_set_new(o, "regex_disabled", json_boolean(r->regex_disabled));
    return o;
}

static json_t *quality_json(const struct report_quality *q)
{
    json_t *o = json_object();
    json_object_set_new(o, "field", jstr(q->field));
    json_object_set_new(o, "problem", jstr(q->problem));
    json_object_set_new(o, "count", jint(q->count));
    json_object_set_new(o, "first_record", jint(q->first_record));
    json_object_set_new(o, "first_line", q->first_line ? jint(q->first_line) : json_null());
    return o;
}

static json_t *image_json(const struct report *rep, size_t i)
{
    const struct report_image *img = report_image_at(rep, i);
    json_t *o = json_object();
    json_object_set_new(o, "index", jint(i));
    for (int f = 0; f < FIELD_COUNT; f++)
        json_object_set_new(o, report_field_key((enum field_id)f), jcell(&img->c[f], (enum field_id)f));
    json_object_set_new(o, "findings", json_integer(img->findings));
    json_object_set_new(o, "max_severity", img->max_severity >= 0
                        ? jstr(severity_name((enum severity)img->max_severity)) : json_null());
    if (rep->n_sources)
        json_object_set_new(o, "source", json_integer(img->source));
    return o;
}

static json_t *waiver_json(const struct report_waiver *w)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", jstr(w->id));
    json_object_set_new(o, "rule", jstr(w->rule));
    json_object_set_new(o, "when", jstr(w->when));
    json_object_set_new(o, "reason", jstr(w->reason));
    json_object_set_new(o, "owner", jstr(w->owner));
    json_object_set_new(o, "ticket", jstr(w->ticket));
    json_object_set_new(o, "expires", jstr(w->expires));
    json_object_set_new(o, "expires_at", jtime(w->expires_ms));
    json_object_set_new(o, "file", jstr(w->file));
    json_object_set_new(o, "line", json_integer(w->line));
    json_object_set_new(o, "state", jstr(waiver_state_name(w->state)));
    json_object_set_new(o, "findings_waived", jint(w->waived));
    json_object_set_new(o, "findings_matched", jint(w->matched));
    json_object_set_new(o, "unknown", jint(w->unknown));
    return o;
}

/* A typed column value (columns.h). */
static json_t *jvalue(const struct fcol_value *v)
{
    struct buf b = BUF_INIT;
    json_t *j;
    switch (v->kind) {
    case FV_TEXT: return jstr(v->s);
    case FV_INT: return json_integer(v->i);
    case FV_BOOL: return json_boolean(v->b);
    case FV_TIME:
    case FV_DATE:
        fcol_text(&b, v);
        j = json_string(buf_cstr(&b));
        buf_dispose(&b);
        return j;
    case FV_MISSING: break;
    }
    return json_null();
}

/* A finding: every column of columns.def under its name, typed, so that
 * a later run can list it as resolved from this line alone; then where
 * its image is in this report and every waiver that matched it. */
static json_t *finding_json(const struct report *rep, const struct report_finding *fi)
{
    json_t *o = json_object();
    for (int c = 0; c < FC_COUNT; c++) {
        struct fcol_value v;
        fcol_value(rep, fi, (enum fcol_id)c, &v);
        json_object_set_new(o, fcol_defs[c].name, jvalue(&v));
    }
    json_object_set_new(o, "image_index", fi->change == CHANGE_RESOLVED
                        ? json_null() : json_integer(fi->image));
    json_t *m = json_array();
    for (uint32_t k = 0; k < fi->n_matches; k++)
        json_array_append_new(m, jstr(rep->waivers[report_finding_match(rep, fi, k)].id));
    json_object_set_new(o, "waivers", m);
    return o;
}

/* An array section, one element per line, each from 'make'. */
#define SECTION_ARRAY(out, rc, key, n, make)                                  \
    do {                                                                      \
        fputs(",\n  \"" key "\": [", out);                                   \
        for (size_t i_ = 0; i_ < (n); i_++)                                   \
            if (jsonout_line(out, (make), i_ == 0, 4) < 0)                    \
                rc = -1;                                                      \
        fputs((n) ? "\n  ]" : "]", out);                                     \
    } while (0)

/* The bytes from the inventory's '[' on: counted, and checksummed
 * while 'crc_on'; the index rows as the findings are written. */
struct findex {
    FILE *out;
    uint64_t pos;               /* bytes written since the inventory's '[' */
    bool crc_on;
    uint32_t crc;
    FILE *rows;                 /* the index rows, a temporary file */
    uint64_t n_rows;
    uint64_t *seen;             /* a bit per image: its first row is indexed */
    struct buf b, row;          /* scratch */
    int rc;                     /* -1 once encoding failed */
    /* Where the sections are (finding_index_check). */
    uint64_t inventory_end, findings_at, findings_end, index_at, index_end;
    uint32_t findings_crc, index_crc;
};

static void fx_put(struct findex *fx, const void *p, size_t n)
{
    fwrite(p, 1, n, fx->out);
    fx->pos += n;
    if (fx->crc_on)
        fx->crc = crc32c(fx->crc, p, n);
}

static void fx_puts(struct findex *fx, const char *s)
{
    fx_put(fx, s, strlen(s));
}

/* One element of an array section ('first': no comma), indented 4. */
static void fx_line(struct findex *fx, json_t *j, bool first)
{
    buf_clear(&fx->b);
    if (jsonout_line_buf(&fx->b, j, first, 4) < 0)
        fx->rc = -1;
    fx_put(fx, fx->b.data, fx->b.len);
}

static void fx_end_array(struct findex *fx, size_t n)
{
    fx_puts(fx, n ? "\n  ]" : "]");
}

/* The index row of finding 'fi', written at 'at', whose JSON row is
 * 'o' (its image's identity is taken from there, the very values the
 * row carries). */
static void fx_index_row(struct findex *fx, const struct report *rep,
                         const struct report_finding *fi, const json_t *o, uint64_t at)
{
    json_t *a = json_array();
    json_array_append_new(a, json_integer(fi->rule));
    json_array_append_new(a, json_integer(fi->image));
    json_array_append_new(a, json_integer(fi->status));
    json_array_append_new(a, json_integer(fi->change));
    json_array_append_new(a, json_integer(fi->first_seen_ms));
    json_array_append_new(a, json_integer((json_int_t)at));
    uint64_t bit = (uint64_t)1 << (fi->image % 64);
    if (!(fx->seen[fi->image / 64] & bit)) {
        fx->seen[fi->image / 64] |= bit;
        for (size_t k = 0; k < REPORT_IDENTITY_FIELDS; k++)
            json_array_append(a, json_object_get(o, report_field_key(report_identity_fields[k])));
        json_array_append_new(a, json_integer(report_finding_image(rep, fi)->source));
    }
    buf_clear(&fx->row);
    if (jsonout_line_buf(&fx->row, a, fx->n_rows == 0, 6) < 0)
        fx->rc = -1;
    fwrite(fx->row.data, 1, fx->row.len, fx->rows);
    fx->n_rows++;
}

/* The findings, checksummed, each indexed. */
static void fx_findings(struct findex *fx, const struct report *rep)
{
    fx->findings_at = fx->pos;
    fx->crc_on = true;
    fx->crc = 0;
    fx_puts(fx, "[");
    for (size_t i = 0; i < rep->n_findings; i++) {
        const struct report_finding *fi = report_finding_at(rep, i);
        json_t *o = finding_json(rep, fi);
        /* The row's '{': after the comma, the newline and 4 spaces. */
        uint64_t at = fx->pos + (i ? 1 : 0) + 1 + 4;
        fx_index_row(fx, rep, fi, o, at);
        fx_line(fx, o, i == 0);
    }
    fx_end_array(fx, rep->n_findings);
    fx->crc_on = false;
    fx->findings_crc = fx->crc;
    fx->findings_end = fx->pos;
}

/* The index: its rows copied in from the temporary file, checksummed. */
static void fx_index(struct findex *fx, const struct report *rep)
{
    fx->index_at = fx->pos;
    fx->crc_on = true;
    fx->crc = 0;
    buf_clear(&fx->b);
    buf_printf(&fx->b, "{\"inventory\": %zu, \"rows\": [", rep->n_images);
    fx_put(fx, fx->b.data, fx->b.len);
    if (fflush(fx->rows) != 0 || fseek(fx->rows, 0, SEEK_SET) != 0)
        fx->rc = -1;
    char chunk[65536];
    size_t n;
    while (fx->rc == 0 && (n = fread(chunk, 1, sizeof chunk, fx->rows)) > 0)
        fx_put(fx, chunk, n);
    if (ferror(fx->rows))
        fx->rc = -1;
    fx_puts(fx, fx->n_rows ? "\n    ]}" : "]}");
    fx->crc_on = false;
    fx->index_crc = fx->crc;
    fx->index_end = fx->pos;
}

int render_json(const struct report *rep, const struct render_opts *o, FILE *out,
                struct diags *d)
{
    (void)o;
    struct findex fx = {.out = out};
    if (!(fx.rows = distinct_tmpfile("jsonindex"))) {
        diags_error(d, "cannot create a temporary file in %s for the JSON report's finding "
                    "index: %s", tmpfile_dir(), strerror(errno));
        return -1;
    }
    fx.seen = xcalloc(rep->n_images / 64 + 1, sizeof *fx.seen);
    buf_init(&fx.b, 0);
    buf_init(&fx.row, 0);
    int rc = 0;
    fprintf(out, "{\n  \"schema\": \"imgaudit-report\",\n  \"schema_version\": %d,\n",
            REPORT_SCHEMA_VERSION);
    fputs("  \"meta\": ", out);
    rc |= jsonout_indented(out, meta_json(rep), 2);
    fputs(",\n  \"summary\": ", out);
    rc |= jsonout_indented(out, summary_json(rep), 2);
    SECTION_ARRAY(out, rc, "sources", rep->n_sources, source_json(&rep->sources[i_]));
    SECTION_ARRAY(out, rc, "rules", rep->n_rules, rule_json(&rep->rules[i_]));
    SECTION_ARRAY(out, rc, "waivers", rep->n_waivers, waiver_json(&rep->waivers[i_]));
    SECTION_ARRAY(out, rc, "data_quality", rep->n_quality, quality_json(&rep->quality[i_]));
    fputs(",\n  \"inventory\": ", out);
    fx_puts(&fx, "[");          /* offset 0 */
    for (size_t i = 0; i < rep->n_images; i++)
        fx_line(&fx, image_json(rep, i), i == 0);
    fx_end_array(&fx, rep->n_images);
    fx.inventory_end = fx.pos;
    fx_puts(&fx, ",\n  \"findings\": ");
    fx_findings(&fx, rep);
    fx_puts(&fx, ",\n  \"resolved\": [");
    for (size_t i = 0; i < rep->n_resolved; i++)
        fx_line(&fx, finding_json(rep, &rep->resolved[i]), i == 0);
    fx_end_array(&fx, rep->n_resolved);
    fx_puts(&fx, ",\n  \"finding_index\": ");
    fx_index(&fx, rep);
    fprintf(out, ",\n  \"finding_index_check\": {\"inventory_end\": %" PRIu64 ", "
            "\"findings\": [%" PRIu64 ", %" PRIu64 "], \"findings_crc32c\": \"%08" PRIx32 "\", "
            "\"index\": [%" PRIu64 ", %" PRIu64 "], \"index_crc32c\": \"%08" PRIx32 "\"}",
            fx.inventory_end, fx.findings_at, fx.findings_end, fx.findings_crc, fx.index_at,
            fx.index_end, fx.index_crc);
    fputs("\n}\n", out);
    rc |= fx.rc;
    bool failed_index = ferror(fx.rows);
    fclose(fx.rows);
    free(fx.seen);
    buf_dispose(&fx.b);
    buf_dispose(&fx.row);
    if (rc < 0 || ferror(out) || failed_index) {
        diags_error(d, "cannot write the JSON report: %s",
                    ferror(out) || failed_index ? strerror(errno)
                                                : "out of memory in the JSON encoder");
        return -1;
    }
    return 0;
}

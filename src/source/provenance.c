/* SPDX-License-Identifier: MIT
 * Writing and reading snapshot provenance documents; see provenance.h. */
#include "source/provenance.h"

#include <errno.h>
#include <jansson.h>
#include <string.h>

#include "util/timefmt.h"
#include "util/xalloc.h"

#define PROVENANCE_SCHEMA "imgaudit-snapshot-provenance"
#define PROVENANCE_VERSION 1     /* one source */
#define PROVENANCE_VERSION_SOURCES 2    /* several (provenance.h) */
#define PROVENANCE_MAX (1u << 20)   /* a provenance is a few hundred bytes */

char *provenance_path(const char *records_path)
{
    const char *slash = strrchr(records_path, '/');
    const char *base = slash ? slash + 1 : records_path;
    const char *dot = strrchr(base, '.');
    size_t keep = dot && dot != base ? (size_t)(dot - records_path) : strlen(records_path);
    return xasprintf("%.*s.meta.json", (int)keep, records_path);
}

static json_t *jstr_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *source_json(const struct provenance_source *s)
{
    char t[TIME_ISO_MAX];
    time_format_iso(s->pulled_at_ms, t);
    json_t *o = json_object();
    json_object_set_new(o, "endpoint", jstr_or_null(s->endpoint));
    json_object_set_new(o, "region", jstr_or_null(s->region));
    json_object_set_new(o, "project_id", jstr_or_null(s->project_id));
    json_object_set_new(o, "enterprise_project_id", jstr_or_null(s->enterprise_project_id));
    json_object_set_new(o, "pulled_at", json_string(t));
    json_object_set_new(o, "total_num", s->total_num >= 0 ? json_integer(s->total_num)
                                                          : json_null());
    json_object_set_new(o, "records_received", json_integer((json_int_t)s->records_received));
    json_object_set_new(o, "pages", json_integer((json_int_t)s->pages));
    json_object_set_new(o, "retries", json_integer((json_int_t)s->retries));
    json_object_set_new(o, "duplicates_dropped",
                        json_integer((json_int_t)s->duplicates_dropped));
    json_object_set_new(o, "complete", json_boolean(s->complete));
    json_object_set_new(o, "expected_records", json_integer(s->expected_records));
    return o;
}

int provenance_write(const struct provenance *p, FILE *out)
{
    char t[TIME_ISO_MAX];
    time_format_iso(p->pulled_at_ms, t);
    json_t *o = json_object();
    json_object_set_new(o, "schema", json_string(PROVENANCE_SCHEMA));
    json_object_set_new(o, "schema_version", json_integer(p->n_sources
                                                              ? PROVENANCE_VERSION_SOURCES
                                                              : PROVENANCE_VERSION));
    json_object_set_new(o, "imgaudit_version", jstr_or_null(p->imgaudit_version));
    json_object_set_new(o, "endpoint", jstr_or_null(p->endpoint));
    json_object_set_new(o, "region", jstr_or_null(p->region));
    json_object_set_new(o, "project_id", jstr_or_null(p->project_id));
    json_object_set_new(o, "enterprise_project_id", jstr_or_null(p->enterprise_project_id));
    json_t *f = json_array();
    for (size_t i = 0; i < p->n_filters; i++)
        json_array_append_new(f, jstr_or_null(p->filters[i]));
    json_object_set_new(o, "filters", f);
    json_object_set_new(o, "pulled_at", json_string(t));
    json_object_set_new(o, "total_num", p->total_num >= 0 ? json_integer(p->total_num)
                                                          : json_null());
    json_object_set_new(o, "records_received", json_integer((json_int_t)p->records_received));
    json_object_set_new(o, "pages", json_integer((json_int_t)p->pages));
    json_object_set_new(o, "retries", json_integer((json_int_t)p->retries));
    json_object_set_new(o, "duplicates_dropped",
                        json_integer((json_int_t)p->duplicates_dropped));
    json_object_set_new(o, "complete", json_boolean(p->complete));
    json_object_set_new(o, "expected_records", json_integer(p->expected_records));
    json_object_set_new(o, "records_format", json_string("jsonl"));
    json_object_set_new(o, "records_sha256", json_string(p->records_sha256));
    if (p->n_sources) {
        json_t *a = json_array();
        for (size_t i = 0; i < p->n_sources; i++)
            json_array_append_new(a, source_json(&p->sources[i]));
        json_object_set_new(o, "sources", a);
    }
    int rc = json_dumpf(o, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (rc == 0 && fputc('\n', out) == EOF)
        rc = -1;
    return rc < 0 || ferror(out) ? -1 : 0;
}

/* ---- reading ---- */

struct rd {
    const char *path;
    const char *bad;            /* the first problem, static text */
    const char *key;
};

static json_t *need(struct rd *r, json_t *o, const char *key, json_type type, bool nullable)
{
    json_t *v = json_object_get(o, key);
    if (r->bad)
        return NULL;
    if (!v) {
        r->bad = "is missing";
        r->key = key;
        return NULL;
    }
    if (nullable && json_is_null(v))
        return NULL;
    if (json_typeof(v) != type && !(type == JSON_TRUE && json_is_boolean(v))) {
        r->bad = "has the wrong type";
        r->key = key;
        return NULL;
    }
    return v;
}

static char *str(struct rd *r, json_t *o, const char *key, bool nullable)
{
    json_t *v = need(r, o, key, JSON_STRING, nullable);
    return v ? xstrdup(json_string_value(v)) : NULL;
}

static int64_t num(struct rd *r, json_t *o, const char *key, bool nullable, int64_t dflt)
{
    json_t *v = need(r, o, key, JSON_INTEGER, nullable);
    if (v && json_integer_value(v) < 0 && !r->bad) {
        r->bad = "is negative";
        r->key = key;
    }
    return v ? json_integer_value(v) : dflt;
}

static void decode_source(struct rd *r, json_t *o, struct provenance_source *s)
{
    s->endpoint = str(r, o, "endpoint", false);
    s->region = str(r, o, "region", true);
    s->project_id = str(r, o, "project_id", false);
    s->enterprise_project_id = str(r, o, "enterprise_project_id", true);
    char *t = str(r, o, "pulled_at", false);
    if (t && time_parse(t, &s->pulled_at_ms) < 0 && !r->bad) {
        r->bad = "is not an RFC 3339 time";
        r->key = "sources[].pulled_at";
    }
    free(t);
    s->total_num = num(r, o, "total_num", true, -1);
    s->records_received = (size_t)num(r, o, "records_received", false, 0);
    s->pages = (size_t)num(r, o, "pages", false, 0);
    s->retries = (size_t)num(r, o, "retries", false, 0);
    s->duplicates_dropped = (size_t)num(r, o, "duplicates_dropped", false, 0);
    s->complete = json_is_true(need(r, o, "complete", JSON_TRUE, false));
    s->expected_records = num(r, o, "expected_records", false, 0);
}

/* Version 2: two or more sources whose records add up to the file's. */
static void decode_sources(struct rd *r, json_t *o, struct provenance *p)
{
    json_t *a = need(r, o, "sources", JSON_ARRAY, false);
    if (!a)
        return;
    size_t n = json_array_size(a), sum = 0;
    p->sources = xcalloc(n + 1, sizeof *p->sources);
    for (size_t i = 0; i < n && !r->bad; i++) {
        json_t *e = json_array_get(a, i);
        if (!json_is_object(e)) {
            r->bad = "has the wrong type";
            r->key = "sources";
            break;
        }
        decode_source(r, e, &p->sources[p->n_sources++]);
        sum += p->sources[i].records_received;
    }
    if (r->bad)
        return;
    if (n < 2) {
        r->bad = "has fewer than two sources (one source is a version 1 document)";
        r->key = "sources";
    } else if (sum != p->records_received) {
        r->bad = "does not add up to records_received";
        r->key = "sources[].records_received";
    }
}

static void decode(struct rd *r, json_t *o, struct provenance *p)
{
    json_t *schema = json_object_get(o, "schema");
    json_t *ver = json_object_get(o, "schema_version");
    if (!json_is_object(o) || !json_is_string(schema) ||
        strcmp(json_string_value(schema), PROVENANCE_SCHEMA) != 0) {
        r->bad = "not an imgaudit snapshot provenance (no \"schema\": \""
                 PROVENANCE_SCHEMA "\")";
        return;
    }
    if (!json_is_integer(ver) || (json_integer_value(ver) != PROVENANCE_VERSION &&
                                  json_integer_value(ver) != PROVENANCE_VERSION_SOURCES)) {
        r->bad = "a snapshot provenance of a schema_version this imgaudit does not read "
                 "(it reads 1 and 2)";
        return;
    }
    bool several = json_integer_value(ver) == PROVENANCE_VERSION_SOURCES;
    p->imgaudit_version = str(r, o, "imgaudit_version", false);
    p->endpoint = str(r, o, "endpoint", several);
    p->region = str(r, o, "region", true);
    p->project_id = str(r, o, "project_id", several);
    p->enterprise_project_id = str(r, o, "enterprise_project_id", true);
    json_t *f = need(r, o, "filters", JSON_ARRAY, false);
    p->filters = xcalloc(f ? json_array_size(f) + 1 : 1, sizeof *p->filters);
    for (size_t i = 0; f && i < json_array_size(f); i++) {
        if (!json_is_string(json_array_get(f, i))) {
            r->bad = "has the wrong type";
            r->key = "filters";
            break;
        }
        p->filters[p->n_filters++] = xstrdup(json_string_value(json_array_get(f, i)));
    }
    char *t = str(r, o, "pulled_at", false);
    if (t && time_parse(t, &p->pulled_at_ms) < 0 && !r->bad) {
        r->bad = "is not an RFC 3339 time";
        r->key = "pulled_at";
    }
    free(t);
    p->total_num = num(r, o, "total_num", true, -1);
    p->records_received = (size_t)num(r, o, "records_received", false, 0);
    p->pages = (size_t)num(r, o, "pages", false, 0);
    p->retries = (size_t)num(r, o, "retries", false, 0);
    p->duplicates_dropped = (size_t)num(r, o, "duplicates_dropped", false, 0);
    p->complete = json_is_true(need(r, o, "complete", JSON_TRUE, false));
    p->expected_records = num(r, o, "expected_records", false, 0);
    char *fmt = str(r, o, "records_format", false);
    if (fmt && strcmp(fmt, "jsonl") != 0 && !r->bad) {
        r->bad = "is not \"jsonl\"";
        r->key = "records_format";
    }
    free(fmt);
    char *sha = str(r, o, "records_sha256", false);
    if (sha && (strlen(sha) != 64 || strspn(sha, "0123456789abcdef") != 64) && !r->bad) {
        r->bad = "is not 64 lowercase hex digits";
        r->key = "records_sha256";
    }
    snprintf(p->records_sha256, SHA256_HEX_LEN, "%s", sha && !r->bad ? sha : "");
    free(sha);
    if (several)
        decode_sources(r, o, p);
}

int provenance_read(struct provenance *p, const char *path, struct buf *raw,
                    struct diags *d)
{
    memset(p, 0, sizeof *p);
    p->total_num = -1;
    struct buf b;
    buf_init(&b, PROVENANCE_MAX);
    int rc = buf_read_file(&b, path);
    if (rc == -3 && errno == ENOENT) {
        buf_dispose(&b);
        return PROVENANCE_MISSING;
    }
    if (rc < -1) {
        diags_add(d, DIAG_ERROR, path, 0, 0, 0, NULL, "cannot read the snapshot provenance: %s",
                  strerror(errno));
        buf_dispose(&b);
        return PROVENANCE_ERROR;
    }
    if (raw) {
        buf_clear(raw);
        buf_append(raw, b.data ? b.data : "", b.len);
    }
    int status = PROVENANCE_OK;
    json_error_t je;
    json_t *o = rc == 0 ? json_loadb(b.data ? b.data : "", b.len, JSON_REJECT_DUPLICATES, &je)
                        : NULL;
    if (!o) {
        if (rc == -1)
            diags_add(d, DIAG_WARNING, path, 0, 0, 0, NULL,
                      "not a snapshot provenance: larger than 1 MiB");
        else
            diags_add(d, DIAG_WARNING, path, je.line, je.column, 0, NULL,
                      "not a snapshot provenance: %s", je.text);
        status = PROVENANCE_INVALID;
    } else {
        struct rd r = {path, NULL, NULL};
        decode(&r, o, p);
        if (r.bad) {
            if (r.key)
                diags_add(d, DIAG_WARNING, path, 0, 0, 0, NULL,
                          "snapshot provenance: '%s' %s", r.key, r.bad);
            else
                diags_add(d, DIAG_WARNING, path, 0, 0, 0, NULL, "%s", r.bad);
            status = PROVENANCE_INVALID;
        }
        json_decref(o);
    }
    buf_dispose(&b);
    return status;
}

void provenance_dispose(struct provenance *p)
{
    free(p->imgaudit_version);
    free(p->endpoint);
    free(p->region);
    free(p->project_id);
    free(p->enterprise_project_id);
    for (size_t i = 0; i < p->n_filters; i++)
        free(p->filters[i]);
    free(p->filters);
    for (size_t i = 0; i < p->n_sources; i++) {
        free(p->sources[i].endpoint);
        free(p->sources[i].region);
        free(p->sources[i].project_id);
        free(p->sources[i].enterprise_project_id);
    }
    free(p->sources);
    memset(p, 0, sizeof *p);
}

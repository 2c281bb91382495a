/* SPDX-License-Identifier: MIT
 * The JSON report reader's small sections: meta, rules, waivers and
 * data_quality, each object parsed by jansson and read member by member
 * with its type checked; see reader.h. Also the checks, after
 * report_finish(), of what these sections say that the model computes. */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/reader_int.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

/* ---- typed values of the jansson-read sections ---------------------- */

/* An object of a small section, parsed by jansson, and where it is. */
struct jobj {
    struct rd *r;
    const json_t *o;
    size_t at;
    char path[128];
};

enum { T_STR = 1, T_NULL = 2, T_INT = 4, T_BOOL = 8, T_ARR = 16, T_OBJ = 32 };

static unsigned jtype(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_STRING: return T_STR;
    case JSON_NULL: return T_NULL;
    case JSON_INTEGER: return T_INT;
    case JSON_TRUE:
    case JSON_FALSE: return T_BOOL;
    case JSON_ARRAY: return T_ARR;
    case JSON_OBJECT: return T_OBJ;
    case JSON_REAL: break;
    }
    return 0;
}

static const char *type_words(unsigned types)
{
    switch (types) {
    case T_STR: return "a string";
    case T_STR | T_NULL: return "a string or null";
    case T_INT: return "an integer";
    case T_INT | T_NULL: return "an integer or null";
    case T_BOOL: return "true or false";
    case T_ARR: return "an array";
    case T_OBJ: return "an object";
    case T_OBJ | T_NULL: return "an object or null";
    }
    return "another type";
}

/* "PATH.KEY: expected WHAT, found VALUE" at the member's value. */
static int jwrong(struct jobj *c, const char *key, const json_t *v, const char *what)
{
    size_t at = js_find_member(&c->r->t, c->at, key);
    struct js_val jv;
    struct js_err e;
    char found[64];
    if (at != c->at && js_value(&c->r->t, at, &jv, &e) == 0)
        js_describe(&c->r->t, &jv, found);
    else
        snprintf(found, sizeof found, "%s", json_is_string(v) ? json_string_value(v) : "?");
    return rd_fail(c->r, at, "%s.%s: expected %s, found %s", c->path, key, what, found);
}

static const json_t *member(struct jobj *c, const char *key, unsigned types)
{
    const json_t *v = json_object_get(c->o, key);
    if (!v) {
        rd_fail(c->r, c->at, "%s has no \"%s\"", c->path, key);
        return NULL;
    }
    if (!(jtype(v) & types)) {
        jwrong(c, key, v, type_words(types));
        return NULL;
    }
    return v;
}

/* A string member, copied into the report (NULL for null). */
static int get_str(struct jobj *c, const char *key, bool nullable, const char **out)
{
    const json_t *v = member(c, key, T_STR | (nullable ? T_NULL : 0));
    if (!v)
        return -1;
    *out = json_is_string(v) ? report_str(c->r->rep, json_string_value(v)) : NULL;
    return 0;
}

static int get_int(struct jobj *c, const char *key, bool nullable, bool *present, int64_t *out)
{
    const json_t *v = member(c, key, T_INT | (nullable ? T_NULL : 0));
    if (!v)
        return -1;
    if (present)
        *present = json_is_integer(v);
    *out = json_is_integer(v) ? json_integer_value(v) : 0;
    return 0;
}

static int get_count(struct jobj *c, const char *key, size_t *out)
{
    int64_t v;
    if (get_int(c, key, false, NULL, &v) < 0)
        return -1;
    if (v < 0)
        return jwrong(c, key, json_object_get(c->o, key), "a count (0 or more)");
    *out = (size_t)v;
    return 0;
}

static int get_bool(struct jobj *c, const char *key, bool *out)
{
    const json_t *v = member(c, key, T_BOOL);
    if (!v)
        return -1;
    *out = json_is_true(v);
    return 0;
}

static int get_time(struct jobj *c, const char *key, int64_t *out)
{
    const json_t *v = member(c, key, T_STR);
    if (!v)
        return -1;
    if (!rd_time_exact(c->r, json_string_value(v), json_string_length(v), out))
        return jwrong(c, key, v, TIME_WORDS);
    return 0;
}

/* A severity name or (when nullable) null: -1. */
static int get_sev(struct jobj *c, const char *key, bool nullable, int *out)
{
    const json_t *v = member(c, key, T_STR | (nullable ? T_NULL : 0));
    if (!v)
        return -1;
    *out = json_is_string(v) ? severity_parse(json_string_value(v)) : -1;
    if (json_is_string(v) && *out < 0)
        return jwrong(c, key, v, "critical, high, medium, low or info");
    return 0;
}

/* A SHA-256 in hex, or null (kept as ""). */
static int get_sha(struct jobj *c, const char *key, char out[SHA256_HEX_LEN])
{
    const json_t *v = member(c, key, T_STR | T_NULL);
    if (!v)
        return -1;
    out[0] = '\0';
    if (json_is_null(v))
        return 0;
    const char *s = json_string_value(v);
    if (strlen(s) != SHA256_HEX_LEN - 1 || strspn(s, "0123456789abcdef") != SHA256_HEX_LEN - 1)
        return jwrong(c, key, v, "a SHA-256 in lowercase hex or null");
    memcpy(out, s, SHA256_HEX_LEN);
    return 0;
}

/* A member that is an object (or null when nullable: '*present' false). */
static int get_obj(struct jobj *c, const char *key, bool nullable, bool *present,
                   struct jobj *sub)
{
    const json_t *v = member(c, key, T_OBJ | (nullable ? T_NULL : 0));
    if (!v)
        return -1;
    if (present)
        *present = json_is_object(v);
    sub->r = c->r;
    sub->o = v;
    sub->at = js_find_member(&c->r->t, c->at, key);
    snprintf(sub->path, sizeof sub->path, "%.80s.%.40s", c->path, key);
    return 0;
}

/* Element 'i' of array member 'key' as an object context ('types' the
 * element may be: T_OBJ, or T_STR for lists of strings). */
static int get_elem(struct jobj *c, const char *key, const json_t *arr, size_t i,
                    unsigned types, struct jobj *el)
{
    el->r = c->r;
    el->o = json_array_get(arr, i);
    el->at = js_find_element(&c->r->t, js_find_member(&c->r->t, c->at, key), i);
    snprintf(el->path, sizeof el->path, "%.60s.%.30s[%zu]", c->path, key, i);
    if (jtype(el->o) & types)
        return 0;
    struct js_val v;
    struct js_err e;
    char found[64] = "?";
    if (js_value(&c->r->t, el->at, &v, &e) == 0)
        js_describe(&c->r->t, &v, found);
    return rd_fail(c->r, el->at, "%s: expected %s, found %s", el->path, type_words(types), found);
}

/* A list of strings: each is handed to 'add' (copied there). */
static int get_strings(struct jobj *c, const char *key,
                       void (*add)(struct report *rep, void *ctx, const char *s), void *ctx)
{
    const json_t *arr = member(c, key, T_ARR);
    if (!arr)
        return -1;
    for (size_t i = 0; i < json_array_size(arr); i++) {
        struct jobj el;
        if (get_elem(c, key, arr, i, T_STR, &el) < 0)
            return -1;
        add(c->r->rep, ctx, json_string_value(el.o));
    }
    return 0;
}
/* Parse the object at 'at' with jansson; '*end' is just past it. */
static int load_object(struct rd *r, size_t at, const char *path, size_t *end, json_t **out)
{
    struct js_err e;
    if (rd_expect(r, at, '{', path) < 0)
        return -1;
    if (js_skip(&r->t, at, end, &e) < 0)
        return rd_scan_fail(r, &e, path);
    json_error_t je;
    *out = json_loadb(r->t.p + at, *end - at, 0, &je);
    if (!*out)
        return rd_fail(r, at + (je.position > 0 ? (size_t)je.position - 1 : 0),
                       "invalid JSON in %s: %s", path, je.text);
    return 0;
}

/* ---- meta ---------------------------------------------------------- */

struct strlist {
    const char **v;
    size_t n, cap;
};

static void add_to_list(struct report *rep, void *ctx, const char *s)
{
    struct strlist *l = ctx;
    XGROW(l->v, l->cap, l->n + 1);
    l->v[l->n++] = report_str(rep, s);
}

static void add_warning(struct report *rep, void *ctx, const char *s)
{
    report_add_warning(rep, s);
}

/* rule_files, waiver_files: [{path, sha256}]. */
static int get_files(struct jobj *c, const char *key,
                     void (*add)(struct report *, const char *, const char *))
{
    const json_t *arr = member(c, key, T_ARR);
    if (!arr)
        return -1;
    for (size_t i = 0; i < json_array_size(arr); i++) {
        struct jobj el;
        const char *path;
        char sha[SHA256_HEX_LEN];
        if (get_elem(c, key, arr, i, T_OBJ, &el) < 0 || get_str(&el, "path", false, &path) < 0 ||
            get_sha(&el, "sha256", sha) < 0)
            return -1;
        add(c->r->rep, path, sha);
    }
    return 0;
}

static int read_params(struct jobj *c)
{
    struct report_meta *m = &c->r->rep->meta;
    const json_t *arr = member(c, "params", T_ARR);
    if (!arr)
        return -1;
    m->params = xcalloc(json_array_size(arr), sizeof *m->params);
    for (size_t i = 0; i < json_array_size(arr); i++) {
        struct jobj el;
        struct report_param *p = &m->params[i];
        if (get_elem(c, "params", arr, i, T_OBJ, &el) < 0 ||
            get_str(&el, "name", false, &p->name) < 0 ||
            get_str(&el, "value", false, &p->value) < 0 ||
            get_str(&el, "type", false, &p->type) < 0)
            return -1;
        m->n_params = i + 1;
    }
    return 0;
}

/* meta.source's provenance keys. Version 2 said how the records were
 * read ("kind": "api" or "file", and the input path): a pull then is a
 * pull now, a file is a file of unknown provenance (as main's reader). */
static int read_provenance(struct jobj *s)
{
    struct report_meta *m = &s->r->rep->meta;
    const char *name, *problem;
    if (s->r->version.i < 3) {
        if (get_str(s, "kind", false, &name) < 0 ||
            get_str(s, "input_format", true, &m->records_format) < 0)
            return -1;
        m->provenance = strcmp(name, "api") == 0 ? REPORT_PROV_PULL : REPORT_PROV_MISSING;
        return 0;
    }
    if (get_str(s, "provenance", false, &name) < 0 ||
        get_str(s, "provenance_problem", true, &problem) < 0 ||
        get_str(s, "records_format", true, &m->records_format) < 0 ||
        get_str(s, "pulled_by", true, &m->pulled_by) < 0)
        return -1;
    m->provenance = REPORT_PROV_PULL;
    if (strcmp(name, "merge") == 0 && !problem) {
        m->provenance = REPORT_PROV_MERGE;      /* its sources say more */
    } else if (strcmp(name, "pull") != 0 || problem) {
        static const enum report_provenance unknown[] = {
            REPORT_PROV_MISSING, REPORT_PROV_MISMATCH, REPORT_PROV_INVALID};
        size_t k = 0;
        while (k < 3 && !(problem && strcmp(problem, report_provenance_problem(unknown[k])) == 0))
            k++;
        if (k == 3 || strcmp(name, "unknown") != 0)
            return jwrong(s, "provenance_problem", json_object_get(s->o, "provenance_problem"),
                          "\"missing\", \"sha256-mismatch\" or \"invalid\" with provenance "
                          "\"unknown\", null with \"pull\" or \"merge\"");
        m->provenance = unknown[k];
    }
    const json_t *at = member(s, "pulled_at", T_STR | T_NULL);
    if (!at)
        return -1;
    if (json_is_string(at) && m->provenance == REPORT_PROV_PULL)
        return get_time(s, "pulled_at", &m->pulled_at_ms);
    return 0;
}

/* A count that a version 3 report gives only for a pull (null else). */
static int get_pull_count(struct jobj *s, const char *key, size_t *out)
{
    *out = 0;
    if (s->r->version.i >= 3 && s->r->rep->meta.provenance != REPORT_PROV_PULL)
        return member(s, key, T_INT | T_NULL) ? 0 : -1;
    return get_count(s, key, out);
}

static int read_source(struct jobj *c)
{
    struct report_meta *m = &c->r->rep->meta;
    struct jobj s;
    struct strlist filters = {NULL, 0, 0};
    int64_t v;
    if (get_obj(c, "source", false, NULL, &s) < 0 || read_provenance(&s) < 0 ||
        get_str(&s, "endpoint", true, &m->endpoint) < 0 ||
        get_str(&s, "region", true, &m->region) < 0 ||
        get_str(&s, "project_id", true, &m->project_id) < 0 ||
        get_str(&s, "enterprise_project_id", true, &m->enterprise_project_id) < 0)
        return -1;
    int rc = get_strings(&s, "filters", add_to_list, &filters);
    m->filters = filters.v;
    m->n_filters = filters.n;
    if (rc < 0 || get_int(&s, "total_num", true, &m->has_total, &v) < 0 ||
        get_count(&s, "records_received", &m->records_received) < 0 ||
        get_pull_count(&s, "duplicates_dropped", &m->duplicates_dropped) < 0 ||
        get_pull_count(&s, "pages", &m->pages) < 0 ||
        get_pull_count(&s, "retries", &m->retries) < 0 ||
        get_sha(&s, "sha256", m->source_sha256) < 0)
        return -1;
    m->total_num = v;
    return 0;
}

/* Keys added within version 4 (--where, --split-by, merge): absent from
 * reports of earlier builds. */
static int opt_str(struct jobj *c, const char *key, const char **out)
{
    return json_object_get(c->o, key) ? get_str(c, key, true, out) : 0;
}

static int read_scope(struct jobj *c)
{
    struct report_meta *m = &c->r->rep->meta;
    bool split = false;
    struct jobj s;
    if (opt_str(c, "where", &m->where) < 0 ||
        (json_object_get(c->o, "split") && get_obj(c, "split", true, &split, &s) < 0) ||
        (json_object_get(c->o, "mixed_rules") && get_bool(c, "mixed_rules", &m->mixed_rules) < 0))
        return -1;
    if (!split)
        return 0;
    if (get_str(&s, "by", false, &m->split.by) < 0 || get_str(&s, "key", true, &m->split.key) < 0 ||
        get_str(&s, "name", false, &m->split.name) < 0)
        return -1;
    return 0;
}

static int read_baseline_meta(struct jobj *c)
{
    struct report_baseline *b = &c->r->rep->meta.baseline;
    struct jobj o;
    if (get_obj(c, "baseline", true, &b->present, &o) < 0)
        return -1;
    if (!b->present)
        return 0;
    return get_str(&o, "path", false, &b->path) < 0 || get_sha(&o, "sha256", b->sha256) < 0 ||
                   get_time(&o, "now", &b->now_ms) < 0 ||
                   get_time(&o, "generated_at", &b->generated_at_ms) < 0 ||
                   get_str(&o, "project_id", true, &b->project_id) < 0 ||
                   get_str(&o, "region", true, &b->region) < 0 ||
                   opt_str(&o, "where", &b->where) < 0 ||
                   get_bool(&o, "complete", &b->complete) < 0 ||
                   get_count(&o, "findings", &b->findings) < 0
               ? -1 : 0;
}

static const struct { unsigned bit; const char *name; } gate_names[] = {
    {GATE_BY_SEVERITY, "fail_on"}, {GATE_BY_NEW, "fail_on_new"},
    {GATE_BY_EXPIRED_WAIVER, "expired_waivers"},
};

/* The thresholds; the verdict and the failed list are kept to check
 * against what report_finish() computes. */
static int read_gate(struct jobj *c)
{
    struct rd *r = c->r;
    struct report_meta *m = &r->rep->meta;
    struct jobj g;
    const json_t *verdict, *failed;
    if (get_obj(c, "gate", false, NULL, &g) < 0 || get_sev(&g, "fail_on", true, &m->fail_on) < 0 ||
        get_sev(&g, "fail_on_new", true, &m->fail_on_new) < 0 ||
        get_bool(&g, "fail_on_expired_waivers", &m->fail_on_expired_waivers) < 0 ||
        !(verdict = member(&g, "verdict", T_STR)) || !(failed = member(&g, "failed", T_ARR)))
        return -1;
    r->gate_at = g.at;
    /* "incomplete" is a version 4 value. */
    bool v4 = r->version.i >= 4, known = false;
    for (int k = GATE_NONE; k <= (v4 ? GATE_INCOMPLETE : GATE_FAIL); k++)
        known |= strcmp(json_string_value(verdict), report_gate_name((enum gate_verdict)k)) == 0;
    if (!known)
        return jwrong(&g, "verdict", verdict,
                      v4 ? "none, pass, fail or incomplete" : "none, pass or fail");
    snprintf(r->gate_verdict, sizeof r->gate_verdict, "%s", json_string_value(verdict));
    for (size_t i = 0; i < json_array_size(failed); i++) {
        struct jobj el;
        if (get_elem(&g, "failed", failed, i, T_STR, &el) < 0)
            return -1;
        size_t k = 0;
        while (k < 3 && strcmp(gate_names[k].name, json_string_value(el.o)) != 0)
            k++;
        if (k == 3)
            return rd_fail(r, el.at, "%s: expected fail_on, fail_on_new or expired_waivers, "
                           "found \"%s\"", el.path, json_string_value(el.o));
        r->gate_failed |= gate_names[k].bit;
    }
    return 0;
}

static int read_meta_object(struct rd *r, struct jobj *c)
{
    struct report_meta *m = &r->rep->meta;
    bool expected;
    if (get_str(c, "tool", false, &m->tool) < 0 || get_str(c, "version", false, &m->version) < 0 ||
        get_time(c, "generated_at", &m->generated_at_ms) < 0 ||
        get_time(c, "now", &m->now_ms) < 0 || read_source(c) < 0 || read_scope(c) < 0 ||
        get_files(c, "rule_files", report_add_rulefile) < 0 || read_params(c) < 0 ||
        get_files(c, "waiver_files", report_add_waiver_file) < 0 ||
        get_int(c, "warn_expiring_days", false, NULL, &m->warn_expiring_days) < 0 ||
        read_baseline_meta(c) < 0 || get_strings(c, "warnings", add_warning, NULL) < 0 ||
        read_gate(c) < 0 || get_bool(c, "complete", &m->complete) < 0 ||
        get_int(c, "expected_records", true, &expected, &m->expected_records) < 0)
        return -1;
    if (expected == m->complete)
        return jwrong(c, "expected_records", json_object_get(c->o, "expected_records"),
                      m->complete ? "null (the run is complete)"
                                  : "an integer (the run is incomplete)");
    return 0;
}
/* ---- rules, waivers, data quality ---------------------------------- */

static int read_rule(struct rd *r, struct jobj *c)
{
    struct report *rep = r->rep;
    XGROW(rep->rules, r->cap, rep->n_rules + 1);
    struct report_rule *rr = &rep->rules[rep->n_rules++];
    memset(rr, 0, sizeof *rr);
    int sev;
    const json_t *tags;
    if (get_str(c, "id", false, &rr->id) < 0 || get_str(c, "title", false, &rr->title) < 0 ||
        get_sev(c, "severity", false, &sev) < 0 ||
        get_str(c, "description", false, &rr->description) < 0 ||
        get_str(c, "remediation", false, &rr->remediation) < 0 ||
        !(tags = member(c, "tags", T_ARR)))
        return -1;
    rr->severity = (enum severity)sev;
    const char **tv = xcalloc(json_array_size(tags) + 1, sizeof *tv);
    rr->tags = tv;
    for (size_t i = 0; i < json_array_size(tags); i++) {
        struct jobj el;
        if (get_elem(c, "tags", tags, i, T_STR, &el) < 0)
            return -1;
        tv[i] = report_str(rep, json_string_value(el.o));
        rr->n_tags = i + 1;
    }
    if (get_str(c, "when", false, &rr->when) < 0 ||
        get_str(c, "message", false, &rr->message) < 0 ||
        get_str(c, "file", true, &rr->file) < 0 || get_count(c, "findings", &rr->findings) < 0 ||
        get_count(c, "unknown", &rr->unknown) < 0)
        return -1;
    /* Added within version 3: absent in older reports. */
    if (json_object_get(c->o, "regex_limit_hits") &&
        (get_count(c, "regex_limit_hits", &rr->regex_limit_hits) < 0 ||
         get_bool(c, "regex_disabled", &rr->regex_disabled) < 0))
        return -1;
    int64_t other = rule_index_find(&r->rule_ids, rep, rr->id, strlen(rr->id));
    if (other >= 0)
        return jwrong(c, "id", json_object_get(c->o, "id"), "an id no other rule has");
    idtable_add(&r->rule_ids, idhash_strn(IDHASH_SEED, rr->id, strlen(rr->id)),
                (uint32_t)(rep->n_rules - 1));
    return 0;
}

int64_t rd_waiver_find(const struct rd *r, const char *id, size_t n)
{
    uint64_t h = idhash_strn(IDHASH_SEED, id, n);
    for (size_t s = idtable_first(&r->waiver_ids, h); idtable_used(&r->waiver_ids, s);
         s = idtable_step(&r->waiver_ids, s)) {
        const char *w = r->rep->waivers[r->waiver_ids.val[s]].id;
        if (r->waiver_ids.hash[s] == h && strncmp(w, id, n) == 0 && w[n] == '\0')
            return r->waiver_ids.val[s];
    }
    return -1;
}

static bool is_date(const char *s)
{
    return strlen(s) == 10 && strspn(s, "0123456789-") == 10 && s[4] == '-' && s[7] == '-';
}

static int read_waiver(struct rd *r, struct jobj *c)
{
    struct report_waiver w;
    memset(&w, 0, sizeof w);
    const json_t *state;
    size_t waived, matched, unknown;
    if (get_str(c, "id", false, &w.id) < 0 || get_str(c, "rule", false, &w.rule) < 0 ||
        get_str(c, "when", false, &w.when) < 0 || get_str(c, "reason", false, &w.reason) < 0 ||
        get_str(c, "owner", false, &w.owner) < 0 || get_str(c, "ticket", true, &w.ticket) < 0 ||
        get_str(c, "expires", false, &w.expires) < 0 ||
        get_time(c, "expires_at", &w.expires_ms) < 0 || get_str(c, "file", false, &w.file) < 0)
        return -1;
    int64_t line;
    if (get_int(c, "line", false, NULL, &line) < 0 || !(state = member(c, "state", T_STR)) ||
        get_count(c, "findings_waived", &waived) < 0 ||
        get_count(c, "findings_matched", &matched) < 0 || get_count(c, "unknown", &unknown) < 0)
        return -1;
    if (line < 0 || line > INT32_MAX)
        return jwrong(c, "line", json_object_get(c->o, "line"), "a line number");
    w.line = (int)line;
    int st = 0;
    while (st < WAIVER_STATE_COUNT &&
           strcmp(waiver_state_name((enum waiver_state)st), json_string_value(state)) != 0)
        st++;
    if (st == WAIVER_STATE_COUNT)
        return jwrong(c, "state", state, "active, expiring, expired or unused");
    /* expires is as written in the waiver file; expires_at is what it
     * means. A date waives through that day (expires_at is the next
     * midnight, UTC), and the finding columns show the day. */
    w.expires_is_date = is_date(w.expires);
    int64_t ms;
    char t[TIME_ISO_MAX];
    time_format_iso(w.expires_ms - 86400000, t);
    if (w.expires_is_date ? strncmp(t, w.expires, 10) != 0
                          : time_parse(w.expires, &ms) < 0 || ms != w.expires_ms)
        return jwrong(c, "expires_at", json_object_get(c->o, "expires_at"),
                      w.expires_is_date ? "the midnight (UTC) after its expires date"
                                        : "the time its expires gives");
    if (rd_waiver_find(r, w.id, strlen(w.id)) >= 0)
        return jwrong(c, "id", json_object_get(c->o, "id"), "an id no other waiver has");
    uint32_t idx = report_add_waiver(r->rep, &w);
    struct report_waiver *o = &r->rep->waivers[idx];
    o->waived = waived;
    o->matched = matched;
    o->unknown = unknown;
    idtable_add(&r->waiver_ids, idhash_strn(IDHASH_SEED, o->id, strlen(o->id)), idx);
    r->waiver_state = xreallocarray(r->waiver_state, idx + 1, sizeof *r->waiver_state);
    r->waiver_at = xreallocarray(r->waiver_at, idx + 1, sizeof *r->waiver_at);
    r->waiver_state[idx] = (uint8_t)st;
    r->waiver_at[idx] = c->at;
    return 0;
}

static int read_quality(struct rd *r, struct jobj *c)
{
    struct report *rep = r->rep;
    static const char *const problems[] = {QUALITY_WRONG_TYPE, QUALITY_UNKNOWN_VALUE,
                                           QUALITY_OUT_OF_RANGE, QUALITY_NUL};
    const json_t *problem;
    struct report_quality q;
    if (get_str(c, "field", false, &q.field) < 0 || !(problem = member(c, "problem", T_STR)) ||
        get_count(c, "count", &q.count) < 0 || get_count(c, "first_record", &q.first_record) < 0)
        return -1;
    /* Versions 2 and 3 counted records from 0; every format now counts
     * from 1. first_line: version 4, null when not JSON Lines. */
    q.first_line = 0;
    if (c->r->version.i < 4) {
        q.first_record++;
    } else {
        int64_t line;
        if (q.first_record == 0)
            return jwrong(c, "first_record", json_object_get(c->o, "first_record"),
                          "a record number (1 or more)");
        if (get_int(c, "first_line", true, NULL, &line) < 0)
            return -1;
        if (line < 0)
            return jwrong(c, "first_line", json_object_get(c->o, "first_line"),
                          "a line number or null");
        q.first_line = (uint64_t)line;
    }
    q.problem = NULL;
    for (size_t k = 0; k < sizeof problems / sizeof problems[0]; k++)
        if (strcmp(problems[k], json_string_value(problem)) == 0)
            q.problem = problems[k];
    if (!q.problem)
        return jwrong(c, "problem", problem, "\"wrong type\", \"unknown value\", \"out of range\" or \"NUL character\"");
    XGROW(rep->quality, r->cap, rep->n_quality + 1);
    rep->quality[rep->n_quality++] = q;
    return 0;
}
/* A GATE_BY_* set as the JSON names: "fail_on", "fail_on_new". */
static void failed_text(unsigned bits, char out[64])
{
    out[0] = '\0';
    for (size_t k = 0; k < sizeof gate_names / sizeof gate_names[0]; k++)
        if (bits & gate_names[k].bit)
            snprintf(out + strlen(out), 64 - strlen(out), "%s\"%s\"", out[0] ? ", " : "",
                     gate_names[k].name);
}

/* After report_finish(): what the file says that the model computes. */
int rd_check_computed(struct rd *r)
{
    const struct report *rep = r->rep;
    for (size_t w = 0; w < rep->n_waivers; w++) {
        if (rep->waivers[w].state == r->waiver_state[w])
            continue;
        return rd_fail(r, js_find_member(&r->t, r->waiver_at[w], "state"),
                       "waivers[%zu].state is \"%s\", but its expiry, findings_matched and "
                       "meta.now give \"%s\"", w,
                       waiver_state_name((enum waiver_state)r->waiver_state[w]),
                       waiver_state_name(rep->waivers[w].state));
    }
    const char *verdict = report_gate_name(rep->meta.gate);
    /* Before version 4, incomplete data could pass: that verdict is
     * not this imgaudit's. */
    if (r->version.i >= 4 && strcmp(verdict, r->gate_verdict) != 0)
        return rd_fail(r, js_find_member(&r->t, r->gate_at, "verdict"),
                       "meta.gate.verdict is \"%s\", but the findings and the thresholds give "
                       "\"%s\"", r->gate_verdict, verdict);
    if (rep->meta.gate_failed != r->gate_failed) {
        char file[64], model[64];
        failed_text(r->gate_failed, file);
        failed_text(rep->meta.gate_failed, model);
        return rd_fail(r, js_find_member(&r->t, r->gate_at, "failed"),
                       "meta.gate.failed is [%s], but the findings and the thresholds give [%s]",
                       file, model);
    }
    return 0;
}

/* A merged report's source row (report.h); its counts are recomputed. */
static int read_report_source(struct rd *r, struct jobj *c)
{
    struct report *rep = r->rep;
    XGROW(rep->sources, r->cap, rep->n_sources + 1);
    struct report_source *s = &rep->sources[rep->n_sources++];
    memset(s, 0, sizeof *s);
    const char *name, *problem;
    bool expected;
    if (get_str(c, "path", true, &s->path) < 0 || get_sha(c, "sha256", s->sha256) < 0 ||
        get_str(c, "provenance", false, &name) < 0 ||
        get_str(c, "provenance_problem", true, &problem) < 0 ||
        get_str(c, "records_format", true, &s->records_format) < 0 ||
        get_str(c, "project_id", true, &s->project_id) < 0 ||
        get_str(c, "region", true, &s->region) < 0 ||
        get_str(c, "enterprise_project_id", true, &s->enterprise_project_id) < 0 ||
        get_str(c, "where", true, &s->where) < 0 || get_time(c, "now", &s->now_ms) < 0 ||
        get_time(c, "generated_at", &s->generated_at_ms) < 0 ||
        get_count(c, "records_received", &s->records_received) < 0 ||
        get_bool(c, "complete", &s->complete) < 0 ||
        get_int(c, "expected_records", true, &expected, &s->expected_records) < 0 ||
        get_bool(c, "other_rules", &s->other_rules) < 0)
        return -1;
    static const enum report_provenance all[] = {REPORT_PROV_PULL, REPORT_PROV_MISSING,
                                                 REPORT_PROV_MISMATCH, REPORT_PROV_INVALID};
    size_t k = 0;
    while (k < 4 && !(strcmp(name, report_provenance_name(all[k])) == 0 &&
                      (problem ? report_provenance_problem(all[k]) &&
                                     strcmp(problem, report_provenance_problem(all[k])) == 0
                               : !report_provenance_problem(all[k]))))
        k++;
    if (k == 4)
        return jwrong(c, "provenance", json_object_get(c->o, "provenance"),
                      "\"pull\", or \"unknown\" with its provenance_problem");
    s->provenance = all[k];
    return 0;
}

int rd_read_meta(struct rd *r, size_t at, size_t *end)
{
    json_t *j;
    if (load_object(r, at, "meta", end, &j) < 0)
        return -1;
    struct jobj c = {r, j, at, "meta"};
    int rc = read_meta_object(r, &c);
    json_decref(j);
    return rc;
}

int rd_read_small(struct rd *r, enum sec s, size_t i, size_t at, size_t *end)
{
    char w[96];
    const char *path = rd_where(w, rd_sec_names[s], i);
    json_t *j;
    if (load_object(r, at, path, end, &j) < 0)
        return -1;
    struct jobj c = {r, j, at, ""};
    snprintf(c.path, sizeof c.path, "%s", path);
    int rc = s == SEC_RULES     ? read_rule(r, &c)
           : s == SEC_WAIVERS   ? read_waiver(r, &c)
           : s == SEC_SOURCES   ? read_report_source(r, &c)
                                : read_quality(r, &c);
    json_decref(j);
    return rc;
}

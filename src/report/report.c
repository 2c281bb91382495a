/* SPDX-License-Identifier: MIT
 * Building the report model; see report.h. The builder copies what it
 * keeps (strings into the arena, cells into fixed rows) so the records
 * and the rule set can be freed as soon as evaluation is done. */
#include "report/report.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/spill.h"
#include "report/stream.h"
#include "util/xalloc.h"

void report_init(struct report *rep)
{
    memset(rep, 0, sizeof *rep);
    rep->meta.tool = "imgaudit";
    rep->meta.version = IMGAUDIT_VERSION;
    rep->meta.fail_on = -1;
    rep->meta.fail_on_new = -1;
    rep->meta.warn_expiring_days = 14;
    rep->meta.complete = true;
    rep->meta.provenance = REPORT_PROV_MISSING;
}

const char *report_provenance_name(enum report_provenance p)
{
    return p == REPORT_PROV_PULL ? "pull" : p == REPORT_PROV_MERGE ? "merge" : "unknown";
}

const char *report_provenance_problem(enum report_provenance p)
{
    switch (p) {
    case REPORT_PROV_MISSING: return "missing";
    case REPORT_PROV_MISMATCH: return "sha256-mismatch";
    case REPORT_PROV_INVALID: return "invalid";
    case REPORT_PROV_PULL:
    case REPORT_PROV_MERGE: break;
    }
    return NULL;
}

const char *report_source_label(enum report_provenance p)
{
    switch (p) {
    case REPORT_PROV_MISSING: return "file input, provenance unknown (provenance missing)";
    case REPORT_PROV_MISMATCH:
        return "file input, provenance unknown (provenance SHA-256 mismatch)";
    case REPORT_PROV_INVALID: return "file input, provenance unknown (provenance invalid)";
    case REPORT_PROV_MERGE: return "merged reports (see sources)";
    case REPORT_PROV_PULL: break;
    }
    return "HSS API pull";
}

void report_dispose(struct report *rep)
{
    for (size_t i = 0; i < rep->n_rules; i++)
        free((void *)rep->rules[i].tags);
    for (size_t i = 0; i < rep->n_resolved_rules; i++)
        free((void *)rep->resolved_rules[i].tags);
    free(rep->rules);
    free(rep->waivers);
    free(rep->waiver_matches);
    free(rep->resolved);
    free(rep->resolved_rules);
    free(rep->resolved_images);
    free(rep->meta.waiver_files);
    free((void *)rep->meta.warnings);
    free(rep->images);
    free(rep->findings);
    free(rep->quality);
    free(rep->meta.rulefiles);
    free(rep->meta.params);
    free((void *)rep->meta.filters);
    free(rep->summary.by_namespace);
    free(rep->summary.by_registry);
    free(rep->sources);
    stream_free(rep->stream);
    free(rep->counted_sources);
    spill_free(rep->spill);
    spill_free(rep->resolved_spill);
    arena_dispose(&rep->text);
    memset(rep, 0, sizeof *rep);
}

const char *report_str(struct report *rep, const char *s)
{
    return s ? arena_strdup(&rep->text, s) : NULL;
}

/* A copy of 's' without the line feeds and spaces it ends with: a YAML
 * folded block ('>') ends in a line feed, which would otherwise break
 * every CSV row that repeats the text (the finding's remediation). */
static const char *report_str_trimmed(struct report *rep, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\r' || s[n - 1] == '\t'))
        n--;
    return arena_strndup(&rep->text, s, n);
}

void report_set_rules(struct report *rep, const struct ruleset *rs)
{
    rep->n_rules = ruleset_count(rs);
    rep->rules = xcalloc(rep->n_rules, sizeof *rep->rules);
    for (size_t i = 0; i < rep->n_rules; i++) {
        const struct rule_info *ri = ruleset_rule(rs, i);
        struct report_rule *r = &rep->rules[i];
        r->id = report_str(rep, ri->id);
        r->title = report_str(rep, ri->title);
        r->description = report_str_trimmed(rep, ri->description);
        r->remediation = report_str_trimmed(rep, ri->remediation);
        r->when = report_str(rep, ri->when);
        r->message = report_str(rep, ri->message);
        r->file = report_str(rep, ri->file);
        r->severity = ri->severity;
        r->n_tags = ri->n_tags;
        const char **tags = xcalloc(ri->n_tags + 1, sizeof *tags);
        for (size_t t = 0; t < ri->n_tags; t++)
            tags[t] = report_str(rep, ri->tags[t]);
        r->tags = tags;
    }
    for (size_t i = 0; i < ruleset_file_count(rs); i++) {
        struct rulefile_info fi = ruleset_file(rs, i);
        report_add_rulefile(rep, fi.path, fi.sha256);
    }
    rep->meta.n_params = ruleset_param_count(rs);
    rep->meta.params = xcalloc(rep->meta.n_params, sizeof *rep->meta.params);
    for (size_t i = 0; i < rep->meta.n_params; i++) {
        const struct param_info *p = ruleset_param(rs, i);
        rep->meta.params[i].name = report_str(rep, p->name);
        rep->meta.params[i].value = report_str(rep, p->value);
        rep->meta.params[i].type = report_str(rep, p->type);
    }
}

void report_image_fill(struct report_image *img, const struct record *rec,
                       const char *(*dup)(void *ctx, const char *s, size_t n), void *ctx)
{
    memset(img, 0, sizeof *img);
    img->max_severity = -1;
    for (int f = 0; f < FIELD_COUNT; f++) {
        const struct cell *c = &rec->f[f];
        struct rcell *rc = &img->c[f];
        rc->state = c->state;
        if (c->state != CELL_OK)
            continue;
        switch (field_defs[f].type) {
        case FT_INT:
        case FT_TIME: rc->v.i = c->v.i; break;
        case FT_BOOL: rc->v.b = c->v.b; break;
        case FT_STR: rc->v.s = dup(ctx, c->v.s.p, c->v.s.n); break;
        case FT_LIST: rc->v.i = (int64_t)c->v.list.n; break;
        }
    }
}

static const char *arena_dup(void *ctx, const char *s, size_t n)
{
    return arena_strndup(ctx, s, n);
}

uint32_t report_add_image(struct report *rep, const struct record *rec)
{
    if (rep->stream)
        return stream_add_image(rep, rec);
    /* Image indexes are 32-bit (findings stay three words, and the sort
     * key below packs them); 4 G images would need terabytes first. */
    assert(rep->n_images < UINT32_MAX);
    XGROW(rep->images, rep->cap_images, rep->n_images + 1);
    report_image_fill(&rep->images[rep->n_images], rec, arena_dup, &rep->text);
    return (uint32_t)rep->n_images++;
}

size_t report_add_finding(struct report *rep, uint32_t rule, uint32_t image,
                          const char *message)
{
    if (rep->stream)
        return stream_add_finding(rep, rule, image, message);
    XGROW(rep->findings, rep->cap_findings, rep->n_findings + 1);
    struct report_finding *fi = &rep->findings[rep->n_findings];
    memset(fi, 0, sizeof *fi);
    fi->rule = rule;
    fi->image = image;
    fi->message = report_str(rep, message);
    fi->first_seen_ms = rep->meta.now_ms;
    fi->waiver = -1;
    fi->status = FINDING_OPEN;
    fi->change = CHANGE_NEW;
    rep->rules[rule].findings++;
    return rep->n_findings++;
}

void report_set_image_source(struct report *rep, uint32_t image, uint32_t source)
{
    if (rep->stream)
        stream_set_image_source(rep, image, source);
    else
        rep->images[image].source = source;
}

struct report_finding *report_added_finding(struct report *rep, size_t f)
{
    return rep->stream ? stream_added_finding(rep, f) : &rep->findings[f];
}

void report_add_match(struct report *rep, size_t f, uint32_t w)
{
    struct report_finding *fi = report_added_finding(rep, f);
    uint32_t **pool = &rep->waiver_matches;
    size_t *n = &rep->n_waiver_matches, *cap = &rep->cap_matches;
    if (rep->stream)            /* the chunk's pool */
        stream_match_pool(rep, &pool, &n, &cap);
    if (fi->n_matches == 0)
        fi->matches = (uint32_t)*n;
    /* A finding's matches are contiguous: added right after it. */
    assert(fi->matches + fi->n_matches == *n);
    XGROW(*pool, *cap, *n + 1);
    (*pool)[(*n)++] = w;
    fi->n_matches++;
}

uint32_t report_add_waiver(struct report *rep, const struct report_waiver *w)
{
    rep->waivers = xreallocarray(rep->waivers, rep->n_waivers + 1, sizeof *rep->waivers);
    struct report_waiver *o = &rep->waivers[rep->n_waivers];
    *o = *w;
    o->id = report_str(rep, w->id);
    o->rule = report_str(rep, w->rule);
    o->when = report_str(rep, w->when ? w->when : "");
    o->reason = report_str(rep, w->reason);
    o->owner = report_str(rep, w->owner);
    o->ticket = report_str(rep, w->ticket);
    o->expires = report_str(rep, w->expires);
    o->file = report_str(rep, w->file);
    o->state = WAIVER_ACTIVE;
    o->waived = o->matched = o->unknown = 0;
    return (uint32_t)rep->n_waivers++;
}

void report_add_waiver_file(struct report *rep, const char *path, const char *sha256)
{
    size_t n = rep->meta.n_waiver_files;
    rep->meta.waiver_files = xreallocarray(rep->meta.waiver_files, n + 1,
                                           sizeof *rep->meta.waiver_files);
    rep->meta.waiver_files[n].path = report_str(rep, path);
    snprintf(rep->meta.waiver_files[n].sha256, SHA256_HEX_LEN, "%s", sha256);
    rep->meta.n_waiver_files = n + 1;
}

void report_add_warning(struct report *rep, const char *text)
{
    size_t n = rep->meta.n_warnings;
    rep->meta.warnings = xreallocarray((void *)rep->meta.warnings, n + 1,
                                       sizeof *rep->meta.warnings);
    rep->meta.warnings[n] = report_str(rep, text);
    rep->meta.n_warnings = n + 1;
}

void report_add_unknown(struct report *rep, uint32_t rule)
{
    rep->rules[rule].unknown++;
}

void report_add_rulefile(struct report *rep, const char *path, const char *sha256)
{
    size_t n = rep->meta.n_rulefiles;
    rep->meta.rulefiles = xreallocarray(rep->meta.rulefiles, n + 1, sizeof *rep->meta.rulefiles);
    rep->meta.rulefiles[n].path = report_str(rep, path);
    snprintf(rep->meta.rulefiles[n].sha256, SHA256_HEX_LEN, "%s", sha256);
    rep->meta.n_rulefiles = n + 1;
}

static void add_quality(struct report *rep, size_t *cap, const char *field,
                        const char *problem, const struct quality_count *c)
{
    if (!c->count)
        return;
    XGROW(rep->quality, *cap, rep->n_quality + 1);
    struct report_quality *q = &rep->quality[rep->n_quality++];
    q->field = report_str(rep, field);
    q->problem = problem;
    q->count = c->count;
    q->first_record = c->first + 1;
    q->first_line = c->first_line;
}

void report_set_quality(struct report *rep, const struct quality *q)
{
    size_t cap = 0;
    for (int f = 0; f < FIELD_COUNT; f++) {
        add_quality(rep, &cap, field_defs[f].name, QUALITY_WRONG_TYPE, &q->bad[f]);
        add_quality(rep, &cap, field_defs[f].name, QUALITY_UNKNOWN_VALUE, &q->unknown_value[f]);
        add_quality(rep, &cap, field_defs[f].name, QUALITY_OUT_OF_RANGE, &q->out_of_range[f]);
        add_quality(rep, &cap, field_defs[f].name, QUALITY_NUL, &q->nul[f]);
    }
    for (int a = 0; a < ASSOC_COUNT; a++) {
        char name[64];
        snprintf(name, sizeof name, "association_images[].%s", assoc_defs[a].name);
        add_quality(rep, &cap, name, QUALITY_WRONG_TYPE, &q->assoc_bad[a]);
        add_quality(rep, &cap, name, QUALITY_OUT_OF_RANGE, &q->assoc_out_of_range[a]);
        add_quality(rep, &cap, name, QUALITY_NUL, &q->assoc_nul[a]);
    }
    add_quality(rep, &cap, QUALITY_OTHER, QUALITY_OUT_OF_RANGE, &q->other_out_of_range);
    add_quality(rep, &cap, QUALITY_OTHER, QUALITY_NUL, &q->other_nul);
}

/* ---- finishing: order and summary ---- */

/* Findings are ordered by a packed 64-bit key: severity (worst first),
 * the rule's rank by id, then input order. The key is total, so the
 * output is byte-identical run to run, and sorting needs no context
 * (no global state, no qsort_r). */
struct keyed_finding {
    uint64_t key;
    struct report_finding f;
};

static int cmp_keyed(const void *a, const void *b)
{
    uint64_t x = ((const struct keyed_finding *)a)->key, y = ((const struct keyed_finding *)b)->key;
    return (x > y) - (x < y);
}

static int cmp_rule_id(const void *a, const void *b)
{
    const struct report_rule *const *x = a, *const *y = b;
    return strcmp((*x)->id, (*y)->id);
}

uint64_t *report_rule_keys(const struct report *rep)
{
    const struct report_rule **byid = xcalloc(rep->n_rules + 1, sizeof *byid);
    uint64_t *key = xcalloc(rep->n_rules + 1, sizeof *key);
    for (size_t i = 0; i < rep->n_rules; i++)
        byid[i] = &rep->rules[i];
    qsort(byid, rep->n_rules, sizeof *byid, cmp_rule_id);
    assert(rep->n_rules < (1u << 28));    /* the rank's 28 bits of the key */
    for (size_t i = 0; i < rep->n_rules; i++) {
        size_t r = (size_t)(byid[i] - rep->rules);
        uint64_t sev = (uint64_t)(SEV_COUNT - 1 - rep->rules[r].severity);
        key[r] = sev << 60 | (uint64_t)i << 32;
    }
    free(byid);
    return key;
}

static void sort_findings(struct report *rep)
{
    uint64_t *rkey = report_rule_keys(rep);
    /* A report read back is in this order already: then the sort (a
     * merge sort, stable) would change nothing. */
    size_t in_order = 1;
    while (in_order < rep->n_findings &&
           (rkey[rep->findings[in_order - 1].rule] | rep->findings[in_order - 1].image) <=
               (rkey[rep->findings[in_order].rule] | rep->findings[in_order].image))
        in_order++;
    if (in_order >= rep->n_findings) {
        free(rkey);
        return;
    }
    struct keyed_finding *k = xcalloc(rep->n_findings, sizeof *k);
    for (size_t i = 0; i < rep->n_findings; i++) {
        const struct report_finding *fi = &rep->findings[i];
        k[i].key = rkey[fi->rule] | fi->image;
        k[i].f = *fi;
    }
    qsort(k, rep->n_findings, sizeof *k, cmp_keyed);
    for (size_t i = 0; i < rep->n_findings; i++)
        rep->findings[i] = k[i].f;
    free(k);
    free(rkey);
}

int report_count_cmp(const void *a, const void *b)
{
    const struct report_count *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->key, y->key);
}

/* djb2: the table below only needs a spread, not a cryptographic hash;
 * its iteration order never reaches the output (the rows are sorted). */
static size_t str_hash(const char *s)
{
    size_t h = 5381;
    for (; *s; s++)
        h = h * 33 + (unsigned char)*s;
    return h;
}

/* Findings per value of a string field, sorted by count. A small open-
 * addressing table keyed by the arena pointer's text. */
static void count_by(const struct report *rep, enum field_id f, struct report_count **out,
                     size_t *n_out)
{
    size_t cap = 64, n = 0;
    struct report_count *tab = xcalloc(cap, sizeof *tab);
    for (size_t i = 0; i < rep->n_findings; i++) {
        const struct rcell *c = &rep->images[rep->findings[i].image].c[f];
        const char *key = c->state == CELL_OK ? c->v.s : "(none)";
        if (2 * (n + 1) > cap) {
            struct report_count *old = tab;
            size_t ocap = cap;
            cap *= 2;
            tab = xcalloc(cap, sizeof *tab);
            for (size_t j = 0; j < ocap; j++) {
                if (!old[j].key)
                    continue;
                size_t k = str_hash(old[j].key) & (cap - 1);
                while (tab[k].key)
                    k = (k + 1) & (cap - 1);
                tab[k] = old[j];
            }
            free(old);
        }
        size_t k = str_hash(key) & (cap - 1);
        while (tab[k].key && strcmp(tab[k].key, key) != 0)
            k = (k + 1) & (cap - 1);
        if (!tab[k].key) {
            tab[k].key = key;
            n++;
        }
        tab[k].count++;
    }
    size_t m = 0;
    for (size_t j = 0; j < cap; j++)
        if (tab[j].key)
            tab[m++] = tab[j];
    qsort(tab, m, sizeof *tab, report_count_cmp);
    *out = tab;
    *n_out = m;
}

/* A waiver's state as of the report's now: expired, else unused when it
 * matched nothing, else expiring within --warn-expiring days. */
static enum waiver_state waiver_state(const struct report *rep, const struct report_waiver *w)
{
    int64_t now = rep->meta.now_ms;
    if (now >= w->expires_ms)
        return WAIVER_EXPIRED;
    if (w->matched == 0)
        return WAIVER_UNUSED;
    if (w->expires_ms - now <= rep->meta.warn_expiring_days * 86400000)
        return WAIVER_EXPIRING;
    return WAIVER_ACTIVE;
}

/* Does any open (not waived) finding, new only when 'only_new', have a
 * severity at or above 'min'? */
static bool open_at_or_above(const struct report_summary *s, int min, bool only_new)
{
    for (int sev = min; sev < SEV_COUNT; sev++)
        if ((only_new ? s->new_open[sev] : s->tally[T_OPEN][sev]) > 0)
            return true;
    return false;
}

static void compute_gate(struct report *rep)
{
    struct report_meta *m = &rep->meta;
    const struct report_summary *s = &rep->summary;
    m->gate_failed = 0;
    if (m->fail_on >= 0 && open_at_or_above(s, m->fail_on, false))
        m->gate_failed |= GATE_BY_SEVERITY;
    if (m->fail_on_new >= 0 && open_at_or_above(s, m->fail_on_new, true))
        m->gate_failed |= GATE_BY_NEW;
    if (m->fail_on_expired_waivers && s->waivers_by_state[WAIVER_EXPIRED])
        m->gate_failed |= GATE_BY_EXPIRED_WAIVER;
    if (m->fail_on < 0 && m->fail_on_new < 0 && !m->fail_on_expired_waivers)
        m->gate = GATE_NONE;
    else if (m->gate_failed)
        m->gate = GATE_FAIL;
    else    /* records that never arrived were not checked: no pass */
        m->gate = m->complete ? GATE_PASS : GATE_INCOMPLETE;
}

void report_tally_finding(struct report_summary *s, enum severity sev,
                          const struct report_finding *fi)
{
    bool waived = fi->status == FINDING_WAIVED;
    s->by_severity[sev]++;
    s->tally[waived ? T_WAIVED : T_OPEN][sev]++;
    s->tally[fi->change == CHANGE_EXISTING ? T_EXISTING : T_NEW][sev]++;
    if (fi->change == CHANGE_NEW && !waived)
        s->new_open[sev]++;
}

/* The summary from the arrays: a report in memory ('breakdowns': with
 * the per-namespace and per-registry rows). */
static void count_findings(struct report *rep, bool breakdowns)
{
    sort_findings(rep);

    struct report_summary *s = &rep->summary;
    free(s->by_namespace);
    free(s->by_registry);
    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < rep->n_images; i++) {
        rep->images[i].findings = 0;
        rep->images[i].max_severity = -1;
    }
    s->images = rep->n_images;
    s->findings = rep->n_findings;
    for (size_t i = 0; i < rep->n_findings; i++) {
        const struct report_finding *fi = &rep->findings[i];
        enum severity sev = rep->rules[fi->rule].severity;
        struct report_image *img = &rep->images[fi->image];
        report_tally_finding(s, sev, fi);
        if (img->findings++ == 0)
            s->images_with_findings++;
        if ((int)sev > img->max_severity)
            img->max_severity = (int)sev;
    }
    if (breakdowns) {
        count_by(rep, F_NAMESPACE, &s->by_namespace, &s->n_by_namespace);
        count_by(rep, F_REGISTRY_NAME, &s->by_registry, &s->n_by_registry);
    }
    report_count_sources(rep);
}

static void finish(struct report *rep, bool breakdowns)
{
    struct report_summary *s = &rep->summary;
    if (!rep->spill && !rep->counted)
        count_findings(rep, breakdowns);
    else
        report_count_sources(rep);      /* from what its builder counted */
    /* Resolved findings are the baseline's, in memory in every report
     * (a spilled one's other counts were made while it was built). */
    memset(s->tally[T_RESOLVED], 0, sizeof s->tally[T_RESOLVED]);
    for (size_t i = 0; i < rep->n_resolved; i++)
        s->tally[T_RESOLVED][report_finding_rule(rep, &rep->resolved[i])->severity]++;
    memset(s->tally_total, 0, sizeof s->tally_total);
    for (int t = 0; t < TALLY_COUNT; t++)
        for (int sev = 0; sev < SEV_COUNT; sev++)
            s->tally_total[t] += s->tally[t][sev];
    s->resolved_trusted = rep->meta.baseline.present && rep->meta.baseline.complete &&
                          rep->meta.complete && report_baseline_in_scope(&rep->meta);
    memset(s->waivers_by_state, 0, sizeof s->waivers_by_state);
    for (size_t w = 0; w < rep->n_waivers; w++) {
        rep->waivers[w].state = waiver_state(rep, &rep->waivers[w]);
        s->waivers_by_state[rep->waivers[w].state]++;
    }
    compute_gate(rep);
}

void report_finish(struct report *rep)
{
    finish(rep, true);
}

void report_finish_unwritten(struct report *rep)
{
    finish(rep, false);
}

const struct report_image *report_image_at(const struct report *rep, size_t i)
{
    return rep->spill ? spill_image(rep->spill, i) : &rep->images[i];
}

void report_image_heads(const struct report *rep, size_t from, size_t to, int upto,
                        void (*fn)(void *ctx, size_t i, const struct report_image *img),
                        void *ctx)
{
    if (rep->spill) {
        spill_image_heads(rep->spill, from, to, upto, fn, ctx);
        return;
    }
    for (size_t i = from; i < to; i++)
        fn(ctx, i, &rep->images[i]);
}

const struct report_image *report_resolved_image_at(const struct report *rep, size_t i)
{
    if (rep->resolved_unread) {     /* a writer that lists them, not planned for (app.c) */
        fprintf(stderr, "imgaudit: internal error: a resolved finding's image was asked for, "
                "but the resolved findings were only counted\n");
        abort();
    }
    return rep->resolved_spill ? spill_image(rep->resolved_spill, i) : &rep->resolved_images[i];
}

const struct report_finding *report_finding_at(const struct report *rep, size_t i)
{
    return rep->spill ? spill_finding(rep->spill, i) : &rep->findings[i];
}

uint32_t report_finding_match(const struct report *rep, const struct report_finding *fi,
                              uint32_t k)
{
    return rep->spill ? spill_finding_match(fi, k) : rep->waiver_matches[fi->matches + k];
}

void report_reader_begin(const struct report *rep)
{
    if (rep->spill)
        spill_reader_begin(rep->spill);
    if (rep->resolved_spill)
        spill_reader_begin(rep->resolved_spill);
}

void report_reader_end(const struct report *rep)
{
    if (rep->spill || rep->resolved_spill)
        spill_reader_end();
}

const char *report_gate_name(enum gate_verdict g)
{
    switch (g) {
    case GATE_NONE: return "none";
    case GATE_PASS: return "pass";
    case GATE_FAIL: return "fail";
    case GATE_INCOMPLETE: return "incomplete";
    }
    return "none";
}

const char *finding_status_name(enum finding_status s)
{
    switch (s) {
    case FINDING_OPEN: return "open";
    case FINDING_WAIVED: return "waived";
    case FINDING_WAIVER_EXPIRED: return "waiver-expired";
    }
    return "open";
}

const enum field_id report_identity_fields[REPORT_IDENTITY_FIELDS] = {
    F_REGISTRY_NAME, F_NAMESPACE, F_IMAGE_NAME, F_IMAGE_VERSION};

const char *report_field_key(enum field_id f)
{
    return f == F_ASSOCIATION_IMAGES ? "association_images_count" : field_defs[f].name;
}

int64_t report_finding_age_days(const struct report *rep, const struct report_finding *fi)
{
    int64_t d = rep->meta.now_ms - fi->first_seen_ms;
    return d > 0 ? d / 86400000 : 0;
}

const char *finding_change_name(enum finding_change c)
{
    switch (c) {
    case CHANGE_NEW: return "new";
    case CHANGE_EXISTING: return "existing";
    case CHANGE_RESOLVED: return "resolved";
    }
    return "new";
}

const char *waiver_state_name(enum waiver_state s)
{
    static const char *const names[WAIVER_STATE_COUNT] = {"active", "expiring", "expired",
                                                          "unused"};
    return s < WAIVER_STATE_COUNT ? names[s] : "active";
}

const char *tally_name(enum tally t)
{
    static const char *const names[TALLY_COUNT] = {"open", "waived", "new", "existing",
                                                   "resolved"};
    return t < TALLY_COUNT ? names[t] : "open";
}

/* SPDX-License-Identifier: MIT
 * Combining reports into one; see combine.h. The tables map an entry's
 * identity (text in the combined report's arena) to its index + 1. */
#include "report/combine.h"

#include "report/spill.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"

int report_combine_init(struct report_combiner *c, struct report *dst, struct diags *d)
{
    memset(c, 0, sizeof *c);
    c->dst = dst;
    dst->spill = spill_new(d);
    return dst->spill ? 0 : -1;
}

/* Index + 1 stored for 'key', or 0; 'put' stores 'idx' when absent. */
static size_t lookup(struct strtab *t, const char *key)
{
    return (size_t)(uintptr_t)strtab_get(t, key, strlen(key));
}

static void store(struct strtab *t, const char *key, size_t idx)
{
    strtab_put(t, key, strlen(key), (void *)(uintptr_t)(idx + 1));
}

/* 'key' built in 'b', copied into the arena so the table can keep it. */
static const char *key_of(struct report *dst, struct buf *b)
{
    return report_str(dst, buf_cstr(b));
}

static void add_file(struct report_combiner *c, struct strtab *seen,
                     const struct report_rulefile *f, bool waiver)
{
    struct buf k = BUF_INIT;
    buf_printf(&k, "%s%c%s", f->path, 0x1F, f->sha256);
    if (!lookup(seen, buf_cstr(&k))) {
        store(seen, key_of(c->dst, &k), 0);
        if (waiver)
            report_add_waiver_file(c->dst, f->path, f->sha256);
        else
            report_add_rulefile(c->dst, f->path, f->sha256);
    }
    buf_dispose(&k);
}

static void add_param(struct report *dst, const struct report_param *p)
{
    for (size_t i = 0; i < dst->meta.n_params; i++)
        if (strcmp(dst->meta.params[i].name, p->name) == 0)
            return;
    size_t n = dst->meta.n_params;
    dst->meta.params = xreallocarray(dst->meta.params, n + 1, sizeof *dst->meta.params);
    dst->meta.params[n] = (struct report_param){report_str(dst, p->name),
                                                report_str(dst, p->value),
                                                report_str(dst, p->type)};
    dst->meta.n_params = n + 1;
}

/* The combined rule for rule 'r' of source 'k' (0-based). */
static uint32_t map_rule(struct report_combiner *c, const struct report_rule *r, size_t k)
{
    struct report *dst = c->dst;
    struct buf key = BUF_INIT;
    buf_printf(&key, "%s%c%d%c%s", r->id, 0x1F, (int)r->severity, 0x1F, r->title);
    size_t idx = lookup(&c->rules, buf_cstr(&key));
    if (idx) {
        buf_dispose(&key);
        struct report_rule *o = &dst->rules[idx - 1];
        o->findings += r->findings;
        o->unknown += r->unknown;
        o->regex_limit_hits += r->regex_limit_hits;
        o->regex_disabled |= r->regex_disabled;
        return (uint32_t)(idx - 1);
    }
    /* A new rule, or another definition of an id seen before. */
    bool taken = false;
    for (size_t i = 0; i < dst->n_rules && !taken; i++)
        taken = strcmp(dst->rules[i].id, r->id) == 0;
    XGROW(dst->rules, c->cap_rules, dst->n_rules + 1);
    struct report_rule *o = &dst->rules[dst->n_rules];
    *o = *r;
    if (taken) {
        char *id = xasprintf("%s@%zu", r->id, k + 1);
        o->id = report_str(dst, id);
        free(id);
    } else {
        o->id = report_str(dst, r->id);
    }
    o->title = report_str(dst, r->title);
    o->description = report_str(dst, r->description);
    o->remediation = report_str(dst, r->remediation);
    o->when = report_str(dst, r->when);
    o->message = report_str(dst, r->message);
    o->file = report_str(dst, r->file);
    const char **tags = xcalloc(r->n_tags + 1, sizeof *tags);
    for (size_t t = 0; t < r->n_tags; t++)
        tags[t] = report_str(dst, r->tags[t]);
    o->tags = tags;
    store(&c->rules, key_of(dst, &key), dst->n_rules);
    buf_dispose(&key);
    return (uint32_t)dst->n_rules++;
}

static uint32_t map_waiver(struct report_combiner *c, const struct report_waiver *w)
{
    struct report *dst = c->dst;
    struct buf key = BUF_INIT;
    buf_printf(&key, "%s%c%s%c%s%c%s", w->id, 0x1F, w->rule, 0x1F, w->when, 0x1F, w->expires);
    size_t idx = lookup(&c->waivers, buf_cstr(&key));
    if (!idx) {
        idx = report_add_waiver(dst, w) + 1;
        store(&c->waivers, key_of(dst, &key), idx - 1);
    }
    buf_dispose(&key);
    struct report_waiver *o = &dst->waivers[idx - 1];
    o->waived += w->waived;
    o->matched += w->matched;
    o->unknown += w->unknown;
    return (uint32_t)(idx - 1);
}

static void add_quality(struct report_combiner *c, const struct report_quality *q)
{
    struct report *dst = c->dst;
    struct buf key = BUF_INIT;
    buf_printf(&key, "%s%c%s", q->field, 0x1F, q->problem);
    size_t idx = lookup(&c->quality, buf_cstr(&key));
    if (idx) {
        dst->quality[idx - 1].count += q->count;
    } else {
        XGROW(dst->quality, c->cap_quality, dst->n_quality + 1);
        struct report_quality *o = &dst->quality[dst->n_quality];
        *o = *q;
        o->field = report_str(dst, q->field);
        o->problem = report_str(dst, q->problem);
        store(&c->quality, key_of(dst, &key), dst->n_quality++);
    }
    buf_dispose(&key);
}

/* A source of a merged report that is merged again. */
static void copy_source(struct report_combiner *c, const struct report_source *from,
                        bool other_rules)
{
    struct report *dst = c->dst;
    XGROW(dst->sources, c->cap_sources, dst->n_sources + 1);
    struct report_source *s = &dst->sources[dst->n_sources++];
    *s = *from;
    s->path = report_str(dst, from->path);
    s->records_format = report_str(dst, from->records_format);
    s->project_id = report_str(dst, from->project_id);
    s->region = report_str(dst, from->region);
    s->enterprise_project_id = report_str(dst, from->enterprise_project_id);
    s->where = report_str(dst, from->where);
    s->other_rules |= other_rules;
}

/* The report of one run as a source: its metadata, copied. */
static void add_source(struct report_combiner *c, const struct report *src, const char *path,
                       const char *sha256, bool other_rules)
{
    const struct report_meta *m = &src->meta;
    struct report_source s = {
        .path = path, .provenance = m->provenance, .records_format = m->records_format,
        .project_id = m->project_id, .region = m->region,
        .enterprise_project_id = m->enterprise_project_id, .where = m->where, .now_ms = m->now_ms, .generated_at_ms = m->generated_at_ms,
        .records_received = m->records_received, .complete = m->complete,
        .expected_records = m->expected_records,
        .images = src->summary.images, .images_with_findings = src->summary.images_with_findings,
        .findings = src->summary.findings, .open_total = src->summary.tally_total[T_OPEN],
        .waived_total = src->summary.tally_total[T_WAIVED],
    };
    memcpy(s.open, src->summary.tally[T_OPEN], sizeof s.open);
    snprintf(s.sha256, SHA256_HEX_LEN, "%s", sha256);
    copy_source(c, &s, other_rules);
}

/* Findings per namespace (registry): the sources' counts added up. */
static void add_counts(struct report_combiner *c, struct strtab *t, struct report_count **v,
                       size_t *n, size_t *cap, const struct report_count *from, size_t n_from)
{
    for (size_t i = 0; i < n_from; i++) {
        size_t idx = lookup(t, from[i].key);
        if (!idx) {
            XGROW(*v, *cap, *n + 1);
            (*v)[*n] = (struct report_count){report_str(c->dst, from[i].key), 0};
            store(t, (*v)[*n].key, *n);
            idx = ++*n;
        }
        (*v)[idx - 1].count += from[i].count;
    }
}

/* The summary's counts: the sources' added up (report_finish does not
 * count a spilled report's findings again). */
static void add_summary(struct report_combiner *c, const struct report_summary *from)
{
    struct report_summary *s = &c->dst->summary;
    s->images += from->images;
    s->images_with_findings += from->images_with_findings;
    s->findings += from->findings;
    for (int sev = 0; sev < SEV_COUNT; sev++) {
        s->by_severity[sev] += from->by_severity[sev];
        s->new_open[sev] += from->new_open[sev];
        for (int t = 0; t < TALLY_COUNT; t++)
            if (t != T_RESOLVED)    /* resolved findings are not carried */
                s->tally[t][sev] += from->tally[t][sev];
    }
    add_counts(c, &c->namespaces, &s->by_namespace, &s->n_by_namespace, &c->cap_ns,
               from->by_namespace, from->n_by_namespace);
    add_counts(c, &c->registries, &s->by_registry, &s->n_by_registry, &c->cap_reg,
               from->by_registry, from->n_by_registry);
}

void report_combine_add(struct report_combiner *c, const struct report *src, const char *path,
                        const char *sha256, bool other_rules)
{
    struct report *dst = c->dst;
    size_t k = dst->n_sources;
    const struct report_meta *m = &src->meta;
    if (src->n_sources)
        for (size_t i = 0; i < src->n_sources; i++)
            copy_source(c, &src->sources[i], other_rules);
    else
        add_source(c, src, path, sha256, other_rules);
    if (k == 0 || m->now_ms > dst->meta.now_ms)
        dst->meta.now_ms = m->now_ms;
    if (k == 0 || m->generated_at_ms > dst->meta.generated_at_ms)
        dst->meta.generated_at_ms = m->generated_at_ms;
    dst->meta.records_received += m->records_received;
    c->expected += m->complete ? (int64_t)m->records_received : m->expected_records;
    if (!m->complete)
        dst->meta.complete = false;
    for (size_t i = 0; i < m->n_rulefiles; i++)
        add_file(c, &c->files, &m->rulefiles[i], false);
    for (size_t i = 0; i < m->n_waiver_files; i++)
        add_file(c, &c->wfiles, &m->waiver_files[i], true);
    for (size_t i = 0; i < m->n_params; i++)
        add_param(dst, &m->params[i]);
    for (size_t i = 0; i < m->n_warnings; i++) {
        char *w = xasprintf("%s: %s", path, m->warnings[i]);
        report_add_warning(dst, w);
        free(w);
    }

    uint32_t *rmap = xcalloc(src->n_rules + 1, sizeof *rmap);
    for (size_t i = 0; i < src->n_rules; i++)
        rmap[i] = map_rule(c, &src->rules[i], k);
    uint32_t *wmap = xcalloc(src->n_waivers + 1, sizeof *wmap);
    for (size_t i = 0; i < src->n_waivers; i++)
        wmap[i] = map_waiver(c, &src->waivers[i]);
    for (size_t i = 0; i < src->n_quality; i++)
        add_quality(c, &src->quality[i]);

    add_summary(c, &src->summary);

    /* Images and findings go to disk (spill.h): memory holds one source
     * at a time, whatever the number of sources. */
    size_t base = spill_image_count(dst->spill);
    for (size_t i = 0; i < src->n_images; i++) {
        struct report_image img = *report_image_at(src, i);
        img.source = (uint32_t)(k + (src->n_sources ? img.source : 0));
        spill_add_image(dst->spill, &img);
    }
    for (size_t i = 0; i < src->n_findings; i++) {
        /* The matches through the accessor's own pointer: a spilled
         * source's (read with REPORT_READ_SPILL) are its slot's. */
        const struct report_finding *fi = report_finding_at(src, i);
        struct report_finding o = *fi;
        XGROW(c->matches, c->cap_matches, o.n_matches + 1);
        for (uint32_t j = 0; j < o.n_matches; j++)
            c->matches[j] = wmap[report_finding_match(src, fi, j)];
        o.rule = rmap[o.rule];
        o.image = (uint32_t)(base + o.image);
        o.waiver = o.waiver >= 0 ? (int32_t)wmap[o.waiver] : -1;
        /* Ordered by k: within a rule, findings go in source order, as
         * their images do. */
        spill_add_finding(dst->spill, (uint32_t)k, &o, o.message, c->matches, o.n_matches);
    }
    free(rmap);
    free(wmap);
}

/* A source in a message: its report, or (a pull of several projects
 * merged again) its project. */
static const char *source_name(const struct report_source *s)
{
    return s->path ? s->path : s->project_id ? s->project_id : "?";
}

int report_combine_finish(struct report_combiner *c, struct diags *d)
{
    struct report *dst = c->dst;
    struct report_meta *m = &dst->meta;
    m->provenance = REPORT_PROV_MERGE;
    m->expected_records = m->complete ? 0 : c->expected;
    /* One --where for all, or none to name. */
    for (size_t k = 0; k < dst->n_sources; k++) {
        const char *w = dst->sources[k].where, *first = dst->sources[0].where;
        if (!w || !first || strcmp(w, first) != 0) {
            m->where = NULL;
            break;
        }
        m->where = first;
    }
    struct buf others = BUF_INIT;
    for (size_t k = 0; k < dst->n_sources; k++)
        if (dst->sources[k].other_rules)
            buf_printf(&others, "%s%s", others.len ? ", " : "", source_name(&dst->sources[k]));
    if (others.len) {
        m->mixed_rules = true;
        struct buf w = BUF_INIT;
        buf_printf(&w, "merged with --allow-mixed-rules: %s made with other rule files or "
                   "params than %s; a rule id defined differently is listed as ID@N, N the "
                   "source's number", buf_cstr(&others), source_name(&dst->sources[0]));
        report_add_warning(dst, buf_cstr(&w));
        buf_dispose(&w);
    }
    buf_dispose(&others);
    struct report_summary *s = &dst->summary;
    if (s->n_by_namespace)      /* qsort(NULL, 0) is undefined */
        qsort(s->by_namespace, s->n_by_namespace, sizeof *s->by_namespace, report_count_cmp);
    if (s->n_by_registry)
        qsort(s->by_registry, s->n_by_registry, sizeof *s->by_registry, report_count_cmp);
    strtab_dispose(&c->rules);
    strtab_dispose(&c->waivers);
    strtab_dispose(&c->quality);
    strtab_dispose(&c->files);
    strtab_dispose(&c->wfiles);
    strtab_dispose(&c->namespaces);
    strtab_dispose(&c->registries);
    free(c->matches);
    int rc = spill_finish(dst->spill, dst, d);
    dst->n_images = spill_image_count(dst->spill);
    dst->n_findings = spill_finding_count(dst->spill);
    report_finish(dst);
    return rc;
}

/* SPDX-License-Identifier: MIT
 * A report's images and findings to disk as they come; see stream.h. */
#include "report/stream.h"

#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/columns.h"
#include "report/spill.h"
#include "util/buf.h"
#include "util/strtab.h"
#include "util/xalloc.h"

#define STREAM_MSG_BYTES ((size_t)8 << 20)  /* a chunk's messages at most */
#define NO_MSG SIZE_MAX

/* Findings per value of a field (namespace, registry), added up image by
 * image; the keys are copies in the report's arena. */
struct counts {
    struct strtab tab;          /* key -> index + 1 */
    struct report_count *v;
    size_t n, cap;
};

struct report_stream {
    /* The image being added: its record as the store keeps it, in 'enc'
     * (spill_encode_record); in 'img' only what end_image() needs (its
     * findings, worst severity, source, namespace and registry, whose
     * strings point into 'enc'). */
    struct report_image img;
    char *enc;
    size_t enc_len, enc_cap;
    bool has_img;
    /* The fields kept of an image with findings, and of one without
     * (STREAM_LEAN_IMAGES; both every field otherwise). */
    uint64_t keep, keep_bare;
    /* The chunk of findings not yet on disk, in the order added; their
     * messages in 'msgs' (msg[i], or NO_MSG), their waiver matches at
     * matches[f[i].matches ...]. */
    struct report_finding *f;
    size_t *msg;
    uint32_t *src;              /* the source of each one's image */
    size_t n, cap, cap_msg, cap_src;
    struct buf msgs;
    uint32_t *matches;
    size_t n_matches, cap_matches;
    uint32_t chunk;             /* chunks written: the store's "source" of a run */
    size_t *bucket;             /* per rule + 1: the chunk's counting sort */
    uint32_t *order;
    size_t cap_order;
    size_t findings;            /* all findings added */
    struct report_source *sources;  /* per source: only the summary rows' counts */
    size_t n_sources, cap_sources;
    struct counts ns, reg;
};

/* The fields of an image's identity. */
static uint64_t identity_fields(void)
{
    uint64_t m = 0;
    for (size_t k = 0; k < REPORT_IDENTITY_FIELDS; k++)
        m |= UINT64_C(1) << report_identity_fields[k];
    return m;
}

/* The fields behind a finding's columns, and its image's identity. */
static uint64_t finding_fields(void)
{
    uint64_t m = identity_fields();
    for (int c = 0; c < FC_COUNT; c++)
        if (fcol_defs[c].field >= 0)
            m |= UINT64_C(1) << fcol_defs[c].field;
    return m;
}

int report_stream_begin(struct report *rep, unsigned flags, struct diags *d)
{
    assert(!rep->stream && !rep->spill && rep->n_images == 0);
    rep->spill = spill_new(d);
    if (!rep->spill)
        return -1;
    struct report_stream *s = xcalloc(1, sizeof *s);
    s->bucket = xcalloc(rep->n_rules + 2, sizeof *s->bucket);
    s->keep = s->keep_bare = SPILL_ALL_FIELDS;
    if (flags & STREAM_LEAN_IMAGES) {
        s->keep = finding_fields();
        s->keep_bare = identity_fields();
        rep->images_lean = true;
    }
    /* end_image() counts findings by these two. */
    assert((s->keep >> F_NAMESPACE & 1) && (s->keep >> F_REGISTRY_NAME & 1));
    rep->stream = s;
    return 0;
}

void stream_free(struct report_stream *s)
{
    if (!s)
        return;
    free(s->src);
    free(s->sources);
    free(s->enc);
    free(s->f);
    free(s->msg);
    buf_dispose(&s->msgs);
    free(s->matches);
    free(s->bucket);
    free(s->order);
    strtab_dispose(&s->ns.tab);
    strtab_dispose(&s->reg.tab);
    free(s->ns.v);
    free(s->reg.v);
    free(s);
}

static void count_add(struct report *rep, struct counts *c, const struct rcell *cell, size_t k)
{
    const char *key = cell->state == CELL_OK ? cell->v.s : "(none)";
    size_t len = strlen(key);
    size_t idx = (size_t)(uintptr_t)strtab_get(&c->tab, key, len);
    if (!idx) {
        XGROW(c->v, c->cap, c->n + 1);
        c->v[c->n] = (struct report_count){report_str(rep, key), 0};
        strtab_put(&c->tab, c->v[c->n].key, len, (void *)(uintptr_t)(c->n + 1));
        idx = ++c->n;
    }
    c->v[idx - 1].count += k;
}

/* The counts of source 'k' (created when first seen). */
static struct report_source *source_counts(struct report_stream *s, uint32_t k)
{
    if (k >= s->n_sources) {
        XGROW(s->sources, s->cap_sources, (size_t)k + 1);
        memset(s->sources + s->n_sources, 0, ((size_t)k + 1 - s->n_sources) * sizeof *s->sources);
        s->n_sources = (size_t)k + 1;
    }
    return &s->sources[k];
}

/* The image being added, to disk now that its findings are known. */
static void end_image(struct report *rep, struct report_stream *s)
{
    if (!s->has_img)
        return;
    if (!s->img.findings && s->keep_bare != s->keep)
        s->enc_len = spill_keep_fields(s->enc, s->enc_len, s->keep_bare);
    spill_set_header(s->enc, s->img.findings, s->img.max_severity, s->img.source);
    spill_add_encoded(rep->spill, s->enc, s->enc_len);
    struct report_source *src = source_counts(s, s->img.source);
    src->images++;
    src->images_with_findings += s->img.findings > 0;
    if (s->img.findings) {
        rep->summary.images_with_findings++;
        count_add(rep, &s->ns, &s->img.c[F_NAMESPACE], s->img.findings);
        count_add(rep, &s->reg, &s->img.c[F_REGISTRY_NAME], s->img.findings);
    }
    s->has_img = false;
}

uint32_t stream_add_image(struct report *rep, const struct record *rec)
{
    struct report_stream *s = rep->stream;
    assert(rep->n_images < UINT32_MAX);
    end_image(rep, s);
    /* Encoded once, straight from the record: no copy of its strings in
     * between (the image goes to disk as it is when the next one comes). */
    size_t at[FIELD_COUNT];
    s->enc_len = spill_encode_record(&s->enc, &s->enc_cap, rec, s->keep, at);
    memset(&s->img, 0, sizeof s->img);
    s->img.max_severity = -1;
    static const int kept[] = {F_NAMESPACE, F_REGISTRY_NAME};
    for (size_t k = 0; k < sizeof kept / sizeof *kept; k++) {
        struct rcell *c = &s->img.c[kept[k]];
        c->state = rec->f[kept[k]].state;
        if (c->state == CELL_OK)
            c->v.s = s->enc + at[kept[k]];
    }
    s->has_img = true;
    return (uint32_t)rep->n_images++;
}

/* The chunk's findings to disk: counted into the summary (their status
 * and change are final by now), then grouped by rule, in the order they
 * came within each rule (a counting sort, which is stable). */
static void flush_chunk(struct report *rep, struct report_stream *s)
{
    if (!s->n)
        return;
    struct report_summary *sum = &rep->summary;
    size_t *bucket = s->bucket;
    memset(bucket, 0, (rep->n_rules + 2) * sizeof *bucket);
    for (size_t i = 0; i < s->n; i++) {
        const struct report_finding *fi = &s->f[i];
        enum severity sev = rep->rules[fi->rule].severity;
        bool waived = fi->status == FINDING_WAIVED;
        report_tally_finding(sum, sev, fi);
        struct report_source *src = source_counts(s, s->src[i]);
        src->findings++;
        if (waived) {
            src->waived_total++;
        } else {
            src->open[sev]++;
            src->open_total++;
        }
        bucket[fi->rule + 1]++;
    }
    for (size_t r = 1; r <= rep->n_rules; r++)
        bucket[r] += bucket[r - 1];
    XGROW(s->order, s->cap_order, s->n);
    for (size_t i = 0; i < s->n; i++)
        s->order[bucket[s->f[i].rule]++] = (uint32_t)i;
    for (size_t k = 0; k < s->n; k++) {
        size_t i = s->order[k];
        const struct report_finding *fi = &s->f[i];
        spill_add_finding(rep->spill, s->chunk, fi,
                          s->msg[i] == NO_MSG ? NULL : s->msgs.data + s->msg[i],
                          s->matches + fi->matches, fi->n_matches);
    }
    s->chunk++;
    s->n = 0;
    s->n_matches = 0;
    buf_clear(&s->msgs);
}

size_t stream_add_finding(struct report *rep, uint32_t rule, uint32_t image,
                          const char *message)
{
    struct report_stream *s = rep->stream;
    /* Findings come right after their image, and a finding's status is
     * set before the next one is added: the chunk can go now. */
    assert(s->has_img && image + 1 == rep->n_images);
    if (s->n == STREAM_CHUNK || s->msgs.len > STREAM_MSG_BYTES)
        flush_chunk(rep, s);
    XGROW(s->f, s->cap, s->n + 1);
    XGROW(s->msg, s->cap_msg, s->n + 1);
    XGROW(s->src, s->cap_src, s->n + 1);
    s->src[s->n] = s->img.source;
    struct report_finding *fi = &s->f[s->n];
    memset(fi, 0, sizeof *fi);
    fi->rule = rule;
    fi->image = image;
    fi->first_seen_ms = rep->meta.now_ms;
    fi->waiver = -1;
    fi->status = FINDING_OPEN;
    fi->change = CHANGE_NEW;
    s->msg[s->n] = NO_MSG;
    if (message) {
        s->msg[s->n] = s->msgs.len;
        buf_append(&s->msgs, message, strlen(message) + 1);
    }
    const struct report_rule *r = &rep->rules[rule];
    rep->rules[rule].findings++;
    s->img.findings++;
    if ((int)r->severity > s->img.max_severity)
        s->img.max_severity = (int)r->severity;
    s->findings++;
    return s->n++;
}

void stream_match_pool(struct report *rep, uint32_t ***pool, size_t **n, size_t **cap)
{
    struct report_stream *s = rep->stream;
    *pool = &s->matches;
    *n = &s->n_matches;
    *cap = &s->cap_matches;
}

void stream_set_image_source(struct report *rep, uint32_t image, uint32_t source)
{
    assert(rep->stream->has_img && image + 1 == rep->n_images);
    rep->stream->img.source = source;
}

struct report_finding *stream_added_finding(struct report *rep, size_t f)
{
    return &rep->stream->f[f];
}

int report_stream_end(struct report *rep, struct diags *d)
{
    struct report_stream *s = rep->stream;
    end_image(rep, s);
    flush_chunk(rep, s);
    struct report_summary *sum = &rep->summary;
    sum->images = rep->n_images;
    sum->findings = s->findings;
    if (s->ns.n)                /* qsort(NULL, 0) is undefined */
        qsort(s->ns.v, s->ns.n, sizeof *s->ns.v, report_count_cmp);
    if (s->reg.n)
        qsort(s->reg.v, s->reg.n, sizeof *s->reg.v, report_count_cmp);
    sum->by_namespace = s->ns.v;
    sum->n_by_namespace = s->ns.n;
    sum->by_registry = s->reg.v;
    sum->n_by_registry = s->reg.n;
    s->ns.v = s->reg.v = NULL;
    rep->counted_sources = s->sources;
    rep->n_counted_sources = s->n_sources;
    s->sources = NULL;
    int rc = spill_finish(rep->spill, rep, d);
    rep->n_images = spill_image_count(rep->spill);
    rep->n_findings = spill_finding_count(rep->spill);
    stream_free(s);
    rep->stream = NULL;
    return rc;
}

/* A finding's share of the new and existing counts, taken out (-1) or
 * put back (+1). */
static void count_change(struct report *rep, const struct report_finding *fi, int sign)
{
    struct report_summary *sum = &rep->summary;
    enum severity sev = rep->rules[fi->rule].severity;
    size_t d = (size_t)(ptrdiff_t)sign;     /* unsigned arithmetic wraps back */
    sum->tally[fi->change == CHANGE_EXISTING ? T_EXISTING : T_NEW][sev] += d;
    if (fi->change == CHANGE_NEW && fi->status != FINDING_WAIVED)
        sum->new_open[sev] += d;
}

struct update {
    struct report *rep;
    void (*fn)(void *ctx, struct report_finding *fi);
    void *ctx;
};

static void update_one(void *ctx, struct report_finding *fi)
{
    struct update *u = ctx;
    count_change(u->rep, fi, -1);
    u->fn(u->ctx, fi);
    count_change(u->rep, fi, +1);
}

void report_update_findings(struct report *rep, void (*fn)(void *ctx, struct report_finding *fi),
                            void *ctx)
{
    if (!rep->spill) {          /* report_finish counts them */
        for (size_t i = 0; i < rep->n_findings; i++)
            fn(ctx, &rep->findings[i]);
        return;
    }
    struct update u = {rep, fn, ctx};
    spill_update_findings(rep->spill, update_one, &u);
}

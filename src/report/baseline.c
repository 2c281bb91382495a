/* SPDX-License-Identifier: MIT
 * The comparison with a baseline; see baseline.h. */
#include "report/baseline.h"

#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/idtable.h"
#include "report/reader.h"
#include "report/resolved.h"
#include "report/spill.h"
#include "util/buf.h"
#include "util/filelabel.h"
#include "util/hugemem.h"
#include "util/xalloc.h"

/* The baseline is read without keeping its findings (reader.h,
 * report_reader_open): memory per finding is an entry of the table
 * below and a row's place in the file, not the row; each image's part
 * of the identity is kept once, however many findings it has. The
 * resolved findings, the few whose rows are needed, are read again from
 * the file when the comparison is done. */

/* The baseline's findings of one rule on one image identity
 * (registry, namespace, name, version: image_identity) in one project
 * and region. An image's entries are a chain: few, a rule's findings on
 * the image, or several places, so a walk costs less than a table. */
struct entry {
    int64_t first_seen;         /* the earliest of its findings' */
    uint32_t rule;              /* the baseline's rules[] */
    uint32_t image;             /* its identity: baseline.key_at[], first[] */
    uint32_t source;            /* where: the image's source (0 without sources) */
    uint32_t next;              /* the image's next entry: index + 1, or 0 */
};

struct baseline {
    struct report rep;          /* meta, rules, sources: no images, no findings */
    struct report_reader *file; /* open until freed, for the resolved rows */
    char *name;                 /* what reports call it (file_label) */
    char *path;                 /* what errors call it */
    char sha256[SHA256_HEX_LEN];
    /* Image identities, each once: their text at 'key_at' in 'keys'
     * (each NUL-terminated), found by hash, and the first of their
     * entries (index + 1). The arrays that grow with the baseline are
     * util/hugemem.h's: few page faults, no copies. */
    uint64_t *key_at;
    uint32_t *first;
    size_t n_images, cap_key_at, cap_first;
    char *keys;
    size_t n_keys, cap_keys;
    struct idtable image_ids;
    uint32_t *of_inventory;     /* while read: per inventory index, its identity + 1 */
    size_t n_of_inventory;
    struct buf key;             /* while read: an identity being looked up */
    struct entry *e;
    size_t n_e, cap_e;
    bool *matched;              /* per entry: baseline_apply's */
    /* Per finding row, in file order: its entry and where it is. */
    uint32_t *own;
    size_t *at;
    size_t n_rows, cap_own, cap_at;
};

/* The first field after every field of an image's part of the identity
 * (report_identity_fields; report_image_heads decodes up to it). */
#define IDENTITY_UPTO (F_REGISTRY_NAME + 1)
_Static_assert(F_NAMESPACE < IDENTITY_UPTO && F_IMAGE_NAME < IDENTITY_UPTO &&
               F_IMAGE_VERSION < IDENTITY_UPTO, "IDENTITY_UPTO is after every identity field");

/* The image's part of a local identity, appended to 'b'. 0x1F and 0x01:
 * no JSON-decoded text contains them unescaped. */
static void image_identity(struct buf *b, const struct report_image *img)
{
    const enum field_id *f = report_identity_fields;
    for (size_t k = 0; k < REPORT_IDENTITY_FIELDS; k++) {
        buf_putc(b, 0x1F);
        const struct rcell *c = &img->c[f[k]];
        buf_puts(b, c->state == CELL_OK ? c->v.s : "\x01");
    }
}

void baseline_local_identity(struct buf *b, const struct report *rep,
                             const struct report_finding *fi)
{
    buf_clear(b);
    buf_puts(b, report_finding_rule(rep, fi)->id);
    image_identity(b, report_finding_image(rep, fi));
}

/* A project or region as the identity has it: NULL when not known (an
 * empty one is not known either). */
static const char *known(const char *s)
{
    return s && *s ? s : NULL;
}

/* Where an image of source 'k' of 'rep' came from, as the identity has
 * it (report_source_project_id: its meta's without sources). */
static void source_place(const struct report *rep, uint32_t k, const char **project,
                         const char **region)
{
    *project = known(report_source_project_id(rep, k));
    *region = known(report_source_region(rep, k));
}

void baseline_identity(struct buf *b, const struct report *rep, const struct report_finding *fi)
{
    const char *project, *region;
    baseline_local_identity(b, rep, fi);
    /* (not for resolved findings, whose images are another report's) */
    source_place(rep, report_finding_image(rep, fi)->source, &project, &region);
    buf_putc(b, 0x1F);
    buf_puts(b, project ? project : "\x01");
    buf_putc(b, 0x1F);
    buf_puts(b, region ? region : "\x01");
}

/* The compatibility rule (baseline.h): equal, or one of them unknown. */
static bool same_place(const char *a, const char *b)
{
    return !a || !b || strcmp(a, b) == 0;
}


/* The text of image identity 'id'. */
static const char *key_of(const struct baseline *b, uint32_t id)
{
    return b->keys + b->key_at[id];
}

/* The index of image identity 'key' (as image_identity writes it; 'h'
 * its idhash), or UINT32_MAX when the baseline has none. */
static uint32_t find_image(const struct baseline *b, const struct buf *key, uint64_t h)
{
    const struct idtable *t = &b->image_ids;
    for (size_t s = idtable_first(t, h); idtable_used(t, s); s = idtable_step(t, s))
        if (t->hash[s] == h && strcmp(key_of(b, t->val[s]), buf_cstr(key)) == 0)
            return t->val[s];
    return UINT32_MAX;
}

/* The same, added when new. */
static uint32_t add_image(struct baseline *b, const struct buf *key)
{
    uint64_t h = idhash(IDHASH_SEED, key->data, key->len);
    uint32_t id = find_image(b, key, h);
    if (id != UINT32_MAX)
        return id;
    HUGEMEM_GROW(b->key_at, b->cap_key_at, b->n_images + 1);
    HUGEMEM_GROW(b->first, b->cap_first, b->n_images + 1);
    HUGEMEM_GROW(b->keys, b->cap_keys, b->n_keys + key->len + 1);
    memcpy(b->keys + b->n_keys, key->data, key->len);
    b->keys[b->n_keys + key->len] = '\0';
    b->key_at[b->n_images] = b->n_keys;
    b->n_keys += key->len + 1;
    b->first[b->n_images] = 0;
    idtable_add(&b->image_ids, h, (uint32_t)b->n_images);
    return (uint32_t)b->n_images++;
}

/* A finding row of the baseline (report_reader_open's visitor): its
 * entry, made when it is the first of its rule, image and place. */
static void take_row(void *ctx, const struct report *rep, const struct report_row *row)
{
    struct baseline *b = ctx;
    const struct report_finding *fi = row->fi;
    (void)rep;
    if (fi->image >= b->n_of_inventory) {
        size_t was = b->n_of_inventory;
        HUGEMEM_GROW(b->of_inventory, b->n_of_inventory, (size_t)fi->image + 1);
        memset(b->of_inventory + was, 0, (b->n_of_inventory - was) * sizeof *b->of_inventory);
    }
    if (row->img) {         /* the image's first row: its identity */
        buf_clear(&b->key);
        image_identity(&b->key, row->img);
        b->of_inventory[fi->image] = add_image(b, &b->key) + 1;
    }
    /* The reader gives an image's cells with its first row (reader.h). */
    assert(b->of_inventory[fi->image] != 0);
    uint32_t image = b->of_inventory[fi->image] - 1;
    const char *project, *region;
    source_place(&b->rep, row->source, &project, &region);
    uint32_t x = b->first[image];
    for (; x; x = b->e[x - 1].next) {
        const struct entry *e = &b->e[x - 1];
        const char *p, *r;
        if (e->rule != fi->rule)
            continue;
        source_place(&b->rep, e->source, &p, &r);
        if (report_same_text(p, project) && report_same_text(r, region))
            break;
    }
    if (!x) {
        HUGEMEM_GROW(b->e, b->cap_e, b->n_e + 1);
        b->e[b->n_e++] =
            (struct entry){fi->first_seen_ms, fi->rule, image, row->source, b->first[image]};
        x = b->first[image] = (uint32_t)b->n_e;
    } else if (fi->first_seen_ms < b->e[x - 1].first_seen) {
        b->e[x - 1].first_seen = fi->first_seen_ms;
    }
    /* Its own project and region's entry decides whether it is
     * resolved: another compatible entry's match (an unknown project's,
     * say) says nothing of this one. */
    HUGEMEM_GROW(b->own, b->cap_own, b->n_rows + 1);
    HUGEMEM_GROW(b->at, b->cap_at, b->n_rows + 1);
    b->own[b->n_rows] = x - 1;
    b->at[b->n_rows++] = row->at;
}

int baseline_load(struct baseline **out, const char *path, const char *name, bool hash,
                  struct diags *d)
{
    struct baseline *b = xcalloc(1, sizeof *b);
    report_init(&b->rep);
    idtable_init(&b->image_ids, 1024);
    *out = NULL;
    /* The reader hashes the file while it parses it (reader.h). */
    struct report_read_info info = {""};
    if (report_reader_open(&b->file, &b->rep, path, 0, take_row, b, hash ? &info : NULL, d) < 0) {
        baseline_free(b);
        return -1;
    }
    /* The rows are read: only the walk needed these. The room the other
     * arrays grew into and never touched costs no memory (hugemem.h). */
    hugemem_free(b->of_inventory, b->n_of_inventory * sizeof *b->of_inventory);
    b->of_inventory = NULL;
    b->n_of_inventory = 0;
    buf_dispose(&b->key);
    b->matched = xcalloc(b->n_e + 1, sizeof *b->matched);
    memcpy(b->sha256, info.sha256, SHA256_HEX_LEN);
    b->name = xstrdup(name ? name : file_label(path));
    b->path = xstrdup(strcmp(path, "-") == 0 ? "<stdin>" : path);
    *out = b;
    return 0;
}

const struct report_meta *baseline_meta(const struct baseline *b)
{
    return &b->rep.meta;
}

void baseline_free(struct baseline *b)
{
    if (!b)
        return;
    report_reader_close(b->file);
    hugemem_free(b->key_at, b->cap_key_at * sizeof *b->key_at);
    hugemem_free(b->first, b->cap_first * sizeof *b->first);
    hugemem_free(b->keys, b->cap_keys);
    idtable_dispose(&b->image_ids);
    hugemem_free(b->of_inventory, b->n_of_inventory * sizeof *b->of_inventory);
    buf_dispose(&b->key);
    hugemem_free(b->e, b->cap_e * sizeof *b->e);
    free(b->matched);
    hugemem_free(b->own, b->cap_own * sizeof *b->own);
    hugemem_free(b->at, b->cap_at * sizeof *b->at);
    free(b->name);
    free(b->path);
    report_dispose(&b->rep);
    free(b);
}

/* Both known and different: a file input has no project, and comparing
 * a pull with the report of its saved snapshot is normal. */
static bool differ(const char *a, const char *b)
{
    return a && b && strcmp(a, b) != 0;
}

static void warn(struct report *cur, const char *what, const char *path, const char *was,
                 const char *is)
{
    struct buf b = BUF_INIT;
    buf_printf(&b, "baseline %s is from %s %s, this run is %s %s", path, what,
               was ? was : "(none)", what, is ? is : "(none)");
    report_add_warning(cur, buf_cstr(&b));
    buf_dispose(&b);
}

/* The resolved findings, read again: where they go. Their images go to
 * disk (report.resolved_spill): in a week where most findings were
 * fixed (a registry renamed) they would be most of the baseline, about
 * 0.7 KB each in memory. */
struct resolving {
    struct report *cur;
    struct report_spill *store;
    const struct baseline *b;
    const struct entry *e;      /* the entry of the row read again */
    bool other;                 /* it was not that entry's (the file changed) */
    uint32_t source;            /* this run's source the next one is resolved in */
    const uint64_t *rule_key;   /* report_rule_keys() of the baseline */
    struct order *order;        /* per resolved finding: its place in report order */
    size_t cap;
    struct buf key;             /* scratch: the identity of the row read again */
};

/* A resolved finding's place in the baseline's report order (severity,
 * rule id, image: report_rule_keys), then the file's. */
struct order {
    uint64_t key;
    size_t at;                  /* its index in cur->resolved */
};

static int cmp_order(const void *a, const void *b)
{
    const struct order *x = a, *y = b;
    if (x->key != y->key)
        return (x->key > y->key) - (x->key < y->key);
    return (x->at > y->at) - (x->at < y->at);
}

/* The index in cur->resolved_rules of the baseline's rule 'br', added
 * when it is not there yet. */
static uint32_t resolved_rule_of(struct report *cur, const struct report_rule *br)
{
    size_t rule = 0;
    while (rule < cur->n_resolved_rules && strcmp(cur->resolved_rules[rule].id, br->id) != 0)
        rule++;
    if (rule == cur->n_resolved_rules) {
        XGROW(cur->resolved_rules, cur->cap_resolved_rules, cur->n_resolved_rules + 1);
        struct report_rule *o = &cur->resolved_rules[cur->n_resolved_rules++];
        memset(o, 0, sizeof *o);
        o->id = report_str(cur, br->id);
        o->title = report_str(cur, br->title);
        o->description = report_str(cur, br->description ? br->description : "");
        o->remediation = report_str(cur, br->remediation ? br->remediation : "");
        o->when = report_str(cur, br->when ? br->when : "");
        o->message = report_str(cur, br->message ? br->message : "");
        o->file = report_str(cur, br->file);
        o->severity = br->severity;
        o->tags = xcalloc(1, sizeof *o->tags);
    }
    return (uint32_t)rule;
}

/* Copy resolved finding 'row' of the baseline 'base' into the report. */
static void add_resolved(void *ctx, const struct report *base, const struct report_row *row)
{
    struct resolving *rs = ctx;
    struct report *cur = rs->cur;
    const struct report_finding *fi = row->fi;
    /* The row where it was must still be the finding it was. */
    buf_clear(&rs->key);
    image_identity(&rs->key, row->img);
    rs->other = fi->rule != rs->e->rule || row->source != rs->e->source ||
                strcmp(buf_cstr(&rs->key), key_of(rs->b, rs->e->image)) != 0;
    if (rs->other)
        return;
    uint32_t rule = resolved_rule_of(cur, &base->rules[fi->rule]);
    struct report_image img = *row->img;
    img.source = rs->source;    /* the baseline's index means nothing here */
    uint32_t image = spill_add_image(rs->store, &img);      /* its strings copied */
    cur->n_resolved_images++;
    XGROW(rs->order, rs->cap, cur->n_resolved + 1);
    rs->order[cur->n_resolved] = (struct order){rs->rule_key[fi->rule] | fi->image,
                                                cur->n_resolved};
    XGROW(cur->resolved, cur->cap_resolved, cur->n_resolved + 1);
    struct report_finding *o = &cur->resolved[cur->n_resolved++];
    *o = *fi;
    o->rule = rule;
    o->image = image;
    o->message = report_str(cur, fi->message);
    o->waiver = -1;
    o->matches = o->n_matches = 0;
    o->change = CHANGE_RESOLVED;
}

/* Did this run look at 'project' in 'region' (same_place)? '*source':
 * the source of this run it came from (0 without sources). */
static bool pulled_here(const struct report *cur, const char *project, const char *region,
                        uint32_t *source)
{
    size_t n = cur->n_sources ? cur->n_sources : 1;     /* without sources: the run's */
    for (size_t k = 0; k < n; k++) {
        const char *p, *r;
        source_place(cur, (uint32_t)k, &p, &r);
        if (same_place(project, p) && same_place(region, r)) {
            *source = (uint32_t)k;
            return true;
        }
    }
    *source = 0;
    return false;
}

static void clear_resolved(struct report *cur)
{
    for (size_t i = 0; i < cur->n_resolved_rules; i++)
        free((void *)cur->resolved_rules[i].tags);
    cur->n_resolved = cur->n_resolved_rules = cur->n_resolved_images = 0;
    cur->resolved_unread = false;
    spill_free(cur->resolved_spill);
    cur->resolved_spill = NULL;
}

/* What mark() needs of the current report: per image, the first of
 * the baseline's entries of its identity (b->first: index + 1, 0: none
 * has it; a random read fewer per finding there) and its source, found in
 * one pass in image order, and per rule, the baseline's rule of that
 * id. (A spilled report's images are read from disk: in order, each
 * once, is much the cheapest; looked up as findings need them, rule
 * after rule, cost 40% more though images without findings were not
 * read.) */
struct marking {
    const struct baseline *b;
    const struct report *cur;
    uint32_t *first;            /* per image of 'cur' */
    uint32_t *source;           /* per image of 'cur' with sources, else NULL */
    int64_t *rule;              /* per rule of 'cur': the baseline's, or -1 */
};

/* marking_begin's lookups, pipelined. Looked up one after the other,
 * each image's identity cost a chain of cache misses (the table's slot,
 * the baseline's offset of its text, the text), most of the pass: so
 * each lookup is done in steps, a step further with every image read,
 * and each step asks for the memory the next one needs (a prefetch)
 * while other images are read meanwhile. The result is find_image's:
 * the first slot of the hash whose text is the key (another slot of
 * the same hash, a rare collision, goes to find_image). */
enum {
    LAG_PROBE = 2,              /* the slot is in the cache: its identity */
    LAG_FETCH = 4,              /* its key_at is: the text, its first entry */
    LAG_DONE = 7,               /* the text is: compare */
    IN_FLIGHT = 8               /* more than LAG_DONE */
};

struct lookup {
    struct buf key;             /* image_identity */
    uint64_t hash;
    size_t image;               /* of the current report */
    uint32_t cand;              /* the identity of the first slot of 'hash', or UINT32_MAX */
};

struct identify {
    struct marking *m;
    struct lookup ring[IN_FLIGHT];  /* image k's lookup at k % IN_FLIGHT */
    size_t n;                   /* images taken */
};

static void lookup_probe(const struct baseline *b, struct lookup *l)
{
    const struct idtable *t = &b->image_ids;
    l->cand = UINT32_MAX;
    for (size_t s = idtable_first(t, l->hash); idtable_used(t, s); s = idtable_step(t, s))
        if (t->hash[s] == l->hash) {
            l->cand = t->val[s];
            __builtin_prefetch(&b->key_at[l->cand]);
            return;
        }
}

static void lookup_fetch(const struct baseline *b, const struct lookup *l)
{
    if (l->cand != UINT32_MAX) {
        __builtin_prefetch(key_of(b, l->cand));
        __builtin_prefetch(&b->first[l->cand]);
    }
}

static uint32_t lookup_done(const struct baseline *b, const struct lookup *l)
{
    if (l->cand == UINT32_MAX || strcmp(key_of(b, l->cand), buf_cstr(&l->key)) == 0)
        return l->cand;
    return find_image(b, &l->key, l->hash);
}

/* The steps due when image 'clock' is taken (or would be, past the
 * last): each lookup's, LAG images after its own. */
static void identify_steps(struct identify *t, size_t clock)
{
    const struct baseline *b = t->m->b;
    if (clock >= LAG_PROBE && clock - LAG_PROBE < t->n)
        lookup_probe(b, &t->ring[(clock - LAG_PROBE) % IN_FLIGHT]);
    if (clock >= LAG_FETCH && clock - LAG_FETCH < t->n)
        lookup_fetch(b, &t->ring[(clock - LAG_FETCH) % IN_FLIGHT]);
    if (clock >= LAG_DONE && clock - LAG_DONE < t->n) {
        const struct lookup *l = &t->ring[(clock - LAG_DONE) % IN_FLIGHT];
        uint32_t id = lookup_done(b, l);
        t->m->first[l->image] = id == UINT32_MAX ? 0 : b->first[id];
    }
}

/* Image i of the current report: its lookup begins, and its source is
 * kept (report_image_heads' visitor). */
static void identify(void *ctx, size_t i, const struct report_image *img)
{
    struct identify *t = ctx;
    struct marking *m = t->m;
    const struct idtable *tab = &m->b->image_ids;
    struct lookup *l = &t->ring[t->n % IN_FLIGHT];
    buf_clear(&l->key);
    image_identity(&l->key, img);
    l->hash = idhash(IDHASH_SEED, l->key.data, l->key.len);
    l->image = i;
    size_t s = idtable_first(tab, l->hash);
    __builtin_prefetch(&tab->hash[s]);
    __builtin_prefetch(&tab->val[s]);
    if (m->source)
        m->source[i] = img->source;
    identify_steps(t, t->n++);
}

/* Images [from, to) of the current report identified: one part of
 * marking_begin's pass, on a thread of its own. */
struct identify_part {
    struct marking *m;
    size_t from, to;
};

static void *identify_range(void *arg)
{
    struct identify_part *p = arg;
    struct identify t = {.m = p->m};
    report_image_heads(p->m->cur, p->from, p->to, IDENTITY_UPTO, identify, &t);
    for (size_t clock = t.n; clock < t.n + LAG_DONE; clock++)  /* the last ones' steps */
        identify_steps(&t, clock);
    for (size_t k = 0; k < IN_FLIGHT; k++)
        buf_dispose(&t.ring[k].key);
    return NULL;
}

/* Below this many images one thread does the pass: a thread costs more
 * than it saves. */
#define IDENTIFY_PART_MIN 16384
#define IDENTIFY_PARTS_MAX 8

static void marking_begin(struct marking *m, const struct baseline *b, const struct report *cur,
                          unsigned jobs)
{
    m->b = b;
    m->cur = cur;
    size_t n = cur->n_images;
    m->first = xmalloc((n + 1) * sizeof *m->first);
    m->source = cur->n_sources ? xmalloc((n + 1) * sizeof *m->source) : NULL;
    /* The pass in parts, one per job, each on its own thread but the
     * last: the baseline is only read, each part writes its own images'
     * first[] and source[], and report_image_heads shares nothing
     * (report.h). */
    size_t parts = jobs ? jobs : 1;
    if (parts > IDENTIFY_PARTS_MAX)
        parts = IDENTIFY_PARTS_MAX;
    if (parts > n / IDENTIFY_PART_MIN)
        parts = n / IDENTIFY_PART_MIN ? n / IDENTIFY_PART_MIN : 1;
    struct identify_part part[IDENTIFY_PARTS_MAX];
    pthread_t th[IDENTIFY_PARTS_MAX];
    bool started[IDENTIFY_PARTS_MAX] = {false};
    for (size_t k = 0; k < parts; k++) {
        part[k] = (struct identify_part){m, n * k / parts, n * (k + 1) / parts};
        if (k + 1 < parts)
            started[k] = pthread_create(&th[k], NULL, identify_range, &part[k]) == 0;
    }
    identify_range(&part[parts - 1]);
    for (size_t k = 0; k + 1 < parts; k++) {
        if (started[k])
            pthread_join(th[k], NULL);
        else
            identify_range(&part[k]);   /* no thread to be had: here, then */
    }
    m->rule = xmalloc((cur->n_rules + 1) * sizeof *m->rule);
    struct idtable rules;
    rule_index_build(&rules, &b->rep);
    for (size_t r = 0; r < cur->n_rules; r++)
        m->rule[r] = rule_index_find(&rules, &b->rep, cur->rules[r].id, strlen(cur->rules[r].id));
    idtable_dispose(&rules);
}

static void marking_end(struct marking *m)
{
    free(m->first);
    free(m->source);
    free(m->rule);
}

/* Mark finding 'fi' of the current report new or existing. */
static void mark(void *ctx, struct report_finding *fi)
{
    const struct marking *m = ctx;
    const struct baseline *b = m->b;
    const struct report *cur = m->cur;
    fi->change = CHANGE_NEW;
    fi->first_seen_ms = cur->meta.now_ms;
    int64_t rule = m->rule[fi->rule];
    uint32_t first = m->first[fi->image];
    if (rule < 0 || !first)
        return;
    const char *here_project, *here_region;
    source_place(cur, m->source ? m->source[fi->image] : 0, &here_project, &here_region);
    for (uint32_t x = first; x; x = b->e[x - 1].next) {
        const struct entry *e = &b->e[x - 1];
        const char *project, *region;
        if (e->rule != (uint32_t)rule)
            continue;
        source_place(&b->rep, e->source, &project, &region);
        if (!same_place(project, here_project) || !same_place(region, here_region))
            continue;
        b->matched[x - 1] = true;
        if (fi->change == CHANGE_NEW || e->first_seen < fi->first_seen_ms)
            fi->first_seen_ms = e->first_seen;
        fi->change = CHANGE_EXISTING;
    }
}

/* Finding row i of the baseline: resolved (its entry unmatched, in a
 * project and region this run pulled: '*source', that source)? A
 * project this run did not pull is out of its scope: its findings are
 * not resolved, they were not looked at. */
static bool row_resolved(const struct baseline *b, const struct report *cur, size_t i,
                         uint32_t *source)
{
    const struct entry *e = &b->e[b->own[i]];
    const char *project, *region;
    source_place(&b->rep, e->source, &project, &region);
    return !b->matched[b->own[i]] && pulled_here(cur, project, region, source);
}

/* The findings gone, counted as baseline_apply's loop below finds
 * them, without reading their rows (BASELINE_COUNT_RESOLVED). */
static void count_resolved(const struct baseline *b, struct report *cur)
{
    uint32_t source;
    for (size_t i = 0; i < b->n_rows; i++) {
        if (!row_resolved(b, cur, i, &source))
            continue;
        const struct entry *e = &b->e[b->own[i]];
        XGROW(cur->resolved, cur->cap_resolved, cur->n_resolved + 1);
        cur->resolved[cur->n_resolved++] = (struct report_finding){
            .rule = resolved_rule_of(cur, &b->rep.rules[e->rule]), .image = UINT32_MAX,
            .first_seen_ms = e->first_seen, .waiver = -1, .change = CHANGE_RESOLVED};
    }
    cur->resolved_unread = true;
}

int baseline_apply(struct baseline *b, struct report *cur, unsigned flags, unsigned jobs,
                   struct diags *d)
{
    const struct report_meta *bm = &b->rep.meta;
    struct report_baseline *o = &cur->meta.baseline;
    o->present = true;
    o->path = report_str(cur, b->name);
    snprintf(o->sha256, SHA256_HEX_LEN, "%s", b->sha256);
    o->now_ms = bm->now_ms;
    o->generated_at_ms = bm->generated_at_ms;
    o->project_id = report_str(cur, bm->project_id);
    o->region = report_str(cur, bm->region);
    o->where = report_str(cur, bm->where);
    o->complete = bm->complete;
    o->findings = b->n_rows;

    if (differ(bm->project_id, cur->meta.project_id))
        warn(cur, "project", b->name, bm->project_id, cur->meta.project_id);
    if (differ(bm->region, cur->meta.region))
        warn(cur, "region", b->name, bm->region, cur->meta.region);
    if (!report_same_rulefiles(bm, &cur->meta)) {
        struct buf msg = BUF_INIT;
        buf_printf(&msg, "baseline %s was made with other rule files (their SHA-256s "
                   "differ): changes may come from the rules, not the images", b->name);
        report_add_warning(cur, buf_cstr(&msg));
        buf_dispose(&msg);
    }

    memset(b->matched, 0, b->n_e * sizeof *b->matched);    /* reset per use */
    struct marking m;
    marking_begin(&m, b, cur, jobs);
    report_update_findings(cur, mark, &m);
    marking_end(&m);
    clear_resolved(cur);
    bool in_scope = report_baseline_in_scope(&cur->meta);
    if (!in_scope) {
        struct buf msg = BUF_INIT;
        buf_printf(&msg, "baseline %s was made with --where %s, this run with --where %s: "
                   "its findings missing here may be out of this run's scope, so none is "
                   "listed as resolved", b->name, bm->where ? bm->where : "(none)",
                   cur->meta.where);
        report_add_warning(cur, buf_cstr(&msg));
        buf_dispose(&msg);
    }
    if (!bm->complete || !cur->meta.complete || !in_scope)
        return 0;
    if (flags & BASELINE_COUNT_RESOLVED) {
        count_resolved(b, cur);
        return 0;
    }
    /* The findings gone: their rows are read again, in file order, then
     * put in the report's. */
    struct resolving rs = {cur, NULL, b, NULL, false, 0, report_rule_keys(&b->rep), NULL, 0,
                           BUF_INIT};
    int rc = 0;
    for (size_t i = 0; i < b->n_rows && rc == 0; i++) {
        if (!row_resolved(b, cur, i, &rs.source))
            continue;
        rs.e = &b->e[b->own[i]];
        if (!rs.store && !(rs.store = spill_new(d))) {
            rc = -2;
            break;
        }
        rc = report_reader_row(b->file, i, b->at[i], add_resolved, &rs, d);
        if (rc == 0 && rs.other) {
            diags_add(d, DIAG_ERROR, b->path, 0, 0, 0, NULL, "findings[%zu] is not the finding "
                      "it was when imgaudit read it: was the file changed meanwhile? Run again "
                      "once nothing writes to it", i);
            rc = -1;
        }
    }
    if (rc == 0 && rs.store && spill_finish(rs.store, cur, d) < 0)
        rc = -2;
    if (rc == 0)
        cur->resolved_spill = rs.store;
    else
        spill_free(rs.store);
    if (rc == 0 && cur->n_resolved > 1) {
        qsort(rs.order, cur->n_resolved, sizeof *rs.order, cmp_order);
        struct report_finding *sorted = xmalloc(cur->n_resolved * sizeof *sorted);
        for (size_t k = 0; k < cur->n_resolved; k++)
            sorted[k] = cur->resolved[rs.order[k].at];
        memcpy(cur->resolved, sorted, cur->n_resolved * sizeof *sorted);
        free(sorted);
    }
    free(rs.order);
    free((void *)rs.rule_key);
    buf_dispose(&rs.key);
    return rc;
}

/* SPDX-License-Identifier: MIT
 * The comparison with a baseline; see baseline.h. */
#include "report/baseline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/reader.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/filelabel.h"
#include "util/xalloc.h"

/* One project and region of a baseline identity: the earliest
 * first_seen, and whether a current finding matched it. */
struct entry {
    const char *project, *region;   /* the baseline report's; NULL when unknown */
    int64_t first_seen;
    uint32_t next;              /* the identity's next entry (index + 1), or 0 */
    bool matched;
};

/* The baseline's findings by their identity without project and region
 * (baseline_local_identity); each slot lists the projects and regions
 * it was seen in, as a chain of entries in the order they were met. */
struct slot {
    const char *key;            /* in baseline.keys; NULL: an empty slot */
    size_t hash;
    uint32_t first, last;       /* entry index + 1 */
};

struct baseline {
    struct report rep;
    char *name;                 /* what reports call it (file_label) */
    char sha256[SHA256_HEX_LEN];
    struct slot *tab;
    size_t cap;
    struct arena keys;
    struct entry *e;            /* every slot's entries */
    size_t n_e, cap_e;
    uint32_t *own;              /* per finding of 'rep': the entry that stands for it */
};

/* The image's part of a local identity, appended to 'b'. 0x1F and 0x01:
 * no JSON-decoded text contains them unescaped. */
static void image_identity(struct buf *b, const struct report_image *img)
{
    static const enum field_id f[] = {F_REGISTRY_NAME, F_NAMESPACE, F_IMAGE_NAME,
                                      F_IMAGE_VERSION};
    for (size_t k = 0; k < sizeof f / sizeof f[0]; k++) {
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

/* Where finding 'fi' of 'rep' came from (not for resolved findings,
 * whose images are another report's). */
static void finding_place(const struct report *rep, const struct report_finding *fi,
                          const char **project, const char **region)
{
    const struct report_image *img = report_finding_image(rep, fi);
    *project = known(report_image_project_id(rep, img));
    *region = known(report_image_region(rep, img));
}

void baseline_identity(struct buf *b, const struct report *rep, const struct report_finding *fi)
{
    const char *project, *region;
    baseline_local_identity(b, rep, fi);
    finding_place(rep, fi, &project, &region);
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

static size_t hash(const char *s, size_t n)
{
    size_t h = 1469598103934665603u;    /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

/* The slot of identity 'key' (a buffer as baseline_local_identity fills
 * it), or the empty one where it would go; '*h' gets its hash. */
static struct slot *find(const struct baseline *b, const struct buf *key, size_t *h)
{
    *h = hash(key->data, key->len);
    size_t k = *h & (b->cap - 1);
    while (b->tab[k].key && (b->tab[k].hash != *h || strcmp(b->tab[k].key, buf_cstr(key)) != 0))
        k = (k + 1) & (b->cap - 1);
    return &b->tab[k];
}

int baseline_load(struct baseline **out, const char *path, const char *name, bool hash,
                  struct diags *d)
{
    struct baseline *b = xcalloc(1, sizeof *b);
    report_init(&b->rep);
    *out = NULL;
    /* The reader hashes the file while it parses it (reader.h). */
    struct report_read_info info = {""};
    if (report_read_json_info(&b->rep, path, REPORT_READ_NO_INVENTORY, hash ? &info : NULL,
                              d) < 0) {
        baseline_free(b);
        return -1;
    }
    memcpy(b->sha256, info.sha256, SHA256_HEX_LEN);
    b->name = xstrdup(name ? name : file_label(path));
    b->cap = 16;
    while (b->cap < 2 * b->rep.n_findings + 2)
        b->cap *= 2;
    b->tab = xcalloc(b->cap, sizeof *b->tab);
    b->own = xcalloc(b->rep.n_findings + 1, sizeof *b->own);
    struct buf key = BUF_INIT;
    for (size_t i = 0; i < b->rep.n_findings; i++) {
        const struct report_finding *fi = &b->rep.findings[i];
        baseline_local_identity(&key, &b->rep, fi);
        size_t h;
        struct slot *s = find(b, &key, &h);
        if (!s->key) {
            s->key = arena_strndup(&b->keys, key.data, key.len);
            s->hash = h;
        }
        const char *project, *region;
        finding_place(&b->rep, fi, &project, &region);
        uint32_t x = s->first;
        while (x && !(report_same_text(b->e[x - 1].project, project) &&
                      report_same_text(b->e[x - 1].region, region)))
            x = b->e[x - 1].next;
        if (!x) {
            XGROW(b->e, b->cap_e, b->n_e + 1);
            b->e[b->n_e++] = (struct entry){project, region, fi->first_seen_ms, 0, false};
            x = (uint32_t)b->n_e;
            if (s->last)
                b->e[s->last - 1].next = x;
            else
                s->first = x;
            s->last = x;
        } else if (fi->first_seen_ms < b->e[x - 1].first_seen) {
            b->e[x - 1].first_seen = fi->first_seen_ms;
        }
        /* Its own project and region's entry decides whether it is
         * resolved: another compatible entry's match (an unknown
         * project's, say) says nothing of this one. */
        b->own[i] = x - 1;
    }
    buf_dispose(&key);
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
    free(b->tab);
    arena_dispose(&b->keys);
    free(b->e);
    free(b->own);
    free(b->name);
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

/* Copy resolved finding 'fi' of the baseline into 'cur'. */
static void add_resolved(struct report *cur, const struct report *base,
                         const struct report_finding *fi, uint32_t source)
{
    const struct report_rule *br = report_finding_rule(base, fi);
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
    XGROW(cur->resolved_images, cur->cap_resolved_images, cur->n_resolved_images + 1);
    struct report_image *img = &cur->resolved_images[cur->n_resolved_images];
    *img = *report_finding_image(base, fi);
    for (int f = 0; f < FIELD_COUNT; f++)
        if (img->c[f].state == CELL_OK && field_defs[f].type == FT_STR)
            img->c[f].v.s = report_str(cur, img->c[f].v.s);
    img->source = source;       /* the baseline's index means nothing here */
    XGROW(cur->resolved, cur->cap_resolved, cur->n_resolved + 1);
    struct report_finding *o = &cur->resolved[cur->n_resolved++];
    *o = *fi;
    o->rule = (uint32_t)rule;
    o->image = (uint32_t)cur->n_resolved_images++;
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
    *source = 0;
    if (!cur->n_sources)
        return same_place(project, known(cur->meta.project_id)) &&
               same_place(region, known(cur->meta.region));
    for (size_t k = 0; k < cur->n_sources; k++)
        if (same_place(project, known(cur->sources[k].project_id)) &&
            same_place(region, known(cur->sources[k].region))) {
            *source = (uint32_t)k;
            return true;
        }
    return false;
}

static void clear_resolved(struct report *cur)
{
    for (size_t i = 0; i < cur->n_resolved_rules; i++)
        free((void *)cur->resolved_rules[i].tags);
    cur->n_resolved = cur->n_resolved_rules = cur->n_resolved_images = 0;
}

/* The images mark() has looked up, at most IMAGE_CACHE of them, then it
 * starts again: a spilled report's findings come a chunk of at most
 * STREAM_CHUNK findings at a time (report/stream.h), rule after rule,
 * each rule's in image order, so a chunk's images are read from disk
 * once rather than once per rule. */
#define IMAGE_CACHE 65536
struct cached_image {
    uint32_t image_plus1;       /* 0: an empty slot */
    uint32_t key_len;
    size_t key_at;              /* the image's part of the identity, in marking.keys */
    const char *project, *region;
};

struct marking {
    const struct baseline *b;
    const struct report *cur;
    struct buf *key;
    struct cached_image *cache; /* 2 * IMAGE_CACHE slots, open addressing */
    size_t cached;
    struct buf keys;
};

/* The image of finding 'fi' of the current report, as the identity needs it. */
static const struct cached_image *image_of(struct marking *m, const struct report_finding *fi)
{
    const size_t mask = 2 * IMAGE_CACHE - 1;
    size_t k = (fi->image * (size_t)2654435761u) & mask;
    while (m->cache[k].image_plus1 && m->cache[k].image_plus1 != fi->image + 1)
        k = (k + 1) & mask;
    if (m->cache[k].image_plus1)
        return &m->cache[k];
    if (m->cached == IMAGE_CACHE) {
        memset(m->cache, 0, 2 * IMAGE_CACHE * sizeof *m->cache);
        m->cached = 0;
        buf_clear(&m->keys);
        k = (fi->image * (size_t)2654435761u) & mask;
    }
    struct cached_image *c = &m->cache[k];
    m->cached++;
    c->image_plus1 = fi->image + 1;
    c->key_at = m->keys.len;
    image_identity(&m->keys, report_finding_image(m->cur, fi));
    c->key_len = (uint32_t)(m->keys.len - c->key_at);
    finding_place(m->cur, fi, &c->project, &c->region);
    return c;
}

/* Mark finding 'fi' of the current report new or existing. */
static void mark(void *ctx, struct report_finding *fi)
{
    struct marking *m = ctx;
    const struct cached_image *img = image_of(m, fi);
    buf_clear(m->key);
    buf_puts(m->key, report_finding_rule(m->cur, fi)->id);
    buf_append(m->key, m->keys.data + img->key_at, img->key_len);
    size_t h;
    const struct slot *s = find(m->b, m->key, &h);
    const char *project = img->project, *region = img->region;
    fi->change = CHANGE_NEW;
    fi->first_seen_ms = m->cur->meta.now_ms;
    for (uint32_t x = s->key ? s->first : 0; x; x = m->b->e[x - 1].next) {
        struct entry *e = &m->b->e[x - 1];
        if (!same_place(e->project, project) || !same_place(e->region, region))
            continue;
        e->matched = true;
        if (fi->change == CHANGE_NEW || e->first_seen < fi->first_seen_ms)
            fi->first_seen_ms = e->first_seen;
        fi->change = CHANGE_EXISTING;
    }
}

void baseline_apply(const struct baseline *b, struct report *cur)
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
    o->findings = b->rep.n_findings;

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

    for (size_t i = 0; i < b->n_e; i++)
        b->e[i].matched = false;    /* the table is the baseline's; reset per use */
    struct buf key = BUF_INIT;
    struct marking m = {b, cur, &key, xcalloc(2 * IMAGE_CACHE, sizeof *m.cache), 0, BUF_INIT};
    report_update_findings(cur, mark, &m);
    free(m.cache);
    buf_dispose(&m.keys);
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
    if (bm->complete && cur->meta.complete && in_scope) {
        for (size_t i = 0; i < b->rep.n_findings; i++) {
            const struct report_finding *fi = &b->rep.findings[i];
            const struct entry *e = &b->e[b->own[i]];
            const char *project, *region;
            finding_place(&b->rep, fi, &project, &region);
            /* A project this run did not pull is out of its scope: its
             * findings are not resolved, they were not looked at. */
            uint32_t src;
            if (!e->matched && pulled_here(cur, project, region, &src))
                add_resolved(cur, &b->rep, fi, src);
        }
    }
    buf_dispose(&key);
}

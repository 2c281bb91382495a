/* SPDX-License-Identifier: MIT
 * REPORT_READ_SPILL (reader.h): the inventory entries and finding rows
 * go to the store of report/spill.h as they are read, with every check
 * of a read into memory, word for word.
 *
 * A finding row must agree with its inventory entry on the image values
 * it carries. The entry is not kept: a hash of the bytes of those values
 * in its row is (struct rd_spill), and a finding row whose same values
 * hash the same is the entry's (the same bytes give the same values:
 * reader_rows.c reads both the same way). A row whose hash differs
 * (other bytes for the same values, say escapes, or other values) has
 * the entry's row read again, from its place in the file, and compared
 * value by value, so that the message is the one of a read into memory.
 * (The same bytes are the same values: a string is decoded the same way
 * in both, and cannot hold a NUL, which the model would cut: the scanner
 * refuses \u0000.)
 *
 * The store takes a report's findings in report order (severity, rule
 * id, image), as imgaudit writes them; a file whose findings are in
 * another order (hand edits) stops the read at the first row out of
 * order, and reader.c reads the file again into memory. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report/reader_int.h"
#include "report/spill.h"
#include "util/xalloc.h"

int rd_spill_begin(struct rd *r)
{
    struct report *rep = r->rep;
    rep->spill = spill_new(r->d);
    if (!rep->spill) {
        r->store_failed = true;
        return -1;
    }
    r->sp = xcalloc(1, sizeof *r->sp);
    return 0;
}

void rd_spill_free(struct rd_spill *sp)
{
    if (!sp)
        return;
    free(sp->inv_at);
    free(sp->inv_hash);
    free(sp->source);
    free(sp->findings);
    free(sp->max_sev);
    free(sp->ns);
    free(sp->reg);
    strtab_dispose(&sp->key_ids);
    free(sp->keys);
    free(sp->rkey);
    free(sp->matches);
    buf_dispose(&sp->key);
    free(sp);
}

/* The index of the summary's key for cell 'c' ('kind': 'n' namespace,
 * 'r' registry), as count_by() in report.c keys it. */
static uint32_t key_id(struct rd *r, char kind, const struct rcell *c)
{
    struct rd_spill *sp = r->sp;
    const char *text = c->state == CELL_OK ? c->v.s : "(none)";
    buf_clear(&sp->key);
    buf_putc(&sp->key, kind);
    buf_puts(&sp->key, text);
    size_t id = (size_t)(uintptr_t)strtab_get(&sp->key_ids, sp->key.data, sp->key.len);
    if (!id) {
        XGROW(sp->keys, sp->cap_keys, sp->n_keys + 1);
        /* The table borrows its key: the copy in the arena, kind first. */
        const char *kept = arena_strndup(&r->rep->text, sp->key.data, sp->key.len);
        sp->keys[sp->n_keys] = kept + 1;
        id = ++sp->n_keys;
        strtab_put(&sp->key_ids, kept, sp->key.len, (void *)(uintptr_t)id);
    }
    return (uint32_t)(id - 1);
}

void rd_spill_image(struct rd *r, size_t i, size_t at, const struct js_val *v,
                    const struct report_image *img)
{
    struct rd_spill *sp = r->sp;
    if (sp->n == sp->cap) {
        size_t cap = sp->cap ? sp->cap * 2 : 1024;
        sp->inv_at = xreallocarray(sp->inv_at, cap, sizeof *sp->inv_at);
        sp->inv_hash = xreallocarray(sp->inv_hash, cap, sizeof *sp->inv_hash);
        sp->source = xreallocarray(sp->source, cap, sizeof *sp->source);
        sp->findings = xreallocarray(sp->findings, cap, sizeof *sp->findings);
        sp->max_sev = xreallocarray(sp->max_sev, cap, sizeof *sp->max_sev);
        sp->ns = xreallocarray(sp->ns, cap, sizeof *sp->ns);
        sp->reg = xreallocarray(sp->reg, cap, sizeof *sp->reg);
        sp->cap = cap;
    }
    sp->inv_at[i] = at;
    sp->inv_hash[i] = rd_row_cells_hash(r, v, true);
    sp->source[i] = img->source;
    sp->findings[i] = 0;
    sp->max_sev[i] = -1;
    sp->ns[i] = key_id(r, 'n', &img->c[F_NAMESPACE]);
    sp->reg[i] = key_id(r, 'r', &img->c[F_REGISTRY_NAME]);
    sp->n = i + 1;
    spill_add_image(r->rep->spill, img);
}

int rd_spill_row_image(struct rd *r, const struct report_finding *f, const struct js_val *v,
                       const struct report_image **imgp, bool *own_cells)
{
    struct rd_spill *sp = r->sp;
    struct report_image *img = &r->row_img;
    uint32_t ix = f->image;
    memset(img, 0, sizeof *img);
    img->max_severity = -1;
    img->source = sp->source[ix];
    *imgp = img;
    if (rd_row_cells_hash(r, v, false) == sp->inv_hash[ix]) {
        *own_cells = true;      /* the inventory's very bytes: nothing to compare */
        return 0;
    }
    /* The entry's cells, read again, for the row to be compared with. */
    *own_cells = false;
    struct js_val iv[MAX_KEYS];
    struct js_err e;
    size_t end;
    char w[96];
    if (js_row(&r->t, sp->inv_at[ix], &r->image_keys, iv, &end, &e) < 0)
        return rd_scan_fail(r, &e, rd_where(w, "inventory", ix));
    /* Read without error before: the same values, into the row's arena. */
    return rd_read_cells(r, img, iv, ix);
}

/* The summary's counts of the report's source 'k', made at the first. */
static struct report_source *counted_source(struct report *rep, uint32_t k)
{
    if (!rep->counted_sources) {
        rep->counted_sources = xcalloc(rep->n_sources, sizeof *rep->counted_sources);
        rep->n_counted_sources = rep->n_sources;
    }
    return &rep->counted_sources[k];
}

int rd_spill_finding(struct rd *r, const struct report_finding *f)
{
    struct report *rep = r->rep;
    struct rd_spill *sp = r->sp;
    if (!sp->rkey)
        sp->rkey = report_rule_keys(rep);
    uint64_t key = sp->rkey[f->rule] | f->image;
    if (key < sp->last_key) {
        sp->unordered = true;
        return -1;
    }
    sp->last_key = key;
    spill_add_finding(rep->spill, 0, f, f->message, sp->matches, f->n_matches);
    /* Counted as report_finish() counts a report in memory. */
    struct report_summary *s = &rep->summary;
    enum severity sev = rep->rules[f->rule].severity;
    report_tally_finding(s, sev, f);
    s->findings++;
    uint32_t ix = f->image;
    if (sp->findings[ix]++ == 0)
        s->images_with_findings++;
    if ((int)sev > sp->max_sev[ix])
        sp->max_sev[ix] = (int8_t)sev;
    uint32_t k = sp->source[ix];
    if (rep->n_sources && k < rep->n_sources) {
        struct report_source *src = counted_source(rep, k);
        src->findings++;
        if (f->status == FINDING_WAIVED) {
            src->waived_total++;
        } else {
            src->open[sev]++;
            src->open_total++;
        }
    }
    return 0;
}

/* Findings per namespace and per registry, as count_by() gives them. */
static void count_keys(struct rd *r, const uint32_t *ids, struct report_count **out, size_t *n)
{
    struct rd_spill *sp = r->sp;
    size_t *count = xcalloc(sp->n_keys + 1, sizeof *count);
    for (size_t i = 0; i < sp->n; i++)
        count[ids[i]] += sp->findings[i];
    struct report_count *v = xcalloc(sp->n_keys + 1, sizeof *v);
    size_t m = 0;
    for (size_t k = 0; k < sp->n_keys; k++)
        if (count[k])
            v[m++] = (struct report_count){sp->keys[k], count[k]};
    if (m)
        qsort(v, m, sizeof *v, report_count_cmp);
    free(count);
    *out = v;
    *n = m;
}

int rd_spill_end(struct rd *r)
{
    struct report *rep = r->rep;
    struct rd_spill *sp = r->sp;
    for (size_t i = 0; i < sp->n; i++)
        if (sp->source[i] && sp->source[i] >= rep->n_sources)
            return rd_fail(r, r->top, "inventory[%zu].source %" PRIu32 " is not among the "
                           "report's %zu sources", i, sp->source[i], rep->n_sources);
    spill_set_image_counts(rep->spill, sp->findings, sp->max_sev);
    struct report_summary *s = &rep->summary;
    s->images = sp->n;
    count_keys(r, sp->ns, &s->by_namespace, &s->n_by_namespace);
    count_keys(r, sp->reg, &s->by_registry, &s->n_by_registry);
    if (rep->n_sources) {
        for (size_t i = 0; i < sp->n; i++) {
            struct report_source *src = counted_source(rep, sp->source[i]);
            src->images++;
            src->images_with_findings += sp->findings[i] > 0;
        }
    }
    int rc = spill_finish(rep->spill, rep, r->d);
    r->store_failed = rc < 0;
    rep->n_images = spill_image_count(rep->spill);
    rep->n_findings = spill_finding_count(rep->spill);
    return rc;
}

/* SPDX-License-Identifier: MIT
 * The JSON report reader's rows: inventory entries, findings and
 * resolved findings, read by js_row() from the mapped bytes into the
 * model, each value typed and each finding column checked against what
 * the model gives for it; see reader.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/reader_int.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

/* A string value as a C string in the row's arena (the report's, or
 * the visited row's own). */
static const char *arena_val(struct rd *r, const struct js_val *v)
{
    if (!v->esc)
        return arena_strndup(r->strings, v->s, v->len);
    buf_clear(&r->scratch);
    js_str_decode(v, &r->scratch);
    return arena_strndup(r->strings, buf_cstr(&r->scratch), r->scratch.len);
}

/* A string value decoded into 'b', as a C string. */
static const char *val_text(const struct js_val *v, struct buf *b)
{
    buf_clear(b);
    js_str_decode(v, b);
    return buf_cstr(b);
}

static bool val_time(struct rd *r, const struct js_val *v, int64_t *ms)
{
    if (v->kind != JS_STR)
        return false;
    const char *s = v->esc ? val_text(v, &r->scratch) : v->s;
    return rd_time_exact(r, s, v->esc ? r->scratch.len : v->len, ms);
}

/* An image cell from its value in a row; null is a missing cell. */
static int read_cell(struct rd *r, struct rcell *c, enum field_id f, const struct js_val *v,
                     const char *sec, size_t index, const char *key)
{
    c->state = CELL_MISSING;
    if (v->kind == JS_NULL)
        return 0;
    c->state = CELL_OK;
    bool ok = true;
    switch (field_defs[f].type) {
    case FT_INT:
    case FT_LIST:
        ok = v->kind == JS_INT;
        c->v.i = v->i;
        break;
    case FT_TIME: ok = val_time(r, v, &c->v.i); break;
    case FT_BOOL:
        ok = v->kind == JS_BOOL;
        c->v.b = v->b;
        break;
    case FT_STR:
        ok = v->kind == JS_STR;
        if (ok)
            c->v.s = arena_val(r, v);
        break;
    }
    if (ok)
        return 0;
    static const char *const words[] = {
        [FT_INT] = "an integer or null", [FT_TIME] = TIME_WORDS " or null",
        [FT_STR] = "a string or null", [FT_BOOL] = "true, false or null",
        [FT_LIST] = "an integer or null"};
    char path[160], w[96];
    snprintf(path, sizeof path, "%s.%s", rd_where(w, sec, index), key);
    return rd_wrong(r, path, v, words[field_defs[f].type]);
}

/* A row must have every member the writer writes. */
static int require_all(struct rd *r, const struct js_keys *k, const struct js_val *vals,
                       const char *sec, size_t index, size_t at)
{
    for (size_t i = 0; i < k->n; i++) {
        /* Finding rows have had "remediation" since version 4; project_id
         * and region, and an image's source (merged reports), were added
         * within it. */
        bool optional = (k == &r->finding_keys &&
                         ((i == FC_REMEDIATION && r->version.i < 4) || i == FC_PROJECT_ID ||
                          i == FC_REGION)) ||
                        (k == &r->image_keys && i == K_SOURCE);
        if (vals[i].kind == JS_ABSENT && !optional) {
            char w[96];
            return rd_fail(r, at, "%s has no \"%s\"", rd_where(w, sec, index), k->names[i]);
        }
    }
    return 0;
}

int rd_read_cells(struct rd *r, struct report_image *img, const struct js_val *v, size_t i)
{
    for (int f = 0; f < FIELD_COUNT; f++)
        if (read_cell(r, &img->c[f], (enum field_id)f, &v[K_FIELD0 + f], "inventory", i,
                      r->image_names[K_FIELD0 + f]) < 0)
            return -1;
    return 0;
}

static int read_image(struct rd *r, size_t i, size_t at, const struct js_val *v)
{
    struct report *rep = r->rep;
    char w[96], path[128];
    if (v[K_INDEX].kind != JS_INT || v[K_INDEX].i != (int64_t)i) {
        snprintf(path, sizeof path, "%s.index", rd_where(w, "inventory", i));
        snprintf(w, sizeof w, "%zu (its position)", i);
        return rd_wrong(r, path, &v[K_INDEX], w);
    }
    struct report_image *img;
    if (r->sp) {
        /* To the store: the row's own strings, gone with the next row. */
        arena_reset(&r->row_text);
        r->strings = &r->row_text;
        img = &r->row_img;
    } else {
        r->strings = &rep->text;
        XGROW(rep->images, rep->cap_images, rep->n_images + 1);
        img = &rep->images[rep->n_images++];
    }
    memset(img, 0, sizeof *img);
    img->max_severity = -1;
    if (rd_read_cells(r, img, v, i) < 0)
        return -1;
    /* findings and max_severity are recomputed: only their types. */
    if (v[K_FINDINGS].kind != JS_INT || v[K_FINDINGS].i < 0) {
        snprintf(path, sizeof path, "%s.findings", rd_where(w, "inventory", i));
        return rd_wrong(r, path, &v[K_FINDINGS], "a count (0 or more)");
    }
    if (v[K_MAX_SEV].kind != JS_NULL && v[K_MAX_SEV].kind != JS_STR) {
        snprintf(path, sizeof path, "%s.max_severity", rd_where(w, "inventory", i));
        return rd_wrong(r, path, &v[K_MAX_SEV], "a severity or null");
    }
    /* A merged report's: checked against its sources once all is read. */
    if (v[K_SOURCE].kind != JS_ABSENT) {
        if (v[K_SOURCE].kind != JS_INT || v[K_SOURCE].i < 0 || v[K_SOURCE].i > UINT32_MAX) {
            snprintf(path, sizeof path, "%s.source", rd_where(w, "inventory", i));
            return rd_wrong(r, path, &v[K_SOURCE], "an index into sources");
        }
        img->source = (uint32_t)v[K_SOURCE].i;
    }
    if (r->sp)
        rd_spill_image(r, i, at, v, img);
    return 0;
}

/* The image cells a finding row carries (the columns with a field). */
static int read_row_cells(struct rd *r, struct report_image *img, const struct js_val *v,
                          const char *sec, size_t index)
{
    for (int c = 0; c < FC_COUNT; c++) {
        int f = fcol_defs[c].field;
        if (f >= 0 && read_cell(r, &img->c[f], (enum field_id)f, &v[c], sec, index,
                                fcol_defs[c].name) < 0)
            return -1;
    }
    return 0;
}

/* Is the value what the writer writes for 'fv'? */
static bool same_value(struct rd *r, const struct js_val *v, const struct fcol_value *fv)
{
    int64_t ms;
    switch (fv->kind) {
    case FV_MISSING: return v->kind == JS_NULL;
    case FV_TEXT: return v->kind == JS_STR && js_str_eq(v, fv->s, strlen(fv->s), &r->scratch);
    case FV_INT: return v->kind == JS_INT && v->i == fv->i;
    case FV_BOOL: return v->kind == JS_BOOL && v->b == fv->b;
    case FV_TIME: return val_time(r, v, &ms) && ms == fv->i;
    case FV_DATE: {
        /* "YYYY-MM-DD": the day that holds fv->i. */
        char t[TIME_ISO_MAX];
        if (v->kind != JS_STR || v->esc || v->len != 10)
            return false;
        snprintf(t, sizeof t, "%.10sT00:00:00Z", v->s);
        return rd_time_exact(r, t, 20, &ms) && fv->i >= ms && fv->i - ms < 86400000;
    }
    }
    return false;
}

/* Column 'c' of a finding row does not say what the model built from
 * the rest of the report says: name what the model's value comes from. */
static int disagree(struct rd *r, const struct report_finding *fi,
                    const struct report_image *img, int c, const struct js_val *v,
                    const char *sec, size_t index)
{
    const struct report *rep = r->rep;
    char w[96], path[160], found[64], src[200];
    struct fcol_value fv;
    struct buf b = BUF_INIT;
    fcol_value_on(rep, fi, img, (enum fcol_id)c, &fv);
    if (fv.kind == FV_MISSING) {
        buf_puts(&b, "null");
    } else if (fv.kind == FV_INT || fv.kind == FV_BOOL) {
        fcol_text(&b, &fv);
    } else {
        buf_putc(&b, '"');
        fcol_text(&b, &fv);
        if (b.len > 41) {       /* as js_describe() cuts */
            size_t cut = 41;
            while (cut > 1 && (b.data[cut] & 0xC0) == 0x80)
                cut--;
            b.len = cut;
            buf_puts(&b, "...");
        } else {
            buf_putc(&b, '"');
        }
    }
    if (fcol_defs[c].field >= 0 && r->flags & REPORT_READ_NO_INVENTORY)
        snprintf(src, sizeof src, "an earlier finding on image_index %" PRIu32 " has", fi->image);
    else if (fcol_defs[c].field >= 0)
        snprintf(src, sizeof src, "inventory[%" PRIu32 "] has", fi->image);
    else if (c == FC_RULE_TITLE || c == FC_SEVERITY)
        snprintf(src, sizeof src, "rule \"%s\" has", report_finding_rule(rep, fi)->id);
    else if (c == FC_AGE_DAYS)
        snprintf(src, sizeof src, "first_seen and meta.now make it");
    else if (fi->waiver >= 0)
        snprintf(src, sizeof src, "waiver \"%s\" has", rep->waivers[fi->waiver].id);
    else
        snprintf(src, sizeof src, "waiver_id null makes it");
    snprintf(path, sizeof path, "%s.%s", rd_where(w, sec, index), fcol_defs[c].name);
    js_describe(&r->t, v, found);
    rd_fail(r, v->at, "%s is %s, but %s %s", path, found, src, buf_cstr(&b));
    buf_dispose(&b);
    return -1;
}

static int64_t find_rule(struct rd *r, const struct js_val *v)
{
    const struct report *rep = r->rep;
    const char *s = v->esc ? val_text(v, &r->scratch) : v->s;
    size_t n = v->esc ? r->scratch.len : v->len;
    if (r->last_rule >= 0) {
        const char *id = rep->rules[r->last_rule].id;
        if (strncmp(id, s, n) == 0 && id[n] == '\0')
            return r->last_rule;
    }
    return r->last_rule = rule_index_find(&r->rule_ids, rep, s, n);
}

static int64_t find_waiver(struct rd *r, const struct js_val *v)
{
    const char *s = v->esc ? val_text(v, &r->scratch) : v->s;
    return rd_waiver_find(r, s, v->esc ? r->scratch.len : v->len);
}

/* Add waiver 'w' to the matches of 'fi', the last finding added. */
static void add_match(struct report *rep, struct report_finding *fi, uint32_t w)
{
    if (fi->n_matches == 0)
        fi->matches = (uint32_t)rep->n_waiver_matches;
    XGROW(rep->waiver_matches, rep->cap_matches, rep->n_waiver_matches + 1);
    rep->waiver_matches[rep->n_waiver_matches++] = w;
    fi->n_matches++;
}

/* A member of a finding row that names a known thing: "PATH: "X" is not in "SECTION"". */
static int not_in(struct rd *r, const struct js_val *v, const char *sec, size_t index,
                  const char *key, const char *list)
{
    char w[96], found[64];
    js_describe(&r->t, v, found);
    return rd_fail(r, v->at, "%s.%s: %s is not in \"%s\"", rd_where(w, sec, index), key, found,
                   list);
}

static int row_wrong(struct rd *r, const struct js_val *v, const char *sec, size_t index,
                     const char *key, const char *what)
{
    char w[96], path[160];
    snprintf(path, sizeof path, "%s.%s", rd_where(w, sec, index), key);
    return rd_wrong(r, path, v, what);
}

/* A string or null column of a row that says where its image came
 * from, decoded into 'b' (absent before version 4: NULL). */
static int place_text(struct rd *r, const struct js_val *v, const char *sec, size_t i,
                      const char *key, struct buf *b, const char **out)
{
    *out = NULL;
    if (v->kind == JS_ABSENT || v->kind == JS_NULL)
        return 0;
    if (v->kind != JS_STR)
        return row_wrong(r, v, sec, i, key, "a string or null");
    *out = val_text(v, b);
    return 0;
}

/* Without the inventory, the source of 'img' (of a report with sources:
 * merged, or a run of several projects) is the one whose project and
 * region its first finding row has, so that report_image_project_id()
 * is the row's. The sources are read by then (reader.c, sec_needs). */
static int place_image(struct rd *r, struct report_image *img, const struct js_val *v,
                       const char *sec, size_t i)
{
    const struct report *rep = r->rep;
    if (!rep->n_sources)
        return 0;           /* the run's own project: meta's */
    const char *project, *region;
    if (place_text(r, &v[FC_PROJECT_ID], sec, i, "project_id", &r->text, &project) < 0 ||
        place_text(r, &v[FC_REGION], sec, i, "region", &r->text2, &region) < 0)
        return -1;
    size_t k = 0;
    while (k < rep->n_sources && !(report_same_text(rep->sources[k].project_id, project) &&
                                   report_same_text(rep->sources[k].region, region)))
        k++;
    if (k == rep->n_sources) {
        char w[96];
        size_t at = v[FC_PROJECT_ID].kind == JS_ABSENT ? v[FC_RULE_ID].at : v[FC_PROJECT_ID].at;
        return rd_fail(r, at, "%s: project_id %s%s%s and region %s%s%s are not those "
                       "of any of the report's %zu sources", rd_where(w, sec, i),
                       project ? "\"" : "", project ? project : "null", project ? "\"" : "",
                       region ? "\"" : "", region ? region : "null", region ? "\"" : "",
                       rep->n_sources);
    }
    img->source = (uint32_t)k;
    return 0;
}

/* Is this the first finding row on inventory image 'ix'? Marks it so
 * (REPORT_READ_NO_INVENTORY and report_reader_open: that row gives the
 * image's cells). */
static bool first_row_of(struct rd *r, uint32_t ix)
{
    uint64_t bit = (uint64_t)1 << (ix % 64);
    if (r->has_cells[ix / 64] & bit)
        return false;
    r->has_cells[ix / 64] |= bit;
    return true;
}

/* A hash of the image values a finding row carries, their bytes as
 * written: a later row of an image must carry the same values, and the
 * same bytes stand for the comparison when the first row's cells are
 * not kept (visit_image). Other bytes for the same values (escapes)
 * only send the row to the exact comparison. (idhash ends each part
 * with its length: "ab", "c" and "a", "bc" differ.) */
uint64_t rd_row_cells_hash(const struct rd *r, const struct js_val *v, bool inventory)
{
    uint64_t h = r->seed;
    for (int c = 0; c < FC_COUNT; c++) {
        int f = fcol_defs[c].field;
        if (f < 0)
            continue;
        const struct js_val *x = inventory ? &v[K_FIELD0 + f] : &v[c];
        h = x->kind == JS_ABSENT ? idhash(h, "\x01", 1)    /* no value is 1 byte of \x01 */
                                 : idhash(h, r->t.p + x->at, x->end - x->at);
    }
    return h;
}

/* The image of a finding row read by report_reader_open(): '*img' to
 * check the row against, '*gave' (or NULL) for the visitor. The first
 * row of an image gives its cells, as without the inventory; a later
 * one must carry the same values, which the hash of the first row's
 * checks, so that nothing per image but the hash is kept (when the
 * hashes differ, the first row is read again for the check to say how
 * they differ). A row read again (report_reader_row) gives its own. */
static int visit_image(struct rd *r, struct report_finding *f, const struct js_val *v,
                       const char *sec, size_t i, size_t at, const struct report_image **img,
                       const struct report_image **gave, bool *own_cells)
{
    struct report_image *c = &r->row_img;
    memset(c, 0, sizeof *c);
    c->max_severity = -1;
    *img = c;
    *own_cells = true;
    uint32_t ix = f->image;
    if (r->rereading) {
        *gave = c;
        c->source = r->img_source ? r->img_source[ix] : 0;
        return read_row_cells(r, c, v, sec, i);
    }
    if (first_row_of(r, ix)) {
        r->rep->summary.images_with_findings++;
        *gave = c;
        if (read_row_cells(r, c, v, sec, i) < 0 || place_image(r, c, v, sec, i) < 0)
            return -1;
        r->first_at[ix] = at;
        r->cells_hash[ix] = rd_row_cells_hash(r, v, false);
        if (r->rep->n_sources) {
            if (!r->img_source)
                r->img_source = xcalloc(r->n_inventory + 1, sizeof *r->img_source);
            r->img_source[ix] = c->source;
        }
        return 0;
    }
    *gave = NULL;
    c->source = r->img_source ? r->img_source[ix] : 0;
    if (rd_row_cells_hash(r, v, false) == r->cells_hash[ix])
        return 0;
    /* Not the same: the first row's cells, for read_finding to compare
     * this row's with, column by column. */
    struct js_val first[MAX_KEYS];
    struct js_err e;
    size_t end;
    char w[96];
    *own_cells = false;
    if (js_row(&r->t, r->first_at[ix], &r->finding_keys, first, &end, &e) < 0)
        return rd_scan_fail(r, &e, rd_where(w, sec, i));
    return read_row_cells(r, c, first, sec, i);
}

/* The rule and the image of a finding row (of "findings" or, when
 * 'resolved', of "resolved"), at 'at'. '*img': the image to check the
 * row against; '*gave': the image handed to a visitor
 * (report_reader_open). */
static int row_rule_image(struct rd *r, struct report_finding *f, const struct js_val *v,
                          const char *sec, size_t i, size_t at, bool resolved,
                          const struct report_image **imgp, const struct report_image **gave,
                          bool *own_cells)
{
    *own_cells = resolved;
    *gave = NULL;
    struct report *rep = r->rep;
    if (v[FC_RULE_ID].kind != JS_STR)
        return row_wrong(r, &v[FC_RULE_ID], sec, i, "rule_id", "a string");
    if (resolved) {
        const struct js_val *sv = &v[FC_SEVERITY];
        int sev = sv->kind == JS_STR ? severity_parse(val_text(sv, &r->scratch)) : -1;
        if (sev < 0)
            return row_wrong(r, &v[FC_SEVERITY], sec, i, "severity",
                             "critical, high, medium, low or info");
        if (v[FC_RULE_TITLE].kind != JS_STR)
            return row_wrong(r, &v[FC_RULE_TITLE], sec, i, "rule_title", "a string");
        f->rule = resolved_rule(&r->resolved, val_text(&v[FC_RULE_ID], &r->text),
                                val_text(&v[FC_RULE_TITLE], &r->text2), (enum severity)sev);
        if (v[K_IMAGE_INDEX].kind != JS_NULL)
            return row_wrong(r, &v[K_IMAGE_INDEX], sec, i, "image_index",
                             "null (a resolved finding's image is not in this inventory)");
        struct report_image *img = resolved_image(&r->resolved, &f->image);
        *imgp = img;
        return read_row_cells(r, img, v, sec, i);
    }
    int64_t rule = find_rule(r, &v[FC_RULE_ID]);
    if (rule < 0)
        return not_in(r, &v[FC_RULE_ID], sec, i, "rule_id", "rules");
    f->rule = (uint32_t)rule;
    const struct js_val *ix = &v[K_IMAGE_INDEX];
    if (ix->kind != JS_INT || ix->i < 0 || (uint64_t)ix->i >= r->n_inventory) {
        char what[96];
        snprintf(what, sizeof what, "an index into inventory (0 to %zu)",
                 r->n_inventory ? r->n_inventory - 1 : 0);
        return row_wrong(r, ix, sec, i, "image_index",
                         r->n_inventory ? what : "an index into inventory, which is empty");
    }
    f->image = (uint32_t)ix->i;
    if (r->visit)
        return visit_image(r, f, v, sec, i, at, imgp, gave, own_cells);
    if (r->sp)
        return rd_spill_row_image(r, f, v, imgp, own_cells);
    struct report_image *img = &rep->images[f->image];
    *imgp = img;
    if (r->flags & REPORT_READ_NO_INVENTORY && first_row_of(r, f->image)) {
        /* The first finding on this image: its cells come from the row. */
        *own_cells = true;
        return read_row_cells(r, img, v, sec, i) < 0 ? -1 : place_image(r, img, v, sec, i);
    }
    return 0;
}

static int row_status(struct rd *r, struct report_finding *f, const struct js_val *v,
                      const char *sec, size_t i, bool resolved)
{
    int st = 0;
    while (st <= FINDING_WAIVER_EXPIRED && (v[FC_STATUS].kind != JS_STR ||
           !js_str_eq(&v[FC_STATUS], finding_status_name((enum finding_status)st),
                      strlen(finding_status_name((enum finding_status)st)), &r->scratch)))
        st++;
    if (st > FINDING_WAIVER_EXPIRED)
        return row_wrong(r, &v[FC_STATUS], sec, i, "status", "open, waived or waiver-expired");
    f->status = (uint8_t)st;
    const struct js_val *ch = &v[FC_CHANGE];
    bool is_new = ch->kind == JS_STR && js_str_eq(ch, "new", 3, &r->scratch);
    bool existing = ch->kind == JS_STR && js_str_eq(ch, "existing", 8, &r->scratch);
    bool gone = ch->kind == JS_STR && js_str_eq(ch, "resolved", 8, &r->scratch);
    if (resolved ? !gone : !is_new && !existing)
        return row_wrong(r, ch, sec, i, "change", resolved ? "\"resolved\""
                                                           : "\"new\" or \"existing\"");
    f->change = resolved ? CHANGE_RESOLVED : existing ? CHANGE_EXISTING : CHANGE_NEW;
    if (!val_time(r, &v[FC_FIRST_SEEN], &f->first_seen_ms))
        return row_wrong(r, &v[FC_FIRST_SEEN], sec, i, "first_seen", TIME_WORDS);
    return 0;
}

/* The message: kept only when it is not the rule's title (NULL means
 * the title, as for a finding the evaluator adds). */
static int row_message(struct rd *r, struct report_finding *f, const struct js_val *v,
                       const char *sec, size_t i)
{
    const struct js_val *m = &v[FC_MESSAGE];
    if (m->kind != JS_STR)
        return row_wrong(r, m, sec, i, "message", "a string");
    const char *title = report_finding_rule(r->rep, f)->title;
    f->message = js_str_eq(m, title, strlen(title), &r->scratch) ? NULL : arena_val(r, m);
    return 0;
}

/* Where row_waivers() puts a finding's matching waivers. */
enum keep { KEEP_NONE, KEEP_MODEL, KEEP_ROW };

/* The waiver and the matching waivers (KEEP_MODEL: into the model's
 * pool; KEEP_ROW: into r->sp->matches, for the store). */
static int row_waivers(struct rd *r, struct report_finding *f, const struct js_val *v,
                       const char *sec, size_t i, enum keep keep)
{
    const struct js_val *wid = &v[FC_WAIVER_ID];
    f->waiver = -1;
    if (wid->kind == JS_STR) {
        int64_t w = find_waiver(r, wid);
        if (w < 0)
            return not_in(r, wid, sec, i, "waiver_id", "waivers");
        f->waiver = (int32_t)w;
    } else if (wid->kind != JS_NULL) {
        return row_wrong(r, wid, sec, i, "waiver_id", "a string or null");
    }
    const struct js_val *list = &v[K_WAIVERS];
    if (list->kind != JS_ARRAY)
        return row_wrong(r, list, sec, i, "waivers", "an array of waiver ids");
    struct js_iter it;
    struct js_err e;
    size_t at;
    char w[96], key[48];
    js_array_begin(&r->t, list->at, &it, &e);
    for (size_t k = 0;; k++) {
        int more = js_array_next(&r->t, &it, &at, &e);
        struct js_val id;
        if (more == 0)
            return 0;
        snprintf(key, sizeof key, "waivers[%zu]", k);
        if (more < 0 || js_value(&r->t, at, &id, &e) < 0)
            return rd_scan_fail(r, &e, rd_where(w, sec, i));
        if (id.kind != JS_STR)
            return row_wrong(r, &id, sec, i, key, "a waiver id");
        int64_t wi = find_waiver(r, &id);
        if (wi < 0)
            return not_in(r, &id, sec, i, key, "waivers");
        if (keep == KEEP_MODEL) {
            add_match(r->rep, f, (uint32_t)wi);
        } else if (keep == KEEP_ROW) {
            XGROW(r->sp->matches, r->sp->cap_matches, (size_t)f->n_matches + 1);
            r->sp->matches[f->n_matches++] = (uint32_t)wi;
        }
        it.pos = id.end;
    }
}

static int read_finding(struct rd *r, size_t i, size_t at, const struct js_val *v,
                        bool resolved)
{
    struct report *rep = r->rep;
    const char *sec = resolved ? "resolved" : "findings";
    bool visiting = r->visit && !resolved;
    bool spilling = r->sp && !resolved;     /* to the store, not kept */
    struct report_finding *f;
    if (resolved) {
        f = resolved_add(&r->resolved);
    } else if (visiting || spilling) {
        f = &r->row;
        memset(f, 0, sizeof *f);
        arena_reset(&r->row_text);
    } else {
        XGROW(rep->findings, rep->cap_findings, rep->n_findings + 1);
        f = &rep->findings[rep->n_findings++];
        memset(f, 0, sizeof *f);
    }
    bool own_cells;
    const struct report_image *img = NULL, *gave = NULL;
    r->strings = visiting || spilling ? &r->row_text : &rep->text;
    enum keep keep = visiting ? KEEP_NONE : spilling ? KEEP_ROW : KEEP_MODEL;
    if (row_rule_image(r, f, v, sec, i, at, resolved, &img, &gave, &own_cells) < 0 ||
        row_status(r, f, v, sec, i, resolved) < 0 ||
        row_message(r, f, v, sec, i) < 0 || row_waivers(r, f, v, sec, i, keep) < 0)
        return -1;
    /* Every column must be what the model now gives, or the report
     * would not write back the same (those the model took from the row
     * as they are need no look: some always, the image's when its cells
     * came from this row). */
    static const bool from_row[FC_COUNT] = {
        [FC_RULE_ID] = true, [FC_STATUS] = true, [FC_CHANGE] = true, [FC_FIRST_SEEN] = true,
        [FC_MESSAGE] = true, [FC_WAIVER_ID] = true,
    };
    for (int c = 0; c < FC_COUNT; c++) {
        struct fcol_value fv;
        /* A resolved finding's remediation is its rule's now, as for
         * its other rule texts (an older report may hold older text). */
        /* project_id and region are the image's source's (or the run's):
         * the sources and meta are checked, not each row again. */
        if (from_row[c] || (own_cells && fcol_defs[c].field >= 0) || v[c].kind == JS_ABSENT ||
            (resolved && c == FC_REMEDIATION) || c == FC_PROJECT_ID || c == FC_REGION)
            continue;
        fcol_value_on(rep, f, img, (enum fcol_id)c, &fv);
        if (!same_value(r, &v[c], &fv))
            return disagree(r, f, img, c, &v[c], sec, i);
    }
    if (spilling)
        return rd_spill_finding(r, f);
    if (visiting) {
        if (!r->rereading) {
            report_tally_finding(&rep->summary, rep->rules[f->rule].severity, f);
            rep->summary.findings++;
        }
        struct report_row row = {f, gave, img->source, i, at};
        r->visit(r->visit_ctx, rep, &row);
    }
    return 0;
}
/* An element of a big section: a row. Its path ("findings[12]") is
 * only formatted for a message. */
int rd_read_row(struct rd *r, enum sec s, size_t i, size_t at, size_t *end)
{
    char w[96];
    struct js_err e;
    if (s == SEC_INVENTORY && r->flags & REPORT_READ_NO_INVENTORY)
        return js_skip(&r->t, at, end, &e) < 0
                   ? rd_scan_fail(r, &e, rd_where(w, "inventory", i)) : 0;
    const struct js_keys *k = s == SEC_INVENTORY ? &r->image_keys : &r->finding_keys;
    struct js_val v[MAX_KEYS];
    if (at >= r->t.n || r->t.p[at] != '{')
        return rd_expect(r, at, '{', rd_where(w, rd_sec_names[s], i));
    if (js_row(&r->t, at, k, v, end, &e) < 0)
        return rd_scan_fail(r, &e, rd_where(w, rd_sec_names[s], i));
    if (require_all(r, k, v, rd_sec_names[s], i, at) < 0)
        return -1;
    if (s == SEC_INVENTORY)
        return read_image(r, i, at, v);
    return read_finding(r, i, at, v, s == SEC_RESOLVED);
}


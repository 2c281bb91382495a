/* SPDX-License-Identifier: MIT
 * Reading a baseline through the JSON report's finding index
 * (render/json.c, docs/report-json-schema.md), for report_reader_open():
 * the inventory is jumped over and each finding row is handed to the
 * visitor from its index row, a tenth of its bytes, instead of from the
 * row itself.
 *
 * Trust: the index is used only when the file ends with the writer's
 * finding_index_check, the sections are where it says, and the CRC-32Cs
 * of the findings and of the index are the ones it gives, so that
 * neither was changed since they were written together. Anything else
 * (a report from before the index, one rewritten by jq, an edited row)
 * is read row by row as without the index. An index whose checksum
 * agrees but which does not agree with itself (a row out of range, an
 * image's identity missing from its first row) was not written by
 * imgaudit: an error, located in the index. What is not covered: the
 * inventory, of which a baseline needs only the length, and the
 * resolved section, which is read as always. */
#define _GNU_SOURCE         /* madvise, memmem */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "report/reader_int.h"
#include "util/crc32c.h"
#include "util/xalloc.h"

/* Give back the pages of [a, b) of the mapping: read once, not needed
 * again (read again from the file if they are). */
static void release(struct rd *r, size_t a, size_t b)
{
    if (!r->map)
        return;
    a = (a + r->page - 1) / r->page * r->page;
    b = b / r->page * r->page;
    if (b > a)
        madvise((char *)r->map + a, b - a, MADV_DONTNEED);
}

/* Is the CRC-32C of [a, b) of the text 'want'? A mapped file is read again with
 * pread() in pieces that stay in the CPU's cache, not through the
 * mapping: the kernel copies from the page cache through its own huge
 * pages, where the mapping costs a fault and a TLB miss per 4 KiB page
 * (0.08 s of CPU for the 115 MB of findings of a 100,000-image report;
 * 0.03 s so). */
static bool crc_is(struct rd *r, size_t a, size_t b, uint32_t want)
{
    if (!r->map)
        return crc32c(0, r->t.p + a, b - a) == want;
    /* On the heap, once per call: as a thread-local array it was 256 KiB
     * of every thread's TLS, zeroed page by page whenever any thread of
     * the program started (about 250 of a small run's 1,565 page faults). */
    enum { PIECE = 256 << 10 };
    char *piece = xmalloc(PIECE);
    uint32_t c = 0;
    bool whole = true;
    for (size_t at = a; at < b;) {
        size_t ask = b - at < PIECE ? b - at : PIECE;
        ssize_t n = pread(r->fd, piece, ask, (off_t)at);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {   /* shorter than mapped: changed under the reader */
            whole = false;
            break;
        }
        c = crc32c(c, piece, (size_t)n);
        at += (size_t)n;
    }
    free(piece);
    return whole && c == want;
}

void rd_index_tail(struct rd *r)
{
    static const char key[] = "\"finding_index_check\": {";
    struct rd_index *x = &r->ix;
    size_t n = r->t.n < 400 ? r->t.n : 400;
    const char *tail = r->t.p + r->t.n - n, *k = memmem(tail, n, key, sizeof key - 1);
    if (!k)
        return;
    char s[400], fcrc[9], icrc[9];
    size_t len = (size_t)(tail + n - k);
    memcpy(s, k, len);
    s[len] = '\0';
    int end = -1;
    if (sscanf(s, "\"finding_index_check\": {\"inventory_end\": %zu, \"findings\": [%zu, "
               "%zu], \"findings_crc32c\": \"%8[0-9a-f]\", \"index\": [%zu, %zu], "
               "\"index_crc32c\": \"%8[0-9a-f]\"}%n", &x->inventory_end, &x->findings_at,
               &x->findings_end, fcrc, &x->index_at, &x->index_end, icrc, &end) != 7 ||
        end < 0 || strcmp(s + end, "\n}\n") != 0 || strlen(fcrc) != 8 || strlen(icrc) != 8)
        return;
    x->findings_crc = (uint32_t)strtoul(fcrc, NULL, 16);
    x->index_crc = (uint32_t)strtoul(icrc, NULL, 16);
    x->found = true;
}

/* "... finding_index: ..., the index was not written by imgaudit". */
static int bad_index(struct rd *r, size_t at, size_t row, const char *what)
{
    char w[96];
    return rd_fail(r, at, "%s: %s; its checksum agrees, but imgaudit did not write this "
                   "index: make the report again, or remove finding_index_check to have "
                   "the findings read instead", rd_where(w, "finding_index.rows", row), what);
}

int rd_index_inventory(struct rd *r, size_t at, size_t *end)
{
    struct rd_index *x = &r->ix;
    const struct js_text *t = &r->t;
    /* What findings need but the inventory must be read first: in the
     * writer's order it is. */
    unsigned before = (1u << SEC_META) | (1u << SEC_RULES) | (1u << SEC_WAIVERS) |
                      (1u << SEC_SOURCES);
    if (!x->found || (r->done & before) != before || at > t->n ||
        !(x->inventory_end <= x->findings_at && x->findings_at < x->findings_end &&
          x->findings_end <= x->index_at && x->index_at < x->index_end &&
          x->index_end <= t->n - at) ||
        t->p[at + x->inventory_end - 1] != ']' || t->p[at + x->findings_at] != '[' ||
        t->p[at + x->index_at] != '{')
        return 0;
    if (!crc_is(r, at + x->index_at, at + x->index_end, x->index_crc) ||
        !crc_is(r, at + x->findings_at, at + x->findings_end, x->findings_crc))
        return 0;
    /* The checksums agree: the index stands for the rows. */
    x->base = at;
    const char *head = t->p + at + x->index_at;
    size_t n_inventory;
    int len = -1;
    char tmp[64];
    size_t room = x->index_end - x->index_at < sizeof tmp - 1 ? x->index_end - x->index_at
                                                                : sizeof tmp - 1;
    memcpy(tmp, head, room);
    tmp[room] = '\0';
    static const char open[] = "{\"inventory\": ";
    if (strncmp(tmp, open, sizeof open - 1) != 0 || !isdigit((unsigned char)tmp[sizeof open - 1]) ||
        sscanf(tmp, "{\"inventory\": %zu, \"rows\": [%n", &n_inventory, &len) != 1 || len < 0)
        return rd_fail(r, at + x->index_at, "finding_index: expected {\"inventory\": N, "
                       "\"rows\": [...]}; its checksum agrees, but imgaudit did not write "
                       "this index: make the report again");
    /* Each entry is 2 bytes at least ("{}"): no more than the inventory
     * holds, before arrays are sized by it. */
    if (n_inventory > x->inventory_end / 2)
        return rd_fail(r, at + x->index_at + sizeof open - 1, "finding_index.inventory: %zu "
                       "entries cannot be in an inventory of %zu bytes; its checksum agrees, "
                       "but imgaudit did not write this index: make the report again",
                       n_inventory, x->inventory_end);
    x->rows_at = at + x->index_at + (size_t)len;
    x->used = true;
    r->n_inventory = n_inventory;
    r->has_cells = xcalloc(n_inventory / 64 + 1, sizeof *r->has_cells);
    *end = at + x->inventory_end;
    return 1;
}

/* The index rows' reading position. */
struct cur {
    struct rd *r;
    size_t pos, row;
};

/* The literal 's' at the cursor. */
static bool take(struct cur *c, const char *s)
{
    size_t n = strlen(s);
    if (c->pos + n > c->r->t.n || memcmp(c->r->t.p + c->pos, s, n) != 0)
        return false;
    c->pos += n;
    return true;
}

/* The ',' between a row's values. */
static int sep(struct cur *c)
{
    return take(c, ",") ? 0 : bad_index(c->r, c->pos, c->row, "expected ','");
}

/* A value at the cursor (js_value: strict), then the cursor past it. */
static int take_val(struct cur *c, struct js_val *v)
{
    struct js_err e;
    if (c->pos >= c->r->t.n || js_value(&c->r->t, c->pos, v, &e) < 0)
        return bad_index(c->r, c->pos, c->row, "expected a number, a string or null");
    c->pos = v->end;
    return 0;
}

/* A plain integer at the cursor: the digits imgaudit writes (no sign,
 * no leading zero, at most 18 of them) and then ',' or ']'. Returns how
 * many digits, with their value in *out; 0 for anything else, which
 * take_val() reads then, with the JSON scanner's checks and messages. A
 * row is six or seven integers: through the scanner, they were about a
 * fifth of a baseline's load. */
static size_t plain_int(const struct cur *c, int64_t *out)
{
    const char *p = c->r->t.p + c->pos, *end = c->r->t.p + c->r->t.n, *q = p;
    int64_t v = 0;
    while (q < end && q - p <= 18 && *q >= '0' && *q <= '9')
        v = v * 10 + (*q++ - '0');
    if (q == p || q == end || q - p > 18 || (*p == '0' && q - p > 1) || (*q != ',' && *q != ']'))
        return 0;
    *out = v;
    return (size_t)(q - p);
}

/* An integer from 0 to 'max' (inclusive). */
static int take_int(struct cur *c, int64_t max, const char *what, int64_t *out)
{
    size_t at = c->pos, len = plain_int(c, out);
    bool ok;
    if (len) {
        c->pos += len;
        ok = *out <= max;
    } else {
        struct js_val v;
        if (take_val(c, &v) < 0)
            return -1;
        ok = v.kind == JS_INT && v.i >= 0 && v.i <= max;
        *out = v.i;
    }
    if (!ok) {
        char m[128];
        snprintf(m, sizeof m, "expected %s (0 to %" PRId64 ")", what, max);
        return bad_index(c->r, at, c->row, m);
    }
    return 0;
}

/* An image identity cell of a first row: a string or null, then ','. */
static int take_cell(struct cur *c, enum field_id f)
{
    struct rd *r = c->r;
    struct rcell *cell = &r->row_img.c[f];
    struct js_val v;
    size_t at = c->pos;
    if (take_val(c, &v) < 0)
        return -1;
    if (v.kind == JS_NULL) {
        cell->state = CELL_MISSING;
    } else if (v.kind == JS_STR) {
        cell->state = CELL_OK;
        if (v.esc) {
            buf_clear(&r->scratch);
            js_str_decode(&v, &r->scratch);
            cell->v.s = arena_strndup(&r->row_text, buf_cstr(&r->scratch), r->scratch.len);
        } else {
            cell->v.s = arena_strndup(&r->row_text, v.s, v.len);
        }
    } else {
        return bad_index(r, at, c->row, "expected a string or null");
    }
    return sep(c);
}

/* Index row c->row: the finding, and its image on its first row. */
static int index_row(struct cur *c, size_t *last_at)
{
    struct rd *r = c->r;
    struct rd_index *x = &r->ix;
    struct report *rep = r->rep;
    struct report_finding *f = &r->row;
    memset(f, 0, sizeof *f);
    arena_reset(&r->row_text);
    f->waiver = -1;
    if (!take(c, c->row ? ",\n      [" : "\n      ["))
        return bad_index(r, c->pos, c->row, "expected a row, one per line");
    int64_t rule, image, status, change, first, at, source = 0;
    if (take_int(c, (int64_t)rep->n_rules - 1, "a rule's index", &rule) < 0 || sep(c) < 0 ||
        take_int(c, (int64_t)r->n_inventory - 1, "an inventory index", &image) < 0 ||
        sep(c) < 0 || take_int(c, FINDING_WAIVER_EXPIRED, "a status", &status) < 0 ||
        sep(c) < 0 || take_int(c, CHANGE_EXISTING, "a change", &change) < 0 || sep(c) < 0)
        return -1;
    size_t len = plain_int(c, &first);
    if (len) {
        c->pos += len;
        if (sep(c) < 0)
            return -1;
    } else {
        struct js_val v;        /* a negative time, or not a number */
        if (take_val(c, &v) < 0 || sep(c) < 0)
            return -1;
        if (v.kind != JS_INT)
            return bad_index(r, v.at, c->row, "expected first_seen in milliseconds");
        first = v.i;
    }
    size_t off_at = c->pos;
    if (take_int(c, (int64_t)(x->findings_end - 1), "an offset in findings", &at) < 0)
        return -1;
    /* Not looked at: that would map in every page of the findings. A
     * row read again (report_reader_row) must start there with '{' and
     * be the finding the index said (baseline.c checks). */
    if ((size_t)at <= *last_at || (size_t)at <= x->findings_at)
        return bad_index(r, off_at, c->row, "expected the offset of the next finding row");
    *last_at = (size_t)at;
    uint64_t bit = (uint64_t)1 << (image % 64);
    bool first_row = !(r->has_cells[image / 64] & bit);
    if (first_row) {
        /* Only a first row hands on its image (row.image below). */
        memset(&r->row_img, 0, sizeof r->row_img);
        r->row_img.max_severity = -1;
        r->has_cells[image / 64] |= bit;
        if (!take(c, ","))
            return bad_index(r, c->pos, c->row, "expected the image's identity on its "
                             "first row");
        for (size_t k = 0; k < REPORT_IDENTITY_FIELDS; k++)
            if (take_cell(c, report_identity_fields[k]) < 0)
                return -1;
        int64_t max = rep->n_sources ? (int64_t)rep->n_sources - 1 : 0;
        if (take_int(c, max, "a source's index", &source) < 0)
            return -1;
        r->row_img.source = (uint32_t)source;
        if (rep->n_sources) {
            if (!r->img_source)
                r->img_source = xcalloc(r->n_inventory + 1, sizeof *r->img_source);
            r->img_source[image] = (uint32_t)source;
        }
        rep->summary.images_with_findings++;
    } else {
        source = r->img_source ? r->img_source[image] : 0;
    }
    if (!take(c, "]"))
        return bad_index(r, c->pos, c->row, first_row ? "expected ']'"
                         : "expected ']' (the image's identity is on its first row only)");
    f->rule = (uint32_t)rule;
    f->image = (uint32_t)image;
    f->status = (uint8_t)status;
    f->change = (uint8_t)change;
    f->first_seen_ms = first;
    report_tally_finding(&rep->summary, rep->rules[f->rule].severity, f);
    rep->summary.findings++;
    struct report_row row = {f, first_row ? &r->row_img : NULL, (uint32_t)source, c->row,
                             x->base + (size_t)at};
    r->visit(r->visit_ctx, rep, &row);
    return 0;
}

int rd_index_findings(struct rd *r, size_t at, size_t *end)
{
    struct rd_index *x = &r->ix;
    if (at != x->base + x->findings_at)
        return rd_fail(r, at, "findings is not where finding_index_check says (%zu bytes "
                       "after the inventory's '['): the index is another file's; make the "
                       "report again, or remove finding_index_check to have the findings "
                       "read instead", x->findings_at);
    struct cur c = {r, x->rows_at, 0};
    size_t last_at = 0, index_end = x->base + x->index_end, released = c.pos;
    for (;; c.row++) {
        if (take(&c, c.row ? "\n    ]}" : "]}")) {
            if (c.pos != index_end)
                return bad_index(r, c.pos, c.row, "expected the end of the index");
            break;
        }
        if (index_row(&c, &last_at) < 0)
            return -1;
        if (c.pos >= released + DROP_STEP) {
            release(r, released, c.pos);
            released = c.pos;
        }
    }
    release(r, released, index_end);
    *end = x->base + x->findings_end;
    return 0;
}

bool rd_index_skip(struct rd *r, size_t at, size_t *end)
{
    if (!r->ix.used || at != r->ix.base + r->ix.index_at)
        return false;
    *end = r->ix.base + r->ix.index_end;
    return true;
}

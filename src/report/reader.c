/* SPDX-License-Identifier: MIT
 * The JSON report reader; see reader.h.
 *
 * One walk over the top-level object, in file order. A section is read
 * where it stands when what it refers to has been read already (the
 * findings name rules, waivers and inventory entries): always so in the
 * writer's order (meta, summary, rules, waivers, data_quality, inventory,
 * findings, resolved). Otherwise, e.g. with jq --sort-keys, its place is
 * noted and it is read after the walk. Nothing is read before "schema"
 * and "schema_version" have said that this is a report of version 2 to 4, so
 * that another JSON file gets that message rather than one about its
 * contents.
 *
 * The small sections are parsed by jansson element by element
 * (reader_meta.c); the inventory and finding rows, which make up nearly
 * all of a large report, are read by js_row() (report/jsonscan.h)
 * straight from the mapped bytes (reader_rows.c). */
#define _DEFAULT_SOURCE     /* madvise */
#include "report/reader.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/reader_int.h"
#include "util/timefmt.h"
#include "util/tmpfile.h"
#include "util/writepiece.h"
#include "util/xalloc.h"

/* Rows read again (report_reader_row) check the file and map its pages
 * in stretches of this. */
#define REREAD_STEP ((size_t)2 << 20)
/* The bytes read are hashed (report_read_json_info) in steps of this,
 * while they are still in the CPU's cache. */
#define HASH_STEP ((size_t)256 << 10)

const char *const rd_sec_names[SEC_COUNT] = {
    "meta", "rules", "waivers", "data_quality", "sources", "inventory", "findings", "resolved",
    "summary",
};
#define BIT(s) (1u << (s))
/* What a section refers to, which must be read before it. Findings
 * need the sources too: read without the inventory, an image's source is
 * its first finding row's project and region (reader_rows.c). */
static const unsigned sec_needs[SEC_COUNT] = {
    [SEC_FINDINGS] = BIT(SEC_META) | BIT(SEC_RULES) | BIT(SEC_WAIVERS) | BIT(SEC_INVENTORY) |
                     BIT(SEC_SOURCES),
    [SEC_RESOLVED] = BIT(SEC_META) | BIT(SEC_RULES) | BIT(SEC_WAIVERS),
};

/* ---- messages ------------------------------------------------------ */

int rd_fail(struct rd *r, size_t at, const char *fmt, ...)
{
    struct buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    int line, col;
    js_line_col(&r->t, at, &line, &col);
    diags_add(r->d, DIAG_ERROR, r->name, line, col, 0, NULL, "%s", buf_cstr(&b));
    buf_dispose(&b);
    return -1;
}

/* "findings[3]", "meta.source": where a value is, for messages. 'index'
 * SIZE_MAX: none. */
const char *rd_where(char out[96], const char *sec, size_t index)
{
    if (index == SIZE_MAX)
        snprintf(out, 96, "%s", sec);
    else
        snprintf(out, 96, "%s[%zu]", sec, index);
    return out;
}

/* A scanner error inside 'ctx' (NULL: the top level). */
int rd_scan_fail(struct rd *r, const struct js_err *e, const char *ctx)
{
    if (e->eof)
        return rd_fail(r, e->at, "the report ends early (truncated?)%s%s", ctx ? " in " : "",
                       ctx ? ctx : "");
    if (!e->syntax)
        return rd_fail(r, e->at, "%s: %s", ctx ? ctx : "the report", e->msg);
    return rd_fail(r, e->at, "invalid JSON%s%s: %s", ctx ? " in " : "", ctx ? ctx : "",
                   e->msg);
}

static const char *kind_words(unsigned kind)
{
    switch (kind) {
    case JS_NULL: return "null";
    case JS_BOOL: return "a boolean";
    case JS_INT:
    case JS_REAL: return "a number";
    case JS_STR: return "a string";
    case JS_ARRAY: return "an array";
    case JS_OBJECT: return "an object";
    }
    return "nothing";
}

/* "PATH: expected WHAT, found VALUE" at the value. */
int rd_wrong(struct rd *r, const char *path, const struct js_val *v, const char *what)
{
    char found[64];
    js_describe(&r->t, v, found);
    return rd_fail(r, v->at, "%s: expected %s, found %s", path, what, found);
}

/* A time as the writer writes it (time_format_iso: "YYYY-MM-DDTHH:MM:SSZ",
 * with ".mmm" before the Z when the milliseconds are not zero), so that
 * it writes back the same. This runs for two or three values per row,
 * so the text is checked by its shape, not formatted again, and the
 * days of a date come from a small cache (a report's times fall on few
 * days), time_parse() computing them on a miss. */
bool rd_time_exact(struct rd *r, const char *s, size_t n, int64_t *ms)
{
    static const char shape[] = "0000-00-00T00:00:00.000Z";
    if (n != 20 && n != 24)
        return false;
    for (size_t i = 0; i + 1 < n; i++) {
        bool digit = s[i] >= '0' && s[i] <= '9';
        if (shape[i] == '0' ? !digit : s[i] != shape[i])
            return false;
    }
#define D2(p) (((p)[0] - '0') * 10 + (p)[1] - '0')
    int year = D2(s) * 100 + D2(s + 2), month = D2(s + 5), day = D2(s + 8);
    int hour = D2(s + 11), min = D2(s + 14), sec = D2(s + 17);
    int frac = n == 24 ? (s[20] - '0') * 100 + D2(s + 21) : 0;
#undef D2
    if (s[n - 1] != 'Z' || (n == 24 && frac == 0) || hour > 23 || min > 59 || sec > 59)
        return false;
    unsigned slot = (unsigned)(year * 372 + month * 31 + day) % DAY_CACHE;
    if (memcmp(r->day_key[slot], s, 10) != 0) {
        /* time_parse() takes February 29 of any year (and rolls it over). */
        bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        char tmp[TIME_ISO_MAX];
        snprintf(tmp, sizeof tmp, "%.10sT00:00:00Z", s);
        if ((!leap && month == 2 && day == 29) || time_parse(tmp, &r->day_ms[slot]) < 0)
            return false;
        memcpy(r->day_key[slot], s, 10);
    }
    *ms = r->day_ms[slot] + ((int64_t)hour * 3600 + min * 60 + sec) * 1000 + frac;
    return true;
}

/* The value at 'at' must open with 'open' ('{' or '['). */
int rd_expect(struct rd *r, size_t at, char open, const char *path)
{
    if (at < r->t.n && r->t.p[at] == open)
        return 0;
    struct js_val v;
    struct js_err e;
    if (js_value(&r->t, at, &v, &e) < 0)
        return rd_scan_fail(r, &e, path);
    return rd_wrong(r, path, &v, open == '{' ? "an object" : "an array");
}

/* ---- the file ------------------------------------------------------ */

/* A stream (a pipe on standard input) for report_reader_open() and
 * REPORT_READ_SPILL: copied into a nameless temporary file, which is
 * mapped, so that the process does not hold it however long the reader
 * keeps it (read whole, as for a full read, a 1,000,000-image baseline
 * would be 2 GB of the heap; where $TMPDIR is a tmpfs, the copy is in
 * memory all the same), and so that a REPORT_READ_SPILL read that
 * starts over in memory has the bytes again. A temporary file that
 * cannot be made or written is, for REPORT_READ_SPILL, the failure of
 * the store's files (-2, exit 4); for a baseline, a read error. */
static int spool(struct rd *r, int in, bool std)
{
    const char *dir;
    int fd = tmpfile_open("report", &dir);
    int rc = 0;
    bool store = r->flags & REPORT_READ_SPILL;
    if (fd < 0) {
        diags_add(r->d, DIAG_ERROR, r->name, 0, 0, 0, NULL, "cannot create a temporary file "
                  "in %s to read it into: %s", dir, strerror(errno));
        r->store_failed = store;
        rc = -1;
    }
    char chunk[65536];
    size_t size = 0;
    while (rc == 0) {
        ssize_t n = read(in, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            diags_add(r->d, DIAG_ERROR, r->name, 0, 0, 0, NULL, "cannot read: %s",
                      strerror(errno));
            rc = -1;
        } else if (n == 0) {
            break;
        }
        if (rc == 0 && write_pieces_fd(fd, chunk, (size_t)n) < 0) {
            diags_add(r->d, DIAG_ERROR, r->name, 0, 0, 0, NULL, "cannot write a temporary "
                      "file in %s to read it into: %s", dir, strerror(errno));
            r->store_failed = store;
            rc = -1;
        }
        size += (size_t)n;
    }
    if (!std)
        close(in);
    if (rc == 0 && size > 0) {
        void *p = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            diags_add(r->d, DIAG_ERROR, r->name, 0, 0, 0, NULL, "cannot map: %s",
                      strerror(errno));
            rc = -1;
        } else {
            r->map = p;
            r->t.p = p;
            r->t.n = size;
            r->fd = fd;
            fstat(fd, &r->st);
            return 0;
        }
    }
    if (fd >= 0)
        close(fd);
    if (rc == 0)
        r->t.p = "";        /* empty: "is empty, not an imgaudit JSON report" */
    return rc;
}

static int open_text(struct rd *r, const char *path)
{
    bool std = strcmp(path, "-") == 0;
    int fd = std ? STDIN_FILENO : open(path, O_RDONLY);
    if (fd < 0) {
        diags_add(r->d, DIAG_ERROR, r->name, 0, 0, 0, NULL, "cannot open: %s", strerror(errno));
        return -1;
    }
    /* Standard input redirected from a file is mapped too, when the
     * shell left it at its start. */
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (!std || lseek(fd, 0, SEEK_CUR) == 0)) {
        void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        int mfd = std && p != MAP_FAILED ? dup(fd) : fd;     /* stdin stays open */
        if (p != MAP_FAILED && mfd >= 0) {
            r->map = p;
            r->t.p = p;
            r->t.n = (size_t)st.st_size;
            r->fd = mfd;
            r->st = st;
            return 0;
        }
        if (p != MAP_FAILED)
            munmap(p, (size_t)st.st_size);
    }
    if (r->spool)
        return spool(r, fd, std);
    /* Not mappable (a pipe, an empty file): read it whole. */
    struct buf b = BUF_INIT;
    char chunk[65536];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof chunk)) > 0)
        buf_append(&b, chunk, (size_t)n);
    int err = errno;
    if (!std)
        close(fd);
    if (n < 0) {
        buf_dispose(&b);
        diags_add(r->d, DIAG_ERROR, r->name, 0, 0, 0, NULL, "cannot read: %s", strerror(err));
        return -1;
    }
    r->t.n = b.len;
    r->heap = buf_detach(&b);
    r->t.p = r->heap;
    return 0;
}

/* Hand the text open_text() opened in 'from' (mapping, descriptor,
 * heap copy) over to 'to', which disposes of it from then on. */
static void take_text(struct rd *to, struct rd *from)
{
    to->t = from->t;
    to->fd = from->fd;
    to->st = from->st;
    to->map = from->map;
    to->heap = from->heap;
    from->map = NULL;
    from->heap = NULL;
    from->fd = -1;
}

/* Hash the text up to 'upto' (when hashing), from where it stopped. */
static void hash_to(struct rd *r, size_t upto)
{
    if (r->hashing && upto > r->hashed) {
        sha256_update(&r->sha, r->t.p + r->hashed, upto - r->hashed);
        r->hashed = upto;
    }
}

/* Map the pages up to 'upto' in at once (one call rather than a page
 * fault per 64 KiB). */
static void populate_to(struct rd *r, size_t upto)
{
#ifdef MADV_POPULATE_READ
    upto = upto < r->t.n ? upto : r->t.n;
    if (upto <= r->populated)
        return;
    size_t a = r->populated / r->page * r->page;
    madvise((char *)r->map + a, upto - a, MADV_POPULATE_READ);   /* a hint: errors do not matter */
    r->populated = upto;
#else
    (void)r;
    (void)upto;
#endif
}

/* Map in the pages of 'n' bytes of zeroed memory at 'p' (a calloc'ed
 * array) writable at once: one call instead of a fault per page as a
 * baseline's images are filled in (nearly every page is: most images
 * have findings). It was about 10% of reading a 100,000-image baseline
 * when each image was read before it was written (two faults a page);
 * with has_cells, 0.29 against 0.32 s of CPU, median of 11. */
static void populate_write(const struct rd *r, void *p, size_t n)
{
#ifdef MADV_POPULATE_WRITE
    uintptr_t a = ((uintptr_t)p + r->page - 1) / r->page * r->page;
    uintptr_t b = ((uintptr_t)p + n) / r->page * r->page;
    if (b > a)
        madvise((void *)a, b - a, MADV_POPULATE_WRITE);     /* a hint: errors do not matter */
#else
    (void)r;
    (void)p;
    (void)n;
#endif
}

/* A big section is being read from 'at' on. */
static void advance_begin(struct rd *r, size_t at)
{
    r->drop_from = r->populated = at;
    if (r->map)
        populate_to(r, at + 2 * DROP_STEP);
}

/* The reader is at 'pos': give back the pages behind it (read, and not
 * needed again unless for a message, when they are read again from the
 * file) and map in those ahead, a step at a time. */
static void advance(struct rd *r, size_t pos)
{
    if (pos >= r->hashed + HASH_STEP)
        hash_to(r, pos);
    if (!r->map || pos < r->drop_from + DROP_STEP)
        return;
    size_t a = r->drop_from / r->page * r->page, b = pos / r->page * r->page;
    hash_to(r, b);
    if (b > a)
        madvise((char *)r->map + a, b - a, MADV_DONTNEED);
    r->drop_from = b;
    populate_to(r, pos + 2 * DROP_STEP);
}
/* The reader jumps from where it is to 'to' (the finding index): what it
 * jumped over is still hashed, when hashing, a step at a time with its
 * pages given back, as if read. */
static int jump(struct rd *r, size_t to)
{
    if (r->hashing)
        for (size_t p = r->hashed; p < to;) {
            p = to - p > DROP_STEP ? p + DROP_STEP : to;
            advance(r, p);
        }
    if (r->map && to > r->drop_from) {
        r->drop_from = to / r->page * r->page;
        r->populated = r->populated > to ? r->populated : to;
    }
    return 0;
}

/* ---- sections ------------------------------------------------------ */

static int read_element(struct rd *r, enum sec s, size_t i, size_t at, size_t *end)
{
    if (s == SEC_INVENTORY || s == SEC_FINDINGS || s == SEC_RESOLVED)
        return rd_read_row(r, s, i, at, end);
    return rd_read_small(r, s, i, at, end);
}

/* Read section 's' whose value starts at 'at'; '*end' is just past it. */
static int read_section(struct rd *r, enum sec s, size_t at, size_t *end)
{
    const char *name = rd_sec_names[s];
    struct js_err e;
    if (s == SEC_SUMMARY)       /* recomputed */
        return js_skip(&r->t, at, end, &e) < 0 ? rd_scan_fail(r, &e, name) : 0;
    if (s == SEC_META)
        return rd_read_meta(r, at, end);
    if (rd_expect(r, at, '[', name) < 0)
        return -1;
    if (s == SEC_INVENTORY && r->flags & REPORT_READ_SPILL && rd_spill_begin(r) < 0)
        return -1;
    if (r->try_index && s == SEC_INVENTORY) {
        int k = rd_index_inventory(r, at, end);
        if (k != 0)
            return k < 0 ? -1 : jump(r, *end);
    }
    if (r->ix.used && s == SEC_FINDINGS)
        return rd_index_findings(r, at, end) < 0 ? -1 : jump(r, *end);
    r->cap = 0;
    if (s == SEC_RESOLVED) {
        resolved_begin(&r->resolved, r->rep);
        r->resolved_open = true;
    }
    struct js_iter it;
    js_array_begin(&r->t, at, &it, &e);
    advance_begin(r, at);
    size_t i = 0;
    for (;; i++) {
        size_t el;
        int k = js_array_next(&r->t, &it, &el, &e);
        if (k < 0)
            return rd_scan_fail(r, &e, name);
        if (k == 0)
            break;
        if (read_element(r, s, i, el, &it.pos) < 0)
            return -1;
        advance(r, it.pos);
    }
    *end = it.pos;
    if (s == SEC_INVENTORY) {
        r->n_inventory = i;
        if (r->visit) {
            /* No images: what reader_rows.c must know of each. */
            r->has_cells = xcalloc(i / 64 + 1, sizeof *r->has_cells);
            r->first_at = xmalloc((i + 1) * sizeof *r->first_at);
            r->cells_hash = xmalloc((i + 1) * sizeof *r->cells_hash);
        } else if (r->flags & REPORT_READ_NO_INVENTORY) {
            r->rep->images = xcalloc(i, sizeof *r->rep->images);
            r->rep->n_images = r->rep->cap_images = i;
            populate_write(r, r->rep->images, i * sizeof *r->rep->images);
            r->has_cells = xcalloc(i / 64 + 1, sizeof *r->has_cells);
        }
    }
    return 0;
}
/* ---- the top level ------------------------------------------------- */

static int not_a_report(struct rd *r, size_t at, const char *why)
{
    return rd_fail(r, at, "is not a JSON report written by imgaudit (%s; pass a report written with -o FILE.json)", why);
}

/* "schema" and "schema_version", once both are known. */
static int check_schema(struct rd *r)
{
    const struct js_val *s = &r->schema, *v = &r->version;
    if (s->kind != JS_STR || !js_str_eq(s, "imgaudit-report", 15, &r->scratch)) {
        char found[64], why[128];
        js_describe(&r->t, s, found);
        snprintf(why, sizeof why, "its \"schema\" is %s, not \"imgaudit-report\"", found);
        return not_a_report(r, s->at, why);
    }
    if (v->kind == JS_ABSENT)
        return 0;
    if (v->kind != JS_INT)
        return rd_wrong(r, "schema_version", v, "an integer");
    if (v->i < REPORT_SCHEMA_VERSION_MIN)
        return rd_fail(r, v->at, "report schema version %" PRId64 " is not supported (this "
                       "imgaudit reads versions %d to %d; version 1 reports have no "
                       "first-seen dates: make a new report from the same data with this "
                       "version)", v->i, REPORT_SCHEMA_VERSION_MIN, REPORT_SCHEMA_VERSION);
    if (v->i > REPORT_SCHEMA_VERSION)
        return rd_fail(r, v->at, "report schema version %" PRId64 " is not supported (this "
                       "imgaudit reads versions %d to %d; a newer imgaudit wrote it: read "
                       "it with that version)", v->i, REPORT_SCHEMA_VERSION_MIN,
                       REPORT_SCHEMA_VERSION);
    /* Sources came within version 4: an older report waits for none. A
     * version 4 one without them has its findings read after the walk. */
    if (v->i < 4)
        r->done |= BIT(SEC_SOURCES);
    r->schema_ok = true;
    return 0;
}

static bool ready(const struct rd *r, enum sec s)
{
    return r->schema_ok && (sec_needs[s] & ~r->done) == 0;
}

static int top_member(struct rd *r, const struct js_val *key, size_t at, size_t *end)
{
    struct js_err e;
    bool is_schema = js_key_is(key, "schema", &r->scratch);
    if (is_schema || js_key_is(key, "schema_version", &r->scratch)) {
        struct js_val *slot = is_schema ? &r->schema : &r->version;
        if (slot->kind != JS_ABSENT)
            return rd_fail(r, key->at, "\"%s\" is given twice",
                           is_schema ? "schema" : "schema_version");
        if (js_value(&r->t, at, slot, &e) < 0)
            return rd_scan_fail(r, &e, is_schema ? "schema" : "schema_version");
        *end = slot->end;
        return r->schema.kind != JS_ABSENT ? check_schema(r) : 0;
    }
    for (int s = 0; s < SEC_COUNT; s++) {
        if (!js_key_is(key, rd_sec_names[s], &r->scratch))
            continue;
        if (r->seen[s])
            return rd_fail(r, key->at, "\"%s\" is given twice", rd_sec_names[s]);
        r->seen[s] = true;
        r->sec_at[s] = at;
        if (!ready(r, (enum sec)s))
            break;
        if (read_section(r, (enum sec)s, at, end) < 0)
            return -1;
        r->done |= BIT(s);
        return 0;
    }
    if (rd_index_skip(r, at, end))     /* read with the findings */
        return 0;
    /* Not (yet) read: an unknown member, or a section for later. */
    return js_skip(&r->t, at, end, &e) < 0 ? rd_scan_fail(r, &e, NULL) : 0;
}

static int walk(struct rd *r)
{
    const struct js_text *t = &r->t;
    size_t at = js_ws(t, t->n >= 3 && memcmp(t->p, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0);
    if (at >= t->n)
        return rd_fail(r, at, "is empty, not an imgaudit JSON report");
    char c = t->p[at];
    if (c != '{') {
        struct js_val v;
        struct js_err e;
        const char *kind = c == '[' ? "an array" : c == '"' ? "a string"
                         : js_value(t, at, &v, &e) == 0 ? kind_words(v.kind) : NULL;
        if (kind) {
            char why[64];
            snprintf(why, sizeof why, "it is JSON, but %s, not an object", kind);
            return not_a_report(r, at, why);
        }
        char found[16];
        if (c >= 0x20 && c < 0x7f)
            snprintf(found, sizeof found, "'%c'", c);
        else
            snprintf(found, sizeof found, "byte 0x%02x", (unsigned char)c);
        return rd_fail(r, at, "is not JSON (it starts with %s; a JSON report starts with '{')",
                       found);
    }
    r->top = at;
    struct js_iter it;
    struct js_err e;
    js_object_begin(t, at, &it, &e);
    for (;;) {
        struct js_val key;
        size_t v;
        int k = js_object_next(t, &it, &key, &v, &e);
        if (k < 0)
            return rd_scan_fail(r, &e, NULL);
        if (k == 0)
            break;
        if (top_member(r, &key, v, &it.pos) < 0)
            return -1;
    }
    /* Not a report first: JSON Lines, say, is one object and more. */
    if (r->schema.kind == JS_ABSENT)
        return not_a_report(r, r->top, "it has no \"schema\": \"imgaudit-report\"");
    size_t after = js_ws(t, it.pos);
    if (after < t->n)
        return rd_fail(r, after, "invalid JSON: more after the report's closing '}'");
    if (r->version.kind == JS_ABSENT)
        return rd_fail(r, r->top, "has no \"schema_version\"");
    for (int s = 0; s < SEC_COUNT; s++) {
        if (!r->seen[s]) {
            /* Recomputed; added within version 4 (merged reports). */
            if (s == SEC_SUMMARY || s == SEC_SOURCES)
                continue;
            return rd_fail(r, r->top, "has no \"%s\"", rd_sec_names[s]);
        }
        size_t end;
        if (!(r->done & BIT(s)) && read_section(r, (enum sec)s, r->sec_at[s], &end) < 0)
            return -1;
        r->done |= BIT(s);
    }
    return 0;
}
/* A random 64-bit seed (struct rd's 'seed'); without getrandom(), the
 * time, the process and an address, which no file can know either. */
static uint64_t hash_seed(void)
{
    uint64_t s;
    if (getrandom(&s, sizeof s, GRND_NONBLOCK) == (ssize_t)sizeof s)
        return s;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return idhash(IDHASH_SEED ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30),
                  &(uint64_t){(uint64_t)getpid() ^ (uint64_t)(uintptr_t)&s}, sizeof(uint64_t));
}

static void rd_init(struct rd *r, struct report *rep, const char *path, unsigned flags,
                    struct diags *d)
{
    memset(r, 0, sizeof *r);
    r->rep = rep;
    r->strings = &rep->text;
    r->flags = flags;
    r->spool = flags & REPORT_READ_SPILL;   /* a pipe: to a file, to be read again */
    r->d = d;
    r->name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    r->page = (size_t)sysconf(_SC_PAGESIZE);
    r->fd = -1;
    r->seed = hash_seed();
    r->last_rule = -1;
    idtable_init(&r->rule_ids, 64);
    idtable_init(&r->waiver_ids, 16);
    for (int c = 0; c < FC_COUNT; c++)
        r->finding_names[c] = fcol_defs[c].name;
    r->finding_names[K_IMAGE_INDEX] = "image_index";
    r->finding_names[K_WAIVERS] = "waivers";
    r->image_names[K_INDEX] = "index";
    for (int f = 0; f < FIELD_COUNT; f++)
        r->image_names[K_FIELD0 + f] = report_field_key((enum field_id)f);
    r->image_names[K_FINDINGS] = "findings";
    r->image_names[K_MAX_SEV] = "max_severity";
    r->image_names[K_SOURCE] = "source";
    js_keys_init(&r->finding_keys, r->finding_names, FINDING_KEYS);
    js_keys_init(&r->image_keys, r->image_names, IMAGE_KEYS);
}

static void rd_dispose(struct rd *r)
{
    if (r->map)
        munmap(r->map, r->t.n);
    if (r->fd >= 0)
        close(r->fd);
    free(r->heap);
    if (r->resolved_open)
        resolved_end(&r->resolved);
    idtable_dispose(&r->rule_ids);
    idtable_dispose(&r->waiver_ids);
    free(r->waiver_state);
    free(r->waiver_at);
    free(r->has_cells);
    free(r->first_at);
    free(r->cells_hash);
    free(r->img_source);
    rd_spill_free(r->sp);
    arena_dispose(&r->row_text);
    js_keys_dispose(&r->finding_keys);
    js_keys_dispose(&r->image_keys);
    buf_dispose(&r->scratch);
    buf_dispose(&r->text);
    buf_dispose(&r->text2);
}

/* The whole read of an initialised 'r' whose text is open: the walk,
 * the hash, the checks of what the model computes. */
static int read_report(struct rd *r, struct report_read_info *info)
{
    struct report *rep = r->rep;
    int rc = 0;
    if (info) {
        sha256_init(&r->sha);
        r->hashing = true;
    }
    if (r->try_index)
        rd_index_tail(r);
    if (rc == 0)
        rc = walk(r);
    if (r->hashing) {
        if (rc == 0)
            hash_to(r, r->t.n);
        sha256_final_hex(&r->sha, info->sha256);
    }
    for (size_t i = 0; rc == 0 && i < rep->n_images; i++)
        if (rep->images[i].source && rep->images[i].source >= rep->n_sources)
            rc = rd_fail(r, r->top, "inventory[%zu].source %" PRIu32 " is not among the "
                         "report's %zu sources", i, rep->images[i].source, rep->n_sources);
    if (rc == 0 && r->sp)
        rc = rd_spill_end(r);
    if (rc == 0) {
        if (r->visit) {
            rep->counted = true;        /* as the rows went by (reader_rows.c) */
            rep->summary.images = r->n_inventory;
        }
        if (r->flags & REPORT_READ_NO_INVENTORY)
            report_finish_unwritten(rep);
        else
            report_finish(rep);
        rc = rd_check_computed(r);
    }
    return rc;
}

int report_read_json_info(struct report *rep, const char *path, unsigned flags,
                          struct report_read_info *info, struct diags *d)
{
    assert(!(flags & REPORT_READ_SPILL) || !(flags & REPORT_READ_NO_INVENTORY));
    struct rd r;
    rd_init(&r, rep, path, flags, d);
    int rc = open_text(&r, path);
    if (rc == 0)
        rc = read_report(&r, info);
    if (rc < 0 && r.sp && r.sp->unordered) {
        /* Findings out of report order (a file edited by hand, say):
         * the store cannot take them as they come. The same bytes are
         * read again, into memory, where report_finish() sorts them. */
        struct rd again;
        report_dispose(rep);
        report_init(rep);
        rd_init(&again, rep, path, flags & ~(unsigned)REPORT_READ_SPILL, d);
        take_text(&again, &r);
        rc = read_report(&again, info);
        rd_dispose(&again);
    }
    if (r.store_failed)
        rc = -2;
    rd_dispose(&r);
    return rc;
}

struct report_reader {
    struct rd r;
    char *name;                 /* r.name's, which must outlive the caller's */
};

int report_reader_open(struct report_reader **out, struct report *rep, const char *path,
                       unsigned flags, report_row_fn fn, void *ctx,
                       struct report_read_info *info, struct diags *d)
{
    struct report_reader *rr = xmalloc(sizeof *rr);
    *out = NULL;
    rd_init(&rr->r, rep, path, REPORT_READ_NO_INVENTORY, d);
    rr->name = xstrdup(rr->r.name);
    rr->r.name = rr->name;
    rr->r.visit = fn;
    rr->r.visit_ctx = ctx;
    rr->r.spool = true;
    rr->r.try_index = !(flags & REPORT_OPEN_NO_INDEX);
    if (open_text(&rr->r, path) < 0 || read_report(&rr->r, info) < 0) {
        report_reader_close(rr);
        return -1;
    }
    /* Only the walk needed these; a row read again gives its own cells. */
    free(rr->r.has_cells);
    free(rr->r.first_at);
    free(rr->r.cells_hash);
    rr->r.has_cells = NULL;
    rr->r.first_at = NULL;
    rr->r.cells_hash = NULL;
    rr->r.drop_from = 0;
    rr->r.reread_stretch = SIZE_MAX;
    rr->r.d = NULL;
    *out = rr;
    return 0;
}

/* Has the mapped file been changed since it was opened? A page given
 * back is read from the file again: a file truncated since would kill
 * the process (SIGBUS), a file rewritten would give another row. */
static bool changed(const struct rd *r)
{
    struct stat now;
    if (!r->map)
        return false;
    return fstat(r->fd, &now) != 0 || now.st_size != r->st.st_size ||
           now.st_mtim.tv_sec != r->st.st_mtim.tv_sec ||
           now.st_mtim.tv_nsec != r->st.st_mtim.tv_nsec;
}

/* Map in stretch 'k' of the file (REREAD_STEP bytes) at once. */
static void populate_stretch(const struct rd *r, size_t k)
{
#ifdef MADV_POPULATE_READ
    size_t a = k * REREAD_STEP, b = a + REREAD_STEP < r->t.n ? a + REREAD_STEP : r->t.n;
    if (r->map && b > a)
        madvise((char *)r->map + a, b - a, MADV_POPULATE_READ);  /* a hint: errors do not matter */
#else
    (void)r;
    (void)k;
#endif
}

int report_reader_row(struct report_reader *rr, size_t index, size_t at, report_row_fn fn,
                      void *ctx, struct diags *d)
{
    struct rd *r = &rr->r;
    /* Once per stretch of the file, not per row: is it still the file
     * opened, and its pages mapped in at once. A fstat() and a page
     * fault per row were half of reading 4,900 resolved rows again
     * (0.028 s) in a 100,000-image baseline. */
    size_t stretch = at / REREAD_STEP;
    if (stretch != r->reread_stretch) {
        if (changed(r)) {
            diags_add(d, DIAG_ERROR, r->name, 0, 0, 0, NULL, "was changed while imgaudit read "
                      "it (its size or modification time is not what it was): run again once "
                      "nothing writes to it");
            return -1;
        }
        r->reread_stretch = stretch;
        populate_stretch(r, stretch);
    }
    r->d = d;
    r->visit = fn;
    r->visit_ctx = ctx;
    r->rereading = true;
    size_t end;
    if (at < r->drop_from)      /* read from an earlier place again: give back from there */
        r->drop_from = at / r->page * r->page;
    int rc = rd_read_row(r, SEC_FINDINGS, index, at, &end);
    /* Give back the pages behind, as the walk did: read again in file
     * order, the rows of a large report would otherwise all come back. */
    if (r->map && at >= r->drop_from + DROP_STEP) {
        size_t a = r->drop_from / r->page * r->page, b = at / r->page * r->page;
        madvise((char *)r->map + a, b - a, MADV_DONTNEED);
        r->drop_from = b;
    }
    r->d = NULL;
    return rc;
}

bool report_reader_indexed(const struct report_reader *rr)
{
    return rr->r.ix.used;
}

void report_reader_close(struct report_reader *rr)
{
    if (!rr)
        return;
    rd_dispose(&rr->r);
    free(rr->name);
    free(rr);
}

int report_read_json(struct report *rep, const char *path, unsigned flags, struct diags *d)
{
    return report_read_json_info(rep, path, flags, NULL, d);
}

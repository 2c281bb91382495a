/* SPDX-License-Identifier: MIT
 * Images and findings on disk; see spill.h. */
#include "report/spill.h"

#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/atomicfile.h"
#include "util/buf.h"
#include "util/exitcodes.h"
#include "util/tmpfile.h"
#include "util/writepiece.h"
#include "util/xalloc.h"

/* Every file is read through pages copied with pread(), PAGES of them per
 * reader and file, least recently used replaced. Findings, their blobs
 * and the offsets use small pages: some writers read findings out of
 * order. The images file uses large ones: writers go through it once per
 * rule, in image order (findings come rule by rule), and one read of a
 * large page serves every image of a rule in it. Copies, not mapped
 * windows: on this project's VMs a mapped window's pages cost far more
 * at their first touch (mapped anew at every window) than the kernel's
 * copy of them from its page cache (docs/performance.md, "The spill
 * store's images: copied, not mapped"). */
#define PAGE_SIZE_ (16u * 1024)
#define IMAGE_PAGE_SIZE_ (64u * 1024)
#define PAGES 16                    /* cached pages per file */
#define WBUF WRITE_PIECE            /* write buffer per file: one write() */
#define NO_MESSAGE UINT32_MAX

/* ---- files: append through a buffer, read through a page cache ---- */

struct page {
    uint64_t no;                    /* page number, or UINT64_MAX when empty */
    size_t len;
    uint64_t used;                  /* for LRU */
    char *data;                     /* 'size' bytes (pcache), 'len' of them read */
};

struct sfile {
    int fd;
    uint64_t size;                  /* bytes appended */
    char *wbuf;
    size_t wlen;
};

/* The pages of one file that one reader holds. */
struct pcache {
    struct page pages[PAGES];
    uint64_t tick;
    size_t size;                    /* of a page */
    struct page *last;              /* the page read last: most reads are in it */
};

/* A finding on disk; its message and matches are in the blob file. */
struct frec {
    uint32_t rule, image;
    int64_t first_seen;
    int32_t waiver;
    uint8_t status, change;
    uint16_t pad;
    uint32_t n_matches, pad2;
    uint64_t blob;
};

/* A rule's findings from one source, contiguous on disk. */
struct run {
    uint64_t key;                   /* severity, rule rank, source: the order */
    uint32_t source, rule;
    uint64_t start, count, before;  /* first record, how many, findings before it */
};

struct islot {
    struct report_image img;
    size_t index;
    uint64_t used;                  /* last use (tick), 0: empty */
    char *buf;
    size_t cap;
};

/* 'f' first: spill_finding_match() finds the slot from the finding. */
struct fslot {
    struct report_finding f;
    size_t index;
    uint64_t used;                  /* last use (tick), 0: empty */
    char *msg;
    size_t cap;
    uint32_t *matches;
    size_t mcap;
};

/* Everything reading changes: one per reading thread (spill_reader_begin),
 * so that readers share nothing but the files, read with pread. */
struct rcache {
    const struct report_spill *owner;
    struct pcache images, offsets, findings, blob;
    struct islot islots[SPILL_SLOTS];
    struct fslot fslots[SPILL_SLOTS];
    uint64_t itick, ftick;          /* least recently used slot goes first */
    size_t run;                     /* the run of the last finding read */
};

struct report_spill {
    struct sfile images, offsets, findings, blob;
    size_t n_images, n_findings;
    struct run *runs;
    size_t n_runs, cap_runs;
    int err;                        /* first write error (errno) */
    struct rcache cache;            /* of a thread without its own */
    struct buf enc;                 /* scratch for encoding a record */
};

/* This thread's caches, between spill_reader_begin() and _end(): one
 * per store it reads (a report's, and its resolved findings' images). */
#define THREAD_STORES 2
static _Thread_local struct rcache *thread_cache[THREAD_STORES];

static struct rcache *cache_of(struct report_spill *s)
{
    for (int k = 0; k < THREAD_STORES; k++)
        if (thread_cache[k] && thread_cache[k]->owner == s)
            return thread_cache[k];
    return &s->cache;
}

static void pcache_init(struct pcache *pc, size_t size)
{
    pc->size = size;
    pc->last = NULL;
    for (int i = 0; i < PAGES; i++)
        pc->pages[i].no = UINT64_MAX;
}

static void rcache_init(struct rcache *c, const struct report_spill *owner)
{
    memset(c, 0, sizeof *c);
    c->owner = owner;
    pcache_init(&c->images, IMAGE_PAGE_SIZE_);
    pcache_init(&c->offsets, PAGE_SIZE_);
    pcache_init(&c->findings, PAGE_SIZE_);
    pcache_init(&c->blob, PAGE_SIZE_);
}

static void page_drop(struct page *p)
{
    free(p->data);
    p->data = NULL;
    p->len = 0;
    p->no = UINT64_MAX;
}

static void pcache_dispose(struct pcache *pc)
{
    for (int i = 0; i < PAGES; i++)
        page_drop(&pc->pages[i]);
}

static void rcache_dispose(struct rcache *c)
{
    pcache_dispose(&c->images);
    pcache_dispose(&c->offsets);
    pcache_dispose(&c->findings);
    pcache_dispose(&c->blob);
    for (int i = 0; i < SPILL_SLOTS; i++) {
        free(c->islots[i].buf);
        free(c->fslots[i].msg);
        free(c->fslots[i].matches);
    }
}

static int sfile_open(struct sfile *f, struct diags *d)
{
    const char *dir;
    f->fd = tmpfile_open("spill", &dir);    /* nameless: nothing to clean up, ever */
    if (f->fd < 0) {
        diags_error(d, "cannot create a temporary file in %s for the report's images and findings: %s", dir,
                    strerror(errno));
        return -1;
    }
    f->wbuf = xmalloc(WBUF);
    return 0;
}

static void sfile_close(struct sfile *f)
{
    if (f->fd >= 0)
        close(f->fd);
    free(f->wbuf);
}

static void flush_wbuf(struct report_spill *s, struct sfile *f)
{
    if (!s->err && write_pieces_fd(f->fd, f->wbuf, f->wlen) < 0)
        s->err = errno;
    f->wlen = 0;
}

static uint64_t sfile_append(struct report_spill *s, struct sfile *f, const void *p, size_t n)
{
    uint64_t at = f->size;
    const char *c = p;
    while (n) {
        size_t room = WBUF - f->wlen, k = n < room ? n : room;
        memcpy(f->wbuf + f->wlen, c, k);
        f->wlen += k;
        c += k;
        n -= k;
        if (f->wlen == WBUF)
            flush_wbuf(s, f);
    }
    f->size += (uint64_t)(c - (const char *)p);
    return at;
}

/* A read error: the writers cannot recover halfway through a row. */
__attribute__((noreturn)) static void read_failed(int err)
{
    fprintf(stderr, "imgaudit: error: cannot read the report's temporary file: %s\n",
            strerror(err ? err : EIO));
    atomic_cleanup_all();
    _exit(EXIT_DATA);
}

/* A write error while the store is rewritten (spill_update_findings):
 * as fatal as a read error, for the same reason. */
__attribute__((noreturn)) static void write_failed(int err)
{
    fprintf(stderr, "imgaudit: error: cannot write the report's temporary file: %s\n",
            strerror(err ? err : EIO));
    atomic_cleanup_all();
    _exit(EXIT_WRITE);
}

static const struct page *get_page(struct pcache *pc, const struct sfile *f, uint64_t no)
{
    /* Readers go through a file mostly forward: the page of the last
     * read serves most of them, without looking through the others. */
    if (pc->last && pc->last->no == no) {
        pc->last->used = ++pc->tick;
        return pc->last;
    }
    struct page *lru = &pc->pages[0];
    for (int i = 0; i < PAGES; i++) {
        if (pc->pages[i].no == no) {
            pc->pages[i].used = ++pc->tick;
            pc->last = &pc->pages[i];
            return &pc->pages[i];
        }
        if (pc->pages[i].used < lru->used)
            lru = &pc->pages[i];
    }
    if (!lru->data)
        lru->data = xmalloc(pc->size);
    size_t got = 0;
    while (got < pc->size) {
        ssize_t r = pread(f->fd, lru->data + got, pc->size - got, (off_t)(no * pc->size + got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            read_failed(errno);
        if (r == 0)
            break;
        got += (size_t)r;
    }
    lru->no = no;
    lru->len = got;
    lru->used = ++pc->tick;
    pc->last = lru;
    return lru;
}

static void sfile_read(struct pcache *pc, const struct sfile *f, uint64_t off, void *dst,
                       size_t n)
{
    char *o = dst;
    while (n) {
        const struct page *p = get_page(pc, f, off / pc->size);
        size_t in = (size_t)(off % pc->size);
        if (in >= p->len)
            read_failed(EIO);       /* past what was written */
        size_t k = p->len - in < n ? p->len - in : n;
        memcpy(o, p->data + in, k);
        o += k;
        off += k;
        n -= k;
    }
}

/* ---- the store ---- */

struct report_spill *spill_new(struct diags *d)
{
    struct report_spill *s = xcalloc(1, sizeof *s);
    s->images.fd = s->offsets.fd = s->findings.fd = s->blob.fd = -1;
    rcache_init(&s->cache, s);
    if (sfile_open(&s->images, d) < 0 || sfile_open(&s->offsets, d) < 0 ||
        sfile_open(&s->findings, d) < 0 || sfile_open(&s->blob, d) < 0) {
        spill_free(s);
        return NULL;
    }
    return s;
}

void spill_free(struct report_spill *s)
{
    if (!s)
        return;
    sfile_close(&s->images);
    sfile_close(&s->offsets);
    sfile_close(&s->findings);
    sfile_close(&s->blob);
    rcache_dispose(&s->cache);
    free(s->runs);
    buf_dispose(&s->enc);
    free(s);
}

/* Image record: findings, max_severity, source, then per field its
 * state and, when CELL_OK, its value (strings: u32 length, the bytes and
 * a NUL, so that a decoded cell points straight into the record). */
uint32_t spill_add_image(struct report_spill *s, const struct report_image *img)
{
    struct buf *b = &s->enc;
    buf_clear(b);
    int32_t maxsev = img->max_severity;
    buf_append(b, &img->findings, sizeof img->findings);
    buf_append(b, &maxsev, sizeof maxsev);
    buf_append(b, &img->source, sizeof img->source);
    for (int f = 0; f < FIELD_COUNT; f++) {
        const struct rcell *c = &img->c[f];
        buf_append(b, &c->state, 1);
        if (c->state != CELL_OK)
            continue;
        if (field_defs[f].type == FT_STR) {
            uint32_t n = (uint32_t)strlen(c->v.s);
            buf_append(b, &n, sizeof n);
            buf_append(b, c->v.s, n + 1);
        } else if (field_defs[f].type == FT_BOOL) {
            uint8_t v = c->v.b;
            buf_append(b, &v, 1);
        } else {
            buf_append(b, &c->v.i, sizeof c->v.i);
        }
    }
    uint64_t at = sfile_append(s, &s->images, b->data, b->len);
    sfile_append(s, &s->offsets, &at, sizeof at);
    return (uint32_t)s->n_images++;
}

#define IMG_HEADER (sizeof(uint32_t) + sizeof(int32_t) + sizeof(uint32_t))

/* Decode the header and the cells of the fields before 'upto' of the
 * record at 'p' (spill_add_image's layout) into *img; its strings point
 * into the record. */
static void decode_record(const char *p, int upto, struct report_image *img)
{
    int32_t maxsev;
    memcpy(&img->findings, p, sizeof img->findings);
    p += sizeof img->findings;
    memcpy(&maxsev, p, sizeof maxsev);
    p += sizeof maxsev;
    img->max_severity = maxsev;
    memcpy(&img->source, p, sizeof img->source);
    p += sizeof img->source;
    for (int f = 0; f < upto; f++) {
        struct rcell *c = &img->c[f];
        c->state = (unsigned char)*p++;
        if (c->state != CELL_OK)
            continue;
        if (field_defs[f].type == FT_STR) {
            uint32_t len;
            memcpy(&len, p, sizeof len);
            c->v.s = p + sizeof len;
            p += sizeof len + len + 1;
        } else if (field_defs[f].type == FT_BOOL) {
            c->v.b = *p++ != 0;
        } else {
            memcpy(&c->v.i, p, sizeof c->v.i);
            p += sizeof c->v.i;
        }
    }
}

void spill_set_header(char *enc, uint32_t findings, int max_severity, uint32_t source)
{
    int32_t maxsev = max_severity;
    memcpy(enc, &findings, sizeof findings);
    memcpy(enc + sizeof findings, &maxsev, sizeof maxsev);
    memcpy(enc + sizeof findings + sizeof maxsev, &source, sizeof source);
}

/* spill_add_image's layout, written after one growth to an upper bound:
 * the per-field appends and strlen of the report_image path were a
 * tenth of a CSV-only report's CPU. */
size_t spill_encode_record(char **buf, size_t *cap, const struct record *rec, uint64_t keep,
                           size_t at[FIELD_COUNT])
{
    /* At most: every field an integer, every string as long as decoded. */
    size_t need = IMG_HEADER + FIELD_COUNT * (1 + sizeof(int64_t));
    for (int f = 0; f < FIELD_COUNT; f++)
        if (rec->f[f].state == CELL_OK && field_defs[f].type == FT_STR)
            need += sizeof(uint32_t) + rec->f[f].v.s.n + 1;
    XGROW(*buf, *cap, need);
    char *p = *buf;
    spill_set_header(p, 0, -1, 0);
    p += IMG_HEADER;
    for (int f = 0; f < FIELD_COUNT; f++) {
        const struct cell *c = &rec->f[f];
        if (!(keep >> f & 1)) {
            *p++ = (char)CELL_MISSING;
            continue;
        }
        *p++ = (char)c->state;
        if (c->state != CELL_OK)
            continue;
        switch (field_defs[f].type) {
        case FT_STR: {
            /* Decoded from text (rec->text): by the fast decoder, which
             * declines \u0000 (model/fastdecode.h), so there is no NUL
             * to look for; jansson's strings may hold one. */
            const char *nul = rec->text ? NULL : memchr(c->v.s.p, '\0', c->v.s.n);
            uint32_t n = (uint32_t)(nul ? (size_t)(nul - c->v.s.p) : c->v.s.n);
            memcpy(p, &n, sizeof n);
            p += sizeof n;
            at[f] = (size_t)(p - *buf);
            memcpy(p, c->v.s.p, n);
            p[n] = '\0';
            p += n + 1;
            break;
        }
        case FT_BOOL: *p++ = c->v.b ? 1 : 0; break;
        case FT_LIST: {
            int64_t n = (int64_t)c->v.list.n;   /* the association count */
            memcpy(p, &n, sizeof n);
            p += sizeof n;
            break;
        }
        default:
            memcpy(p, &c->v.i, sizeof c->v.i);
            p += sizeof c->v.i;
            break;
        }
    }
    return (size_t)(p - *buf);
}

/* The bytes of field f's cell at p: its state, and its value when
 * CELL_OK (spill_encode_record's layout). */
static size_t cell_size(const char *p, int f)
{
    if ((unsigned char)*p != CELL_OK)
        return 1;
    switch (field_defs[f].type) {
    case FT_STR: {
        uint32_t len;
        memcpy(&len, p + 1, sizeof len);
        return 1 + sizeof len + len + 1;
    }
    case FT_BOOL: return 2;
    default: return 1 + sizeof(int64_t);    /* integers, times, a list's count */
    }
}

size_t spill_keep_fields(char *enc, size_t len, uint64_t keep)
{
    const char *p = enc + IMG_HEADER;
    char *q = enc + IMG_HEADER;             /* read at p, written at q <= p */
    for (int f = 0; f < FIELD_COUNT; f++) {
        size_t n = cell_size(p, f);
        if (keep >> f & 1) {
            memmove(q, p, n);
            q += n;
        } else {
            *q++ = (char)CELL_MISSING;
        }
        p += n;
    }
    assert((size_t)(p - enc) == len);
    (void)len;
    return (size_t)(q - enc);
}

uint32_t spill_add_encoded(struct report_spill *s, const char *enc, size_t len)
{
    uint64_t at = sfile_append(s, &s->images, enc, len);
    sfile_append(s, &s->offsets, &at, sizeof at);
    return (uint32_t)s->n_images++;
}

void spill_add_finding(struct report_spill *s, uint32_t source, const struct report_finding *fi,
                       const char *message, const uint32_t *matches, uint32_t n_matches)
{
    uint32_t len = message ? (uint32_t)strlen(message) : NO_MESSAGE;
    struct frec r = {fi->rule, fi->image, fi->first_seen_ms, fi->waiver, fi->status, fi->change,
                     0, n_matches, 0, s->blob.size};
    sfile_append(s, &s->blob, &len, sizeof len);
    if (message)
        sfile_append(s, &s->blob, message, len + 1);
    if (n_matches)
        sfile_append(s, &s->blob, matches, n_matches * sizeof *matches);
    uint64_t rec = s->findings.size / sizeof r;
    sfile_append(s, &s->findings, &r, sizeof r);
    struct run *last = s->n_runs ? &s->runs[s->n_runs - 1] : NULL;
    if (last && last->source == source && last->rule == fi->rule &&
        last->start + last->count == rec) {
        last->count++;
    } else {
        XGROW(s->runs, s->cap_runs, s->n_runs + 1);
        s->runs[s->n_runs++] = (struct run){0, source, fi->rule, rec, 1, 0};
    }
    s->n_findings++;
}

/* 'n' bytes at 'off' of file 'fd', read or written whole. */
static void pread_all(int fd, void *p, size_t n, uint64_t off)
{
    for (size_t got = 0; got < n;) {
        ssize_t r = pread(fd, (char *)p + got, n - got, (off_t)(off + got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            read_failed(r < 0 ? errno : EIO);
        got += (size_t)r;
    }
}

static void pwrite_all(int fd, const void *p, size_t n, uint64_t off)
{
    for (size_t put = 0; put < n;) {
        ssize_t w = pwrite(fd, (const char *)p + put, n - put, (off_t)(off + put));
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            write_failed(w < 0 ? errno : EIO);
        put += (size_t)w;
    }
}

/* Images i to i + k - 1 read whole, past the reader's caches: their
 * offsets into off[0 .. k] (off[k]: where the next one starts), their
 * records into *data (grown as needed; *cap its size), image i + j's at
 * *data + (off[j] - off[0]). Returns their bytes. */
static size_t read_images(const struct report_spill *s, size_t i, size_t k, uint64_t *off,
                          char **data, size_t *cap)
{
    bool last = i + k == s->n_images;
    pread_all(s->offsets.fd, off, (k + !last) * sizeof *off, (uint64_t)i * sizeof *off);
    if (last)
        off[k] = s->images.size;
    size_t bytes = (size_t)(off[k] - off[0]);
    XGROW(*data, *cap, bytes);
    pread_all(s->images.fd, *data, bytes, off[0]);
    return bytes;
}

void spill_set_image_counts(struct report_spill *s, const uint32_t *findings,
                            const int8_t *max_severity)
{
    enum { BLOCK = 4096 };          /* images read, changed and written back at once */
    flush_wbuf(s, &s->images);
    flush_wbuf(s, &s->offsets);
    if (s->err)
        return;                     /* spill_finish says so */
    uint64_t *off = xmalloc((BLOCK + 1) * sizeof *off);
    char *data = NULL;
    size_t cap = 0;
    for (size_t i = 0; i < s->n_images; i += BLOCK) {
        size_t k = s->n_images - i < BLOCK ? s->n_images - i : BLOCK;
        size_t bytes = read_images(s, i, k, off, &data, &cap);
        for (size_t j = 0; j < k; j++) {
            char *h = data + (off[j] - off[0]);
            uint32_t source;
            memcpy(&source, h + sizeof(uint32_t) + sizeof(int32_t), sizeof source);
            spill_set_header(h, findings[i + j], max_severity[i + j], source);
        }
        pwrite_all(s->images.fd, data, bytes, off[0]);
    }
    free(data);
    free(off);
    /* Pages and images read before are stale now (as in
     * spill_update_findings). */
    pcache_init(&s->cache.images, s->cache.images.size);    /* keeps the buffers */
    for (int i = 0; i < SPILL_SLOTS; i++)
        s->cache.islots[i].used = 0;
}

static int cmp_run(const void *a, const void *b)
{
    uint64_t x = ((const struct run *)a)->key, y = ((const struct run *)b)->key;
    return (x > y) - (x < y);
}

int spill_finish(struct report_spill *s, const struct report *rep, struct diags *d)
{
    flush_wbuf(s, &s->images);
    flush_wbuf(s, &s->offsets);
    flush_wbuf(s, &s->findings);
    flush_wbuf(s, &s->blob);
    if (s->err) {
        diags_error(d, "cannot write the report's temporary files in %s: %s",
                    tmpfile_dir(),
                    strerror(s->err));
        return -1;
    }
    /* The same key as report_finish's sort, with the source for the
     * image: a source's images come after the previous source's. */
    uint64_t *rkey = report_rule_keys(rep);
    for (size_t i = 0; i < s->n_runs; i++)
        s->runs[i].key = rkey[s->runs[i].rule] | s->runs[i].source;
    if (s->n_runs)              /* qsort(NULL, 0) is undefined */
        qsort(s->runs, s->n_runs, sizeof *s->runs, cmp_run);
    uint64_t before = 0;
    for (size_t i = 0; i < s->n_runs; i++) {
        s->runs[i].before = before;
        before += s->runs[i].count;
    }
    free(rkey);
    return 0;
}

size_t spill_image_count(const struct report_spill *s)
{
    return s->n_images;
}

size_t spill_finding_count(const struct report_spill *s)
{
    return s->n_findings;
}

const struct report_image *spill_image(struct report_spill *s, size_t i)
{
    /* Least recently used, not round robin: a pointer that was just
     * returned again (a hit) must not be the next one replaced. */
    struct rcache *rc = cache_of(s);
    struct islot *slot = &rc->islots[0];
    for (int k = 0; k < SPILL_SLOTS; k++) {
        if (rc->islots[k].used && rc->islots[k].index == i) {
            rc->islots[k].used = ++rc->itick;
            return &rc->islots[k].img;
        }
        if (rc->islots[k].used < slot->used)
            slot = &rc->islots[k];
    }
    uint64_t off[2];                /* where it starts, and the next one */
    bool last = i + 1 == s->n_images;
    sfile_read(&rc->offsets, &s->offsets, (uint64_t)i * sizeof *off, off,
               (last ? 1 : 2) * sizeof *off);
    uint64_t at = off[0], end = last ? s->images.size : off[1];
    size_t n = (size_t)(end - at);
    XGROW(slot->buf, slot->cap, n);
    sfile_read(&rc->images, &s->images, at, slot->buf, n);
    struct report_image *img = &slot->img;
    memset(img, 0, sizeof *img);
    decode_record(slot->buf, FIELD_COUNT, img);
    slot->index = i;
    slot->used = ++rc->itick;
    return img;
}

void spill_image_heads(struct report_spill *s, size_t from, size_t to, int upto,
                       void (*fn)(void *ctx, size_t i, const struct report_image *img),
                       void *ctx)
{
    /* Blocks of records that stay in the CPU's cache while decoded. */
    enum { BLOCK = 1024 };
    uint64_t *off = xmalloc((BLOCK + 1) * sizeof *off);
    char *data = NULL;
    size_t cap = 0;
    struct report_image img;
    memset(&img, 0, sizeof img);
    for (size_t i = from; i < to; i += BLOCK) {
        size_t k = to - i < BLOCK ? to - i : BLOCK;
        read_images(s, i, k, off, &data, &cap);
        for (size_t j = 0; j < k; j++) {
            decode_record(data + (off[j] - off[0]), upto, &img);
            fn(ctx, i + j, &img);
        }
    }
    free(data);
    free(off);
}

const struct report_finding *spill_finding(struct report_spill *s, size_t i)
{
    struct rcache *rc = cache_of(s);
    struct fslot *slot = &rc->fslots[0];
    for (int k = 0; k < SPILL_SLOTS; k++) {
        if (rc->fslots[k].used && rc->fslots[k].index == i) {
            rc->fslots[k].used = ++rc->ftick;
            return &rc->fslots[k].f;
        }
        if (rc->fslots[k].used < slot->used)
            slot = &rc->fslots[k];
    }
    /* The run holding finding i: the last one that starts at or before
     * it; mostly the run of the finding read before. */
    const struct run *run = rc->run < s->n_runs ? &s->runs[rc->run] : NULL;
    if (!run || i < run->before || i - run->before >= run->count) {
        size_t lo = 0, hi = s->n_runs;
        while (hi - lo > 1) {
            size_t mid = lo + (hi - lo) / 2;
            if (s->runs[mid].before <= i)
                lo = mid;
            else
                hi = mid;
        }
        rc->run = lo;
        run = &s->runs[lo];
    }
    struct frec r;
    sfile_read(&rc->findings, &s->findings, (run->start + (i - run->before)) * sizeof r, &r,
               sizeof r);
    uint32_t len;
    sfile_read(&rc->blob, &s->blob, r.blob, &len, sizeof len);
    uint64_t at = r.blob + sizeof len;
    slot->f = (struct report_finding){.rule = r.rule, .image = r.image, .message = NULL,
                                      .first_seen_ms = r.first_seen, .waiver = r.waiver,
                                      .matches = 0, .n_matches = r.n_matches,
                                      .status = r.status, .change = r.change};
    if (len != NO_MESSAGE) {
        XGROW(slot->msg, slot->cap, (size_t)len + 1);
        sfile_read(&rc->blob, &s->blob, at, slot->msg, (size_t)len + 1);
        slot->f.message = slot->msg;
        at += (uint64_t)len + 1;
    }
    if (r.n_matches) {
        XGROW(slot->matches, slot->mcap, r.n_matches);
        sfile_read(&rc->blob, &s->blob, at, slot->matches, r.n_matches * sizeof *slot->matches);
    }
    slot->index = i;
    slot->used = ++rc->ftick;
    return &slot->f;
}

uint32_t spill_finding_match(const struct report_finding *fi, uint32_t k)
{
    const struct fslot *slot = (const struct fslot *)(const void *)fi;
    return slot->matches[k];
}

void spill_update_findings(struct report_spill *s,
                           void (*fn)(void *ctx, struct report_finding *fi), void *ctx)
{
    enum { BLOCK = 4096 };          /* records read, changed and written back at once */
    struct frec *v = xmalloc(BLOCK * sizeof *v);
    uint64_t n = s->findings.size / sizeof *v;
    for (uint64_t at = 0; at < n; at += BLOCK) {
        size_t k = n - at < BLOCK ? (size_t)(n - at) : BLOCK, bytes = k * sizeof *v;
        uint64_t off = at * sizeof *v;
        pread_all(s->findings.fd, v, bytes, off);
        for (size_t i = 0; i < k; i++) {
            struct report_finding f = {.rule = v[i].rule, .image = v[i].image,
                                       .first_seen_ms = v[i].first_seen, .waiver = v[i].waiver,
                                       .n_matches = v[i].n_matches, .status = v[i].status,
                                       .change = v[i].change};
            fn(ctx, &f);
            v[i].first_seen = f.first_seen_ms;
            v[i].change = f.change;
        }
        pwrite_all(s->findings.fd, v, bytes, off);
    }
    free(v);
    /* What was read before is stale now (no reader of its own may be
     * open while the store is rewritten: spill_reader_begin). */
    pcache_init(&s->cache.findings, PAGE_SIZE_);    /* keeps the buffers */
    for (int i = 0; i < SPILL_SLOTS; i++)
        s->cache.fslots[i].used = 0;
}

void spill_reader_begin(struct report_spill *s)
{
    int k = 0;
    while (k < THREAD_STORES && thread_cache[k])
        k++;
    assert(k < THREAD_STORES);      /* spill.h: at most two stores at once */
    struct rcache *c = xmalloc(sizeof *c);
    rcache_init(c, s);
    thread_cache[k] = c;
}

void spill_reader_end(void)
{
    for (int k = 0; k < THREAD_STORES; k++) {
        if (!thread_cache[k])
            continue;
        rcache_dispose(thread_cache[k]);
        free(thread_cache[k]);
        thread_cache[k] = NULL;
    }
}

/* SPDX-License-Identifier: MIT
 * See distinct.h.
 *
 * Partitioned numbering: value i goes, with i, to the partition its hash
 * picks, and the partition's number to a stream of one uint16 per
 * value. Equal values land in one partition, so each partition finds
 * the first occurrence of each of its values alone, reading its file in
 * order with a table of its distinct values only; it marks those values
 * in a bitmap of all n and writes, for each of its values, the index of
 * that value's first occurrence to its own region of one file. An entry's
 * number is the count of first occurrences before it (bitrank), so
 * distinct_next() reads the next partition number from the stream and
 * the next first-occurrence index from that partition's region: both in
 * order, through small buffers. */
#include "render/distinct.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/arena.h"
#include "util/bitrank.h"
#include "util/strtab.h"
#include "util/tmpfile.h"
#include "util/xalloc.h"

#define PART_VALUES 65536
#define MAX_PARTS 256
#define CURSOR_WORDS 512
#define MISSING_LEN UINT32_MAX

struct cursor {                 /* one partition's region of 'mins' */
    uint64_t at, end;           /* next and end index in the file, in uint64s */
    uint64_t buf[CURSOR_WORDS];
    size_t have, used;
};

struct distinct {
    size_t n, added, next, count;
    struct bitrank first;
    int err;                    /* first I/O error (errno) */
    /* in memory */
    struct strtab tab;
    struct arena text;
    size_t missing;             /* entry number of NULL, or SIZE_MAX */
    /* on disk */
    size_t parts;
    FILE **part;                /* value records: uint64 i, uint32 len, bytes */
    uint64_t *part_n;
    FILE *ids;                  /* uint16 partition per value */
    FILE *mins;                 /* uint64 first occurrence per value, by partition */
    struct cursor *cur;
};

FILE *distinct_tmpfile(const char *tag)
{
    int fd = tmpfile_open(tag, NULL);
    FILE *f = fd >= 0 ? fdopen(fd, "w+") : NULL;
    if (fd >= 0 && !f) {
        int err = errno;
        close(fd);
        errno = err;
    }
    return f;
}

static uint64_t hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603u;          /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h ^ (h >> 29);
}

struct distinct *distinct_new(size_t n)
{
    struct distinct *d = xcalloc(1, sizeof *d);
    d->n = n;
    d->missing = SIZE_MAX;
    bitrank_init(&d->first, n);
    if (n <= DISTINCT_MEM_MAX)
        return d;
    d->parts = (n + PART_VALUES - 1) / PART_VALUES;
    if (d->parts > MAX_PARTS)
        d->parts = MAX_PARTS;
    d->part = xcalloc(d->parts, sizeof *d->part);
    d->part_n = xcalloc(d->parts, sizeof *d->part_n);
    for (size_t p = 0; p < d->parts && !d->err; p++)
        if (!(d->part[p] = distinct_tmpfile("distinct")))
            d->err = errno;
    if (!d->err && !(d->ids = distinct_tmpfile("distinct")))
        d->err = errno;
    if (!d->err && !(d->mins = distinct_tmpfile("distinct")))
        d->err = errno;
    return d;
}

static void put(struct distinct *d, FILE *f, const void *p, size_t n)
{
    if (!d->err && fwrite(p, 1, n, f) != n)
        d->err = errno ? errno : EIO;
}

static bool get(struct distinct *d, FILE *f, void *p, size_t n)
{
    if (d->err)
        return false;
    if (fread(p, 1, n, f) == n)
        return true;
    d->err = ferror(f) && errno ? errno : EIO;
    return false;
}

/* In memory: the table maps a value to its entry number + 1. */
static size_t number(struct distinct *d, const char *s, size_t len, size_t i, bool adding)
{
    if (!s) {
        if (d->missing == SIZE_MAX && adding) {
            d->missing = d->count++;
            bitrank_set(&d->first, i);
        }
        return d->missing;
    }
    void *had = strtab_get(&d->tab, s, len);
    if (had || !adding)
        return had ? (size_t)((uintptr_t)had - 1) : SIZE_MAX;
    s = arena_strndup(&d->text, s, len);
    strtab_put(&d->tab, s, len, (void *)(uintptr_t)(d->count + 1));
    bitrank_set(&d->first, i);
    return d->count++;
}

void distinct_add(struct distinct *d, const char *s, size_t len)
{
    size_t i = d->added++;
    if (!d->parts) {
        number(d, s, len, i, true);
        return;
    }
    uint16_t p = (uint16_t)(s ? hash(s, len) % d->parts : 0);
    uint64_t at = i;
    uint32_t l = s ? (uint32_t)len : MISSING_LEN;
    put(d, d->part[p], &at, sizeof at);
    put(d, d->part[p], &l, sizeof l);
    if (s)
        put(d, d->part[p], s, len);
    put(d, d->ids, &p, sizeof p);
    d->part_n[p]++;
}

/* Number partition p alone; its first-occurrence indexes go to 'mins'
 * from 'at' (in uint64s) on. */
static void number_part(struct distinct *d, size_t p, uint64_t at)
{
    FILE *f = d->part[p];
    struct strtab tab = STRTAB_INIT;
    struct arena text = ARENA_INIT;
    char *val = NULL;
    size_t cap = 0;
    uint64_t missing = UINT64_MAX;
    if (!d->err && (fflush(f) != 0 || fseeko(f, 0, SEEK_SET) != 0 ||
                    fseeko(d->mins, (off_t)(at * sizeof(uint64_t)), SEEK_SET) != 0))
        d->err = errno;
    for (uint64_t k = 0; k < d->part_n[p] && !d->err; k++) {
        uint64_t i, min;
        uint32_t len;
        if (!get(d, f, &i, sizeof i) || !get(d, f, &len, sizeof len))
            break;
        if (len == MISSING_LEN) {
            if (missing == UINT64_MAX) {
                missing = i;
                bitrank_set(&d->first, (size_t)i);
            }
            min = missing;
        } else {
            XGROW(val, cap, (size_t)len + 1);
            if (!get(d, f, val, len))
                break;
            void *had = strtab_get(&tab, val, len);
            if (had) {
                min = (uint64_t)(uintptr_t)had - 1;
            } else {
                const char *s = arena_strndup(&text, val, len);
                strtab_put(&tab, s, len, (void *)(uintptr_t)(i + 1));
                bitrank_set(&d->first, (size_t)i);
                min = i;
            }
        }
        put(d, d->mins, &min, sizeof min);
    }
    strtab_dispose(&tab);
    arena_dispose(&text);
    free(val);
    if (f)
        fclose(f);              /* its disk space goes now */
    d->part[p] = NULL;
}

int distinct_finish(struct distinct *d)
{
    if (d->parts) {
        uint64_t at = 0;
        d->cur = xcalloc(d->parts, sizeof *d->cur);
        for (size_t p = 0; p < d->parts; p++) {
            d->cur[p].at = at;
            d->cur[p].end = at + d->part_n[p];
            number_part(d, p, at);
            at += d->part_n[p];
        }
        if (!d->err && (fflush(d->mins) != 0 || fflush(d->ids) != 0 ||
                        fseeko(d->ids, 0, SEEK_SET) != 0))
            d->err = errno;
    }
    bitrank_seal(&d->first);
    if (d->parts)
        d->count = bitrank_rank(&d->first, d->added);
    if (d->err) {
        errno = d->err;
        return -1;
    }
    return 0;
}

size_t distinct_count(const struct distinct *d)
{
    return d->count;
}

bool distinct_first(const struct distinct *d, size_t i)
{
    return bitrank_has(&d->first, i);
}

bool distinct_wants_value(const struct distinct *d)
{
    return !d->parts;
}

size_t distinct_next(struct distinct *d, const char *s, size_t len)
{
    size_t i = d->next++;
    if (!d->parts)
        return number(d, s, len, i, false);
    uint16_t p;
    if (!get(d, d->ids, &p, sizeof p) || p >= d->parts)
        goto fail;
    struct cursor *c = &d->cur[p];
    if (c->used == c->have) {
        uint64_t want = c->end - c->at;
        if (want > CURSOR_WORDS)
            want = CURSOR_WORDS;
        ssize_t r = pread(fileno(d->mins), c->buf, (size_t)want * sizeof(uint64_t),
                          (off_t)(c->at * sizeof(uint64_t)));
        if (r <= 0 || (size_t)r % sizeof(uint64_t)) {
            d->err = r < 0 ? errno : EIO;
            goto fail;
        }
        c->have = (size_t)r / sizeof(uint64_t);
        c->used = 0;
        c->at += c->have;
    }
    return bitrank_rank(&d->first, (size_t)c->buf[c->used++]);
fail:
    if (!d->err)
        d->err = EIO;
    errno = d->err;
    return SIZE_MAX;
}

void distinct_free(struct distinct *d)
{
    if (!d)
        return;
    for (size_t p = 0; p < d->parts; p++)
        if (d->part[p])
            fclose(d->part[p]);
    if (d->ids)
        fclose(d->ids);
    if (d->mins)
        fclose(d->mins);
    free(d->part);
    free(d->part_n);
    free(d->cur);
    strtab_dispose(&d->tab);
    arena_dispose(&d->text);
    bitrank_dispose(&d->first);
    free(d);
}

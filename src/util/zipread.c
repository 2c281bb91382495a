/* SPDX-License-Identifier: MIT
 * A small ZIP reader (central directory, stored and deflated entries);
 * see zipread.h. The archive is read whole, then each entry is found
 * through the central directory, whose sizes are trusted over the local
 * headers' (writers that stream set the latter to zero). */
#include "util/zipread.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "util/buf.h"
#include "util/xalloc.h"

#define ZIP_MAX_ARCHIVE ((size_t)4096 << 20)   /* no ZIP64: 4 GiB is the format's own limit */
#define ZIP_MAX_ENTRY (2048u << 20)     /* an uncompressed part */

static uint32_t rd16(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t rd32(const unsigned char *p)
{
    return rd16(p) | rd16(p + 2) << 16;
}

static int inflate_raw(const unsigned char *in, size_t inlen, unsigned char *out, size_t outlen)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK)
        return -1;
    z.next_in = (unsigned char *)in;
    z.avail_in = (uInt)inlen;
    z.next_out = out;
    z.avail_out = (uInt)outlen;
    int rc = inflate(&z, Z_FINISH);
    size_t got = z.total_out;
    inflateEnd(&z);
    return rc == Z_STREAM_END && got == outlen ? 0 : -1;
}

/* The central-directory entry at '*p' (advanced past it) into 'e'. */
static int read_entry(const struct buf *a, const unsigned char **p, const unsigned char *end,
                      struct zip_entry *e, char *err, size_t errlen)
{
    const unsigned char *c = *p;
    if (end - c < 46 || rd32(c) != 0x02014b50u) {
        snprintf(err, errlen, "corrupt central directory");
        return -1;
    }
    uint32_t method = rd16(c + 10), csize = rd32(c + 20), usize = rd32(c + 24);
    uint32_t nlen = rd16(c + 28), xlen = rd16(c + 30), clen = rd16(c + 32), off = rd32(c + 42);
    if ((size_t)(end - c) < 46u + nlen + xlen + clen) {
        snprintf(err, errlen, "corrupt central directory");
        return -1;
    }
    e->name = xstrndup((const char *)c + 46, nlen);
    *p = c + 46 + nlen + xlen + clen;
    const unsigned char *base = (const unsigned char *)a->data;
    if ((size_t)off + 30 > a->len || rd32(base + off) != 0x04034b50u) {
        snprintf(err, errlen, "entry %s: no local header", e->name);
        return -1;
    }
    size_t data_at = (size_t)off + 30 + rd16(base + off + 26) + rd16(base + off + 28);
    if (rd16(c + 8) & 1 || (method != 0 && method != 8) || usize > ZIP_MAX_ENTRY ||
        data_at + csize > a->len) {
        snprintf(err, errlen, "entry %s: unsupported or corrupt (method %u)", e->name,
                 (unsigned)method);
        return -1;
    }
    e->len = usize;
    e->data = xmalloc((size_t)usize + 1);
    e->data[usize] = '\0';
    int ok;
    if (method == 0) {
        ok = csize == usize;
        if (ok)
            memcpy(e->data, base + data_at, usize);
    } else {
        ok = inflate_raw(base + data_at, csize, e->data, usize) == 0;
    }
    if (!ok) {
        snprintf(err, errlen, "entry %s: corrupt data", e->name);
        return -1;
    }
    return 0;
}

int zip_read_all(const char *path, struct zip_entry **out, size_t *n, char *err, size_t errlen)
{
    *out = NULL;
    *n = 0;
    struct buf a;
    buf_init(&a, ZIP_MAX_ARCHIVE);
    int rc = buf_read_file(&a, path);
    if (rc < 0) {
        snprintf(err, errlen, "%s", rc == -1 ? "larger than 4 GiB" : strerror(errno));
        buf_dispose(&a);
        return -1;
    }
    /* The end-of-central-directory record: in the last 64 KiB + 22 bytes. */
    const unsigned char *base = (const unsigned char *)a.data, *eocd = NULL;
    size_t lo = a.len > 65557 ? a.len - 65557 : 0;
    for (size_t i = a.len >= 22 ? a.len - 21 : 0; i-- > lo;)
        if (rd32(base + i) == 0x06054b50u) {
            eocd = base + i;
            break;
        }
    if (!eocd) {
        snprintf(err, errlen, "not a ZIP archive");
        buf_dispose(&a);
        return -1;
    }
    size_t count = rd16(eocd + 10), cd_size = rd32(eocd + 12), cd_off = rd32(eocd + 16);
    if (cd_off + cd_size > a.len) {
        snprintf(err, errlen, "corrupt central directory");
        buf_dispose(&a);
        return -1;
    }
    struct zip_entry *v = xcalloc(count + 1, sizeof *v);
    const unsigned char *p = base + cd_off, *end = p + cd_size;
    int bad = 0;
    size_t k = 0;
    for (; k < count && !bad; k++)
        bad = read_entry(&a, &p, end, &v[k], err, errlen) < 0;
    buf_dispose(&a);
    if (bad) {
        zip_entries_free(v, k);
        return -1;
    }
    *out = v;
    *n = count;
    return 0;
}

void zip_entries_free(struct zip_entry *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].name);
        free(v[i].data);
    }
    free(v);
}

const struct zip_entry *zip_find(const struct zip_entry *v, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].name, name) == 0)
            return &v[i];
    return NULL;
}

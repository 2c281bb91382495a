/* SPDX-License-Identifier: MIT
 * Growable, optionally capped byte buffer; see buf.h. */
#include "util/buf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void buf_init(struct buf *b, size_t max)
{
    b->data = NULL;
    b->len = b->cap = 0;
    b->max = max;
}

void buf_dispose(struct buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void buf_clear(struct buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

static int reserve(struct buf *b, size_t extra)
{
    if (b->max && (extra > b->max || b->len > b->max - extra))
        return -1;
    size_t need = b->len + extra + 1;
    if (need > b->cap) {
        size_t ncap = b->cap ? b->cap : 64;
        while (ncap < need)
            ncap *= 2;
        b->data = xrealloc(b->data, ncap);
        b->cap = ncap;
    }
    return 0;
}

int buf_append(struct buf *b, const void *p, size_t n)
{
    if (reserve(b, n) < 0)
        return -1;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

char *buf_reserve(struct buf *b, size_t n)
{
    return reserve(b, n) < 0 ? NULL : b->data + b->len;
}

int buf_read_stream(struct buf *b, FILE *fp)
{
    char chunk[4096];
    size_t n;
    int rc = 0;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        if (buf_append(b, chunk, n) < 0) {
            rc = -1;
            break;
        }
    if (rc == 0 && ferror(fp))
        rc = -2;
    /* Token files hold credentials: leave no copy on the stack. */
    memset(chunk, 0, sizeof chunk);
    return rc;
}

int buf_read_file(struct buf *b, const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -3;
    int rc = buf_read_stream(b, fp);
    int err = errno;
    fclose(fp);
    errno = err;
    return rc;
}

int buf_puts(struct buf *b, const char *s)
{
    return buf_append(b, s, strlen(s));
}

int buf_putc(struct buf *b, char c)
{
    return buf_append(b, &c, 1);
}

char *int_text(int64_t v, char *end)
{
    char *p = end;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;    /* INT64_MIN too */
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    return p;
}

int buf_put_int(struct buf *b, int64_t v)
{
    char t[INT_TEXT_MAX], *end = t + sizeof t;
    char *p = int_text(v, end);
    return buf_append(b, p, (size_t)(end - p));
}

int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0 || reserve(b, (size_t)n) < 0)
        return -1;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

char *buf_detach(struct buf *b)
{
    char *p = b->data ? b->data : xstrdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

const char *buf_cstr(const struct buf *b)
{
    return b->data ? b->data : "";
}

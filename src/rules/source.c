/* SPDX-License-Identifier: MIT
 * Rule-file text, line tables and scalar offset mapping; see source.h.
 *
 * The mapping re-walks the raw scalar beside its decoded value: equal
 * bytes pair up; an escape (\n, \u00e9, '') pairs with the bytes it
 * produced; raw whitespace that YAML folded away (line breaks and
 * indentation) is skipped. Anything else pairs byte for byte, so a
 * construct the walker does not know only shifts the caret a little. */
#include "rules/source.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"

struct rsrc *rsrc_new(const char *path, const char *name, char *text, size_t len)
{
    struct rsrc *s = xcalloc(1, sizeof *s);
    s->path = xstrdup(path);
    s->name = xstrdup(name ? name : path);
    s->text = text;
    s->len = len;
    size_t cap = 0;
    XGROW(s->lines, cap, 1);
    s->lines[s->nlines++] = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n') {
            XGROW(s->lines, cap, s->nlines + 1);
            s->lines[s->nlines++] = i + 1;
        }
    }
    return s;
}

void rsrc_free(struct rsrc *s)
{
    if (!s)
        return;
    free(s->path);
    free(s->name);
    free(s->text);
    free(s->lines);
    free(s);
}

size_t rsrc_mark_offset(const struct rsrc *s, size_t line, size_t col)
{
    if (line >= s->nlines)
        return s->len;
    size_t off = s->lines[line];
    /* libyaml counts characters; step over whole UTF-8 sequences. */
    while (col > 0 && off < s->len && s->text[off] != '\n') {
        off++;
        while (off < s->len && ((unsigned char)s->text[off] & 0xC0) == 0x80)
            off++;
        col--;
    }
    return off;
}

/* Index of the line holding 'off'. */
static size_t line_index(const struct rsrc *s, size_t off)
{
    size_t lo = 0, hi = s->nlines;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->lines[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

int rsrc_line(const struct rsrc *s, size_t off)
{
    return (int)line_index(s, off) + 1;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Bytes in the UTF-8 sequence led by 'c' (1 for anything odd). */
static size_t utf8_len(unsigned char c)
{
    if (c >= 0xF0)
        return 4;
    if (c >= 0xE0)
        return 3;
    if (c >= 0xC0)
        return 2;
    return 1;
}

size_t spos_map(const struct spos *pos, const char *val, size_t vlen, size_t k)
{
    if (!pos->src)
        return 0;
    const char *raw = pos->src->text;
    size_t rn = pos->src->len, r = pos->off;
    enum spos_style st = pos->style;
    if (st == SP_SQUOTE || st == SP_DQUOTE || st == SP_JSON)
        r++;
    if (st == SP_BLOCK) {
        while (r < rn && raw[r] != '\n')
            r++;
        r++;
    }
    if (st == SP_OTHER)
        return pos->off;
    int escapes = st == SP_DQUOTE || st == SP_JSON;
    size_t i = 0;
    while (i < vlen && r < rn) {
        if (escapes && raw[r] == '\\' && r + 1 < rn) {
            char e = raw[r + 1];
            if (st == SP_DQUOTE && (e == '\n' || e == '\r')) {
                /* A line continuation produces nothing. */
                r += 2;
                while (r < rn && is_space(raw[r]))
                    r++;
                continue;
            }
            size_t elen = 2, nb = 1;
            if (e == 'x' || e == 'u' || e == 'U') {
                elen = e == 'x' ? 4 : e == 'u' ? 6 : 10;
                nb = utf8_len((unsigned char)val[i]);
                if (e == 'u' && nb == 4)
                    elen = 12;  /* a JSON surrogate pair */
            }
            if (k >= i && k < i + nb)
                return r;
            i += nb;
            r += elen;
            continue;
        }
        if (st == SP_SQUOTE && raw[r] == '\'' && r + 1 < rn && raw[r + 1] == '\'') {
            if (k == i)
                return r;
            i++;
            r += 2;
            continue;
        }
        if (raw[r] != val[i] && is_space(raw[r])) {
            r++;
            continue;
        }
        if (k == i)
            return r;
        i++;
        r++;
    }
    return r < rn ? r : rn;
}

/* format(printf, 6, 0): see buf_vprintf in util/buf.h. */
__attribute__((format(printf, 6, 0)))
static void vdiag(struct diags *d, enum diag_level lvl, const struct rsrc *s, size_t start,
                  size_t end, const char *fmt, va_list ap)
{
    struct buf b = BUF_INIT;
    buf_vprintf(&b, fmt, ap);
    if (!s) {
        diags_add(d, lvl, NULL, 0, 0, 0, NULL, "%s", buf_cstr(&b));
        buf_dispose(&b);
        return;
    }
    if (start > s->len)
        start = s->len;
    size_t li = line_index(s, start);
    size_t ls = s->lines[li];
    size_t le = ls;
    while (le < s->len && s->text[le] != '\n' && s->text[le] != '\r')
        le++;
    if (end > le)
        end = le;
    int span = end > start ? (int)(end - start) : 1;
    diags_add(d, lvl, s->path, (int)li + 1, (int)(start - ls) + 1, span, s->text + ls, "%s",
              buf_cstr(&b));
    buf_dispose(&b);
}

void src_diag(struct diags *d, enum diag_level lvl, const struct rsrc *s, size_t start,
              size_t end, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vdiag(d, lvl, s, start, end, fmt, ap);
    va_end(ap);
}

void spos_diag(struct diags *d, enum diag_level lvl, const struct spos *pos, const char *val,
               size_t vlen, size_t a, size_t b, const char *fmt, ...)
{
    size_t fa = 0, fb = 0;
    if (pos->src) {
        fa = spos_map(pos, val, vlen, a);
        /* Map the last byte, not the end, so a range inside an escape
         * or before a folded line break stays where it belongs. */
        fb = b > a ? spos_map(pos, val, vlen, b - 1) + 1 : fa + 1;
        if (fb <= fa)
            fb = fa + 1;
    }
    va_list ap;
    va_start(ap, fmt);
    vdiag(d, lvl, pos->src, fa, fb, fmt, ap);
    va_end(ap);
}

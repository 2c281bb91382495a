/* SPDX-License-Identifier: MIT
 * The CSV report: one row per finding with the columns of
 * src/report/columns.def, RFC 4180 (CRLF line ends), UTF-8, a header
 * row. Numbers are written bare so spreadsheets keep them numeric;
 * missing values are empty; every other value is quoted, its quotes
 * doubled (libcsv's csv_fwrite rule, which this writer used to call: an
 * empty string is "", so "missing" and "empty" stay distinguishable).
 *
 * CSV injection (OWASP): a text cell that a spreadsheet would run as a
 * formula, i.e. one starting with '=', '+', '-', '@', tab or carriage
 * return, is written with a leading apostrophe. Numbers are never
 * guarded: they are numbers.
 *
 * Speed: rows are built in a buffer of OUT_BUF bytes written with one
 * fwrite when full; integers and times are formatted by hand, without
 * printf (libcsv wrote byte by byte with fputc, and each cell went
 * through printf: half the time of a CSV-only report). */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "render/render.h"
#include "report/columns.h"
#include "util/buf.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

#define OUT_BUF (64u * 1024)

struct csvw {
    FILE *out;                      /* where a full buffer goes, or ... */
    struct buf *mem;                /* ... the buffer rows are written in, in place */
    char *p, *end;                  /* the free room: in buf, or in mem */
    char buf[OUT_BUF];
    /* The last time formatted per column: first_seen is the same on
     * most findings, and an image's scan time repeats on its findings. */
    int64_t time_ms[FC_COUNT];
    char time_text[FC_COUNT][TIME_ISO_MAX];
    size_t time_len[FC_COUNT];
    bool time_set[FC_COUNT];
};

/* At least OUT_BUF bytes of room after the first 'len' of the memory
 * rows are written in. They go there directly: a 64 KB buffer appended
 * to it cost a copy of the whole report. */
static void mem_room(struct csvw *w, size_t len)
{
    struct buf *m = w->mem;
    m->len = len;
    buf_reserve(m, OUT_BUF);            /* no cap on a chunk: never NULL */
    w->p = m->data + len;
    w->end = m->data + m->cap - 1;      /* the last byte is for the NUL */
}

/* Room for more: the full buffer written out, or more memory. */
static void flush(struct csvw *w)
{
    if (w->mem) {
        mem_room(w, (size_t)(w->p - w->mem->data));
    } else {
        fwrite(w->buf, 1, (size_t)(w->p - w->buf), w->out);
        w->p = w->buf;
    }
}

/* What is written so far: in the file's stream, or the memory's length
 * (and its NUL) set. */
static void finish(struct csvw *w)
{
    if (w->mem) {
        w->mem->len = (size_t)(w->p - w->mem->data);
        w->mem->data[w->mem->len] = '\0';
    } else {
        flush(w);
    }
}

static void put(struct csvw *w, const char *s, size_t n)
{
    while (n) {
        if (w->p == w->end)
            flush(w);
        size_t room = (size_t)(w->end - w->p), k = n < room ? n : room;
        memcpy(w->p, s, k);
        w->p += k;
        s += k;
        n -= k;
    }
}

static void put_c(struct csvw *w, char c)
{
    if (w->p == w->end)
        flush(w);
    *w->p++ = c;
}

static bool needs_guard(const char *s)
{
    switch (s[0]) {     /* a switch, not strchr: this is every text cell */
    case '=': case '+': case '-': case '@': case '\t': case '\r': return true;
    default: return false;
    }
}

/* Most cells: text without a quote, and room for it with both quotes
 * and a guard (at least n + 3 bytes, which the caller has checked). */
static void put_plain(struct csvw *w, const char *s, size_t n)
{
    char *p = w->p;
    *p++ = '"';
    if (n && needs_guard(s))
        *p++ = '\'';
    memcpy(p, s, n);
    p += n;
    *p++ = '"';
    w->p = p;
}

/* A quoted field: '"', the text with each '"' doubled (the guard's
 * apostrophe first when it needs one), '"'. */
static void put_quoted(struct csvw *w, const char *s, size_t n)
{
    if ((size_t)(w->end - w->p) >= n + 3 && (!n || !memchr(s, '"', n))) {
        put_plain(w, s, n);
        return;
    }
    put_c(w, '"');
    if (n && needs_guard(s))
        put_c(w, '\'');
    const char *end = s + n;
    while (s < end) {
        const char *q = memchr(s, '"', (size_t)(end - s));
        size_t k = q ? (size_t)(q - s) + 1 : (size_t)(end - s);
        put(w, s, k);           /* up to and with the quote ... */
        if (q)
            put_c(w, '"');      /* ... which is doubled */
        s += k;
    }
    put_c(w, '"');
}

/* The length of NUL-terminated 's' up to its first '"' or its end,
 * whichever comes first: strlen and the quote search of put_quoted in
 * one pass, 16 bytes at a time. Each text cell of every row comes
 * through here (the two were a tenth of a CSV row's instructions). The
 * loads are aligned, so none reaches past the page the string ends in;
 * the bytes after its end that they read are not looked at, which
 * AddressSanitizer cannot know (glibc's strlen does the same, unseen). */
__attribute__((no_sanitize_address)) static size_t span_plain(const char *s)
{
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"'), nul = _mm_setzero_si128();
    size_t mis = (uintptr_t)s & 15;
    const char *a = s - mis;
    __m128i v = _mm_load_si128((const __m128i *)(const void *)a);
    unsigned m = (unsigned)_mm_movemask_epi8(
                     _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, nul))) >> mis;
    if (m)
        return (size_t)__builtin_ctz(m);
    for (;;) {
        a += 16;
        v = _mm_load_si128((const __m128i *)(const void *)a);
        m = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, nul)));
        if (m)
            return (size_t)(a - s) + (size_t)__builtin_ctz(m);
    }
#else
    return strcspn(s, "\"");
#endif
}

/* A text cell: put_quoted's output, without measuring 's' first. */
static void put_text(struct csvw *w, const char *s)
{
    size_t n = span_plain(s);
    if (s[n] || (size_t)(w->end - w->p) < n + 3)
        put_quoted(w, s, n + strlen(s + n));    /* a quote in it, or no room */
    else
        put_plain(w, s, n);
}

static void put_int(struct csvw *w, int64_t v)
{
    char t[INT_TEXT_MAX], *e = t + sizeof t;
    char *p = int_text(v, e);
    put(w, p, (size_t)(e - p));
}

/* A time, or a date (the time's first ten characters: YYYY-MM-DD). */
static void put_time(struct csvw *w, int c, const struct fcol_value *v)
{
    if (!w->time_set[c] || w->time_ms[c] != v->i) {
        time_format_iso(v->i, w->time_text[c]);
        w->time_len[c] = strlen(w->time_text[c]);
        w->time_ms[c] = v->i;
        w->time_set[c] = true;
    }
    put_quoted(w, w->time_text[c], v->kind == FV_DATE ? 10 : w->time_len[c]);
}

static void put_value(struct csvw *w, int c, const struct fcol_value *v)
{
    switch (v->kind) {
    case FV_MISSING: break;     /* missing: empty field */
    case FV_INT: put_int(w, v->i); break;
    case FV_TEXT: put_text(w, v->s); break;
    case FV_TIME:
    case FV_DATE: put_time(w, c, v); break;
    case FV_BOOL: put_quoted(w, v->b ? "true" : "false", v->b ? 4 : 5); break;
    }
}

/* The header row when 'from' is 0, then the rows of findings [from, to). */
static void put_rows(struct csvw *w, const struct report *rep, size_t from, size_t to)
{
    if (w->mem) {
        mem_room(w, w->mem->len);
    } else {
        w->p = w->buf;
        w->end = w->buf + OUT_BUF;
    }
    if (from == 0) {
        for (int c = 0; c < FC_COUNT; c++) {
            if (c)
                put_c(w, ',');
            put(w, fcol_defs[c].name, strlen(fcol_defs[c].name));
        }
        put(w, "\r\n", 2);
    }
    struct fcol_value v[FC_COUNT];
    for (size_t i = from; i < to; i++) {
        fcol_row(rep, report_finding_at(rep, i), v);
        for (int c = 0; c < FC_COUNT; c++) {
            if (c)
                put_c(w, ',');
            put_value(w, c, &v[c]);
        }
        put(w, "\r\n", 2);
    }
    finish(w);
}

void render_csv_rows(const struct report *rep, size_t from, size_t to, struct buf *out)
{
    struct csvw *w = xcalloc(1, sizeof *w);
    w->mem = out;
    put_rows(w, rep, from, to);
    free(w);
}

int render_csv(const struct report *rep, const struct render_opts *o, FILE *out,
               struct diags *d)
{
    (void)o;
    struct csvw *w = xcalloc(1, sizeof *w);
    w->out = out;
    put_rows(w, rep, 0, rep->n_findings);
    free(w);
    if (ferror(out)) {
        diags_error(d, "cannot write the CSV report: %s", strerror(errno));
        return -1;
    }
    return 0;
}

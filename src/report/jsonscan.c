/* SPDX-License-Identifier: MIT
 * The byte-level JSON scanner of the report reader; see jsonscan.h.
 * The hot loops take many bytes at once where they can (SSE2): a
 * string's plain run 16 bytes at a time, and js_skip() 64 bytes at a
 * time as bit masks of quotes and brackets, where no backslash is. The
 * rest is table driven: a byte class per byte value, so that the common
 * case (plain ASCII inside a string, anything but brackets and quotes
 * while skipping) is one load and one compare per byte, and strings are
 * skipped with memchr. */
#include "report/jsonscan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/bitstack.h"
#include "util/hex.h"
#include "util/simdbits.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* jansson's JSON_PARSER_MAX_DEPTH. */
#define JS_MAX_DEPTH 2048

/* Bytes that matter while skipping, outside strings. */
enum { SK_PLAIN, SK_QUOTE, SK_OPEN, SK_CLOSE, SK_ESCAPE };
static const unsigned char skip_class[256] = {
    ['"'] = SK_QUOTE, ['{'] = SK_OPEN, ['['] = SK_OPEN, ['}'] = SK_CLOSE, [']'] = SK_CLOSE,
    ['\\'] = SK_ESCAPE,
};

#if !defined(__SSE2__)
/* Eight bytes at a time (SWAR): a byte in 'x' that is zero shows as its
 * high bit (bytes above a zero byte may show too: only "none" is exact,
 * which is all scan_string asks). */
#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull
static inline uint64_t zeros(uint64_t x)
{
    return (x - ONES) & ~x & HIGHS;
}

/* Does the word hold a byte that ends a plain run in a string: a quote,
 * a backslash, a control character or a byte of a UTF-8 sequence? */
static inline bool str_stop8(uint64_t w)
{
    uint64_t low_or_high = (((w - ONES * 0x20) & ~w) | w) & HIGHS;
    return (zeros(w ^ ONES * '"') | zeros(w ^ ONES * '\\') | low_or_high) != 0;
}
#endif

/* Bytes inside a string: plain, or what ends the plain run. */
enum { ST_PLAIN, ST_QUOTE, ST_ESCAPE, ST_CONTROL, ST_HIGH };
static const unsigned char str_class[256] = {
#define C4(x) x, x, x, x
#define C16(x) C4(x), C4(x), C4(x), C4(x)
    C16(ST_CONTROL), C16(ST_CONTROL),                       /* 0x00-0x1F */
    ['"'] = ST_QUOTE, ['\\'] = ST_ESCAPE,
    [0x80] = C16(ST_HIGH), C16(ST_HIGH), C16(ST_HIGH), C16(ST_HIGH),
    C16(ST_HIGH), C16(ST_HIGH), C16(ST_HIGH), C16(ST_HIGH),
#undef C16
#undef C4
};

/* Bytes that may follow a number or a literal. */
static const unsigned char delimiter[256] = {
    [' '] = 1, ['\t'] = 1, ['\r'] = 1, ['\n'] = 1, [','] = 1, [']'] = 1, ['}'] = 1, [':'] = 1,
};

static int fail(struct js_err *e, size_t at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(struct js_err *e, size_t at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    e->at = at;
    e->eof = false;
    e->syntax = true;
    return -1;
}

static int ends(const struct js_text *t, struct js_err *e)
{
    e->at = t->n;
    e->eof = true;
    snprintf(e->msg, sizeof e->msg, "the text ends early");
    return -1;
}

/* "'x'" for a printable byte, "byte 0x.." otherwise. */
static const char *byte_name(unsigned char c, char out[16])
{
    if (c >= 0x20 && c < 0x7f)
        snprintf(out, 16, "'%c'", c);
    else
        snprintf(out, 16, "byte 0x%02x", c);
    return out;
}

static int unexpected(const struct js_text *t, size_t at, const char *expected,
                      struct js_err *e)
{
    if (at >= t->n)
        return ends(t, e);
    char b[16];
    return fail(e, at, "expected %s but found %s", expected,
                byte_name((unsigned char)t->p[at], b));
}

size_t js_ws(const struct js_text *t, size_t at)
{
    while (at < t->n) {
        char c = t->p[at];
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
            break;
        at++;
    }
    return at;
}

/* ---- skipping ------------------------------------------------------ */

/* The closing quote of the string whose content starts at 'p': the
 * first '"' after an even run of backslashes. NULL when the text ends.
 * (memchr, not a byte loop: half the instructions on a report's short
 * strings, measured with cachegrind.) */
static const char *string_end(const char *p, const char *lim)
{
    for (;;) {
        const char *q = memchr(p, '"', (size_t)(lim - p));
        if (!q)
            return NULL;
        const char *r = q;
        while (r > p && r[-1] == '\\')
            r--;
        if ((q - r) % 2 == 0)
            return q;
        p = q + 1;
    }
}

/* The state of skipping an array or an object: where, how deep, which
 * levels are arrays, and whether 'p' is inside a string (only ever
 * after a block: the byte loop leaves strings whole). */
struct skip {
    const char *p;
    unsigned depth;
    bool in_str;
    uint64_t arrays[JS_MAX_DEPTH / 64];     /* bit per level: 1 = '[' */
};

/* The bracket 'c' at 'at': 1 when the value ends with it, 0 to go on,
 * -1 (a mismatch, or too deep). */
static int skip_bracket(struct skip *sk, char c, size_t at, struct js_err *e)
{
    if (c == '{' || c == '[') {
        if (sk->depth == JS_MAX_DEPTH)
            return fail(e, at, "nested too deeply");
        bitstack_set(sk->arrays, sk->depth++, c == '[');
        return 0;
    }
    sk->depth--;
    bool was_array = bitstack_get(sk->arrays, sk->depth);
    if (was_array != (c == ']'))
        return fail(e, at, "expected %s but found '%c'", was_array ? "']'" : "'}'", c);
    return sk->depth == 0;
}

/* Skip byte by byte (strings with memchr) until 'sk->p' is at or past
 * 'stop' (never inside a string then) or the value has ended. Returns
 * as skip_bracket, or -1 when the text ends first. */
static int skip_bytes(const struct js_text *t, struct skip *sk, const char *stop,
                      struct js_err *e)
{
    const char *base = t->p, *lim = t->p + t->n, *p = sk->p;
    int r = 0;
    if (sk->in_str) {
        p = string_end(p, lim);
        if (!p)
            return ends(t, e);
        p++;
        sk->in_str = false;
    }
    while (p < stop && r == 0) {
        while (p < lim && skip_class[(unsigned char)*p] == SK_PLAIN)
            p++;
        if (p == lim)
            return ends(t, e);
        char c = *p++;
        switch (skip_class[(unsigned char)c]) {
        case SK_QUOTE:
            p = string_end(p, lim);
            if (!p)
                return ends(t, e);
            p++;
            break;
        case SK_OPEN:
        case SK_CLOSE:
            r = skip_bracket(sk, c, (size_t)(p - 1 - base), e);
            break;
        default:    /* a backslash outside a string: not JSON, not for skipping to say */
            break;
        }
    }
    sk->p = p;
    return r;
}

#if defined(__SSE2__)
#define SKIP_BLOCK 64

/* The bits of the bytes of 'x' (16 of a block, from byte 'at') that
 * are 'c'. */
#define BYTES_EQ(x, c, at) simd_block_mask(_mm_cmpeq_epi8((x), _mm_set1_epi8(c)), (at))

/* Skip blocks of SKIP_BLOCK bytes from sk->p at once while they have no
 * backslash: then every quote opens or closes a string, and which bytes
 * are inside strings is a prefix xor of the quotes. Returns 0 when
 * fewer than SKIP_BLOCK bytes are left, 2 at a block with a backslash
 * (for the byte loop), else as skip_bracket (sk->p just past the value
 * when it ended). A report row's strings are short: a memchr per string
 * and a loop per byte between them were most of skipping the inventory. */
static int skip_blocks(const struct js_text *t, struct skip *sk, struct js_err *e)
{
    const char *p = sk->p, *lim = t->p + t->n;
    uint64_t in_str = sk->in_str ? ~(uint64_t)0 : 0;    /* all ones inside a string */
    int r = 0;
    while (r == 0 && lim - p >= SKIP_BLOCK) {
        __m128i x[4];
        for (unsigned i = 0; i < 4; i++)
            x[i] = _mm_loadu_si128((const void *)(p + 16 * i));
        const __m128i bs = _mm_set1_epi8('\\');
        __m128i bs01 = _mm_or_si128(_mm_cmpeq_epi8(x[0], bs), _mm_cmpeq_epi8(x[1], bs));
        __m128i bs23 = _mm_or_si128(_mm_cmpeq_epi8(x[2], bs), _mm_cmpeq_epi8(x[3], bs));
        if (_mm_movemask_epi8(_mm_or_si128(bs01, bs23))) {
            r = 2;
            break;
        }
        uint64_t quotes = 0, brackets = 0;
        for (unsigned i = 0; i < 4; i++) {
            /* '[' and ']' are '{' and '}' without bit 0x20. */
            __m128i y = _mm_or_si128(x[i], _mm_set1_epi8(0x20));
            quotes |= BYTES_EQ(x[i], '"', 16 * i);
            brackets |= BYTES_EQ(y, '{', 16 * i) | BYTES_EQ(y, '}', 16 * i);
        }
        uint64_t inside = simd_prefix_xor(quotes) ^ in_str;
        in_str = (uint64_t)0 - (inside >> 63);      /* the block ends inside a string */
        for (brackets &= ~inside; brackets && r == 0; brackets &= brackets - 1) {
            int k = __builtin_ctzll(brackets);
            r = skip_bracket(sk, p[k], (size_t)(p + k - t->p), e);
            if (r != 0)
                p += k + 1;
        }
        if (r == 0)
            p += SKIP_BLOCK;
    }
    sk->p = p;
    sk->in_str = in_str & 1;
    return r;
}
#undef BYTES_EQ
#endif

int js_skip(const struct js_text *t, size_t at, size_t *end, struct js_err *e)
{
    const char *base = t->p, *lim = t->p + t->n;
    if (at >= t->n)
        return ends(t, e);
    char first = base[at];
    if (first == '"') {
        const char *q = string_end(base + at + 1, lim);
        if (!q)
            return ends(t, e);
        *end = (size_t)(q + 1 - base);
        return 0;
    }
    if (first != '{' && first != '[') {
        size_t q = at;
        while (q < t->n && !delimiter[(unsigned char)base[q]] &&
               !skip_class[(unsigned char)base[q]])
            q++;
        if (q == at)
            return unexpected(t, at, "a value", e);
        *end = q;
        return 0;
    }
    struct skip sk;     /* not '= {...}': its 256 bytes of levels are set as used */
    sk.p = base + at;
    sk.depth = 0;
    sk.in_str = false;
    int r = 0;
    while (r == 0) {
#if defined(__SSE2__)
        r = skip_blocks(t, &sk, e);
        if (r == 2)     /* a backslash: this block byte by byte */
            r = skip_bytes(t, &sk, sk.p + SKIP_BLOCK, e);
        if (r != 0 || lim - sk.p >= SKIP_BLOCK)
            continue;
#endif
        r = skip_bytes(t, &sk, lim, e);
        if (r == 0)
            return ends(t, e);
    }
    if (r < 0)
        return -1;
    *end = (size_t)(sk.p - base);
    return 0;
}

/* ---- strings, numbers, literals ------------------------------------ */

/* The \u escape at 'q' ("\uXXXX", and its low half when it is a high
 * surrogate): how many bytes it takes, or -1. */
static int u_escape(const struct js_text *t, const char *q, struct js_err *e)
{
    const char *lim = t->p + t->n;
    size_t at = (size_t)(q - t->p);
    long u = hex_u4(q + 2, lim);
    if (u < 0)
        return lim - (q + 2) < 4 ? ends(t, e) : fail(e, at, "invalid \\u escape in a string");
    if (u == 0)
        return fail(e, at, "\\u0000 is not allowed in a string");
    if (u >= 0xDC00 && u <= 0xDFFF)
        return fail(e, at, "lone low surrogate \\u escape in a string");
    if (u < 0xD800 || u > 0xDBFF)
        return 6;
    if (lim - q < 8)
        return ends(t, e);
    long lo = q[6] == '\\' && q[7] == 'u' ? hex_u4(q + 8, lim) : -1;
    if (lo < 0xDC00 || lo > 0xDFFF)
        return fail(e, at, "lone high surrogate \\u escape in a string");
    return 12;
}

static int scan_string(const struct js_text *t, size_t at, struct js_val *v, struct js_err *e)
{
    const char *lim = t->p + t->n;
    const char *q = t->p + at + 1;
    v->kind = JS_STR;
    v->esc = false;
    for (;;) {
#if defined(__SSE2__)
        /* 16 bytes at a time: a report's digests, ids and texts are long
         * plain runs. A signed compare below 0x20 finds the control
         * characters and the bytes of UTF-8 sequences (0x80 and up) at
         * once. */
        const __m128i quote = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\');
        const __m128i space = _mm_set1_epi8(0x20);
        unsigned stops = 0;
        while (!stops && lim - q >= 16) {
            __m128i x = _mm_loadu_si128((const void *)q);
            __m128i qb = _mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, bs));
            stops = (unsigned)_mm_movemask_epi8(_mm_or_si128(qb, _mm_cmplt_epi8(x, space)));
            q += stops ? __builtin_ctz(stops) : 16;
        }
#else
        uint64_t w;
        while (lim - q >= 8 && (memcpy(&w, q, 8), !str_stop8(w)))
            q += 8;
#endif
        while (q < lim && str_class[(unsigned char)*q] == ST_PLAIN)
            q++;
        if (q == lim)
            return ends(t, e);
        switch (str_class[(unsigned char)*q]) {
        case ST_QUOTE:
            v->s = t->p + at + 1;
            v->len = (size_t)(q - v->s);
            v->at = at;
            v->end = (size_t)(q + 1 - t->p);
            return 0;
        case ST_CONTROL:
            return fail(e, (size_t)(q - t->p), "control character in a string");
        case ST_HIGH: {
            size_t n = utf8_seq_len((const unsigned char *)q, (size_t)(lim - q));
            if (!n)
                return fail(e, (size_t)(q - t->p), "invalid UTF-8 in a string");
            q += n;
            break;
        }
        default:    /* ST_ESCAPE */
            v->esc = true;
            if (lim - q < 2)
                return ends(t, e);
            if (q[1] == 'u') {
                int n = u_escape(t, q, e);
                if (n < 0)
                    return -1;
                q += n;
            } else if (strchr("\"\\/bfnrt", q[1]) && q[1]) {
                q += 2;
            } else {
                return fail(e, (size_t)(q - t->p), "invalid escape in a string");
            }
        }
    }
}

/* After a number or literal ending at 'q': a delimiter or the end. */
static int delimited(const struct js_text *t, size_t at, size_t q, struct js_err *e)
{
    if (q < t->n && !delimiter[(unsigned char)t->p[q]])
        return fail(e, at, "invalid JSON value");
    return 0;
}

static size_t digits(const struct js_text *t, size_t q)
{
    while (q < t->n && t->p[q] >= '0' && t->p[q] <= '9')
        q++;
    return q;
}

static int scan_number(const struct js_text *t, size_t at, struct js_val *v, struct js_err *e)
{
    size_t q = at;
    bool neg = t->p[q] == '-';
    q += neg;
    if (q >= t->n)
        return ends(t, e);
    if (t->p[q] == '0')
        q++;
    else if (t->p[q] >= '1' && t->p[q] <= '9')
        q = digits(t, q);
    else
        return fail(e, at, "invalid number");
    size_t int_end = q;
    bool integer = true;
    if (q < t->n && t->p[q] == '.') {
        integer = false;
        if (digits(t, q + 1) == q + 1)
            return q + 1 >= t->n ? ends(t, e) : fail(e, at, "invalid number");
        q = digits(t, q + 1);
    }
    if (q < t->n && (t->p[q] == 'e' || t->p[q] == 'E')) {
        integer = false;
        q++;
        if (q < t->n && (t->p[q] == '+' || t->p[q] == '-'))
            q++;
        if (digits(t, q) == q)
            return q >= t->n ? ends(t, e) : fail(e, at, "invalid number");
        q = digits(t, q);
    }
    if (delimited(t, at, q, e) < 0)
        return -1;
    v->at = at;
    v->end = q;
    if (!integer) {
        v->kind = JS_REAL;
        return 0;
    }
    /* Magnitude as uint64, then the int64 range (one more when negative). */
    uint64_t m = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (size_t k = at + neg; k < int_end; k++) {
        unsigned dgt = (unsigned)(t->p[k] - '0');
        if (m > (limit - dgt) / 10)
            return fail(e, at, "integer out of the 64-bit range");
        m = m * 10 + dgt;
    }
    v->kind = JS_INT;
    v->i = neg ? (m == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)m) : (int64_t)m;
    return 0;
}

static int scan_literal(const struct js_text *t, size_t at, struct js_val *v, struct js_err *e)
{
    static const struct { const char *word; uint8_t kind; bool b; } lits[] = {
        {"true", JS_BOOL, true}, {"false", JS_BOOL, false}, {"null", JS_NULL, false}};
    for (size_t k = 0; k < 3; k++) {
        size_t n = strlen(lits[k].word);
        if (t->p[at] != lits[k].word[0])
            continue;
        bool cut = t->n - at < n;
        if (cut && memcmp(t->p + at, lits[k].word, t->n - at) == 0)
            return ends(t, e);
        if (cut)
            return fail(e, at, "invalid JSON value");
        if (memcmp(t->p + at, lits[k].word, n) != 0 || delimited(t, at, at + n, e) < 0)
            return fail(e, at, "invalid JSON value");
        v->kind = lits[k].kind;
        v->b = lits[k].b;
        v->at = at;
        v->end = at + n;
        return 0;
    }
    return unexpected(t, at, "a value", e);
}

int js_value(const struct js_text *t, size_t at, struct js_val *v, struct js_err *e)
{
    memset(v, 0, sizeof *v);
    if (at >= t->n)
        return ends(t, e);
    char c = t->p[at];
    if (c == '"')
        return scan_string(t, at, v, e);
    if (c == '-' || (c >= '0' && c <= '9'))
        return scan_number(t, at, v, e);
    if (c == '{' || c == '[') {
        v->kind = c == '{' ? JS_OBJECT : JS_ARRAY;
        v->at = at;
        return js_skip(t, at, &v->end, e);
    }
    return scan_literal(t, at, v, e);
}

/* ---- arrays and objects -------------------------------------------- */

static int begin(const struct js_text *t, size_t at, char open, struct js_iter *it,
                 struct js_err *e)
{
    if (at >= t->n || t->p[at] != open)
        return unexpected(t, at, open == '[' ? "'['" : "'{'", e);
    it->pos = at + 1;
    it->first = true;
    return 0;
}

/* Past the separator before the next element or member: 1 and the
 * offset of its first byte, or 0 at the closing bracket. */
static int next(const struct js_text *t, struct js_iter *it, char close, size_t *at,
                struct js_err *e)
{
    size_t p = js_ws(t, it->pos);
    if (p >= t->n)
        return ends(t, e);
    if (t->p[p] == close) {
        it->pos = p + 1;
        return 0;
    }
    if (!it->first) {
        if (t->p[p] != ',')
            return unexpected(t, p, close == ']' ? "',' or ']'" : "',' or '}'", e);
        p = js_ws(t, p + 1);
        if (p >= t->n)
            return ends(t, e);
    }
    it->first = false;
    *at = p;
    return 1;
}

int js_array_begin(const struct js_text *t, size_t at, struct js_iter *it, struct js_err *e)
{
    return begin(t, at, '[', it, e);
}

int js_array_next(const struct js_text *t, struct js_iter *it, size_t *at, struct js_err *e)
{
    int r = next(t, it, ']', at, e);
    if (r == 1 && t->p[*at] == ']')
        return unexpected(t, *at, "a value", e);
    return r;
}

int js_object_begin(const struct js_text *t, size_t at, struct js_iter *it, struct js_err *e)
{
    return begin(t, at, '{', it, e);
}

int js_object_next(const struct js_text *t, struct js_iter *it, struct js_val *key, size_t *at,
                   struct js_err *e)
{
    size_t k;
    int r = next(t, it, '}', &k, e);
    if (r != 1)
        return r;
    if (t->p[k] != '"')
        return unexpected(t, k, "a member name", e);
    if (scan_string(t, k, key, e) < 0)
        return -1;
    size_t p = js_ws(t, key->end);
    if (p >= t->n || t->p[p] != ':')
        return unexpected(t, p, "':'", e);
    p = js_ws(t, p + 1);
    if (p >= t->n)
        return ends(t, e);
    *at = p;
    return 1;
}

/* ---- flat rows ----------------------------------------------------- */

void js_keys_init(struct js_keys *k, const char *const *names, size_t n)
{
    k->names = names;
    k->n = n;
    k->len = xcalloc(n, sizeof *k->len);
    for (size_t i = 0; i < n; i++)
        k->len[i] = strlen(names[i]);
}

void js_keys_dispose(struct js_keys *k)
{
    free(k->len);
    k->len = NULL;
}

/* Decode the raw string content s[0..len) (valid, as scan_string
 * checked it) into 'out', which has room for 'len' bytes: escapes only
 * ever shrink. Returns the decoded length. */
static size_t decode(const char *s, size_t len, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        if (s[i] != '\\') {
            out[o++] = s[i++];
            continue;
        }
        char c = s[i + 1];
        i += 2;
        switch (c) {
        case 'b': out[o++] = '\b'; continue;
        case 'f': out[o++] = '\f'; continue;
        case 'n': out[o++] = '\n'; continue;
        case 'r': out[o++] = '\r'; continue;
        case 't': out[o++] = '\t'; continue;
        case 'u': break;
        default: out[o++] = c; continue;    /* " \ / */
        }
        unsigned long u = (unsigned long)hex_u4(s + i, s + len);
        i += 4;
        if (u >= 0xD800 && u <= 0xDBFF) {
            unsigned long lo = (unsigned long)hex_u4(s + i + 2, s + len);
            u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
            i += 6;
        }
        if (u < 0x80) {
            out[o++] = (char)u;
        } else if (u < 0x800) {
            out[o++] = (char)(0xC0 | u >> 6);
            out[o++] = (char)(0x80 | (u & 0x3F));
        } else if (u < 0x10000) {
            out[o++] = (char)(0xE0 | u >> 12);
            out[o++] = (char)(0x80 | (u >> 6 & 0x3F));
            out[o++] = (char)(0x80 | (u & 0x3F));
        } else {
            out[o++] = (char)(0xF0 | u >> 18);
            out[o++] = (char)(0x80 | (u >> 12 & 0x3F));
            out[o++] = (char)(0x80 | (u >> 6 & 0x3F));
            out[o++] = (char)(0x80 | (u & 0x3F));
        }
    }
    return o;
}

/* Which of k's names the member name 'key' is, or -1; 'guess' first
 * (rows written by imgaudit have their members in the names' order). */
static int match_key(const struct js_keys *k, const struct js_val *key, size_t guess)
{
    const char *s = key->s;
    size_t n = key->len;
    char tmp[128];
    if (key->esc) {
        if (n > sizeof tmp)
            return -1;          /* longer than any name, even decoded */
        n = decode(s, n, tmp);
        s = tmp;
    }
    if (guess < k->n && k->len[guess] == n && memcmp(k->names[guess], s, n) == 0)
        return (int)guess;
    for (size_t i = 0; i < k->n; i++)
        if (k->len[i] == n && memcmp(k->names[i], s, n) == 0)
            return (int)i;
    return -1;
}

int js_row(const struct js_text *t, size_t at, const struct js_keys *k, struct js_val *vals,
           size_t *end, struct js_err *e)
{
    struct js_iter it;
    if (js_object_begin(t, at, &it, e) < 0)
        return -1;
    for (size_t i = 0; i < k->n; i++)
        vals[i].kind = JS_ABSENT;
    size_t guess = 0;
    for (;;) {
        struct js_val key;
        size_t m;
        int r = next(t, &it, '}', &m, e);
        if (r <= 0) {
            *end = it.pos;
            return r;
        }
        /* The name expected next, as plain bytes: no need to scan it
         * (names are ASCII without quotes or backslashes). */
        int idx;
        size_t len = guess < k->n ? k->len[guess] : 0;
        if (guess < k->n && t->n - m > len + 1 && t->p[m] == '"' && t->p[m + 1 + len] == '"' &&
            memcmp(t->p + m + 1, k->names[guess], len) == 0) {
            idx = (int)guess;
            key.at = m;
            key.end = m + len + 2;
        } else {
            if (t->p[m] != '"')
                return unexpected(t, m, "a member name", e);
            if (scan_string(t, m, &key, e) < 0)
                return -1;
            idx = match_key(k, &key, guess);
        }
        size_t v = js_ws(t, key.end);
        if (v >= t->n || t->p[v] != ':')
            return unexpected(t, v, "':'", e);
        v = js_ws(t, v + 1);
        if (v >= t->n)
            return ends(t, e);
        if (idx < 0) {
            if (js_skip(t, v, &it.pos, e) < 0)
                return -1;
            continue;
        }
        if (vals[idx].kind != JS_ABSENT) {
            fail(e, key.at, "\"%s\" is given twice", k->names[idx]);
            e->syntax = false;
            return -1;
        }
        if (js_value(t, v, &vals[idx], e) < 0)
            return -1;
        it.pos = vals[idx].end;
        guess = (size_t)idx + 1;
    }
}

/* ---- string helpers ------------------------------------------------ */

void js_str_decode(const struct js_val *v, struct buf *out)
{
    if (!v->esc) {
        buf_append(out, v->s, v->len);
        return;
    }
    char small[256];
    char *tmp = v->len <= sizeof small ? small : xmalloc(v->len);
    size_t n = decode(v->s, v->len, tmp);
    buf_append(out, tmp, n);
    if (tmp != small)
        free(tmp);
}

bool js_str_eq(const struct js_val *v, const char *s, size_t n, struct buf *scratch)
{
    if (!v->esc)
        return v->len == n && memcmp(v->s, s, n) == 0;
    buf_clear(scratch);
    js_str_decode(v, scratch);
    return scratch->len == n && memcmp(buf_cstr(scratch), s, n) == 0;
}

bool js_key_is(const struct js_val *key, const char *name, struct buf *scratch)
{
    return js_str_eq(key, name, strlen(name), scratch);
}

/* ---- positions for messages ---------------------------------------- */

size_t js_find_member(const struct js_text *t, size_t obj, const char *name)
{
    struct js_iter it;
    struct js_err e;
    struct js_val key;
    size_t v, n = strlen(name);
    if (js_object_begin(t, obj, &it, &e) < 0)
        return obj;
    while (js_object_next(t, &it, &key, &v, &e) == 1) {
        if (!key.esc && key.len == n && memcmp(key.s, name, n) == 0)
            return v;
        if (js_skip(t, v, &it.pos, &e) < 0)
            break;
    }
    return obj;
}

size_t js_find_element(const struct js_text *t, size_t arr, size_t index)
{
    struct js_iter it;
    struct js_err e;
    size_t v;
    if (js_array_begin(t, arr, &it, &e) < 0)
        return arr;
    for (size_t i = 0; js_array_next(t, &it, &v, &e) == 1; i++) {
        if (i == index)
            return v;
        if (js_skip(t, v, &it.pos, &e) < 0)
            break;
    }
    return arr;
}

void js_line_col(const struct js_text *t, size_t at, int *line, int *col)
{
    if (at > t->n)
        at = t->n;
    size_t nl = 0, start = 0;
    for (const char *p = t->p, *lim = t->p + at; p < lim;) {
        const char *q = memchr(p, '\n', (size_t)(lim - p));
        if (!q)
            break;
        nl++;
        start = (size_t)(q + 1 - t->p);
        p = q + 1;
    }
    *line = nl + 1 > (size_t)INT32_MAX ? INT32_MAX : (int)(nl + 1);
    *col = at - start + 1 > (size_t)INT32_MAX ? INT32_MAX : (int)(at - start + 1);
}

void js_describe(const struct js_text *t, const struct js_val *v, char out[64])
{
    if (v->kind == JS_ABSENT) {
        snprintf(out, 64, "nothing");
        return;
    }
    size_t n = v->end - v->at, cut = n > 40 ? 40 : n;
    /* Cut on a character boundary. */
    while (cut < n && cut > 0 && ((unsigned char)t->p[v->at + cut] & 0xC0) == 0x80)
        cut--;
    size_t o = 0;
    for (size_t i = 0; i < cut; i++) {
        char c = t->p[v->at + i];
        out[o++] = c == '\n' || c == '\r' || c == '\t' ? ' ' : c;
    }
    if (cut < n) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
}

/* SPDX-License-Identifier: MIT
 * The response-page scanner; see pagescan.h. A recursive-descent
 * validator over bytes; where it is inside a data_list element it also
 * copies what it validates (strings and numbers as whole runs). */
#include "source/pagescan.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/hex.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#define PAGESCAN_MAX_DEPTH 512

static const char too_deep[] = "nesting deeper than 512 levels";

struct scan {
    const char *start, *p, *end;
    struct buf *out;        /* where copies go */
    int depth;
    const char *err;        /* first error, static text */
};

static int fail(struct scan *s, const char *msg)
{
    if (!s->err)
        s->err = msg;
    return -1;
}

static void skip_ws(struct scan *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
        s->p++;
}

static void put(struct scan *s, bool copy, const char *p, size_t n)
{
    if (copy)
        buf_append(s->out, p, n);
}

/* The four hex digits of a \u escape at 'p'. Running out of input is
 * told apart from a bad digit: it usually means a truncated page. */
static int read_u4(struct scan *s, const char *p, unsigned *out)
{
    if (s->end - p < 4)
        return fail(s, "unexpected end of input in a \\u escape");
    long v = hex_u4(p, s->end);
    if (v < 0)
        return fail(s, "invalid \\u escape");
    *out = (unsigned)v;
    return 0;
}

/* A string at s->p ('"'); on return '*cs'/'*ce' delimit its raw content
 * and '*esc' tells whether it had escapes. */
static int scan_string(struct scan *s, bool copy, const char **cs, const char **ce, bool *esc)
{
    const char *start = s->p;    /* s->p moves to an error's position */
    const char *q = s->p + 1;
    *esc = false;
    for (;;) {
        /* The common case: a run of plain printable ASCII. */
        while (q < s->end && (unsigned char)*q >= 0x20 && *q != '"' && *q != '\\' &&
               (unsigned char)*q < 0x80)
            q++;
        if (q >= s->end) {
            s->p = q;
            return fail(s, "unexpected end of input in a string");
        }
        unsigned char c = (unsigned char)*q;
        if (c == '"')
            break;
        if (c < 0x20) {
            s->p = q;
            return fail(s, "control character in a string");
        }
        if (c >= 0x80) {
            size_t n = utf8_seq_len((const unsigned char *)q, (size_t)(s->end - q));
            if (!n) {
                s->p = q;
                return fail(s, "invalid UTF-8 in a string");
            }
            q += n;
            continue;
        }
        /* A backslash. */
        *esc = true;
        if (s->end - q < 2) {
            s->p = q;
            return fail(s, "unexpected end of input in a string");
        }
        switch (q[1]) {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
            q += 2;
            break;
        case 'u': {
            unsigned u;
            s->p = q;
            if (read_u4(s, q + 2, &u) < 0)
                return -1;
            /* \u0000 is valid JSON: jansson cannot hold it, but the
             * snapshot's reader puts a placeholder in its place. */
            q += 6;
            if (u >= 0xDC00 && u <= 0xDFFF)
                return fail(s, "lone low surrogate escape");
            if (u >= 0xD800 && u <= 0xDBFF) {
                unsigned u2;
                if (s->end - q < 2 || q[0] != '\\' || q[1] != 'u')
                    return fail(s, "lone high surrogate escape");
                if (read_u4(s, q + 2, &u2) < 0)
                    return -1;
                if (u2 < 0xDC00 || u2 > 0xDFFF)
                    return fail(s, "invalid surrogate pair escape");
                q += 6;
            }
            break;
        }
        default:
            s->p = q;
            return fail(s, "invalid escape in a string");
        }
    }
    *cs = start + 1;
    *ce = q;
    put(s, copy, start, (size_t)(q + 1 - start));
    s->p = q + 1;
    return 0;
}

/* Whether the member name [ks, ke) (validated by scan_string; 'esc' as
 * it reported) is the ASCII 'name' once decoded. jansson compares names
 * decoded, so "\u0069d" is "id" there: an escaped duplicate of "id",
 * "total_num" or "data_list" replaces the earlier member, and matching
 * only the raw bytes made the scanner keep the earlier one (another id,
 * total or record list than the snapshot's reader sees). */
static bool key_is(const char *ks, const char *ke, bool esc, const char *name)
{
    size_t n = strlen(name);
    if (!esc)
        return (size_t)(ke - ks) == n && memcmp(ks, name, n) == 0;
    const char *p = ks;
    for (size_t i = 0; i < n; i++) {
        if (p >= ke)
            return false;
        char c = *p++;
        if (c == '\\') {
            c = *p++;
            if (c == 'u') {
                long u = hex_u4(p, ke);
                if (u < 0 || u >= 0x80)
                    return false;   /* the names wanted are ASCII */
                c = (char)u;
                p += 4;
            } else if (c != '"' && c != '\\' && c != '/') {
                return false;       /* \b \f \n \r \t: no name has those */
            }
        }
        if (c != name[i])
            return false;
    }
    return p == ke;
}

/* A number; '*is_int' when it is an integer, '*fits' when jansson can
 * hold it (an integer within int64, a real within the double range;
 * any other number is valid JSON too, read later with a placeholder),
 * and '*iv' when it is an integer that fits. */
static int scan_number(struct scan *s, bool copy, bool *is_int, bool *fits, long long *iv)
{
    const char *b = s->p, *q = s->p;
    if (q < s->end && *q == '-')
        q++;
    if (q >= s->end)
        return fail(s, "unexpected end of input in a number");
    if (*q == '0')
        q++;
    else if (*q >= '1' && *q <= '9')
        while (q < s->end && *q >= '0' && *q <= '9')
            q++;
    else
        return fail(s, "invalid number");
    bool integer = true;
    if (q < s->end && *q == '.') {
        integer = false;
        q++;
        if (q >= s->end || *q < '0' || *q > '9')
            return fail(s, "invalid number");
        while (q < s->end && *q >= '0' && *q <= '9')
            q++;
    }
    if (q < s->end && (*q == 'e' || *q == 'E')) {
        integer = false;
        q++;
        if (q < s->end && (*q == '+' || *q == '-'))
            q++;
        if (q >= s->end || *q < '0' || *q > '9')
            return fail(s, "invalid number");
        while (q < s->end && *q >= '0' && *q <= '9')
            q++;
    }
    size_t n = (size_t)(q - b);
    char small[64];
    char *tmp = n < sizeof small ? small : xmalloc(n + 1);
    memcpy(tmp, b, n);
    tmp[n] = '\0';
    errno = 0;
    /* The same range checks as jansson's reader. */
    if (integer) {
        *iv = strtoll(tmp, NULL, 10);
        *fits = errno != ERANGE;
    } else {
        double d = strtod(tmp, NULL);
        *fits = !(errno == ERANGE && (d == HUGE_VAL || d == -HUGE_VAL));
    }
    if (tmp != small)
        free(tmp);
    *is_int = integer;
    put(s, copy, b, n);
    s->p = q;
    return 0;
}

static int scan_value(struct scan *s, bool copy);

static int scan_literal(struct scan *s, bool copy, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
        return fail(s, s->end - s->p < (ptrdiff_t)n ? "unexpected end of input"
                                                     : "invalid literal");
    put(s, copy, s->p, n);
    s->p += n;
    return 0;
}

/* An object. With 'idv' non-NULL, the top-level "id" member is reported. */
static int scan_object(struct scan *s, bool copy, bool *has_id, long long *idv)
{
    if (++s->depth > PAGESCAN_MAX_DEPTH)
        return fail(s, too_deep);
    put(s, copy, "{", 1);
    s->p++;
    skip_ws(s);
    if (s->p < s->end && *s->p == '}') {
        put(s, copy, "}", 1);
        s->p++;
        s->depth--;
        return 0;
    }
    for (;;) {
        skip_ws(s);
        if (s->p >= s->end)
            return fail(s, "unexpected end of input in an object");
        if (*s->p != '"')
            return fail(s, "expected a member name");
        const char *ks, *ke;
        bool kesc;
        if (scan_string(s, copy, &ks, &ke, &kesc) < 0)
            return -1;
        skip_ws(s);
        if (s->p >= s->end)
            return fail(s, "unexpected end of input in an object");
        if (*s->p != ':')
            return fail(s, "expected ':'");
        put(s, copy, ":", 1);
        s->p++;
        skip_ws(s);
        if (idv && key_is(ks, ke, kesc, "id")) {
            if (s->p < s->end && *s->p == '"') {
                const char *vs, *ve;
                bool vesc;
                if (scan_string(s, copy, &vs, &ve, &vesc) < 0)
                    return -1;
                /* A string of digits is a usable id (cheap defence). */
                size_t n = (size_t)(ve - vs);
                *has_id = !vesc && n > 0 && n < 19 && strspn(vs, "0123456789") >= n;
                if (*has_id) {
                    char tmp[20];
                    memcpy(tmp, vs, n);
                    tmp[n] = '\0';
                    *idv = strtoll(tmp, NULL, 10);
                }
            } else if (s->p < s->end && (*s->p == '-' || (*s->p >= '0' && *s->p <= '9'))) {
                bool is_int, fits;
                long long v;
                if (scan_number(s, copy, &is_int, &fits, &v) < 0)
                    return -1;
                *has_id = is_int && fits && v >= 0;
                *idv = v;
            } else {
                *has_id = false;
                if (scan_value(s, copy) < 0)
                    return -1;
            }
        } else if (scan_value(s, copy) < 0) {
            return -1;
        }
        skip_ws(s);
        if (s->p >= s->end)
            return fail(s, "unexpected end of input in an object");
        if (*s->p == ',') {
            put(s, copy, ",", 1);
            s->p++;
            continue;
        }
        if (*s->p == '}') {
            put(s, copy, "}", 1);
            s->p++;
            s->depth--;
            return 0;
        }
        return fail(s, "expected ',' or '}'");
    }
}

static int scan_array(struct scan *s, bool copy)
{
    if (++s->depth > PAGESCAN_MAX_DEPTH)
        return fail(s, too_deep);
    put(s, copy, "[", 1);
    s->p++;
    skip_ws(s);
    if (s->p < s->end && *s->p == ']') {
        put(s, copy, "]", 1);
        s->p++;
        s->depth--;
        return 0;
    }
    for (;;) {
        if (scan_value(s, copy) < 0)
            return -1;
        skip_ws(s);
        if (s->p >= s->end)
            return fail(s, "unexpected end of input in an array");
        if (*s->p == ',') {
            put(s, copy, ",", 1);
            s->p++;
            continue;
        }
        if (*s->p == ']') {
            put(s, copy, "]", 1);
            s->p++;
            s->depth--;
            return 0;
        }
        return fail(s, "expected ',' or ']'");
    }
}

static int scan_value(struct scan *s, bool copy)
{
    skip_ws(s);
    if (s->p >= s->end)
        return fail(s, "unexpected end of input");
    const char *a, *b;
    bool esc, is_int, fits;
    long long v;
    switch (*s->p) {
    case '{': return scan_object(s, copy, NULL, NULL);
    case '[': return scan_array(s, copy);
    case '"': return scan_string(s, copy, &a, &b, &esc);
    case 't': return scan_literal(s, copy, "true");
    case 'f': return scan_literal(s, copy, "false");
    case 'n': return scan_literal(s, copy, "null");
    default: return scan_number(s, copy, &is_int, &fits, &v);
    }
}

/* data_list: each element must be an object; it is copied as a record. */
static int scan_data_list(struct scan *s, struct pagescan *ps, bool *bad_elem, size_t *bad_idx)
{
    s->depth++;
    s->p++;
    skip_ws(s);
    if (s->p < s->end && *s->p == ']') {
        s->p++;
        s->depth--;
        return 0;
    }
    for (size_t i = 0;; i++) {
        skip_ws(s);
        if (s->p >= s->end)
            return fail(s, "unexpected end of input in data_list");
        if (*s->p != '{') {
            *bad_elem = true;
            *bad_idx = i;
            if (scan_value(s, false) < 0)
                return -1;
        } else {
            struct pagescan_rec r = {ps->recs.len, 0, false, 0};
            long long id = -1;
            if (scan_object(s, true, &r.has_id, &id) < 0)
                return -1;
            r.id = id;
            r.len = ps->recs.len - r.off;
            XGROW(ps->v, ps->cap, ps->n + 1);
            ps->v[ps->n++] = r;
        }
        skip_ws(s);
        if (s->p >= s->end)
            return fail(s, "unexpected end of input in data_list");
        if (*s->p == ',') {
            s->p++;
            continue;
        }
        if (*s->p == ']') {
            s->p++;
            s->depth--;
            return 0;
        }
        return fail(s, "expected ',' or ']'");
    }
}

void pagescan_init(struct pagescan *ps)
{
    memset(ps, 0, sizeof *ps);
    buf_init(&ps->recs, 0);
}

void pagescan_dispose(struct pagescan *ps)
{
    buf_dispose(&ps->recs);
    free(ps->v);
    memset(ps, 0, sizeof *ps);
}

int pagescan_parse(struct pagescan *ps, const char *body, size_t len, char *why,
                   size_t whylen)
{
    buf_clear(&ps->recs);
    ps->n = 0;
    ps->total_num = -1;
    struct scan s = {body, body, body + len, &ps->recs, 0, NULL};
    bool have_total = false, have_list = false, bad_elem = false;
    const char *total_problem = "";
    size_t bad_idx = 0;
    skip_ws(&s);
    if (s.p >= s.end) {
        fail(&s, "empty body");
        goto error;
    }
    if (*s.p != '{') {
        /* Valid JSON of another type is not retried; anything else is. */
        const char *kind = *s.p == '[' ? "an array" : *s.p == '"' ? "a string" : "a scalar";
        if (scan_value(&s, false) < 0)
            goto error;
        skip_ws(&s);
        if (s.p != s.end) {
            fail(&s, "data after the JSON value");
            goto error;
        }
        snprintf(why, whylen, "the body is %s, not a JSON object", kind);
        return PAGESCAN_NOT_A_PAGE;
    }
    /* The top-level object, by hand: its two members matter. */
    s.p++;
    s.depth = 1;
    skip_ws(&s);
    if (s.p < s.end && *s.p == '}') {
        s.p++;
    } else {
        for (;;) {
            skip_ws(&s);
            if (s.p >= s.end) {
                fail(&s, "unexpected end of input");
                goto error;
            }
            if (*s.p != '"') {
                fail(&s, "expected a member name");
                goto error;
            }
            const char *ks, *ke;
            bool kesc;
            if (scan_string(&s, false, &ks, &ke, &kesc) < 0)
                goto error;
            skip_ws(&s);
            if (s.p >= s.end || *s.p != ':') {
                fail(&s, s.p >= s.end ? "unexpected end of input" : "expected ':'");
                goto error;
            }
            s.p++;
            skip_ws(&s);
            bool is_list = key_is(ks, ke, kesc, "data_list");
            bool is_total = key_is(ks, ke, kesc, "total_num");
            if (is_list && s.p < s.end && *s.p == '[') {
                /* A repeated data_list replaces the earlier one (jansson: last wins). */
                buf_clear(&ps->recs);
                ps->n = 0;
                bad_elem = false;
                if (scan_data_list(&s, ps, &bad_elem, &bad_idx) < 0)
                    goto error;
                have_list = true;
            } else if (is_total && s.p < s.end &&
                       (*s.p == '-' || (*s.p >= '0' && *s.p <= '9'))) {
                bool is_int, fits;
                long long v;
                if (scan_number(&s, false, &is_int, &fits, &v) < 0)
                    goto error;
                have_total = is_int && fits;
                total_problem = !is_int ? " (it is a real)" : !fits ? " (it is out of range)" : "";
                ps->total_num = v;
            } else {
                if (is_list)
                    have_list = false;
                if (is_total) {
                    have_total = false;
                    total_problem = "";
                }
                if (scan_value(&s, false) < 0)
                    goto error;
            }
            skip_ws(&s);
            if (s.p >= s.end) {
                fail(&s, "unexpected end of input");
                goto error;
            }
            if (*s.p == ',') {
                s.p++;
                continue;
            }
            if (*s.p == '}') {
                s.p++;
                break;
            }
            fail(&s, "expected ',' or '}'");
            goto error;
        }
    }
    skip_ws(&s);
    if (s.p != s.end) {
        fail(&s, "data after the JSON object");
        goto error;
    }
    if (!have_total) {
        snprintf(why, whylen, "no integer total_num%s", total_problem);
        return PAGESCAN_NOT_A_PAGE;
    }
    if (!have_list) {
        snprintf(why, whylen, "no data_list array");
        return PAGESCAN_NOT_A_PAGE;
    }
    if (bad_elem) {
        snprintf(why, whylen, "data_list[%zu] is not an object", bad_idx);
        return PAGESCAN_NOT_A_PAGE;
    }
    return 0;
error:
    if (s.err == too_deep) {
        /* Valid or not, the same body would stop at the same depth. */
        snprintf(why, whylen, "%s at byte %zu", too_deep, (size_t)(s.p - s.start));
        return PAGESCAN_NOT_A_PAGE;
    }
    snprintf(why, whylen, "invalid JSON at byte %zu: %s%s", (size_t)(s.p - s.start), s.err,
             s.p >= s.end ? " (truncated?)" : "");
    return PAGESCAN_INVALID_JSON;
}

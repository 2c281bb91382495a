/* SPDX-License-Identifier: MIT
 * Placeholders for values jansson cannot hold; see placeholder.h.
 *
 * The replacement pass is a tokenizer, not a parser: it only has to be
 * right for valid JSON, where a string runs to the first unescaped '"',
 * a string followed by ':' is a member name, and outside strings a '-'
 * or a digit starts a number. What it replaces must not hide invalid
 * JSON: a number is replaced only when it follows the JSON grammar, a
 * string only when jansson takes it (NUL allowed), and a member name
 * keeps all but its \u0000 escapes. Anything else invalid is left for
 * the second parse to report. */
#include "model/placeholder.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"

/* How a placeholder is written in JSON text: 9 bytes. */
#define SPELL_RANGE "\"\\u0000R\""
#define SPELL_NUL "\"\\u0000N\""
#define SPELL_LEN 9

/* One replaced token: 'len' bytes at 'at' in the original text became
 * 'newlen' bytes (the placeholder, padded with spaces to the original
 * length when that is longer, so that most replacements move nothing). */
struct patch {
    size_t at, len, newlen;
};

struct patcher {
    const char *s;
    size_t n;
    size_t copied;          /* s[0..copied) is in 'out' */
    struct buf out;
    struct patch *v;
    size_t nv, cap;
    unsigned flaws;
};

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Copy the original text up to 'to'. */
static void copy_to(struct patcher *p, size_t to)
{
    buf_append(&p->out, p->s + p->copied, to - p->copied);
    p->copied = to;
}

static void replace(struct patcher *p, size_t at, size_t len, const char *spell)
{
    copy_to(p, at);
    buf_append(&p->out, spell, SPELL_LEN);
    for (size_t i = SPELL_LEN; i < len; i++)
        buf_putc(&p->out, ' ');
    p->copied = at + len;
    XGROW(p->v, p->cap, p->nv + 1);
    p->v[p->nv++] = (struct patch){at, len, len > SPELL_LEN ? len : SPELL_LEN};
    p->flaws |= PLACEHOLDER_VALUES;
}

/* Whether the escape at s[i] (a backslash) is \u0000. */
static bool is_nul_escape(const char *s, size_t i, size_t n)
{
    return n - i >= 6 && s[i + 1] == 'u' && memcmp(s + i + 2, "0000", 4) == 0;
}

/* Whether the string token 'len' bytes at 'tok' is one jansson would
 * take but for its \u0000: replacing it must not hide invalid UTF-8, a
 * bad escape or a missing closing quote in it (found by fuzz_pagescan). */
static bool string_valid(const char *tok, size_t len)
{
    json_t *v = json_loadb(tok, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    bool ok = v != NULL;
    json_decref(v);
    return ok;
}

/* The string at s[i] ('"'); returns the index past it. */
static size_t string_token(struct patcher *p, size_t i)
{
    const char *s = p->s;
    size_t n = p->n, start = i;
    bool nul = false;
    for (i++; i < n && s[i] != '"'; i++) {
        if (s[i] == '\\' && i + 1 < n) {
            nul |= is_nul_escape(s, i, n);
            i++;    /* the escaped byte cannot end the string */
        }
    }
    size_t end = i < n ? i + 1 : n;
    if (!nul)
        return end;
    size_t k = end;
    while (k < n && is_ws(s[k]))
        k++;
    if (k < n && s[k] == ':') {
        /* A member name: \u0000 -> \uFFFD, same length. */
        copy_to(p, start);
        for (i = start; i < end; i++) {
            if (s[i] == '\\' && i + 1 < end) {
                if (is_nul_escape(s, i, end)) {
                    buf_puts(&p->out, "\\uFFFD");
                    i += 5;
                } else {
                    buf_append(&p->out, s + i, 2);
                    i++;
                }
            } else {
                buf_putc(&p->out, s[i]);
            }
        }
        p->copied = end;
        p->flaws |= PLACEHOLDER_NUL_NAME;
    } else if (string_valid(s + start, end - start)) {
        replace(p, start, end - start, SPELL_NUL);
    }
    return end;
}

/* Whether the number 'len' bytes at 'num' (JSON grammar) fits the way
 * jansson reads it: strtoll for integers, strtod for reals. */
static bool number_fits(const char *num, size_t len, bool integer)
{
    char small[64];
    char *tmp = len < sizeof small ? small : xmalloc(len + 1);
    memcpy(tmp, num, len);
    tmp[len] = '\0';
    errno = 0;
    bool fits;
    if (integer) {
        (void)strtoll(tmp, NULL, 10);
        fits = errno != ERANGE;
    } else {
        double d = strtod(tmp, NULL);
        fits = !(errno == ERANGE && (d == HUGE_VAL || d == -HUGE_VAL));
    }
    if (tmp != small)
        free(tmp);
    return fits;
}

/* The number at s[i] ('-' or a digit); returns the index past it. A run
 * that is not a JSON number is left for jansson to refuse. */
static size_t number_token(struct patcher *p, size_t i)
{
    const char *s = p->s;
    size_t n = p->n, start = i;
    bool integer = true;
    if (s[i] == '-')
        i++;
    if (i < n && s[i] == '0') {
        i++;
    } else if (i < n && s[i] >= '1' && s[i] <= '9') {
        while (i < n && is_digit(s[i]))
            i++;
    } else {
        return i > start ? i : start + 1;
    }
    if (i < n && s[i] == '.') {
        integer = false;
        if (++i >= n || !is_digit(s[i]))
            return i;
        while (i < n && is_digit(s[i]))
            i++;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        integer = false;
        if (++i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        if (i >= n || !is_digit(s[i]))
            return i;
        while (i < n && is_digit(s[i]))
            i++;
    }
    if (!number_fits(s + start, i - start, integer))
        replace(p, start, i - start, SPELL_RANGE);
    return i;
}

/* A position in the replaced text, mapped to the original text. */
static size_t map_back(const struct patcher *p, size_t pos)
{
    long long shift = 0;        /* replaced minus original bytes so far */
    for (size_t i = 0; i < p->nv; i++) {
        const struct patch *q = &p->v[i];
        size_t at = (size_t)((long long)q->at + shift);
        if (pos <= at)
            break;
        if (pos < at + q->newlen)   /* inside a placeholder: its token's end */
            return q->at + q->len;
        shift += (long long)q->newlen - (long long)q->len;
    }
    return (size_t)((long long)pos - shift);
}

/* jansson quotes the token where it stopped ("near '...'"): when that is
 * a placeholder, quote the original token instead. */
static void unquote_placeholder(const struct patcher *p, json_error_t *e)
{
    char *hit = strstr(e->text, SPELL_RANGE);
    if (!hit)
        hit = strstr(e->text, SPELL_NUL);
    if (!hit)
        return;
    long long shift = 0;
    const struct patch *q = NULL;
    for (size_t i = 0; i < p->nv; i++) {
        size_t at = (size_t)((long long)p->v[i].at + shift);
        if ((size_t)e->position > at && (size_t)e->position <= at + p->v[i].newlen) {
            q = &p->v[i];
            break;
        }
        shift += (long long)p->v[i].newlen - (long long)p->v[i].len;
    }
    if (!q)
        return;
    char text[JSON_ERROR_TEXT_LENGTH];
    int keep = q->len > 40 ? 37 : (int)q->len;
    snprintf(text, sizeof text, "%.*s%.*s%s%s", (int)(hit - e->text), e->text, keep,
             p->s + q->at, q->len > 40 ? "..." : "", hit + SPELL_LEN);
    /* The last byte of e->text holds the error code: leave it. */
    size_t len = strlen(text);
    if (len > JSON_ERROR_TEXT_LENGTH - 2)
        len = JSON_ERROR_TEXT_LENGTH - 2;
    memcpy(e->text, text, len);
    e->text[len] = '\0';
}

json_t *placeholder_loadb(const char *s, size_t n, size_t flags, unsigned *flaws,
                          json_error_t *e)
{
    *flaws = 0;
    json_t *j = json_loadb(s, n, flags, e);
    if (j)
        return j;
    enum json_error_code code = json_error_code(e);
    if (code != json_error_numeric_overflow && code != json_error_null_character &&
        code != json_error_null_byte_in_key)
        return NULL;

    struct patcher p;
    memset(&p, 0, sizeof p);
    p.s = s;
    p.n = n;
    buf_init(&p.out, 0);
    for (size_t i = 0; i < n;) {
        char c = s[i];
        if (c == '"')
            i = string_token(&p, i);
        else if (c == '-' || is_digit(c))
            i = number_token(&p, i);
        else
            i++;
    }
    copy_to(&p, n);
    j = json_loadb(p.out.data ? p.out.data : "", p.out.len, flags | JSON_ALLOW_NUL, e);
    if (j) {
        *flaws = p.flaws;
    } else {
        unquote_placeholder(&p, e);
        e->position = (int)map_back(&p, (size_t)e->position);
    }
    buf_dispose(&p.out);
    free(p.v);
    return j;
}

enum placeholder_kind placeholder_kind(const json_t *j)
{
    if (!json_is_string(j) || json_string_length(j) != 2)
        return PLACEHOLDER_NONE;
    const char *v = json_string_value(j);
    if (v[0] != '\0')
        return PLACEHOLDER_NONE;
    return v[1] == PLACEHOLDER_RANGE ? PLACEHOLDER_RANGE
         : v[1] == PLACEHOLDER_NUL   ? PLACEHOLDER_NUL : PLACEHOLDER_NONE;
}

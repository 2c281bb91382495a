/* SPDX-License-Identifier: MIT
 * Tokenizer for `when` expressions; see lex.h. Strings use JSON escapes
 * in either quote style, so a regex escape must be doubled ("\\d"); the
 * error for a lone "\d" says so, because that is the mistake people make. */
#include "rules/lex.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/hex.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

void lex_init(struct lexer *lx, const char *src, size_t len)
{
    lx->src = src;
    lx->len = len;
    lx->pos = 0;
}

static int is_ident_start(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int is_ident(int c)
{
    return is_ident_start(c) || is_digit(c);
}

static const struct { const char *word; enum tok_kind kind; } keywords[] = {
    {"true", TK_TRUE}, {"false", TK_FALSE}, {"null", TK_NULL}, {"and", TK_AND},
    {"or", TK_OR},     {"not", TK_NOT},     {"in", TK_IN},
};

static void lex_number(struct lexer *lx, struct token *t)
{
    const char *s = lx->src;
    size_t p = lx->pos;
    int is_dec = 0;
    while (p < lx->len && is_digit((unsigned char)s[p]))
        p++;
    if (p + 1 < lx->len && s[p] == '.' && is_digit((unsigned char)s[p + 1])) {
        is_dec = 1;
        p++;
        while (p < lx->len && is_digit((unsigned char)s[p]))
            p++;
    }
    if (p < lx->len && (s[p] == 'e' || s[p] == 'E')) {
        size_t q = p + 1;
        if (q < lx->len && (s[q] == '+' || s[q] == '-'))
            q++;
        if (q < lx->len && is_digit((unsigned char)s[q])) {
            is_dec = 1;
            p = q;
            while (p < lx->len && is_digit((unsigned char)s[p]))
                p++;
        }
    }
    size_t num_end = p;
    /* A duration is a whole number glued to one unit letter. */
    if (!is_dec && p < lx->len && s[p] && strchr("dhms", s[p]) &&
        (p + 1 >= lx->len || !is_ident((unsigned char)s[p + 1]))) {
        t->kind = TK_DUR;
        t->end = p + 1;
        lx->pos = p + 1;
        if (duration_parse(s + t->start, t->end - t->start, &t->i) != 0) {
            t->kind = TK_ERROR;
            t->err = "duration out of range";
        }
        return;
    }
    while (p < lx->len && is_ident((unsigned char)s[p]))
        p++;
    t->end = p;
    lx->pos = p;
    if (p != num_end) {
        t->kind = TK_ERROR;
        t->err = is_dec ? "invalid number (durations are whole numbers with a unit d, h, m or s)"
                        : "invalid number (a duration unit is one of d, h, m or s)";
        return;
    }
    char tmp[64];
    size_t n = num_end - t->start;
    if (n >= sizeof tmp) {
        t->kind = TK_ERROR;
        t->err = is_dec ? "number too long" : "integer out of range";
        return;
    }
    memcpy(tmp, s + t->start, n);
    tmp[n] = '\0';
    errno = 0;
    if (is_dec) {
        t->kind = TK_DEC;
        t->d = strtod(tmp, NULL);
        if (errno == ERANGE) {
            t->kind = TK_ERROR;
            t->err = "number out of range";
        }
    } else {
        t->kind = TK_INT;
        long long v = strtoll(tmp, NULL, 10);
        t->i = v;
        if (errno == ERANGE) {
            t->kind = TK_ERROR;
            t->err = "integer out of range";
        }
    }
}

/* Validate a string literal starting at lx->pos (the quote). */
static void lex_string(struct lexer *lx, struct token *t)
{
    const char *s = lx->src;
    char q = s[lx->pos];
    size_t p = lx->pos + 1;
    while (p < lx->len && s[p] != q) {
        if (s[p] == '\\') {
            if (p + 1 >= lx->len)
                break;
            char e = s[p + 1];
            if (e == 'u') {
                if (hex_u4(s + p + 2, s + lx->len) < 0) {
                    t->kind = TK_ERROR;
                    t->start = p;
                    t->end = p + 2;
                    t->err = "invalid \\u escape (expected four hex digits)";
                    lx->pos = lx->len;
                    return;
                }
                p += 6;
                continue;
            }
            if (e == '\0' || !strchr("\"'\\/bfnrt", e)) {
                t->kind = TK_ERROR;
                t->start = p;
                t->end = p + 2;
                t->err = "invalid escape in string (write '\\\\' for a backslash, "
                         "e.g. \"\\\\d\" in a regex)";
                lx->pos = lx->len;
                return;
            }
            p += 2;
            continue;
        }
        p++;
    }
    if (p >= lx->len) {
        t->kind = TK_ERROR;
        t->end = lx->len;
        t->err = "unterminated string";
        lx->pos = lx->len;
        return;
    }
    t->kind = TK_STR;
    t->end = p + 1;
    lx->pos = p + 1;
}

void lex_next(struct lexer *lx, struct token *t)
{
    const char *s = lx->src;
    memset(t, 0, sizeof *t);
    while (lx->pos < lx->len && s[lx->pos] && strchr(" \t\r\n", s[lx->pos]))
        lx->pos++;
    t->start = t->end = lx->pos;
    if (lx->pos >= lx->len) {
        t->kind = TK_EOF;
        return;
    }
    unsigned char c = (unsigned char)s[lx->pos];
    unsigned char c1 = lx->pos + 1 < lx->len ? (unsigned char)s[lx->pos + 1] : 0;
    if (is_digit(c)) {
        lex_number(lx, t);
        return;
    }
    if (c == '"' || c == '\'') {
        lex_string(lx, t);
        return;
    }
    if (is_ident_start(c)) {
        size_t p = lx->pos;
        while (p < lx->len && is_ident((unsigned char)s[p]))
            p++;
        t->kind = TK_IDENT;
        t->end = p;
        lx->pos = p;
        for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
            if (strlen(keywords[i].word) == p - t->start &&
                memcmp(keywords[i].word, s + t->start, p - t->start) == 0)
                t->kind = keywords[i].kind;
        return;
    }
    size_t n = 1;
    switch (c) {
    case '(': t->kind = TK_LPAREN; break;
    case ')': t->kind = TK_RPAREN; break;
    case '[': t->kind = TK_LBRACK; break;
    case ']': t->kind = TK_RBRACK; break;
    case ',': t->kind = TK_COMMA; break;
    case '.': t->kind = TK_DOT; break;
    case '+': t->kind = TK_PLUS; break;
    case '-': t->kind = TK_MINUS; break;
    case '*': t->kind = TK_STAR; break;
    case '/': t->kind = TK_SLASH; break;
    case '<':
        t->kind = c1 == '=' ? TK_LE : TK_LT;
        n = c1 == '=' ? 2 : 1;
        break;
    case '>':
        t->kind = c1 == '=' ? TK_GE : TK_GT;
        n = c1 == '=' ? 2 : 1;
        break;
    case '=':
        n = 2;
        if (c1 == '=') {
            t->kind = TK_EQ;
        } else if (c1 == '~') {
            t->kind = TK_MATCH;
        } else {
            n = 1;
            t->kind = TK_ERROR;
            t->err = "'=' is not an operator (use '==' to compare)";
        }
        break;
    case '!':
        n = 2;
        if (c1 == '=') {
            t->kind = TK_NE;
        } else if (c1 == '~') {
            t->kind = TK_NMATCH;
        } else {
            n = 1;
            t->kind = TK_ERROR;
            t->err = "'!' is not an operator (use 'not')";
        }
        break;
    case '&':
        t->kind = TK_ERROR;
        n = c1 == '&' ? 2 : 1;
        t->err = "'&&' is not an operator (use 'and')";
        break;
    case '|':
        t->kind = TK_ERROR;
        n = c1 == '|' ? 2 : 1;
        t->err = "'||' is not an operator (use 'or')";
        break;
    default:
        t->kind = TK_ERROR;
        t->err = "unexpected character";
        /* Take a whole UTF-8 sequence so the caret spans one character. */
        while (lx->pos + n < lx->len && ((unsigned char)s[lx->pos + n] & 0xC0) == 0x80)
            n++;
        break;
    }
    lx->pos += n;
    t->end = lx->pos;
}

/* Walk the literal at [start, end), calling back per decoded byte. Shared
 * by the decoder and the offset mapper so the two cannot disagree. */
static size_t walk_string(const char *src, size_t start, size_t end, char *out,
                          size_t stop_at, size_t *srcoff)
{
    size_t p = start + 1, k = 0;
    size_t close = end - 1;
    while (p < close) {
        unsigned char buf[4];
        size_t nb = 1, adv = 1;
        if (src[p] != '\\') {
            buf[0] = (unsigned char)src[p];
        } else {
            char e = src[p + 1];
            adv = 2;
            switch (e) {
            case 'b': buf[0] = '\b'; break;
            case 'f': buf[0] = '\f'; break;
            case 'n': buf[0] = '\n'; break;
            case 'r': buf[0] = '\r'; break;
            case 't': buf[0] = '\t'; break;
            case 'u': {
                long cp = hex_u4(src + p + 2, src + close);
                adv = 6;
                if (cp >= 0xD800 && cp <= 0xDBFF && p + 11 < close && src[p + 6] == '\\' &&
                    src[p + 7] == 'u') {
                    long lo = hex_u4(src + p + 8, src + close);
                    if (lo >= 0xDC00 && lo <= 0xDFFF) {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                        adv = 12;
                    }
                }
                if (cp < 0 || (cp >= 0xD800 && cp <= 0xDFFF))
                    cp = 0xFFFD;    /* a lone surrogate: the replacement char */
                if (cp < 0x80) {
                    buf[0] = (unsigned char)cp;
                } else if (cp < 0x800) {
                    buf[0] = (unsigned char)(0xC0 | (cp >> 6));
                    buf[1] = (unsigned char)(0x80 | (cp & 0x3F));
                    nb = 2;
                } else if (cp < 0x10000) {
                    buf[0] = (unsigned char)(0xE0 | (cp >> 12));
                    buf[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
                    buf[2] = (unsigned char)(0x80 | (cp & 0x3F));
                    nb = 3;
                } else {
                    buf[0] = (unsigned char)(0xF0 | (cp >> 18));
                    buf[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
                    buf[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
                    buf[3] = (unsigned char)(0x80 | (cp & 0x3F));
                    nb = 4;
                }
                break;
            }
            default: buf[0] = (unsigned char)e; break;
            }
        }
        for (size_t i = 0; i < nb; i++, k++) {
            if (k == stop_at) {
                *srcoff = p;
                return k;
            }
            if (out)
                out[k] = (char)buf[i];
        }
        p += adv;
    }
    if (srcoff)
        *srcoff = close;
    return k;
}

char *lex_string_value(const char *src, size_t start, size_t end, size_t *len)
{
    /* Decoding never grows the text. */
    char *out = xmalloc(end - start + 1);
    size_t n = walk_string(src, start, end, out, (size_t)-1, NULL);
    out[n] = '\0';
    if (len)
        *len = n;
    return out;
}

size_t lex_string_srcoff(const char *src, size_t start, size_t end, size_t k)
{
    size_t off = end - 1;
    walk_string(src, start, end, NULL, k, &off);
    return off;
}

const char *lex_kind_name(enum tok_kind k)
{
    switch (k) {
    case TK_EOF: return "end of expression";
    case TK_ERROR: return "invalid token";
    case TK_INT: return "integer";
    case TK_DEC: return "decimal";
    case TK_DUR: return "duration";
    case TK_STR: return "string";
    case TK_IDENT: return "name";
    case TK_TRUE: return "'true'";
    case TK_FALSE: return "'false'";
    case TK_NULL: return "'null'";
    case TK_AND: return "'and'";
    case TK_OR: return "'or'";
    case TK_NOT: return "'not'";
    case TK_IN: return "'in'";
    case TK_LPAREN: return "'('";
    case TK_RPAREN: return "')'";
    case TK_LBRACK: return "'['";
    case TK_RBRACK: return "']'";
    case TK_COMMA: return "','";
    case TK_DOT: return "'.'";
    case TK_EQ: return "'=='";
    case TK_NE: return "'!='";
    case TK_LT: return "'<'";
    case TK_LE: return "'<='";
    case TK_GT: return "'>'";
    case TK_GE: return "'>='";
    case TK_MATCH: return "'=~'";
    case TK_NMATCH: return "'!~'";
    case TK_PLUS: return "'+'";
    case TK_MINUS: return "'-'";
    case TK_STAR: return "'*'";
    case TK_SLASH: return "'/'";
    }
    return "token";
}

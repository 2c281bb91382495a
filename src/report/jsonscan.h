/* SPDX-License-Identifier: MIT
 * A JSON scanner over bytes in memory, for the report reader
 * (report/reader.c): find where values start and end without building
 * them, and read flat objects of scalars (the JSON report's inventory
 * and finding rows) straight from the bytes.
 *
 * Why not jansson for everything: a 100,000-image report is about
 * 200 MB, and jansson spends about 2.5 s of CPU building trees for its
 * finding rows alone, most of a report run's time, while a baseline
 * needs a handful of columns from each row. The reader still gives the
 * small sections (meta, rules, waivers) to jansson.
 *
 * What is checked: js_value() and js_row() check what they read as
 * strictly as jansson does (string escapes, UTF-8, no \u0000, control
 * characters, number grammar, 64-bit integers). js_skip() checks only
 * the structure (strings closed, brackets matched): it is the cheap
 * path for values nobody reads.
 *
 * Positions are byte offsets into the text; js_line_col() turns one
 * into a line and column for messages. Nothing here allocates, except
 * that js_str_decode() appends to a caller's buffer. */
#ifndef IMGAUDIT_JSONSCAN_H
#define IMGAUDIT_JSONSCAN_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

struct js_text {
    const char *p;
    size_t n;
};

/* Why scanning stopped: where, and either because the text ended
 * ('eof', e.g. a truncated file) or with a reason: a syntax error
 * ("expected ',' or '}' but found 'x'") or a name given twice in a
 * row. */
struct js_err {
    size_t at;
    bool eof;
    bool syntax;                /* not JSON (else valid JSON the reader refuses) */
    char msg[96];
};

enum js_kind { JS_ABSENT, JS_NULL, JS_BOOL, JS_INT, JS_REAL, JS_STR, JS_ARRAY, JS_OBJECT };

/* A value as read: scalars decoded, strings as their raw bytes (between
 * the quotes, escapes as written), arrays and objects as their extent. */
struct js_val {
    uint8_t kind;               /* enum js_kind */
    bool esc;                   /* JS_STR: has backslash escapes */
    bool b;                     /* JS_BOOL */
    int64_t i;                  /* JS_INT */
    size_t at, end;             /* the value's bytes: [at, end) */
    const char *s;              /* JS_STR: raw content, 'len' bytes */
    size_t len;
};

/* The offset of the first byte at or after 'at' that is not JSON
 * whitespace (t->n when none is left). */
size_t js_ws(const struct js_text *t, size_t at);

/* Find the end of the value starting at 'at' (its first byte): '*end'
 * is just past it. Returns 0 or -1 ('e' says why). */
int js_skip(const struct js_text *t, size_t at, size_t *end, struct js_err *e);

/* Read the value at 'at' into 'v' (arrays and objects are skipped:
 * their extent only). Returns 0 or -1. */
int js_value(const struct js_text *t, size_t at, struct js_val *v, struct js_err *e);

/* Iterating an array or an object: js_*_begin at its '[' or '{', then
 * js_*_next until it returns 0 (the end; it->pos is then just past the
 * closing bracket) or -1. After each element or member the caller sets
 * it->pos to the end of its value (js_skip, js_value or js_row give it). */
struct js_iter {
    size_t pos;
    bool first;
};
int js_array_begin(const struct js_text *t, size_t at, struct js_iter *it, struct js_err *e);
/* 1 with the element's first byte in '*at', 0 at the end, -1. */
int js_array_next(const struct js_text *t, struct js_iter *it, size_t *at, struct js_err *e);
int js_object_begin(const struct js_text *t, size_t at, struct js_iter *it, struct js_err *e);
/* 1 with the member's name in 'key' and its value's first byte in '*at'. */
int js_object_next(const struct js_text *t, struct js_iter *it, struct js_val *key, size_t *at,
                   struct js_err *e);

/* The names a flat row may have. js_keys_init() once before use. */
struct js_keys {
    const char *const *names;
    size_t n;
    size_t *len;                /* filled by js_keys_init; owned */
};
void js_keys_init(struct js_keys *k, const char *const *names, size_t n);
void js_keys_dispose(struct js_keys *k);

/* Read the object at 'at' whose members are named in 'k': vals[i] gets
 * the value of k->names[i] (JS_ABSENT when the object lacks it); other
 * members are skipped. '*end' is just past the object. A name given
 * twice is an error. Returns 0 or -1. */
int js_row(const struct js_text *t, size_t at, const struct js_keys *k, struct js_val *vals,
           size_t *end, struct js_err *e);

/* String values (JS_STR): decode the escapes and append the text to
 * 'out'; compare with 's' ('n' bytes), using 'scratch' only when 'v' has
 * escapes. */
void js_str_decode(const struct js_val *v, struct buf *out);
bool js_str_eq(const struct js_val *v, const char *s, size_t n, struct buf *scratch);
/* Is the member name 'key' (a JS_STR from js_object_next) 'name'? */
bool js_key_is(const struct js_val *key, const char *name, struct buf *scratch);

/* The value of member 'name' of the object at 'obj' (for messages: no
 * errors, 'obj' itself when not found), and the first byte of element
 * 'index' of the array at 'arr' ('arr' when not found). */
size_t js_find_member(const struct js_text *t, size_t obj, const char *name);
size_t js_find_element(const struct js_text *t, size_t arr, size_t index);

/* 1-based line and byte column of offset 'at'. */
void js_line_col(const struct js_text *t, size_t at, int *line, int *col);

/* How a value looks, for "found ..." in messages: its text, cut after
 * 40 bytes with "...". */
void js_describe(const struct js_text *t, const struct js_val *v, char out[64]);

#endif

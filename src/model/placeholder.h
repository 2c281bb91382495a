/* SPDX-License-Identifier: MIT
 * Records whose JSON is valid but holds a value imgaudit cannot hold.
 *
 * RFC 8259 sets no limit on numbers and allows U+0000 in strings, but
 * jansson (and so everything in imgaudit that reads a record) cannot hold
 * an integer beyond 64 bits, a real beyond the double range (1e400), a
 * string with U+0000 or a member name with U+0000, and refuses the whole
 * text for any one of them. One such value, even in a member no rule
 * reads, must not sink an audit.
 *
 * placeholder_loadb() parses a record's text like json_loadb(). Only
 * when jansson refuses it for one of those values (its error codes
 * json_error_numeric_overflow, json_error_null_character,
 * json_error_null_byte_in_key) is the text scanned once, each such value
 * replaced, and the result parsed again with JSON_ALLOW_NUL:
 *   - a number jansson cannot hold  -> the placeholder PLACEHOLDER_RANGE;
 *   - a string value holding \u0000 -> the placeholder PLACEHOLDER_NUL;
 *   - a member name holding \u0000: each \u0000 in it becomes \uFFFD
 *     (no rule can name such a member; its value is kept) and
 *     PLACEHOLDER_NUL_NAME is set in '*flaws'.
 * Clean text costs one json_loadb(), as before.
 *
 * A placeholder is a JSON string of two bytes: NUL, then the kind
 * letter. No other string in such a tree holds a NUL, because every
 * string that did was replaced, so a placeholder cannot be data.
 * record_decode() (record.h) counts each one in the data-quality table
 * and replaces it by null, so rules see the value as missing.
 *
 * Only valid JSON is rescued. When the text is also invalid for another
 * reason, the error is jansson's reading of the replaced text, with
 * 'position' mapped back to the original text ('line' is unchanged: no
 * replacement holds a newline; 'column' is not mapped), and a
 * placeholder quoted by "near '...'" shown as the original token. */
#ifndef IMGAUDIT_PLACEHOLDER_H
#define IMGAUDIT_PLACEHOLDER_H
#include <jansson.h>
#include <stddef.h>

enum placeholder_kind {
    PLACEHOLDER_NONE = 0,
    PLACEHOLDER_RANGE = 'R',    /* a number beyond int64 or the double range */
    PLACEHOLDER_NUL = 'N',      /* a string holding \u0000 */
};

/* '*flaws' bits. */
#define PLACEHOLDER_VALUES 1u   /* the tree holds placeholders */
#define PLACEHOLDER_NUL_NAME 2u /* a member name held \u0000 */

/* Parse 's' ('n' bytes) with jansson 'flags'; see above. Returns a new
 * reference, or NULL with 'e' set. '*flaws' is 0 for clean text. */
json_t *placeholder_loadb(const char *s, size_t n, size_t flags, unsigned *flaws,
                          json_error_t *e);

/* The kind of placeholder 'j' is, or PLACEHOLDER_NONE (also for NULL). */
enum placeholder_kind placeholder_kind(const json_t *j);

#endif

/* SPDX-License-Identifier: MIT
 * Streaming JSON output; see jsonout.h. */
#include "render/jsonout.h"

#include <stdint.h>
#include <stdlib.h>

#include "util/buf.h"
#include "util/utf8.h"

/* JSON text has no raw newlines inside strings, so indenting after each
 * newline is safe. */
int jsonout_indented(FILE *out, json_t *j, int indent)
{
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(j);
    if (!s)
        return -1;
    for (const char *p = s; *p; p++) {
        fputc(*p, out);
        if (*p == '\n')
            fprintf(out, "%*s", indent, "");
    }
    free(s);
    return ferror(out) ? -1 : 0;
}

/* The compact encoder. jansson's own dump (json_dump_callback) checks
 * every array and object for a reference cycle by formatting its
 * address and adding it to a hash table, then calls its writer back
 * for every token: about 90,000 instructions per finding, the larger
 * part of the JSON and SARIF writers' time (issue 10, target 4). The
 * trees here are built fresh for each element and have no cycles, so
 * this writes the same bytes as json_dumps(j, JSON_COMPACT |
 * JSON_PRESERVE_ORDER) straight into a buffer: keys in insertion order,
 * strings escaped as jansson escapes them (\\, \", \b \f \n \r \t, other
 * control characters as \u00XX with capitals, everything else as it is)
 * and refused when they are not valid UTF-8, as jansson refuses them;
 * reals, which need jansson's formatting, are left to jansson. The
 * differential test is tests/unit/test_json.c. */
#define JSONOUT_MAX_DEPTH 512   /* far beyond any report element; no unbounded recursion */

static int put_string(struct buf *b, const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    buf_putc(b, '"');
    size_t run = 0;   /* start of the bytes not yet appended */
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0x80) {
            size_t len = utf8_seq_len(s + i, n - i);
            if (!len)
                return -1;
            i += len;
            continue;
        }
        buf_append(b, s + run, i - run);
        switch (c) {
        case '"': buf_puts(b, "\\\""); break;
        case '\\': buf_puts(b, "\\\\"); break;
        case '\b': buf_puts(b, "\\b"); break;
        case '\f': buf_puts(b, "\\f"); break;
        case '\n': buf_puts(b, "\\n"); break;
        case '\r': buf_puts(b, "\\r"); break;
        case '\t': buf_puts(b, "\\t"); break;
        default: buf_printf(b, "\\u%04X", c); break;
        }
        run = ++i;
    }
    buf_append(b, s + run, n - run);
    return buf_putc(b, '"');
}

static int put_value(struct buf *b, const json_t *j, int depth)
{
    if (depth > JSONOUT_MAX_DEPTH)
        return -1;
    switch (json_typeof(j)) {
    case JSON_OBJECT: {
        buf_putc(b, '{');
        bool first = true;
        for (void *it = json_object_iter((json_t *)j); it;
             it = json_object_iter_next((json_t *)j, it)) {
            if (!first)
                buf_putc(b, ',');
            first = false;
            if (put_string(b, json_object_iter_key(it), json_object_iter_key_len(it)) < 0 ||
                buf_putc(b, ':') < 0 || put_value(b, json_object_iter_value(it), depth + 1) < 0)
                return -1;
        }
        return buf_putc(b, '}');
    }
    case JSON_ARRAY: {
        buf_putc(b, '[');
        for (size_t i = 0; i < json_array_size(j); i++)
            if ((i && buf_putc(b, ',') < 0) || put_value(b, json_array_get(j, i), depth + 1) < 0)
                return -1;
        return buf_putc(b, ']');
    }
    case JSON_STRING:
        return put_string(b, json_string_value(j), json_string_length(j));
    case JSON_INTEGER:
        return buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(j));
    case JSON_TRUE:
        return buf_puts(b, "true");
    case JSON_FALSE:
        return buf_puts(b, "false");
    case JSON_NULL:
        return buf_puts(b, "null");
    case JSON_REAL: {
        char tmp[128];
        size_t n = json_dumpb(j, tmp, sizeof tmp, JSON_ENCODE_ANY | JSON_COMPACT);
        return n > 0 && n <= sizeof tmp ? buf_append(b, tmp, n) : -1;
    }
    }
    return -1;
}

int jsonout_line_buf(struct buf *b, json_t *j, bool first, int indent)
{
    buf_printf(b, "%s\n%*s", first ? "" : ",", indent, "");
    int rc = json_is_object(j) || json_is_array(j) ? put_value(b, j, 0) : -1;
    json_decref(j);
    return rc;
}

/* One fwrite per element, encoded by put_value. */
int jsonout_line(FILE *out, json_t *j, bool first, int indent)
{
    struct buf b;
    buf_init(&b, 0);
    int rc = jsonout_line_buf(&b, j, first, indent);
    if (rc == 0)
        fwrite(b.data, 1, b.len, out);
    buf_dispose(&b);
    return rc == 0 && !ferror(out) ? 0 : -1;
}

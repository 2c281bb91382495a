/* SPDX-License-Identifier: MIT
 * The report reader's JSON scanner (src/report/jsonscan.c) against
 * jansson, which wrote the reports: every value js_value() accepts,
 * jansson accepts with the same meaning (strings decoded to the same
 * bytes, integers to the same number), and what jansson refuses, the
 * scanner refuses; skipping finds the same extents as reading; rows
 * read their named members in any order; js_skip() (64 bytes at a
 * time where it can) ends and fails exactly where a byte-by-byte skip
 * does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "report/jsonscan.h"
#include "util/buf.h"

static struct js_text text(const char *s)
{
    return (struct js_text){s, strlen(s)};
}

/* js_value and jansson agree on 's' (a value followed by a space). */
static void check_value(const char *s)
{
    struct js_text t = text(s);
    struct js_val v;
    struct js_err e;
    int rc = js_value(&t, 0, &v, &e);
    json_error_t je;
    json_t *j = json_loads(s, JSON_DECODE_ANY, &je);
    if (rc < 0) {
        if (j)
            fail_msg("scanner refuses what jansson takes: %s (%s)", s, e.msg);
        return;
    }
    if (!j)
        fail_msg("scanner takes what jansson refuses: %s (%s)", s, je.text);
    struct buf b = BUF_INIT;
    switch (v.kind) {
    case JS_STR:
        assert_true(json_is_string(j));
        js_str_decode(&v, &b);
        assert_int_equal(b.len, json_string_length(j));
        assert_memory_equal(buf_cstr(&b), json_string_value(j), b.len);
        assert_true(js_str_eq(&v, json_string_value(j), json_string_length(j), &b));
        break;
    case JS_INT:
        assert_true(json_is_integer(j));
        assert_true(v.i == json_integer_value(j));
        break;
    case JS_REAL: assert_true(json_is_real(j)); break;
    case JS_BOOL: assert_int_equal(v.b, json_is_true(j)); break;
    case JS_NULL: assert_true(json_is_null(j)); break;
    case JS_ARRAY: assert_true(json_is_array(j)); break;
    case JS_OBJECT: assert_true(json_is_object(j)); break;
    }
    /* Skipping ends where reading ends. */
    size_t end;
    assert_int_equal(js_skip(&t, 0, &end, &e), 0);
    assert_int_equal(end, v.end);
    buf_dispose(&b);
    json_decref(j);
}

static void test_values(void **state)
{
    (void)state;
    static const char *const values[] = {
        "\"plain\" ", "\"\" ", "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\" ", "\"\\u00e9\\u6d4b\" ",
        "\"\\ud83d\\ude00 astral\" ", "\"r\xc3\xa9gistre \xe6\xb5\x8b\" ", "\"\\\\\" ",
        "\"\\u0000\" ", "\"\\ud800\" ", "\"\\udc00\" ", "\"\\ud800\\u0041\" ", "\"\\x\" ",
        "\"tab\there\" ", "\"\xff\" ", "\"\xc0\x80\" ", "\"\xed\xa0\x80\" ", "\"\xf4\x90\x80\x80\" ",
        "\"\\u12\" ", "\"unclosed ",
        "0 ", "-0 ", "42 ", "-17 ", "9223372036854775807 ", "-9223372036854775808 ",
        "9223372036854775808 ", "-9223372036854775809 ", "01 ", "1.5 ", "1e3 ", "-1.0e-2 ",
        "1. ", ".5 ", "- ", "1e ", "12ab ",
        "true ", "false ", "null ", "tru ", "nul ", "truex ", "True ",
        "[] ", "[1, [2, {\"a\": \"]\"}]] ", "{\"a\": [1, 2], \"b\\\"\": \"}\"} ", "[1, 2} ",
        "{\"a\": 1] ",
    };
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
        check_value(values[i]);
}

/* Each byte that ends a plain run in a string (an escape, a control
 * character, UTF-8 good and bad; DEL does not) at every offset from 0
 * to 40 of the string, so on every place of the scanner's 16- and
 * 8-byte steps, and the closing quote after it: js_value() agrees with
 * jansson, whole and cut. */
static void test_string_offsets(void **state)
{
    (void)state;
    static const char *const specials[] = {
        "\\\"", "\\\\", "\\n", "\\u00e9", "\\ud83d\\ude00", "\x01", "\x1f", "\x7f",
        "\xc3\xa9", "\xe6\xb5\x8b", "\xf0\x9f\x98\x80", "\xff", "\xc3", "\xed\xa0\x80", "\\x",
    };
    struct buf b = BUF_INIT;
    for (size_t k = 0; k < sizeof specials / sizeof specials[0]; k++) {
        for (size_t off = 0; off <= 40; off++) {
            buf_clear(&b);
            buf_putc(&b, '"');
            for (size_t i = 0; i < off; i++)
                buf_putc(&b, (char)('a' + i % 26));
            buf_puts(&b, specials[k]);
            buf_puts(&b, "0123456789abcdef0123456789\" ");
            check_value(buf_cstr(&b));
            /* Cut: the text ends inside the string. */
            struct js_text t = {b.data, 1 + off + strlen(specials[k]) / 2};
            struct js_val v;
            struct js_err e;
            if (js_value(&t, 0, &v, &e) == 0)
                fail_msg("a cut string was read: %.*s", (int)t.n, t.p);
        }
    }
    buf_dispose(&b);
}

static void test_truncated(void **state)
{
    (void)state;
    static const char *const cut[] = {"\"abc", "\"a\\", "\"\\u00", "[1, 2", "{\"a\": ", "tr",
                                      "-", "1.", "1e", "{\"a\": \"b\\\"}"};
    for (size_t i = 0; i < sizeof cut / sizeof cut[0]; i++) {
        struct js_text t = text(cut[i]);
        struct js_val v;
        struct js_err e;
        size_t end;
        assert_int_equal(js_value(&t, 0, &v, &e), -1);
        assert_true(e.eof);
        assert_int_equal(e.at, t.n);
        if (cut[i][0] == '[' || cut[i][0] == '{' || cut[i][0] == '"') {
            assert_int_equal(js_skip(&t, 0, &end, &e), -1);
            assert_true(e.eof);
        }
    }
}

static void test_row(void **state)
{
    (void)state;
    static const char *const names[] = {"id", "name", "tags"};
    struct js_keys k;
    js_keys_init(&k, names, 3);
    struct js_val v[3];
    struct js_err e;
    struct buf b = BUF_INIT;
    size_t end;
    /* Out of order, an escaped name, an unknown member skipped. */
    struct js_text t = text("{\"tags\": [\"a\"], \"other\": {\"id\": 9}, \"n\\u0061me\": \"x\", "
                            "\"id\": 7} tail");
    assert_int_equal(js_row(&t, 0, &k, v, &end, &e), 0);
    assert_memory_equal(t.p + end, " tail", 5);
    assert_int_equal(v[0].kind, JS_INT);
    assert_int_equal(v[0].i, 7);
    assert_true(js_str_eq(&v[1], "x", 1, &b));
    assert_int_equal(v[2].kind, JS_ARRAY);
    t = text("{\"id\": 1}");
    assert_int_equal(js_row(&t, 0, &k, v, &end, &e), 0);
    assert_int_equal(v[1].kind, JS_ABSENT);
    t = text("{\"id\": 1, \"i\\u0064\": 2}");
    assert_int_equal(js_row(&t, 0, &k, v, &end, &e), -1);
    assert_false(e.syntax);
    assert_string_equal(e.msg, "\"id\" is given twice");
    assert_int_equal(e.at, 10);
    t = text("{\"id\" 1}");
    assert_int_equal(js_row(&t, 0, &k, v, &end, &e), -1);
    assert_true(e.syntax);
    assert_string_equal(e.msg, "expected ':' but found '1'");
    buf_dispose(&b);
    js_keys_dispose(&k);
}

static void test_positions(void **state)
{
    (void)state;
    struct js_text t = text("{\n  \"a\": [1,\n\t\"x\"],\n  \"b\": \"r\xc3\xa9\" }");
    int line, col;
    js_line_col(&t, 0, &line, &col);
    assert_int_equal(line, 1);
    assert_int_equal(col, 1);
    size_t a = js_find_member(&t, 0, "a");
    js_line_col(&t, a, &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 8);
    js_line_col(&t, js_find_element(&t, a, 1), &line, &col);
    assert_int_equal(line, 3);
    assert_int_equal(col, 2);
    assert_int_equal(js_find_member(&t, 0, "nope"), 0);
    struct js_val v;
    struct js_err e;
    char out[64];
    assert_int_equal(js_value(&t, js_find_member(&t, 0, "b"), &v, &e), 0);
    js_describe(&t, &v, out);
    assert_string_equal(out, "\"r\xc3\xa9\"");
    /* Cut after 40 bytes, but not inside a character: the 40th is the
     * first byte of the e-acute. */
    struct js_text long_text = text("\"01234567890123456789012345678901234567\xc3\xa9xyz\"");
    assert_int_equal(js_value(&long_text, 0, &v, &e), 0);
    js_describe(&long_text, &v, out);
    assert_string_equal(out, "\"01234567890123456789012345678901234567...");
}

/* ---- js_skip against a byte-by-byte skip --------------------------- */

/* What js_skip() must do for an array or object at 'at', the plainest
 * way: byte by byte, a backslash in a string taking the next byte with
 * it. Same results, offsets and messages. */
static int ref_skip(const char *s, size_t n, size_t at, size_t *end, struct js_err *e)
{
    static char open[2048];
    size_t depth = 0;
    bool in_str = false;
    memset(e, 0, sizeof *e);
    for (size_t i = at; i < n; i++) {
        char c = s[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = false;
        } else if (c == '"') {
            in_str = true;
        } else if (c == '{' || c == '[') {
            if (depth == sizeof open) {
                e->at = i;
                e->syntax = true;
                snprintf(e->msg, sizeof e->msg, "nested too deeply");
                return -1;
            }
            open[depth++] = c;
        } else if (c == '}' || c == ']') {
            char want = open[--depth] == '[' ? ']' : '}';
            if (c != want) {
                e->at = i;
                e->syntax = true;
                snprintf(e->msg, sizeof e->msg, "expected '%c' but found '%c'", want, c);
                return -1;
            }
            if (depth == 0) {
                *end = i + 1;
                return 0;
            }
        }
    }
    e->at = n;
    e->eof = true;
    snprintf(e->msg, sizeof e->msg, "the text ends early");
    return -1;
}

/* js_skip() and ref_skip() agree on the 'n' bytes at 's' from 'at' (a
 * copy of exactly 'n' bytes, so that reading past them is an ASan
 * error). */
static void check_skip(const char *s, size_t n, size_t at)
{
    char *copy = malloc(n ? n : 1);
    memcpy(copy, s, n);
    struct js_text t = {copy, n};
    struct js_err e1, e2;
    size_t end1 = 0, end2 = 0;
    int r1 = js_skip(&t, at, &end1, &e1), r2 = ref_skip(copy, n, at, &end2, &e2);
    if (r1 != r2 || (r1 == 0 && end1 != end2) ||
        (r1 < 0 && (e1.at != e2.at || e1.eof != e2.eof || strcmp(e1.msg, e2.msg) != 0)))
        fail_msg("js_skip %d end %zu at %zu \"%s\", expected %d end %zu at %zu \"%s\" "
                 "on %zu bytes from %zu: %.*s", r1, end1, e1.at, r1 < 0 ? e1.msg : "", r2, end2,
                 e2.at, r2 < 0 ? e2.msg : "", n, at, (int)n, s);
    free(copy);
}

/* Every length of 's' from 'at' on: cut anywhere, and whole. */
static void check_skip_cuts(const char *s, size_t n, size_t at)
{
    for (size_t k = at + 1; k <= n; k++)
        check_skip(s, k, at);
}

/* Each token at every offset from 0 to 140 in a long array (so around
 * the first and second 64-byte blocks), with plain bytes, strings and
 * brackets before and after it, skipped from offsets 0 to 2. */
static void test_skip_blocks(void **state)
{
    (void)state;
    static const char *const tokens[] = {
        "\"a]b}c[d{\"", "\"\\\"]\"", "\"\\\\\"]", "\"\\\\\\\"]\"", "]", "}", "[]", "{}",
        "\"", "\\", "\"\\", "\"x\\\\", "[[[", "\"unclosed [", "\"\\u005d\"", "{\"k\":\"\\\\\"}",
    };
    struct buf b = BUF_INIT;
    for (size_t tk = 0; tk < sizeof tokens / sizeof tokens[0]; tk++) {
        for (size_t off = 0; off <= 140; off++) {
            for (size_t at = 0; at <= 2; at++) {
                buf_clear(&b);
                for (size_t k = 0; k < at; k++)
                    buf_putc(&b, ' ');
                buf_putc(&b, at % 2 ? '{' : '[');
                while (b.len < at + off)
                    buf_putc(&b, b.len % 9 == 0 ? ' ' : 'x');
                buf_puts(&b, tokens[tk]);
                buf_puts(&b, ", \"012345678901234567890123456789012345678901234567890123456\""
                             ", [\"]\", {\"}\": 1}], 1234567890123456789012345678901234567890123");
                buf_putc(&b, at % 2 ? '}' : ']');
                buf_puts(&b, " tail");
                check_skip(b.data, b.len, at);
                if (off % 16 == 0 || off % 64 > 60 || off % 64 < 3)
                    check_skip_cuts(b.data, b.len, at);
            }
        }
    }
    buf_dispose(&b);
}

/* A random JSON-ish value: nested arrays and objects, strings with
 * escapes and brackets, long plain runs (to fill whole blocks). */
static void gen(struct buf *b, unsigned *seed, int depth)
{
    int pick = rand_r(seed) % 10;
    if (depth < 6 && pick < 4) {
        bool arr = pick < 2;
        buf_putc(b, arr ? '[' : '{');
        int n = rand_r(seed) % 6;
        for (int i = 0; i < n; i++) {
            if (i)
                buf_puts(b, rand_r(seed) % 3 ? "," : ",\n    ");
            if (!arr)
                buf_puts(b, "\"key\":");
            gen(b, seed, depth + 1);
        }
        buf_putc(b, arr ? ']' : '}');
        return;
    }
    if (pick < 8) {
        static const char *const parts[] = {"plain", "\\\"", "\\\\", "]", "}", "[", "{",
                                            "\\u0041", "\\n", " ", "\xc3\xa9",
                                            "0123456789abcdef0123456789abcdef"};
        buf_putc(b, '"');
        int n = rand_r(seed) % 12;
        for (int i = 0; i < n; i++)
            buf_puts(b, parts[rand_r(seed) % (sizeof parts / sizeof parts[0])]);
        buf_putc(b, '"');
        return;
    }
    static const char *const scalars[] = {"1", "-2.5e3", "true", "null", "12345678901234567890"};
    buf_puts(b, scalars[rand_r(seed) % 5]);
}

/* Random values whole, with a byte changed to one that matters, and cut. */
static void test_skip_random(void **state)
{
    (void)state;
    static const char special[] = "\"\\[]{}x ";
    unsigned seed = 20261201;
    struct buf b = BUF_INIT;
    for (int round = 0; round < 6000; round++) {
        buf_clear(&b);
        size_t at = (size_t)(rand_r(&seed) % 3);
        for (size_t k = 0; k < at; k++)
            buf_putc(&b, ' ');
        buf_putc(&b, rand_r(&seed) % 2 ? '[' : '{');
        int n = 1 + rand_r(&seed) % 8;
        for (int i = 0; i < n; i++) {
            if (i)
                buf_putc(&b, ',');
            gen(&b, &seed, 1);
        }
        buf_putc(&b, b.data[at] == '[' ? ']' : '}');
        buf_puts(&b, " ,");
        check_skip(b.data, b.len, at);
        size_t whole = b.len;
        for (int m = 0; m < 4; m++) {
            size_t k = at + 1 + (size_t)rand_r(&seed) % (whole - at - 1);
            char old = b.data[k];
            b.data[k] = special[rand_r(&seed) % (sizeof special - 1)];
            check_skip(b.data, whole, at);
            b.data[k] = old;
        }
        check_skip(b.data, at + 1 + (size_t)rand_r(&seed) % (whole - at), at);
    }
    buf_dispose(&b);
}

/* Depth: jansson's limit of 2048 levels, on a block boundary or not. */
static void test_skip_depth(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    for (size_t extra = 0; extra <= 2; extra++) {
        buf_clear(&b);
        for (size_t k = 0; k < 2047 + extra; k++)
            buf_putc(&b, k % 3 ? '[' : '{');
        for (size_t k = 2047 + extra; k-- > 0;)
            buf_putc(&b, k % 3 ? ']' : '}');
        check_skip(b.data, b.len, 0);
        struct js_text t = {b.data, b.len};
        struct js_err e;
        size_t end;
        int rc = js_skip(&t, 0, &end, &e);
        if (extra == 2) {
            assert_int_equal(rc, -1);
            assert_int_equal(e.at, 2048);
            assert_string_equal(e.msg, "nested too deeply");
        } else {
            assert_int_equal(rc, 0);
            assert_int_equal(end, b.len);
        }
    }
    buf_dispose(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_string_offsets),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_row),
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_skip_blocks),
        cmocka_unit_test(test_skip_random),
        cmocka_unit_test(test_skip_depth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

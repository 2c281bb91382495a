/* SPDX-License-Identifier: MIT
 * The report reader's JSON scanner (src/report/jsonscan.c) against
 * jansson, which wrote the reports: every value js_value() accepts,
 * jansson accepts with the same meaning (strings decoded to the same
 * bytes, integers to the same number), and what jansson refuses, the
 * scanner refuses; skipping finds the same extents as reading; rows
 * read their named members in any order. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_row),
        cmocka_unit_test(test_positions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

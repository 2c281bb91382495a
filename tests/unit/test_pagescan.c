/* SPDX-License-Identifier: MIT
 * The response-page scanner (source/pagescan.c) against the snapshot's
 * reader (jansson through placeholder_loadb, model/placeholder.h):
 * whatever the scanner accepts, the reader must read to the same value;
 * what it rejects, the scanner must reject as invalid JSON (then fetch
 * retries the page); valid JSON that is not a page is refused without a
 * retry. Table-driven. */
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "model/placeholder.h"
#include "source/pagescan.h"

/* The snapshot reader's view of 'text' ('n' bytes), any JSON value. */
static json_t *load(const char *text, size_t n, json_error_t *e)
{
    unsigned flaws;
    return placeholder_loadb(text, n, JSON_DECODE_ANY, &flaws, e);
}

/* Scan 'body'; on success check every record against the reader's view
 * of the same element. Returns the scanner's result. */
static int scan_and_compare(const char *body, struct pagescan *ps, char *why, size_t n)
{
    int rc = pagescan_parse(ps, body, strlen(body), why, n);
    json_error_t e;
    json_t *root = load(body, strlen(body), &e);
    if (rc == PAGESCAN_INVALID_JSON)
        assert_null(root);
    if (rc == PAGESCAN_NOT_A_PAGE && !strstr(why, "nesting"))
        assert_non_null(root);
    if (rc == 0) {
        assert_non_null(root);
        json_t *dl = json_object_get(root, "data_list");
        assert_int_equal(json_array_size(dl), ps->n);
        assert_int_equal(json_integer_value(json_object_get(root, "total_num")), ps->total_num);
        for (size_t i = 0; i < ps->n; i++) {
            json_t *rec = load(ps->recs.data + ps->v[i].off, ps->v[i].len, &e);
            if (!rec)
                fail_msg("record %zu (%.*s): %s", i, (int)ps->v[i].len, ps->recs.data + ps->v[i].off, e.text);
            assert_non_null(rec);
            assert_true(json_equal(rec, json_array_get(dl, i)));
            /* One record per line: no newline survives in a record. */
            assert_null(memchr(ps->recs.data + ps->v[i].off, '\n', ps->v[i].len));
            json_decref(rec);
        }
    }
    json_decref(root);
    return rc;
}

static void test_valid_pages(void **state)
{
    (void)state;
    static const char *const ok[] = {
        "{\"total_num\":0,\"data_list\":[]}",
        " {\n \"data_list\" : [ {\"id\" : 1 , \"a\" : [1, 2.5e3, -0, true, false, null]} ],"
        "\n \"total_num\" : 1 }\n",
        "{\"total_num\":2,\"x\":{\"y\":[{}]},\"data_list\":[{\"id\":\"42\",\"s\":\"a\\\"b\\\\c\\/"
        "\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00 \xc3\xa9 \xf0\x9f\x98\x80\"},{\"k\":{}}]}",
        /* jansson keeps the last of a repeated key. */
        "{\"total_num\":1,\"data_list\":[{\"id\":9}],\"data_list\":[{\"id\":7}]}",
        /* Valid JSON that jansson cannot hold: copied as it is, the
         * snapshot's reader gives those values placeholders. */
        "{\"total_num\":1,\"data_list\":[{\"a\":\"\\u0000\",\"b\":99999999999999999999,"
        "\"c\":[-1e999],\"d\\u0000\":1,\"e\":{\"f\":1E+400}}],\"x\":1e400,\"\\u0000\":\"\\u0000\"}",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        struct pagescan ps;
        pagescan_init(&ps);
        char why[256] = "";
        if (scan_and_compare(ok[i], &ps, why, sizeof why) != 0)
            fail_msg("page %zu rejected: %s", i, why);
        pagescan_dispose(&ps);
    }
}

static void test_ids(void **state)
{
    (void)state;
    struct pagescan ps;
    pagescan_init(&ps);
    char why[256];
    const char *body = "{\"total_num\":5,\"data_list\":[{\"id\":12},{\"id\":\"34\"},"
                       "{\"id\":-1},{\"id\":\"x1\"},{\"a\":{\"id\":5}},"
                       "{\"id\":99999999999999999999},{\"id\":\"\\u0000\"},{\"id\":1e400}]}";
    assert_int_equal(pagescan_parse(&ps, body, strlen(body), why, sizeof why), 0);
    assert_int_equal(ps.n, 8);
    /* Ids that do not fit: deduplicated by content instead. */
    assert_false(ps.v[5].has_id);
    assert_false(ps.v[6].has_id);
    assert_false(ps.v[7].has_id);
    assert_true(ps.v[0].has_id);
    assert_int_equal(ps.v[0].id, 12);
    assert_true(ps.v[1].has_id);
    assert_int_equal(ps.v[1].id, 34);
    assert_false(ps.v[2].has_id);   /* negative: not an API id */
    assert_false(ps.v[3].has_id);
    assert_false(ps.v[4].has_id);   /* only the top-level id counts */
    assert_int_equal(ps.v[0].len, strlen("{\"id\":12}"));
    pagescan_dispose(&ps);
}

static void test_invalid_pages(void **state)
{
    (void)state;
    /* Invalid JSON: PAGESCAN_INVALID_JSON (retried), then the valid
     * JSON that is not a page: PAGESCAN_NOT_A_PAGE (not retried). */
    static const struct { const char *body, *why; int rc; } bad[] = {
        {"", "invalid JSON at byte 0: empty body (truncated?)", -1},
        {"{\"total_num\":3,\"data_list\":[{\"id\":1},{\"id\":2", "(truncated?)", -1},
        {"{\"total_num\":1,\"data_list\":[{\"id\":1}]}x", "data after the JSON object", -1},
        {"{\"total_num\":1,\"data_list\":[{\"a\":01}]}", "expected ',' or '}'", -1},
        {"{\"total_num\":1,\"data_list\":[{\"a\":\"\x01\"}]}", "control character in a string", -1},
        {"{\"total_num\":1,\"data_list\":[{\"a\":\"\xc3\"}]}", "invalid UTF-8 in a string", -1},
        {"{\"total_num\":1,\"data_list\":[{\"a\":\"\xed\xa0\x80\"}]}", "invalid UTF-8", -1},
        {"{\"total_num\":1,\"data_list\":[{\"a\":\"\\ud800x\"}]}", "lone high surrogate", -1},
        {"{\"total_num\":1,\"data_list\":[{\"a\":\"\\q\"}]}", "invalid escape", -1},
        {"{\"total_num\":1,\"data_list\":[{\"a\":tru}]}", "invalid literal", -1},
        {"{\"total_num\":1,\"data_list\":[{\"a\":1,}]}", "expected a member name", -1},
        {"[1", "invalid JSON at byte 2: unexpected end of input in an array (truncated?)", -1},
        {"<html>502</html>", "invalid JSON at byte 0: invalid number", -1},
        {"{\"total_num\":1.5,\"data_list\":[]}", "no integer total_num (it is a real)", -2},
        {"{\"total_num\":99999999999999999999,\"data_list\":[]}",
         "no integer total_num (it is out of range)", -2},
        {"{\"total_num\":1e400,\"data_list\":[]}", "no integer total_num (it is a real)", -2},
        {"{\"data_list\":[]}", "no integer total_num", -2},
        {"{\"total_num\":1}", "no data_list array", -2},
        {"{\"total_num\":1,\"data_list\":[{},2]}", "data_list[1] is not an object", -2},
        {"[1]", "the body is an array, not a JSON object", -2},
        {" \"\\u0000\" ", "the body is a string, not a JSON object", -2},
        {"null", "the body is a scalar, not a JSON object", -2},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct pagescan ps;
        pagescan_init(&ps);
        char why[256] = "";
        int rc = scan_and_compare(bad[i].body, &ps, why, sizeof why);
        if (rc != bad[i].rc)
            fail_msg("bad page %zu: %d, want %d (%s)", i, rc, bad[i].rc, why);
        if (!strstr(why, bad[i].why))
            fail_msg("bad page %zu: '%s' does not say '%s'", i, why, bad[i].why);
        pagescan_dispose(&ps);
    }
    /* Deep nesting is refused, not a stack overflow. */
    char deep[4096];
    size_t n = 0;
    n += (size_t)snprintf(deep, sizeof deep, "{\"total_num\":1,\"data_list\":[");
    for (int i = 0; i < 1000; i++)
        deep[n++] = '[';
    deep[n] = '\0';
    struct pagescan ps;
    pagescan_init(&ps);
    char why[256];
    /* Not retried: the same page would stop at the same depth. */
    assert_int_equal(pagescan_parse(&ps, deep, n, why, sizeof why), PAGESCAN_NOT_A_PAGE);
    assert_string_equal(why, "nesting deeper than 512 levels at byte 538");
    pagescan_dispose(&ps);
}

/* jansson decodes member names before it compares them, so an escaped
 * duplicate of "id", "total_num" or "data_list" replaces the earlier
 * member. The scanner matched the raw bytes and kept the earlier one
 * (found by fuzz/fuzz_pagescan.c's jansson comparison; reproducers in
 * fuzz/corpora/pagescan/escaped-*-key.json). */
static void test_escaped_member_names(void **state)
{
    (void)state;
    char why[256];
    struct pagescan ps;
    pagescan_init(&ps);

    const char *id = "{\"total_num\":1,\"data_list\":[{\"id\":1,\"\\u0069d\":2}]}";
    assert_int_equal(scan_and_compare(id, &ps, why, sizeof why), 0);
    assert_true(ps.v[0].has_id);
    assert_int_equal(ps.v[0].id, 2);
    /* An escaped id whose value is unusable drops the earlier one. */
    id = "{\"total_num\":1,\"data_list\":[{\"id\":1,\"\\u0069\\u0064\":[]}]}";
    assert_int_equal(scan_and_compare(id, &ps, why, sizeof why), 0);
    assert_false(ps.v[0].has_id);
    /* Names that only look alike stay apart. */
    id = "{\"total_num\":1,\"data_list\":[{\"id\":1,\"\\u0069d\\n\":2,\"\\u00e9\":3}]}";
    assert_int_equal(scan_and_compare(id, &ps, why, sizeof why), 0);
    assert_int_equal(ps.v[0].id, 1);

    const char *total = "{\"total_num\":1,\"data_list\":[],\"total\\u005fnum\":2}";
    assert_int_equal(scan_and_compare(total, &ps, why, sizeof why), 0);
    assert_int_equal(ps.total_num, 2);
    total = "{\"total_num\":1,\"data_list\":[],\"total\\u005fnum\":\"2\"}";
    assert_int_equal(pagescan_parse(&ps, total, strlen(total), why, sizeof why),
                     PAGESCAN_NOT_A_PAGE);
    assert_string_equal(why, "no integer total_num");

    const char *list = "{\"total_num\":1,\"data_list\":[{\"id\":1}],\"data\\u005flist\":[]}";
    assert_int_equal(scan_and_compare(list, &ps, why, sizeof why), 0);
    assert_int_equal(ps.n, 0);
    list = "{\"total_num\":1,\"data_list\":[{\"id\":1}],\"\\u0064ata_list\":null}";
    assert_int_equal(pagescan_parse(&ps, list, strlen(list), why, sizeof why),
                     PAGESCAN_NOT_A_PAGE);
    assert_string_equal(why, "no data_list array");
    pagescan_dispose(&ps);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_pages),
        cmocka_unit_test(test_ids),
        cmocka_unit_test(test_invalid_pages),
        cmocka_unit_test(test_escaped_member_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

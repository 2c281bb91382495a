/* SPDX-License-Identifier: MIT
 * The fast record decoder against the jansson one (fuzz/decode_diff.h):
 *  - texts it must take, and decode exactly as jansson does: every
 *    record of the samples, wrong types, unknown enum values, duplicate
 *    members (the last one counts), escapes, surrogate pairs, integers
 *    to the int64 bounds, whole reals, deep association_images;
 *  - texts it must decline, so that jansson decides: not an object, not
 *    JSON (bad numbers, literals, escapes, control characters, invalid
 *    UTF-8, data after the object), a \u0000, a lone surrogate, numbers
 *    jansson cannot hold, nesting past simdjson's depth;
 *  - the arena and text ownership: strings with escapes live in the
 *    arena, others point into the text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../fuzz/decode_diff.h"
#include "util/buf.h"

static void expect(const char *text, enum decode_diff want)
{
    char why[256];
    enum decode_diff got = decode_diff(text, strlen(text), why, sizeof why);
    if (got != want)
        fprintf(stderr, "%s: got %d, want %d %s\n", text, got, want, why);
    assert_int_equal(got, want);
}

static void test_taken(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "{}",
        " {\"id\": 1 } ",
        "{\"id\":1,\"image_name\":\"nginx\",\"image_size\":\"1,000 (bytes)\"}",
        /* Duplicates: the last one counts, also when it is null or the
         * earlier one was the list. */
        "{\"image_size\":\"x\",\"image_size\":12}",
        "{\"image_size\":12,\"image_size\":null}",
        "{\"scan_status\":\"bogus\",\"scan_status\":\"success\"}",
        "{\"association_images\":[{\"vul_num\":1}],\"association_images\":[{\"vul_num\":\"2\","
        "\"vul_num\":\"x\"},3]}",
        "{\"association_images\":[{\"vul_num\":1}],\"association_images\":7}",
        /* Escapes, in values and in names. */
        "{\"image_name\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00\\u20AC\"}",
        "{\"ima\\u0067e_id\":\"k\",\"namespace\":\"\\u005c\",\"x\\ny\":1}",
        /* Numbers: int64 bounds, whole reals, digit strings, underflow. */
        "{\"id\":-0,\"image_size\":12.0,\"vul_num\":1e2,\"unsafe_setting_num\":"
        "-9223372036854775808,\"malicious_file_num\":9223372036854775807}",
        "{\"latest_scan_time\":\"1700000000000\",\"x\":[0.5,-1.5e-400,1E+2,-0.0]}",
        "{\"vul_num\":12.5,\"image_size\":1e300,\"id\":\"+42\",\"malicious_file_num\":\" 4\"}",
        /* Out of range, not of the wrong type: digit strings and whole
         * numbers beyond int64, times outside the years 0000-9999. */
        "{\"image_size\":\"99999999999999999999\",\"vul_num\":-1e19,\"id\":9.3e18}",
        "{\"latest_scan_time\":253402300800000,\"latest_update_time\":-62167219200001,"
        "\"latest_sync_time\":\"253402300799999\"}",
        "{\"association_images\":[{\"vul_num\":\"18446744073709551616\",\"id\":1e20}]}",
        /* Booleans from strings, wrong types everywhere. */
        "{\"latest_version\":\"true\",\"scannable\":\"false\",\"is_multiple_arch\":\"TRUE\"}",
        "{\"namespace\":1,\"scannable\":{},\"id\":[],\"image_name\":true,\"vul_num\":false}",
        /* Unknown enum values, and members nothing models. */
        "{\"image_type\":\"weird\",\"registry_type\":\"\",\"shared_status\":\"Expired\"}",
        "{\"x\":{\"y\":[[[{\"z\":[true,false,null,\"s\",{\"image_size\":1}]}]]]}}",
        "{\"association_images\":[[],{},null,\"s\",{\"id\":\"7\",\"image_type\":\"weird\","
        "\"x\":{\"y\":1},\"vul_num\":\"many\"}]}",
        "{\"association_images\":[]}",
        "{\"association_images\":{\"id\":1}}",
        /* Non-ASCII text, a long string (past one SIMD block). */
        "{\"image_name\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\",\"namespace\":"
        "\"0123456789abcdef0123456789abcdef0123456789\\\"abcdef\"}",
        "{\"\":1,\"id\":\"\"}",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect(cases[i], DIFF_SAME_FAST);
}

static void test_declined(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "", "[]", "1", "\"x\"", "null", "[{\"id\":1}]",
        /* Not JSON. */
        "{\"id\":1", "{\"id\":1} x", "{\"id\":1}}", "{\"id\":01}", "{\"id\":-}", "{\"id\":1.}",
        "{\"id\":1e}", "{\"id\":.5}", "{\"id\":+1}", "{\"id\":tru}", "{\"id\":true1}",
        "{\"id\":nul}", "{\"id\":1 \"image_name\":\"x\"}", "{\"id\":1,}", "{\"id\"}",
        "{\"a\":[1,]}", "{\"a\":[1}", "{'a':1}", "{\"a\":1]", "{\"a\":NaN}",
        /* Separators On-Demand only checks when a value is stepped over
         * with its getter (found by fuzz_decode). */
        "{\"\":\"\":\"\"\"\"\"\"\"\"}}", "{\"a\":\"b\":\"c\"}", "{\"a\":1:2}",
        "{\"a\":[1:2]}", "{\"a\":1,\"b\"}", "{\"a\":{\"b\":true:2}}", "{\"a\":null \"b\":1}",
        "{\"a\":[\"x\" \"y\"]}",
        "{\"image_name\":\"\\x\"}", "{\"image_name\":\"\\u12\"}", "{\"image_name\":\"\\u12G4\"}",
        "{\"image_name\":\"a\tb\"}", "{\"image_name\":\"\xff\"}", "{\"image_name\":\"\xc0\xaf\"}",
        "{\"image_name\":\"\xed\xa0\x80\"}", "{\"a\\x\":1}",
        /* Valid JSON that jansson alone decides about: values it holds
         * as placeholders (model/placeholder.h), lone surrogates. */
        "{\"image_name\":\"a\\u0000b\"}", "{\"a\\u0000\":1}", "{\"x\":[\"\\u0000\"]}",
        "{\"image_name\":\"\\udc00\"}", "{\"image_name\":\"\\ud800x\"}",
        "{\"image_name\":\"\\ud800\\u0041\"}",
        "{\"x\":9223372036854775808}", "{\"x\":-9223372036854775809}",
        "{\"x\":123456789012345678901234567890}", "{\"x\":1e400}", "{\"x\":-1e400}",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect(cases[i], DIFF_SAME_DECLINED);
}

/* {"x": followed by 'levels' nested arrays, in 'b'. */
static const char *nested(struct buf *b, int levels)
{
    buf_clear(b);
    buf_puts(b, "{\"x\":");
    for (int i = 0; i < levels; i++)
        buf_putc(b, '[');
    for (int i = 0; i < levels; i++)
        buf_putc(b, ']');
    buf_putc(b, '}');
    return buf_cstr(b);
}

/* From 1024 levels on (the record's object is one): declined; jansson
 * reads to 2048, then refuses. */
static void test_depth(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    expect(nested(&b, 1022), DIFF_SAME_FAST);
    expect(nested(&b, 1023), DIFF_SAME_DECLINED);
    expect(nested(&b, 2047), DIFF_SAME_DECLINED);
    expect(nested(&b, 2100), DIFF_SAME_DECLINED);
    buf_dispose(&b);
}

/* Every record of a JSON Lines sample is taken and decodes the same. */
static void check_jsonl(const char *path)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    char *line = NULL;
    size_t cap = 0, n = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, fp)) > 0) {
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (!len)
            continue;
        char why[256];
        enum decode_diff got = decode_diff(line, (size_t)len, why, sizeof why);
        if (got != DIFF_SAME_FAST)
            fprintf(stderr, "%s record %zu: %d %s\n", path, n + 1, got, why);
        assert_int_equal(got, DIFF_SAME_FAST);
        n++;
    }
    free(line);
    fclose(fp);
    assert_true(n > 0);
}

static void test_samples(void **state)
{
    (void)state;
    check_jsonl("samples/images.jsonl");
    check_jsonl("samples/images-week1.jsonl");
    check_jsonl("samples/hostile.jsonl");
    /* The API document's example, element by element. */
    json_t *doc = json_load_file("samples/api-doc-example.json", 0, NULL);
    assert_non_null(doc);
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(doc, "data_list"), i, e) {
        char *text = json_dumps(e, JSON_COMPACT);
        char why[256];
        assert_int_equal(decode_diff(text, strlen(text), why, sizeof why), DIFF_SAME_FAST);
        free(text);
    }
    json_decref(doc);
}

/* Strings without escapes point into the text, with escapes into the
 * arena; the record keeps the text for field(). */
static void test_ownership(void **state)
{
    (void)state;
    static const char text[] = "{\"image_name\":\"plain\",\"namespace\":\"a\\nb\",\"x\":[1]}"
                               "                                                                ";
    size_t n = strlen("{\"image_name\":\"plain\",\"namespace\":\"a\\nb\",\"x\":[1]}");
    struct fastdec *fd = fastdec_new();
    struct arena a = ARENA_INIT;
    struct record r;
    struct quality q;
    quality_init(&q);
    assert_true(fastdec_record(fd, text, n, 5, &a, &r, &q));
    assert_int_equal(r.index, 5);
    assert_int_equal(q.records, 1);
    assert_ptr_equal(r.text, text);
    assert_true(r.f[F_IMAGE_NAME].v.s.p > text && r.f[F_IMAGE_NAME].v.s.p < text + n);
    assert_true(r.f[F_NAMESPACE].v.s.p < text || r.f[F_NAMESPACE].v.s.p >= text + n);
    assert_int_equal(r.f[F_NAMESPACE].v.s.n, 3);
    assert_memory_equal(r.f[F_NAMESPACE].v.s.p, "a\nb", 3);
    assert_null(r.json);
    const json_t *j = record_json(&r);
    assert_true(json_is_array(json_object_get(j, "x")));
    record_dispose(&r);
    /* Declined: zeroed, nothing counted. */
    assert_false(fastdec_record(fd, "{\"x\":1e400}" "                                "
                                    "                                ", 11, 6, &a, &r, &q));
    assert_int_equal(q.records, 1);
    assert_null(r.text);
    arena_dispose(&a);
    fastdec_free(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_taken),
        cmocka_unit_test(test_declined),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_samples),
        cmocka_unit_test(test_ownership),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

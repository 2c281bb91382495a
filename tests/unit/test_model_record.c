/* SPDX-License-Identifier: MIT
 * record_decode's tolerance, value by value: integers as JSON integers,
 * whole reals or digit strings (to the int64 bounds), null as missing,
 * every other type as CELL_BAD counted in the quality table, and
 * associated images counted per wrong-typed field; values jansson cannot
 * hold (placeholder_loadb) and times beyond the year 9999 as CELL_BAD
 * counted as "out of range" or "NUL character", in their field or in
 * (other). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/placeholder.h"
#include "model/record.h"

/* Decode {"<field>": <json>} and return the cell of 'f'. */
static struct cell decode_one(int f, const char *json, struct quality *q)
{
    char text[256];
    snprintf(text, sizeof text, "{\"%s\": %s}", field_defs[f].name, json);
    json_t *obj = json_loads(text, JSON_ALLOW_NUL, NULL);
    assert_non_null(obj);
    struct record rec;
    record_decode(&rec, obj, 7, q);
    struct cell c = rec.f[f];
    record_dispose(&rec);
    return c;
}

static void test_integers(void **state)
{
    (void)state;
    /* 'row': the quality row a CELL_BAD is counted in: 'T' wrong type,
     * 'R' out of range. */
    static const struct {
        const char *json;
        int state;
        int64_t v;
        char row;
    } cases[] = {
        {"42", CELL_OK, 42, 0},
        {"\"42\"", CELL_OK, 42, 0},
        {"\"-42\"", CELL_OK, -42, 0},
        {"\"+42\"", CELL_OK, 42, 0},
        {"\"-0\"", CELL_OK, 0, 0},
        {"\"9223372036854775807\"", CELL_OK, INT64_MAX, 0},
        {"\"-9223372036854775808\"", CELL_OK, INT64_MIN, 0},
        {"\"9223372036854775808\"", CELL_BAD, 0, 'R'},
        {"\"-9223372036854775809\"", CELL_BAD, 0, 'R'},
        {"\"99999999999999999999\"", CELL_BAD, 0, 'R'},
        {"\"999999999999999999999999999999x\"", CELL_BAD, 0, 'T'},
        {"\"\"", CELL_BAD, 0, 'T'},
        {"\"-\"", CELL_BAD, 0, 'T'},
        {"\" 42\"", CELL_BAD, 0, 'T'},
        {"\"42 \"", CELL_BAD, 0, 'T'},
        {"\"1,000\"", CELL_BAD, 0, 'T'},
        {"\"4\\u00002\"", CELL_BAD, 0, 'T'},
        {"12.0", CELL_OK, 12, 0},
        {"12.5", CELL_BAD, 0, 'T'},
        {"1e300", CELL_BAD, 0, 'R'},
        {"-1e19", CELL_BAD, 0, 'R'},
        {"true", CELL_BAD, 0, 'T'},
        {"[1]", CELL_BAD, 0, 'T'},
        {"{}", CELL_BAD, 0, 'T'},
        {"null", CELL_MISSING, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct quality q;
        quality_init(&q);
        struct cell c = decode_one(F_VUL_NUM, cases[i].json, &q);
        if (c.state != cases[i].state || (c.state == CELL_OK && c.v.i != cases[i].v))
            fprintf(stderr, "case %zu: %s\n", i, cases[i].json);
        assert_int_equal(c.state, cases[i].state);
        if (c.state == CELL_OK)
            assert_true(c.v.i == cases[i].v);
        assert_int_equal(q.bad[F_VUL_NUM].count, cases[i].row == 'T');
        assert_int_equal(q.out_of_range[F_VUL_NUM].count, cases[i].row == 'R');
    }
}

/* A time is written YYYY-MM-DDTHH:MM:SS(.mmm)Z: outside the years 0000
 * to 9999 it is out-of-range data, not a time (it used to come out as
 * "10000-01-01T00:00:00Z", which the report schema refuses). */
static void test_time_range(void **state)
{
    (void)state;
    static const struct {
        const char *json;
        int state;
    } cases[] = {
        {"253402300799999", CELL_OK},       /* 9999-12-31T23:59:59.999Z */
        {"-62167219200000", CELL_OK},       /* 0000-01-01T00:00:00Z */
        {"253402300800000", CELL_BAD},      /* 10000-01-01 */
        {"-62167219200001", CELL_BAD},      /* year -1 */
        {"\"253402300800000\"", CELL_BAD},
        {"2.534023008e14", CELL_BAD},
        {"9223372036854775807", CELL_BAD},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct quality q;
        quality_init(&q);
        struct cell c = decode_one(F_LATEST_SCAN_TIME, cases[i].json, &q);
        if (c.state != cases[i].state)
            fail_msg("case %zu: %s", i, cases[i].json);
        assert_int_equal(q.out_of_range[F_LATEST_SCAN_TIME].count, cases[i].state == CELL_BAD);
        assert_int_equal(q.bad[F_LATEST_SCAN_TIME].count, 0);
    }
}

static void test_other_types(void **state)
{
    (void)state;
    assert_int_equal(decode_one(F_SCANNABLE, "true", NULL).state, CELL_OK);
    assert_true(decode_one(F_SCANNABLE, "\"false\"", NULL).state == CELL_OK &&
                !decode_one(F_SCANNABLE, "\"false\"", NULL).v.b);
    assert_true(decode_one(F_SCANNABLE, "\"true\"", NULL).v.b);
    assert_int_equal(decode_one(F_SCANNABLE, "\"true\\u0000x\"", NULL).state, CELL_BAD);
    assert_int_equal(decode_one(F_SCANNABLE, "\"TRUE\"", NULL).state, CELL_BAD);
    assert_int_equal(decode_one(F_SCANNABLE, "1", NULL).state, CELL_BAD);
    assert_int_equal(decode_one(F_NAMESPACE, "5", NULL).state, CELL_BAD);
    assert_int_equal(decode_one(F_NAMESPACE, "null", NULL).state, CELL_MISSING);
    struct cell c = decode_one(F_NAMESPACE, "\"a\\u0000b\"", NULL);
    assert_int_equal(c.state, CELL_OK);
    assert_int_equal(c.v.s.n, 3);
    assert_int_equal(decode_one(F_ASSOCIATION_IMAGES, "{}", NULL).state, CELL_BAD);
    assert_int_equal(decode_one(F_ASSOCIATION_IMAGES, "[]", NULL).state, CELL_OK);
}

/* CELL_BAD is counted with its first record index; null and absent
 * are not counted; unknown enum values are. */
static void test_quality(void **state)
{
    (void)state;
    struct quality q;
    quality_init(&q);
    q.line = 12;                /* the caller's: this record's line */
    decode_one(F_VUL_NUM, "\"x\"", &q);
    q.line = 13;
    decode_one(F_VUL_NUM, "null", &q);
    decode_one(F_SCAN_STATUS, "\"queued\"", &q);
    decode_one(F_SCAN_STATUS, "\"success\"", &q);
    decode_one(F_ASSOCIATION_IMAGES,
               "[{\"vul_num\": \"many\"}, {\"vul_num\": null}, 3, {\"image_name\": 1}]", &q);
    assert_int_equal(q.records, 5);
    assert_int_equal(q.bad[F_VUL_NUM].count, 1);
    assert_int_equal(q.bad[F_VUL_NUM].first, 7);
    assert_int_equal(q.bad[F_VUL_NUM].first_line, 12);
    assert_int_equal(q.unknown_value[F_SCAN_STATUS].count, 1);
    assert_int_equal(q.assoc_bad[A_VUL_NUM].count, 1);
    assert_int_equal(q.assoc_bad[A_IMAGE_NAME].count, 1);
    for (int i = 0; i < FIELD_COUNT; i++)
        if (i != F_VUL_NUM)
            assert_int_equal(q.bad[i].count, 0);

    /* merge keeps the earlier first index and adds the counts */
    struct quality later;
    quality_init(&later);
    later.records = 2;
    later.bad[F_VUL_NUM] = (struct quality_count){2, 9, 20};
    later.bad[F_ID] = (struct quality_count){1, 8, 19};
    quality_merge(&q, &later);
    assert_int_equal(q.records, 7);
    assert_int_equal(q.bad[F_VUL_NUM].count, 3);
    assert_int_equal(q.bad[F_VUL_NUM].first, 7);
    assert_int_equal(q.bad[F_ID].count, 1);
    assert_int_equal(q.bad[F_ID].first, 8);
    assert_int_equal(q.bad[F_ID].first_line, 19);
    assert_int_equal(q.bad[F_VUL_NUM].first_line, 12);
}

/* placeholder_loadb: the tree it gives (placeholders written as
 * "\u0000R" / "\u0000N" by json_dumps) and its flaws. */
static void test_placeholder_loadb(void **state)
{
    (void)state;
    static const struct {
        const char *text, *tree;
        unsigned flaws;
    } cases[] = {
        {"{\"a\":1}", "{\"a\":1}", 0},
        {"{\"a\":1e400,\"b\":-99999999999999999999,\"c\":1e-400,\"d\":-1E+400}",
         "{\"a\":\"\\u0000R\",\"b\":\"\\u0000R\",\"c\":0.0,\"d\":\"\\u0000R\"}",
         PLACEHOLDER_VALUES},
        {"{\"a\":9223372036854775807,\"b\":9223372036854775808}",
         "{\"a\":9223372036854775807,\"b\":\"\\u0000R\"}", PLACEHOLDER_VALUES},
        /* \\u0000 is a backslash and "u0000": no NUL there. */
        {"{\"s\":\"x\\u0000y\",\"t\":\"\\\\u0000\",\"u\":\"\\u00001e400\"}",
         "{\"s\":\"\\u0000N\",\"t\":\"\\\\u0000\",\"u\":\"\\u0000N\"}", PLACEHOLDER_VALUES},
        {"{\"k\\u0000\" : 1, \"id\":\"\\u0000\"}", "{\"k\\uFFFD\":1,\"id\":\"\\u0000N\"}",
         PLACEHOLDER_VALUES | PLACEHOLDER_NUL_NAME},
        {"{\"k\\u0000\":1e400}", "{\"k\\uFFFD\":\"\\u0000R\"}",
         PLACEHOLDER_VALUES | PLACEHOLDER_NUL_NAME},
        {"{\"a\":[1e400,{\"b\":[\"\\u0000\"]}],\"c\":\"1e400\"}",
         "{\"a\":[\"\\u0000R\",{\"b\":[\"\\u0000N\"]}],\"c\":\"1e400\"}", PLACEHOLDER_VALUES},
        /* Duplicate members: jansson's last one wins, as for any value. */
        {"{\"a\":1e400,\"a\":2}", "{\"a\":2}", PLACEHOLDER_VALUES},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_error_t e;
        unsigned flaws = 99;
        json_t *j = placeholder_loadb(cases[i].text, strlen(cases[i].text), 0, &flaws, &e);
        if (!j)
            fail_msg("case %zu: %s", i, e.text);
        char *got = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII);
        if (strcmp(got, cases[i].tree) != 0 || flaws != cases[i].flaws)
            fail_msg("case %zu: got %s (flaws %u), want %s (flaws %u)", i, got, flaws,
                     cases[i].tree, cases[i].flaws);
        free(got);
        json_decref(j);
    }
    /* A top-level value, with JSON_DECODE_ANY. */
    unsigned flaws;
    json_error_t e;
    json_t *j = placeholder_loadb("1e400", 5, JSON_DECODE_ANY, &flaws, &e);
    assert_int_equal(placeholder_kind(j), PLACEHOLDER_RANGE);
    json_decref(j);
    /* Other strings are not placeholders. */
    j = json_stringn("\0R", 2);
    assert_int_equal(placeholder_kind(j), PLACEHOLDER_RANGE);
    json_decref(j);
    j = json_stringn("\0RR", 3);
    assert_int_equal(placeholder_kind(j), PLACEHOLDER_NONE);
    json_decref(j);
    j = json_stringn("\0X", 2);
    assert_int_equal(placeholder_kind(j), PLACEHOLDER_NONE);
    json_decref(j);
    assert_int_equal(placeholder_kind(NULL), PLACEHOLDER_NONE);
}

/* Invalid JSON stays an error: jansson's, with the position in the
 * original text and the original token quoted, exactly as if the
 * number had been an ordinary one of the same length. */
static void test_placeholder_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text, *same_as;
    } cases[] = {
        {"{\"a\":1e400 \"b\":1}", "{\"a\":12345 \"b\":1}"},
        {"{\"a\":1 2e400}", "{\"a\":1 23456}"},
        {"{\"a\":\"\\u0000\" x}", "{\"a\":\"ABCDEF\" x}"},
        {"{\"a\":1e400, \"b\":\"\\u0000\", \"c\":1e400 ]", "{\"a\":12345, \"b\":\"ABCDEF\", \"c\":12345 ]"},
        {"{\"a\":1e400,\n\"b\":tru}", "{\"a\":12345,\n\"b\":tru}"},
        {"{\"a\":99999999999999999999999999999999999999999999,\"b\":1e400 x}",
         "{\"a\":1.000000000000000000000000000000000000000000,\"b\":12345 x}"},
        /* A string is replaced only when jansson takes it: the \\u0000
         * must not hide invalid UTF-8 or a bad escape (found by
         * fuzz_pagescan, corpora/pagescan/nul-hides-utf8.json). */
        {"{\"a\":1e400,\"b\":\"\xff\\u0000\"}", "{\"a\":12345,\"b\":\"\xff\\u0000\"}"},
        {"{\"a\":1e400,\"b\":\"\\u0000\\q\"}", "{\"a\":12345,\"b\":\"\\u0000\\q\"}"},
        {"{\"a\":1e400,\"b\":\"\\ud800\\u0000\"}", "{\"a\":12345,\"b\":\"\\ud800\\u0000\"}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_error_t e, want;
        unsigned flaws;
        assert_null(placeholder_loadb(cases[i].text, strlen(cases[i].text), 0, &flaws, &e));
        /* (NUL allowed: as if jansson could hold U+0000.) */
        assert_null(json_loads(cases[i].same_as, JSON_ALLOW_NUL, &want));
        /* The quoted token differs (it is the original): compare the rest. */
        const char *g = strstr(e.text, " near '"), *w = strstr(want.text, " near '");
        if (e.position != want.position || e.line != want.line || !g != !w ||
            (g && strncmp(e.text, want.text, (size_t)(g - e.text)) != 0))
            fail_msg("case %zu: got '%s' at %d:%d, want '%s' at %d:%d", i, e.text, e.line,
                     e.position, want.text, want.line, want.position);
    }
    json_error_t e;
    unsigned flaws;
    const char *t = "{\"a\":1 2e400}";
    assert_null(placeholder_loadb(t, strlen(t), 0, &flaws, &e));
    assert_string_equal(e.text, "'}' expected near '2e400'");
    t = "{\"a\":1 1234567890123456789012345678901234567890123}";
    assert_null(placeholder_loadb(t, strlen(t), 0, &flaws, &e));
    assert_string_equal(e.text, "'}' expected near '1234567890123456789012345678901234567...'");
    assert_int_equal(json_error_code(&e), json_error_invalid_syntax);
    /* Not a value jansson cannot hold: jansson's error as it is. */
    t = "{\"a\":tru, \"b\":1e400}";
    assert_null(placeholder_loadb(t, strlen(t), 0, &flaws, &e));
    assert_string_equal(e.text, "invalid token near 'tru'");
}

/* record_decode on such a tree: CELL_BAD where the field is modelled,
 * (other) elsewhere, once per record; every placeholder becomes null. */
static void test_placeholder_decode(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "{\"id\":1,\"image_size\":1e400,\"x\":99999999999999999999}",
        "{\"id\":2,\"image_name\":\"a\\u0000b\",\"y\":{\"z\":[-1e999,\"\\u0000\",1e999]}}",
        "{\"id\":3,\"k\\u0000\":1,\"latest_scan_time\":253402300800000}",
        "{\"id\":4,\"image_size\":1e400,\"image_size\":5,\"x\":1e400,\"x\":1}",
        "{\"id\":5,\"association_images\":[{\"vul_num\":1e400,\"image_name\":\"\\u0000\","
        "\"extra\":123456789012345678901234567890},{\"vul_num\":1e400}, 1e400]}",
        "{\"id\":6,\"namespace\":1e400,\"association_images\":1e400}",
    };
    struct quality q;
    quality_init(&q);
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        json_error_t e;
        unsigned flaws;
        json_t *j = placeholder_loadb(texts[i], strlen(texts[i]), 0, &flaws, &e);
        if (!j)
            fail_msg("text %zu: %s", i, e.text);
        struct record rec;
        record_decode_loaded(&rec, j, i, flaws, &q);
        assert_int_equal(rec.f[F_ID].state, CELL_OK);
        assert_true(rec.f[F_ID].v.i == (int64_t)i + 1);
        char *left = json_dumps(rec.json, JSON_COMPACT);
        if (memchr(left, '\0', strlen(left) + 1) != left + strlen(left) || strstr(left, "u0000"))
            fail_msg("text %zu: a placeholder is left: %s", i, left);
        switch (i) {
        case 0:
            assert_int_equal(rec.f[F_IMAGE_SIZE].state, CELL_BAD);
            assert_string_equal(left, "{\"id\":1,\"image_size\":null,\"x\":null}");
            break;
        case 1:
            assert_int_equal(rec.f[F_IMAGE_NAME].state, CELL_BAD);
            assert_string_equal(left, "{\"id\":2,\"image_name\":null,\"y\":{\"z\":[null,null,null]}}");
            break;
        case 2:
            assert_int_equal(rec.f[F_LATEST_SCAN_TIME].state, CELL_BAD);
            break;
        case 3:
            assert_int_equal(rec.f[F_IMAGE_SIZE].state, CELL_OK);
            assert_true(rec.f[F_IMAGE_SIZE].v.i == 5);
            assert_string_equal(left, "{\"id\":4,\"image_size\":5,\"x\":1}");
            break;
        case 5:
            assert_int_equal(rec.f[F_NAMESPACE].state, CELL_BAD);
            assert_int_equal(rec.f[F_ASSOCIATION_IMAGES].state, CELL_BAD);
            break;
        }
        free(left);
        record_dispose(&rec);
    }
    assert_int_equal(q.records, 6);
    assert_int_equal(q.out_of_range[F_IMAGE_SIZE].count, 1);
    assert_int_equal(q.out_of_range[F_IMAGE_SIZE].first, 0);
    assert_int_equal(q.nul[F_IMAGE_NAME].count, 1);
    assert_int_equal(q.nul[F_IMAGE_NAME].first, 1);
    assert_int_equal(q.out_of_range[F_LATEST_SCAN_TIME].count, 1);
    assert_int_equal(q.out_of_range[F_LATEST_SCAN_TIME].first, 2);
    assert_int_equal(q.out_of_range[F_NAMESPACE].count, 1);
    assert_int_equal(q.out_of_range[F_ASSOCIATION_IMAGES].count, 1);
    assert_int_equal(q.assoc_out_of_range[A_VUL_NUM].count, 2);    /* per element */
    assert_int_equal(q.assoc_out_of_range[A_VUL_NUM].first, 4);
    assert_int_equal(q.assoc_nul[A_IMAGE_NAME].count, 1);
    /* (other): records 0 (x), 1 (y.z twice), 4 (extra; a bare element) */
    assert_int_equal(q.other_out_of_range.count, 3);
    assert_int_equal(q.other_out_of_range.first, 0);
    /* records 1 (y.z[1]) and 2 (a member name) */
    assert_int_equal(q.other_nul.count, 2);
    assert_int_equal(q.other_nul.first, 1);
    for (int f = 0; f < FIELD_COUNT; f++)
        assert_int_equal(q.bad[f].count, 0);

    /* merge adds the new rows too */
    struct quality sum;
    quality_init(&sum);
    quality_merge(&sum, &q);
    quality_merge(&sum, &q);
    assert_int_equal(sum.other_nul.count, 4);
    assert_int_equal(sum.other_nul.first, 1);
    assert_int_equal(sum.out_of_range[F_IMAGE_SIZE].count, 2);
    assert_int_equal(sum.assoc_nul[A_IMAGE_NAME].count, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_time_range),
        cmocka_unit_test(test_other_types),
        cmocka_unit_test(test_quality),
        cmocka_unit_test(test_placeholder_loadb),
        cmocka_unit_test(test_placeholder_errors),
        cmocka_unit_test(test_placeholder_decode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

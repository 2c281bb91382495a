/* SPDX-License-Identifier: MIT
 * record_decode's tolerance, value by value: integers as JSON integers,
 * whole reals or digit strings (to the int64 bounds), null as missing,
 * every other type as CELL_BAD counted in the quality table, and
 * associated images counted per wrong-typed field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

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
    static const struct {
        const char *json;
        int state;
        int64_t v;
    } cases[] = {
        {"42", CELL_OK, 42},
        {"\"42\"", CELL_OK, 42},
        {"\"-42\"", CELL_OK, -42},
        {"\"+42\"", CELL_OK, 42},
        {"\"9223372036854775807\"", CELL_OK, INT64_MAX},
        {"\"-9223372036854775808\"", CELL_OK, INT64_MIN},
        {"\"9223372036854775808\"", CELL_BAD, 0},
        {"\"-9223372036854775809\"", CELL_BAD, 0},
        {"\"99999999999999999999\"", CELL_BAD, 0},
        {"\"\"", CELL_BAD, 0},
        {"\"-\"", CELL_BAD, 0},
        {"\" 42\"", CELL_BAD, 0},
        {"\"42 \"", CELL_BAD, 0},
        {"\"1,000\"", CELL_BAD, 0},
        {"\"4\\u00002\"", CELL_BAD, 0},
        {"12.0", CELL_OK, 12},
        {"12.5", CELL_BAD, 0},
        {"1e300", CELL_BAD, 0},
        {"true", CELL_BAD, 0},
        {"[1]", CELL_BAD, 0},
        {"{}", CELL_BAD, 0},
        {"null", CELL_MISSING, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cell c = decode_one(F_VUL_NUM, cases[i].json, NULL);
        if (c.state != cases[i].state || (c.state == CELL_OK && c.v.i != cases[i].v))
            fprintf(stderr, "case %zu: %s\n", i, cases[i].json);
        assert_int_equal(c.state, cases[i].state);
        if (c.state == CELL_OK)
            assert_true(c.v.i == cases[i].v);
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
    decode_one(F_VUL_NUM, "\"x\"", &q);
    decode_one(F_VUL_NUM, "null", &q);
    decode_one(F_SCAN_STATUS, "\"queued\"", &q);
    decode_one(F_SCAN_STATUS, "\"success\"", &q);
    decode_one(F_ASSOCIATION_IMAGES,
               "[{\"vul_num\": \"many\"}, {\"vul_num\": null}, 3, {\"image_name\": 1}]", &q);
    assert_int_equal(q.records, 5);
    assert_int_equal(q.bad[F_VUL_NUM].count, 1);
    assert_int_equal(q.bad[F_VUL_NUM].first, 7);
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
    later.bad[F_VUL_NUM] = (struct quality_count){2, 9};
    later.bad[F_ID] = (struct quality_count){1, 8};
    quality_merge(&q, &later);
    assert_int_equal(q.records, 7);
    assert_int_equal(q.bad[F_VUL_NUM].count, 3);
    assert_int_equal(q.bad[F_VUL_NUM].first, 7);
    assert_int_equal(q.bad[F_ID].count, 1);
    assert_int_equal(q.bad[F_ID].first, 8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_other_types),
        cmocka_unit_test(test_quality),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT
 * Unit tests for src/render/distinct.c (numbering values by first
 * occurrence, in memory or partitioned on disk) and src/util/bitrank.c,
 * against a plain array numbering of the same values. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/distinct.h"
#include "util/bitrank.h"

static void test_bitrank(void **state)
{
    (void)state;
    enum { N = 5000 };
    struct bitrank b;
    bitrank_init(&b, N);
    for (size_t i = 0; i < N; i++)
        if (i % 3 == 0 || i % 64 == 63 || (i >= 1000 && i < 1600))
            bitrank_set(&b, i);
    bitrank_seal(&b);
    size_t below = 0;
    for (size_t i = 0; i <= N; i++) {
        assert_int_equal(bitrank_rank(&b, i), below);
        if (i < N && bitrank_has(&b, i))
            below++;
    }
    bitrank_dispose(&b);
}

/* Value i: one of 'kinds' strings (some with a NUL byte inside, one the
 * empty string), or missing. Its kind is its identity: -1 missing. */
static int kind_of(size_t i, int kinds)
{
    if (i % 101 == 7)
        return -1;
    return (int)((i * 7919u + i / 13) % (size_t)kinds);
}

static const char *value_of(int kind, char *tmp, size_t *len)
{
    if (kind < 0) {
        *len = 0;
        return NULL;
    }
    if (kind == 0) {
        *len = 0;
        return "";
    }
    int n = snprintf(tmp, 32, "v%d", kind);
    if (kind % 5 == 0)                  /* "v10" and "v10\0x" differ */
        tmp[n++] = '\0', tmp[n++] = 'x';
    *len = (size_t)n;
    return tmp;
}

static void check_numbering(size_t n, int kinds)
{
    char tmp[32];
    long *entry = malloc((size_t)(kinds + 1) * sizeof *entry);   /* kind + 1: its entry */
    for (int k = 0; k <= kinds; k++)
        entry[k] = -1;
    struct distinct *d = distinct_new(n);
    for (size_t i = 0; i < n; i++) {
        size_t len;
        const char *s = value_of(kind_of(i, kinds), tmp, &len);
        distinct_add(d, s, len);
    }
    assert_int_equal(distinct_finish(d), 0);
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        int k = kind_of(i, kinds) + 1;
        bool first = entry[k] < 0;
        if (first)
            entry[k] = (long)count++;
        assert_int_equal(distinct_first(d, i), first);
    }
    assert_int_equal(distinct_count(d), count);
    for (size_t i = 0; i < n; i++) {
        size_t len;
        int k = kind_of(i, kinds);
        const char *s = distinct_wants_value(d) ? value_of(k, tmp, &len) : NULL;
        assert_int_equal(distinct_next(d, s, s ? len : 0), (size_t)entry[k + 1]);
    }
    distinct_free(d);
    free(entry);
}

static void test_in_memory(void **state)
{
    (void)state;
    check_numbering(1000, 40);
    check_numbering(DISTINCT_MEM_MAX, 30000);
}

/* Beyond DISTINCT_MEM_MAX: four partitions, then many distinct values. */
static void test_partitioned(void **state)
{
    (void)state;
    check_numbering(4 * DISTINCT_MEM_MAX, 50);
    check_numbering(3 * DISTINCT_MEM_MAX + 17, 150000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bitrank),
        cmocka_unit_test(test_in_memory),
        cmocka_unit_test(test_partitioned),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

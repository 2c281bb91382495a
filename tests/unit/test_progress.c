/* SPDX-License-Identifier: MIT
 * The report's progress line (source/progress.c): rate, share of the
 * input and ETA when its size is known, rate alone when not. The live
 * drawing on a terminal is tests/cli/progress.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "source/progress.h"

static void expect(size_t records, double secs, uint64_t done, uint64_t total, const char *want)
{
    char line[160];
    int n = progress_format_eval(line, sizeof line, records, secs, done, total);
    assert_string_equal(line, want);
    assert_int_equal(n, (int)strlen(want));
}

static void test_format_eval(void **state)
{
    (void)state;
    /* Size not known (a pipe): records and rate. */
    expect(120000, 2.0, 0, 0, "evaluating: 120000 records, 60000 rec/s");
    /* A quarter of the bytes in 3 s: 9 s to go. */
    expect(50000, 3.0, 250, 1000, "evaluating: 50000 records (25%), 16667 rec/s, ETA 9s");
    /* Minutes and hours. */
    expect(1000, 60.0, 1, 3, "evaluating: 1000 records (33%), 17 rec/s, ETA 2m00s");
    expect(10, 3600.0, 1, 4, "evaluating: 10 records (25%), 0 rec/s, ETA 3h00m");
    /* Nothing done yet: no ETA; more done than the size (a growing
     * file): as if not known. */
    expect(0, 1.0, 0, 1000, "evaluating: 0 records (0%), 0 rec/s, ETA --");
    expect(7, 1.0, 2000, 1000, "evaluating: 7 records, 7 rec/s");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_eval),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT
 * --split-by file names (app/split.h): a key made safe, the part's name
 * inserted before the extension, and the plan's collision suffixes. The
 * hostile keys end to end are tests/cli/scoping.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "app/split.h"
#include "util/xalloc.h"

static void safe(const char *key, const char *want)
{
    char *got = split_safe_name(key);
    assert_string_equal(got, want);
    free(got);
}

static void test_safe_names(void **state)
{
    (void)state;
    safe(NULL, "(none)");
    safe("", "(empty)");
    safe("team-a", "team-a");
    safe("../x", "___x");
    safe("..", "__");
    safe(".hidden", "_hidden");
    safe("a/b\\c", "a_b_c");
    safe("x:y*?<>|\"", "x_y______");
    safe("tab\there\x01", "tab_here_");
    safe("trailing. ", "trailing__");
    safe("CON", "CON_");
    safe("con.txt", "con_.txt");
    safe("Nul", "Nul_");
    safe("COM1", "COM1_");
    safe("lpt9.log", "lpt9_.log");
    safe("COM0", "COM0");           /* not a device name */
    safe("CONSOLE", "CONSOLE");
    safe("\xc3\xa9t\xc3\xa9", "\xc3\xa9t\xc3\xa9");
    /* 64 bytes at most, never half a UTF-8 character: 63 ASCII bytes
     * and a two-byte character would be 65. */
    char key[80];
    memset(key, 'a', 63);
    memcpy(key + 63, "\xc3\xa9z", 4);
    char *got = split_safe_name(key);
    assert_int_equal(strlen(got), 63);
    free(got);
}

static void part(const char *path, const char *name, const char *want)
{
    char *got = split_part_path(path, name);
    assert_string_equal(got, want);
    free(got);
}

static void test_part_paths(void **state)
{
    (void)state;
    part("weekly.xlsx", "team-a", "weekly.team-a.xlsx");
    part("out/weekly.json", "(none)", "out/weekly.(none).json");
    part("results.junit.xml", "t", "results.t.junit.xml");
    part("out.d/weekly", "t", "out.d/weekly.t");
    part(".report", "t", ".report.t");
    part("/abs/a.b.csv", "t", "/abs/a.b.t.csv");
}

/* A report with the given namespaces (NULL: none). */
static void report_of(struct report *rep, const char *const *ns, size_t n)
{
    report_init(rep);
    rep->n_images = n;
    rep->images = xcalloc(n, sizeof *rep->images);
    for (size_t i = 0; i < n; i++)
        if (ns[i]) {
            rep->images[i].c[F_NAMESPACE].state = CELL_OK;
            rep->images[i].c[F_NAMESPACE].v.s = report_str(rep, ns[i]);
        }
}

static void test_plan(void **state)
{
    (void)state;
    static const char *const ns[] = {"team-a", "Team-A", NULL, "(none)", "index", "team-a",
                                     "a/b", "a_b"};
    struct report rep;
    report_of(&rep, ns, sizeof ns / sizeof ns[0]);
    struct render_job jobs[] = {{FMT_CSV, "w.csv", 0}, {FMT_JSON, "d/w.json", 0}};
    struct split_plan p;
    split_plan_make(&p, "namespace", &rep, jobs, 2);
    /* No key first, then the keys in byte order; collisions ignore case. */
    static const struct { const char *key, *name; } want[] = {
        {NULL, "(none)"}, {"(none)", "(none)-2"}, {"Team-A", "Team-A"}, {"a/b", "a_b"},
        {"a_b", "a_b-2"}, {"index", "index-2"}, {"team-a", "team-a-2"},
    };
    assert_int_equal(p.n_parts, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < p.n_parts; i++) {
        if (want[i].key)
            assert_string_equal(p.parts[i].key, want[i].key);
        else
            assert_null(p.parts[i].key);
        assert_string_equal(p.parts[i].name, want[i].name);
    }
    assert_string_equal(p.parts[6].paths[0], "w.team-a-2.csv");
    assert_string_equal(p.parts[6].paths[1], "d/w.team-a-2.json");
    assert_string_equal(p.index_html, "w.index.html");
    assert_string_equal(p.index_json, "w.index.json");
    split_plan_dispose(&p);
    report_dispose(&rep);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_safe_names),
        cmocka_unit_test(test_part_paths),
        cmocka_unit_test(test_plan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

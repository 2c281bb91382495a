/* SPDX-License-Identifier: MIT
 * The HTML writer (src/render/html.c) without a browser: the built-in
 * template compiles against the writer's schema, a broken --template is
 * caught up front with file:line, hostile values come out escaped in
 * every context (text, SVG label, JSON data block), and a cut
 * page keeps rows of every rule. The browser-side checks are in
 * tests/cli/html-report.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "render/html.h"
#include "render/render.h"
#include "writers_fixture.h"

static char *render(size_t max)
{
    struct report rep;
    fixture_report(&rep);
    struct render_opts o = RENDER_OPTS_INIT;
    o.html_max_findings = max;
    o.full_findings_path = "out/all.json";
    struct diags d = DIAGS_INIT;
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    assert_non_null(f);
    assert_int_equal(render_html(&rep, &o, f, &d), 0);
    fclose(f);
    diags_dispose(&d);
    report_dispose(&rep);
    return out;
}

static void test_builtin_compiles(void **state)
{
    (void)state;
    struct diags d = DIAGS_INIT;
    assert_int_equal(html_template_check(NULL, &d), 0);
    assert_int_equal(d.errors, 0);
    diags_dispose(&d);
}

static void test_bad_template_file(void **state)
{
    (void)state;
    char path[] = "/tmp/imgaudit-tpl-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("<p>\n{{#rules}}{{titel}}{{/rules}}\n", f);
    fclose(f);
    struct diags d = DIAGS_INIT;
    assert_int_equal(html_template_check(path, &d), -1);
    assert_int_equal(d.errors, 1);
    assert_string_equal(d.v[0].file, path);
    assert_int_equal(d.v[0].line, 2);
    assert_int_equal(d.v[0].col, 11);
    assert_string_equal(d.v[0].msg, "unknown tag 'titel'");
    diags_dispose(&d);
    remove(path);
    assert_int_equal(html_template_check("/nonexistent/t.html", &d), -1);
    diags_dispose(&d);
}

static void test_escaped_everywhere(void **state)
{
    (void)state;
    char *html = render(5000);
    /* The only script elements are the page's own two. */
    size_t scripts = 0;
    for (const char *p = html; (p = strstr(p, "<script")) != NULL; p++)
        scripts++;
    assert_int_equal(scripts, 2);
    assert_null(strstr(html, "<script>document"));
    assert_null(strstr(html, "<b>x</b>"));
    assert_non_null(strstr(html, "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;"));
    /* The namespace chart's SVG label. */
    assert_non_null(strstr(html, "<title>&lt;script&gt;document.title=&#39;pwned&#39;"));
    /* The JSON data block: a rule title with </script> cannot end it. */
    const char *block = strstr(html, "id=\"imgaudit-data\">");
    assert_non_null(block);
    const char *end = strstr(block, "</script>");
    assert_non_null(strstr(block, "\\u003c/script\\u003e"));
    assert_true(strstr(block, "\\u003c/script\\u003e") < end);
    free(html);
}

static void test_cut_keeps_every_rule(void **state)
{
    (void)state;
    /* 4 findings over 3 rules, 3 rows allowed: one row per rule. */
    char *html = render(3);
    assert_non_null(strstr(html, "id=\"truncated\""));
    assert_non_null(strstr(html, "<code>out/all.json</code>"));
    size_t rows = 0;
    for (const char *p = html; (p = strstr(p, "<tr data-sev=")) != NULL; p++)
        rows++;
    assert_int_equal(rows, 3);
    assert_non_null(strstr(html, "<code>IMG-VULNS</code> (critical): 1 of 2 shown"));
    free(html);
    html = render(0);   /* 0: no limit */
    assert_null(strstr(html, "id=\"truncated\""));
    free(html);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtin_compiles),
        cmocka_unit_test(test_bad_template_file),
        cmocka_unit_test(test_escaped_everywhere),
        cmocka_unit_test(test_cut_keeps_every_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

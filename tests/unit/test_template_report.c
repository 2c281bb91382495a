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
#include "render/htmldata.h"
#include "render/render.h"
#include "report/columns.h"
#include "util/buf.h"
#include "writers_fixture.h"

static char *render_rep(struct report *rep, size_t max);

static char *render(size_t max)
{
    struct report rep;
    fixture_report(&rep);
    char *out = render_rep(&rep, max);
    report_dispose(&rep);
    return out;
}

static const char *template_path;   /* NULL: the built-in one */

static char *render_rep(struct report *rep, size_t max)
{
    struct render_opts o = RENDER_OPTS_INIT;
    o.template_path = template_path;
    o.html_max_findings = max;
    o.full_findings_path = "all.json";     /* a file name, as render_companion() gives */
    struct diags d = DIAGS_INIT;
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    assert_non_null(f);
    assert_int_equal(render_html(rep, &o, f, &d), 0);
    fclose(f);
    diags_dispose(&d);
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
    assert_non_null(strstr(html, "<code>all.json</code>"));
    size_t rows = 0;
    for (const char *p = html; (p = strstr(p, "<tr data-sev=")) != NULL; p++)
        rows++;
    assert_int_equal(rows, 3);
    assert_non_null(strstr(html, "<code>IMG-VULNS</code> (critical): 1 of 2 listed"));
    free(html);
    html = render(0);   /* 0: no limit */
    assert_null(strstr(html, "id=\"truncated\""));
    free(html);
}


/* The text of column 'col' of finding 'i'. */
static char *col_text(const struct report *rep, size_t i, enum fcol_id col)
{
    struct fcol_value v;
    struct buf b = BUF_INIT;
    fcol_value(rep, &rep->findings[i], col, &v);
    fcol_text(&b, &v);
    return buf_detach(&b);
}

static const char *image_str(json_t *cols, const char *name, size_t img)
{
    json_t *c = json_object_get(cols, name), *t = json_object_get(c, "t");
    json_t *v = t ? json_array_get(t, (size_t)json_integer_value(
                        json_array_get(json_object_get(c, "x"), img)))
                  : json_array_get(json_object_get(c, "v"), img);
    return json_is_string(v) ? json_string_value(v) : "";
}

/* The data block holds every finding, and the page's decoding (rule run
 * lengths, image differences, the message table with the image's
 * reference as NUL) gives back each one's rule, image and message. */
static void test_data_block_round_trip(void **state)
{
    (void)state;
    struct report rep;
    fixture_report(&rep);
    char *html = render_rep(&rep, 1);   /* one row without scripts, all in the data */
    const char *block = strstr(html, "id=\"imgaudit-data\">") + strlen("id=\"imgaudit-data\">");
    const char *end = strstr(block, "</script>");
    json_error_t err;
    json_t *d = json_loadb(block, (size_t)(end - block), JSON_ALLOW_NUL, &err);
    assert_non_null(d);
    assert_int_equal(json_integer_value(json_object_get(d, "findings")), rep.n_findings);
    assert_int_equal(json_integer_value(json_object_get(d, "findings_shown")), 1);
    json_t *fc = json_object_get(d, "finding_columns"), *ic = json_object_get(d, "image_columns");
    json_t *runs = json_object_get(fc, "rule"), *imgs = json_object_get(fc, "image");
    json_t *msgs = json_object_get(d, "messages"), *rules = json_object_get(d, "rules");
    assert_int_equal(json_array_size(imgs), rep.n_findings);
    size_t i = 0, run = 0, left = 0;
    json_int_t img = 0, rule = -1;
    bool substituted = false;
    for (; i < rep.n_findings; i++) {
        if (!left) {
            rule = json_integer_value(json_array_get(runs, run));
            left = (size_t)json_integer_value(json_array_get(runs, run + 1));
            run += 2;
        }
        left--;
        img += json_integer_value(json_array_get(imgs, i));
        const char *id = json_string_value(json_object_get(json_array_get(rules, (size_t)rule), "id"));
        char *want = col_text(&rep, i, FC_RULE_ID);
        assert_string_equal(id, want);
        free(want);
        want = col_text(&rep, i, FC_IMAGE_NAME);
        assert_string_equal(image_str(ic, "image_name", (size_t)img), want);
        free(want);
        /* The message: the rule's title, a table entry, or one with the
         * image's "namespace/name:version" in place of its NUL. */
        json_int_t m = json_integer_value(json_array_get(json_object_get(fc, "message"), i));
        struct buf got = BUF_INIT;
        if (m == 0) {
            buf_puts(&got, json_string_value(json_object_get(json_array_get(rules, (size_t)rule), "title")));
        } else {
            json_t *e = json_array_get(msgs, (size_t)(m - 1));
            const char *s = json_string_value(e);
            size_t n = json_string_length(e), at = strlen(s);
            buf_append(&got, s, at);
            if (at < n) {
                substituted = true;
                buf_printf(&got, "%s/%s:%s", image_str(ic, "namespace", (size_t)img),
                           image_str(ic, "image_name", (size_t)img),
                           image_str(ic, "image_version", (size_t)img));
                buf_append(&got, s + at + 1, n - at - 1);
            }
        }
        want = col_text(&rep, i, FC_MESSAGE);
        assert_string_equal(buf_cstr(&got), want);
        free(want);
        buf_dispose(&got);
    }
    assert_int_equal(run, json_array_size(runs));
    assert_true(substituted);
    json_decref(d);
    free(html);
    report_dispose(&rep);
}

/* JSON strings for <script>: nothing that ends the element or opens a
 * comment, JavaScript's line terminators escaped, bytes that are not
 * UTF-8 replaced. */
static void test_json_string_escaping(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    const char in[] = "</script><!--&\"\\\n\x01\0a\xE2\x80\xA8\xE2\x80\xA9\xC3\xA9\xFF\xC3\xED\xA0\x80z";
    html_json_str(&b, in, sizeof in - 1);
    assert_string_equal(buf_cstr(&b),
                        "\"\\u003c/script\\u003e\\u003c!--\\u0026\\\"\\\\\\n\\u0001\\u0000a"
                        "\\u2028\\u2029\xC3\xA9\\ufffd\\ufffd\\ufffd\\ufffd\\ufffdz\"");
    buf_dispose(&b);
}

/* A value longer than 200 characters: cut with an ellipsis in its cell,
 * whole under "Full values" (with <wbr>s, from the template engine). */
static void test_long_value_cut(void **state)
{
    (void)state;
    struct report rep;
    fixture_report(&rep);
    char name[1001];
    memset(name, 'n', 1000);
    name[1000] = '\0';
    rep.images[rep.findings[0].image].c[F_IMAGE_NAME].v.s = report_str(&rep, name);
    char rem[400];
    memset(rem, 'r', 399);
    rem[399] = '\0';
    rep.rules[rep.findings[0].rule].remediation = report_str(&rep, rem);
    char *html = render_rep(&rep, 5000);
    char cell[300];
    snprintf(cell, sizeof cell, "<strong>%.48s<wbr>", name);
    assert_non_null(strstr(html, cell));
    assert_non_null(strstr(html, "n\xE2\x80\xA6</strong>"));       /* cut: 200 n, then … */
    assert_non_null(strstr(html, "<summary>Full image_name (1000 characters)</summary>"));
    /* A rule's long remediation is cut in a row's cell (when a template
     * shows it) but not repeated under "Full": the Rules section has it. */
    assert_null(strstr(html, "<summary>Full remediation"));
    /* 1000 characters in the full value, 200 in each cell. */
    size_t ns = 0;
    for (const char *p = html; *p; p++)
        ns += *p == 'n' && p[1] == 'n';
    assert_true(ns > 1000);
    free(html);
    report_dispose(&rep);
}

/* The writer builds only the rows and columns a template shows (the
 * built-in one does not show the flat list), but a custom template that
 * lists the findings still gets them, with its columns. */
static void test_custom_template_gets_findings(void **state)
{
    (void)state;
    char path[] = "/tmp/imgaudit-tpl-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("{{#findings}}[{{rule_id}}|{{image_version}}|{{image_id}}]{{/findings}}", f);
    fclose(f);
    template_path = path;
    char *html = render(3);
    template_path = NULL;
    remove(path);
    assert_string_equal(html, "[IMG-VULNS|1.25|img-aa11][IMG-HSS-HIGH|1.25|img-aa11]"
                              "[IMG-LATEST &lt;tag&gt;|latest|]");
    free(html);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtin_compiles),
        cmocka_unit_test(test_bad_template_file),
        cmocka_unit_test(test_escaped_everywhere),
        cmocka_unit_test(test_cut_keeps_every_rule),
        cmocka_unit_test(test_data_block_round_trip),
        cmocka_unit_test(test_json_string_escaping),
        cmocka_unit_test(test_long_value_cut),
        cmocka_unit_test(test_custom_template_gets_findings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT
 * Unit tests of the HTML template engine (src/render/template.c):
 * escaping, sections over lists, booleans, objects and strings, inverted
 * sections, tool-rendered fragments, nesting, standalone lines, and the
 * exact text of every compile error (file:line:col). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "render/template.h"
#include "util/buf.h"

static const struct tpl_schema tag_schema[] = {
    {"name", TPL_TEXT, NULL},
    {NULL, TPL_TEXT, NULL},
};
static const struct tpl_schema item_schema[] = {
    {"id", TPL_TEXT, NULL},
    {"tags", TPL_STRINGS, NULL},
    {"subs", TPL_SECTION, tag_schema},
    {NULL, TPL_TEXT, NULL},
};
static const struct tpl_schema schema[] = {
    {"title", TPL_TEXT, NULL},
    {"empty", TPL_TEXT, NULL},
    {"chart", TPL_HTML, NULL},
    {"flag", TPL_SECTION, NULL},
    {"items", TPL_SECTION, item_schema},
    {"words", TPL_STRINGS, NULL},
    {"meta", TPL_SECTION, tag_schema},
    {NULL, TPL_TEXT, NULL},
};

/* Compile and render 'src' with 'data'; returns the output (free it) or
 * NULL with the first diagnostic printed into 'err' (file:line:col: msg). */
static char *run(const char *src, const struct tpl_data *data, char *err, size_t errlen)
{
    struct diags d = DIAGS_INIT;
    struct tpl *t = NULL;
    char *res = NULL;
    err[0] = '\0';
    if (tpl_compile(&t, "t.html", src, strlen(src), schema, &d) < 0) {
        assert_true(d.errors > 0);
        snprintf(err, errlen, "%s:%d:%d: %s", d.v[0].file, d.v[0].line, d.v[0].col,
                 d.v[0].msg);
    } else {
        size_t len = 0;
        FILE *f = open_memstream(&res, &len);
        assert_non_null(f);
        assert_int_equal(tpl_render(t, data, f, &d), 0);
        fclose(f);
    }
    tpl_free(t);
    diags_dispose(&d);
    return res;
}

static void expect(const char *src, const struct tpl_data *data, const char *want)
{
    char err[512];
    char *got = run(src, data, err, sizeof err);
    if (!got)
        fail_msg("compile failed: %s", err);
    assert_string_equal(got, want);
    free(got);
}

static void expect_error(const char *src, const char *want)
{
    char err[512];
    struct tpl_data *data = tpl_data_new();
    char *got = run(src, data, err, sizeof err);
    tpl_data_free(data);
    if (got) {
        free(got);
        fail_msg("compiled but should fail with: %s", want);
    }
    assert_string_equal(err, want);
}

static void test_escaping(void **state)
{
    (void)state;
    struct tpl_data *d = tpl_data_new();
    tpl_set_str(d, "title", "<script>alert(\"x\")</script> & 'q'");
    expect("<h1>{{title}}</h1>", d,
           "<h1>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;</h1>");
    expect("<a title=\"{{ title }}\">", d,
           "<a title=\"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; "
           "&#39;q&#39;\">");
    /* Missing data renders as nothing. */
    expect("[{{empty}}]", d, "[]");
    tpl_data_free(d);
}

static void test_triple_only_for_fragments(void **state)
{
    (void)state;
    struct tpl_data *d = tpl_data_new();
    tpl_set_html(d, "chart", "<svg><text>a &amp; b</text></svg>");
    expect("{{{chart}}}|{{&chart}}", d,
           "<svg><text>a &amp; b</text></svg>|<svg><text>a &amp; b</text></svg>");
    /* Taken without a copy, freed with the tree (ASan checks). */
    tpl_take_html(d, "chart", strdup("<svg id=\"taken\"/>"));
    expect("{{{chart}}}", d, "<svg id=\"taken\"/>");
    tpl_take_html(d, "chart", strdup("<svg/>"));       /* the first one freed */
    expect("{{{chart}}}", d, "<svg/>");
    /* A string set under a fragment's name is still escaped. */
    tpl_set_str(d, "chart", "<b>");
    expect("{{{chart}}}", d, "&lt;b&gt;");
    tpl_data_free(d);
    expect_error("{{{title}}}",
                 "t.html:1:1: 'title' is data and always escaped: use {{title}}");
}

/* A fragment kept in a file (the HTML report's data block): its first
 * 'size' bytes, raw under {{{ }}}, escaped under {{ }}, empty when
 * size is 0 (a section's truth), closed with the tree (ASan checks). */
static void test_fragment_in_file(void **state)
{
    (void)state;
    struct tpl_data *d = tpl_data_new();
    FILE *f = tmpfile();
    assert_non_null(f);
    fputs("{\"a\":\"<b>\"}IGNORED", f);
    tpl_take_file(d, "chart", f, 11);
    expect("<script>{{{chart}}}</script>{{#chart}}yes{{/chart}}", d,
           "<script>{\"a\":\"<b>\"}</script>yes");
    expect("{{chart}}", d, "{&quot;a&quot;:&quot;&lt;b&gt;&quot;}");
    FILE *g = tmpfile();
    assert_non_null(g);
    tpl_take_file(d, "chart", g, 0);      /* the first one closed */
    expect("[{{{chart}}}]{{^chart}}none{{/chart}}", d, "[]none");
    tpl_data_free(d);
}

static void test_sections(void **state)
{
    (void)state;
    struct tpl_data *d = tpl_data_new();
    for (int i = 1; i <= 3; i++) {
        struct tpl_data *it = tpl_add_item(d, "items");
        tpl_set_int(it, "id", i);
    }
    tpl_set_bool(d, "flag", true);
    tpl_set_str(d, "title", "T");
    expect("{{#items}}<{{id}}:{{title}}>{{/items}}", d, "<1:T><2:T><3:T>");
    expect("{{#flag}}yes{{/flag}}{{^flag}}no{{/flag}}", d, "yes");
    tpl_set_bool(d, "flag", false);
    expect("{{#flag}}yes{{/flag}}{{^flag}}no{{/flag}}", d, "no");
    /* A text value as a section: true when non-empty. */
    expect("{{#title}}has {{title}}{{/title}}{{#empty}}never{{/empty}}", d, "has T");
    /* An object: rendered once, its names in scope. */
    struct tpl_data *m = tpl_set_obj(d, "meta");
    tpl_set_str(m, "name", "<n>");
    expect("{{#meta}}{{name}}/{{title}}{{/meta}}", d, "&lt;n&gt;/T");
    tpl_data_free(d);
}

static void test_inverted(void **state)
{
    (void)state;
    struct tpl_data *d = tpl_data_new();
    /* Missing, an empty list and an empty string are all false. */
    expect("{{^items}}No findings{{/items}}", d, "No findings");
    tpl_set_list(d, "items");
    expect("{{#items}}x{{/items}}{{^items}}none{{/items}}", d, "none");
    tpl_add_item(d, "items");
    expect("{{^items}}none{{/items}}", d, "");
    tpl_set_str(d, "empty", "");
    expect("{{^empty}}blank{{/empty}}", d, "blank");
    tpl_data_free(d);
}

static void test_nested_and_strings(void **state)
{
    (void)state;
    struct tpl_data *d = tpl_data_new();
    for (int i = 0; i < 2; i++) {
        struct tpl_data *it = tpl_add_item(d, "items");
        tpl_set_fmt(it, "id", "r%d", i);
        tpl_add_str(it, "tags", "a<");
        tpl_add_str(it, "tags", "b");
        struct tpl_data *s = tpl_add_item(it, "subs");
        tpl_set_fmt(s, "name", "s%d", i);
    }
    expect("{{#items}}{{id}}[{{#tags}}{{.}},{{/tags}}]{{#subs}}({{name}}@{{id}}){{/subs}};"
           "{{/items}}",
           d, "r0[a&lt;,b,](s0@r0);r1[a&lt;,b,](s1@r1);");
    tpl_add_str(d, "words", "w");
    expect("{{#words}}<{{.}}>{{/words}}", d, "<w>");
    tpl_data_free(d);
}

static void test_standalone_lines(void **state)
{
    (void)state;
    struct tpl_data *d = tpl_data_new();
    tpl_add_item(d, "items");
    tpl_add_item(d, "items");
    expect("<ul>\n  {{#items}}\n  <li>\n  {{/items}}\n  {{! a comment }}\n</ul>\n", d,
           "<ul>\n  <li>\n  <li>\n</ul>\n");
    /* A tag with text beside it keeps its line. */
    expect("a {{#items}}x{{/items}} b\n", d, "a xx b\n");
    tpl_data_free(d);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("<p>\n  {{titel}}\n", "t.html:2:3: unknown tag 'titel'");
    expect_error("line1\n{{#items}}\n{{id}}\n", "t.html:2:1: unclosed section '{{#items}}'");
    expect_error("{{#items}}{{/flag}}",
                 "t.html:1:11: '{{/flag}}' does not close '{{#items}}' (line 1)");
    expect_error("x\ny {{/items}}", "t.html:2:3: '{{/items}}' closes no open section");
    expect_error("{{#nope}}{{/nope}}", "t.html:1:1: unknown section 'nope'");
    expect_error("{{items}}", "t.html:1:1: 'items' is a section: use {{#items}}...{{/items}}");
    /* Names of a section are unknown outside it. */
    expect_error("{{#items}}{{/items}}{{id}}", "t.html:1:21: unknown tag 'id'");
    expect_error("{{.}}", "t.html:1:1: '{{.}}' outside a list of strings");
    expect_error("ab\n{{title", "t.html:2:1: unclosed tag: '{{' has no '}}'");
    expect_error("{{> part}}", "t.html:1:1: '{{>' (partials) is not supported");
    expect_error("{{a b}}", "t.html:1:1: bad tag name 'a b'");
}

static void test_all_errors_reported(void **state)
{
    (void)state;
    struct diags d = DIAGS_INIT;
    struct tpl *t = NULL;
    const char *src = "{{a}}\n{{b}}\n{{#c}}";
    assert_int_equal(tpl_compile(&t, "x", src, strlen(src), schema, &d), -1);
    assert_null(t);
    /* Unknown a, unknown b, unknown section c, and c left open. */
    assert_int_equal(d.errors, 4);
    assert_int_equal(d.v[1].line, 2);
    assert_int_equal(d.v[2].line, 3);
    assert_string_equal(d.v[3].msg, "unclosed section '{{#c}}'");
    diags_dispose(&d);
}

/* 2026-11-27, found by fuzz_template (fuzz/corpora/template/
 * nested-list.html): a list section inside itself repeats for every item
 * of every enclosing copy, 2^32 passes at the 32-level depth limit, so a
 * tiny template hung the report. Rendering now stops with an error once
 * it has done far more work than the data needs; sensible nesting of
 * distinct lists still renders. */
static void test_runaway_nesting_stops(void **state)
{
    (void)state;
    struct tpl_data *data = tpl_data_new();
    tpl_add_str(data, "words", "a");
    tpl_add_str(data, "words", "b");
    struct buf src = BUF_INIT;
    for (int i = 0; i < 32; i++)
        buf_puts(&src, "{{#words}}");
    buf_puts(&src, "{{.}}");
    for (int i = 0; i < 32; i++)
        buf_puts(&src, "{{/words}}");
    struct diags d = DIAGS_INIT;
    struct tpl *t = NULL;
    assert_int_equal(tpl_compile(&t, "deep.html", buf_cstr(&src), src.len, schema, &d), 0);
    FILE *f = fopen("/dev/null", "w");
    assert_non_null(f);
    assert_int_equal(tpl_render(t, data, f, &d), -1);
    fclose(f);
    assert_int_equal(d.errors, 1);
    assert_string_equal(d.v[0].file, "deep.html");
    assert_non_null(strstr(d.v[0].msg, "is a list section nested inside itself?"));
    tpl_free(t);
    diags_dispose(&d);
    buf_dispose(&src);

    /* Two levels of the same list is quadratic but small: still fine. */
    expect("{{#words}}{{#words}}{{.}}{{/words}};{{/words}}", data, "ab;ab;");
    tpl_data_free(data);
}

/* A long unbroken word in element content gets a <wbr> every 48
 * characters (never inside a UTF-8 character, counted from the last
 * space); in attributes and in title, textarea, script and style it is
 * left alone, where a <wbr> would show as text. */
static void test_long_words_broken(void **state)
{
    (void)state;
    struct tpl_data *d = tpl_data_new();
    char word[101], a48[49], want[1024];
    memset(word, 'a', 100);
    word[100] = '\0';
    memcpy(a48, word, 48);
    a48[48] = '\0';
    tpl_set_str(d, "title", word);
    snprintf(want, sizeof want, "<td>%s<wbr>%s<wbr>aaaa</td>", a48, a48);
    expect("<td>{{title}}</td>", d, want);
    /* Not in a tag, even after a quoted '>', nor in raw-text elements;
     * again in content after their end tags. */
    static const char *const not_content[] = {
        "<td title=\"{{title}}\">", "<td data-x='a>b' title={{title}}>",
        "<title>{{title}}</title>", "<TEXTAREA>{{title}}</textarea>",
        "<script>if (a<b) x = '{{title}}';</script>", "<style>p{} /* {{title}} */</style>",
    };
    for (size_t i = 0; i < sizeof not_content / sizeof not_content[0]; i++) {
        char *src = strdup(not_content[i]);
        char *tag = strstr(src, "{{title}}");
        snprintf(want, sizeof want, "%.*s%s%s", (int)(tag - src), src, word, tag + 9);
        expect(src, d, want);
        free(src);
    }
    snprintf(want, sizeof want, "<title>x</title><p>%s<wbr>%s<wbr>aaaa", a48, a48);
    expect("<title>x</title><p>{{title}}", d, want);
    snprintf(want, sizeof want, "<script>a<b</script><p>%s<wbr>%s<wbr>aaaa", a48, a48);
    expect("<script>a<b</script><p>{{title}}", d, want);
    /* Spaces restart the count; escaping counts a character once; a
     * multi-byte character is never split. */
    char text[512];
    snprintf(text, sizeof text, "%.40s %.47s&%s", word, word, "\xC3\xA9\xC3\xA9");
    tpl_set_str(d, "title", text);
    snprintf(want, sizeof want, "<p>%.40s %.47s&amp;<wbr>\xC3\xA9\xC3\xA9", word, word);
    expect("<p>{{title}}", d, want);
    tpl_add_str(d, "words", word);
    snprintf(want, sizeof want, "<li>%s<wbr>%s<wbr>aaaa", a48, a48);
    expect("{{#words}}<li>{{.}}{{/words}}", d, want);
    tpl_data_free(d);
}

/* tpl_uses: any tag naming it, at any depth; as a section only when
 * asked. */
static void test_uses(void **state)
{
    (void)state;
    struct diags d = DIAGS_INIT;
    struct tpl *t = NULL;
    const char *src = "{{#items}}{{id}}{{/items}}{{^flag}}{{title}}{{/flag}}";
    assert_int_equal(tpl_compile(&t, "t.html", src, strlen(src), schema, &d), 0);
    assert_true(tpl_uses(t, "id", false));
    assert_false(tpl_uses(t, "id", true));
    assert_true(tpl_uses(t, "items", true));
    assert_true(tpl_uses(t, "flag", true));
    assert_true(tpl_uses(t, "title", false));
    assert_false(tpl_uses(t, "words", false));
    tpl_free(t);
    diags_dispose(&d);
}

static void test_escape_buf(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    tpl_escape_html(&b, "a<b>&\"'", 7);
    assert_string_equal(buf_cstr(&b), "a&lt;b&gt;&amp;&quot;&#39;");
    buf_dispose(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_triple_only_for_fragments),
        cmocka_unit_test(test_fragment_in_file),
        cmocka_unit_test(test_sections),
        cmocka_unit_test(test_inverted),
        cmocka_unit_test(test_nested_and_strings),
        cmocka_unit_test(test_standalone_lines),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_all_errors_reported),
        cmocka_unit_test(test_runaway_nesting_stops),
        cmocka_unit_test(test_escape_buf),
        cmocka_unit_test(test_long_words_broken),
        cmocka_unit_test(test_uses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

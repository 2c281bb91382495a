/* SPDX-License-Identifier: MIT
 * The XML text mapping (src/render/xmltext.h): which code points XML 1.0
 * cannot carry, malformed UTF-8 of every kind, the escapes for element
 * content and attribute values, and the OOXML "_xHHHH_" test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "render/xmltext.h"

#define R XMLTEXT_REPLACEMENT

static void expect_clean(const char *in, const char *want, size_t replaced)
{
    struct buf b = BUF_INIT;
    assert_int_equal(xmltext_clean(&b, in), replaced);
    assert_string_equal(buf_cstr(&b), want);
    buf_dispose(&b);
}

static void test_allowed(void **state)
{
    (void)state;
    assert_true(xmltext_allowed(0x09));
    assert_true(xmltext_allowed(0x0A));
    assert_true(xmltext_allowed(0x0D));
    assert_false(xmltext_allowed(0x00));
    assert_false(xmltext_allowed(0x01));
    assert_false(xmltext_allowed(0x0B));
    assert_false(xmltext_allowed(0x1F));
    assert_true(xmltext_allowed(0x20));
    assert_true(xmltext_allowed(0x7F));     /* discouraged, not forbidden */
    assert_true(xmltext_allowed(0x85));
    assert_true(xmltext_allowed(0xD7FF));
    assert_false(xmltext_allowed(0xD800));
    assert_false(xmltext_allowed(0xDFFF));
    assert_true(xmltext_allowed(0xE000));
    assert_true(xmltext_allowed(0xFDD0));
    assert_true(xmltext_allowed(0xFFFD));
    assert_false(xmltext_allowed(0xFFFE));
    assert_false(xmltext_allowed(0xFFFF));
    assert_true(xmltext_allowed(0x10000));
    assert_true(xmltext_allowed(0x1FFFE));
    assert_true(xmltext_allowed(0x10FFFF));
    assert_false(xmltext_allowed(0x110000));
    assert_false(xmltext_allowed(XMLTEXT_BAD));
}

static void test_clean_forbidden(void **state)
{
    (void)state;
    expect_clean("plain", "plain", 0);
    expect_clean("", "", 0);
    expect_clean("tab\tlf\ncr\r", "tab\tlf\ncr\r", 0);
    expect_clean("a\x01" "b\x1F" "c\x0B", "a" R "b" R "c" R, 3);
    /* U+FFFE, U+FFFF; U+FFFD itself and a plane-1 noncharacter stay. */
    expect_clean("x\xEF\xBF\xBEy\xEF\xBF\xBFz", "x" R "y" R "z", 2);
    expect_clean(R "\xF0\x9F\xBF\xBE", R "\xF0\x9F\xBF\xBE", 0);
    expect_clean("\xF0\x9F\x98\x80 \xC3\xA9 \xE4\xB8\xAD", "\xF0\x9F\x98\x80 \xC3\xA9 \xE4\xB8\xAD", 0);
}

static void test_clean_malformed(void **state)
{
    (void)state;
    expect_clean("\x80", R, 1);                         /* stray continuation */
    expect_clean("\xC3", R, 1);                         /* truncated at the end */
    expect_clean("\xC3x", R "x", 1);                    /* truncated mid-string */
    expect_clean("\xE4\xB8", R R, 2);                   /* each bad byte on its own */
    expect_clean("\xC0\xAF", R R, 2);                   /* overlong '/' */
    expect_clean("\xE0\x80\xAF", R R R, 3);             /* overlong, 3 bytes */
    expect_clean("\xF0\x80\x80\xAF", R R R R, 4);       /* overlong, 4 bytes */
    expect_clean("\xED\xA0\x80", R R R, 3);             /* U+D800, a surrogate */
    expect_clean("\xED\x9F\xBF", "\xED\x9F\xBF", 0);    /* U+D7FF, the last before */
    expect_clean("\xF4\x90\x80\x80", R R R R, 4);       /* past U+10FFFF */
    expect_clean("\xF4\x8F\xBF\xBF", "\xF4\x8F\xBF\xBF", 0);
    expect_clean("\xF5\xFE\xFF", R R R, 3);
}

static void test_decode(void **state)
{
    (void)state;
    uint32_t cp;
    assert_int_equal(xmltext_decode((const unsigned char *)"A", &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(xmltext_decode((const unsigned char *)"\xEF\xBF\xBE", &cp), 3);
    assert_int_equal(cp, 0xFFFE);
    assert_int_equal(xmltext_decode((const unsigned char *)"\xF0\x9F\x98\x80", &cp), 4);
    assert_int_equal(cp, 0x1F600);
    assert_int_equal(xmltext_decode((const unsigned char *)"\xF0\x9F\x98", &cp), 1);
    assert_int_equal(cp, XMLTEXT_BAD);
}

static void expect_escape(const char *in, bool attr, const char *want)
{
    struct buf b = BUF_INIT;
    xmltext_escape(&b, in, attr);
    assert_string_equal(buf_cstr(&b), want);
    buf_dispose(&b);
}

static void test_escape(void **state)
{
    (void)state;
    expect_escape("a<b>&c]]>\"'", false, "a&lt;b&gt;&amp;c]]&gt;\"'");
    expect_escape("a<b>&c\"'", true, "a&lt;b&gt;&amp;c&quot;'");
    /* A raw CR would come back as LF; TAB and LF in an attribute as spaces. */
    expect_escape("1\r2\n3\t4", false, "1&#13;2\n3\t4");
    expect_escape("1\r2\n3\t4", true, "1&#13;2&#10;3&#9;4");
    expect_escape("\x01\xEF\xBF\xBF_x000D_", false, R R "_x000D_");
}

static void test_ooxml_escape_at(void **state)
{
    (void)state;
    assert_true(xmltext_ooxml_escape_at("_x000D_"));
    assert_true(xmltext_ooxml_escape_at("_x005f_rest"));
    assert_true(xmltext_ooxml_escape_at("_xABcd_"));
    assert_false(xmltext_ooxml_escape_at("_X000D_"));  /* Excel reads lower-case x only */
    assert_false(xmltext_ooxml_escape_at("_x00D_"));
    assert_false(xmltext_ooxml_escape_at("_x00G0_"));
    assert_false(xmltext_ooxml_escape_at("_x000D"));
    assert_false(xmltext_ooxml_escape_at("x000D_"));
    assert_false(xmltext_ooxml_escape_at("_"));
    assert_false(xmltext_ooxml_escape_at(""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_allowed),
        cmocka_unit_test(test_clean_forbidden),
        cmocka_unit_test(test_clean_malformed),
        cmocka_unit_test(test_decode),
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_ooxml_escape_at),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT
 * Lexer tests: token kinds and byte ranges, numbers and durations,
 * string escapes and their source-offset mapping, and the error tokens
 * for the operators people bring from other languages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rules/lex.h"

static void lex_all(const char *src, struct token *out, size_t max, size_t *n)
{
    struct lexer lx;
    lex_init(&lx, src, strlen(src));
    *n = 0;
    do {
        lex_next(&lx, &out[*n]);
    } while (out[(*n)++].kind != TK_EOF && *n < max);
}

static void test_kinds_and_ranges(void **state)
{
    (void)state;
    struct token t[32];
    size_t n;
    lex_all("vul_num >= 10 and not(x in [1,2]) or a=~'b' != c !~ \"d\"", t, 32, &n);
    static const enum tok_kind want[] = {
        TK_IDENT, TK_GE,    TK_INT,    TK_AND,   TK_NOT,    TK_LPAREN, TK_IDENT,
        TK_IN,    TK_LBRACK, TK_INT,   TK_COMMA, TK_INT,    TK_RBRACK, TK_RPAREN,
        TK_OR,    TK_IDENT, TK_MATCH,  TK_STR,   TK_NE,     TK_IDENT,  TK_NMATCH,
        TK_STR,   TK_EOF};
    assert_int_equal(n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(t[i].kind, want[i]);
    assert_int_equal(t[0].start, 0);
    assert_int_equal(t[0].end, 7);
    assert_int_equal(t[1].start, 8);
    assert_int_equal(t[1].end, 10);
    assert_int_equal(t[2].i, 10);
}

static void test_numbers_and_durations(void **state)
{
    (void)state;
    struct token t[16];
    size_t n;
    lex_all("42 3.5 1e3 30d 12h 15m 45s 9223372036854775807", t, 16, &n);
    assert_int_equal(t[0].kind, TK_INT);
    assert_int_equal(t[0].i, 42);
    assert_int_equal(t[1].kind, TK_DEC);
    assert_true(t[1].d == 3.5);
    assert_int_equal(t[2].kind, TK_DEC);
    assert_true(t[2].d == 1000.0);
    assert_int_equal(t[3].kind, TK_DUR);
    assert_int_equal(t[3].i, 30LL * 86400000);
    assert_int_equal(t[4].i, 12LL * 3600000);
    assert_int_equal(t[5].i, 15LL * 60000);
    assert_int_equal(t[6].i, 45000);
    assert_int_equal(t[7].kind, TK_INT);
    assert_int_equal(t[7].i, INT64_MAX);

    lex_all("9223372036854775808", t, 16, &n);
    assert_int_equal(t[0].kind, TK_ERROR);
    assert_string_equal(t[0].err, "integer out of range");
    lex_all("2w", t, 16, &n);
    assert_int_equal(t[0].kind, TK_ERROR);
    assert_int_equal(t[0].end, 2);
    lex_all("7days", t, 16, &n);
    assert_int_equal(t[0].kind, TK_ERROR);
    lex_all("1.5d", t, 16, &n);
    assert_int_equal(t[0].kind, TK_ERROR);
}

static void test_strings(void **state)
{
    (void)state;
    const char *src = "\"a\\\"b\\\\c\\u00e9\\ud83d\\ude00\" 'it\\'s'";
    struct token t[8];
    size_t n;
    lex_all(src, t, 8, &n);
    assert_int_equal(t[0].kind, TK_STR);
    assert_int_equal(t[1].kind, TK_STR);
    size_t len;
    char *v = lex_string_value(src, t[0].start, t[0].end, &len);
    assert_string_equal(v, "a\"b\\c\xc3\xa9\xf0\x9f\x98\x80");
    assert_int_equal(len, 11);
    free(v);
    v = lex_string_value(src, t[1].start, t[1].end, &len);
    assert_string_equal(v, "it's");
    free(v);
    /* Decoded byte -> source byte. */
    assert_int_equal(lex_string_srcoff(src, t[0].start, t[0].end, 0), 1);   /* a */
    assert_int_equal(lex_string_srcoff(src, t[0].start, t[0].end, 1), 2);   /* \" */
    assert_int_equal(lex_string_srcoff(src, t[0].start, t[0].end, 2), 4);   /* b */
    assert_int_equal(lex_string_srcoff(src, t[0].start, t[0].end, 5), 8);   /* é, 1st byte */
    assert_int_equal(lex_string_srcoff(src, t[0].start, t[0].end, 6), 8);   /* é, 2nd byte */
    assert_int_equal(lex_string_srcoff(src, t[0].start, t[0].end, 7), 14);  /* surrogate pair */
    assert_int_equal(lex_string_srcoff(src, t[0].start, t[0].end, 11), t[0].end - 1);

    lex_all("\"abc", t, 8, &n);
    assert_int_equal(t[0].kind, TK_ERROR);
    assert_string_equal(t[0].err, "unterminated string");
    lex_all("\"\\d\"", t, 8, &n);
    assert_int_equal(t[0].kind, TK_ERROR);
    assert_int_equal(t[0].start, 1);
    assert_int_equal(t[0].end, 3);
    lex_all("\"\\u12\"", t, 8, &n);
    assert_int_equal(t[0].kind, TK_ERROR);
}

static void test_foreign_operators(void **state)
{
    (void)state;
    static const struct { const char *src; const char *err; } cases[] = {
        {"a = b", "'=' is not an operator (use '==' to compare)"},
        {"a && b", "'&&' is not an operator (use 'and')"},
        {"a || b", "'||' is not an operator (use 'or')"},
        {"!a", "'!' is not an operator (use 'not')"},
        {"a $ b", "unexpected character"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct token t[8];
        size_t n;
        lex_all(cases[i].src, t, 8, &n);
        int found = 0;
        for (size_t k = 0; k < n; k++)
            if (t[k].kind == TK_ERROR) {
                assert_string_equal(t[k].err, cases[i].err);
                found = 1;
            }
        assert_true(found);
    }
}

static void test_keywords_are_whole_words(void **state)
{
    (void)state;
    struct token t[8];
    size_t n;
    lex_all("android order notice inx null true", t, 8, &n);
    assert_int_equal(t[0].kind, TK_IDENT);
    assert_int_equal(t[1].kind, TK_IDENT);
    assert_int_equal(t[2].kind, TK_IDENT);
    assert_int_equal(t[3].kind, TK_IDENT);
    assert_int_equal(t[4].kind, TK_NULL);
    assert_int_equal(t[5].kind, TK_TRUE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds_and_ranges),
        cmocka_unit_test(test_numbers_and_durations),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_foreign_operators),
        cmocka_unit_test(test_keywords_are_whole_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT
 * Parser tests: precedence and associativity (as an S-expression dump),
 * byte ranges of nodes, error messages and positions, and the nesting
 * limits that keep the recursive stages off the end of the stack. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rules/parse.h"
#include "util/buf.h"

static void dump(struct buf *b, const struct node *n)
{
    switch (n->kind) {
    case N_INT: buf_printf(b, "%lld", (long long)n->i); return;
    case N_DEC: buf_printf(b, "%g", n->d); return;
    case N_DUR: buf_printf(b, "%lldms", (long long)n->i); return;
    case N_STR: buf_printf(b, "\"%s\"", n->s); return;
    case N_BOOL: buf_puts(b, n->b ? "true" : "false"); return;
    case N_NULL: buf_puts(b, "null"); return;
    case N_NAME: buf_puts(b, n->s); return;
    case N_PARAM: buf_printf(b, "params.%s", n->s); return;
    default: break;
    }
    buf_putc(b, '(');
    switch (n->kind) {
    case N_LIST: buf_puts(b, "list"); break;
    case N_CALL: buf_puts(b, n->s); break;
    case N_NOT: buf_puts(b, "not"); break;
    case N_NEG: buf_puts(b, "neg"); break;
    case N_AND: buf_puts(b, "and"); break;
    case N_OR: buf_puts(b, "or"); break;
    case N_BIN: buf_puts(b, ast_op_name(n->op)); break;
    default: buf_puts(b, "?"); break;
    }
    for (size_t i = 0; i < n->nkids; i++) {
        buf_putc(b, ' ');
        dump(b, n->kids[i]);
    }
    buf_putc(b, ')');
}

static void check_parse(const char *src, const char *want)
{
    struct parse_error err;
    struct node *n = parse_expr(src, strlen(src), &err);
    if (!n)
        fprintf(stderr, "%s: %s\n", src, err.msg);
    assert_non_null(n);
    struct buf b = BUF_INIT;
    dump(&b, n);
    if (strcmp(buf_cstr(&b), want) != 0)
        fprintf(stderr, "%s\n  got  %s\n  want %s\n", src, buf_cstr(&b), want);
    assert_string_equal(buf_cstr(&b), want);
    buf_dispose(&b);
    ast_free(n);
}

static void test_precedence(void **state)
{
    (void)state;
    check_parse("a or b and c", "(or a (and b c))");
    check_parse("a and b or c", "(or (and a b) c)");
    check_parse("not a and b", "(and (not a) b)");
    check_parse("not a == b", "(not (== a b))");
    check_parse("not exists(x) or age(x) > 7d",
                "(or (not (exists x)) (> (age x) 604800000ms))");
    check_parse("(not exists(x) or y)", "(or (not (exists x)) y)");
    check_parse("f(a or b, c)", "(f (or a b) c)");
    check_parse("a + b * c == d", "(== (+ a (* b c)) d)");
    check_parse("a - b - c", "(- (- a b) c)");
    check_parse("a / b / c", "(/ (/ a b) c)");
    check_parse("-a * b", "(* (neg a) b)");
    check_parse("- -a", "(neg (neg a))");
    check_parse("x not in [1, 2,]", "(not in x (list 1 2))");
    check_parse("not x in params.l", "(not (in x params.l))");
    check_parse("a =~ \"^b\" and c !~ 'd'", "(and (=~ a \"^b\") (!~ c \"d\"))");
    check_parse("[]", "(list)");
    check_parse("a == null or true != false", "(or (== a null) (!= true false))");
    check_parse("field(\"x.y\") >= 1.5", "(>= (field \"x.y\") 1.5)");
    check_parse("any(association_images, vul_num > 0 and x)",
                "(any association_images (and (> vul_num 0) x))");
}

static void test_ranges(void **state)
{
    (void)state;
    const char *src = "vul_num > 10 and (namespace == \"x\")";
    struct parse_error err;
    struct node *n = parse_expr(src, strlen(src), &err);
    assert_non_null(n);
    assert_int_equal(n->start, 0);
    assert_int_equal(n->end, strlen(src) - 1);  /* the parentheses are not a node */
    assert_int_equal(n->op_start, 13);
    assert_int_equal(n->op_end, 16);
    assert_int_equal(n->kids[0]->start, 0);
    assert_int_equal(n->kids[0]->end, 12);
    assert_int_equal(n->kids[1]->start, 18);
    ast_free(n);
}

static void check_error(const char *src, size_t start, size_t end, const char *msg)
{
    struct parse_error err;
    struct node *n = parse_expr(src, strlen(src), &err);
    assert_null(n);
    if (strcmp(err.msg, msg) != 0 || err.start != start || err.end != end)
        fprintf(stderr, "%s: got [%zu,%zu) %s\n", src, err.start, err.end, err.msg);
    assert_string_equal(err.msg, msg);
    assert_int_equal(err.start, start);
    assert_int_equal(err.end, end);
}

static void test_errors(void **state)
{
    (void)state;
    check_error("", 0, 1, "empty expression");
    check_error("   ", 0, 1, "empty expression");
    check_error("a >", 3, 4, "expected an expression, found end of expression");
    check_error("(a", 2, 3, "expected ')', found end of expression");
    check_error("f(a b)", 4, 5, "expected ')', found 'b'");
    check_error("a b", 2, 3, "unexpected 'b' after the expression");
    check_error("1 < a < 3", 6, 7, "comparisons cannot be chained (use 'and' between them)");
    check_error("a == == b", 5, 7, "expected an expression, found '=='");
    check_error("x.y", 1, 2, "unexpected '.' (only params.NAME has a dot)");
    check_error("params.", 7, 8, "expected a param name after 'params.', found end of expression");
    check_error("a and or b", 6, 8, "expected an expression, found 'or'");
    check_error("[1, 2", 5, 6, "expected ']', found end of expression");
}

static void test_limits(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    for (int i = 0; i < 200; i++)
        buf_putc(&b, '(');
    buf_putc(&b, '1');
    for (int i = 0; i < 200; i++)
        buf_putc(&b, ')');
    struct parse_error err;
    assert_null(parse_expr(b.data, b.len, &err));
    assert_string_equal(err.msg, "expression nested too deeply (limit 64)");
    /* A long flat chain is iterative in the parser but deep as a tree. */
    buf_clear(&b);
    buf_puts(&b, "1");
    for (int i = 0; i < 1000; i++)
        buf_puts(&b, " + 1");
    assert_null(parse_expr(b.data, b.len, &err));
    assert_string_equal(err.msg, "expression too deeply nested (limit 256)");
    buf_clear(&b);
    for (int i = 0; i < 100; i++)
        buf_puts(&b, "not ");
    buf_puts(&b, "true");
    assert_null(parse_expr(b.data, b.len, &err));
    /* Within the limits it parses. */
    buf_clear(&b);
    buf_puts(&b, "1");
    for (int i = 0; i < 200; i++)
        buf_puts(&b, " + 1");
    buf_puts(&b, " > 0");
    struct node *n = parse_expr(b.data, b.len, &err);
    assert_non_null(n);
    ast_free(n);
    buf_dispose(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT
 * Pratt parser for `when` expressions; see parse.h. Precedence, lowest
 * first: or, and, not, comparisons (non-associative), + -, * /, unary -.
 * `not` sits below the comparisons so that `not a == b` reads as
 * `not (a == b)`, as in Python and SQL. */
#include "rules/parse.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rules/lex.h"
#include "util/xalloc.h"

enum prec { P_NONE, P_OR, P_AND, P_NOT, P_CMP, P_ADD, P_MUL, P_UNARY };

struct parser {
    struct lexer lx;
    struct token tok;           /* current */
    struct token next;          /* one token of lookahead (for `not in`) */
    struct parse_error *err;
    int failed;
    int nesting;
};

static void fail(struct parser *p, size_t start, size_t end, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void fail(struct parser *p, size_t start, size_t end, const char *fmt, ...)
{
    if (p->failed)
        return;
    p->failed = 1;
    p->err->start = start;
    p->err->end = end > start ? end : start + 1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err->msg, sizeof p->err->msg, fmt, ap);
    va_end(ap);
}

static void advance(struct parser *p)
{
    p->tok = p->next;
    lex_next(&p->lx, &p->next);
    if (p->tok.kind == TK_ERROR)
        fail(p, p->tok.start, p->tok.end, "%s", p->tok.err);
}

/* What the current token is, for "expected X, found Y". */
static void describe(const struct parser *p, char *out, size_t n)
{
    const struct token *t = &p->tok;
    size_t len = t->end - t->start;
    if (t->kind == TK_EOF)
        snprintf(out, n, "end of expression");
    else if (len > 40)
        snprintf(out, n, "'%.40s...'", p->lx.src + t->start);
    else
        snprintf(out, n, "'%.*s'", (int)len, p->lx.src + t->start);
}

static void expect(struct parser *p, enum tok_kind k)
{
    if (p->failed)
        return;
    if (p->tok.kind != k) {
        char what[64];
        describe(p, what, sizeof what);
        fail(p, p->tok.start, p->tok.end, "expected %s, found %s", lex_kind_name(k), what);
        return;
    }
    advance(p);
}

static struct node *expr(struct parser *p, enum prec min);

static struct node *binary(enum node_kind kind, enum bin_op op, struct node *l,
                           struct node *r, const struct token *optok)
{
    struct node *n = ast_new(kind, l->start, r->end);
    n->op = op;
    n->op_start = optok->start;
    n->op_end = optok->end;
    ast_add_kid(n, l);
    ast_add_kid(n, r);
    return n;
}

/* Comma-separated expressions up to 'close'; the opening token is gone. */
static void arguments(struct parser *p, struct node *n, enum tok_kind close)
{
    if (p->tok.kind != close) {
        for (;;) {
            struct node *a = expr(p, P_NONE);
            if (!a)
                return;
            ast_add_kid(n, a);
            if (p->tok.kind != TK_COMMA)
                break;
            advance(p);
            if (p->tok.kind == close && close == TK_RBRACK)
                break;      /* a trailing comma in a list is harmless */
        }
    }
    n->end = p->tok.end;
    expect(p, close);
}

static struct node *primary(struct parser *p)
{
    struct token t = p->tok;
    struct node *n = NULL;
    switch (t.kind) {
    case TK_INT:
        n = ast_new(N_INT, t.start, t.end);
        n->i = t.i;
        advance(p);
        return n;
    case TK_DEC:
        n = ast_new(N_DEC, t.start, t.end);
        n->d = t.d;
        advance(p);
        return n;
    case TK_DUR:
        n = ast_new(N_DUR, t.start, t.end);
        n->i = t.i;
        advance(p);
        return n;
    case TK_STR:
        n = ast_new(N_STR, t.start, t.end);
        n->s = lex_string_value(p->lx.src, t.start, t.end, &n->slen);
        advance(p);
        return n;
    case TK_TRUE:
    case TK_FALSE:
        n = ast_new(N_BOOL, t.start, t.end);
        n->b = t.kind == TK_TRUE;
        advance(p);
        return n;
    case TK_NULL:
        n = ast_new(N_NULL, t.start, t.end);
        advance(p);
        return n;
    case TK_LPAREN:
        advance(p);
        n = expr(p, P_NONE);
        if (!n)
            return NULL;
        expect(p, TK_RPAREN);
        return n;
    case TK_LBRACK:
        n = ast_new(N_LIST, t.start, t.end);
        advance(p);
        arguments(p, n, TK_RBRACK);
        return n;
    case TK_IDENT:
        break;
    default: {
        char what[64];
        describe(p, what, sizeof what);
        fail(p, t.start, t.end, "expected an expression, found %s", what);
        return NULL;
    }
    }
    /* A name: a field, params.NAME or a function call. */
    const char *name = p->lx.src + t.start;
    size_t len = t.end - t.start;
    advance(p);
    if (p->tok.kind == TK_LPAREN) {
        n = ast_new(N_CALL, t.start, t.end);
        n->s = xstrndup(name, len);
        n->slen = len;
        advance(p);
        arguments(p, n, TK_RPAREN);
        return n;
    }
    if (p->tok.kind == TK_DOT) {
        if (len != 6 || memcmp(name, "params", 6) != 0) {
            fail(p, p->tok.start, p->tok.end,
                 "unexpected '.' (only params.NAME has a dot)");
            return NULL;
        }
        advance(p);
        if (p->tok.kind != TK_IDENT) {
            char what[64];
            describe(p, what, sizeof what);
            fail(p, p->tok.start, p->tok.end, "expected a param name after 'params.', found %s",
                 what);
            return NULL;
        }
        n = ast_new(N_PARAM, t.start, p->tok.end);
        n->s = xstrndup(p->lx.src + p->tok.start, p->tok.end - p->tok.start);
        n->slen = p->tok.end - p->tok.start;
        advance(p);
        return n;
    }
    n = ast_new(N_NAME, t.start, t.end);
    n->s = xstrndup(name, len);
    n->slen = len;
    return n;
}

/* The binary operator at the current token, if any, and its precedence. */
static enum prec infix(const struct parser *p, enum node_kind *kind, enum bin_op *op)
{
    *kind = N_BIN;
    switch (p->tok.kind) {
    case TK_OR: *kind = N_OR; return P_OR;
    case TK_AND: *kind = N_AND; return P_AND;
    case TK_EQ: *op = OP_EQ; return P_CMP;
    case TK_NE: *op = OP_NE; return P_CMP;
    case TK_LT: *op = OP_LT; return P_CMP;
    case TK_LE: *op = OP_LE; return P_CMP;
    case TK_GT: *op = OP_GT; return P_CMP;
    case TK_GE: *op = OP_GE; return P_CMP;
    case TK_IN: *op = OP_IN; return P_CMP;
    case TK_MATCH: *op = OP_MATCH; return P_CMP;
    case TK_NMATCH: *op = OP_NMATCH; return P_CMP;
    case TK_NOT:
        if (p->next.kind == TK_IN) {
            *op = OP_NOTIN;
            return P_CMP;
        }
        return P_NONE;
    case TK_PLUS: *op = OP_ADD; return P_ADD;
    case TK_MINUS: *op = OP_SUB; return P_ADD;
    case TK_STAR: *op = OP_MUL; return P_MUL;
    case TK_SLASH: *op = OP_DIV; return P_MUL;
    default: return P_NONE;
    }
}

static struct node *expr(struct parser *p, enum prec min)
{
    if (p->failed)
        return NULL;
    if (++p->nesting > PARSE_MAX_NESTING) {
        fail(p, p->tok.start, p->tok.end, "expression nested too deeply (limit %d)",
             PARSE_MAX_NESTING);
        return NULL;
    }
    struct node *left;
    struct token t = p->tok;
    if (t.kind == TK_NOT || t.kind == TK_MINUS) {
        advance(p);
        struct node *operand = expr(p, t.kind == TK_NOT ? P_NOT : P_UNARY);
        if (!operand) {
            p->nesting--;
            return NULL;
        }
        left = ast_new(t.kind == TK_NOT ? N_NOT : N_NEG, t.start, operand->end);
        left->op_start = t.start;
        left->op_end = t.end;
        ast_add_kid(left, operand);
    } else {
        left = primary(p);
    }
    while (left && !p->failed) {
        enum node_kind kind;
        enum bin_op op = OP_EQ;
        enum prec pr = infix(p, &kind, &op);
        if (pr == P_NONE || pr <= min)
            break;
        struct token optok = p->tok;
        advance(p);
        if (op == OP_NOTIN && kind == N_BIN) {
            optok.end = p->tok.end;
            advance(p);
        }
        struct node *right = expr(p, pr);
        if (!right)
            break;
        left = binary(kind, op, left, right, &optok);
        if (left->depth > AST_MAX_DEPTH) {
            fail(p, left->start, left->end, "expression too deeply nested (limit %d)",
                 AST_MAX_DEPTH);
            break;
        }
        /* a < b < c reads as a chain in maths but not here: refuse it. */
        enum node_kind k2;
        enum bin_op op2;
        if (pr == P_CMP && infix(p, &k2, &op2) == P_CMP) {
            fail(p, p->tok.start, p->tok.end,
                 "comparisons cannot be chained (use 'and' between them)");
            break;
        }
    }
    p->nesting--;
    if (p->failed) {
        ast_free(left);
        return NULL;
    }
    return left;
}

struct node *parse_expr(const char *src, size_t len, struct parse_error *err)
{
    struct parser p;
    memset(&p, 0, sizeof p);
    memset(err, 0, sizeof *err);
    p.err = err;
    lex_init(&p.lx, src, len);
    lex_next(&p.lx, &p.next);
    advance(&p);
    if (p.tok.kind == TK_EOF) {
        fail(&p, 0, 0, "empty expression");
        return NULL;
    }
    struct node *n = expr(&p, P_NONE);
    if (n && p.tok.kind != TK_EOF && !p.failed) {
        char what[64];
        describe(&p, what, sizeof what);
        fail(&p, p.tok.start, p.tok.end, "unexpected %s after the expression", what);
    }
    if (p.failed) {
        ast_free(n);
        return NULL;
    }
    return n;
}

/* SPDX-License-Identifier: MIT
 * The syntax tree of a `when` expression. The parser builds it with
 * names unresolved (N_NAME, N_CALL); the checker resolves names, fills in
 * every node's static type and compiles regexes in place; the evaluator
 * only reads it. Every node keeps the byte range of its source text in
 * the expression, so any later stage can point a caret at it. */
#ifndef IMGAUDIT_RULES_AST_H
#define IMGAUDIT_RULES_AST_H
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum node_kind {
    N_INT, N_DEC, N_STR, N_BOOL, N_NULL, N_DUR, N_LIST,
    N_NAME,         /* an identifier before name resolution */
    N_FIELD,        /* a record field: 'idx' into field_defs */
    N_AFIELD,       /* a field of an associated image: 'idx' into assoc_defs */
    N_DYN,          /* field("name"): 's' is the name, read from the JSON */
    N_PARAM,        /* params.NAME: 's' is NAME, 'param' after checking */
    N_CALL,         /* NAME(args): 'idx' is the builtin after checking */
    N_NOT, N_NEG, N_AND, N_OR,
    N_BIN,          /* 'op' below */
};

enum bin_op {
    OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_IN, OP_NOTIN,
    OP_MATCH, OP_NMATCH, OP_ADD, OP_SUB, OP_MUL, OP_DIV,
};

/* Static types. TY_ERR marks a subtree that already has an error, so
 * one mistake is reported once, not at every enclosing operator. */
enum ty {
    TY_ERR, TY_BOOL, TY_INT, TY_DEC, TY_STR, TY_DUR, TY_TIME, TY_NULL,
    TY_DYN,         /* field("x"): known only at run time */
    TY_LIST,        /* a list literal or list param; element type in 'elem' */
    TY_ALIST,       /* association_images */
};

struct param;

struct node {
    enum node_kind kind;
    enum bin_op op;             /* N_BIN */
    size_t start, end;          /* byte range in the expression text */
    size_t op_start, op_end;    /* the operator token (N_BIN, N_AND, N_OR) */
    int depth;                  /* height of this subtree */
    enum ty ty, elem;           /* after checking */
    int64_t i;                  /* N_INT, N_DUR (ms) */
    double d;                   /* N_DEC */
    bool b;                     /* N_BOOL */
    char *s;                    /* N_STR value, N_NAME/N_PARAM/N_CALL/N_DYN name */
    size_t slen;
    int idx;                    /* N_FIELD, N_AFIELD, N_CALL; N_BIN =~ / !~: its
                                 * slot in the rule's 'regexes' (internal.h) */
    const struct param *param;  /* N_PARAM */
    pcre2_code *re;             /* N_BIN =~ / !~, compiled by the checker */
    struct node **kids;
    size_t nkids;
};

struct node *ast_new(enum node_kind kind, size_t start, size_t end);
void ast_add_kid(struct node *n, struct node *kid);
void ast_free(struct node *n);                              /* accepts NULL */

/* "integer", "string", ... for messages. */
const char *ast_type_name(enum ty t);
/* "==", "not in", ... */
const char *ast_op_name(enum bin_op op);

#endif

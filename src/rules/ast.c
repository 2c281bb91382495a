/* SPDX-License-Identifier: MIT
 * Syntax tree nodes: allocation, freeing and the names used in
 * messages; see ast.h. */
#include "rules/ast.h"

#include <stdlib.h>

#include "util/xalloc.h"

struct node *ast_new(enum node_kind kind, size_t start, size_t end)
{
    struct node *n = xcalloc(1, sizeof *n);
    n->kind = kind;
    n->start = start;
    n->end = end;
    n->depth = 1;
    return n;
}

void ast_add_kid(struct node *n, struct node *kid)
{
    n->kids = xreallocarray(n->kids, n->nkids + 1, sizeof *n->kids);
    n->kids[n->nkids++] = kid;
    if (kid->depth + 1 > n->depth)
        n->depth = kid->depth + 1;
}

void ast_free(struct node *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nkids; i++)
        ast_free(n->kids[i]);
    free(n->kids);
    free(n->s);
    if (n->re)
        pcre2_code_free(n->re);
    free(n);
}

const char *ast_type_name(enum ty t)
{
    switch (t) {
    case TY_ERR: return "invalid";
    case TY_BOOL: return "boolean";
    case TY_INT: return "integer";
    case TY_DEC: return "decimal";
    case TY_STR: return "string";
    case TY_DUR: return "duration";
    case TY_TIME: return "timestamp";
    case TY_NULL: return "null";
    case TY_DYN: return "field() value";
    case TY_LIST: return "list";
    case TY_ALIST: return "list of images";
    }
    return "invalid";
}

const char *ast_op_name(enum bin_op op)
{
    static const char *const names[] = {
        [OP_EQ] = "==", [OP_NE] = "!=", [OP_LT] = "<", [OP_LE] = "<=",
        [OP_GT] = ">", [OP_GE] = ">=", [OP_IN] = "in", [OP_NOTIN] = "not in",
        [OP_MATCH] = "=~", [OP_NMATCH] = "!~", [OP_ADD] = "+", [OP_SUB] = "-",
        [OP_MUL] = "*", [OP_DIV] = "/",
    };
    return names[op];
}

/* SPDX-License-Identifier: MIT
 * Recursive-descent (Pratt) parser for `when` expressions. It stops at
 * the first syntax error of an expression: after one, the rest of the
 * text rarely parses into anything that helps. Other rules in the file
 * are still parsed, so a file still reports all its broken rules. */
#ifndef IMGAUDIT_RULES_PARSE_H
#define IMGAUDIT_RULES_PARSE_H
#include <stddef.h>

#include "rules/ast.h"

/* Deep enough for any hand-written rule, shallow enough that the
 * recursive checker and evaluator cannot exhaust a worker's stack. */
#define PARSE_MAX_NESTING 64
#define AST_MAX_DEPTH 256

struct parse_error {
    size_t start, end;          /* byte range to underline */
    char msg[160];
};

/* Parse 'src' ('len' bytes). Returns the tree (free with ast_free), or
 * NULL with 'err' filled in. */
struct node *parse_expr(const char *src, size_t len, struct parse_error *err);

#endif

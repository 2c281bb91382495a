/* SPDX-License-Identifier: MIT
 * A condition that stands alone (rules.h, "Standalone conditions"):
 * --where, written on the command line. It goes through the same parser,
 * checker and evaluator as a rule's `when`; its text is its own source,
 * so a mistake is shown as the expression with a caret under it, named
 * by its origin ("--where:1:12: error: ..."). */
#include "rules/internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* As long as a rule's `when` may be (load.c): a longer one belongs in a
 * rule file, with params. */
#define EXPR_MAX (16u * 1024)

struct rule_expr {
    struct rsrc *src;           /* the text, as the source diagnostics point into */
    struct node *ast;
};

void rule_expr_free(struct rule_expr *e)
{
    if (!e)
        return;
    ast_free(e->ast);
    rsrc_free(e->src);
    free(e);
}

struct rule_expr *ruleset_compile_expr(struct ruleset *rs, const char *origin, const char *text,
                                       struct diags *d)
{
    size_t len = strlen(text);
    if (len > EXPR_MAX) {
        diags_add(d, DIAG_ERROR, NULL, 0, 0, 0, NULL,
                  "%s is too long: %zu bytes, at most %u (put the condition in a rule file's "
                  "params, or split it)", origin, len, EXPR_MAX);
        return NULL;
    }
    if (strspn(text, " \t\r\n") == len) {
        diags_add(d, DIAG_ERROR, NULL, 0, 0, 0, NULL,
                  "%s is empty: give a condition over the image record, e.g. "
                  "namespace == \"team-a\"", origin);
        return NULL;
    }
    struct rule_expr *e = xcalloc(1, sizeof *e);
    e->src = rsrc_new(origin, NULL, xstrdup(text), len);
    struct spos pos = {e->src, 0, SP_PLAIN};
    size_t before = d->errors;
    e->ast = load_parse_expr(e->src->text, len, &pos, d);
    if (e->ast)
        check_expr(rs, NULL, e->ast, e->src->text, len, &pos, origin, d);
    if (d->errors > before) {
        rule_expr_free(e);
        return NULL;
    }
    return e;
}

const char *rule_expr_text(const struct rule_expr *e)
{
    return e->src->text;
}

enum tri ruleset_expr_eval(const struct rule_expr *e, const struct record *rec, int64_t now_ms,
                           struct eval_scratch *s)
{
    return eval_expr(NULL, e->ast, rec, now_ms, s);
}

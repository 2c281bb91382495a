/* SPDX-License-Identifier: MIT
 * Image selection (--where, --split-by parts); see select.h. */
#include "app/select.h"

#include <string.h>

/* Does 'rec' have the part's key? Compared as the model keeps text: up
 * to a NUL, if the value has one. */
static bool key_matches(const struct selection *sel, const struct record *rec)
{
    const struct cell *c = &rec->f[sel->field];
    if (c->state != CELL_OK || field_defs[sel->field].type != FT_STR)
        return sel->key == NULL;
    if (!sel->key)
        return false;
    const char *nul = memchr(c->v.s.p, '\0', c->v.s.n);
    size_t n = nul ? (size_t)(nul - c->v.s.p) : c->v.s.n;
    return strlen(sel->key) == n && memcmp(sel->key, c->v.s.p, n) == 0;
}

bool selection_keeps(const struct selection *sel, const struct record *rec,
                     struct eval_scratch *s)
{
    if (sel->field >= 0 && !key_matches(sel, rec))
        return false;
    return !sel->where || ruleset_expr_eval(sel->where, rec, sel->now_ms, s) == TRI_TRUE;
}

/* SPDX-License-Identifier: MIT
 * The functions of the expression language: their table (names, arity,
 * usage for messages) and their evaluation. Their types are checked in
 * check.c. Every function but exists(), any() and count() is unknown
 * when an argument is missing; those three exist to ask about missing
 * values, so they always answer. */
#include "rules/eval.h"

#include <string.h>

const struct builtin_def builtin_defs[B_COUNT_] = {
    [B_AGE] = {"age", 1, "age(timestamp)"},
    [B_EXISTS] = {"exists", 1, "exists(field)"},
    [B_LOWER] = {"lower", 1, "lower(string)"},
    [B_UPPER] = {"upper", 1, "upper(string)"},
    [B_LEN] = {"len", 1, "len(string or list)"},
    [B_STARTS_WITH] = {"starts_with", 2, "starts_with(string, prefix)"},
    [B_ENDS_WITH] = {"ends_with", 2, "ends_with(string, suffix)"},
    [B_CONTAINS] = {"contains", 2, "contains(string, substring)"},
    [B_ANY] = {"any", 2, "any(association_images, condition)"},
    [B_COUNT] = {"count", 2, "count(association_images, condition)"},
    [B_FIELD] = {"field", 1, "field(\"name\")"},
};

int builtin_lookup(const char *name, size_t len)
{
    for (int i = 0; i < B_COUNT_; i++)
        if (strlen(builtin_defs[i].name) == len && memcmp(builtin_defs[i].name, name, len) == 0)
            return i;
    return -1;
}

static bool find(const char *h, size_t hn, const char *nd, size_t nn)
{
    if (nn == 0)
        return true;
    for (size_t i = 0; i + nn <= hn; i++)
        if (h[i] == nd[0] && memcmp(h + i, nd, nn) == 0)
            return true;
    return false;
}

/* ASCII case mapping into scratch memory: Unicode case rules need
 * tables this tool has no other use for, and field values (names,
 * statuses) are ASCII. */
static struct val change_case(struct ectx *x, const struct val *v, bool up)
{
    char *p = eval_scratch_alloc(x->s, v->n + 1);
    for (size_t i = 0; i < v->n; i++) {
        char c = v->u.s[i];
        if (up && c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        else if (!up && c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        p[i] = c;
    }
    p[v->n] = '\0';
    return val_str(p, v->n);
}

/* Characters, not bytes: len("é") is 1. */
static int64_t utf8_count(const char *s, size_t n)
{
    int64_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* any() and count() over association_images; a missing or malformed
 * list is empty. */
static struct val each(struct ectx *x, const struct node *n, bool is_any)
{
    struct val list = eval_node(x, n->kids[0]);
    int64_t hits = 0;
    bool unknown = false;
    if (list.k == V_ALIST) {
        const struct assoc_elem *saved_elem = x->aelem;
        size_t saved_idx = x->aidx;
        for (size_t i = 0; i < list.n; i++) {
            x->aelem = &list.u.al[i];
            x->aidx = i;
            struct val v = eval_node(x, n->kids[1]);
            if (v.k == V_BOOL && v.u.b) {
                hits++;
                if (is_any)
                    break;
            } else if (v.k != V_BOOL) {
                unknown = true;
            }
        }
        x->aelem = saved_elem;
        x->aidx = saved_idx;
    }
    if (!is_any)
        return val_int(V_INT, hits);
    if (hits)
        return val_bool(true);
    return unknown ? val_unk() : val_bool(false);
}

struct val eval_call(struct ectx *x, const struct node *n)
{
    switch ((enum builtin)n->idx) {
    case B_EXISTS: return val_bool(eval_node(x, n->kids[0]).k != V_UNK);
    case B_ANY: return each(x, n, true);
    case B_COUNT: return each(x, n, false);
    case B_LEN: {
        const struct node *a = n->kids[0];
        if (a->kind == N_LIST)
            return val_int(V_INT, (int64_t)a->nkids);
        if (a->kind == N_PARAM && a->param && a->param->type == PT_LIST)
            return val_int(V_INT, (int64_t)a->param->nitems);
        break;
    }
    default: break;
    }
    struct val a = eval_node(x, n->kids[0]);
    if (a.k == V_UNK)
        return a;
    struct val b = val_unk();
    if (n->nkids > 1) {
        b = eval_node(x, n->kids[1]);
        if (b.k != V_STR || a.k != V_STR)
            return val_unk();
    }
    switch ((enum builtin)n->idx) {
    case B_AGE: {
        int64_t d;
        if (a.k != V_TIME && a.k != V_INT)     /* field("x") epoch ms */
            return val_unk();
        if (__builtin_sub_overflow(x->now, a.u.i, &d))
            return val_unk();
        return val_int(V_DUR, d);
    }
    case B_LOWER:
    case B_UPPER:
        return a.k == V_STR ? change_case(x, &a, n->idx == B_UPPER) : val_unk();
    case B_LEN:
        if (a.k == V_STR)
            return val_int(V_INT, utf8_count(a.u.s, a.n));
        if (a.k == V_JLIST)
            return val_int(V_INT, (int64_t)json_array_size(a.u.j));
        if (a.k == V_ALIST)
            return val_int(V_INT, (int64_t)a.n);
        return val_unk();
    case B_STARTS_WITH:
        return val_bool(b.n <= a.n && memcmp(a.u.s, b.u.s, b.n) == 0);
    case B_ENDS_WITH:
        return val_bool(b.n <= a.n &&
                        memcmp(a.u.s + a.n - b.n, b.u.s, b.n) == 0);
    case B_CONTAINS: return val_bool(find(a.u.s, a.n, b.u.s, b.n));
    default: return val_unk();
    }
}

/* SPDX-License-Identifier: MIT
 * The evaluator: walks a checked tree against one record with
 * three-valued logic (a missing value makes a comparison unknown; `and`
 * is false if either side is false, `or` true if either side is true).
 * No global state and no allocation in the common path; per-thread state
 * (PCRE2 match data, scratch text for lower()/upper()) lives in the
 * eval_scratch, so workers can evaluate one rule set in parallel. */
#include "rules/eval.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* ---- scratch ---- */

/* A chain of blocks reused from record to record: after the first few
 * records, lower()/upper() allocate nothing. */
struct sblock {
    struct sblock *next;
    size_t cap, used;
    char data[];
};

/* Limits for one =~ match. PCRE2's compiled-in defaults (10,000,000
 * steps, 20 GB of heap in 10.42) vary with how the distribution built it
 * and let one catastrophic pattern spend ~20 ms (JIT) to ~160 ms
 * (interpreter) per record, hours over a large inventory, and gigabytes
 * of backtracking frames without JIT. A yes/no test of a short field
 * needs a few thousand steps; PHP's pcre.backtrack_limit is the same
 * million. Past a limit the result is unknown for that record (counted
 * in the report), the same on every build. */
#define EVAL_MATCH_LIMIT 1000000u
#define EVAL_HEAP_LIMIT_KIB (64u * 1024)

struct eval_scratch {
    pcre2_match_data *md;
    pcre2_match_context *mc;
    struct sblock *head, *cur;
};

struct eval_scratch *eval_scratch_new(const struct ruleset *rs)
{
    (void)rs;
    struct eval_scratch *s = xcalloc(1, sizeof *s);
    /* One pair of offsets is all a yes/no match needs, and match data
     * made this way fits every pattern. */
    s->md = pcre2_match_data_create(1, NULL);
    s->mc = pcre2_match_context_create(NULL);
    if (!s->md || !s->mc)
        abort();    /* out of memory, as xmalloc would */
    pcre2_set_match_limit(s->mc, EVAL_MATCH_LIMIT);
    pcre2_set_heap_limit(s->mc, EVAL_HEAP_LIMIT_KIB);
    return s;
}

void eval_scratch_free(struct eval_scratch *s)
{
    if (!s)
        return;
    pcre2_match_data_free(s->md);
    pcre2_match_context_free(s->mc);
    for (struct sblock *b = s->head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(s);
}

static void scratch_reset(struct eval_scratch *s)
{
    s->cur = s->head;
    if (s->cur)
        s->cur->used = 0;
}

char *eval_scratch_alloc(struct eval_scratch *s, size_t n)
{
    while (s->cur && s->cur->cap - s->cur->used < n) {
        s->cur = s->cur->next;
        if (s->cur)
            s->cur->used = 0;
    }
    if (!s->cur) {
        size_t cap = n > 4096 ? n : 4096;
        struct sblock *b = xmalloc(sizeof *b + cap);
        b->cap = cap;
        b->used = 0;
        /* Append at the tail so the chain order stays the reuse order. */
        b->next = NULL;
        struct sblock **tail = &s->head;
        while (*tail)
            tail = &(*tail)->next;
        *tail = b;
        s->cur = b;
    }
    char *p = s->cur->data + s->cur->used;
    s->cur->used += n;
    return p;
}

pcre2_match_data *eval_scratch_match_data(struct eval_scratch *s)
{
    return s->md;
}

/* ---- values ---- */

static struct val cell_val(const struct cell *c, enum ftype t)
{
    if (c->state != CELL_OK)
        return val_unk();   /* CELL_BAD counts as missing */
    struct val v = val_unk();
    switch (t) {
    case FT_INT: return val_int(V_INT, c->v.i);
    case FT_TIME: return val_int(V_TIME, c->v.i);
    case FT_BOOL: return val_bool(c->v.b);
    case FT_STR:
        return val_str(c->v.s.p, c->v.s.n);
    case FT_LIST:
        v.k = V_ALIST;
        v.u.al = c->v.list.v;
        v.n = (uint32_t)c->v.list.n;
        return v;
    }
    return v;
}

/* A field("x") value, typed by its JSON. */
static struct val json_val(const json_t *j)
{
    struct val v = val_unk();
    if (!j)
        return v;
    switch (json_typeof(j)) {
    case JSON_INTEGER: return val_int(V_INT, json_integer_value(j));
    case JSON_REAL:
        v.k = V_DEC;
        v.u.d = json_real_value(j);
        return v;
    case JSON_STRING:
        return val_str(json_string_value(j), json_string_length(j));
    case JSON_TRUE: return val_bool(true);
    case JSON_FALSE: return val_bool(false);
    case JSON_ARRAY:
        v.k = V_JLIST;
        v.u.j = j;
        return v;
    default: return v;
    }
}

static struct val pval_val(const struct pval *p)
{
    struct val v = val_unk();
    switch (p->t) {
    case PT_INT: return val_int(V_INT, p->i);
    case PT_DUR: return val_int(V_DUR, p->i);
    case PT_BOOL: return val_bool(p->b);
    case PT_DEC:
        v.k = V_DEC;
        v.u.d = p->d;
        return v;
    case PT_STR:
        return val_str(p->s, p->n);
    case PT_LIST: return v;
    }
    return v;
}

static bool is_num(const struct val *v)
{
    return v->k == V_INT || v->k == V_DEC;
}

static double as_double(const struct val *v)
{
    return v->k == V_INT ? (double)v->u.i : v->u.d;
}

/* An integer against a decimal, exactly: converting 'i' to double would
 * round above 2^53 (9007199254740993 == 9007199254740992.0 would be true). */
static int compare_int_dec(int64_t i, double d)
{
    if (isnan(d))
        return -2;
    if (d >= 9223372036854775808.0)     /* 2^63: above every int64 */
        return -1;
    if (d < -9223372036854775808.0)
        return 1;
    double t = trunc(d);                /* now exactly an int64 */
    int64_t ti = (int64_t)t;
    if (i != ti)
        return i < ti ? -1 : 1;
    /* Same whole part: the fraction decides (d = -2.5 has t = -2). */
    if (d > t)
        return -1;
    return d < t ? 1 : 0;
}

/* Three-way compare; -2 when the two cannot be compared (a field()
 * value of another type), which the caller turns into unknown. */
static int compare(const struct val *a, const struct val *b)
{
    if (a->k == V_INT && b->k == V_INT)
        return (a->u.i > b->u.i) - (a->u.i < b->u.i);
    if (a->k == V_INT && b->k == V_DEC)
        return compare_int_dec(a->u.i, b->u.d);
    if (a->k == V_DEC && b->k == V_INT) {
        int c = compare_int_dec(b->u.i, a->u.d);
        return c == -2 ? c : -c;
    }
    if (a->k == V_DEC && b->k == V_DEC) {
        if (isnan(a->u.d) || isnan(b->u.d))
            return -2;
        return (a->u.d > b->u.d) - (a->u.d < b->u.d);
    }
    if (a->k != b->k)
        return -2;
    switch (a->k) {
    case V_STR: {
        size_t n = a->n < b->n ? a->n : b->n;
        int c = n ? memcmp(a->u.s, b->u.s, n) : 0;
        if (c)
            return c < 0 ? -1 : 1;
        return (a->n > b->n) - (a->n < b->n);
    }
    case V_DUR:
    case V_TIME: return (a->u.i > b->u.i) - (a->u.i < b->u.i);
    case V_BOOL: return a->u.b == b->u.b ? 0 : 3;   /* unequal, unordered */
    default: return -2;
    }
}

static struct val cmp_result(enum bin_op op, int c)
{
    if (c == -2)
        return val_unk();
    if (c == 3)     /* unequal booleans; eval_bin passes only == and != */
        return val_bool(op == OP_NE);
    switch (op) {
    case OP_EQ: return val_bool(c == 0);
    case OP_NE: return val_bool(c != 0);
    case OP_LT: return val_bool(c < 0);
    case OP_LE: return val_bool(c <= 0);
    case OP_GT: return val_bool(c > 0);
    case OP_GE: return val_bool(c >= 0);
    default: return val_unk();
    }
}

static struct val dec(double d)
{
    struct val v = val_unk();
    if (!isfinite(d))
        return v;   /* overflowed a double: unknown, like integer overflow */
    v.k = V_DEC;
    v.u.d = d;
    return v;
}

static struct val arith(enum bin_op op, const struct val *a, const struct val *b)
{
    int64_t r;
    if (a->k == V_INT && b->k == V_INT && op != OP_DIV) {
        bool ovf = op == OP_ADD   ? __builtin_add_overflow(a->u.i, b->u.i, &r)
                   : op == OP_SUB ? __builtin_sub_overflow(a->u.i, b->u.i, &r)
                                  : __builtin_mul_overflow(a->u.i, b->u.i, &r);
        return ovf ? val_unk() : val_int(V_INT, r);
    }
    if (is_num(a) && is_num(b)) {
        double x = as_double(a), y = as_double(b);
        switch (op) {
        case OP_ADD: return dec(x + y);
        case OP_SUB: return dec(x - y);
        case OP_MUL: return dec(x * y);
        default: return y == 0 ? val_unk() : dec(x / y);
        }
    }
    /* Durations and timestamps: exact milliseconds. */
    enum vkind out;
    if (op == OP_ADD && a->k == V_DUR && b->k == V_DUR)
        out = V_DUR;
    else if (op == OP_SUB && a->k == V_DUR && b->k == V_DUR)
        out = V_DUR;
    else if ((op == OP_ADD || op == OP_SUB) && a->k == V_TIME && b->k == V_DUR)
        out = V_TIME;
    else if (op == OP_ADD && a->k == V_DUR && b->k == V_TIME)
        out = V_TIME;
    else if (op == OP_SUB && a->k == V_TIME && b->k == V_TIME)
        out = V_DUR;
    else if (op == OP_MUL && ((a->k == V_DUR && b->k == V_INT) ||
                              (a->k == V_INT && b->k == V_DUR)))
        out = V_DUR;
    else
        return val_unk();
    bool ovf = op == OP_ADD   ? __builtin_add_overflow(a->u.i, b->u.i, &r)
               : op == OP_SUB ? __builtin_sub_overflow(a->u.i, b->u.i, &r)
                              : __builtin_mul_overflow(a->u.i, b->u.i, &r);
    return ovf ? val_unk() : val_int(out, r);
}

/* Does 'x' equal any element of the list node 'l'? Three-valued. */
static struct val eval_in(struct ectx *x, const struct val *v, const struct node *l)
{
    bool unknown = false;
    size_t n = l->kind == N_LIST ? l->nkids : l->param ? l->param->nitems : 0;
    for (size_t i = 0; i < n; i++) {
        struct val e = l->kind == N_LIST ? eval_node(x, l->kids[i]) : pval_val(&l->param->items[i]);
        if (e.k == V_UNK) {
            unknown = true;
            continue;
        }
        int c = compare(v, &e);
        if (c == 0)
            return val_bool(true);
        if (c == -2)
            unknown = true;
    }
    return unknown ? val_unk() : val_bool(false);
}

static struct val eval_bin(struct ectx *x, const struct node *n)
{
    struct val a = eval_node(x, n->kids[0]);
    if (n->op == OP_IN || n->op == OP_NOTIN) {
        if (a.k == V_UNK)
            return a;
        struct val r = eval_in(x, &a, n->kids[1]);
        if (r.k == V_BOOL && n->op == OP_NOTIN)
            r.u.b = !r.u.b;
        return r;
    }
    if (n->op == OP_MATCH || n->op == OP_NMATCH) {
        if (a.k != V_STR)
            return val_unk();
        atomic_size_t *hits = x->rule && n->idx >= 0 ? &x->rule->regexes[n->idx].limit_hits
                                                      : NULL;
        if (hits && atomic_load_explicit(hits, memory_order_relaxed) >= RULES_REGEX_MAX_LIMIT_HITS)
            return val_unk();   /* disabled: too costly to keep trying */
        int rc = pcre2_match(n->re, (PCRE2_SPTR)a.u.s, a.n, 0, 0,
                             eval_scratch_match_data(x->s), x->s->mc);
        if (rc >= 0)
            return val_bool(n->op == OP_MATCH);
        if (rc == PCRE2_ERROR_NOMATCH)
            return val_bool(n->op == OP_NMATCH);
        if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT ||
            rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT) {
            if (hits)
                atomic_fetch_add_explicit(hits, 1, memory_order_relaxed);
        }
        return val_unk();   /* a limit, invalid UTF-8 in the data, ... */
    }
    if (a.k == V_UNK)
        return a;
    struct val b = eval_node(x, n->kids[1]);
    if (b.k == V_UNK)
        return b;
    switch (n->op) {
    case OP_ADD:
    case OP_SUB:
    case OP_MUL:
    case OP_DIV: return arith(n->op, &a, &b);
    default:
        /* Booleans have no order. The checker rejects true < false, but a
         * field() value can still be boolean at run time: unknown, whether
         * or not the two happen to be equal. */
        if (a.k == V_BOOL && n->op != OP_EQ && n->op != OP_NE)
            return val_unk();
        return cmp_result(n->op, compare(&a, &b));
    }
}

/* Every node but the leaves that eval_node() answers itself. */
static struct val eval_inner(struct ectx *x, const struct node *n)
{
    switch (n->kind) {
    case N_AFIELD:
        return x->aelem ? cell_val(&x->aelem->c[n->idx], assoc_defs[n->idx].type) : val_unk();
    case N_DYN:
        /* Inside any()/count() it reads the element, which may not be an
         * object: then it is missing, not the record's field. Members the
         * decoders do not model are read from the record's JSON object. */
        if (x->aelem) {
            if (!x->aelem->object)
                return val_unk();
            const json_t *list = json_object_get(record_json(x->rec),
                                                 field_defs[F_ASSOCIATION_IMAGES].name);
            return json_val(json_object_get(json_array_get(list, x->aidx), n->s));
        }
        return json_val(json_object_get(record_json(x->rec), n->s));
    case N_NOT: {
        struct val v = eval_node(x, n->kids[0]);
        return v.k == V_BOOL ? val_bool(!v.u.b) : val_unk();
    }
    case N_AND:
    case N_OR: {
        /* The deciding value: false for and, true for or. */
        bool decide = n->kind == N_OR;
        struct val a = eval_node(x, n->kids[0]);
        if (a.k == V_BOOL && a.u.b == decide)
            return a;
        struct val b = eval_node(x, n->kids[1]);
        if (b.k == V_BOOL && b.u.b == decide)
            return b;
        if (a.k == V_BOOL && b.k == V_BOOL)
            return val_bool(!decide);
        return val_unk();
    }
    case N_NEG: {
        struct val v = eval_node(x, n->kids[0]);
        if (v.k == V_INT || v.k == V_DUR)
            return v.u.i == INT64_MIN ? val_unk() : val_int(v.k, -v.u.i);
        if (v.k == V_DEC)
            return dec(-v.u.d);
        return val_unk();
    }
    case N_BIN: return eval_bin(x, n);
    case N_CALL: return eval_call(x, n);
    default: return val_unk();  /* N_NULL, lists (read by `in`), N_NAME */
    }
}

struct val eval_node(struct ectx *x, const struct node *n)
{
    /* A field or a literal, about half of all nodes evaluated, without
     * eval_inner's frame (its prologue and switch were a fifth of the
     * evaluator's instructions), and without the depth count: a leaf
     * calls nothing, and a checked tree's leaves are far above the limit. */
    switch (n->kind) {
    case N_FIELD: return cell_val(&x->rec->f[n->idx], field_defs[n->idx].type);
    case N_INT: return val_int(V_INT, n->i);
    case N_DUR: return val_int(V_DUR, n->i);
    case N_DEC: return dec(n->d);
    case N_BOOL: return val_bool(n->b);
    case N_STR: return val_str(n->s, n->slen);
    case N_PARAM: return n->param ? pval_val(&n->param->v) : val_unk();
    default: break;
    }
    if (++x->depth > EVAL_MAX_DEPTH) {
        x->depth--;
        return val_unk();
    }
    struct val v = eval_inner(x, n);
    x->depth--;
    return v;
}

enum tri eval_expr(const struct rule *r, const struct node *ast, const struct record *rec,
                   int64_t now_ms, struct eval_scratch *s)
{
    scratch_reset(s);
    struct ectx x = {rec, NULL, 0, now_ms, s, 0, r};
    struct val v = eval_node(&x, ast);
    if (v.k != V_BOOL)
        return TRI_UNKNOWN;
    return v.u.b ? TRI_TRUE : TRI_FALSE;
}

enum tri ruleset_eval(const struct ruleset *rs, size_t i, const struct record *rec,
                      int64_t now_ms, struct eval_scratch *s)
{
    if (i >= rs->nenabled)
        return TRI_UNKNOWN;
    const struct rule *r = rs->rules[rs->enabled[i]];
    if (!r->ast)
        return TRI_UNKNOWN;
    return eval_expr(r, r->ast, rec, now_ms, s);
}

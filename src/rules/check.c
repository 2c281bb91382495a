/* SPDX-License-Identifier: MIT
 * The checker: resolves names (fields, params.NAME, functions), gives
 * every node a static type, compiles regexes, and reports each mistake
 * at its place in the source with a did-you-mean where one is close. A
 * subtree with an error gets TY_ERR, which every enclosing check accepts
 * silently, so one mistake gives one message.
 *
 * Typing at load is what lets evaluation be allocation-free and
 * branch-light: the evaluator never meets a type it has to complain about,
 * only missing values (unknown) and field() values of the wrong type. */
#include "rules/internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/field.h"
#include "rules/lex.h"
#include "util/suggest.h"
#include "util/xalloc.h"

struct checker {
    struct ruleset *rs;
    struct rule *r;             /* whose regex counters to set up; NULL for a waiver */
    const char *text;           /* the expression (a rule's or a waiver's `when`) */
    size_t len;
    const struct spos *pos;     /* ... and where it is written */
    struct diags *d;
    bool in_assoc;              /* inside any()/count(): names are assoc_defs */
};

static void report(struct checker *c, enum diag_level lvl, size_t a, size_t b,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void report(struct checker *c, enum diag_level lvl, size_t a, size_t b,
                   const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    spos_diag(c->d, lvl, c->pos, c->text, c->len, a, b, "%s", msg);
}

#define ERR(c, n, ...) report((c), DIAG_ERROR, (n)->start, (n)->end, __VA_ARGS__)

static enum ty field_type(enum ftype t)
{
    switch (t) {
    case FT_INT: return TY_INT;
    case FT_TIME: return TY_TIME;
    case FT_STR: return TY_STR;
    case FT_BOOL: return TY_BOOL;
    case FT_LIST: return TY_ALIST;
    }
    return TY_ERR;
}

static enum ty param_type(enum ptype t)
{
    switch (t) {
    case PT_INT: return TY_INT;
    case PT_DEC: return TY_DEC;
    case PT_STR: return TY_STR;
    case PT_BOOL: return TY_BOOL;
    case PT_DUR: return TY_DUR;
    case PT_LIST: return TY_LIST;
    }
    return TY_ERR;
}

static bool numeric(enum ty t)
{
    return t == TY_INT || t == TY_DEC;
}

static bool scalar(enum ty t)
{
    return t != TY_LIST && t != TY_ALIST;
}

/* " (did you mean 'x'?)" or "". */
static const char *did_you_mean(char *buf, size_t n, const char *word, size_t len,
                                const char *const *cands, size_t ncands)
{
    const char *s = suggest_best(word, len, cands, ncands);
    if (s)
        snprintf(buf, n, " (did you mean '%s'?)", s);
    else
        buf[0] = '\0';
    return buf;
}

static void unknown_name(struct checker *c, const struct node *n)
{
    char hint[160];
    const char *cands[FIELD_COUNT + ASSOC_COUNT];
    size_t nc = 0;
    if (c->in_assoc)
        for (int i = 0; i < ASSOC_COUNT; i++)
            cands[nc++] = assoc_defs[i].name;
    else
        for (int i = 0; i < FIELD_COUNT; i++)
            cands[nc++] = field_defs[i].name;
    if (builtin_lookup(n->s, n->slen) >= 0) {
        ERR(c, n, "'%s' is a function: call it as %s", n->s, builtin_defs[builtin_lookup(n->s, n->slen)].usage);
        return;
    }
    if (strcmp(n->s, "params") == 0) {
        ERR(c, n, "'params' needs a name: params.NAME");
        return;
    }
    did_you_mean(hint, sizeof hint, n->s, n->slen, cands, nc);
    if (c->in_assoc && !hint[0] && field_lookup(n->s, n->slen) >= 0)
        ERR(c, n, "unknown field '%s' of an associated image (inside any() and count(), names "
                  "are the associated image's fields)",
            n->s);
    else if (c->in_assoc)
        ERR(c, n, "unknown field '%s' of an associated image%s", n->s, hint);
    else
        ERR(c, n, "unknown field '%s'%s", n->s, hint);
}

/* Resolve a field name (record or associated image) into 'n'. */
static enum ty resolve_field(struct checker *c, struct node *n, const char *name, size_t len)
{
    int i = c->in_assoc ? assoc_lookup(name, len) : field_lookup(name, len);
    if (i < 0)
        return TY_ERR;
    n->kind = c->in_assoc ? N_AFIELD : N_FIELD;
    n->idx = i;
    return field_type(c->in_assoc ? assoc_defs[i].type : field_defs[i].type);
}

static enum ty check(struct checker *c, struct node *n);

/* A string literal compared with an enum field: one that is a documented
 * value in another case is that value (`severity_level == "high"` is
 * "High", as the API writes it: severity names are case-insensitive
 * everywhere); warn about one that the field can never hold. */
static void check_enum_value(struct checker *c, const struct node *f, struct node *lit)
{
    if (lit->kind != N_STR || (f->kind != N_FIELD && f->kind != N_AFIELD))
        return;
    const struct field_def *def =
        f->kind == N_FIELD ? &field_defs[f->idx] : &assoc_defs[f->idx];
    if (!def->values || field_value_known(def, lit->s, lit->slen))
        return;
    for (const char *const *v = def->values; *v; v++)
        if (strlen(*v) == lit->slen && strncasecmp(*v, lit->s, lit->slen) == 0) {
            memcpy(lit->s, *v, lit->slen);
            return;
        }
    size_t nv = 0;
    while (def->values[nv])
        nv++;
    const char *s = suggest_best(lit->s, lit->slen, def->values, nv);
    if (s) {
        report(c, DIAG_WARNING, lit->start, lit->end,
               "'%s' is not a documented value of %s (did you mean '%s'?)", lit->s, def->name,
               s);
    } else {
        char list[512] = "";
        size_t used = 0;
        for (size_t i = 0; i < nv && used < sizeof list - 64; i++)
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
                                     def->values[i]);
        report(c, DIAG_WARNING, lit->start, lit->end,
               "'%s' is not a documented value of %s (documented: %s)", lit->s, def->name,
               list);
    }
}

/* Can values of types a and b be compared ('ordered' for < <= > >=)?
 * Explains why not through 'why' (a hint for the message). */
static bool comparable(enum ty a, enum ty b, bool ordered, const char **why)
{
    *why = "";
    if (a == TY_DYN || b == TY_DYN)
        return scalar(a) && scalar(b);
    if (numeric(a) && numeric(b))
        return true;
    if (a == b && (a == TY_STR || a == TY_DUR || a == TY_TIME))
        return true;
    if (a == TY_BOOL && b == TY_BOOL) {
        if (ordered)
            *why = " (booleans have no order)";
        return !ordered;
    }
    if ((a == TY_DUR && numeric(b)) || (b == TY_DUR && numeric(a)))
        *why = " (write a duration such as 7d, 12h, 30m or 45s)";
    else if ((a == TY_TIME && b == TY_DUR) || (a == TY_DUR && b == TY_TIME))
        *why = " (age(t) turns a timestamp into a duration)";
    else if ((a == TY_TIME && numeric(b)) || (b == TY_TIME && numeric(a)))
        *why = " (age(t) turns a timestamp into a duration)";
    else if ((a == TY_STR && numeric(b)) || (b == TY_STR && numeric(a)))
        *why = " (remove the quotes to write a number)";
    return false;
}

static enum ty check_arith(struct checker *c, struct node *n, enum ty a, enum ty b)
{
    enum bin_op op = n->op;
    if (a == TY_DYN || b == TY_DYN) {
        enum ty o = a == TY_DYN ? b : a;
        if (o == TY_DYN || numeric(o) || o == TY_DUR || o == TY_TIME)
            return TY_DYN;
    } else if (numeric(a) && numeric(b)) {
        if (op == OP_DIV)
            return TY_DEC;
        return a == TY_INT && b == TY_INT ? TY_INT : TY_DEC;
    } else if (op == OP_ADD || op == OP_SUB) {
        if (a == TY_DUR && b == TY_DUR)
            return TY_DUR;
        if (a == TY_TIME && b == TY_DUR)
            return TY_TIME;
        if (op == OP_ADD && a == TY_DUR && b == TY_TIME)
            return TY_TIME;
        if (op == OP_SUB && a == TY_TIME && b == TY_TIME)
            return TY_DUR;
    } else if (op == OP_MUL) {
        if ((a == TY_DUR && b == TY_INT) || (a == TY_INT && b == TY_DUR))
            return TY_DUR;
    }
    ERR(c, n, "operator '%s' cannot be applied to %s and %s", ast_op_name(op),
        ast_type_name(a), ast_type_name(b));
    return TY_ERR;
}

static void compile_regex(struct checker *c, struct node *n)
{
    const struct node *rhs = n->kids[1];
    const char *pat;
    size_t plen;
    struct param *p = NULL;
    if (rhs->kind == N_STR) {
        pat = rhs->s;
        plen = rhs->slen;
    } else {
        p = (struct param *)rhs->param;
        pat = p->v.s;
        plen = p->v.n;
    }
    int code;
    PCRE2_SIZE off;
    if (n->re)
        pcre2_code_free(n->re);     /* a second ruleset_compile */
    n->re = pcre2_compile((PCRE2_SPTR)pat, plen, PCRE2_UTF, &code, &off, NULL);
    if (n->re) {
        /* JIT is an optimisation: without it (no support, no memory) the
         * interpreter gives the same answers. */
        (void)pcre2_jit_compile(n->re, PCRE2_JIT_COMPLETE);
        /* A rule's regexes count their limit hits (costly ones are cut
         * off, rules.h); a waiver's never decide a finding on their own. */
        struct rule *r = c->r;
        n->idx = -1;
        if (r) {
            XGROW(r->regexes, r->cap_regexes, r->nregexes + 1);
            r->regexes[r->nregexes].n = n;
            atomic_init(&r->regexes[r->nregexes].limit_hits, 0);
            n->idx = (int)r->nregexes++;
        }
        return;
    }
    PCRE2_UCHAR text[256];
    if (pcre2_get_error_message(code, text, sizeof text) < 0)
        snprintf((char *)text, sizeof text, "error %d", code);
    if (off > plen)
        off = plen;
    if (!p) {
        /* Offset in the pattern -> in the literal (escapes) -> in the file. */
        size_t e = lex_string_srcoff(c->text, rhs->start, rhs->end, off);
        report(c, DIAG_ERROR, e, e + 1, "invalid regex: %s", (const char *)text);
        return;
    }
    if (p->regex_reported)
        return;
    p->regex_reported = true;
    if (p->v.pos.src)
        spos_diag(c->d, DIAG_ERROR, &p->v.pos, p->v.s, p->v.n, off, off + 1,
                  "invalid regex in param '%s': %s", p->name, (const char *)text);
    else
        diags_error(c->d, "--set %s: invalid regex: %s (at offset %zu)", p->name,
                    (const char *)text, (size_t)off);
}

static enum ty check_compare(struct checker *c, struct node *n, enum ty a, enum ty b)
{
    struct node *l = n->kids[0], *r = n->kids[1];
    bool ordered = n->op != OP_EQ && n->op != OP_NE;
    if (a == TY_NULL || b == TY_NULL) {
        const struct node *other = a == TY_NULL ? r : l;
        if (other->kind == N_FIELD || other->kind == N_AFIELD || other->kind == N_DYN)
            ERR(c, n, "a comparison with null is always unknown (use %sexists(%.*s))",
                n->op == OP_EQ ? "not " : "", (int)(other->end - other->start),
                c->text + other->start);
        else
            ERR(c, n, "a comparison with null is always unknown (use exists(...))");
        return TY_ERR;
    }
    const char *why;
    if (!comparable(a, b, ordered, &why)) {
        ERR(c, n, "cannot compare %s with %s%s", ast_type_name(a), ast_type_name(b), why);
        return TY_ERR;
    }
    if (!ordered) {
        check_enum_value(c, l, r);
        check_enum_value(c, r, l);
    }
    return TY_BOOL;
}

static enum ty check_in(struct checker *c, struct node *n, enum ty a, enum ty b)
{
    struct node *l = n->kids[0], *r = n->kids[1];
    if (b != TY_LIST) {
        if (b == TY_STR)
            ERR(c, r, "'%s' expects a list on its right, got string (use contains(s, sub) "
                      "for a substring)",
                ast_op_name(n->op));
        else
            ERR(c, r, "'%s' expects a list on its right, got %s", ast_op_name(n->op),
                ast_type_name(b));
        return TY_ERR;
    }
    if (!scalar(a) || a == TY_NULL) {
        ERR(c, l, "'%s' expects a single value on its left, got %s", ast_op_name(n->op),
            ast_type_name(a));
        return TY_ERR;
    }
    const char *why;
    if (r->elem != TY_NULL && r->elem != TY_ERR && !comparable(a, r->elem, false, &why)) {
        ERR(c, n, "cannot compare %s with a list of %s values%s", ast_type_name(a),
            ast_type_name(r->elem), why);
        return TY_ERR;
    }
    if (r->kind == N_LIST)
        for (size_t i = 0; i < r->nkids; i++)
            check_enum_value(c, l, r->kids[i]);
    return TY_BOOL;
}

static enum ty check_match(struct checker *c, struct node *n, enum ty a, enum ty b)
{
    struct node *r = n->kids[1];
    if (a != TY_STR && a != TY_DYN) {
        if (a != TY_ERR)
            ERR(c, n->kids[0], "'%s' expects a string on its left, got %s",
                ast_op_name(n->op), ast_type_name(a));
        return TY_ERR;
    }
    if (b == TY_ERR)
        return TY_ERR;
    if (!(r->kind == N_STR || (r->kind == N_PARAM && r->param && r->param->type == PT_STR))) {
        ERR(c, r, "the right side of '%s' must be a string literal or a string param",
            ast_op_name(n->op));
        return TY_ERR;
    }
    compile_regex(c, n);
    return n->re ? TY_BOOL : TY_ERR;
}

static enum ty check_call(struct checker *c, struct node *n)
{
    int b = builtin_lookup(n->s, n->slen);
    if (b < 0) {
        char hint[160];
        const char *cands[B_COUNT_];
        for (int i = 0; i < B_COUNT_; i++)
            cands[i] = builtin_defs[i].name;
        did_you_mean(hint, sizeof hint, n->s, n->slen, cands, B_COUNT_);
        ERR(c, n, "unknown function '%s'%s", n->s, hint);
        return TY_ERR;
    }
    const struct builtin_def *def = &builtin_defs[b];
    n->idx = b;
    if ((int)n->nkids != def->nargs) {
        ERR(c, n, "'%s' takes %d argument%s, got %zu (%s)", def->name, def->nargs,
            def->nargs == 1 ? "" : "s", n->nkids, def->usage);
        return TY_ERR;
    }
    if (b == B_FIELD) {
        struct node *a = n->kids[0];
        if (a->kind != N_STR) {
            ERR(c, a, "field() expects a string literal naming the field");
            return TY_ERR;
        }
        /* A listed name gets its schema type; any other reads the JSON. */
        char *name = a->s;
        size_t len = a->slen;
        a->s = NULL;
        ast_free(a);
        free(n->kids);
        n->kids = NULL;
        n->nkids = 0;
        free(n->s);
        n->s = name;
        n->slen = len;
        enum ty t = resolve_field(c, n, name, len);
        if (t != TY_ERR)
            return t;
        n->kind = N_DYN;
        return TY_DYN;
    }
    if (b == B_ANY || b == B_COUNT) {
        struct node *list = n->kids[0];
        enum ty lt = c->in_assoc ? TY_ERR : check(c, list);
        if (lt != TY_ALIST) {
            if (lt != TY_ERR || c->in_assoc)
                ERR(c, list, "'%s' expects association_images as its first argument",
                    def->name);
            return TY_ERR;
        }
        c->in_assoc = true;
        enum ty et = check(c, n->kids[1]);
        c->in_assoc = false;
        if (et != TY_BOOL && et != TY_DYN && et != TY_ERR) {
            ERR(c, n->kids[1], "'%s' expects a boolean condition, got %s", def->name,
                ast_type_name(et));
            return TY_ERR;
        }
        if (et == TY_ERR)
            return TY_ERR;
        return b == B_ANY ? TY_BOOL : TY_INT;
    }
    enum ty t[2] = {TY_ERR, TY_ERR};
    bool err = false;
    for (size_t i = 0; i < n->nkids; i++) {
        t[i] = check(c, n->kids[i]);
        err |= t[i] == TY_ERR;
    }
    if (err)
        return TY_ERR;
    switch (b) {
    case B_AGE:
        if (t[0] == TY_TIME || t[0] == TY_DYN)
            return TY_DUR;
        ERR(c, n->kids[0], "'age' expects a timestamp, got %s", ast_type_name(t[0]));
        return TY_ERR;
    case B_EXISTS: {
        enum node_kind k = n->kids[0]->kind;
        if (k == N_FIELD || k == N_AFIELD || k == N_DYN)
            return TY_BOOL;
        ERR(c, n->kids[0], "'exists' expects a field name");
        return TY_ERR;
    }
    case B_LOWER:
    case B_UPPER:
        if (t[0] == TY_STR || t[0] == TY_DYN)
            return TY_STR;
        ERR(c, n->kids[0], "'%s' expects a string, got %s", def->name, ast_type_name(t[0]));
        return TY_ERR;
    case B_LEN:
        if (t[0] == TY_STR || t[0] == TY_DYN || t[0] == TY_LIST || t[0] == TY_ALIST)
            return TY_INT;
        ERR(c, n->kids[0], "'len' expects a string or a list, got %s", ast_type_name(t[0]));
        return TY_ERR;
    default: /* starts_with, ends_with, contains */
        for (int i = 0; i < 2; i++) {
            if (t[i] != TY_STR && t[i] != TY_DYN) {
                ERR(c, n->kids[i], "'%s' expects strings, got %s", def->name,
                    ast_type_name(t[i]));
                return TY_ERR;
            }
        }
        return TY_BOOL;
    }
}

static enum ty check_bool_operand(struct checker *c, const struct node *n, enum ty t,
                                  const char *op)
{
    if (t == TY_BOOL || t == TY_DYN || t == TY_ERR)
        return t;
    ERR(c, n, "'%s' expects boolean operands, got %s", op, ast_type_name(t));
    return TY_ERR;
}

static enum ty check_list(struct checker *c, struct node *n)
{
    enum ty elem = TY_NULL;
    bool err = false;
    for (size_t i = 0; i < n->nkids; i++) {
        enum ty t = check(c, n->kids[i]);
        if (t == TY_ERR) {
            err = true;
            continue;
        }
        if (!scalar(t) || t == TY_NULL) {
            ERR(c, n->kids[i], "a list may only hold single values, not %s",
                ast_type_name(t));
            err = true;
        } else if (elem == TY_NULL) {
            elem = t;
        } else if (numeric(elem) && numeric(t)) {
            elem = elem == t ? t : TY_DEC;
        } else if (elem != t) {
            ERR(c, n->kids[i], "list elements must have one type (found %s and %s)",
                ast_type_name(elem), ast_type_name(t));
            err = true;
        }
    }
    n->elem = elem;
    return err ? TY_ERR : TY_LIST;
}

static enum ty check_param(struct checker *c, struct node *n)
{
    const struct param *p = ruleset__find_param(c->rs, n->s, n->slen);
    if (!p) {
        char hint[160];
        const char **names = ruleset__param_names(c->rs);
        did_you_mean(hint, sizeof hint, n->s, n->slen, names, c->rs->nparams);
        free(names);
        ERR(c, n, "unknown param '%s'%s", n->s, hint);
        return TY_ERR;
    }
    n->param = p;
    if (p->type == PT_LIST)
        n->elem = param_type(p->elem);
    return param_type(p->type);
}

static enum ty check_node(struct checker *c, struct node *n)
{
    switch (n->kind) {
    case N_INT: return TY_INT;
    case N_DEC: return TY_DEC;
    case N_STR: return TY_STR;
    case N_BOOL: return TY_BOOL;
    case N_NULL: return TY_NULL;
    case N_DUR: return TY_DUR;
    case N_LIST: return check_list(c, n);
    case N_NAME: {
        enum ty t = resolve_field(c, n, n->s, n->slen);
        if (t == TY_ERR)
            unknown_name(c, n);
        return t;
    }
    case N_FIELD:
    case N_AFIELD:
    case N_DYN:
        return n->ty;       /* already resolved */
    case N_PARAM: return check_param(c, n);
    case N_CALL: return check_call(c, n);
    case N_NOT: {
        enum ty t = check(c, n->kids[0]);
        if (check_bool_operand(c, n->kids[0], t, "not") == TY_ERR)
            return TY_ERR;
        return TY_BOOL;
    }
    case N_AND:
    case N_OR: {
        const char *op = n->kind == N_AND ? "and" : "or";
        enum ty a = check_bool_operand(c, n->kids[0], check(c, n->kids[0]), op);
        enum ty b = check_bool_operand(c, n->kids[1], check(c, n->kids[1]), op);
        return a == TY_ERR || b == TY_ERR ? TY_ERR : TY_BOOL;
    }
    case N_NEG: {
        enum ty t = check(c, n->kids[0]);
        if (t == TY_ERR || numeric(t) || t == TY_DUR || t == TY_DYN)
            return t;
        ERR(c, n, "unary '-' cannot be applied to %s", ast_type_name(t));
        return TY_ERR;
    }
    case N_BIN: {
        enum ty a = check(c, n->kids[0]);
        enum ty b = check(c, n->kids[1]);
        if (n->op == OP_MATCH || n->op == OP_NMATCH)
            return check_match(c, n, a, b);
        if (a == TY_ERR || b == TY_ERR)
            return TY_ERR;
        switch (n->op) {
        case OP_IN:
        case OP_NOTIN: return check_in(c, n, a, b);
        case OP_ADD:
        case OP_SUB:
        case OP_MUL:
        case OP_DIV: return check_arith(c, n, a, b);
        default: return check_compare(c, n, a, b);
        }
    }
    }
    return TY_ERR;
}

static enum ty check(struct checker *c, struct node *n)
{
    n->ty = check_node(c, n);
    return n->ty;
}

int check_expr(struct ruleset *rs, struct rule *r, struct node *ast, const char *text,
               size_t len, const struct spos *pos, const char *what, struct diags *d)
{
    size_t before = d->errors;
    struct checker c = {rs, r, text, len, pos, d, false};
    enum ty t = check(&c, ast);
    if (t != TY_BOOL && t != TY_DYN && t != TY_ERR)
        ERR(&c, ast, "%s must be a condition (a boolean), got %s", what, ast_type_name(t));
    return d->errors > before ? -1 : 0;
}

int check_rule(struct ruleset *rs, struct rule *r, struct diags *d)
{
    if (!r->ast)
        return -1;
    r->nregexes = 0;            /* a second ruleset_compile counts afresh */
    return check_expr(rs, r, r->ast, r->when, r->when_len, &r->when_pos, "'when'", d);
}

/* SPDX-License-Identifier: MIT
 * Rule params: declared in a file's `params:` map, typed by how they are
 * written (YAML `7d` is a duration, `"7d"` a string), overridden by
 * --set NAME=VALUE, which must fit the declared type. A type is fixed
 * at declaration so that the checker can type `params.NAME` once, at
 * load, and a --set value cannot turn a valid rule set into an invalid one. */
#include "rules/internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

const char *params_type_name(enum ptype t)
{
    switch (t) {
    case PT_INT: return "integer";
    case PT_DEC: return "decimal";
    case PT_STR: return "string";
    case PT_BOOL: return "boolean";
    case PT_DUR: return "duration";
    case PT_LIST: return "list";
    }
    return "string";
}

/* "an integer", "a duration such as 7d, 12h, 30m or 45s", ... */
static const char *expected_text(enum ptype t)
{
    switch (t) {
    case PT_INT: return "an integer";
    case PT_DEC: return "a number";
    case PT_STR: return "a string";
    case PT_BOOL: return "true or false";
    case PT_DUR: return "a duration such as 7d, 12h, 30m or 45s";
    case PT_LIST: return "a list";
    }
    return "a value";
}

static void pval_dispose(struct pval *v)
{
    free(v->s);
    v->s = NULL;
}

void params_free(struct param *p)
{
    if (!p)
        return;
    free(p->name);
    pval_dispose(&p->v);
    for (size_t i = 0; i < p->nitems; i++)
        pval_dispose(&p->items[i]);
    free(p->items);
    free(p->text);
    free(p);
}

static void format_pval(struct buf *b, const struct pval *v)
{
    char tmp[40];
    switch (v->t) {
    case PT_INT: buf_printf(b, "%" PRId64, v->i); break;
    case PT_DEC:
        /* The shortest form that reads back as the same double. */
        snprintf(tmp, sizeof tmp, "%.15g", v->d);
        if (strtod(tmp, NULL) != v->d)
            snprintf(tmp, sizeof tmp, "%.17g", v->d);
        buf_puts(b, tmp);
        if (!strpbrk(tmp, ".eEn"))
            buf_puts(b, ".0");
        break;
    case PT_STR: buf_append(b, v->s, v->n); break;
    case PT_BOOL: buf_puts(b, v->b ? "true" : "false"); break;
    case PT_DUR:
        duration_format(v->i, tmp);
        buf_puts(b, tmp);
        break;
    case PT_LIST: break;
    }
}

static void update_text(struct param *p)
{
    struct buf b = BUF_INIT;
    if (p->type == PT_LIST) {
        buf_putc(&b, '[');
        for (size_t i = 0; i < p->nitems; i++) {
            if (i)
                buf_puts(&b, ", ");
            format_pval(&b, &p->items[i]);
        }
        buf_putc(&b, ']');
    } else {
        format_pval(&b, &p->v);
    }
    free(p->text);
    p->text = buf_detach(&b);
}

/* The value of a scalar node; -1 for null. */
static int scalar_pval(const struct dnode *n, struct pval *out)
{
    memset(out, 0, sizeof *out);
    out->pos = n->pos;
    switch (n->sk) {
    case SK_NULL: return -1;
    case SK_BOOL: out->t = PT_BOOL; out->b = n->b; return 0;
    case SK_INT: out->t = PT_INT; out->i = n->i; return 0;
    case SK_DEC: out->t = PT_DEC; out->d = n->d; return 0;
    case SK_DUR: out->t = PT_DUR; out->i = n->i; return 0;
    case SK_STR:
        out->t = PT_STR;
        out->s = xstrndup(n->s, n->n);
        out->n = n->n;
        return 0;
    }
    return -1;
}

static int valid_name(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
        return 0;
    return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") ==
           strlen(s);
}

struct param *params_from_doc(const struct dnode *key, const struct dnode *val,
                              struct diags *d)
{
    const struct rsrc *src = key->pos.src;
    if (!valid_name(key->s)) {
        src_diag(d, DIAG_ERROR, src, key->pos.off, key->pos.off + key->n,
                 "invalid param name '%s' (use letters, digits and '_')", key->s);
        return NULL;
    }
    struct param *p = xcalloc(1, sizeof *p);
    p->name = xstrdup(key->s);
    p->src = src;
    p->name_off = key->pos.off;
    if (val->kind == D_MAP) {
        src_diag(d, DIAG_ERROR, src, val->pos.off, val->pos.off + 1,
                 "param '%s' must be a scalar or a list", p->name);
        goto fail;
    }
    if (val->kind == D_SCALAR) {
        if (scalar_pval(val, &p->v) != 0) {
            src_diag(d, DIAG_ERROR, src, key->pos.off, key->pos.off + key->n,
                     "param '%s' has no value", p->name);
            goto fail;
        }
        p->type = p->v.t;
        update_text(p);
        return p;
    }
    p->type = PT_LIST;
    p->elem = PT_STR;
    p->items = xcalloc(val->nkids ? val->nkids : 1, sizeof *p->items);
    for (size_t i = 0; i < val->nkids; i++) {
        const struct dnode *it = val->kids[i];
        if (it->kind != D_SCALAR || scalar_pval(it, &p->items[p->nitems]) != 0) {
            src_diag(d, DIAG_ERROR, src, it->pos.off, it->pos.off + (it->n ? it->n : 1),
                     "param list '%s' may only hold strings, numbers, durations or booleans",
                     p->name);
            goto fail;
        }
        struct pval *v = &p->items[p->nitems++];
        if (i == 0) {
            p->elem = v->t;
        } else if (v->t != p->elem) {
            /* 1 and 2.5 in one list: both numbers. */
            int numeric = (v->t == PT_INT || v->t == PT_DEC) &&
                          (p->elem == PT_INT || p->elem == PT_DEC);
            if (!numeric) {
                src_diag(d, DIAG_ERROR, src, it->pos.off, it->pos.off + (it->n ? it->n : 1),
                         "param list '%s' mixes %s and %s values", p->name,
                         params_type_name(p->elem), params_type_name(v->t));
                goto fail;
            }
            p->elem = PT_DEC;
        }
    }
    if (p->elem == PT_DEC)
        for (size_t i = 0; i < p->nitems; i++)
            if (p->items[i].t == PT_INT) {
                p->items[i].t = PT_DEC;
                p->items[i].d = (double)p->items[i].i;
            }
    update_text(p);
    return p;
fail:
    params_free(p);
    return NULL;
}

/* Parse 'text' as a value of type 't' (as if written plain in YAML). */
static int parse_as(enum ptype t, const char *text, size_t len, struct pval *out)
{
    struct dnode n;
    memset(&n, 0, sizeof n);
    n.s = xstrndup(text, len);
    n.n = len;
    doc_classify(&n, t != PT_STR);
    int rc = 0;
    if (t == PT_STR) {
        rc = scalar_pval(&n, out);
    } else if (n.sk == SK_NULL || scalar_pval(&n, out) != 0) {
        rc = -1;
    } else if (out->t != t) {
        if (t == PT_DEC && out->t == PT_INT) {
            out->t = PT_DEC;
            out->d = (double)out->i;
        } else {
            pval_dispose(out);
            rc = -1;
        }
    }
    out->pos.src = NULL;
    out->pos.style = SP_NONE;
    free(n.s);
    return rc;
}

static const char *trim(const char *s, size_t *len)
{
    while (*len && (*s == ' ' || *s == '\t')) {
        s++;
        (*len)--;
    }
    while (*len && (s[*len - 1] == ' ' || s[*len - 1] == '\t'))
        (*len)--;
    return s;
}

int params_set(struct param *p, const char *value, struct diags *d)
{
    if (p->type != PT_LIST) {
        struct pval v;
        if (parse_as(p->type, value, strlen(value), &v) != 0) {
            diags_error(d, "--set %s: invalid value '%s' (expected %s)", p->name, value,
                        expected_text(p->type));
            return -1;
        }
        pval_dispose(&p->v);
        p->v = v;
        p->from_cli = true;
        update_text(p);
        return 0;
    }
    /* A list: "a,b", or "[a, b]" as the file and --help show it. */
    size_t len = strlen(value);
    const char *s = trim(value, &len);
    if (len >= 2 && s[0] == '[' && s[len - 1] == ']') {
        s++;
        len -= 2;
        s = trim(s, &len);
    }
    struct pval *items = NULL;
    size_t n = 0;
    while (len > 0) {
        const char *comma = memchr(s, ',', len);
        size_t ilen = comma ? (size_t)(comma - s) : len;
        size_t tlen = ilen;
        const char *t = trim(s, &tlen);
        items = xreallocarray(items, n + 1, sizeof *items);
        if (parse_as(p->elem, t, tlen, &items[n]) != 0) {
            diags_error(d, "--set %s: invalid list element '%.*s' (expected %s)", p->name,
                        (int)tlen, t, expected_text(p->elem));
            for (size_t i = 0; i < n; i++)
                pval_dispose(&items[i]);
            free(items);
            return -1;
        }
        n++;
        if (!comma)
            break;
        len -= ilen + 1;
        s = comma + 1;
    }
    for (size_t i = 0; i < p->nitems; i++)
        pval_dispose(&p->items[i]);
    free(p->items);
    p->items = items;
    p->nitems = n;
    p->from_cli = true;
    update_text(p);
    return 0;
}

/* SPDX-License-Identifier: MIT
 * The rule-file tree (see doc.h): typing of scalars and freeing. */
#include "rules/doc.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/timefmt.h"
#include "util/xalloc.h"

/* A finished tree: the root first, so that doc_free can get back here. */
struct dtree {
    struct dnode root;
    struct arena mem;
};

struct dnode *doc_new(struct arena *mem)
{
    return arena_calloc(mem, sizeof(struct dnode));
}

void doc_add_kid(struct arena *mem, struct dnode *n, struct dnode *kid)
{
    /* The capacity is implied: 4, then the next power of two. Doubling,
     * because a `rules:` list or `params:` map may have 100,000 kids; the
     * arrays left behind stay in the arena, at most as much again. */
    size_t k = n->nkids;
    if (k == 0 || (k >= 4 && (k & (k - 1)) == 0)) {
        size_t cap = k ? 2 * k : 4;
        if (cap > SIZE_MAX / sizeof *n->kids)
            abort();
        struct dnode **v = arena_calloc(mem, cap * sizeof *v);
        if (k)
            memcpy(v, n->kids, k * sizeof *v);
        n->kids = v;
    }
    n->kids[n->nkids++] = kid;
}

struct dnode *doc_finish(struct dnode *root, struct arena *mem)
{
    struct dtree *t = xmalloc(sizeof *t);
    t->root = *root;            /* nothing points at a root */
    t->mem = *mem;
    *mem = (struct arena)ARENA_INIT;
    return &t->root;
}

void doc_free(struct dnode *root)
{
    if (!root)
        return;
    struct dtree *t = (struct dtree *)root;
    arena_dispose(&t->mem);
    free(t);
}

/* [+-]digits, fitting int64. */
static int parse_int(const char *s, int64_t *out)
{
    const char *p = s + (*s == '-' || *s == '+');
    if (!*p || strspn(p, "0123456789") != strlen(p))
        return -1;
    errno = 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

/* [+-]digits.digits with an optional exponent (YAML 1.2 core float). */
static int parse_dec(const char *s, double *out)
{
    const char *p = s + (*s == '-' || *s == '+');
    size_t a = strspn(p, "0123456789");
    if (p[a] != '.' && p[a] != 'e' && p[a] != 'E')
        return -1;
    if (a == 0 && p[a] != '.')
        return -1;
    errno = 0;
    char *end;
    double v = strtod(s, &end);
    if (errno || *end || end == s)
        return -1;
    *out = v;
    return 0;
}

void doc_classify(struct dnode *n, bool plain)
{
    n->sk = SK_STR;
    if (!plain)
        return;
    const char *s = n->s;
    /* Most plain scalars are words; only these can start anything else. */
    if (n->n && !strchr("~nNtTfF+-.0123456789", s[0]))
        return;
    if (n->n == 0 || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 ||
        strcmp(s, "NULL") == 0) {
        n->sk = SK_NULL;
    } else if (strcmp(s, "true") == 0 || strcmp(s, "True") == 0 || strcmp(s, "TRUE") == 0) {
        n->sk = SK_BOOL;
        n->b = true;
    } else if (strcmp(s, "false") == 0 || strcmp(s, "False") == 0 ||
               strcmp(s, "FALSE") == 0) {
        n->sk = SK_BOOL;
        n->b = false;
    } else if (parse_int(s, &n->i) == 0) {
        n->sk = SK_INT;
    } else if (parse_dec(s, &n->d) == 0) {
        n->sk = SK_DEC;
    } else if (duration_parse(s, n->n, &n->i) == 0) {
        n->sk = SK_DUR;
    }
}

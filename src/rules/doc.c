/* SPDX-License-Identifier: MIT
 * The rule-file tree (see doc.h): typing of scalars and freeing. */
#include "rules/doc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/timefmt.h"
#include "util/xalloc.h"

void doc_free(struct dnode *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nkids; i++)
        doc_free(n->kids[i]);
    free(n->kids);
    free(n->s);
    free(n);
}

void doc_add_kid(struct dnode *n, struct dnode *kid)
{
    n->kids = xreallocarray(n->kids, n->nkids + 1, sizeof *n->kids);
    n->kids[n->nkids++] = kid;
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

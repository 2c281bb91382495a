/* SPDX-License-Identifier: MIT
 * Did-you-mean suggestions; see suggest.h. */
#include "util/suggest.h"

#include <string.h>

#include "util/xalloc.h"
#include <stdlib.h>

static size_t min3(size_t a, size_t b, size_t c)
{
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

size_t suggest_distance(const char *a, size_t alen, const char *b)
{
    size_t blen = strlen(b);
    /* Three rolling rows: enough for the transposition step. */
    size_t *row = xcalloc(3 * (blen + 1), sizeof *row);
    size_t *pp = row, *p = row + blen + 1, *c = row + 2 * (blen + 1);
    for (size_t j = 0; j <= blen; j++)
        p[j] = j;
    for (size_t i = 1; i <= alen; i++) {
        c[0] = i;
        for (size_t j = 1; j <= blen; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            c[j] = min3(p[j] + 1, c[j - 1] + 1, p[j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                pp[j - 2] + 1 < c[j])
                c[j] = pp[j - 2] + 1;
        }
        size_t *t = pp;
        pp = p;
        p = c;
        c = t;
    }
    size_t d = p[blen];
    free(row);
    return d;
}

const char *suggest_best(const char *word, size_t len, const char *const *cands, size_t n)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    size_t limit = len / 3 > 1 ? len / 3 : 1;
    const char *prefix_hit = NULL;
    size_t prefix_hits = 0;
    for (size_t i = 0; i < n; i++) {
        if (!cands[i])
            continue;
        size_t d = suggest_distance(word, len, cands[i]);
        if (d < best_d) {
            best_d = d;
            best = cands[i];
        }
        if (len >= 3 && strncmp(cands[i], word, len) == 0) {
            prefix_hit = cands[i];
            prefix_hits++;
        }
    }
    if (best && best_d <= limit)
        return best;
    if (prefix_hits == 1)
        return prefix_hit;
    return NULL;
}

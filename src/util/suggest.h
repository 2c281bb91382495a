/* SPDX-License-Identifier: MIT
 * "Did you mean ...?": the closest candidate to a misspelt name, by
 * edit distance (Damerau-Levenshtein, adjacent transpositions count 1).
 * Used for unknown fields, params, rule keys and command-line options. */
#ifndef IMGAUDIT_SUGGEST_H
#define IMGAUDIT_SUGGEST_H
#include <stddef.h>

/* Edit distance between 'a' (alen bytes) and 'b' (NUL-terminated). */
size_t suggest_distance(const char *a, size_t alen, const char *b);

/* The candidate closest to 'word', or NULL when none is close enough
 * (distance at most max(1, len/3), or 'word' is a prefix of at most one
 * candidate). 'cands' has 'n' entries; NULL entries are skipped. */
const char *suggest_best(const char *word, size_t len, const char *const *cands, size_t n);

#endif

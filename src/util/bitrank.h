/* SPDX-License-Identifier: MIT
 * A set of the integers [0, n) as a bitmap that answers "how many
 * members are below i" in constant time: one bit per integer and 8
 * bytes per 512 of them. For numbering a subset in order without an
 * array of one index per element (the HTML writer's images with
 * findings, render/htmldata.c; first occurrences, render/distinct.c). */
#ifndef IMGAUDIT_BITRANK_H
#define IMGAUDIT_BITRANK_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bitrank {
    uint64_t *bits;
    uint64_t *before;           /* members below each block of 512, after bitrank_seal() */
    size_t n;
};

/* An empty set of [0, n). */
void bitrank_init(struct bitrank *b, size_t n);
void bitrank_set(struct bitrank *b, size_t i);
bool bitrank_has(const struct bitrank *b, size_t i);
/* Done setting: builds the counts bitrank_rank() needs. */
void bitrank_seal(struct bitrank *b);
/* Members below 'i' (i <= n); only after bitrank_seal(). */
size_t bitrank_rank(const struct bitrank *b, size_t i);
void bitrank_dispose(struct bitrank *b);

#endif

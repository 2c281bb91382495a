/* SPDX-License-Identifier: MIT
 * See bitrank.h. */
#include "util/bitrank.h"

#include <stdlib.h>

#include "util/xalloc.h"

#define WORDS_PER_BLOCK 8       /* 512 bits */

void bitrank_init(struct bitrank *b, size_t n)
{
    b->n = n;
    b->bits = xcalloc(n / 64 + 1, sizeof *b->bits);
    b->before = NULL;
}

void bitrank_set(struct bitrank *b, size_t i)
{
    b->bits[i / 64] |= (uint64_t)1 << (i % 64);
}

bool bitrank_has(const struct bitrank *b, size_t i)
{
    return (b->bits[i / 64] >> (i % 64)) & 1;
}

void bitrank_seal(struct bitrank *b)
{
    size_t words = b->n / 64 + 1, blocks = words / WORDS_PER_BLOCK + 1;
    free(b->before);
    b->before = xcalloc(blocks, sizeof *b->before);
    uint64_t sum = 0;
    for (size_t w = 0; w < words; w++) {
        if (w % WORDS_PER_BLOCK == 0)
            b->before[w / WORDS_PER_BLOCK] = sum;
        sum += (uint64_t)__builtin_popcountll(b->bits[w]);
    }
}

size_t bitrank_rank(const struct bitrank *b, size_t i)
{
    size_t w = i / 64, blk = w / WORDS_PER_BLOCK;
    uint64_t r = b->before[blk];
    for (size_t k = blk * WORDS_PER_BLOCK; k < w; k++)
        r += (uint64_t)__builtin_popcountll(b->bits[k]);
    if (i % 64)
        r += (uint64_t)__builtin_popcountll(b->bits[w] & (((uint64_t)1 << (i % 64)) - 1));
    return (size_t)r;
}

void bitrank_dispose(struct bitrank *b)
{
    free(b->bits);
    free(b->before);
    b->bits = b->before = NULL;
}

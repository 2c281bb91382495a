/* SPDX-License-Identifier: MIT
 * A bit per nesting level, for the bracket scanners (source/input.c's
 * record extents, report/jsonscan.c's skip): whether the bracket open at
 * each level is '[' (1) or '{' (0), so that a closing one can be checked
 * against it. The caller owns the array (a bit per level of its depth
 * limit) and the depth; static inline: this runs at every bracket. */
#ifndef IMGAUDIT_BITSTACK_H
#define IMGAUDIT_BITSTACK_H
#include <stdbool.h>
#include <stdint.h>

static inline void bitstack_set(uint64_t *bits, unsigned level, bool one)
{
    uint64_t bit = (uint64_t)1 << (level % 64);
    if (one)
        bits[level / 64] |= bit;
    else
        bits[level / 64] &= ~bit;
}

static inline bool bitstack_get(const uint64_t *bits, unsigned level)
{
    return (bits[level / 64] >> (level % 64)) & 1;
}

#endif

/* SPDX-License-Identifier: MIT
 * The two bit tricks of the 64-byte block scanners (source/input.c's
 * records, report/jsonscan.c's skip): a block's bytes that equal
 * something as a 64-bit mask, and which of its bytes are inside strings
 * as a prefix xor of its quote bits. static inline: they run once per
 * 64 bytes of every input and report. */
#ifndef IMGAUDIT_SIMDBITS_H
#define IMGAUDIT_SIMDBITS_H
#include <stdint.h>

#if defined(__SSE2__)
#include <emmintrin.h>

/* The result of a 16-byte compare as bits 'at' to 'at' + 15. */
static inline uint64_t simd_block_mask(__m128i eq, unsigned at)
{
    return (uint64_t)(unsigned)_mm_movemask_epi8(eq) << at;
}
#endif

/* Bit i: the xor of bits 0 to i (with the quote bits of a block: 1 from
 * an opening quote up to, not including, its closing one). */
static inline uint64_t simd_prefix_xor(uint64_t x)
{
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

#endif

/* SPDX-License-Identifier: MIT
 * CRC-32C; see crc32c.h. */
#include "util/crc32c.h"

#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#define POLY 0x82F63B78u        /* the Castagnoli polynomial, reflected */

static uint32_t table[256];
static bool hw;

#if defined(__x86_64__) && defined(__GNUC__)
/* The instruction takes three cycles and issues every cycle: three
 * independent streams, each over its own third of a block, run three
 * times as fast as one, and are combined at the block's end. Combining
 * moves a stream's register past the bytes of the streams after it: the
 * register is linear in GF(2), so a stream's state after n more bytes
 * is its state run over n zeros (a 32x32 bit matrix, here as four
 * tables of a byte each) XOR the later stream's own state from zero. */
#define LONG_BLOCK 8192         /* bytes per stream: blocks of 24 KiB */
#define SHORT_BLOCK 256         /* then blocks of 768 bytes */
static uint32_t zeros_long[4][256], zeros_short[4][256];

/* 'mat' (32 columns) times 'vec'. */
static uint32_t gf2_times(const uint32_t *mat, uint32_t vec)
{
    uint32_t sum = 0;
    for (; vec; vec >>= 1, mat++)
        if (vec & 1)
            sum ^= *mat;
    return sum;
}

/* 'sq' = 'mat' squared. */
static void gf2_square(uint32_t *sq, const uint32_t *mat)
{
    for (int n = 0; n < 32; n++)
        sq[n] = gf2_times(mat, mat[n]);
}

/* t: the operator that runs a register over 'len' zero bytes, by byte
 * of the register. */
static void zeros_table(uint32_t t[4][256], size_t len)
{
    uint32_t op[32], sq[32], acc[32];
    op[0] = POLY;               /* one zero bit */
    for (int n = 1; n < 32; n++)
        op[n] = (uint32_t)1 << (n - 1);
    gf2_square(sq, op);         /* two bits */
    gf2_square(op, sq);         /* four */
    gf2_square(sq, op);         /* eight: one byte, in sq */
    for (int n = 0; n < 32; n++)
        acc[n] = (uint32_t)1 << n;  /* none yet */
    for (size_t k = len; k; k >>= 1) {
        if (k & 1) {
            uint32_t next[32];
            for (int n = 0; n < 32; n++)
                next[n] = gf2_times(sq, acc[n]);
            memcpy(acc, next, sizeof acc);
        }
        gf2_square(op, sq);
        memcpy(sq, op, sizeof sq);
    }
    for (int b = 0; b < 4; b++)
        for (uint32_t v = 0; v < 256; v++)
            t[b][v] = gf2_times(acc, v << (8 * b));
}

/* A register run over the zeros of table 't' (zeros_table's, flat). */
static uint32_t shift(const uint32_t *t, uint32_t c)
{
    return t[c & 0xFF] ^ t[256 + (c >> 8 & 0xFF)] ^ t[512 + (c >> 16 & 0xFF)] ^ t[768 + (c >> 24)];
}
#endif
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? c >> 1 ^ POLY : c >> 1;
        table[i] = c;
    }
#if defined(__x86_64__) && defined(__GNUC__)
    __builtin_cpu_init();
    hw = __builtin_cpu_supports("sse4.2");
    zeros_table(zeros_long, LONG_BLOCK);
    zeros_table(zeros_short, SHORT_BLOCK);
#endif
}

static uint32_t by_table(uint32_t c, const unsigned char *p, size_t n)
{
    while (n--)
        c = table[(c ^ *p++) & 0xFF] ^ c >> 8;
    return c;
}

#if defined(__x86_64__) && defined(__GNUC__)
/* Blocks of three streams of 'len' bytes while they last (above). */
__attribute__((target("sse4.2"))) static uint32_t by_three(uint32_t c, const unsigned char **pp,
                                                           size_t *np, size_t len,
                                                           const uint32_t *zeros)
{
    const unsigned char *p = *pp;
    size_t n = *np;
    for (; n >= 3 * len; p += 3 * len, n -= 3 * len) {
        uint64_t c0 = c, c1 = 0, c2 = 0;
        for (size_t i = 0; i < len; i += 8) {
            uint64_t w0, w1, w2;
            memcpy(&w0, p + i, 8);
            memcpy(&w1, p + len + i, 8);
            memcpy(&w2, p + 2 * len + i, 8);
            c0 = __builtin_ia32_crc32di(c0, w0);
            c1 = __builtin_ia32_crc32di(c1, w1);
            c2 = __builtin_ia32_crc32di(c2, w2);
        }
        c = shift(zeros, (uint32_t)c0) ^ (uint32_t)c1;
        c = shift(zeros, c) ^ (uint32_t)c2;
    }
    *pp = p;
    *np = n;
    return c;
}

/* Eight bytes per instruction, in three streams while blocks last; the
 * rest by the byte instruction. */
__attribute__((target("sse4.2"))) static uint32_t by_insn(uint32_t c, const unsigned char *p,
                                                          size_t n)
{
    c = by_three(c, &p, &n, LONG_BLOCK, &zeros_long[0][0]);
    c = by_three(c, &p, &n, SHORT_BLOCK, &zeros_short[0][0]);
    uint64_t c64 = c;
    for (; n >= 8; p += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        c64 = __builtin_ia32_crc32di(c64, w);
    }
    c = (uint32_t)c64;
    for (; n; p++, n--)
        c = __builtin_ia32_crc32qi(c, *p);
    return c;
}
#endif

uint32_t crc32c(uint32_t crc, const void *p, size_t n)
{
    pthread_once(&once, init);
#if defined(__x86_64__) && defined(__GNUC__)
    if (hw)
        return ~by_insn(~crc, p, n);
#endif
    return ~by_table(~crc, p, n);
}

uint32_t crc32c_portable(uint32_t crc, const void *p, size_t n)
{
    pthread_once(&once, init);
    return ~by_table(~crc, p, n);
}

/* SPDX-License-Identifier: MIT
 * CRC-32C; see crc32c.h. */
#include "util/crc32c.h"

#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#define POLY 0x82F63B78u        /* the Castagnoli polynomial, reflected */

static uint32_t table[256];
static bool hw;
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
#endif
}

static uint32_t by_table(uint32_t c, const unsigned char *p, size_t n)
{
    while (n--)
        c = table[(c ^ *p++) & 0xFF] ^ c >> 8;
    return c;
}

#if defined(__x86_64__) && defined(__GNUC__)
/* Eight bytes per instruction; the rest by the byte instruction. */
__attribute__((target("sse4.2"))) static uint32_t by_insn(uint32_t c, const unsigned char *p,
                                                          size_t n)
{
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

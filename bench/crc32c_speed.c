/* SPDX-License-Identifier: MIT
 * CRC-32C's speed (src/util/crc32c.c) over 115 MB, a 100,000-image
 * report's findings, through a 256 KiB buffer reused as the JSON
 * reader's pread() copies are; best of 20. Every build makes
 * build/bench/bench_crc32c_speed (bench/CMakeLists.txt), or from the
 * repository's top:
 *   cc -O2 -D_POSIX_C_SOURCE=200809L -Isrc -o /tmp/crc32c_speed \
 *      bench/crc32c_speed.c src/util/crc32c.c -lpthread && /tmp/crc32c_speed */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/crc32c.h"
#include "util/monotime.h"

int main(void)
{
    enum { BUF = 256 << 10, PASSES = 440 };     /* 440 x 256 KiB: 115 MB */
    unsigned char *b = malloc(BUF);
    if (!b)
        return 1;
    for (size_t i = 0; i < BUF; i++)
        b[i] = (unsigned char)(i * 2654435761u >> 13);
    double best = 1e9;
    uint32_t c = 0;
    for (int r = 0; r < 20; r++) {
        double t = monotime_s();
        for (int k = 0; k < PASSES; k++)
            c = crc32c(c, b, BUF);
        double e = monotime_s() - t;
        if (e < best)
            best = e;
    }
    printf("crc32c %08x: %.1f MB in %.4f s, %.1f GB/s\n", (unsigned)c,
           (double)PASSES * BUF / 1e6, best, (double)PASSES * BUF / best / 1e9);
    free(b);
    return 0;
}

/* SPDX-License-Identifier: MIT
 * The monotonic clock in seconds, for the benchmarks' own programs
 * (page_touch.c, write_piece.c, crc32c_speed.c), each one file built
 * with a plain `cc`, which finds this header beside it. */
#ifndef IMGAUDIT_BENCH_CLOCK_H
#define IMGAUDIT_BENCH_CLOCK_H
#include <time.h>

static inline double bench_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

#endif

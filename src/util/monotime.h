/* SPDX-License-Identifier: MIT
 * Elapsed time, for saying where a run's time went (--verbose) and for
 * the benchmarks' own programs in bench/: seconds on the monotonic
 * clock, which a change of the date does not move. Only differences of
 * two readings mean anything. */
#ifndef IMGAUDIT_MONOTIME_H
#define IMGAUDIT_MONOTIME_H
#include <time.h>

static inline double monotime_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#endif

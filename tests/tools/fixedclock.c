/* SPDX-License-Identifier: MIT
 * A shim for the CLI tests, loaded with LD_PRELOAD: the wall clock
 * (clock_gettime(CLOCK_REALTIME), all imgaudit reads: util/timefmt.c)
 * stands still at $FIXED_CLOCK_MS milliseconds since the epoch, so that
 * two runs are the same to the millisecond (tests/cli/evidence-clash.sh).
 * Other clocks go on. Never linked into imgaudit. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <time.h>

int clock_gettime(clockid_t id, struct timespec *ts)
{
    static int (*next)(clockid_t, struct timespec *);
    const char *fixed = getenv("FIXED_CLOCK_MS");
    if (id == CLOCK_REALTIME && fixed) {
        long long ms = atoll(fixed);
        ts->tv_sec = (time_t)(ms / 1000);
        ts->tv_nsec = (long)(ms % 1000) * 1000000L;
        return 0;
    }
    if (!next)
        *(void **)&next = dlsym(RTLD_NEXT, "clock_gettime");
    return next(id, ts);
}

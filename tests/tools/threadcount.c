/* SPDX-License-Identifier: MIT
 * A shim for tests/cli/jobs.sh, loaded with LD_PRELOAD: it counts the
 * threads a process starts (pthread_create) and, at exit, writes the
 * count to the file named by $THREADCOUNT_OUT, so that a test can tell
 * whether a run started its evaluation workers. With
 * $THREADCOUNT_REFUSE set, every pthread_create fails with EAGAIN (and
 * is not counted), as when a process is out of threads: a test can tell
 * that the run still finishes on the threads it has. Never linked into
 * imgaudit. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

static atomic_uint started;

int pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
    static int (*next)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
    if (!next)
        *(void **)&next = dlsym(RTLD_NEXT, "pthread_create");
    if (getenv("THREADCOUNT_REFUSE"))
        return EAGAIN;
    int rc = next(t, attr, fn, arg);
    if (rc == 0)
        started++;
    return rc;
}

__attribute__((destructor)) static void write_count(void)
{
    const char *path = getenv("THREADCOUNT_OUT");
    FILE *f = path ? fopen(path, "w") : NULL;
    if (f) {
        fprintf(f, "%u\n", (unsigned)started);
        fclose(f);
    }
}

/* SPDX-License-Identifier: MIT
 * A shim for tests/cli/writers-fail.sh, loaded with LD_PRELOAD: fclose()
 * of a file whose path contains one of the ':'-separated strings in
 * $FAIL_CLOSE closes it and then fails with ENOSPC, as a full disk shows
 * at the last flush. So several writers can fail after their files were
 * opened and written, which no real disk does on cue. Never linked into
 * imgaudit. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Does the file behind 'fp' match $FAIL_CLOSE? */
static int doomed(FILE *fp)
{
    const char *list = getenv("FAIL_CLOSE");
    if (!list || !*list)
        return 0;
    char link[64], path[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fileno(fp));
    ssize_t n = readlink(link, path, sizeof path - 1);
    if (n < 0)
        return 0;
    path[n] = '\0';
    for (const char *p = list; *p;) {
        const char *end = strchr(p, ':');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len && memmem(path, (size_t)n, p, len))
            return 1;
        p += len + (end != NULL);
    }
    return 0;
}

int fclose(FILE *fp)
{
    static int (*next)(FILE *);
    if (!next)
        *(void **)&next = dlsym(RTLD_NEXT, "fclose");
    int fail = fp && doomed(fp);
    int rc = next(fp);
    if (fail) {
        errno = ENOSPC;
        return EOF;
    }
    return rc;
}

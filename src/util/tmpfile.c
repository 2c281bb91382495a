/* SPDX-License-Identifier: MIT
 * Nameless temporary files; see tmpfile.h. */
#include "util/tmpfile.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "util/xalloc.h"

const char *tmpfile_dir(void)
{
    const char *d = getenv("TMPDIR");
    return d && *d ? d : "/tmp";
}

int tmpfile_open(const char *tag, const char **dir)
{
    const char *d = tmpfile_dir();
    if (dir)
        *dir = d;
    char *path = xasprintf("%s/imgaudit-%s-XXXXXX", d, tag);
    int fd = mkstemp(path);
    int err = errno;
    if (fd >= 0)
        unlink(path);
    free(path);
    errno = err;
    return fd;
}

/* SPDX-License-Identifier: MIT
 * Nameless temporary files; see tmpfile.h. */
#define _GNU_SOURCE         /* fallocate */
#include "util/tmpfile.h"

#include <errno.h>
#include <fcntl.h>
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

int tmpfile_room(long long bytes)
{
    int fd = tmpfile_open("room", NULL);
    if (fd < 0)
        return errno;
    int err = bytes > 0 && fallocate(fd, 0, 0, (off_t)bytes) < 0 ? errno : 0;
    close(fd);
    return err == EOPNOTSUPP || err == ENOSYS ? 0 : err;
}

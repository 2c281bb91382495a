/* SPDX-License-Identifier: MIT
 * Copying one open file into another; see filecopy.h. */
#define _GNU_SOURCE     /* copy_file_range */
#include "util/filecopy.h"

#include <errno.h>
#include <unistd.h>

#include "util/writepiece.h"

int file_copy_fd(int in, int out)
{
    for (;;) {
        ssize_t n = copy_file_range(in, NULL, out, NULL, 1 << 30, 0);
        if (n > 0)
            continue;
        if (n == 0)
            return 0;
        if (errno == EINTR)
            continue;
        if (errno != EXDEV && errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP &&
            errno != EBADF && errno != ETXTBSY)
            return errno;
        break;  /* the kernel cannot: by hand, from where it stopped */
    }
    char buf[1 << 16];
    for (;;) {
        ssize_t r = read(in, buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return r < 0 ? errno : 0;
        if (write_pieces_fd(out, buf, (size_t)r) < 0)
            return errno;
    }
}

/* SPDX-License-Identifier: MIT
 * Large writes in pieces; see writepiece.h. */
#include "util/writepiece.h"

#include <errno.h>
#include <unistd.h>

#include "util/xalloc.h"

char *write_piece_buffer(FILE *f)
{
    char *b = xmalloc(WRITE_PIECE);
    setvbuf(f, b, _IOFBF, WRITE_PIECE);
    return b;
}

size_t write_pieces(const void *p, size_t n, FILE *f)
{
    const char *c = p;
    size_t done = 0;
    while (done < n) {
        size_t k = n - done < WRITE_PIECE ? n - done : WRITE_PIECE;
        size_t w = fwrite(c + done, 1, k, f);
        done += w;
        if (w < k)
            break;
    }
    return done;
}

int write_pieces_fd(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        ssize_t w = write(fd, c, n < WRITE_PIECE ? n : WRITE_PIECE);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            return -1;
        }
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

/* SPDX-License-Identifier: MIT
 * What a write() of a new file costs by the size of the write: MB
 * megabytes written to FILE (created, then removed) from a 4 MiB buffer
 * in write() calls of PIECE bytes each. Prints the seconds spent in
 * write(). Run by bench/write-piece.sh; why src/util/writepiece.h
 * exists. */
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../src/util/monotime.h"   /* by its path from here: a plain cc needs no -I */

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: write_piece MB PIECE FILE\n");
        return 2;
    }
    size_t total = (size_t)atoi(argv[1]) << 20, piece = strtoul(argv[2], NULL, 0);
    size_t size = (size_t)4 << 20;
    if (!piece || piece > size || size % piece) {
        fprintf(stderr, "write_piece: PIECE must divide 4 MiB\n");
        return 2;
    }
    char *b = malloc(size);
    int fd = open(argv[3], O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (!b || fd < 0) {
        perror("write_piece");
        return 1;
    }
    double spent = 0;
    for (size_t w = 0; w < total; w += size) {
        memset(b, 'a' + (int)(w / size % 26), size);    /* as a writer fills its chunk */
        double t = monotime_s();
        for (size_t o = 0; o < size; o += piece)
            if (write(fd, b + o, piece) != (ssize_t)piece) {
                perror("write_piece");
                return 1;
            }
        spent += monotime_s() - t;
    }
    close(fd);
    unlink(argv[3]);
    printf("%zu MB in writes of %7zu bytes: %.3f s\n", total >> 20, piece, spent);
    free(b);
    return 0;
}

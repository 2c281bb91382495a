/* SPDX-License-Identifier: MIT
 * What a first touch of fresh memory costs on this machine: MB
 * megabytes of anonymous memory, mapped 2 MiB-aligned, one write per
 * 4 KiB page, timed; with "huge", advised MADV_HUGEPAGE first (what
 * src/util/hugemem.c does). Prints the seconds and the cost per 4 KiB.
 * Run by bench/page-touch.sh. */
#define _DEFAULT_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "../src/util/monotime.h"   /* by its path from here: a plain cc needs no -I */

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: page_touch MB [huge]\n");
        return 2;
    }
    size_t n = (size_t)atoi(argv[1]) << 20, align = (size_t)2 << 20;
    int huge = argc > 2 && strcmp(argv[2], "huge") == 0;
    char *m = mmap(NULL, n + align, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    char *p = (char *)(((uintptr_t)m + align - 1) & ~(uintptr_t)(align - 1));
    if (huge)
        madvise(p, n, MADV_HUGEPAGE);
    double t = monotime_s();
    for (size_t i = 0; i < n; i += 4096)
        p[i] = 1;
    double e = monotime_s() - t;
    printf("%-5s %4zu MB: %.4f s, %.2f us per 4 KiB page\n", huge ? "huge" : "4k", n >> 20, e,
           e * 1e6 / (double)(n / 4096));
    return 0;
}

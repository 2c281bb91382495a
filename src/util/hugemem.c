/* SPDX-License-Identifier: MIT
 * Large growing arrays; see hugemem.h. */
#define _GNU_SOURCE         /* mremap, MADV_HUGEPAGE */
#include "util/hugemem.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "util/xalloc.h"

#define HUGE_PAGE ((size_t)2 << 20)

static size_t mapped_size(size_t bytes)
{
    return (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
}

static void oom(size_t n)
{
    fprintf(stderr, "imgaudit: fatal: out of memory (mapping %zu bytes)\n", n);
    abort();
}

/* Advice only: a kernel without transparent huge pages, or with them
 * off, gives 4 KiB pages as before. */
static void advise(void *p, size_t n)
{
    madvise(p, n, MADV_HUGEPAGE);
}

/* 'len' bytes (a multiple of HUGE_PAGE) mapped at a multiple of
 * HUGE_PAGE, advised: the kernel backs only aligned 2 MiB with a huge
 * page, and does not align every mapping itself. */
static void *map_aligned(size_t len)
{
    size_t over = len + HUGE_PAGE;
    char *p = mmap(NULL, over, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        oom(len);
    uintptr_t a = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
    size_t head = (size_t)(a - (uintptr_t)p), tail = over - head - len;
    if (head)
        munmap(p, head);
    if (tail)
        munmap((char *)a + len, tail);
    advise((void *)a, len);
    return (void *)a;
}

void hugemem_grow(void **v, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return;
    size_t n = *cap ? *cap : 16;
    while (n < need) {
        if (n > SIZE_MAX / 2 / size)
            oom(SIZE_MAX);
        n *= 2;
    }
    size_t old = *cap * size, bytes = n * size;
    if (bytes < HUGEMEM_MIN) {
        *v = xrealloc(*v, bytes);
        *cap = n;
        return;
    }
    size_t len = mapped_size(bytes);
    void *p = map_aligned(len);             /* before the copy or move touches it */
    if (old >= HUGEMEM_MIN) {
        /* The old pages move to the new block's start: no copy. */
        if (mremap(*v, mapped_size(old), mapped_size(old), MREMAP_MAYMOVE | MREMAP_FIXED, p) ==
            MAP_FAILED)
            oom(len);
    } else {
        if (old)
            memcpy(p, *v, old);
        free(*v);
    }
    *v = p;
    *cap = len / size;
}

void hugemem_free(void *p, size_t bytes)
{
    if (!p)
        return;
    if (bytes >= HUGEMEM_MIN)
        munmap(p, mapped_size(bytes));
    else
        free(p);
}

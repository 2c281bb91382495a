/* SPDX-License-Identifier: MIT
 * Large arrays that grow, in memory the kernel may back with 2 MiB
 * pages.
 *
 * Why: on the 2-vCPU VMs this project is measured on, the first touch
 * of a 4 KiB page costs about 12 us (bench/page-touch.sh,
 * docs/performance.md), and a table that grows by doubling touches its
 * pages twice (the copy, then the new half). A 100,000-image
 * baseline's tables took about 4,000 such faults, a third of reading
 * it. A block of at least HUGEMEM_MIN bytes here is mapped on its own,
 * 2 MiB-aligned, in multiples of 2 MiB, advised MADV_HUGEPAGE (one
 * fault per 2 MiB where the kernel allows it; where it does not, as
 * before), and grows with mremap(): its pages move, nothing is copied
 * or touched again. A smaller block is malloc()'s. A mapped block's
 * 2 MiB pages count in full once touched: up to 2 MiB of RSS more per
 * block.
 *
 * Ownership: a block is its caller's, freed with hugemem_free() given
 * the same size in bytes (cap * size of hugemem_grow). Out of memory
 * aborts, as in xalloc.h. Thread-safe (no shared state). */
#ifndef IMGAUDIT_HUGEMEM_H
#define IMGAUDIT_HUGEMEM_H
#include <stddef.h>

#define HUGEMEM_MIN ((size_t)256 << 10)

/* Room for at least 'need' elements of 'size' bytes in *v, which holds
 * *cap (0 and NULL at first): grown to at least twice *cap, *cap set
 * to what it holds now. The first *cap elements are kept; the new ones
 * are zero when the block is mapped (at least HUGEMEM_MIN bytes),
 * unspecified otherwise. */
void hugemem_grow(void **v, size_t *cap, size_t need, size_t size);
#define HUGEMEM_GROW(v, cap, need) hugemem_grow((void **)&(v), &(cap), (need), sizeof *(v))
/* Free block 'p' of 'bytes' (its cap * size); accepts NULL. */
void hugemem_free(void *p, size_t bytes);

#endif

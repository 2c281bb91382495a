/* SPDX-License-Identifier: MIT
 * Large writes cut into pieces of at most WRITE_PIECE bytes: what every
 * writer of a large file (a CSV report's chunks, the spill store's
 * buffers, the HTML data block, a report copied out to its target, a
 * report read from a pipe into a temporary file) hands to write().
 *
 * Why: on this project's VMs (Firecracker; the guest hands free memory
 * back to the host in 2 MiB blocks, page_reporting_order 9), one
 * write() of 1 MiB or more into a new file costs the kernel five to ten
 * times the CPU of the same bytes written 64 KiB at a time: 745 MB took
 * 0.7 s in 1 MiB writes and 1.5 s in 4 MiB ones, against 0.15 s in 64
 * KiB pieces (bench/write-piece.sh; docs/performance.md, "Writes in 64
 * KiB pieces"). The time is all in copy_folio_from_iter_atomic. Most
 * likely, the kernel sizes the file's page-cache folios by the write,
 * and large folios come from the free blocks the host took back, whose
 * pages fault in the host at their first touch. Pieces cost one more
 * system call per 64 KiB, which no machine notices.
 *
 * Errors are those of fwrite() and write(): the stream's error flag, or
 * -1 with errno. */
#ifndef IMGAUDIT_WRITEPIECE_H
#define IMGAUDIT_WRITEPIECE_H
#include <stddef.h>
#include <stdio.h>

#define WRITE_PIECE (64u * 1024)

/* fwrite(p, 1, n, f) in pieces; returns the bytes written (n, or fewer
 * after an error, as fwrite). */
size_t write_pieces(const void *p, size_t n, FILE *f);

/* All 'n' bytes of 'p' to descriptor 'fd' in pieces, retrying after
 * EINTR and short writes. Returns 0, or -1 with errno (EIO for a write
 * that wrote nothing). */
int write_pieces_fd(int fd, const void *p, size_t n);

#endif

/* SPDX-License-Identifier: MIT
 * Large writes cut into pieces of at most WRITE_PIECE bytes: what every
 * writer of a large file (a CSV report's chunks, the spill store's
 * buffers, the HTML data block, a report copied out to its target, a
 * report read from a pipe into a temporary file) hands to write().
 *
 * Why: on this project's VMs (Firecracker; the guest hands free memory
 * back to the host in 2 MiB blocks, page_reporting_order 9), what a
 * write() into a new file costs the kernel depends on its size far more
 * than its bytes do. The time is all in copy_folio_from_iter_atomic:
 * most likely the kernel sizes the file's page-cache folios by the
 * write, and large folios come from the free blocks the host took back,
 * whose pages fault in the host at their first touch. 745 MB
 * (bench/write-piece.sh; docs/performance.md, "Writes in 64 KiB
 * pieces" and "Report streams buffer 32 KiB"):
 *   - on the VM of 2026-12-02's first sessions: 0.15 s in 64 KiB writes,
 *     0.11 s in 256 KiB, 0.68 s in 1 MiB and 1.5 s in 4 MiB ones;
 *   - on the AMD VM of the fourth session: 0.26 to 0.68 s in 32 KiB
 *     writes, 0.46 to 0.91 s in 16 KiB, 1.06 to 1.09 s in 64 KiB and
 *     1.46 s in 4 KiB ones (stdio's default buffer).
 * 32 KiB is the best measured on the second; the first was not measured
 * below 64 KiB. Pieces cost one more system call per 32 KiB, which no
 * machine notices.
 *
 * Errors are those of fwrite() and write(): the stream's error flag, or
 * -1 with errno. */
#ifndef IMGAUDIT_WRITEPIECE_H
#define IMGAUDIT_WRITEPIECE_H
#include <stddef.h>
#include <stdio.h>

#define WRITE_PIECE (32u * 1024)

/* Give stream 'f', before anything is written to or read from it, a
 * buffer of WRITE_PIECE bytes, so that what it writes reaches write() in
 * such pieces (stdio's default is st_blksize, 4 KiB). Returns the
 * buffer, which the caller frees once 'f' is closed; glibc ignores the
 * size asked of setvbuf without a buffer of one's own. */
char *write_piece_buffer(FILE *f);

/* fwrite(p, 1, n, f) in pieces; returns the bytes written (n, or fewer
 * after an error, as fwrite). */
size_t write_pieces(const void *p, size_t n, FILE *f);

/* All 'n' bytes of 'p' to descriptor 'fd' in pieces, retrying after
 * EINTR and short writes. Returns 0, or -1 with errno (EIO for a write
 * that wrote nothing). */
int write_pieces_fd(int fd, const void *p, size_t n);

#endif

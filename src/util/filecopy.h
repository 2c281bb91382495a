/* SPDX-License-Identifier: MIT
 * Copying what is left of one open file into another: used to put a
 * temporary file's bytes into the target it stands for (a device, a
 * FIFO, standard output: util/atomicfile.c, copy_out) and into another
 * report's temporary file (an evidence bundle's copy of a report the run
 * has just written: atomic_fill_from).
 *
 * Between regular files the kernel copies (copy_file_range: no trip
 * through this process, and a shared extent where the filesystem can);
 * where it cannot (another filesystem on an older kernel, a device, a
 * FIFO), read() and write() in WRITE_PIECE pieces carry on from where it
 * stopped. */
#ifndef IMGAUDIT_FILECOPY_H
#define IMGAUDIT_FILECOPY_H

/* Copy from 'in''s offset to its end into 'out' at 'out''s offset.
 * Returns 0, or the errno value of the first failed read or write
 * (ENOSPC for /dev/full). */
int file_copy_fd(int in, int out);

#endif

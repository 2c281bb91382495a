/* SPDX-License-Identifier: MIT
 * Nameless temporary files: created in $TMPDIR (/tmp when unset) and
 * unlinked at once, so that nothing is left on disk, even after a crash.
 * The report's spill store (report/spill.c), the HTML writer's tables
 * (render/distinct.c) and a baseline read from a pipe (report/reader.c)
 * keep their data in them. */
#ifndef IMGAUDIT_TMPFILE_H
#define IMGAUDIT_TMPFILE_H

/* Where temporary files go: $TMPDIR, or /tmp when it is unset or empty. */
const char *tmpfile_dir(void);
/* A new file named for a moment "imgaudit-TAG-XXXXXX", open for reading
 * and writing. Returns its descriptor, or -1 with errno set. '*dir'
 * (when not NULL) gets the directory, for messages. */
int tmpfile_open(const char *tag, const char **dir);
/* Whether a file of 'bytes' fits in tmpfile_dir() now: space is
 * reserved for it (fallocate) in a nameless file and given back at once.
 * Returns 0, or an errno value (ENOSPC; EFBIG past the process's file
 * size limit). 0 too where the filesystem cannot reserve space. For a
 * library that writes temporary files without checking its writes
 * (render/xlsx.c): the check is only as good as the moment it is made. */
int tmpfile_room(long long bytes);

#endif

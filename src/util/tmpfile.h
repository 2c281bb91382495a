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

#endif

/* SPDX-License-Identifier: MIT
 * Every output (report, snapshot) is written to a temporary file first
 * and reaches its target only when complete, so a failed or interrupted
 * run never leaves a half-written file under the target name. How it
 * reaches the target depends on what the target is (docs/reports.md,
 * "How reports are written"):
 *
 *   - a regular file, or a name that does not exist yet: the temporary
 *     file is created beside it and renamed over it. An existing file's
 *     permission bits are kept (a report that was chmod 600 stays 600); a
 *     new one gets 0666 minus the umask. A symbolic link to a regular
 *     file is followed: the file it points to is replaced, the link kept.
 *   - "-", or the same file as standard output or standard error (such as
 *     /dev/stdout): the temporary file is in $TMPDIR and is copied to
 *     that stream.
 *   - any other existing file (character device, FIFO, ...): the
 *     temporary file is in $TMPDIR and is copied into the target, which
 *     is opened for writing, never replaced: /dev/null stays a device,
 *     and /dev/full is a write error ("No space left on device").
 *   - a directory or a block device: refused.
 *
 * Temporary names are registered in a small process-wide table so that
 * the SIGINT/SIGTERM/SIGHUP/SIGPIPE handler (atomic_cleanup_all) can
 * unlink them; that table is the only global mutable state and is
 * touched only on the main thread. */
#ifndef IMGAUDIT_ATOMICFILE_H
#define IMGAUDIT_ATOMICFILE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "util/diag.h"

struct atomic_file {
    char *target;   /* owned: as given, for messages ("-" = standard output) */
    char *dest;     /* owned: what the rename replaces, or NULL when copied */
    char *tmp;      /* owned: the temporary file */
    FILE *fp;       /* open for writing, or NULL once closed */
    char *fpbuf;    /* owned: fp's buffer of WRITE_PIECE bytes (util/writepiece.h) */
    int out_fd;     /* copied targets: 1 or 2 for that stream, -1 to open 'target' */
    int werr;       /* the first error of atomic_write(), an errno value; 0: none */
};

/* Create the temporary file for 'target'. Returns 0, or -1 with an
 * error in 'd' (target is a directory or block device, temporary file
 * cannot be created, too many outputs at once). */
int atomic_open(struct atomic_file *af, const char *target, struct diags *d);
/* Append 'n' bytes to the temporary file's stream in WRITE_PIECE pieces
 * (util/writepiece.h), keeping the first error with its errno for
 * atomic_close() to report: the stream's error flag keeps no reason, and
 * by the time the file is closed errno says nothing ("Input/output
 * error" for a file past its size limit). Later calls write nothing. */
void atomic_write(struct atomic_file *af, const void *p, size_t n);
/* Make the temporary file a copy of file 'from' (a report this batch has
 * already written and closed: an evidence bundle's copy of it), its
 * stream closed; atomic_close() follows as after any writer. Returns 0,
 * or -1 with an error in 'd' naming the target. */
int atomic_fill_from(struct atomic_file *af, const char *from, struct diags *d);
/* Flush and close the temporary file, which stays reserved (first half
 * of a commit). On failure the temporary file is removed, an error is
 * added to 'd', 'af' is disposed and -1 is returned. */
int atomic_close(struct atomic_file *af, struct diags *d);
/* atomic_close(), then rename over the target or copy into it. On
 * failure the temporary file is removed, an error is added to 'd' and -1
 * is returned. Always disposes 'af'. */
int atomic_commit(struct atomic_file *af, struct diags *d);
/* Commit 'n' files together, all or none as far as the system allows:
 * every one is closed first (one failure aborts them all, and no target
 * is touched), then the copies into special targets (a failure aborts
 * the rest: no file is replaced), then the renames, with SIGINT, SIGTERM
 * and SIGHUP held back until the last one so that an interrupt cannot
 * leave some targets replaced and others not. Returns 0, or -1 with
 * errors in 'd': then no target was touched, unless a rename failed
 * after others succeeded (only when a directory changes during the run).
 * Disposes every 'afs[i]'; an 'afs[i]' already disposed is skipped. */
int atomic_commit_all(struct atomic_file *afs, size_t n, struct diags *d);
/* Close and remove the temporary file; disposes 'af'. Safe to call twice. */
void atomic_abort(struct atomic_file *af);
/* For writers that insist on opening the file themselves (libxlsxwriter):
 * close our stream but keep the temporary name reserved and registered. */
void atomic_release_stream(struct atomic_file *af);

/* Write the contents of file 'from' to 'target' as atomic_open and
 * atomic_commit would. Returns 0 or -1 with an error in 'd'. */
int atomic_copy_file(const char *from, const char *target, struct diags *d);
/* Is 'target' written by renaming over it (a regular file, a link to
 * one, or a name that does not exist)? Otherwise it is written in place. */
bool atomic_replaces(const char *target);
/* Is 'target' standard output: "-", or the same file as descriptor 1? */
bool atomic_is_stdout(const char *target);

/* Register (untrack: forget) a temporary file that is not written
 * through atomic_open, e.g. a scratch snapshot, so that the signal
 * handler removes it too. 'path' must stay valid while tracked. A
 * tracked folder is removed once the tracked files in it are gone
 * (rmdir: never a folder that still holds anything else). */
void atomic_track(char *path);
void atomic_untrack(const char *path);

/* Unlink every registered temporary file. Async-signal-safe. */
void atomic_cleanup_all(void);
/* Install SIGINT/SIGTERM/SIGHUP/SIGPIPE handlers that clean up and
 * re-raise. */
void atomic_install_signal_handlers(void);

#endif

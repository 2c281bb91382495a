/* SPDX-License-Identifier: MIT
 * Reports and snapshots are written to a temporary file beside the target
 * and renamed into place only when complete, so a failed or interrupted
 * run never leaves a half-written file under the target name.
 *
 * Temporary names are registered in a small process-wide table so that
 * the SIGINT/SIGTERM handler (atomic_cleanup_all) can unlink them; that
 * table is the only global mutable state and is touched only on the main
 * thread. */
#ifndef IMGAUDIT_ATOMICFILE_H
#define IMGAUDIT_ATOMICFILE_H
#include <stdio.h>

#include "util/diag.h"

struct atomic_file {
    char *target;   /* owned */
    char *tmp;      /* owned: "<dir>/.<base>.tmp-XXXXXX" */
    FILE *fp;       /* open for writing, or NULL once committed/aborted */
};

/* Create the temporary file for 'target'. Returns 0, or -1 with an error in 'd'. */
int atomic_open(struct atomic_file *af, const char *target, struct diags *d);
/* Flush, close and rename over the target. On failure the temporary file
 * is removed, an error is added to 'd' and -1 is returned. Always
 * disposes 'af'. */
int atomic_commit(struct atomic_file *af, struct diags *d);
/* Close and remove the temporary file; disposes 'af'. Safe to call twice. */
void atomic_abort(struct atomic_file *af);
/* For writers that insist on opening the file themselves (libxlsxwriter):
 * close our stream but keep the temporary name reserved and registered. */
void atomic_release_stream(struct atomic_file *af);

/* Register (untrack: forget) a temporary file that is not written
 * through atomic_open, e.g. a scratch snapshot, so that the signal
 * handler removes it too. 'path' must stay valid while tracked. */
void atomic_track(char *path);
void atomic_untrack(const char *path);

/* Unlink every registered temporary file. Async-signal-safe. */
void atomic_cleanup_all(void);
/* Install SIGINT/SIGTERM/SIGHUP handlers that clean up and re-raise. */
void atomic_install_signal_handlers(void);

#endif

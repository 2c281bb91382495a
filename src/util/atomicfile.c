/* SPDX-License-Identifier: MIT
 * Write-to-temporary, then rename or copy; see atomicfile.h. */
/* realpath() is XSI, beyond the _POSIX_C_SOURCE the build sets. */
#define _XOPEN_SOURCE 700
#include "util/atomicfile.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/filecopy.h"
#include "util/tmpfile.h"
#include "util/writepiece.h"
#include "util/xalloc.h"

/* Files staged at once: --split-by stages every part's reports before
 * committing any (app/split.c). A fixed table, so that the signal
 * handler can walk it. */
#define MAX_PENDING 4096
static char *volatile pending[MAX_PENDING];

static int register_tmp(char *p)
{
    for (int i = 0; i < MAX_PENDING; i++)
        if (!pending[i]) {
            pending[i] = p;
            return 0;
        }
    return -1;
}

static void unregister_tmp(const char *p)
{
    for (int i = 0; i < MAX_PENDING; i++)
        if (pending[i] == p)
            pending[i] = NULL;
}

void atomic_track(char *path)
{
    (void)register_tmp(path);
}

void atomic_untrack(const char *path)
{
    unregister_tmp(path);
}

void atomic_cleanup_all(void)
{
    for (int i = 0; i < MAX_PENDING; i++)
        if (pending[i])
            unlink(pending[i]);
    /* Then tracked folders (an evidence bundle being written, and its
     * subfolders): emptied above, removed innermost first, whatever the
     * order they were registered in (bundles are two levels deep). */
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < MAX_PENDING; i++)
            if (pending[i])
                rmdir(pending[i]);
}

static void on_signal(int sig)
{
    atomic_cleanup_all();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* SIGPIPE too: a report copied into a pipe whose reader went away must
 * not leave the other reports' temporary files behind. */
static const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
#define N_CLEANUP_SIGNALS (sizeof cleanup_signals / sizeof cleanup_signals[0])

void atomic_install_signal_handlers(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < N_CLEANUP_SIGNALS; i++)
        sigaction(cleanup_signals[i], &sa, NULL);
}

/* ---- what the target is ---- */

enum target_kind {
    TARGET_REPLACE,     /* regular file or new name: rename over 'dest' */
    TARGET_COPY,        /* device, FIFO, standard stream: copy into it */
};

struct target {
    enum target_kind kind;
    int out_fd;         /* TARGET_COPY: 1 or 2, or -1 to open the target */
    bool exists;        /* TARGET_REPLACE: an existing file whose mode is kept */
    mode_t mode;
};

static bool same_file_as_fd(const struct stat *st, int fd)
{
    struct stat fs;
    return fstat(fd, &fs) == 0 && fs.st_dev == st->st_dev && fs.st_ino == st->st_ino;
}

/* Classify 'target'. Returns 0, or -1 with an error in 'd' when it can
 * never be an output (directory, block device). A name that cannot be
 * looked at (missing, or a missing directory) is a new file: creating
 * the temporary file beside it gives the precise error. */
static int classify(const char *target, struct target *t, struct diags *d)
{
    memset(t, 0, sizeof *t);
    t->out_fd = -1;
    if (strcmp(target, "-") == 0) {
        t->kind = TARGET_COPY;
        t->out_fd = STDOUT_FILENO;
        return 0;
    }
    struct stat st;
    if (stat(target, &st) != 0) {
        t->kind = TARGET_REPLACE;
        return 0;
    }
    /* /dev/stdout, /proc/self/fd/1, or the file the shell redirected
     * standard output to: write to the stream, do not replace the file
     * under it (which would lose everything else written there). A
     * character device (a terminal, /dev/null) is simply opened. */
    if (!S_ISCHR(st.st_mode) &&
        (same_file_as_fd(&st, STDOUT_FILENO) || same_file_as_fd(&st, STDERR_FILENO))) {
        t->kind = TARGET_COPY;
        t->out_fd = same_file_as_fd(&st, STDOUT_FILENO) ? STDOUT_FILENO : STDERR_FILENO;
        return 0;
    }
    if (S_ISDIR(st.st_mode)) {
        diags_add(d, DIAG_ERROR, target, 0, 0, 0, NULL, "cannot write: %s", strerror(EISDIR));
        return -1;
    }
    if (S_ISBLK(st.st_mode)) {
        diags_add(d, DIAG_ERROR, target, 0, 0, 0, NULL,
                  "cannot write: a block device is no place for a report; give a file name");
        return -1;
    }
    if (S_ISREG(st.st_mode)) {
        t->kind = TARGET_REPLACE;
        t->exists = true;
        t->mode = st.st_mode & 0777;
        return 0;
    }
    t->kind = TARGET_COPY;
    return 0;
}

bool atomic_replaces(const char *target)
{
    struct target t;
    struct diags d = DIAGS_INIT;
    int rc = classify(target, &t, &d);
    diags_dispose(&d);
    return rc == 0 && t.kind == TARGET_REPLACE;
}

bool atomic_is_stdout(const char *target)
{
    struct target t;
    struct diags d = DIAGS_INIT;
    int rc = classify(target, &t, &d);
    diags_dispose(&d);
    return rc == 0 && t.kind == TARGET_COPY && t.out_fd == STDOUT_FILENO;
}

/* A failed write into the target: "PATH: error: cannot write: ..." or,
 * for a standard stream, "imgaudit: error: cannot write to standard
 * output: ..." (the words main() uses for the summary). */
static void write_error(const struct atomic_file *af, int err, struct diags *d)
{
    if (af->out_fd >= 0)
        diags_error(d, "cannot write to standard %s: %s",
                    af->out_fd == STDOUT_FILENO ? "output" : "error", strerror(err));
    else
        diags_add(d, DIAG_ERROR, af->target, 0, 0, 0, NULL, "cannot write: %s", strerror(err));
}

/* What a rename over 'target' replaces: the file a symbolic link points
 * to (so the link stays a link), else the name itself. */
static char *rename_dest(const char *target)
{
    struct stat lst;
    char *real;
    if (lstat(target, &lst) == 0 && S_ISLNK(lst.st_mode) && (real = realpath(target, NULL))) {
        char *copy = xstrdup(real);
        free(real);         /* from libc's malloc, not ours */
        return copy;
    }
    return xstrdup(target);
}

/* fclose() the stream, if open, and free its buffer (after: fclose
 * flushes from it). Returns fclose's result, 0 when nothing was open. */
static int close_stream(struct atomic_file *af)
{
    int rc = af->fp ? fclose(af->fp) : 0;
    af->fp = NULL;
    free(af->fpbuf);
    af->fpbuf = NULL;
    return rc;
}

int atomic_open(struct atomic_file *af, const char *target, struct diags *d)
{
    memset(af, 0, sizeof *af);
    af->out_fd = -1;
    struct target t;
    if (classify(target, &t, d) < 0)
        return -1;
    char *tmp;
    if (t.kind == TARGET_REPLACE) {
        char *dest = rename_dest(target);
        const char *slash = strrchr(dest, '/');
        size_t dirlen = slash ? (size_t)(slash - dest) + 1 : 0;
        const char *base = dest + dirlen;
        if (!*base) {
            diags_add(d, DIAG_ERROR, target, 0, 0, 0, NULL, "not a file name");
            free(dest);
            return -1;
        }
        tmp = xasprintf("%.*s.%s.tmp-XXXXXX", (int)dirlen, dest, base);
        af->dest = dest;
    } else {
        /* Nothing may be created beside a device (/dev) or a stream; the
         * temporary file is private scratch in $TMPDIR, mode 0600. Check
         * now that the target can be opened, before the work. */
        if (t.out_fd < 0 && access(target, W_OK) != 0) {
            diags_add(d, DIAG_ERROR, target, 0, 0, 0, NULL, "cannot open: %s", strerror(errno));
            return -1;
        }
        tmp = xasprintf("%s/imgaudit-out-XXXXXX", tmpfile_dir());
    }
    int fd = mkstemp(tmp);
    if (fd < 0) {
        diags_add(d, DIAG_ERROR, target, 0, 0, 0, NULL, "cannot create: %s", strerror(errno));
        free(tmp);
        free(af->dest);
        af->dest = NULL;
        return -1;
    }
    if (t.kind == TARGET_REPLACE) {
        /* mkstemp makes 0600. A replaced file keeps its mode; a new one
         * is an ordinary file and honours the umask. */
        mode_t mode = t.mode;
        if (!t.exists) {
            mode_t um = umask(0);
            umask(um);
            mode = 0666 & ~um;
        }
        fchmod(fd, mode);
    }
    af->fp = fdopen(fd, "wb");
    /* Reports are written in many small pieces (fprintf, fputs): with
     * stdio's 4 KiB buffer, a write() every 4 KiB, each about five times
     * what the same bytes cost in 32 KiB writes (util/writepiece.h). */
    if (af->fp)
        af->fpbuf = write_piece_buffer(af->fp);
    if (!af->fp || register_tmp(tmp) < 0) {
        if (af->fp)
            diags_add(d, DIAG_ERROR, target, 0, 0, 0, NULL,
                      "cannot open: too many outputs at once (at most %d)", MAX_PENDING);
        else
            diags_add(d, DIAG_ERROR, target, 0, 0, 0, NULL, "cannot open: %s", strerror(errno));
        if (af->fp)
            close_stream(af);
        else
            close(fd);
        unlink(tmp);
        free(tmp);
        free(af->dest);
        memset(af, 0, sizeof *af);
        return -1;
    }
    af->tmp = tmp;
    af->target = xstrdup(target);
    af->out_fd = t.out_fd;
    return 0;
}

static void dispose(struct atomic_file *af)
{
    if (af->tmp)
        unregister_tmp(af->tmp);
    free(af->tmp);
    free(af->target);
    free(af->dest);
    af->tmp = af->target = af->dest = NULL;
    af->fp = NULL;
}

void atomic_release_stream(struct atomic_file *af)
{
    close_stream(af);
}

/* Remove the temporary file after an error; disposes 'af'. */
static int fail(struct atomic_file *af)
{
    close_stream(af);
    if (af->tmp)
        unlink(af->tmp);
    dispose(af);
    return -1;
}

void atomic_write(struct atomic_file *af, const void *p, size_t n)
{
    if (af->werr)
        return;
    errno = 0;
    if (write_pieces(p, n, af->fp) < n)
        af->werr = errno ? errno : EIO;
}

int atomic_fill_from(struct atomic_file *af, const char *from, struct diags *d)
{
    close_stream(af);
    int in = open(from, O_RDONLY);
    int err = in < 0 ? errno : 0;
    int out = err ? -1 : open(af->tmp, O_WRONLY | O_TRUNC);
    if (!err && out < 0)
        err = errno;
    if (!err)
        err = file_copy_fd(in, out);
    if (out >= 0 && close(out) != 0 && !err)
        err = errno;
    if (in >= 0)
        close(in);
    if (err) {
        diags_add(d, DIAG_ERROR, af->target, 0, 0, 0, NULL, "cannot write: %s", strerror(err));
        return -1;
    }
    return 0;
}

int atomic_close(struct atomic_file *af, struct diags *d)
{
    int err = af->werr;
    if (af->fp) {
        errno = 0;
        if ((fflush(af->fp) != 0 || ferror(af->fp)) && !err)
            err = errno ? errno : EIO;
        if (close_stream(af) != 0 && !err)
            err = errno ? errno : EIO;
    }
    if (err) {
        /* The temporary file is ours, beside the target or in $TMPDIR. */
        diags_add(d, DIAG_ERROR, af->target, 0, 0, 0, NULL, "cannot write: %s", strerror(err));
        return fail(af);
    }
    return 0;
}

/* Copy the closed temporary file into the target, opened for writing
 * (a FIFO waits here for its reader), or into the standard stream. The
 * first failed write() or close() is the error: ENOSPC for /dev/full. */
static int copy_out(struct atomic_file *af, struct diags *d)
{
    int in = open(af->tmp, O_RDONLY);
    if (in < 0) {
        diags_add(d, DIAG_ERROR, af->target, 0, 0, 0, NULL, "cannot write: %s", strerror(errno));
        return -1;
    }
    int out = af->out_fd;
    if (out >= 0)
        fflush(out == STDOUT_FILENO ? stdout : stderr);
    else
        out = open(af->target, O_WRONLY | O_NOCTTY);
    if (out < 0) {
        diags_add(d, DIAG_ERROR, af->target, 0, 0, 0, NULL, "cannot open: %s", strerror(errno));
        close(in);
        return -1;
    }
    int err = file_copy_fd(in, out);
    if (af->out_fd < 0 && close(out) != 0 && !err)
        err = errno;
    close(in);
    if (err) {
        write_error(af, err, d);
        return -1;
    }
    return 0;
}

/* Second half of a commit, after atomic_close(): rename or copy. */
static int finish(struct atomic_file *af, struct diags *d)
{
    int rc = 0;
    if (af->dest) {
        if (rename(af->tmp, af->dest) != 0) {
            diags_add(d, DIAG_ERROR, af->target, 0, 0, 0, NULL, "cannot write: %s",
                      strerror(errno));
            rc = -1;
        }
    } else {
        rc = copy_out(af, d);
    }
    if (rc < 0 || !af->dest)
        unlink(af->tmp);
    dispose(af);
    return rc;
}

int atomic_commit(struct atomic_file *af, struct diags *d)
{
    if (atomic_close(af, d) < 0)
        return -1;
    return finish(af, d);
}

int atomic_commit_all(struct atomic_file *afs, size_t n, struct diags *d)
{
    bool ok = true;
    for (size_t i = 0; i < n; i++)
        if (afs[i].tmp && atomic_close(&afs[i], d) < 0)
            ok = false;
    /* Copies first: they are the step that fails on a full device, and
     * until the renames no file has been replaced. */
    for (size_t i = 0; i < n && ok; i++)
        if (afs[i].tmp && !afs[i].dest && finish(&afs[i], d) < 0)
            ok = false;
    if (!ok) {
        for (size_t i = 0; i < n; i++)
            atomic_abort(&afs[i]);
        return -1;
    }
    sigset_t hold, old;
    sigemptyset(&hold);
    for (size_t i = 0; i < N_CLEANUP_SIGNALS; i++)
        sigaddset(&hold, cleanup_signals[i]);
    sigprocmask(SIG_BLOCK, &hold, &old);
    int rc = 0;
    for (size_t i = 0; i < n; i++)
        if (afs[i].tmp && finish(&afs[i], d) < 0) {
            /* Only if a directory changed under the run (the targets
             * were checked when opened): the files already renamed
             * stay, the rest are removed. */
            for (size_t j = i + 1; j < n; j++)
                atomic_abort(&afs[j]);
            rc = -1;
            break;
        }
    sigprocmask(SIG_SETMASK, &old, NULL);
    return rc;
}

void atomic_abort(struct atomic_file *af)
{
    if (!af->tmp)
        return;
    close_stream(af);
    unlink(af->tmp);
    dispose(af);
}

int atomic_copy_file(const char *from, const char *target, struct diags *d)
{
    FILE *in = fopen(from, "rb");
    if (!in) {
        diags_add(d, DIAG_ERROR, from, 0, 0, 0, NULL, "cannot open: %s", strerror(errno));
        return -1;
    }
    struct atomic_file af;
    if (atomic_open(&af, target, d) < 0) {
        fclose(in);
        return -1;
    }
    char buf[1 << 16];
    size_t r;
    while ((r = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, r, af.fp) != r)
            break;
    int bad = ferror(in);
    fclose(in);
    if (bad) {
        diags_add(d, DIAG_ERROR, from, 0, 0, 0, NULL, "cannot read: %s", strerror(EIO));
        atomic_abort(&af);
        return -1;
    }
    return atomic_commit(&af, d);
}

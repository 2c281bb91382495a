/* SPDX-License-Identifier: MIT
 * Write-to-temporary-then-rename; see atomicfile.h. */
#include "util/atomicfile.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/xalloc.h"

#define MAX_PENDING 64
static char *volatile pending[MAX_PENDING];

static void register_tmp(char *p)
{
    for (int i = 0; i < MAX_PENDING; i++)
        if (!pending[i]) {
            pending[i] = p;
            return;
        }
}

static void unregister_tmp(const char *p)
{
    for (int i = 0; i < MAX_PENDING; i++)
        if (pending[i] == p)
            pending[i] = NULL;
}

void atomic_track(char *path)
{
    register_tmp(path);
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
}

static void on_signal(int sig)
{
    atomic_cleanup_all();
    signal(sig, SIG_DFL);
    raise(sig);
}

void atomic_install_signal_handlers(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

int atomic_open(struct atomic_file *af, const char *target, struct diags *d)
{
    memset(af, 0, sizeof *af);
    const char *slash = strrchr(target, '/');
    size_t dirlen = slash ? (size_t)(slash - target) + 1 : 0;
    const char *base = target + dirlen;
    if (!*base) {
        diags_add(d, DIAG_ERROR, target, 0, 0, 0, NULL, "not a file name");
        return -1;
    }
    char *tmp = xasprintf("%.*s.%s.tmp-XXXXXX", (int)dirlen, target, base);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        diags_add(d, DIAG_ERROR, target, 0, 0, 0, NULL, "cannot create: %s", strerror(errno));
        free(tmp);
        return -1;
    }
    /* mkstemp makes 0600; reports are ordinary files, honour the umask. */
    mode_t um = umask(0);
    umask(um);
    fchmod(fd, 0666 & ~um);
    af->fp = fdopen(fd, "wb");
    if (!af->fp) {
        close(fd);
        unlink(tmp);
        free(tmp);
        diags_add(d, DIAG_ERROR, target, 0, 0, 0, NULL, "cannot open: %s", strerror(errno));
        return -1;
    }
    af->tmp = tmp;
    af->target = xstrdup(target);
    register_tmp(af->tmp);
    return 0;
}

static void dispose(struct atomic_file *af)
{
    if (af->tmp)
        unregister_tmp(af->tmp);
    free(af->tmp);
    free(af->target);
    af->tmp = af->target = NULL;
    af->fp = NULL;
}

void atomic_release_stream(struct atomic_file *af)
{
    if (af->fp) {
        fclose(af->fp);
        af->fp = NULL;
    }
}

int atomic_commit(struct atomic_file *af, struct diags *d)
{
    int err = 0;
    if (af->fp) {
        if (fflush(af->fp) != 0 || ferror(af->fp))
            err = errno ? errno : EIO;
        if (fclose(af->fp) != 0 && !err)
            err = errno ? errno : EIO;
        af->fp = NULL;
    }
    if (!err && rename(af->tmp, af->target) != 0)
        err = errno;
    if (err) {
        diags_add(d, DIAG_ERROR, af->target, 0, 0, 0, NULL, "cannot write: %s", strerror(err));
        unlink(af->tmp);
        dispose(af);
        return -1;
    }
    dispose(af);
    return 0;
}

void atomic_abort(struct atomic_file *af)
{
    if (!af->tmp)
        return;
    if (af->fp)
        fclose(af->fp);
    unlink(af->tmp);
    dispose(af);
}

/* SPDX-License-Identifier: MIT
 * Same-file checks by device and inode; see samefile.h. */
#include "util/samefile.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/xalloc.h"

/* Where a path leads: an existing file's device and inode, or, for a
 * name not created yet, its directory's device and inode plus the last
 * component. 'known' is false when it cannot clash with anything. */
struct ident {
    bool dash_out;          /* "-" as an output: standard output */
    bool known;
    dev_t dev;
    ino_t ino;
    const char *name;       /* borrowed; NULL for an existing file */
};

static struct ident identify(const char *path, int std_fd)
{
    struct ident id = {false, false, 0, 0, NULL};
    id.dash_out = std_fd == STDOUT_FILENO && strcmp(path, "-") == 0;
    struct stat st;
    int rc = strcmp(path, "-") == 0 ? fstat(std_fd, &st) : stat(path, &st);
    if (rc == 0) {
        if (S_ISREG(st.st_mode)) {
            id.known = true;
            id.dev = st.st_dev;
            id.ino = st.st_ino;
        }
        return id;
    }
    if (std_fd != STDOUT_FILENO || strcmp(path, "-") == 0)
        return id;          /* an input that is not there overwrites nothing */
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    char *dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
    if (*name && stat(dir, &st) == 0) {
        id.known = true;
        id.dev = st.st_dev;
        id.ino = st.st_ino;
        id.name = name;
    }
    free(dir);
    return id;
}

static bool same(const struct ident *a, const struct ident *b)
{
    if (a->dash_out && b->dash_out)
        return true;
    if (!a->known || !b->known || a->dev != b->dev || a->ino != b->ino)
        return false;
    if (!a->name || !b->name)
        return !a->name && !b->name;
    return strcmp(a->name, b->name) == 0;
}

int samefile_check(const struct path_use *outs, size_t n_outs, const struct path_use *ins,
                   size_t n_ins, struct diags *d)
{
    struct ident *oid = xcalloc(n_outs + 1, sizeof *oid);
    for (size_t i = 0; i < n_outs; i++)
        if (outs[i].path)
            oid[i] = identify(outs[i].path, STDOUT_FILENO);
    int rc = 0;
    for (size_t i = 0; i < n_outs; i++) {
        for (size_t j = 0; j < i; j++)
            if (oid[j].dash_out && oid[i].dash_out) {
                diags_error(d, "%s - and %s -: standard output can take only one output",
                            outs[j].opt, outs[i].opt);
                rc = -1;
            } else if (same(&oid[j], &oid[i])) {
                diags_error(d, "%s %s and %s %s are the same file; give each output its own "
                            "file", outs[j].opt, outs[j].path, outs[i].opt, outs[i].path);
                rc = -1;
            }
        for (size_t j = 0; j < n_ins; j++) {
            if (!ins[j].path)
                continue;
            struct ident in = identify(ins[j].path, STDIN_FILENO);
            if (same(&oid[i], &in)) {
                diags_error(d, "%s %s is the same file as %s %s, which it would "
                            "overwrite; choose another output file", outs[i].opt,
                            outs[i].path, ins[j].opt, ins[j].path);
                rc = -1;
            }
        }
    }
    free(oid);
    return rc;
}

/* SPDX-License-Identifier: MIT
 * Refusing an output that would overwrite an input, or another output,
 * before any work is done. Files are compared by device and inode, not
 * by name, so "x.json", "./x.json", "dir/../x.json", a hard link and a
 * symbolic link are all the same file. */
#ifndef IMGAUDIT_SAMEFILE_H
#define IMGAUDIT_SAMEFILE_H
#include <stddef.h>

#include "util/diag.h"

/* A file named on the command line and the option that named it, for
 * the message: {"--rules", "rules/default.yaml"}. A NULL path is skipped.
 * "-" is standard input for an input and standard output for an output. */
struct path_use {
    const char *opt;
    const char *path;
};

/* Check every output in 'outs' against every input in 'ins' and every
 * other output. Only regular files can clash (two names for /dev/null
 * or a FIFO overwrite nothing); an output that does not exist yet is
 * identified by its directory and its last name, so two outputs "x.csv"
 * and "./x.csv" clash before either exists. Adds one error per clash to
 * 'd' ("-o x.json is the same file as --input ./x.json, which it would
 * overwrite; choose another output file") and
 * returns -1, or returns 0. */
int samefile_check(const struct path_use *outs, size_t n_outs, const struct path_use *ins,
                   size_t n_ins, struct diags *d);

#endif

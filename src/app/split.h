/* SPDX-License-Identifier: MIT
 * --split-by namespace|registry|image_type: besides the combined reports,
 * one set of reports per key, and an index of them (docs/reports.md,
 * "Split reports").
 *
 * Each part is the report that `--where` on its key would give: it is
 * evaluated again from the run's records (a file: the --input, a copy of
 * a streamed one, or the pull's snapshot) with the key added to the
 * selection (select.h), so its findings, unknown counts, data quality,
 * waiver counts and gate are its own. Only one part's model is in memory
 * at a time, beside the combined one.
 *
 * File names: the key is made safe (split_safe_name) and inserted before
 * the extension of every -o (split_part_path): weekly.xlsx ->
 * weekly.team-a.xlsx. Names that collide (ignoring ASCII case, since
 * some file systems do) get -2, -3, ...: parts are named in order, the
 * part without a key first, then the keys in byte order. The index is
 * NAME.index.html and NAME.index.json beside the first -o, so "index"
 * is never a part's name.
 *
 * Writing: the combined reports, every part's and the index are one
 * all-or-nothing batch (render_stage, then atomic_commit_all). */
#ifndef IMGAUDIT_SPLIT_H
#define IMGAUDIT_SPLIT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "app/select.h"
#include "render/render.h"
#include "report/report.h"

/* The key field of --split-by 'by' (enum field_id), or -1. */
int split_field(const char *by);
/* The i-th key --split-by takes ("namespace", ...), or NULL past the last
 * (for the shell completions, tools/gen_shell.c). */
const char *split_key_name(size_t i);
/* Checked before any work: 'by' names a key, and there is at least one
 * output and every one is a file that parts can be written beside (not
 * standard output, a device or a FIFO). Returns 0, or -1 with the
 * problem in 'd'. */
int split_check(const char *by, const char *const *outputs, size_t n, struct diags *d);

/* The file-name form of a key, before collisions (malloc'd):
 *   no key (missing, or of the wrong type)  "(none)"
 *   ""                                      "(empty)"
 *   otherwise the key, where each '/', '\', control byte and each of
 *   < > : " | ? * becomes '_', so do leading dots and trailing dots and
 *   spaces; a Windows device name before the first dot (CON, PRN, AUX,
 *   NUL, COM1-9, LPT1-9, in any case) gets a '_' after it ("CON_",
 *   "nul_.x"); at most SPLIT_NAME_MAX bytes, cut on a UTF-8 boundary. */
#define SPLIT_NAME_MAX 64
char *split_safe_name(const char *key);
/* 'path' with "." 'name' inserted before the extension of its last
 * component (".junit.xml" counts as one), or appended when it has none
 * (malloc'd). */
char *split_part_path(const char *path, const char *name);

/* One part: its key and the files of its reports. */
struct split_part {
    const char *key;            /* owned by the plan; NULL: no key */
    char *name;                 /* unique among the parts */
    char **paths;               /* one per -o, in -o order */
};

struct split_plan {
    const char *by;             /* as given */
    int field;
    struct split_part *parts;   /* in naming order (see above) */
    size_t n_parts, n_jobs;
    char *index_html, *index_json;
};

/* The parts of the combined report 'all' and their file names. */
void split_plan_make(struct split_plan *p, const char *by, const struct report *all,
                     const struct render_job *jobs, size_t n_jobs);
void split_plan_dispose(struct split_plan *p);

/* Build the report of the images that 'sel' selects into 'rep' (fresh),
 * finished; returns an exit code. */
typedef int (*split_build_fn)(void *ctx, struct report *rep, const struct selection *sel,
                              struct diags *d);

struct split_run {
    split_build_fn build;
    void *ctx;
    const struct rule_expr *where;  /* the run's --where, kept in every part */
    int64_t now_ms;
    const struct render_opts *ro;
    FILE *summary;                  /* where the summary goes; NULL: --quiet */
    const char *snapshot;           /* --save-snapshot, listed with the reports */
    const char *provenance;         /* ... and its provenance beside it */
};

/* Write the combined report 'all' (to 'jobs'), every part of 'p' and the
 * index, all or none, then print the summary with a line per part.
 * Returns the exit code: 3 when a part could not be evaluated, 4 when a
 * file could not be written (then none is), else 1 when the combined
 * report or any part failed its gate, else 3 when the data is
 * incomplete (--allow-incomplete), else 0. */
int split_write(const struct split_plan *p, const struct split_run *r, const struct report *all,
                const struct render_job *jobs, struct diags *d);

#endif

/* SPDX-License-Identifier: MIT
 * The index of a split run (--split-by, app/split.c): one row for the
 * combined reports and one per part, each with its counts, its gate
 * verdict and its report files, as HTML (a page of links) and as JSON
 * (docs/reports.md, "Split reports"). Writers in the usual shape
 * (render.h): 0, or -1 with an error in 'd'.
 *
 * Ownership: the index borrows every string; the rows' counts are
 * copies, so each part's report can be freed once its row is filled. */
#ifndef IMGAUDIT_SPLITINDEX_H
#define IMGAUDIT_SPLITINDEX_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "report/report.h"
#include "util/diag.h"

struct split_index_row {
    const char *name;           /* the part's file-name segment; NULL for the combined row */
    const char *key;            /* the key; NULL: no key (or the combined row) */
    const char *const *files;   /* its reports, relative to the index's folder */
    size_t n_files;
    size_t images, images_with_findings, findings, waived;
    size_t open[SEV_COUNT], open_total;
    enum gate_verdict gate;
    unsigned gate_failed;       /* GATE_BY_* */
};

struct split_index {
    const char *by;             /* "namespace", "registry", "image_type" */
    const char *where;          /* the run's --where, or NULL */
    int64_t now_ms, generated_at_ms;
    struct split_index_row combined;
    struct split_index_row *parts;
    size_t n_parts;
};

/* The counts and gate of 'rep' into 'row' (names and files untouched). */
void split_index_counts(struct split_index_row *row, const struct report *rep);

int render_split_index_json(const struct split_index *x, FILE *out, struct diags *d);
int render_split_index_html(const struct split_index *x, FILE *out, struct diags *d);

#endif

/* SPDX-License-Identifier: MIT
 * Writers: each output format is one file here that reads the report
 * model (src/report/report.h) and nothing else. render_report() is the
 * one place that picks the writer for a format and makes the write
 * atomic (temporary file + rename, src/util/atomicfile.h), so no writer
 * ever writes under the target name directly.
 *
 * Writer shape: int render_<fmt>(const struct report *rep,
 *   const struct render_opts *o, FILE *out, struct diags *d) returning 0 or
 * -1 with an error in 'd'. XLSX is the exception: libxlsxwriter opens the
 * file itself, so render_xlsx() takes the temporary path instead. */
#ifndef IMGAUDIT_RENDER_H
#define IMGAUDIT_RENDER_H
#include <stdio.h>

#include "report/report.h"
#include "util/buf.h"
#include "util/diag.h"

enum format { FMT_NONE = -1, FMT_CSV, FMT_XLSX, FMT_HTML, FMT_JSON, FMT_COUNT };

struct render_opts {
    const char *template_path;      /* HTML: --template FILE, NULL = built-in */
    size_t html_max_findings;       /* HTML: --html-max-findings */
    const char *full_findings_path; /* HTML: where all findings are when the page is cut */
};
#define RENDER_OPTS_INIT {NULL, 5000, NULL}

/* "csv", "xlsx", "html", "json" (case-insensitive) or FMT_NONE. */
enum format format_parse(const char *name);
/* From the file name's extension, or FMT_NONE. */
enum format format_from_path(const char *path);
const char *format_name(enum format f);

/* Write 'rep' as 'fmt' to 'path' atomically. Returns 0 or -1 (error in 'd'). */
int render_report(const struct report *rep, enum format fmt, const struct render_opts *o,
                  const char *path, struct diags *d);

int render_csv(const struct report *rep, const struct render_opts *o, FILE *out,
               struct diags *d);
int render_html(const struct report *rep, const struct render_opts *o, FILE *out,
                struct diags *d);
int render_json(const struct report *rep, const struct render_opts *o, FILE *out,
                struct diags *d);
int render_xlsx(const struct report *rep, const struct render_opts *o, const char *path,
                struct diags *d);
/* The human summary (stdout). */
void render_summary(const struct report *rep, FILE *out);

#endif

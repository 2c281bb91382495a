/* SPDX-License-Identifier: MIT
 * Writers: each output format is one file here that reads the report
 * model (src/report/report.h) and nothing else. render_reports() is the
 * one place that picks the writer for a format and makes the writes
 * atomic, all together (temporary files, then rename or copy:
 * src/util/atomicfile.h), so no writer ever writes under a target name
 * directly.
 *
 * Writer shape: int render_<fmt>(const struct report *rep,
 *   const struct render_opts *o, FILE *out, struct diags *d) returning 0 or
 * -1 with an error in 'd'. XLSX is the exception: libxlsxwriter opens the
 * file itself, so render_xlsx() takes the temporary path instead, and
 * render_stage writes a workbook in parts (xlsx_begin, below). */
#ifndef IMGAUDIT_RENDER_H
#define IMGAUDIT_RENDER_H
#include <stdio.h>

#include "report/report.h"
#include "util/buf.h"
#include "util/diag.h"

enum format { FMT_NONE = -1, FMT_CSV, FMT_XLSX, FMT_HTML, FMT_JSON, FMT_SARIF, FMT_JUNIT,
              FMT_COUNT };

struct render_opts {
    const char *template_path;      /* HTML: --template FILE, NULL = built-in */
    size_t html_max_findings;       /* HTML: --html-max-findings */
    const char *full_findings_path; /* HTML: the file name of the report with all findings,
                                     * when the page is cut (render_companion) */
    unsigned jobs;                  /* threads writing at once (render_stage); 0 or 1:
                                     * the calling thread alone */
    double *seconds;                /* render_stage: when not NULL, the wall seconds
                                     * each of the n jobs took, from the start of its
                                     * writing to its file's close (report --verbose) */
};
#define RENDER_OPTS_INIT {NULL, 5000, NULL, 1, NULL}

/* "csv", "xlsx", "html", "json", "sarif", "junit" (case-insensitive)
 * or FMT_NONE. */
enum format format_parse(const char *name);
/* From the file name's extension (".junit.xml" for JUnit), or FMT_NONE. */
enum format format_from_path(const char *path);
const char *format_name(enum format f);
/* Is a report in format 'f' a full one? JSON, HTML and XLSX are: each
 * shows the run's inventory (every field of every image), lists the
 * resolved findings (a baseline's findings gone since), and shows the
 * SHA-256 of the records and of the baseline (meta.source.sha256 and
 * meta.baseline.sha256; the HTML page's CSP nonce is derived from the
 * records'). CSV, SARIF and JUnit list the current findings only (the
 * terminal summary counts the resolved ones). A run none of whose
 * outputs is full need not compute the hashes, read the resolved
 * findings again, nor keep more of an image than its findings' columns
 * (app.c). */
bool format_is_full(enum format f);

/* One report of a run: its format and target ("-" = standard output). */
struct render_job {
    enum format fmt;
    const char *path;
    size_t same_as;     /* 0: written; i + 1: the bytes of job i, an earlier job
                         * that is written (an evidence bundle's copy of a
                         * report), copied once it is complete */
};

/* Write 'rep' once per job, all or none: every report is written to its
 * temporary file first, and only when all are complete are they renamed
 * over their targets (or copied into a device, FIFO or standard output)
 * by atomic_commit_all(). If any fails, every temporary file is removed
 * and the previous reports stay as they were. A cut HTML page names the
 * batch's XLSX, JSON or CSV file (o->full_findings_path, unless the
 * caller set one: render_companion()). Returns how many were written: n,
 * or 0 with the reasons in 'd'. */
int render_reports(const struct report *rep, const struct render_job *jobs, size_t n,
                   const struct render_opts *o, struct diags *d);
/* The report a cut HTML page points to for every finding: the most
 * complete other report of 'jobs' (XLSX, then JSON, then CSV) that is a
 * file, not a stream or a device, by its file name only (a page that is
 * mailed has no folders; docs/reports.md). A pointer into a job's path,
 * or NULL. */
const char *render_companion(const struct render_job *jobs, size_t n);
/* The first half of render_reports(): each job's report into its own
 * temporary file 'afs[i]' (opened here, then closed but still reserved),
 * nothing committed. With o->jobs > 1 the reports are written by that many
 * threads at once (the calling thread one of them), each reading the report
 * through its own reader (report_reader_begin), and a large CSV report is
 * formatted in chunks by that many threads at once and appended in order
 * (render_csv_rows); the bytes are the same as with one thread, and so are
 * the messages, in job order. Returns 0, or -1 after aborting all of them
 * (the reasons in 'd'). The caller commits with atomic_commit_all(),
 * possibly together with the staged files of other reports: --split-by
 * writes all its reports as one batch (app/split.c). */
struct atomic_file;
int render_stage(const struct report *rep, const struct render_job *jobs, size_t n,
                 const struct render_opts *o, struct atomic_file *afs, struct diags *d);
/* One report: render_reports() with one job. Returns 0 or -1. */
int render_report(const struct report *rep, enum format fmt, const struct render_opts *o,
                  const char *path, struct diags *d);

int render_csv(const struct report *rep, const struct render_opts *o, FILE *out,
               struct diags *d);
/* The CSV report's rows of findings [from, to), after the header row
 * when 'from' is 0, appended to 'out': the chunks of a report, in order,
 * are render_csv()'s bytes (render_stage writes a large one so). */
void render_csv_rows(const struct report *rep, size_t from, size_t to, struct buf *out);
int render_html(const struct report *rep, const struct render_opts *o, FILE *out,
                struct diags *d);
int render_json(const struct report *rep, const struct render_opts *o, FILE *out,
                struct diags *d);
int render_xlsx(const struct report *rep, const struct render_opts *o, const char *path,
                struct diags *d);
/* render_xlsx() in parts, so that more than one thread writes a workbook
 * (render_stage). xlsx_begin() creates the workbook at 'path', adds
 * every sheet in tab order and writes the small ones whole; NULL with an
 * error in 'd' if it cannot. Then each of the XLSX_LANES lanes writes
 * the rows of its large sheets: every lane exactly once, on any thread,
 * at the same time or one after the other (the bytes are the same).
 * xlsx_end(), once every lane has returned, closes the workbook (this is
 * where libxlsxwriter compresses it, on the calling thread) and frees
 * it; it returns as render_xlsx() does. One workbook at a time:
 * libxlsxwriter formats the creation time with gmtime(). */
#define XLSX_LANES 2
struct xlsx_book;
struct xlsx_book *xlsx_begin(const struct report *rep, const char *path, struct diags *d);
void xlsx_write_lane(struct xlsx_book *b, int lane);
int xlsx_end(struct xlsx_book *b, struct diags *d);
int render_sarif(const struct report *rep, const struct render_opts *o, FILE *out,
                 struct diags *d);
int render_junit(const struct report *rep, const struct render_opts *o, FILE *out,
                 struct diags *d);
/* The human summary (stdout). */
void render_summary(const struct report *rep, FILE *out);

#endif

/* SPDX-License-Identifier: MIT
 * Where a run's time went, for `report`, `diff` and `merge --verbose`:
 * the phases app.c times (loading the rules, waivers and baseline;
 * pulling the records or copying standard input; evaluating; the
 * baseline; writing each report) and what the process used in all,
 * printed on stderr once the reports are written. Nothing of it reaches
 * a report, whose bytes must not depend on how long the run took.
 *
 * The caller owns the strings a struct run_times points to; write_s is
 * its own (run_times_dispose). */
#ifndef IMGAUDIT_RUNTIMES_H
#define IMGAUDIT_RUNTIMES_H
#include <stddef.h>
#include <stdio.h>

#include "app/evaluate.h"
#include "report/report.h"

struct run_times {
    /* monotime_s() readings: at the start, after loading, once the
     * records were a file, after evaluating (and comparing), after
     * writing every report (0: nothing was written) */
    double started, loaded, records_ready, evaluated, written;
    const char *records_how;    /* "pulled", "copied to a temporary file"; NULL: neither */
    unsigned jobs;              /* --jobs, or the default */
    struct phase_times phases;  /* build_report's */
    const char *const *outputs; /* the -o reports ... */
    double *write_s;            /* ... and how long each took (render_opts.seconds) */
    size_t n_outputs;           /* 0: no line per report (none written, or --split-by) */
};

/* A run's times, started now, with 'jobs' threads: the rest zero. */
struct run_times run_times_begin(unsigned jobs);
/* report's lines, each "imgaudit: ...", on 'out', then
 * run_times_print_writing()'s. */
void run_times_print(FILE *out, const struct run_times *t, const struct report *rep);
/* diff's lines: NEW read (phases.evaluate), OLD read on its own thread,
 * the wait for it and the comparison. */
void run_times_print_diff(FILE *out, const struct run_times *t, const char *new_path,
                          const char *old_path, const struct report *rep);
/* merge's line: 'n' reports read and merged (phases.evaluate). */
void run_times_print_merge(FILE *out, const struct run_times *t, size_t n,
                           const struct report *rep);
/* The lines of the writing (a line per report and the writing in all,
 * when 'written' is set) and the run's totals, up to this call: what
 * diff and merge print after the lines of their own reading. */
void run_times_print_writing(FILE *out, const struct run_times *t);
/* Free what 't' owns; a zeroed struct run_times is fine. */
void run_times_dispose(struct run_times *t);

#endif

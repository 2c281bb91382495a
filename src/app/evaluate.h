/* SPDX-License-Identifier: MIT
 * The findings stage: read records from a saved image list, decode each
 * one, run every enabled rule on it and add the image, its findings and
 * its unknown counts to the report model.
 *
 * Records are read on the calling thread in batches (about a thousand
 * records, their text copied out of the reader), decoded and evaluated
 * by 'jobs' worker threads, and added to the report by the calling
 * thread in input order, batch by batch. Workers never touch the report:
 * each batch keeps its own findings, messages, waiver decisions, unknown
 * counts and data-quality table, which are merged in input order, so the
 * report is the same for any number of jobs. Memory follows the report,
 * plus a few batches in flight, not the input.
 *
 * Decoding is the fast decoder (model/fastdecode.h); a record it declines
 * is parsed by jansson, and if jansson refuses it too, its error is
 * reported exactly as the reader would have reported it (input.h). */
#ifndef IMGAUDIT_EVALUATE_H
#define IMGAUDIT_EVALUATE_H
#include <stdbool.h>
#include <stdint.h>

#include "app/select.h"
#include "report/report.h"
#include "rules/rules.h"
#include "source/input.h"
#include "util/diag.h"

/* Where a report's time went, in wall seconds (report --verbose):
 * filled by build_report() (app/build.h) when evaluate_opts.times is
 * set. The baseline is read on its own thread while the records are
 * evaluated, so its reading overlaps 'evaluate'. */
struct phase_times {
    double evaluate;            /* reading and evaluating the records */
    double baseline_read;       /* reading the baseline (0 without one) */
    double baseline_wait;       /* waiting for it after the records */
    double compare;             /* comparing the findings with it */
};

struct evaluate_opts {
    unsigned jobs;              /* worker threads; 1: none, all on the calling thread;
                                 * 0: one per usable CPU (evaluate_default_jobs) */
    bool jansson;               /* decode every record with jansson (the reference
                                 * decoder), for tests that compare the two */
    size_t batch_records;       /* records per batch; 0: the default (1024) */
    /* Called on the calling thread every few dozen records read, with
     * the records read so far; may be NULL. */
    void (*progress)(void *ctx, size_t records, const struct input_info *info);
    void *progress_ctx;
    /* Which records to evaluate (select.h: --where, a part of
     * --split-by); NULL: all. A record not selected counts nowhere, not
     * even in the data-quality table. */
    const struct selection *sel;
    /* Records from several sources (a pull of several projects,
     * source/provenance.h): source k's records end before record number
     * source_ends[k] (0-based, cumulative), and its images get 'source'
     * k (report.h). n_sources 0: every image is source 0. */
    const size_t *source_ends;
    size_t n_sources;
    /* Where build_report() notes its phases' times; NULL: not measured. */
    struct phase_times *times;
};
#define EVALUATE_OPTS_INIT {0, false, 0, NULL, NULL, NULL, NULL, 0, NULL}

/* Evaluate every record of 'in' with 'rs' as of 'now_ms' into 'rep'
 * (whose rules were set from 'rs'), then add a warning to 'd' for each
 * regex that was disabled as too costly (rules.h). Returns 0, or -1 when
 * the input is malformed (the first error in 'd'; the report is then
 * incomplete and must not be written). */
int evaluate_input(struct report *rep, const struct ruleset *rs, struct input *in,
                   int64_t now_ms, const struct evaluate_opts *o, struct diags *d);

/* The default number of jobs: one per CPU this process may use, by its
 * affinity mask and its cgroup's CPU quota (util/cpus.h), at most 256. */
unsigned evaluate_default_jobs(void);

#endif

/* SPDX-License-Identifier: MIT
 * The report pipeline from its settings, shared by `report` and by
 * `verify`, which replays an evidence bundle: the same settings give the
 * same report model, so the same bytes in every format.
 *
 *   struct build_inputs in;
 *   int code = build_load(&s, &in, d);          rules, waivers, baseline
 *   ... pull, if the records are not a file yet ...
 *   code = build_report(&s, &in, "snap.jsonl", &rep, &rec, d);
 *   build_inputs_dispose(&in);
 *
 * Everything a report depends on is in struct build_settings: the
 * records file, the rule, waiver and baseline files (each with the name
 * reports give it), --set, --now, the time the report counts as
 * generated, and the gates. Nothing else: not the working directory, not
 * where the files lie, not how the records arrived.
 *
 * The records' provenance (source/provenance.h) is the file beside them
 * (provenance_path). It is used when its records_sha256 is the SHA-256
 * of the records read; otherwise the report is labelled "file input,
 * provenance unknown" and says why (report_source_label), with a warning
 * on stderr for a mismatch or an invalid document. Standard input has
 * no provenance. A complete pull of nothing is a valid empty snapshot;
 * any other empty input stays an error (source/input.h). */
#ifndef IMGAUDIT_BUILD_H
#define IMGAUDIT_BUILD_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/evaluate.h"
#include "app/job.h"
#include "report/baseline.h"
#include "report/report.h"
#include "rules/rules.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/hash.h"

/* A file the report reads: where, and what reports call it. */
struct build_file {
    const char *path;
    const char *name;           /* file_label(path) on the command line; verify: as recorded */
};

struct build_settings {
    const struct build_file *rules;
    size_t n_rules;
    const struct build_file *waivers;
    size_t n_waivers;
    const char *const *sets;    /* --set NAME=VALUE */
    size_t n_sets;
    struct build_file baseline; /* path NULL: no baseline */
    int64_t now_ms;             /* --now, or the clock's */
    int64_t generated_at_ms;    /* --now too when given, so reruns are byte-identical */
    int fail_on, fail_on_new;   /* enum severity, or -1 */
    bool fail_on_expired_waivers;
    int64_t warn_expiring_days;
    bool has_max_waiver_days;
    long max_waiver_days;
    const char *where;          /* --where EXPR, or NULL: the images evaluated */
    bool quiet;                 /* no baseline warnings on stderr */
    /* Nothing the run writes shows the SHA-256 of the records (of the
     * baseline): leave it empty. The records' is still computed to check
     * a provenance file beside them. */
    bool skip_records_hash, skip_baseline_hash;
    /* What the run writes lists its current findings only: count the
     * resolved ones (baseline.h: BASELINE_COUNT_RESOLVED), and keep of
     * an image only its findings' columns (stream.h: STREAM_LEAN_IMAGES). */
    bool findings_only;
};

/* Fill 's' from the settings of `report` or `lint`: names by file_label(),
 * --now or the clock. The arrays are allocated (build_settings_dispose). */
void build_settings_from_job(struct build_settings *s, const struct app_job *cfg);
void build_settings_dispose(struct build_settings *s);

struct build_loading;         /* a baseline being read on its own thread */
struct build_inputs {
    struct ruleset *rs;
    struct rule_expr *where;    /* --where, compiled against 'rs'; NULL without */
    struct build_loading *base; /* NULL without a baseline; see build_join_baseline */
};

/* Load and compile the rules, waivers and --set values, check the
 * waivers' horizon, compile --where, and start reading the baseline on
 * its own thread (once the rest has loaded): reading a 200 MB baseline
 * takes about as long as evaluating 100,000 images, so the two overlap.
 * Returns EXIT_OK with 'in' filled, or the exit code (EXIT_USAGE) with
 * every problem in 'd'; the baseline's own errors come from
 * build_join_baseline(). */
int build_load(const struct build_settings *s, struct build_inputs *in, struct diags *d);
/* Wait for the baseline build_load() started: EXIT_OK (also without a
 * baseline), or the code build_baseline_wait() gives, with its
 * diagnostics appended to 'd' by the first call only; later calls give
 * the same code. build_report() calls it after evaluating and before
 * comparing; call it first where a failed baseline must stop what
 * follows (a pull). On the thread that called build_load(), with its
 * settings (their now is the run's, for the baseline's date check). */
int build_join_baseline(const struct build_settings *s, const struct build_inputs *in,
                        struct diags *d);
/* Waits for the baseline too. */
void build_inputs_dispose(struct build_inputs *in);

/* A baseline (or diff's OLD), called 'name' in reports, read on a thread of
 * its own from build_baseline_start() on ('hash': baseline_load's).
 * build_baseline_wait() waits for it and checks that it can be compared with
 * a run as of 'now' (one from the future is a usage error): EXIT_OK, or
 * EXIT_DATA (unreadable) or EXIT_USAGE, the first call adding its
 * diagnostics to 'd' and later ones giving the same code.
 * build_baseline_of(): the baseline, after a wait that gave EXIT_OK.
 * build_baseline_free() waits if need be and drops diagnostics not yet taken
 * (accepts NULL). One caller thread. */
struct build_loading *build_baseline_start(const char *path, const char *name, bool hash);
int build_baseline_wait(struct build_loading *l, int64_t now, struct diags *d);
struct baseline *build_baseline_of(const struct build_loading *l);
/* How long reading it took, once build_baseline_wait() has returned. */
double build_baseline_seconds(const struct build_loading *l);
void build_baseline_free(struct build_loading *l);
/* Compare 'rep' (evaluated, before report_finish) with baseline 'b'
 * (baseline_apply's 'flags' and 'jobs'), printing its warnings on stderr
 * unless 'quiet'. EXIT_OK, or EXIT_DATA or EXIT_WRITE with the error in
 * 'd'. */
int build_apply_baseline(struct report *rep, struct baseline *b, unsigned flags, unsigned jobs,
                         bool quiet, struct diags *d);

/* What the records file turned out to be, for evidence bundles. */
struct build_records {
    char *provenance_path;      /* the provenance looked for; NULL for standard input */
    bool has_provenance;        /* a provenance file was there (valid or not) */
    struct buf provenance_raw;  /* its bytes, when there */
    char sha256[SHA256_HEX_LEN];/* of the records read */
    enum report_provenance status;
};
void build_records_dispose(struct build_records *r);

/* Evaluate the records file 'records' ("-" = standard input) with 'in'
 * into 'rep' (fresh from report_init), with its provenance as described
 * above, compare with the baseline and report_finish(). 'eo' says how
 * (threads, progress; app/evaluate.h), which never changes the report;
 * NULL: one thread per usable CPU, no progress. Returns EXIT_OK or EXIT_DATA
 * (malformed input, unreadable provenance), with the reasons in 'd'.
 * A baseline that fails (build_join_baseline) wins over the records:
 * its code and diagnostics alone, as if the records had not been read.
 * 'rec' is filled as far as it got; dispose it always. */
int build_report(const struct build_settings *s, const struct build_inputs *in,
                 const char *records, const struct evaluate_opts *eo, struct report *rep,
                 struct build_records *rec, struct diags *d);
/* The same for the images 'sel' selects (app/select.h: one part of
 * --split-by); build_report() selects by --where alone. */
int build_report_sel(const struct build_settings *s, const struct build_inputs *in,
                     const char *records, const struct evaluate_opts *eo,
                     const struct selection *sel, struct report *rep,
                     struct build_records *rec, struct diags *d);

#endif

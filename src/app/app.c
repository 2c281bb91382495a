/* SPDX-License-Identifier: MIT
 * `report`, `fetch`, `lint` and `diff`; see app.h. The report pipeline
 * itself is build.c (shared with verify.c); evidence bundles are
 * evidence.c. */
#include "app/app.h"
#include "app/outputs.h"
#include "app/pull.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/build.h"
#include "app/evaluate.h"
#include "app/evidence.h"
#include "app/runtimes.h"
#include "app/merge.h"
#include "app/split.h"
#include "render/html.h"
#include "render/render.h"
#include "report/baseline.h"
#include "report/reader.h"
#include "report/report.h"
#include "source/progress.h"
#include "source/provenance.h"
#include "util/exitcodes.h"
#include "util/atomicfile.h"
#include "util/filelabel.h"
#include "util/monotime.h"
#include "util/timefmt.h"
#include "util/tmpfile.h"
#include "util/xalloc.h"

/* The format of each -o, decided before any work so that a typo in an
 * output name costs nothing. */
static int resolve_formats(const struct app_job *cfg, enum format *fmts, struct diags *d)
{
    enum format forced = FMT_NONE;
    if (cfg->format) {
        forced = format_parse(cfg->format);
        if (forced == FMT_NONE) {
            diags_error(d, "--format: '%s' is not a report format (csv, xlsx, html, json, "
                        "sarif, junit)",
                        cfg->format);
            return -1;
        }
    }
    for (size_t i = 0; i < cfg->outputs.n; i++) {
        fmts[i] = forced != FMT_NONE ? forced : format_from_path(cfg->outputs.v[i]);
        if (fmts[i] == FMT_NONE) {
            diags_error(d, "-o %s: cannot tell the format from the name; use .csv, .xlsx, "
                        ".html, .json, .sarif or .junit.xml, or --format", cfg->outputs.v[i]);
            return -1;
        }
    }
    return 0;
}

/* The gate settings of 'cfg' into the model; 'keep' leaves the ones
 * that were not given as the model has them (diff: as in NEW.json). */
static void set_gates(struct report *rep, const struct app_job *cfg, bool keep)
{
    if (!keep || cfg->has_fail_on)
        rep->meta.fail_on = cfg->fail_on;
    if (!keep || cfg->has_fail_on_new)
        rep->meta.fail_on_new = cfg->fail_on_new;
    if (!keep || cfg->has_fail_on_expired_waivers)
        rep->meta.fail_on_expired_waivers = cfg->fail_on_expired_waivers;
    if (!keep || cfg->has_warn_expiring)
        rep->meta.warn_expiring_days = cfg->warn_expiring;
}

/* A temporary file of a `report` run (a snapshot pulled without
 * --save-snapshot, standard input kept for a bundle): a reserved name in
 * $TMPDIR, tracked so that Ctrl-C removes it, and removed when the
 * report is done. */
static char *temp_path(const char *prefix, struct diags *d)
{
    char *path = xasprintf("%s/%s-XXXXXX", tmpfile_dir(), prefix);
    int fd = mkstemp(path);
    if (fd < 0) {
        diags_error(d, "cannot create a temporary file in %s: %s", tmpfile_dir(),
                    strerror(errno));
        free(path);
        return NULL;
    }
    close(fd);
    atomic_track(path);
    return path;
}

static int pull_exit_code(int rc)
{
    switch (rc) {
    case PULL_OK: return EXIT_OK;
    case PULL_USAGE: return EXIT_USAGE;
    case PULL_WRITE: return EXIT_WRITE;
    default: return EXIT_DATA;
    }
}

/* An output as the summary names it. */
static const char *out_name(const char *path)
{
    return strcmp(path, "-") == 0 ? "standard output" : path;
}

/* The exit code of a run that built 'rep' and wrote its reports (or
 * not): a report that could not be written (4) outranks a failed gate
 * (1), which outranks incomplete data (3). --allow-incomplete lets the
 * reports be written; it does not make incomplete data a success (the
 * gate is INCOMPLETE, never PASS). */
static int run_exit_code(bool written, const struct report *rep)
{
    if (!written)
        return EXIT_WRITE;
    if (rep->meta.gate == GATE_FAIL)
        return EXIT_GATE;
    return rep->meta.complete ? EXIT_OK : EXIT_DATA;
}

/* The run's threads, for evaluating and for writing the reports:
 * --jobs, else one per usable CPU (util/cpus.h). */
static unsigned run_jobs(const struct app_job *cfg)
{
    return cfg->has_jobs ? (unsigned)cfg->jobs : evaluate_default_jobs();
}

/* Write the run's -o reports and, with an evidence bundle, the bundle's
 * copies of them, all in one all-or-nothing batch (render.h), so the
 * bundle holds exactly the bytes the run wrote: each is copied from the
 * run's report once that is complete (render_job.same_as), not written
 * twice. '*companion' is the file
 * a cut HTML page names (render_companion of the run's own reports).
 * 't' (--verbose's, or NULL) gets when the writing began and ended and
 * how long each -o took. Returns true when every report was written. */
static bool write_reports(const struct app_job *cfg, const enum format *fmts,
                          const struct report *rep, struct evidence *ev,
                          const char **companion, struct progress *prog, struct run_times *t,
                          struct diags *d)
{
    size_t n = cfg->outputs.n, total = n;
    struct render_job *jobs = xcalloc(2 * n + 1, sizeof *jobs);
    for (size_t i = 0; i < n; i++)
        jobs[i] = (struct render_job){fmts[i], cfg->outputs.v[i], 0};
    *companion = render_companion(jobs, n);
    for (size_t i = 0; ev && i < n; i++)
        jobs[total++] = (struct render_job){fmts[i], evidence_report(ev, cfg->outputs.v[i], fmts[i]),
                                            i + 1};     /* the same bytes: copied */
    struct render_opts ro = RENDER_OPTS_INIT;
    ro.template_path = cfg->template_path;
    ro.html_max_findings = (size_t)cfg->html_max_findings;
    ro.full_findings_path = *companion;
    ro.jobs = run_jobs(cfg);
    if (t) {
        ro.seconds = t->write_s = xcalloc(total + 1, sizeof *t->write_s);
        t->outputs = cfg->outputs.v;
        t->evaluated = monotime_s();
    }
    if (prog && total)
        progress_note(prog, "writing reports...");
    bool written = (size_t)render_reports(rep, jobs, total, &ro, d) == total;
    free(jobs);
    if (prog)
        progress_clear(prog);
    if (t) {
        t->written = written ? monotime_s() : 0;
        t->n_outputs = written ? n : 0;
    }
    return written;
}

/* The size of the records, for the progress line's ETA: a regular
 * file's (standard input too, when it is one), else 0 (not known). */
static uint64_t input_size(const char *path)
{
    struct stat st;
    int rc = strcmp(path, "-") == 0 ? fstat(STDIN_FILENO, &st) : stat(path, &st);
    return rc == 0 && S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
}

struct eval_progress {
    struct progress *p;
    uint64_t size;              /* of the records, 0 if not known */
};

/* evaluate_input()'s progress: by bytes when the size of the records is
 * known, else by total_num when a response body declared it. */
static void on_eval_progress(void *ctx, size_t records, const struct input_info *info)
{
    const struct eval_progress *ep = ctx;
    uint64_t done = 0, total = 0;
    if (ep->size) {
        done = info->bytes;
        total = ep->size;
    } else if (info->has_total && info->total_num > 0) {
        done = records;
        total = (uint64_t)info->total_num;
    }
    progress_update_eval(ep->p, records, done, total, false);
}

/* What a run wrote besides its reports, for the summary. */
struct written_extra {
    const char *snapshot;       /* --save-snapshot */
    const char *provenance;     /* beside it */
    const char *evidence;       /* the bundle's folder */
};

/* The human summary and the list of what was written: never into a
 * report on standard output (-o -). */
static void print_summary(const struct app_job *cfg, const struct report *rep, bool written,
                          const struct written_extra *x)
{
    if (cfg->quiet)
        return;
    FILE *out = app_summary_stream(cfg);
    render_summary(rep, out);
    size_t n = written ? cfg->outputs.n : 0;
    if (n || x->snapshot || x->evidence) {
        fputs("\nReports:\n", out);
        for (size_t i = 0; i < n; i++)
            fprintf(out, "  %s\n", out_name(cfg->outputs.v[i]));
        if (x->snapshot)
            fprintf(out, "  %s (snapshot)\n", out_name(x->snapshot));
        if (x->provenance)
            fprintf(out, "  %s (its provenance)\n", x->provenance);
        if (x->evidence)
            fprintf(out, "  %s/ (evidence bundle)\n", x->evidence);
    }
}

/* Copy standard input ("-") or a stream (a FIFO) into 'path', so that
 * an evidence bundle can keep the records it evaluates and the parts of
 * --split-by can read them again. Returns 0, or -1 with an error in 'd'. */
static int spool_stdin(const char *from, const char *path, struct diags *d)
{
    bool std = strcmp(from, "-") == 0;
    FILE *in = std ? stdin : fopen(from, "rb");
    if (!in) {
        diags_add(d, DIAG_ERROR, from, 0, 0, 0, NULL, "cannot read: %s", strerror(errno));
        return -1;
    }
    FILE *out = fopen(path, "wb");
    if (!out) {
        diags_add(d, DIAG_ERROR, path, 0, 0, 0, NULL, "cannot write: %s", strerror(errno));
        if (!std)
            fclose(in);
        return -1;
    }
    char chunk[65536];
    size_t n;
    int bad = 0;
    while (!bad && (n = fread(chunk, 1, sizeof chunk, in)) > 0)
        bad = fwrite(chunk, 1, n, out) != n;
    int rerr = ferror(in);
    if (!std)
        fclose(in);
    if (rerr) {
        diags_add(d, DIAG_ERROR, std ? "<stdin>" : from, 0, 0, 0, NULL, "cannot read: %s",
                  strerror(errno));
        bad = 1;
    } else if (fclose(out) != 0 || bad) {
        diags_add(d, DIAG_ERROR, path, 0, 0, 0, NULL, "cannot write: %s", strerror(errno));
        return -1;
    } else {
        return 0;
    }
    fclose(out);
    return -1;
}

/* The records of a `report` run: a file (--input), standard input
 * spooled into a temporary file (for a bundle), or a pull into the
 * snapshot (a temporary one without --save-snapshot). */
struct records {
    const char *path;           /* what build_report reads */
    const char *from;           /* "file", "standard input", "pull" */
    char *temp;                 /* a temporary file of ours, removed at the end */
    char *temp_provenance;      /* beside it, after a pull */
    struct pull_result pr;
    bool pulled;
};

/* The records are the --input file as it is: get_records() has nothing
 * to do. */
static bool records_ready(const struct app_job *cfg, bool spool)
{
    if (!cfg->input)
        return false;
    /* --split-by reads the records once per part: a stream too. */
    bool stream = strcmp(cfg->input, "-") == 0 || (cfg->split_by && !atomic_replaces(cfg->input));
    return !spool || !stream;
}

static int get_records(const struct app_job *cfg, bool spool, struct records *r,
                       struct diags *d)
{
    memset(r, 0, sizeof *r);
    r->path = cfg->input;
    r->from = cfg->input && strcmp(cfg->input, "-") == 0 ? "standard input" : "file";
    if (cfg->input) {
        if (records_ready(cfg, spool))
            return EXIT_OK;
        if (!(r->path = r->temp = temp_path("imgaudit-stdin", d)))
            return EXIT_WRITE;
        return spool_stdin(cfg->input, r->temp, d) < 0 ? EXIT_DATA : EXIT_OK;
    }
    /* Pull into a snapshot, then evaluate it exactly as --input would. A
     * snapshot kept in a FIFO, a device or standard output cannot be read
     * back: pull into a temporary one, copied there below. */
    r->from = "pull";
    r->path = cfg->save_snapshot;
    if (r->path && !atomic_replaces(r->path))
        r->path = NULL;
    if (!r->path) {
        if (!(r->path = r->temp = temp_path("imgaudit-snapshot", d)))
            return EXIT_WRITE;
        /* Its provenance goes beside it: the signal handler removes that too. */
        r->temp_provenance = provenance_path(r->temp);
        atomic_track(r->temp_provenance);
    }
    int rc = app_pull(&cfg->pull, r->path, &r->pr, d);
    r->pulled = true;
    if (rc != PULL_OK)
        return pull_exit_code(rc);
    if (cfg->save_snapshot && r->path == r->temp &&
        atomic_copy_file(r->temp, cfg->save_snapshot, d) < 0)
        return EXIT_WRITE;
    return EXIT_OK;
}

static void records_dispose(struct records *r)
{
    if (r->pulled)
        pull_result_dispose(&r->pr);
    char *temps[2] = {r->temp, r->temp_provenance};
    for (int i = 0; i < 2; i++)
        if (temps[i]) {
            unlink(temps[i]);
            atomic_untrack(temps[i]);
            free(temps[i]);
        }
    memset(r, 0, sizeof *r);
}

/* --where and --split-by: checked before any work. */
static int check_scope_opts(const struct app_job *cfg, struct diags *d)
{
    if (cfg->input && cfg->pull.filters.n) {
        const char *f = cfg->pull.filters.v[0], *eq = strchr(f, '=');
        diags_error(d, "--filter %s is a query to the API and there is none with --input; "
                    "select images with --where, e.g. --where '%.*s == \"%s\"'", f,
                    (int)strcspn(f, "="), f, eq ? eq + 1 : "");
        return -1;
    }
    if (!cfg->split_by)
        return 0;
    if (cfg->evidence_dir) {
        diags_error(d, "--split-by with --evidence-dir: a bundle holds one run's reports, not "
                    "the parts; make the bundle in a run without --split-by");
        return -1;
    }
    return split_check(cfg->split_by, cfg->outputs.v, cfg->outputs.n, d);
}

/* One part of --split-by (split.h): the run's records again, with the
 * part's key in the selection. */
struct part_ctx {
    struct build_settings s;    /* the run's, quiet: its warnings were said once */
    const struct build_inputs *in;
    const char *records;
    struct evaluate_opts eo;    /* the run's threads */
};

static int build_part(void *ctx, struct report *rep, const struct selection *sel,
                      struct diags *d)
{
    const struct part_ctx *c = ctx;
    struct build_records rec;
    report_init(rep);
    int code = build_report_sel(&c->s, c->in, c->records, &c->eo, sel, rep, &rec, d);
    build_records_dispose(&rec);
    return code;
}

/* --split-by: the combined reports, every part's and the index. The
 * parts' file names are known once the combined report is; they must not
 * overwrite an input or another output either. Returns an exit code. */
static int write_split(const struct app_job *cfg, const enum format *fmts,
                       const struct report *rep, struct part_ctx *pc,
                       const struct written_extra *x, struct diags *d)
{
    struct render_job *jobs = xcalloc(cfg->outputs.n + 1, sizeof *jobs);
    for (size_t i = 0; i < cfg->outputs.n; i++)
        jobs[i] = (struct render_job){fmts[i], cfg->outputs.v[i], 0};
    struct split_plan plan;
    split_plan_make(&plan, cfg->split_by, rep, jobs, cfg->outputs.n);
    size_t n = 0;
    const char **paths = xcalloc(plan.n_parts * plan.n_jobs + 3, sizeof *paths);
    paths[n++] = plan.index_html;
    paths[n++] = plan.index_json;
    for (size_t i = 0; i < plan.n_parts; i++)
        for (size_t j = 0; j < plan.n_jobs; j++)
            paths[n++] = plan.parts[i].paths[j];
    int code = EXIT_USAGE;
    if (app_check_more_outputs(cfg, "--split-by", paths, n, d) == 0) {
        struct render_opts ro = RENDER_OPTS_INIT;
        ro.template_path = cfg->template_path;
        ro.html_max_findings = (size_t)cfg->html_max_findings;
        ro.jobs = run_jobs(cfg);
        struct split_run sr = {build_part, pc, pc->in->where, pc->s.now_ms, &ro,
                               cfg->quiet ? NULL : app_summary_stream(cfg), x->snapshot,
                               x->provenance};
        code = split_write(&plan, &sr, rep, jobs, d);
    }
    free(paths);
    split_plan_dispose(&plan);
    free(jobs);
    return code;
}

/* Does the run write a full report (render.h: format_is_full), or an
 * evidence bundle ('evidence'), which holds the JSON report and records
 * both hashes? */
static bool reports_full(const struct app_job *cfg, const enum format *fmts, bool evidence)
{
    bool any = evidence;
    for (size_t i = 0; i < cfg->outputs.n; i++)
        any |= format_is_full(fmts[i]);
    return any;
}

int app_report(const struct app_job *cfg, struct diags *d)
{
    int64_t started = time_now_ms();
    struct run_times times = run_times_begin(run_jobs(cfg));
    if (cfg->rules.n == 0) {
        diags_error(d, "report needs at least one --rules FILE (try rules/default.yaml)");
        return EXIT_USAGE;
    }
    if (cfg->input && cfg->save_snapshot) {
        diags_error(d, "--save-snapshot keeps pulled records; with --input there is no pull");
        return EXIT_USAGE;
    }
    if (cfg->sign_key && !cfg->evidence_dir) {
        diags_error(d, "--sign-key signs an evidence bundle: add --evidence-dir DIR");
        return EXIT_USAGE;
    }
    if (check_scope_opts(cfg, d) < 0)
        return EXIT_USAGE;
    enum format *fmts = xcalloc(cfg->outputs.n + 1, sizeof *fmts);
    struct evidence *ev = NULL;
    if (app_check_outputs(cfg, d) < 0 || resolve_formats(cfg, fmts, d) < 0 ||
        (cfg->template_path && html_template_check(cfg->template_path, d) < 0) ||
        (cfg->evidence_dir && evidence_open(&ev, cfg->evidence_dir, cfg->sign_key, d) < 0)) {
        free(fmts);
        return EXIT_USAGE;
    }
    /* Rules, waivers, --where and the baseline first: a typo in any of
     * them must not cost a pull. */
    struct build_settings s;
    build_settings_from_job(&s, cfg);
    /* What no report shows is not computed: hashing is about a tenth of
     * a CSV run's CPU. The summary shows the records' SHA-256. */
    bool full = reports_full(cfg, fmts, ev != NULL);
    s.skip_baseline_hash = !full;
    s.skip_records_hash = !full && cfg->quiet;
    /* Nor are resolved findings read again that no report lists (the
     * summary's counts are the same), nor the images' other fields kept.
     * A split keeps a part's images and resolved findings by a field of
     * their image, so it needs both. */
    s.findings_only = !full && !cfg->split_by;
    struct build_inputs in;
    struct records recs;
    memset(&recs, 0, sizeof recs);
    struct build_records rec;
    memset(&rec, 0, sizeof rec);
    struct report rep;
    report_init(&rep);
    struct progress prog;
    progress_init(&prog, true);     /* nothing to show before evaluation */
    int code = build_load(&s, &in, d);
    if (code != EXIT_OK)
        goto done;
    times.loaded = monotime_s();
    /* The baseline is read while the records are evaluated, but a pull
     * or a spool of standard input waits for it: a broken baseline must
     * not cost them. */
    bool spool = ev != NULL || cfg->split_by;
    if (!records_ready(cfg, spool) && (code = build_join_baseline(&s, &in, d)) != EXIT_OK)
        goto done;
    if ((code = get_records(cfg, spool, &recs, d)) != EXIT_OK)
        goto done;
    times.records_ready = monotime_s();
    times.records_how = recs.pulled ? "pulled" : recs.temp ? "copied to a temporary file" : NULL;
    struct evaluate_opts eo = EVALUATE_OPTS_INIT;
    eo.jobs = times.jobs;
    eo.times = &times.phases;
    /* The reference decoder, for tests that compare the two. */
    const char *dec = getenv("IMGAUDIT_DECODER");
    eo.jansson = dec && strcmp(dec, "jansson") == 0;
    struct eval_progress ep = {&prog, input_size(recs.path)};
    progress_init(&prog, cfg->quiet);
    eo.progress = on_eval_progress;
    eo.progress_ctx = &ep;
    if ((code = build_report(&s, &in, recs.path, &eo, &rep, &rec, d)) != EXIT_OK)
        goto done;
    if (cfg->split_by) {
        progress_clear(&prog);
        struct part_ctx pc = {s, &in, recs.path, eo};
        pc.s.quiet = true;
        pc.eo.progress = NULL;      /* one progress line: the combined report's */
        pc.eo.times = NULL;         /* --verbose times the combined report only */
        struct written_extra x = {
            cfg->save_snapshot, recs.pulled && !recs.temp ? recs.pr.provenance_path : NULL, NULL,
        };
        times.evaluated = monotime_s();
        code = write_split(cfg, fmts, &rep, &pc, &x, d);
        times.written = code == EXIT_WRITE || code == EXIT_USAGE ? 0 : monotime_s();
        if (cfg->verbose)
            run_times_print(stderr, &times, &rep);
        goto done;
    }

    if (ev && evidence_begin(ev, d) < 0) {
        code = EXIT_WRITE;
        goto done;
    }
    const char *companion = NULL;
    bool written = write_reports(cfg, fmts, &rep, ev, &companion, &prog,
                                 cfg->verbose ? &times : NULL, d);
    code = run_exit_code(written, &rep);
    if (ev && written) {
        struct evidence_run run = {
            .cfg = cfg, .settings = &s, .rs = in.rs, .records_path = recs.path,
            .records_from = recs.from, .records = &rec, .pull = recs.pulled ? &recs.pr : NULL,
            .companion = companion, .rep = &rep, .started_ms = started, .exit_code = code,
        };
        if (evidence_finish(ev, &run, d) < 0)
            code = EXIT_WRITE;
    }
    if (cfg->verbose) {
        progress_clear(&prog);
        run_times_print(stderr, &times, &rep);
    }
    struct written_extra x = {
        cfg->save_snapshot, recs.pulled && !recs.temp ? recs.pr.provenance_path : NULL,
        evidence_path(ev),
    };
    print_summary(cfg, &rep, written, &x);
done:
    run_times_dispose(&times);
    progress_clear(&prog);
    records_dispose(&recs);
    build_records_dispose(&rec);
    report_dispose(&rep);
    build_inputs_dispose(&in);
    build_settings_dispose(&s);
    evidence_free(ev);
    free(fmts);
    return code;
}

/* The options and outputs of diff and merge, checked before any work:
 * the outputs' formats (free them), or NULL after a usage error. */
static enum format *check_outputs(const struct app_job *cfg, struct diags *d)
{
    enum format *fmts = xcalloc(cfg->outputs.n + 1, sizeof *fmts);
    if (app_check_outputs(cfg, d) < 0 || resolve_formats(cfg, fmts, d) < 0 ||
        (cfg->template_path && html_template_check(cfg->template_path, d) < 0)) {
        free(fmts);
        return NULL;
    }
    return fmts;
}

/* Write the -o reports of a report read back (diff, merge) and print the
 * summary. Returns the exit code. */
static int finish_reports(const struct app_job *cfg, const enum format *fmts,
                          const struct report *rep, struct run_times *t, struct diags *d)
{
    const char *companion;
    bool written = write_reports(cfg, fmts, rep, NULL, &companion, NULL, t, d);
    if (t)
        run_times_print_writing(stderr, t);
    struct written_extra none = {NULL, NULL, NULL};
    print_summary(cfg, rep, written, &none);
    return run_exit_code(written, rep);
}

/* diff OLD.json NEW.json: NEW's report, compared with OLD as --baseline
 * would have, without evaluating anything again. */
int app_diff(const struct app_job *cfg, struct diags *d)
{
    if (cfg->args.n != 2) {
        diags_error(d, "diff needs two saved JSON reports: OLD.json NEW.json");
        return EXIT_USAGE;
    }
    enum format *fmts = check_outputs(cfg, d);
    if (!fmts)
        return EXIT_USAGE;
    struct report rep;
    report_init(&rep);
    struct run_times times = run_times_begin(run_jobs(cfg));
    int code = EXIT_DATA;
    const char *old = cfg->args.v[0];
    bool full = reports_full(cfg, fmts, false);
    /* OLD is read while NEW is; an error in NEW is still the only one. */
    struct build_loading *base = build_baseline_start(old, file_label(old), full);
    /* NEW's images and findings to disk as it is read (reader.h). */
    int rc = report_read_json(&rep, cfg->args.v[1], REPORT_READ_SPILL, d);
    double read = monotime_s();
    if (rc == -2)
        code = EXIT_WRITE;
    if (rc == 0 && (code = build_baseline_wait(base, rep.meta.now_ms, d)) == EXIT_OK) {
        double waited = monotime_s();
        set_gates(&rep, cfg, true);
        unsigned flags = full ? 0 : BASELINE_COUNT_RESOLVED;
        code = build_apply_baseline(&rep, build_baseline_of(base), flags, run_jobs(cfg),
                                    cfg->quiet, d);
        if (code == EXIT_OK) {
            report_finish(&rep);
            times.phases = (struct phase_times){.evaluate = read - times.started,
                                                .baseline_read = build_baseline_seconds(base),
                                                .baseline_wait = waited - read,
                                                .compare = monotime_s() - waited};
            if (cfg->verbose)
                run_times_print_diff(stderr, &times, cfg->args.v[1], old, &rep);
            code = finish_reports(cfg, fmts, &rep, cfg->verbose ? &times : NULL, d);
        }
    }
    build_baseline_free(base);
    run_times_dispose(&times);
    report_dispose(&rep);
    free(fmts);
    return code;
}

/* merge A.json B.json ...: one organisation report (merge.h). */
int app_merge(const struct app_job *cfg, struct diags *d)
{
    if (cfg->args.n == 0) {
        diags_error(d, "merge needs the JSON reports to combine: A.json B.json ...");
        return EXIT_USAGE;
    }
    enum format *fmts = check_outputs(cfg, d);
    if (!fmts)
        return EXIT_USAGE;
    struct report rep;
    report_init(&rep);
    set_gates(&rep, cfg, false);
    struct run_times times = run_times_begin(run_jobs(cfg));
    int code = merge_reports(&rep, cfg->args.v, cfg->args.n, cfg->allow_mixed_rules, d);
    times.phases.evaluate = monotime_s() - times.started;
    if (code == EXIT_OK && cfg->verbose)
        run_times_print_merge(stderr, &times, cfg->args.n, &rep);
    if (code == EXIT_OK)
        code = finish_reports(cfg, fmts, &rep, cfg->verbose ? &times : NULL, d);
    run_times_dispose(&times);
    report_dispose(&rep);
    free(fmts);
    return code;
}

/* fetch: the pull alone (issue 3). Wired by the API client's owner,
 * kept minimal: everything lives in app/pull.c. */
int app_fetch(const struct app_job *cfg, struct diags *d)
{
    if (cfg->outputs.n != 1) {
        diags_error(d, "fetch needs exactly one -o FILE (the snapshot, JSON Lines)");
        return EXIT_USAGE;
    }
    if (app_check_outputs(cfg, d) < 0)
        return EXIT_USAGE;
    struct pull_result res;
    int rc = app_pull(&cfg->pull, cfg->outputs.v[0], &res, d);
    /* A snapshot kept by --allow-incomplete is still incomplete data:
     * exit 3, so that a pipeline does not go on as if it were whole. */
    bool partial = rc == PULL_OK && !res.complete;
    pull_result_dispose(&res);
    return partial ? EXIT_DATA : pull_exit_code(rc);
}

int app_lint(const struct app_job *cfg, struct diags *d)
{
    if (cfg->args.n == 0) {
        diags_error(d, "lint needs one or more rule or waiver files");
        return EXIT_USAGE;
    }
    struct build_settings s;
    build_settings_from_job(&s, cfg);
    struct build_inputs in;
    int code = build_load(&s, &in, d);
    build_settings_dispose(&s);
    if (code != EXIT_OK)
        return code;
    if (!cfg->quiet) {
        for (size_t i = 0; i < cfg->args.n; i++)
            printf("%s: ok\n", cfg->args.v[i]);
        for (size_t i = 0; i < cfg->waivers.n; i++)
            printf("%s: ok\n", cfg->waivers.v[i]);
    }
    build_inputs_dispose(&in);
    return EXIT_OK;
}

/* SPDX-License-Identifier: MIT
 * `report`, `fetch` and `lint`; see app.h. */
#include "app/app.h"
#include "app/outputs.h"
#include "app/pull.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/evaluate.h"
#include "render/html.h"
#include "render/render.h"
#include "report/baseline.h"
#include "report/reader.h"
#include "report/report.h"
#include "rules/rules.h"
#include "source/input.h"
#include "util/exitcodes.h"
#include "util/hash.h"
#include "util/atomicfile.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

/* Load, override and compile the rules named in 'files' and the waivers
 * in 'waivers'. Returns the compiled rule set, or NULL with every
 * problem in 'd'. */
static struct ruleset *load_rules(const struct str_list *files, const struct str_list *waivers,
                                  const struct str_list *sets, struct diags *d)
{
    struct ruleset *rs = ruleset_new();
    int bad = 0;
    for (size_t i = 0; i < files->n; i++)
        bad |= ruleset_add_file(rs, files->v[i], d) < 0;
    for (size_t i = 0; i < waivers->n; i++)
        bad |= ruleset_add_waiver_file(rs, waivers->v[i], d) < 0;
    for (size_t i = 0; i < sets->n; i++) {
        const char *eq = strchr(sets->v[i], '=');
        if (!eq || eq == sets->v[i]) {
            diags_error(d, "--set '%s': expected NAME=VALUE", sets->v[i]);
            bad = 1;
            continue;
        }
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)(eq - sets->v[i]), sets->v[i]);
        bad |= ruleset_set_param(rs, name, eq + 1, d) < 0;
    }
    /* Compile even after errors: type errors and bad regexes in the rules
     * that did load are reported in the same run, not one fix later. */
    bad |= ruleset_compile(rs, d) < 0;
    if (bad) {
        ruleset_free(rs);
        return NULL;
    }
    return rs;
}

/* The format of each -o, decided before any work so that a typo in an
 * output name costs nothing. */
static int resolve_formats(const struct cli_config *cfg, enum format *fmts, struct diags *d)
{
    enum format forced = FMT_NONE;
    if (cfg->format) {
        forced = format_parse(cfg->format);
        if (forced == FMT_NONE) {
            diags_error(d, "--format: '%s' is not a report format (csv, xlsx, html, json)",
                        cfg->format);
            return -1;
        }
    }
    for (size_t i = 0; i < cfg->outputs.n; i++) {
        fmts[i] = forced != FMT_NONE ? forced : format_from_path(cfg->outputs.v[i]);
        if (fmts[i] == FMT_NONE) {
            diags_error(d, "-o %s: cannot tell the format from the name; use .csv, .xlsx, "
                        ".html or .json, or --format", cfg->outputs.v[i]);
            return -1;
        }
    }
    return 0;
}

/* Options of report and diff that are checked before any work. */
static int check_report_opts(const struct cli_config *cfg, struct diags *d)
{
    if (cfg->html_max_findings < 0) {
        diags_error(d, "--html-max-findings: %ld is negative (0 lists every finding)",
                    cfg->html_max_findings);
        return -1;
    }
    if (cfg->has_warn_expiring && cfg->warn_expiring < 0) {
        diags_error(d, "--warn-expiring: %ld is negative (0 flags none)", cfg->warn_expiring);
        return -1;
    }
    if (cfg->has_max_waiver_days && cfg->max_waiver_days < 1) {
        diags_error(d, "--max-waiver-days: %ld is not a positive number of days",
                    cfg->max_waiver_days);
        return -1;
    }
    return 0;
}

/* The gate settings of 'cfg' into the model; 'keep' leaves the ones
 * that were not given as the model has them (diff: as in NEW.json). */
static void set_gates(struct report *rep, const struct cli_config *cfg, bool keep)
{
    if (!keep || cfg->has_fail_on)
        rep->meta.fail_on = cfg->has_fail_on ? cfg->fail_on : -1;
    if (!keep || cfg->has_fail_on_new)
        rep->meta.fail_on_new = cfg->has_fail_on_new ? cfg->fail_on_new : -1;
    if (!keep || cfg->has_fail_on_expired_waivers)
        rep->meta.fail_on_expired_waivers = cfg->fail_on_expired_waivers;
    if (!keep || cfg->has_warn_expiring)
        rep->meta.warn_expiring_days = cfg->has_warn_expiring ? cfg->warn_expiring : 14;
}

/* Load --baseline (or diff's OLD) and check it can be compared with a
 * run as of 'now': a baseline from the future is a usage error. Returns
 * an exit code. */
static int load_baseline(struct baseline **out, const char *path, int64_t now,
                         struct diags *d)
{
    if (baseline_load(out, path, d) < 0)
        return EXIT_DATA;
    int64_t then = baseline_meta(*out)->now_ms;
    if (then > now) {
        char a[TIME_ISO_MAX], b[TIME_ISO_MAX];
        time_format_iso(then, a);
        time_format_iso(now, b);
        diags_error(d, "%s: the baseline was evaluated as of %s, later than this run's %s; "
                    "pass the earlier report as --baseline, or set --now", path, a, b);
        baseline_free(*out);
        *out = NULL;
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* Compare with the baseline and say on stderr what does not match. */
static void apply_baseline(struct report *rep, const struct baseline *b, bool quiet)
{
    size_t before = rep->meta.n_warnings;
    baseline_apply(b, rep);
    if (!quiet)
        for (size_t i = before; i < rep->meta.n_warnings; i++)
            fprintf(stderr, "imgaudit: warning: %s\n", rep->meta.warnings[i]);
}

/* The temporary snapshot of a `report` that pulls without
 * --save-snapshot: a reserved name in $TMPDIR, tracked so that Ctrl-C
 * removes it, and removed when the report is done. */
static char *temp_snapshot_path(struct diags *d)
{
    const char *dir = getenv("TMPDIR");
    char *path = xasprintf("%s/imgaudit-snapshot-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) {
        diags_error(d, "cannot create a temporary snapshot in %s: %s",
                    dir && *dir ? dir : "/tmp", strerror(errno));
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

/* Report metadata for records read from a file. */
static void meta_from_input(struct report *rep, const char *path, const struct input_info *info)
{
    rep->meta.source_kind = "file";
    rep->meta.input_path = report_str(rep, path);
    rep->meta.input_format = input_format_name(info->format);
    rep->meta.has_total = info->has_total;
    rep->meta.total_num = info->total_num;
    rep->meta.records_received = info->records;
    snprintf(rep->meta.source_sha256, SHA256_HEX_LEN, "%s", info->sha256);
}

/* Report metadata for records pulled from the API. */
static void meta_from_pull(struct report *rep, const struct pull_result *pr)
{
    struct report_meta *m = &rep->meta;
    m->source_kind = "api";
    m->endpoint = report_str(rep, pr->endpoint);
    m->region = report_str(rep, pr->region);
    m->project_id = report_str(rep, pr->project_id);
    m->enterprise_project_id = report_str(rep, pr->enterprise_project_id);
    const char **filters = xcalloc(pr->n_filters + 1, sizeof *filters);
    for (size_t i = 0; i < pr->n_filters; i++)
        filters[i] = report_str(rep, pr->filters[i]);
    m->filters = filters;
    m->n_filters = pr->n_filters;
    m->has_total = pr->total_num >= 0;
    m->total_num = pr->total_num;
    m->records_received = pr->records_received;
    m->duplicates_dropped = pr->duplicates_dropped;
    m->pages = pr->pages;
    m->retries = pr->retries;
    snprintf(m->source_sha256, SHA256_HEX_LEN, "%s", pr->snapshot_sha256);
    m->complete = pr->complete;
    m->expected_records = pr->expected_records;
}

/* An output as the summary names it. */
static const char *out_name(const char *path)
{
    return strcmp(path, "-") == 0 ? "standard output" : path;
}

/* Write every -o report of 'rep', print the summary, and return the
 * exit code: a report that could not be written (4) outranks a failed
 * gate (1). 'fmts' comes from resolve_formats(). */
static int write_reports(const struct cli_config *cfg, enum format *fmts,
                         const struct report *rep, struct diags *d)
{
    struct render_opts ro = RENDER_OPTS_INIT;
    ro.template_path = cfg->template_path;
    ro.html_max_findings = (size_t)cfg->html_max_findings;
    /* All reports or none (render.h), so the list below names only
     * files that were written. */
    struct render_job *jobs = xcalloc(cfg->outputs.n + 1, sizeof *jobs);
    for (size_t i = 0; i < cfg->outputs.n; i++)
        jobs[i] = (struct render_job){fmts[i], cfg->outputs.v[i]};
    size_t written = (size_t)render_reports(rep, jobs, cfg->outputs.n, &ro, d);
    free(jobs);

    if (!cfg->quiet) {
        /* Never into a report on standard output (-o -). */
        FILE *out = app_summary_stream(cfg);
        render_summary(rep, out);
        if (written || cfg->save_snapshot) {
            fputs("\nReports:\n", out);
            for (size_t i = 0; i < written; i++)
                fprintf(out, "  %s\n", out_name(cfg->outputs.v[i]));
            if (cfg->save_snapshot)
                fprintf(out, "  %s (snapshot)\n", out_name(cfg->save_snapshot));
        }
    }
    if (written < cfg->outputs.n)
        return EXIT_WRITE;
    return rep->meta.gate == GATE_FAIL ? EXIT_GATE : EXIT_OK;
}

int app_report(const struct cli_config *cfg, struct diags *d)
{
    if (cfg->rules.n == 0) {
        diags_error(d, "report needs at least one --rules FILE (try rules/default.yaml)");
        return EXIT_USAGE;
    }
    if (cfg->input && cfg->save_snapshot) {
        diags_error(d, "--save-snapshot keeps pulled records; with --input there is no pull");
        return EXIT_USAGE;
    }
    if (check_report_opts(cfg, d) < 0)
        return EXIT_USAGE;
    enum format *fmts = xcalloc(cfg->outputs.n + 1, sizeof *fmts);
    if (app_check_outputs(cfg, d) < 0 || resolve_formats(cfg, fmts, d) < 0 ||
        (cfg->template_path && html_template_check(cfg->template_path, d) < 0)) {
        free(fmts);
        return EXIT_USAGE;
    }
    /* Rules, waivers and the baseline first: a typo in any of them must
     * not cost a pull. */
    int64_t now = cfg->has_now ? cfg->now : time_now_ms();
    struct ruleset *rs = load_rules(&cfg->rules, &cfg->waivers, &cfg->sets, d);
    if (rs && cfg->has_max_waiver_days &&
        ruleset_check_waiver_horizon(rs, now, cfg->max_waiver_days, d) < 0) {
        ruleset_free(rs);
        rs = NULL;
    }
    if (!rs) {
        free(fmts);
        return EXIT_USAGE;
    }
    struct baseline *base = NULL;
    if (cfg->baseline) {
        int bc = load_baseline(&base, cfg->baseline, now, d);
        if (bc != EXIT_OK) {
            ruleset_free(rs);
            free(fmts);
            return bc;
        }
    }

    struct report rep;
    report_init(&rep);
    /* With --now the whole report is a function of its inputs: the
     * generated-at time is --now too, so reruns are byte-identical. */
    rep.meta.now_ms = now;
    rep.meta.generated_at_ms = cfg->has_now ? now : time_now_ms();
    set_gates(&rep, cfg, false);
    report_set_rules(&rep, rs);

    int code = EXIT_OK;
    struct input *in = NULL;
    struct pull_result pr;
    bool pulled = false;
    char *temp_snapshot = NULL;
    const char *source = cfg->input;
    if (!source) {
        /* Pull into a snapshot, then evaluate it exactly as --input would. */
        source = cfg->save_snapshot;
        /* A snapshot kept in a FIFO, a device or standard output cannot
         * be read back: pull into a temporary one, copied there below. */
        if (source && !atomic_replaces(source))
            source = NULL;
        if (!source && !(source = temp_snapshot = temp_snapshot_path(d))) {
            code = EXIT_WRITE;
            goto done;
        }
        int rc = app_pull(cfg, source, &pr, d);
        pulled = true;
        if (rc != PULL_OK) {
            code = pull_exit_code(rc);
            goto done;
        }
        if (cfg->save_snapshot && source == temp_snapshot &&
            atomic_copy_file(temp_snapshot, cfg->save_snapshot, d) < 0) {
            code = EXIT_WRITE;
            goto done;
        }
    }
    if (input_open(&in, source, d) < 0 || evaluate_input(&rep, rs, in, now, d) < 0) {
        code = EXIT_DATA;
        goto done;
    }
    if (pulled)
        meta_from_pull(&rep, &pr);
    else
        meta_from_input(&rep, source, input_info(in));
    if (base)
        apply_baseline(&rep, base, cfg->quiet);
    report_finish(&rep);

    code = write_reports(cfg, fmts, &rep, d);
done:
    input_close(in);
    if (pulled)
        pull_result_dispose(&pr);
    if (temp_snapshot) {
        unlink(temp_snapshot);
        atomic_untrack(temp_snapshot);
        free(temp_snapshot);
    }
    report_dispose(&rep);
    ruleset_free(rs);
    baseline_free(base);
    free(fmts);
    return code;
}

/* diff OLD.json NEW.json: NEW's report, compared with OLD as --baseline
 * would have, without evaluating anything again. */
int app_diff(const struct cli_config *cfg, struct diags *d)
{
    if (cfg->args.n != 2) {
        diags_error(d, "diff needs two saved JSON reports: OLD.json NEW.json");
        return EXIT_USAGE;
    }
    if (check_report_opts(cfg, d) < 0)
        return EXIT_USAGE;
    enum format *fmts = xcalloc(cfg->outputs.n + 1, sizeof *fmts);
    if (app_check_outputs(cfg, d) < 0 || resolve_formats(cfg, fmts, d) < 0 ||
        (cfg->template_path && html_template_check(cfg->template_path, d) < 0)) {
        free(fmts);
        return EXIT_USAGE;
    }
    struct report rep;
    report_init(&rep);
    struct baseline *base = NULL;
    int code = EXIT_DATA;
    if (report_read_json(&rep, cfg->args.v[1], REPORT_READ_FULL, d) == 0 &&
        (code = load_baseline(&base, cfg->args.v[0], rep.meta.now_ms, d)) == EXIT_OK) {
        set_gates(&rep, cfg, true);
        apply_baseline(&rep, base, cfg->quiet);
        report_finish(&rep);
        code = write_reports(cfg, fmts, &rep, d);
    }
    baseline_free(base);
    report_dispose(&rep);
    free(fmts);
    return code;
}

/* fetch: the pull alone (issue 3). Wired by the API client's owner,
 * kept minimal: everything lives in app/pull.c. */
int app_fetch(const struct cli_config *cfg, struct diags *d)
{
    if (cfg->outputs.n != 1) {
        diags_error(d, "fetch needs exactly one -o FILE (the snapshot, JSON Lines)");
        return EXIT_USAGE;
    }
    if (app_check_outputs(cfg, d) < 0)
        return EXIT_USAGE;
    struct pull_result res;
    int rc = app_pull(cfg, cfg->outputs.v[0], &res, d);
    pull_result_dispose(&res);
    return pull_exit_code(rc);
}

int app_lint(const struct cli_config *cfg, struct diags *d)
{
    if (cfg->args.n == 0) {
        diags_error(d, "lint needs one or more rule or waiver files");
        return EXIT_USAGE;
    }
    struct ruleset *rs = load_rules(&cfg->args, &cfg->waivers, &cfg->sets, d);
    if (!rs)
        return EXIT_USAGE;
    if (!cfg->quiet) {
        for (size_t i = 0; i < cfg->args.n; i++)
            printf("%s: ok\n", cfg->args.v[i]);
        for (size_t i = 0; i < cfg->waivers.n; i++)
            printf("%s: ok\n", cfg->waivers.v[i]);
    }
    ruleset_free(rs);
    return EXIT_OK;
}

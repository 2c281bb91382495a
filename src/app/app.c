/* SPDX-License-Identifier: MIT
 * `report`, `fetch` and `lint`; see app.h. */
#include "app/app.h"
#include "app/pull.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/evaluate.h"
#include "render/render.h"
#include "report/report.h"
#include "rules/rules.h"
#include "source/input.h"
#include "util/exitcodes.h"
#include "util/hash.h"
#include "util/timefmt.h"

/* SHA-256 of a whole file, for the rule-file fingerprints in the report
 * metadata. Returns 0 or -1 (errno set). */
static int file_sha256(const char *path, char out[SHA256_HEX_LEN])
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    struct sha256_ctx c;
    sha256_init(&c);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        sha256_update(&c, chunk, n);
    int err = ferror(f);
    fclose(f);
    sha256_final_hex(&c, out);
    return err ? -1 : 0;
}

/* Load, override and compile the rules named in 'files'. Returns the
 * compiled rule set, or NULL with every problem in 'd'. */
static struct ruleset *load_rules(const struct str_list *files, const struct str_list *sets,
                                  struct diags *d)
{
    struct ruleset *rs = ruleset_new();
    int bad = 0;
    for (size_t i = 0; i < files->n; i++)
        bad |= ruleset_add_file(rs, files->v[i], d) < 0;
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

int app_report(const struct cli_config *cfg, struct diags *d)
{
    if (cfg->rules.n == 0) {
        diags_error(d, "report needs at least one --rules FILE (try rules/default.yaml)");
        return EXIT_USAGE;
    }
    enum format *fmts = calloc(cfg->outputs.n + 1, sizeof *fmts);
    if (resolve_formats(cfg, fmts, d) < 0) {
        free(fmts);
        return EXIT_USAGE;
    }
    if (!cfg->input) {
        diags_error(d, "pulling from the HSS API is not available in this build yet; "
                    "use --input FILE");
        free(fmts);
        return EXIT_USAGE;
    }
    struct ruleset *rs = load_rules(&cfg->rules, &cfg->sets, d);
    if (!rs) {
        free(fmts);
        return EXIT_USAGE;
    }

    int64_t now = cfg->has_now ? cfg->now : time_now_ms();
    struct report rep;
    report_init(&rep);
    /* With --now the whole report is a function of its inputs: the
     * generated-at time is --now too, so reruns are byte-identical. */
    rep.meta.now_ms = now;
    rep.meta.generated_at_ms = cfg->has_now ? now : time_now_ms();
    rep.meta.fail_on = cfg->fail_on;
    report_set_rules(&rep, rs);
    for (size_t i = 0; i < cfg->rules.n; i++) {
        char sha[SHA256_HEX_LEN] = "";
        file_sha256(cfg->rules.v[i], sha);
        report_add_rulefile(&rep, cfg->rules.v[i], sha);
    }

    int code = EXIT_OK;
    struct input *in = NULL;
    if (input_open(&in, cfg->input, d) < 0) {
        code = EXIT_DATA;
        goto done;
    }
    if (evaluate_input(&rep, rs, in, now, d) < 0) {
        code = EXIT_DATA;
        goto done;
    }
    const struct input_info *info = input_info(in);
    rep.meta.source_kind = "file";
    rep.meta.input_path = report_str(&rep, cfg->input);
    rep.meta.input_format = input_format_name(info->format);
    rep.meta.has_total = info->has_total;
    rep.meta.total_num = info->total_num;
    rep.meta.records_received = info->records;
    snprintf(rep.meta.source_sha256, SHA256_HEX_LEN, "%s", info->sha256);
    report_finish(&rep);

    struct render_opts ro = RENDER_OPTS_INIT;
    ro.template_path = cfg->template_path;
    ro.html_max_findings = (size_t)(cfg->html_max_findings > 0 ? cfg->html_max_findings : 0);
    for (size_t i = 0; i < cfg->outputs.n; i++)
        if (fmts[i] != FMT_HTML && fmts[i] != FMT_CSV && !ro.full_findings_path)
            ro.full_findings_path = cfg->outputs.v[i];
    for (size_t i = 0; i < cfg->outputs.n && !ro.full_findings_path; i++)
        if (fmts[i] == FMT_CSV)
            ro.full_findings_path = cfg->outputs.v[i];

    int write_failed = 0;
    for (size_t i = 0; i < cfg->outputs.n; i++)
        write_failed |= render_report(&rep, fmts[i], &ro, cfg->outputs.v[i], d) < 0;

    if (!cfg->quiet) {
        render_summary(&rep, stdout);
        if (cfg->outputs.n) {
            fputs("\nReports:\n", stdout);
            for (size_t i = 0; i < cfg->outputs.n; i++)
                fprintf(stdout, "  %s\n", cfg->outputs.v[i]);
        }
    }
    if (write_failed)
        code = EXIT_WRITE;
    else if (rep.meta.gate == GATE_FAIL)
        code = EXIT_GATE;
done:
    input_close(in);
    report_dispose(&rep);
    ruleset_free(rs);
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
    struct pull_result res;
    int rc = app_pull(cfg, cfg->outputs.v[0], &res, d);
    pull_result_dispose(&res);
    switch (rc) {
    case PULL_OK: return EXIT_OK;
    case PULL_USAGE: return EXIT_USAGE;
    case PULL_WRITE: return EXIT_WRITE;
    default: return EXIT_DATA;
    }
}

int app_lint(const struct cli_config *cfg, struct diags *d)
{
    if (cfg->args.n == 0) {
        diags_error(d, "lint needs one or more rule files");
        return EXIT_USAGE;
    }
    struct ruleset *rs = load_rules(&cfg->args, &cfg->sets, d);
    if (!rs)
        return EXIT_USAGE;
    if (!cfg->quiet)
        for (size_t i = 0; i < cfg->args.n; i++)
            printf("%s: ok\n", cfg->args.v[i]);
    ruleset_free(rs);
    return EXIT_OK;
}

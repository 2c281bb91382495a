/* SPDX-License-Identifier: MIT
 * The report pipeline from its settings; see build.h. */
#include "app/build.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/evaluate.h"
#include "report/stream.h"
#include "source/input.h"
#include "source/provenance.h"
#include "util/exitcodes.h"
#include "util/filelabel.h"
#include "util/monotime.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

static struct build_file *files_from(const struct app_strs *l)
{
    struct build_file *v = xcalloc(l->n + 1, sizeof *v);
    for (size_t i = 0; i < l->n; i++)
        v[i] = (struct build_file){l->v[i], file_label(l->v[i])};
    return v;
}

void build_settings_from_job(struct build_settings *s, const struct app_job *cfg)
{
    memset(s, 0, sizeof *s);
    const struct app_strs *rules = cfg->command == APP_LINT ? &cfg->args : &cfg->rules;
    s->rules = files_from(rules);
    s->n_rules = rules->n;
    s->waivers = files_from(&cfg->waivers);
    s->n_waivers = cfg->waivers.n;
    s->sets = cfg->sets.v;
    s->n_sets = cfg->sets.n;
    if (cfg->baseline)
        s->baseline = (struct build_file){cfg->baseline, file_label(cfg->baseline)};
    s->now_ms = cfg->has_now ? cfg->now : time_now_ms();
    s->generated_at_ms = cfg->has_now ? cfg->now : time_now_ms();
    s->fail_on = cfg->fail_on;
    s->fail_on_new = cfg->fail_on_new;
    s->fail_on_expired_waivers = cfg->fail_on_expired_waivers;
    s->warn_expiring_days = cfg->warn_expiring;
    s->has_max_waiver_days = cfg->has_max_waiver_days;
    s->max_waiver_days = cfg->max_waiver_days;
    s->where = cfg->where;
    s->quiet = cfg->quiet;
}

void build_settings_dispose(struct build_settings *s)
{
    free((void *)s->rules);
    free((void *)s->waivers);
    memset(s, 0, sizeof *s);
}

/* Rules, waivers and --set into a compiled rule set, or NULL with every
 * problem in 'd'. */
static struct ruleset *load_rules(const struct build_settings *s, struct diags *d)
{
    struct ruleset *rs = ruleset_new();
    int bad = 0;
    for (size_t i = 0; i < s->n_rules; i++)
        bad |= ruleset_add_file_as(rs, s->rules[i].path, s->rules[i].name, d) < 0;
    for (size_t i = 0; i < s->n_waivers; i++)
        bad |= ruleset_add_waiver_file_as(rs, s->waivers[i].path, s->waivers[i].name, d) < 0;
    for (size_t i = 0; i < s->n_sets; i++) {
        const char *set = s->sets[i], *eq = strchr(set, '=');
        if (!eq || eq == set) {
            diags_error(d, "--set '%s': expected NAME=VALUE", set);
            bad = 1;
            continue;
        }
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)(eq - set), set);
        bad |= ruleset_set_param(rs, name, eq + 1, d) < 0;
    }
    /* Compile even after errors: type errors and bad regexes in the rules
     * that did load are reported in the same run, not one fix later. */
    bad |= ruleset_compile(rs, d) < 0;
    if (!bad && s->has_max_waiver_days)
        bad = ruleset_check_waiver_horizon(rs, s->now_ms, s->max_waiver_days, d) < 0;
    if (bad) {
        ruleset_free(rs);
        return NULL;
    }
    return rs;
}

/* A baseline read on its own thread, and what came of it. */
struct build_loading {
    pthread_t thread;
    bool threaded;              /* the thread was started (else it was read at once) */
    bool joined;
    bool hash;                  /* baseline_load's */
    char *path, *name;
    struct baseline *base;      /* once read and checked without error */
    int code;
    struct diags d;             /* its diagnostics, held until joined */
    double seconds;             /* how long the reading took */
};

static void *load_main(void *arg)
{
    struct build_loading *l = arg;
    double t = monotime_s();
    l->code = baseline_load(&l->base, l->path, l->name, l->hash, &l->d) < 0 ? EXIT_DATA
                                                                             : EXIT_OK;
    l->seconds = monotime_s() - t;
    return NULL;
}

struct build_loading *build_baseline_start(const char *path, const char *name, bool hash)
{
    struct build_loading *l = xcalloc(1, sizeof *l);
    l->hash = hash;
    l->path = xstrdup(path);
    l->name = xstrdup(name);
    diags_init(&l->d);
    l->threaded = pthread_create(&l->thread, NULL, load_main, l) == 0;
    if (!l->threaded)
        load_main(l);
    return l;
}

int build_baseline_wait(struct build_loading *l, int64_t now, struct diags *d)
{
    if (l->joined)
        return l->code;
    if (l->threaded)
        pthread_join(l->thread, NULL);
    l->joined = true;
    diags_move(d, &l->d);
    if (l->code != EXIT_OK)
        return l->code;
    int64_t then = baseline_meta(l->base)->now_ms;
    if (then > now) {
        char a[TIME_ISO_MAX], b[TIME_ISO_MAX];
        time_format_iso(then, a);
        time_format_iso(now, b);
        diags_error(d, "%s: the baseline was evaluated as of %s, later than this run's %s; "
                    "pass the earlier report as --baseline, or set --now", l->path, a, b);
        baseline_free(l->base);
        l->base = NULL;
        l->code = EXIT_USAGE;
    }
    return l->code;
}

struct baseline *build_baseline_of(const struct build_loading *l)
{
    return l->base;
}

double build_baseline_seconds(const struct build_loading *l)
{
    return l->seconds;
}

void build_baseline_free(struct build_loading *l)
{
    if (!l)
        return;
    if (l->threaded && !l->joined)
        pthread_join(l->thread, NULL);
    diags_dispose(&l->d);
    baseline_free(l->base);
    free(l->path);
    free(l->name);
    free(l);
}

int build_join_baseline(const struct build_settings *s, const struct build_inputs *in,
                        struct diags *d)
{
    return in->base ? build_baseline_wait(in->base, s->now_ms, d) : EXIT_OK;
}

int build_load(const struct build_settings *s, struct build_inputs *in, struct diags *d)
{
    memset(in, 0, sizeof *in);
    in->rs = load_rules(s, d);
    if (!in->rs)
        return EXIT_USAGE;
    if (s->where && !(in->where = ruleset_compile_expr(in->rs, "--where", s->where, d))) {
        build_inputs_dispose(in);
        return EXIT_USAGE;
    }
    if (s->baseline.path)
        in->base = build_baseline_start(s->baseline.path, s->baseline.name, !s->skip_baseline_hash);
    return EXIT_OK;
}

void build_inputs_dispose(struct build_inputs *in)
{
    build_baseline_free(in->base);
    rule_expr_free(in->where);
    ruleset_free(in->rs);
    memset(in, 0, sizeof *in);
}

int build_apply_baseline(struct report *rep, struct baseline *b, unsigned flags, unsigned jobs,
                         bool quiet, struct diags *d)
{
    size_t before = rep->meta.n_warnings;
    int rc = baseline_apply(b, rep, flags, jobs, d);
    if (rc < 0)
        return rc == -2 ? EXIT_WRITE : EXIT_DATA;
    if (!quiet)
        for (size_t i = before; i < rep->meta.n_warnings; i++)
            fprintf(stderr, "imgaudit: warning: %s\n", rep->meta.warnings[i]);
    return EXIT_OK;
}

void build_records_dispose(struct build_records *r)
{
    free(r->provenance_path);
    buf_dispose(&r->provenance_raw);
    memset(r, 0, sizeof *r);
}

/* A pull of several projects: one source row each (report.h), as
 * `imgaudit merge` of their single-project reports would have them, but
 * with no report file behind them (path and sha256 NULL); each
 * incomplete one also becomes a warning that says by how much. */
static void sources_from_provenance(struct report *rep, const struct provenance *p)
{
    rep->sources = xcalloc(p->n_sources, sizeof *rep->sources);
    rep->n_sources = p->n_sources;
    for (size_t k = 0; k < p->n_sources; k++) {
        const struct provenance_source *q = &p->sources[k];
        struct report_source *o = &rep->sources[k];
        *o = (struct report_source){
            .provenance = REPORT_PROV_PULL, .records_format = "jsonl",
            .project_id = report_str(rep, q->project_id), .region = report_str(rep, q->region),
            .enterprise_project_id = report_str(rep, q->enterprise_project_id),
            .where = rep->meta.where, .now_ms = rep->meta.now_ms,
            .generated_at_ms = rep->meta.generated_at_ms,
            .records_received = q->records_received, .complete = q->complete,
            .expected_records = q->expected_records,
        };
        if (!q->complete) {
            char *w = xasprintf("project %s%s%s is INCOMPLETE: %zu of %lld records received",
                                q->project_id, q->region ? " in " : "",
                                q->region ? q->region : "", q->records_received,
                                (long long)q->expected_records);
            report_add_warning(rep, w);
            free(w);
        }
    }
}

/* The metadata of records whose provenance is known. */
static void meta_from_provenance(struct report *rep, const struct provenance *p)
{
    struct report_meta *m = &rep->meta;
    m->provenance = REPORT_PROV_PULL;
    m->records_format = "jsonl";
    m->endpoint = report_str(rep, p->endpoint);
    m->region = report_str(rep, p->region);
    m->project_id = report_str(rep, p->project_id);
    m->enterprise_project_id = report_str(rep, p->enterprise_project_id);
    const char **filters = xcalloc(p->n_filters + 1, sizeof *filters);
    for (size_t i = 0; i < p->n_filters; i++)
        filters[i] = report_str(rep, p->filters[i]);
    m->filters = filters;
    m->n_filters = p->n_filters;
    m->pulled_at_ms = p->pulled_at_ms;
    char *by = xasprintf("imgaudit %s", p->imgaudit_version);
    m->pulled_by = report_str(rep, by);
    free(by);
    m->has_total = p->total_num >= 0;
    m->total_num = p->total_num;
    m->records_received = p->records_received;
    m->duplicates_dropped = p->duplicates_dropped;
    m->pages = p->pages;
    m->retries = p->retries;
    m->complete = p->complete;
    m->expected_records = p->expected_records;
    if (p->n_sources)
        sources_from_provenance(rep, p);
}

/* Read the provenance beside 'records' into 'p' and 'rec'. Returns 0, or
 * -1 when it is there but unreadable (an error in 'd'). */
static int find_provenance(const char *records, struct provenance *p, struct build_records *rec,
                           struct diags *d)
{
    rec->status = REPORT_PROV_MISSING;
    if (strcmp(records, "-") == 0)
        return 0;
    rec->provenance_path = provenance_path(records);
    buf_init(&rec->provenance_raw, 0);
    switch (provenance_read(p, rec->provenance_path, &rec->provenance_raw, d)) {
    case PROVENANCE_OK:
        rec->has_provenance = true;
        rec->status = REPORT_PROV_PULL;     /* until the SHA-256 says otherwise */
        return 0;
    case PROVENANCE_INVALID:
        rec->has_provenance = true;
        rec->status = REPORT_PROV_INVALID;
        diags_add(d, DIAG_NOTE, rec->provenance_path, 0, 0, 0, NULL,
                  "the report is labelled \"%s\"", report_source_label(REPORT_PROV_INVALID));
        return 0;
    case PROVENANCE_MISSING:
        return 0;
    default:
        return -1;
    }
}

int build_report(const struct build_settings *s, const struct build_inputs *in,
                 const char *records, const struct evaluate_opts *eo, struct report *rep,
                 struct build_records *rec, struct diags *d)
{
    return build_report_sel(s, in, records, eo, NULL, rep, rec, d);
}

/* build_report_sel() up to the comparison with the baseline. */
static int evaluate_records(const struct build_settings *s, const struct build_inputs *in,
                            const char *records, const struct evaluate_opts *eo,
                            const struct selection *sel, struct report *rep,
                            struct build_records *rec, struct diags *d)
{
    struct evaluate_opts o = EVALUATE_OPTS_INIT;
    if (eo)
        o = *eo;
    struct selection where = {in->where, -1, NULL, s->now_ms};
    o.sel = sel ? sel : in->where ? &where : NULL;
    memset(rec, 0, sizeof *rec);
    rep->meta.now_ms = s->now_ms;
    rep->meta.where = report_str(rep, s->where);
    rep->meta.generated_at_ms = s->generated_at_ms;
    rep->meta.fail_on = s->fail_on;
    rep->meta.fail_on_new = s->fail_on_new;
    rep->meta.fail_on_expired_waivers = s->fail_on_expired_waivers;
    rep->meta.warn_expiring_days = s->warn_expiring_days;
    report_set_rules(rep, in->rs);

    struct provenance prov;
    memset(&prov, 0, sizeof prov);
    struct input *inp = NULL;
    size_t *ends = NULL;
    int code = EXIT_DATA;
    if (find_provenance(records, &prov, rec, d) < 0)
        goto done;
    /* Only the provenance of a complete pull of nothing makes an empty
     * file zero records; the SHA-256 below proves it is that file. */
    struct input_opts io = INPUT_OPTS_INIT;
    io.allow_empty = rec->status == REPORT_PROV_PULL && prov.complete &&
                     prov.records_received == 0 && prov.total_num == 0;
    /* A provenance is believed only for these very bytes. */
    io.no_hash = s->skip_records_hash && rec->status != REPORT_PROV_PULL;
    /* Several sources: each record's is known by its number (provenance.h). */
    if (rec->status == REPORT_PROV_PULL && prov.n_sources) {
        ends = xcalloc(prov.n_sources, sizeof *ends);
        for (size_t k = 0; k < prov.n_sources; k++)
            ends[k] = (k ? ends[k - 1] : 0) + prov.sources[k].records_received;
        o.source_ends = ends;
        o.n_sources = prov.n_sources;
    }
    if (input_open_opts(&inp, records, &io, d) < 0)
        goto done;
    /* Images and findings to disk as they come (report/stream.h): memory
     * does not grow with the number of images. */
    if (report_stream_begin(rep, s->findings_only ? STREAM_LEAN_IMAGES : 0, d) < 0) {
        code = EXIT_WRITE;
        goto done;
    }
    if (evaluate_input(rep, in->rs, inp, s->now_ms, &o, d) < 0)
        goto done;
    if (report_stream_end(rep, d) < 0) {
        code = EXIT_WRITE;
        goto done;
    }
    const struct input_info *info = input_info(inp);
    snprintf(rec->sha256, SHA256_HEX_LEN, "%s", info->sha256);
    if (rec->status == REPORT_PROV_PULL && strcmp(prov.records_sha256, info->sha256) != 0) {
        rec->status = REPORT_PROV_MISMATCH;
        diags_add(d, DIAG_WARNING, rec->provenance_path, 0, 0, 0, NULL,
                  "its records_sha256 %.12s... is not the SHA-256 of %s (%.12s...): the "
                  "records were changed, or the provenance belongs to another pull; the "
                  "report is labelled \"%s\"", prov.records_sha256, records, info->sha256,
                  report_source_label(REPORT_PROV_MISMATCH));
        /* Not these records' sources after all: the images' source
         * numbers stay, meaning nothing without sources (report.h). */
    }
    if (rec->status == REPORT_PROV_PULL) {
        meta_from_provenance(rep, &prov);
    } else {
        rep->meta.provenance = rec->status;
        rep->meta.records_format = input_format_name(info->format);
        rep->meta.has_total = info->has_total;
        rep->meta.total_num = info->total_num;
        rep->meta.records_received = info->records;
    }
    snprintf(rep->meta.source_sha256, SHA256_HEX_LEN, "%s", info->sha256);
    code = EXIT_OK;
done:
    free(ends);
    input_close(inp);
    provenance_dispose(&prov);
    return code;
}

int build_report_sel(const struct build_settings *s, const struct build_inputs *in,
                     const char *records, const struct evaluate_opts *eo,
                     const struct selection *sel, struct report *rep,
                     struct build_records *rec, struct diags *d)
{
    /* The records' diagnostics are held until the baseline, read
     * meanwhile, is known good: a failed one is the only error, as when
     * it was read first. */
    struct diags held = DIAGS_INIT;
    struct phase_times unused, *t = eo && eo->times ? eo->times : &unused;
    memset(t, 0, sizeof *t);
    double t0 = monotime_s();
    int code = evaluate_records(s, in, records, eo, sel, rep, rec, in->base ? &held : d);
    double t1 = monotime_s();
    int base_code = build_join_baseline(s, in, d);
    double t2 = monotime_s();
    t->evaluate = t1 - t0;
    t->baseline_wait = t2 - t1;
    t->baseline_read = in->base ? build_baseline_seconds(in->base) : 0;
    if (base_code != EXIT_OK) {
        diags_dispose(&held);
        return base_code;
    }
    diags_move(d, &held);
    if (code != EXIT_OK)
        return code;
    unsigned flags = s->findings_only ? BASELINE_COUNT_RESOLVED : 0;
    unsigned jobs = !eo ? 1 : eo->jobs ? eo->jobs : evaluate_default_jobs();
    if (in->base && (code = build_apply_baseline(rep, build_baseline_of(in->base), flags, jobs,
                                                 s->quiet, d)) != EXIT_OK)
        return code;
    t->compare = in->base ? monotime_s() - t2 : 0;
    report_finish(rep);
    return EXIT_OK;
}

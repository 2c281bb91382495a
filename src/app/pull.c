/* SPDX-License-Identifier: MIT
 * Settings, credentials, passes and the snapshot around the pager; see
 * pull.h. The steps: resolve and check every setting (usage errors are
 * collected, so one run reports all of them, and nothing has been sent
 * yet), load credentials, then up to two passes of fetch_pull() into a
 * fresh temporary snapshot each, committed only when complete (or when
 * --allow-incomplete says so). */
#include "app/pull.h"

#include <curl/curl.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "source/auth.h"
#include "source/curlload.h"
#include "source/fetch.h"
#include "source/hss.h"
#include "source/progress.h"
#include "source/provenance.h"
#include "util/atomicfile.h"
#include "util/buf.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

/* The resolved settings; strings are borrowed from the command line,
 * the config file or the environment, all of which outlive the pull. */
struct settings {
    const char *region, *endpoint, *project_id, *enterprise_project_id;
    const char *const *project_ids; /* --project-id, n_project_ids of them; else project_id */
    size_t n_project_ids;
    const char *cacert, *token_file;
    bool allow_http, insecure, allow_incomplete;
    long page_size, concurrency, retries;   /* retries: -1 = no count limit */
    double max_rate, timeout, retry_max_time, max_time;
    const char *const *filters;     /* borrowed */
    size_t n_filters;
};

/* ---- settings: the CLI resolved them (options > config file >
 * environment > defaults) and checked their ranges ---- */

static void resolve(struct settings *s, const struct pull_opts *cfg)
{
    *s = (struct settings){
        .region = cfg->region, .endpoint = cfg->endpoint,
        .enterprise_project_id = cfg->enterprise_project_id, .cacert = cfg->cacert,
        .token_file = cfg->token_file, .allow_http = cfg->allow_http,
        .insecure = cfg->insecure, .allow_incomplete = cfg->allow_incomplete,
        .page_size = cfg->page_size, .concurrency = cfg->concurrency,
        .retries = cfg->retries, .max_rate = cfg->max_rate, .timeout = cfg->timeout,
        .retry_max_time = cfg->retry_max_time, .max_time = cfg->max_time,
        .filters = cfg->filters.v, .n_filters = cfg->filters.n,
        .project_ids = cfg->project_id.v, .n_project_ids = cfg->project_id.n,
        .project_id = cfg->project_id.n ? cfg->project_id.v[0] : NULL,
    };
}

/* ---- the snapshot writer ---- */

struct sink {
    FILE *fp;
    int err;                /* errno of the first failed write */
};

static int sink_emit(const char *rec, size_t len, void *payload)
{
    struct sink *k = payload;
    if (fwrite(rec, 1, len, k->fp) != len || fputc('\n', k->fp) == EOF) {
        k->err = errno ? errno : EIO;
        return 1;
    }
    return 0;
}

/* ---- the provenance ---- */

/* Commit the snapshot 'af' and, when it is a file, its provenance
 * beside it, together: both or neither. Returns a pull_status. */
static int commit_snapshot(struct atomic_file *af, const char *snapshot_path,
                           struct pull_result *out, struct diags *d)
{
    if (!atomic_replaces(snapshot_path))
        return atomic_commit(af, d) < 0 ? PULL_WRITE : PULL_OK;
    struct provenance p = {
        .imgaudit_version = (char *)IMGAUDIT_VERSION, .endpoint = out->endpoint,
        .region = out->region, .project_id = out->project_id,
        .enterprise_project_id = out->enterprise_project_id, .filters = out->filters,
        .n_filters = out->n_filters, .pulled_at_ms = out->pulled_at_ms,
        .total_num = out->total_num, .records_received = out->records_received,
        .pages = out->pages, .retries = out->retries,
        .duplicates_dropped = out->duplicates_dropped, .complete = out->complete,
        .expected_records = out->expected_records,
    };
    memcpy(p.records_sha256, out->snapshot_sha256, SHA256_HEX_LEN);
    struct provenance_source *ps = NULL;
    if (out->n_sources > 1) {
        ps = xcalloc(out->n_sources, sizeof *ps);
        for (size_t k = 0; k < out->n_sources; k++) {
            const struct pull_source *q = &out->sources[k];
            ps[k] = (struct provenance_source){
                .endpoint = q->endpoint, .region = q->region, .project_id = q->project_id,
                .enterprise_project_id = q->enterprise_project_id,
                .pulled_at_ms = q->pulled_at_ms, .total_num = q->total_num,
                .records_received = q->records_received, .pages = q->pages,
                .retries = q->retries, .duplicates_dropped = q->duplicates_dropped,
                .complete = q->complete, .expected_records = q->expected_records,
            };
        }
        p.sources = ps;
        p.n_sources = out->n_sources;
    }
    char *path = provenance_path(snapshot_path);
    struct atomic_file both[2] = {*af};
    memset(af, 0, sizeof *af);
    int rc = PULL_WRITE;
    if (atomic_open(&both[1], path, d) < 0) {
        atomic_abort(&both[0]);
    } else if (provenance_write(&p, both[1].fp) < 0) {
        diags_add(d, DIAG_ERROR, path, 0, 0, 0, NULL, "cannot write: %s", strerror(errno));
        atomic_abort(&both[0]);
        atomic_abort(&both[1]);
    } else if (atomic_commit_all(both, 2, d) == 0) {
        out->provenance_path = path;
        path = NULL;
        rc = PULL_OK;
    }
    free(ps);
    free(path);
    return rc;
}

/* ---- the pull ---- */

void pull_result_dispose(struct pull_result *r)
{
    free(r->endpoint);
    free(r->region);
    free(r->project_id);
    free(r->enterprise_project_id);
    for (size_t i = 0; i < r->n_filters; i++)
        free(r->filters[i]);
    free(r->filters);
    free(r->auth);
    free(r->provenance_path);
    for (size_t k = 0; k < r->n_sources; k++) {
        free(r->sources[k].endpoint);
        free(r->sources[k].region);
        free(r->sources[k].project_id);
        free(r->sources[k].enterprise_project_id);
    }
    free(r->sources);
    memset(r, 0, sizeof *r);
}

/* "pulled 2000 records INCOMPLETE (total_num ...)": one source's line. */
static void print_counts(const struct pull_source *r, FILE *out)
{
    fprintf(out, "pulled %zu record%s%s (total_num %lld, %zu page%s, "
            "%zu duplicate%s dropped, %zu retr%s%s)",
            r->records_received, r->records_received == 1 ? "" : "s",
            r->complete ? "" : " INCOMPLETE", (long long)r->total_num, r->pages,
            r->pages == 1 ? "" : "s", r->duplicates_dropped,
            r->duplicates_dropped == 1 ? "" : "s", r->retries, r->retries == 1 ? "y" : "ies",
            r->passes > 1 ? ", pulled twice" : "");
}

static void print_summary(const struct pull_result *r, bool quiet)
{
    if (quiet)
        return;
    if (r->n_sources == 1) {
        fputs("imgaudit: ", stderr);
        print_counts(&r->sources[0], stderr);
        fprintf(stderr, " in %.1f s from %s\n", r->seconds, r->endpoint);
        return;
    }
    for (size_t k = 0; k < r->n_sources; k++) {
        const struct pull_source *q = &r->sources[k];
        fprintf(stderr, "imgaudit: project %s%s%s: ", q->project_id, q->region ? " in " : "",
                q->region ? q->region : "");
        print_counts(q, stderr);
        fprintf(stderr, " from %s\n", q->endpoint);
    }
    fprintf(stderr, "imgaudit: pulled %zu record%s%s from %zu projects in %.1f s\n",
            r->records_received, r->records_received == 1 ? "" : "s",
            r->complete ? "" : " INCOMPLETE", r->n_sources, r->seconds);
}

/* Why the records of a pass do not add up to total_num, in words that
 * tell the causes apart: total_num that changed (the inventory moved, or
 * the server's count drifted), records sent twice (dropped as
 * duplicates), or simply fewer records than total_num promised.
 * Appended to 'b' after "received N records but total_num is T". */
static void describe_gap(struct buf *b, const struct fetch_stats *st)
{
    if (st->total_changed)
        buf_printf(b, "; total_num changed during the pull (%lld -> %lld)",
                   (long long)st->total_num, (long long)st->last_total_num);
    if (st->duplicates)
        buf_printf(b, "; %zu record%s sent twice, dropped as %s", st->duplicates,
                   st->duplicates == 1 ? " was" : "s were",
                   st->duplicates == 1 ? "a duplicate" : "duplicates");
    if (!st->total_changed && !st->duplicates)
        buf_puts(b, "; nothing was sent twice and total_num did not change: the server "
                 "listed fewer records than it counts");
}

/* One source to pull: where, which project, with what. */
struct plan {
    const char *region, *project_id, *enterprise_project_id;   /* borrowed */
    const char *given;          /* as the user wrote it, for messages */
    char *url;                  /* owned: the endpoint URL when computed from the region */
    struct hss_endpoint ep;
    char *path;                 /* owned: hss_list_path */
    struct sign_param *params;  /* owned: enterprise project, then the filters */
    size_t n_params;
    char label[512];            /* "project X in R: " with several sources, else "" */
};

/* The endpoint of 'region' set by --region-endpoint REGION=URL, or NULL. */
static const char *region_endpoint(const struct pull_opts *cfg, const char *region)
{
    for (size_t i = 0; region && i < cfg->region_endpoints.n; i++) {
        const char *e = cfg->region_endpoints.v[i], *eq = strchr(e, '=');
        if (eq && strlen(region) == (size_t)(eq - e) && strncmp(e, region, (size_t)(eq - e)) == 0)
            return eq + 1;
    }
    return NULL;
}

static int check_region_endpoints(const struct pull_opts *cfg, struct diags *d)
{
    int bad = 0;
    for (size_t i = 0; i < cfg->region_endpoints.n; i++) {
        const char *e = cfg->region_endpoints.v[i], *eq = strchr(e, '=');
        if (!eq || eq == e || !eq[1]) {
            diags_error(d, "--region-endpoint '%s': expected REGION=URL, e.g. "
                        "cn-north-4=https://hss-proxy.example:8443", e);
            bad = -1;
        }
    }
    return bad;
}

/* --source REGION/PROJECT_ID[/EPS_ID] into 'p' (strings into 'keep'). */
static int parse_source(const char *spec, struct plan *p, char **keep, struct diags *d)
{
    char *copy = *keep = xstrdup(spec);
    char *a = copy, *b = strchr(a, '/'), *c = b ? strchr(b + 1, '/') : NULL;
    if (b)
        *b++ = '\0';
    if (c)
        *c++ = '\0';
    if (!b || !*a || !*b || (c && (!*c || strchr(c, '/')))) {
        diags_error(d, "--source '%s': expected REGION/PROJECT_ID or "
                    "REGION/PROJECT_ID/ENTERPRISE_PROJECT_ID, e.g. cn-north-4/0123abcd", spec);
        return -1;
    }
    p->region = a;
    p->project_id = b;
    p->enterprise_project_id = c;
    p->given = spec;
    return 0;
}

/* Resolve and check every source: its endpoint (--region-endpoint for
 * its region, else --endpoint, else the region's), project and
 * enterprise project. Returns 0, or -1 with every problem in 'd'. */
static int plan_sources(const struct pull_opts *cfg, const struct settings *s,
                        struct plan **out, size_t *n_out, char ***keep, struct diags *d)
{
    size_t n_ids = cfg->sources.n && !cfg->has_project_id ? 0 : s->n_project_ids;
    size_t n = n_ids + cfg->sources.n;
    struct plan *v = xcalloc(n + 1, sizeof *v);
    *keep = xcalloc(cfg->sources.n + 1, sizeof **keep);
    *out = v;
    *n_out = n;
    int bad = check_region_endpoints(cfg, d);
    if (n == 0) {
        if (!s->endpoint && !s->region)
            diags_error(d, "no endpoint: give --region ID (e.g. cn-north-4) or --endpoint URL");
        else if (!s->endpoint && !region_endpoint(cfg, s->region))
            free(hss_region_endpoint(s->region, d));
        diags_error(d, "no project id: give --project-id ID or set HUAWEICLOUD_SDK_PROJECT_ID");
        return -1;
    }
    for (size_t k = 0; k < n_ids; k++)
        v[k] = (struct plan){.region = s->region, .project_id = s->project_ids[k],
                             .enterprise_project_id = s->enterprise_project_id,
                             .given = s->project_ids[k]};
    for (size_t k = 0; k < cfg->sources.n; k++) {
        if (parse_source(cfg->sources.v[k], &v[n_ids + k], &(*keep)[k], d) < 0) {
            bad = -1;
            continue;
        }
        if (!v[n_ids + k].enterprise_project_id)
            v[n_ids + k].enterprise_project_id = s->enterprise_project_id;
    }
    if (bad)
        return -1;
    for (size_t k = 0; k < n; k++) {
        struct plan *p = &v[k];
        const char *url = region_endpoint(cfg, p->region);
        if (!url && s->endpoint)
            url = s->endpoint;
        if (!url && p->region) {
            p->url = hss_region_endpoint(p->region, d);
            url = p->url;
            if (!url) {
                bad = -1;
                continue;
            }
        }
        if (!url) {
            diags_error(d, "no endpoint: give --region ID (e.g. cn-north-4) or --endpoint URL");
            bad = -1;
            break;
        }
        bad |= hss_endpoint_parse(&p->ep, url, s->allow_http, d);
        bad |= hss_check_project_id(p->project_id, d);
        if (p->enterprise_project_id)
            bad |= hss_check_enterprise_project_id(p->enterprise_project_id, d);
        if (n > 1)
            snprintf(p->label, sizeof p->label, "project %s%s%s: ", p->project_id,
                     p->region ? " in " : "", p->region ? p->region : "");
    }
    /* The same project twice would count its images twice. */
    for (size_t k = 0; !bad && k < n; k++)
        for (size_t j = 0; j < k; j++)
            if (strcmp(v[j].ep.base, v[k].ep.base) == 0 &&
                strcmp(v[j].ep.prefix, v[k].ep.prefix) == 0 &&
                strcmp(v[j].project_id, v[k].project_id) == 0 &&
                !strcmp(v[j].enterprise_project_id ? v[j].enterprise_project_id : "",
                        v[k].enterprise_project_id ? v[k].enterprise_project_id : "")) {
                diags_error(d, "project %s at %s is given twice ('%s' and '%s'): its images "
                            "would be counted twice", v[k].project_id, v[k].ep.base,
                            v[j].given, v[k].given);
                bad = -1;
                break;
            }
    return bad ? -1 : 0;
}

static void plans_dispose(struct plan *v, size_t n, char **keep, size_t n_keep)
{
    for (size_t k = 0; v && k < n; k++) {
        free(v[k].url);
        free(v[k].path);
        free(v[k].params);
        hss_endpoint_dispose(&v[k].ep);
    }
    free(v);
    for (size_t k = 0; keep && k < n_keep; k++)
        free(keep[k]);
    free(keep);
}

static char *endpoint_text(const struct hss_endpoint *ep)
{
    return xasprintf("%s%s", ep->base, ep->prefix);
}

/* Roll the snapshot back to 'at' bytes: a source's first pass, undone. */
static int rewind_to(struct atomic_file *af, off_t at, struct diags *d)
{
    if (fflush(af->fp) != 0 || ftruncate(fileno(af->fp), at) != 0 ||
        fseeko(af->fp, at, SEEK_SET) != 0) {
        diags_add(d, DIAG_ERROR, af->target, 0, 0, 0, NULL, "cannot write: %s",
                  strerror(errno));
        return -1;
    }
    return 0;
}

/* Pull source 'p' completely (two passes at most) into 'af', after what
 * is there. Returns a pull_status; 'q' says how far it got. */
static int pull_one(const struct pull_opts *cfg, const struct settings *s, struct plan *p,
                    struct fetch_opts fo, struct atomic_file *af, struct pull_source *q,
                    struct diags *d)
{
    fo.ep = &p->ep;
    fo.path = p->path;
    fo.project_id = p->project_id;
    fo.params = p->params;
    fo.n_params = p->n_params;
    char desc[128];
    if (cfg->verbose) {
        char retries[32] = "no retry limit";
        if (s->retries >= 0)
            snprintf(retries, sizeof retries, "%ld retries", s->retries);
        fprintf(stderr, "imgaudit: pulling %s%s (project %s%s%s, %zu filters) with %s, "
                "page size %ld, concurrency %ld, %s, retry budget %g s per page\n",
                p->ep.base, p->path, p->project_id,
                p->enterprise_project_id ? ", enterprise project " : "",
                p->enterprise_project_id ? p->enterprise_project_id : "", s->n_filters,
                auth_describe(fo.auth, desc, sizeof desc), s->page_size, s->concurrency,
                retries, s->retry_max_time);
    }
    off_t start = ftello(af->fp);
    for (int pass = 1; pass <= 2; pass++) {
        if (pass == 2 && rewind_to(af, start, d) < 0)
            return PULL_WRITE;
        struct sink k = {af->fp, 0};
        struct fetch_stats st;
        q->pulled_at_ms = time_now_ms();
        int frc = fetch_pull(&fo, sink_emit, &k, &st, d);
        q->passes = pass;
        q->requests += st.requests;
        q->retries += st.retries;
        q->pages = st.pages;
        q->records_received = st.records;
        q->duplicates_dropped = st.duplicates;
        q->total_num = st.last_total_num;
        q->expected_records = st.last_total_num;
        if (frc != 0) {
            if (frc > 0) {
                diags_add(d, DIAG_ERROR, af->target, 0, 0, 0, NULL, "cannot write: %s",
                          strerror(k.err));
                return PULL_WRITE;
            }
            if (p->label[0])
                diags_add(d, DIAG_NOTE, NULL, 0, 0, 0, NULL, "%sthe pull stopped; no "
                          "snapshot was written", p->label);
            return PULL_FAILED;
        }
        bool adds_up = !st.offset_limited && !st.total_changed &&
                       (int64_t)st.records == st.total_num;
        struct buf why = BUF_INIT;
        if (!adds_up)
            describe_gap(&why, &st);
        if (!adds_up && pass == 1 && !st.offset_limited) {
            diags_add(d, DIAG_NOTE, NULL, 0, 0, 0, NULL,
                      "%sreceived %zu record%s but total_num is %lld%s; pulled again", p->label,
                      st.records, st.records == 1 ? "" : "s", (long long)st.last_total_num,
                      buf_cstr(&why));
            buf_dispose(&why);
            if (cfg->verbose) {
                progress_clear(fo.progress);
                fprintf(stderr, "imgaudit: records do not add up to total_num; pulling again\n");
            }
            continue;
        }
        if (!adds_up && !s->allow_incomplete) {
            diags_error(d, "%sincomplete pull: received %zu record%s but total_num is %lld%s "
                        "(pulled twice); no snapshot was written. "
                        "Try again later, narrow the pull with --filter, or use "
                        "--allow-incomplete to keep what arrived, marked INCOMPLETE", p->label,
                        st.records, st.records == 1 ? "" : "s",
                        (long long)st.last_total_num, buf_cstr(&why));
            buf_dispose(&why);
            return PULL_FAILED;
        }
        buf_dispose(&why);
        q->complete = adds_up;
        if (!adds_up)
            diags_add(d, DIAG_WARNING, NULL, 0, 0, 0, NULL,
                      "%sINCOMPLETE: %zu of %lld records received%s; written because of "
                      "--allow-incomplete", p->label, st.records, (long long)st.last_total_num,
                      st.offset_limited ? " (beyond the API's offset limit)" : "");
        return PULL_OK;
    }
    return PULL_FAILED;     /* not reached: pass 2 always returns */
}

/* The run's totals from its sources (pull.h). */
static void add_up(struct pull_result *out)
{
    const struct pull_source *one = &out->sources[0];
    out->complete = true;
    out->total_num = 0;
    out->pulled_at_ms = one->pulled_at_ms;
    for (size_t k = 0; k < out->n_sources; k++) {
        const struct pull_source *q = &out->sources[k];
        if (q->total_num < 0 || out->total_num < 0)
            out->total_num = -1;
        else
            out->total_num += q->total_num;
        out->expected_records += q->expected_records;
        out->records_received += q->records_received;
        out->duplicates_dropped += q->duplicates_dropped;
        out->pages += q->pages;
        out->requests += q->requests;
        out->retries += q->retries;
        if (q->passes > out->passes)
            out->passes = q->passes;
        out->complete &= q->complete;
    }
}

int app_pull(const struct pull_opts *cfg, const char *snapshot_path,
             struct pull_result *out, struct diags *d)
{
    memset(out, 0, sizeof *out);
    out->total_num = -1;
    size_t first_diag = d->n;
    struct settings s;
    struct hss_filter *filters = NULL;
    size_t n_filters = 0;
    struct auth auth = AUTH_INIT;
    struct plan *plans = NULL;
    size_t n_plans = 0;
    char **keep = NULL;
    int rc = PULL_USAGE;
    int bad = 0;
    memset(&s, 0, sizeof s);

    /* 0. libcurl, which is loaded now rather than when the program
     * starts (source/curlload.h); checking an endpoint already uses it.
     * Without it nothing can be pulled: an environment error, exit 3. */
    if (curlload_open(d) < 0) {
        rc = PULL_FAILED;
        goto done;
    }

    /* 1. Settings, all checked before anything is sent. */
    resolve(&s, cfg);
    bad |= plan_sources(cfg, &s, &plans, &n_plans, &keep, d);
    if (hss_filters_parse(&filters, s.filters, s.n_filters, d) < 0)
        bad = -1;
    else
        n_filters = s.n_filters;
    if (s.cacert && s.insecure)
        diags_add(d, DIAG_WARNING, NULL, 0, 0, 0, NULL, "--cacert is ignored with --insecure");
    if (bad)
        goto done;

    /* 2. Credentials: a missing or half-configured one is a usage error. */
    if (auth_load(&auth, s.token_file, d) < 0)
        goto done;

    /* Fill what the report records about the sources. */
    out->sources = xcalloc(n_plans, sizeof *out->sources);
    out->n_sources = n_plans;
    for (size_t k = 0; k < n_plans; k++) {
        struct plan *p = &plans[k];
        struct pull_source *q = &out->sources[k];
        q->endpoint = endpoint_text(&p->ep);
        q->region = p->region ? xstrdup(p->region) : NULL;
        q->project_id = xstrdup(p->project_id);
        q->enterprise_project_id = p->enterprise_project_id ? xstrdup(p->enterprise_project_id)
                                                            : NULL;
        q->total_num = -1;
        p->params = xcalloc(n_filters + 1, sizeof *p->params);
        if (p->enterprise_project_id)
            p->params[p->n_params++] = (struct sign_param){"enterprise_project_id",
                                                           p->enterprise_project_id};
        for (size_t i = 0; i < n_filters; i++)
            p->params[p->n_params++] = (struct sign_param){filters[i].name, filters[i].value};
        p->path = hss_list_path(p->ep.prefix, p->project_id);
    }
    if (n_plans == 1) {
        out->endpoint = xstrdup(out->sources[0].endpoint);
        out->region = plans[0].region ? xstrdup(plans[0].region) : NULL;
        out->project_id = xstrdup(plans[0].project_id);
        out->enterprise_project_id = plans[0].enterprise_project_id
                                         ? xstrdup(plans[0].enterprise_project_id) : NULL;
    }
    out->filters = xcalloc(n_filters ? n_filters : 1, sizeof *out->filters);
    for (size_t i = 0; i < n_filters; i++)
        out->filters[out->n_filters++] = xasprintf("%s=%s", filters[i].name, filters[i].value);
    char desc[128];
    out->auth = xstrdup(auth_describe(&auth, desc, sizeof desc));
    out->page_size = s.page_size;
    out->concurrency = s.concurrency;
    out->max_retries = s.retries;
    out->max_rate = s.max_rate;
    out->timeout = s.timeout;
    out->retry_max_time = s.retry_max_time;
    out->insecure = s.insecure;
    out->allow_incomplete = s.allow_incomplete;

    if (s.insecure)
        for (size_t k = 0; k < n_plans; k++)
            if (k == 0 || strcmp(plans[k].ep.base, plans[k - 1].ep.base) != 0)
                diags_add(d, DIAG_WARNING, NULL, 0, 0, 0, NULL,
                          "--insecure: the TLS certificate of %s was NOT verified; anyone on "
                          "the network path could have read the credentials and altered the "
                          "data", plans[k].ep.base);
    /* Warnings about this pull (--insecure, which credentials are used)
     * are worth reading before a long pull, not after it. */
    diags_flush(d, stderr);

    /* 3. The sources, one after another, into one snapshot. */
    rc = PULL_FAILED;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    /* A peer that resets a TLS connection must be an error, not a
     * SIGPIPE that kills the run (curl is told not to touch signals). */
    signal(SIGPIPE, SIG_IGN);

    struct progress prog;
    progress_init(&prog, cfg->quiet);
    struct fetch_opts fo = {
        .auth = &auth, .page_size = (int)s.page_size,
        .concurrency = (int)s.concurrency, .max_rate = s.max_rate, .timeout = s.timeout,
        .retries = (int)s.retries, .retry_max_time = s.retry_max_time,
        .cacert = s.insecure ? NULL : s.cacert, .insecure = s.insecure, .verbose = cfg->verbose,
        .allow_incomplete = s.allow_incomplete, .max_body = 0, .progress = &prog,
    };
    /* One deadline for every source and pass: --max-time bounds the
     * whole pull, where --retry-max-time bounds how long one page may
     * be refused. */
    if (s.max_time > 0) {
        fo.deadline_ms = time_now_ms() + (int64_t)(s.max_time * 1000.0);
        fo.max_time = s.max_time;
    }
    struct atomic_file af;
    if (atomic_open(&af, snapshot_path, d) < 0) {
        rc = PULL_WRITE;
    } else {
        rc = PULL_OK;
        for (size_t k = 0; k < n_plans && rc == PULL_OK; k++)
            rc = pull_one(cfg, &s, &plans[k], fo, &af, &out->sources[k], d);
        add_up(out);
        if (rc == PULL_OK && (fflush(af.fp) != 0 ||
                              sha256_file(af.tmp, out->snapshot_sha256) < 0)) {
            diags_add(d, DIAG_ERROR, snapshot_path, 0, 0, 0, NULL, "cannot write: %s",
                      strerror(errno));
            rc = PULL_WRITE;
        }
        if (rc == PULL_OK && commit_snapshot(&af, snapshot_path, out, d) != PULL_OK)
            rc = PULL_WRITE;
        if (rc != PULL_OK) {
            out->snapshot_sha256[0] = '\0';
            atomic_abort(&af);
        }
    }
    out->seconds = (double)progress_elapsed_ms(&prog) / 1000.0;
    if (rc == PULL_OK)
        print_summary(out, cfg->quiet);

done:
    /* Last line of defence: no message may carry a secret, whatever a
     * server echoed back. */
    for (size_t i = first_diag; i < d->n; i++)
        auth_redact(&auth, d->v[i].msg);
    auth_dispose(&auth);
    plans_dispose(plans, n_plans, keep, cfg->sources.n);
    hss_filters_free(filters, n_filters);
    return rc;
}

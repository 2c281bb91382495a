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
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/config.h"
#include "source/auth.h"
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
    const char *cacert, *token_file;
    bool allow_http, insecure, allow_incomplete;
    long page_size, concurrency, retries;
    double max_rate, timeout;
    const char **filters;           /* owned array, borrowed strings */
    size_t n_filters;
};

/* ---- settings: options > config file > environment > defaults ---- */

static int conf_long(const struct config_file *cf, const char *key, long *out,
                     struct diags *d)
{
    const struct config_entry *e = config_get(cf, key);
    if (!e)
        return 0;
    char *end;
    errno = 0;
    long v = strtol(e->value, &end, 10);
    if (errno || end == e->value || *end) {
        diags_add(d, DIAG_ERROR, cf->path, e->line, 0, 0, NULL,
                  "%s: '%s' is not a whole number", key, e->value);
        return -1;
    }
    *out = v;
    return 0;
}

static int conf_double(const struct config_file *cf, const char *key, double *out,
                       struct diags *d)
{
    const struct config_entry *e = config_get(cf, key);
    if (!e)
        return 0;
    char *end;
    errno = 0;
    double v = strtod(e->value, &end);
    if (errno || end == e->value || *end || !isfinite(v) || v < 0) {
        diags_add(d, DIAG_ERROR, cf->path, e->line, 0, 0, NULL,
                  "%s: '%s' is not a non-negative number", key, e->value);
        return -1;
    }
    *out = v;
    return 0;
}

static int conf_bool(const struct config_file *cf, const char *key, bool *out,
                     struct diags *d)
{
    const struct config_entry *e = config_get(cf, key);
    if (!e)
        return 0;
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (strcmp(e->value, yes[i]) == 0) {
            *out = true;
            return 0;
        }
        if (strcmp(e->value, no[i]) == 0) {
            *out = false;
            return 0;
        }
    }
    diags_add(d, DIAG_ERROR, cf->path, e->line, 0, 0, NULL,
              "%s: '%s' is not true or false", key, e->value);
    return -1;
}

static void conf_str(const struct config_file *cf, const char *key, const char **out)
{
    const struct config_entry *e = config_get(cf, key);
    if (e)
        *out = e->value;
}

static int resolve(struct settings *s, const struct cli_config *cfg,
                   const struct config_file *cf, struct diags *d)
{
    int rc = 0;
    memset(s, 0, sizeof *s);
    /* Defaults. */
    s->page_size = HSS_PAGE_MAX;
    s->concurrency = 4;
    s->retries = 5;
    s->timeout = 30;
    /* Environment (only the project id has a documented variable). */
    const char *env_pid = getenv("HUAWEICLOUD_SDK_PROJECT_ID");
    if (env_pid && *env_pid)
        s->project_id = env_pid;
    /* Config file. */
    conf_str(cf, "region", &s->region);
    conf_str(cf, "endpoint", &s->endpoint);
    conf_str(cf, "project_id", &s->project_id);
    conf_str(cf, "enterprise_project_id", &s->enterprise_project_id);
    conf_str(cf, "cacert", &s->cacert);
    conf_str(cf, "token_file", &s->token_file);
    rc |= conf_bool(cf, "allow_http", &s->allow_http, d);
    rc |= conf_bool(cf, "insecure", &s->insecure, d);
    rc |= conf_bool(cf, "allow_incomplete", &s->allow_incomplete, d);
    rc |= conf_long(cf, "page_size", &s->page_size, d);
    rc |= conf_long(cf, "concurrency", &s->concurrency, d);
    rc |= conf_long(cf, "retries", &s->retries, d);
    rc |= conf_double(cf, "max_rate", &s->max_rate, d);
    rc |= conf_double(cf, "timeout", &s->timeout, d);
    /* Options. */
#define FROM_CLI(field) \
    if (cfg->has_##field) \
        s->field = cfg->field;
    FROM_CLI(region)
    FROM_CLI(endpoint)
    FROM_CLI(project_id)
    FROM_CLI(enterprise_project_id)
    FROM_CLI(cacert)
    FROM_CLI(token_file)
    FROM_CLI(allow_http)
    FROM_CLI(insecure)
    FROM_CLI(allow_incomplete)
    FROM_CLI(page_size)
    FROM_CLI(concurrency)
    FROM_CLI(retries)
    FROM_CLI(max_rate)
    FROM_CLI(timeout)
#undef FROM_CLI
    /* Filters: the command line's replace the file's (not merged), so
     * one run can narrow a configured job without editing the file. */
    if (cfg->has_filters && cfg->filters.n) {
        s->filters = xcalloc(cfg->filters.n, sizeof *s->filters);
        for (size_t i = 0; i < cfg->filters.n; i++)
            s->filters[s->n_filters++] = cfg->filters.v[i];
    } else {
        s->filters = xcalloc(cf->n ? cf->n : 1, sizeof *s->filters);
        for (size_t i = 0; i < cf->n; i++)
            if (strcmp(cf->v[i].key, "filter") == 0)
                s->filters[s->n_filters++] = cf->v[i].value;
    }

    if (s->page_size < 1 || s->page_size > HSS_PAGE_MAX) {
        diags_error(d, "--page-size %ld: must be 1 to %d", s->page_size, HSS_PAGE_MAX);
        rc = -1;
    }
    if (s->concurrency < 1 || s->concurrency > FETCH_MAX_CONCURRENCY) {
        diags_error(d, "--concurrency %ld: must be 1 to %d", s->concurrency,
                    FETCH_MAX_CONCURRENCY);
        rc = -1;
    }
    if (s->retries < 0 || s->retries > 100) {
        diags_error(d, "--retries %ld: must be 0 to 100", s->retries);
        rc = -1;
    }
    if (!(s->timeout > 0) || s->timeout > 3600) {
        diags_error(d, "--timeout %g: must be more than 0 and at most 3600 seconds",
                    s->timeout);
        rc = -1;
    }
    if (s->max_rate < 0) {
        diags_error(d, "--max-rate %g: must not be negative", s->max_rate);
        rc = -1;
    }
    return rc ? -1 : 0;
}

/* ---- the snapshot writer ---- */

struct sink {
    FILE *fp;
    struct sha256_ctx sha;
    int err;                /* errno of the first failed write */
};

static int sink_emit(const char *rec, size_t len, void *payload)
{
    struct sink *k = payload;
    if (fwrite(rec, 1, len, k->fp) != len || fputc('\n', k->fp) == EOF) {
        k->err = errno ? errno : EIO;
        return 1;
    }
    sha256_update(&k->sha, rec, len);
    sha256_update(&k->sha, "\n", 1);
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
    char *path = provenance_path(snapshot_path);
    struct atomic_file both[2] = {*af};
    memset(af, 0, sizeof *af);
    if (atomic_open(&both[1], path, d) < 0) {
        atomic_abort(&both[0]);
        free(path);
        return PULL_WRITE;
    }
    if (provenance_write(&p, both[1].fp) < 0) {
        diags_add(d, DIAG_ERROR, path, 0, 0, 0, NULL, "cannot write: %s", strerror(errno));
        atomic_abort(&both[0]);
        atomic_abort(&both[1]);
        free(path);
        return PULL_WRITE;
    }
    if (atomic_commit_all(both, 2, d) < 0) {
        free(path);
        return PULL_WRITE;
    }
    out->provenance_path = path;
    return PULL_OK;
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
    memset(r, 0, sizeof *r);
}

static void print_summary(const struct pull_result *r, bool quiet)
{
    if (quiet)
        return;
    fprintf(stderr, "imgaudit: pulled %zu record%s%s (total_num %lld, %zu page%s, "
            "%zu duplicate%s dropped, %zu retr%s%s) in %.1f s from %s\n",
            r->records_received, r->records_received == 1 ? "" : "s",
            r->complete ? "" : " INCOMPLETE", (long long)r->total_num, r->pages,
            r->pages == 1 ? "" : "s", r->duplicates_dropped,
            r->duplicates_dropped == 1 ? "" : "s", r->retries, r->retries == 1 ? "y" : "ies",
            r->passes > 1 ? ", pulled twice" : "", r->seconds, r->endpoint);
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

int app_pull(const struct cli_config *cfg, const char *snapshot_path,
             struct pull_result *out, struct diags *d)
{
    memset(out, 0, sizeof *out);
    out->total_num = -1;
    size_t first_diag = d->n;
    struct config_file cf = CONFIG_FILE_INIT;
    struct settings s;
    struct hss_endpoint ep;
    memset(&ep, 0, sizeof ep);
    struct hss_filter *filters = NULL;
    size_t n_filters = 0;
    struct auth auth = AUTH_INIT;
    struct sign_param *params = NULL;
    char *path = NULL;
    char *region_url = NULL;
    int rc = PULL_USAGE;
    int bad = 0;
    memset(&s, 0, sizeof s);

    /* 1. Settings, all checked before anything is sent. */
    if (cfg->config && config_load(&cf, cfg->config, d) < 0)
        goto done;
    bad |= resolve(&s, cfg, &cf, d);
    if (s.endpoint) {
        bad |= hss_endpoint_parse(&ep, s.endpoint, s.allow_http, d);
    } else if (s.region) {
        region_url = hss_region_endpoint(s.region, d);
        if (!region_url)
            bad = -1;
        else
            bad |= hss_endpoint_parse(&ep, region_url, s.allow_http, d);
    } else {
        diags_error(d, "no endpoint: give --region ID (e.g. cn-north-4) or --endpoint URL");
        bad = -1;
    }
    if (!s.project_id) {
        diags_error(d, "no project id: give --project-id ID or set HUAWEICLOUD_SDK_PROJECT_ID");
        bad = -1;
    } else {
        bad |= hss_check_project_id(s.project_id, d);
    }
    if (s.enterprise_project_id)
        bad |= hss_check_enterprise_project_id(s.enterprise_project_id, d);
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

    /* Fill what the report records about the source. */
    out->endpoint = xstrdup(ep.base);
    if (ep.prefix[0]) {
        free(out->endpoint);
        out->endpoint = xasprintf("%s%s", ep.base, ep.prefix);
    }
    out->region = s.region ? xstrdup(s.region) : NULL;
    out->project_id = xstrdup(s.project_id);
    out->enterprise_project_id = s.enterprise_project_id ? xstrdup(s.enterprise_project_id)
                                                         : NULL;
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
    out->insecure = s.insecure;
    out->allow_incomplete = s.allow_incomplete;

    if (s.insecure)
        diags_add(d, DIAG_WARNING, NULL, 0, 0, 0, NULL,
                  "--insecure: the TLS certificate of %s was NOT verified; anyone on the "
                  "network path could have read the credentials and altered the data",
                  ep.base);
    /* Warnings about this pull (--insecure, which credentials are used)
     * are worth reading before a long pull, not after it. */
    diags_flush(d, stderr);

    /* 3. The passes. */
    rc = PULL_FAILED;
    params = xcalloc(n_filters + 1, sizeof *params);
    size_t np = 0;
    if (s.enterprise_project_id)
        params[np++] = (struct sign_param){"enterprise_project_id", s.enterprise_project_id};
    for (size_t i = 0; i < n_filters; i++)
        params[np++] = (struct sign_param){filters[i].name, filters[i].value};
    path = hss_list_path(ep.prefix, s.project_id);

    curl_global_init(CURL_GLOBAL_DEFAULT);
    /* A peer that resets a TLS connection must be an error, not a
     * SIGPIPE that kills the run (curl is told not to touch signals). */
    signal(SIGPIPE, SIG_IGN);

    struct progress prog;
    progress_init(&prog, cfg->quiet);
    struct fetch_opts fo = {
        .ep = &ep, .path = path, .project_id = s.project_id, .params = params,
        .n_params = np, .auth = &auth, .page_size = (int)s.page_size,
        .concurrency = (int)s.concurrency, .max_rate = s.max_rate, .timeout = s.timeout,
        .retries = (int)s.retries, .cacert = s.insecure ? NULL : s.cacert,
        .insecure = s.insecure, .verbose = cfg->verbose,
        .allow_incomplete = s.allow_incomplete, .max_body = 0, .progress = &prog,
    };
    if (cfg->verbose)
        fprintf(stderr, "imgaudit: pulling %s%s (project %s%s%s, %zu filters) with %s, "
                "page size %ld, concurrency %ld, %ld retries\n", ep.base, path,
                s.project_id, s.enterprise_project_id ? ", enterprise project " : "",
                s.enterprise_project_id ? s.enterprise_project_id : "", n_filters,
                out->auth, s.page_size, s.concurrency, s.retries);

    for (int pass = 1; pass <= 2; pass++) {
        struct atomic_file af;
        if (atomic_open(&af, snapshot_path, d) < 0) {
            rc = PULL_WRITE;
            break;
        }
        struct sink k = {af.fp, {NULL}, 0};
        sha256_init(&k.sha);
        struct fetch_stats st;
        out->pulled_at_ms = time_now_ms();
        int frc = fetch_pull(&fo, sink_emit, &k, &st, d);
        char hex[SHA256_HEX_LEN];
        sha256_final_hex(&k.sha, hex);
        out->passes = pass;
        out->requests += st.requests;
        out->retries += st.retries;
        out->pages = st.pages;
        out->records_received = st.records;
        out->duplicates_dropped = st.duplicates;
        out->total_num = st.last_total_num;
        out->expected_records = st.last_total_num;
        if (frc != 0) {
            atomic_abort(&af);
            if (frc > 0) {
                diags_add(d, DIAG_ERROR, snapshot_path, 0, 0, 0, NULL, "cannot write: %s",
                          strerror(k.err));
                rc = PULL_WRITE;
            }
            break;
        }
        bool adds_up = !st.offset_limited && !st.total_changed &&
                       (int64_t)st.records == st.total_num;
        struct buf why = BUF_INIT;
        if (!adds_up)
            describe_gap(&why, &st);
        if (!adds_up && pass == 1 && !st.offset_limited) {
            diags_add(d, DIAG_NOTE, NULL, 0, 0, 0, NULL,
                      "received %zu record%s but total_num is %lld%s; pulled again",
                      st.records, st.records == 1 ? "" : "s", (long long)st.last_total_num,
                      buf_cstr(&why));
            buf_dispose(&why);
            if (cfg->verbose) {
                progress_clear(&prog);
                fprintf(stderr, "imgaudit: records do not add up to total_num; pulling again\n");
            }
            atomic_abort(&af);
            continue;
        }
        if (!adds_up && !s.allow_incomplete) {
            diags_error(d, "incomplete pull: received %zu record%s but total_num is %lld%s "
                        "(pulled twice); no snapshot was written. "
                        "Try again later, narrow the pull with --filter, or use "
                        "--allow-incomplete to keep what arrived, marked INCOMPLETE",
                        st.records, st.records == 1 ? "" : "s",
                        (long long)st.last_total_num, buf_cstr(&why));
            buf_dispose(&why);
            atomic_abort(&af);
            break;
        }
        buf_dispose(&why);
        memcpy(out->snapshot_sha256, hex, sizeof hex);
        out->complete = adds_up;
        if (commit_snapshot(&af, snapshot_path, out, d) != PULL_OK) {
            out->snapshot_sha256[0] = '\0';
            rc = PULL_WRITE;
            break;
        }
        if (!adds_up)
            diags_add(d, DIAG_WARNING, NULL, 0, 0, 0, NULL,
                      "INCOMPLETE: %zu of %lld records received%s; written because of "
                      "--allow-incomplete", st.records, (long long)st.last_total_num,
                      st.offset_limited ? " (beyond the API's offset limit)" : "");
        rc = PULL_OK;
        break;
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
    free(params);
    free(path);
    free(region_url);
    hss_filters_free(filters, n_filters);
    hss_endpoint_dispose(&ep);
    free(s.filters);
    config_dispose(&cf);
    return rc;
}

/* SPDX-License-Identifier: MIT
 * The pull: everything between the command line and a snapshot file.
 * app_pull() takes the connection settings as the CLI resolved them
 * (options > --config file > environment > defaults), checks their
 * ranges and forms, loads credentials, pulls the
 * complete image list from HSS ListRegistryImages (source/fetch.c) and
 * writes it atomically as a snapshot: JSON Lines, one record per line,
 * each record re-serialised compactly by jansson with its keys in the
 * order received, in offset order, duplicates (by id) removed. Beside
 * it, committed together with it, goes its provenance
 * (source/provenance.h: NAME.meta.json), unless the snapshot is a stream
 * or a device (-o -), which has no "beside". `fetch` is just this;
 * `report` runs it and then evaluates the snapshot exactly as `report
 * --input SNAPSHOT` would, provenance included.
 *
 * Completeness: when the records do not add up to total_num, or
 * total_num changed during the pull, the snapshot is restarted and the
 * pull runs once more. If that still does not add up, no snapshot is
 * written and PULL_FAILED is returned, unless --allow-incomplete: then
 * the snapshot is written and 'complete' is false, with the expected
 * and received counts in the result.
 *
 * Several sources (issue 9): --project-id repeated (each in --region,
 * or at --endpoint) and --source REGION/PROJECT_ID[/EPS_ID] (each in its
 * own region; --region-endpoint REGION=URL points a region elsewhere).
 * They are pulled one after another into the one snapshot, each
 * completely, each with its own completeness check and its own re-pull;
 * its records follow the previous source's, and the provenance lists the
 * sources in that order (provenance.h, version 2), which is how the
 * report knows each record's project and region. One source that does
 * not add up stops the pull (no snapshot) unless --allow-incomplete;
 * then the whole snapshot is incomplete and that source says by how
 * much. Messages of a run with several sources name the source.
 *
 * Example (the lead's `fetch`):
 *     struct pull_result res;
 *     int rc = app_pull(&job->pull, job->outputs.v[0], &res, d);
 *     if (rc == PULL_USAGE) code = EXIT_USAGE; ...
 *     pull_result_dispose(&res);                                      */
#ifndef IMGAUDIT_PULL_H
#define IMGAUDIT_PULL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/strs.h"
#include "util/diag.h"
#include "util/hash.h"

enum pull_status {
    PULL_OK = 0,
    PULL_USAGE = -2,        /* bad settings or credentials, before any request: exit 2 */
    PULL_FAILED = -3,       /* API or network error, incomplete pull: exit 3 */
    PULL_WRITE = -4,        /* the snapshot could not be written: exit 4 */
};

/* One source's pull. */
/* The connection settings, as the CLI resolved them (options > config
 * file > environment > defaults); app_pull() checks their ranges and
 * forms. Strings are borrowed. */
struct pull_opts {
    const char *region, *endpoint, *enterprise_project_id;
    struct app_strs project_id;     /* --project-id, or $HUAWEICLOUD_SDK_PROJECT_ID */
    bool has_project_id;            /* given (command line or config file), not from the environment */
    struct app_strs sources;        /* --source REGION/PROJECT_ID[/EPS_ID] */
    struct app_strs region_endpoints; /* --region-endpoint REGION=URL */
    struct app_strs filters;        /* --filter NAME=VALUE */
    const char *cacert, *token_file;
    bool allow_http, insecure, allow_incomplete;
    bool quiet, verbose;
    long page_size, concurrency, retries;  /* retries: -1 = no count limit; the ranges
                                            * are checked (cli.c) */
    double max_rate, timeout, retry_max_time;
    double max_time;                /* the whole pull, seconds; 0 = no limit */
};

struct pull_source {
    char *endpoint;                 /* base URL used */
    char *region;                   /* NULL when only an endpoint was given */
    char *project_id;
    char *enterprise_project_id;    /* NULL when not set */
    int64_t total_num;              /* as the API last declared it; -1 if never seen */
    int64_t expected_records;       /* what total_num promised */
    size_t records_received, duplicates_dropped, pages, requests, retries;
    int passes;
    bool complete;
    int64_t pulled_at_ms;           /* when its final pass started */
};

/* With one source, the fields below describe it, as before there were
 * several. With several, endpoint, region, project_id and
 * enterprise_project_id are NULL, the counts are the sums over the
 * sources (total_num -1 when one never declared it), complete is true
 * when every source is, pulled_at_ms is the first source's and passes
 * the most any source needed; 'sources' has them one by one. */
struct pull_result {
    char *endpoint;                 /* base URL used, e.g. "https://hss.cn-north-4.myhuaweicloud.com" */
    char *region;                   /* NULL when only --endpoint was given */
    char *project_id;
    char *enterprise_project_id;    /* NULL when not set */
    char **filters;                 /* "name=value" as sent (times in epoch ms) */
    size_t n_filters;
    int64_t total_num;              /* as the API last declared it; -1 if never seen */
    size_t records_received;        /* records in the snapshot */
    size_t duplicates_dropped;
    size_t pages;                   /* pages received in the final pass */
    size_t requests;                /* requests sent, all passes, retries included */
    size_t retries;                 /* all passes */
    int passes;                     /* 1, or 2 after a re-pull */
    char snapshot_sha256[SHA256_HEX_LEN]; /* of the snapshot bytes; "" if none written */
    bool complete;                  /* false only with --allow-incomplete */
    int64_t expected_records;       /* what total_num promised */
    char *auth;                     /* "AK/SK signing (HUAWEICLOUD_SDK_AK/SK)", "IAM token (--token-file)" */
    double seconds;                 /* wall time of the pull */
    int64_t pulled_at_ms;           /* when the final pass started (provenance pulled_at) */
    char *provenance_path;          /* written beside the snapshot; NULL when not */
    struct pull_source *sources;    /* n_sources >= 1 once the settings were resolved */
    size_t n_sources;
    /* The effective connection settings, for evidence (run.json). */
    long page_size, concurrency, max_retries;  /* max_retries: -1 = no count limit */
    double max_rate, timeout, retry_max_time;
    bool insecure, allow_incomplete;
};

/* Pull into 'snapshot_path' (written atomically; absent on failure).
 * Returns PULL_OK (also for an incomplete pull with --allow-incomplete:
 * check 'out->complete'), or a negative pull_status with the reasons in
 * 'd'. 'out' is filled as far as the pull got and must be disposed in
 * every case. Prints progress and a one-line summary to stderr unless
 * --quiet; never prints a secret. */
int app_pull(const struct pull_opts *opts, const char *snapshot_path,
             struct pull_result *out, struct diags *d);
void pull_result_dispose(struct pull_result *r);

#endif

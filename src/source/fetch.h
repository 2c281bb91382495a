/* SPDX-License-Identifier: MIT
 * One pass over the HSS image list: the first page (offset 0) gives
 * total_num, then the remaining pages are fetched concurrently through
 * the libcurl multi interface (reused connections, at most
 * 'concurrency' requests in flight) and their records are handed to the
 * caller in offset order as soon as the prefix is complete.
 *
 * Memory is bounded by a window of 2 x 16 pages (in flight or finished
 * but waiting for an earlier page), not by the tenant size. The only
 * thing that grows with the tenant is the duplicate filter: 16 bytes per
 * record (an open-addressing set of ids).
 *
 * Duplicates: a record whose "id" (a JSON integer, or a string of
 * digits) was already emitted in this pass is dropped and counted.
 * Records without a usable id are deduplicated by the SHA-256 of their
 * compact JSON text instead, so an identical id-less record that shows
 * up twice across a page boundary is still counted once.
 *
 * Faults: HTTP 429/500/502/503/504, connection failures, timeouts and a
 * 200 whose body is not valid JSON (a cut transfer) are retried with
 * exponential backoff and full jitter (base 0.5 s, cap 30 s; a
 * Retry-After header wins when present, capped to 60 s, which -v
 * reports). Two budgets bound the retries of one page, whichever runs
 * out first: 'retry_max_time' seconds counted from the page's first
 * request (the last backoff is shortened to end on it; a Retry-After
 * that would pass it gives up at once), and 'retries' attempts after
 * the first (-1: no count limit). So a page that is refused, throttled
 * or trickled for good ends the pull within retry_max_time + timeout
 * seconds, while a pull that keeps delivering pages may run as long as
 * it needs. A 429 halves the concurrency, which then grows back by one
 * per 8 clean responses. Any other status (400, 401,
 * 403, 404, ...), a 200 whose valid JSON is not a page (the same body
 * would come back) and a response header line beyond libcurl's limit
 * stop the pass at once.
 *
 * Deadline: with 'deadline_ms' set, the pass stops when it is reached,
 * whatever is in flight (the loop wakes at least every 100 ms), with an
 * error that says how far it got: a slow or trickling server cannot hold
 * a pull beyond --max-time, however each page fares.
 *
 * Secrets: whatever the server sends back (error bodies, X-Request-Id,
 * the records of a page, curl's messages) is scrubbed of the request's
 * credentials (the whole Authorization value, SK, security token, IAM
 * token, signature and AK) before it is kept or printed, so a server
 * that echoes request headers cannot put them into a message, the
 * snapshot or a report.
 *
 * Records are emitted as compact JSON (jansson, keys in the order
 * received), one per call, without the newline. */
#ifndef IMGAUDIT_FETCH_H
#define IMGAUDIT_FETCH_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "source/auth.h"
#include "source/hss.h"
#include "source/progress.h"
#include "source/sign.h"
#include "util/diag.h"

#define FETCH_MAX_CONCURRENCY 16
/* Far above a 200-record page (a few hundred KB), far below harm. */
#define FETCH_MAX_BODY (16u * 1024 * 1024)

struct fetch_opts {
    const struct hss_endpoint *ep;
    const char *path;                   /* raw request path (hss_list_path) */
    const char *project_id;             /* sent and signed as X-Project-Id */
    const struct sign_param *params;    /* filters, enterprise_project_id; not offset/limit */
    size_t n_params;
    const struct auth *auth;
    int page_size;                      /* 1..200 */
    int concurrency;                    /* 1..16 */
    double max_rate;                    /* requests per second, 0 = unlimited */
    double timeout;                     /* seconds per request */
    int retries;                        /* per page; -1 = no count limit */
    double retry_max_time;              /* seconds per page from its first request; > 0 */
    int64_t deadline_ms;                /* the whole pull ends then (time_now_ms); 0 = none */
    double max_time;                    /* the --max-time that set it, for the message */
    const char *cacert;                 /* NULL = system default */
    bool insecure;
    bool verbose;                       /* one stderr line per request (no secrets) */
    bool allow_incomplete;              /* go on when total_num is beyond the offset limit */
    size_t max_body;                    /* 0 = FETCH_MAX_BODY */
    struct progress *progress;          /* may be NULL */
};

struct fetch_stats {
    int64_t total_num;                  /* from the first page; -1 before it */
    int64_t last_total_num;             /* from the latest page */
    bool total_changed;                 /* a page reported a different total_num */
    bool offset_limited;                /* total_num beyond what offsets reach */
    size_t records;                     /* emitted */
    size_t duplicates;                  /* dropped */
    size_t pages;                       /* pages received */
    size_t requests;                    /* requests sent, retries included */
    size_t retries;                     /* retried requests */
    size_t throttled;                   /* 429 responses */
};

/* Called for every record to keep, in offset order; a nonzero return
 * stops the pass and is returned by fetch_pull(). */
typedef int (*fetch_emit_fn)(const char *rec, size_t len, void *payload);

/* Run one pass. Returns 0, -1 with an error in 'd' (API, network,
 * a retry budget used up, or total_num beyond the offset limit without
 * 'allow_incomplete'), or the nonzero value 'emit' returned. 'st' is
 * filled in every case. */
int fetch_pull(const struct fetch_opts *o, fetch_emit_fn emit, void *payload,
               struct fetch_stats *st, struct diags *d);

#endif

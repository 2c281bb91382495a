/* SPDX-License-Identifier: MIT
 * The concurrent pager; see fetch.h for the contract.
 *
 * Shape: a window of slots, slot i holding page p with p % W == i, for
 * the pages [next_emit, next_emit + W). A slot is WAIT (to be started
 * at due_ms: new, or backing off after a fault), RUN (an easy handle in
 * the multi) or DONE (records parsed, waiting for every earlier page to
 * be emitted). One thread: curl_multi_poll() sleeps until a transfer
 * moves, a retry is due or a rate token arrives, whichever is first.
 *
 * Why a window and not "start everything": the window is what bounds
 * memory when one early page keeps failing while later pages succeed. */
#include "source/fetch.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source/pagescan.h"
#include "util/buf.h"
#include "util/hash.h"
#include "util/hex.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

#define BACKOFF_BASE_MS 500
#define BACKOFF_CAP_MS 30000
/* A Retry-After beyond this is a server's mistake (or a hostile one's
 * way to hang the pull): wait this long and try again. */
#define RETRY_AFTER_MAX_MS 60000
#define GROW_AFTER_CLEAN 8          /* clean responses per +1 concurrency after a 429 */
#define HALVE_GAP_MS 1000           /* one 429 burst halves once, not once per reply */

/* ---- a set of 64-bit keys (open addressing, 0 = empty) ---- */

struct keyset {
    uint64_t *v;
    size_t cap, n;
};

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static void keyset_put(uint64_t *v, size_t cap, uint64_t k)
{
    size_t i = (size_t)mix64(k) & (cap - 1);
    while (v[i] && v[i] != k)
        i = (i + 1) & (cap - 1);
    v[i] = k;
}

/* Add 'k' (nonzero); true when it was not there yet. */
static bool keyset_add(struct keyset *s, uint64_t k)
{
    if ((s->n + 1) * 2 > s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 1024;
        uint64_t *nv = xcalloc(ncap, sizeof *nv);
        for (size_t i = 0; i < s->cap; i++)
            if (s->v[i])
                keyset_put(nv, ncap, s->v[i]);
        free(s->v);
        s->v = nv;
        s->cap = ncap;
    }
    size_t i = (size_t)mix64(k) & (s->cap - 1);
    while (s->v[i]) {
        if (s->v[i] == k)
            return false;
        i = (i + 1) & (s->cap - 1);
    }
    s->v[i] = k;
    s->n++;
    return true;
}

/* ---- slots ---- */

struct fetcher;

enum slot_state { SLOT_FREE, SLOT_WAIT, SLOT_RUN, SLOT_DONE };

struct slot {
    enum slot_state state;
    int64_t page_index;
    int attempts;               /* failed attempts so far */
    int64_t first_ms;           /* the page's first request: its retry budget starts here */
    int64_t due_ms;             /* SLOT_WAIT: earliest start */
    CURL *easy;                 /* SLOT_RUN */
    struct curl_slist *hdrs;
    struct buf body;            /* capped response body */
    bool too_big;
    char request_id[96];
    int64_t retry_after_ms;     /* -1: none */
    int64_t started_ms;
    char errbuf[CURL_ERROR_SIZE];
    char *target;               /* "path?query" for messages: no secret in it */
    char sig[SHA256_HEX_LEN];   /* AK/SK: this request's signature, to scrub
                                 * from what the server sends back; wiped */
    char *authz;                /* AK/SK: this request's whole Authorization
                                 * value, scrubbed likewise; wiped */
    bool got_status;            /* the status line of the response arrived */
    bool headers_done;          /* ... and the blank line after its headers */
    const struct fetcher *f;
    struct pagescan page;       /* SLOT_DONE: the page's records */
};

struct fetcher {
    const struct fetch_opts *o;
    struct fetch_stats *st;
    struct diags *d;
    CURLM *multi;
    CURL *pool[FETCH_MAX_CONCURRENCY * 2];
    size_t n_pool;
    struct slot *slots;
    int64_t window;
    int64_t npages;             /* 1 until the first page tells total_num */
    int64_t next_emit, next_new;
    int inflight;
    int cur_conc;
    int clean_streak;
    int64_t last_halve_ms;
    double tokens;
    int64_t token_ms;
    uint64_t rng;
    struct keyset ids, hashes;
    char *wire_path;            /* escaped request path */
    char *host_hdr;             /* "Host: ..." */
    char auth_desc[128];
};

#define SLOT_SECRETS 7

/* What a response might echo of the request's credentials,
 * NULL-terminated, for auth_scrub() and hss_describe_error(): the whole
 * Authorization value first (so that it goes as one "***"), then each
 * secret alone, the AK too: it names the account, and a server that
 * echoes request headers would otherwise print it in a message. */
static void slot_secrets(const struct slot *s, const char *out[SLOT_SECRETS])
{
    const struct auth *a = s->f->o->auth;
    size_t n = 0;
    if (s->authz)
        out[n++] = s->authz;
    if (a->sk)
        out[n++] = a->sk;
    if (a->security_token)
        out[n++] = a->security_token;
    if (a->token)
        out[n++] = a->token;
    if (s->sig[0])
        out[n++] = s->sig;
    if (a->ak)
        out[n++] = a->ak;
    out[n] = NULL;
}

static size_t slot_scrub(const struct slot *s, char *t, size_t len)
{
    const char *secrets[SLOT_SECRETS];
    slot_secrets(s, secrets);
    for (size_t i = 0; secrets[i]; i++)
        len = auth_scrub(t, len, secrets[i]);
    return len;
}

static uint64_t rng_next(struct fetcher *f)
{
    f->rng += 0x9e3779b97f4a7c15ULL;
    return mix64(f->rng);
}

/* ---- curl callbacks ---- */

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    struct slot *s = ud;
    if (buf_append(&s->body, p, size * n) < 0) {
        s->too_big = true;
        return 0;   /* makes curl stop with CURLE_WRITE_ERROR */
    }
    return size * n;
}

static bool header_is(const char *line, size_t n, const char *name, const char **val,
                      size_t *vlen)
{
    size_t k = strlen(name);
    if (n <= k || line[k] != ':')
        return false;
    for (size_t i = 0; i < k; i++)
        if ((line[i] | 0x20) != (name[i] | 0x20))
            return false;
    const char *v = line + k + 1;
    const char *end = line + n;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    *val = v;
    *vlen = (size_t)(end - v);
    return true;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    struct slot *s = ud;
    size_t len = size * n;
    const char *v;
    size_t vl;
    if (len >= 5 && memcmp(p, "HTTP/", 5) == 0) {
        s->got_status = true;   /* a new response (a 100 Continue comes first) */
        s->headers_done = false;
    } else if (len <= 2 && (len == 0 || p[0] == '\r' || p[0] == '\n')) {
        s->headers_done = true;
    }
    if (header_is(p, len, "x-request-id", &v, &vl)) {
        /* Printed later: scrub whatever the server echoes before the
         * value is cut to size, and keep it printable. */
        char *t = xmalloc(vl + 1);
        memcpy(t, v, vl);
        vl = slot_scrub(s, t, vl);
        size_t k = vl < sizeof s->request_id - 1 ? vl : sizeof s->request_id - 1;
        for (size_t i = 0; i < k; i++)
            s->request_id[i] = (unsigned char)t[i] < 0x20 || t[i] == 0x7f ? '?' : t[i];
        s->request_id[k] = '\0';
        memset(t, 0, vl);
        free(t);
    } else if (header_is(p, len, "retry-after", &v, &vl) && vl > 0 && vl < 64) {
        char tmp[64];
        memcpy(tmp, v, vl);
        tmp[vl] = '\0';
        char *end;
        errno = 0;
        long long secs = strtoll(tmp, &end, 10);
        if (!errno && end != tmp && !*end && secs >= 0) {
            /* Saturated before the multiplication, which could overflow;
             * capped when the retry is scheduled, where -v says so. */
            s->retry_after_ms = secs < INT64_MAX / 1000 ? secs * 1000 : INT64_MAX;
        } else {
            time_t when = curl_getdate(tmp, NULL);   /* the HTTP-date form */
            if (when > 0) {
                int64_t ms = (int64_t)when * 1000 - time_now_ms();
                s->retry_after_ms = ms > 0 ? ms : 0;
            }
        }
    }
    return len;
}

/* ---- requests ---- */

static void wipe_authz(struct slot *s)
{
    if (!s->authz)
        return;
    for (volatile char *p = s->authz; *p; p++)
        *p = 0;
    free(s->authz);
    s->authz = NULL;
}

static CURL *easy_get(struct fetcher *f)
{
    if (f->n_pool)
        return f->pool[--f->n_pool];
    const struct fetch_opts *o = f->o;
    CURL *e = curl_easy_init();
    if (!e) {
        fputs("imgaudit: out of memory (curl_easy_init)\n", stderr);
        abort();
    }
    /* No signals from curl: Ctrl-C must reach atomicfile's handler, and
     * curl's own SIGALRM DNS timeouts would not mix with it. */
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);   /* never carry auth elsewhere */
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    /* A page is a few hundred KB: bigger reads mean fewer callbacks. */
    curl_easy_setopt(e, CURLOPT_BUFFERSIZE, 256L * 1024);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "imgaudit/" IMGAUDIT_VERSION);
    long tmo = (long)(o->timeout * 1000.0);
    if (tmo > 0) {
        curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, tmo);
        curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, tmo < 30000 ? tmo : 30000L);
    }
    /* A loopback endpoint is this machine: never route it (and, over
     * plain http, its credentials) through a proxy from the environment. */
    if (o->ep->loopback)
        curl_easy_setopt(e, CURLOPT_PROXY, "");
    if (o->cacert)
        curl_easy_setopt(e, CURLOPT_CAINFO, o->cacert);
    if (o->insecure) {
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    return e;
}

static void easy_put(struct fetcher *f, CURL *e)
{
    if (f->n_pool < sizeof f->pool / sizeof f->pool[0])
        f->pool[f->n_pool++] = e;
    else
        curl_easy_cleanup(e);
}

static void add_header(struct curl_slist **l, const char *name, const char *value)
{
    char *h = xasprintf("%s: %s", name, value);
    *l = curl_slist_append(*l, h);
    if (!*l) {
        fputs("imgaudit: out of memory (curl_slist_append)\n", stderr);
        abort();
    }
    /* Authorization and token headers pass through here: wipe our copy
     * (curl keeps its own until the list is freed). */
    memset(h, 0, strlen(h));
    free(h);
}

static void start_request(struct fetcher *f, struct slot *s)
{
    const struct fetch_opts *o = f->o;
    char limit[16], offset[24];
    snprintf(limit, sizeof limit, "%d", o->page_size);
    snprintf(offset, sizeof offset, "%lld", (long long)(s->page_index * o->page_size));

    struct sign_param *params = xcalloc(o->n_params + 2, sizeof *params);
    for (size_t i = 0; i < o->n_params; i++)
        params[i] = o->params[i];
    params[o->n_params] = (struct sign_param){"limit", limit};
    params[o->n_params + 1] = (struct sign_param){"offset", offset};
    size_t np = o->n_params + 2;

    /* The canonical query doubles as the wire query: signed == sent. */
    struct buf q = BUF_INIT;
    sign_canonical_query(&q, params, np);
    free(s->target);
    s->target = xasprintf("%s?%s", f->wire_path, buf_cstr(&q));
    char *url = xasprintf("%s%s", o->ep->base, s->target);

    struct curl_slist *h = NULL;
    h = curl_slist_append(h, f->host_hdr);
    add_header(&h, "Accept", "application/json");
    /* The Go SDK sends it on this GET too; not signed (as in Go). */
    add_header(&h, "Content-Type", "application/json");
    add_header(&h, "X-Project-Id", o->project_id);
    const struct auth *a = o->auth;
    if (a->kind == AUTH_AKSK) {
        char date[17];
        sign_format_date(time_now_ms() / 1000, date);
        struct sign_header sh[4] = {
            {"Host", o->ep->host}, {"X-Project-Id", o->project_id}, {"X-Sdk-Date", date},
            {"X-Security-Token", a->security_token ? a->security_token : ""},
        };
        size_t nsh = a->security_token ? 4 : 3;
        struct sign_request r = {"GET", o->path, params, np, sh, nsh, NULL, 0};
        struct buf authz = BUF_INIT;
        sign_authorization(&authz, &r, a->ak, a->sk);
        const char *sig = strstr(buf_cstr(&authz), "Signature=");
        snprintf(s->sig, sizeof s->sig, "%s", sig ? sig + strlen("Signature=") : "");
        wipe_authz(s);
        s->authz = xstrdup(buf_cstr(&authz));
        add_header(&h, "X-Sdk-Date", date);
        if (a->security_token)
            add_header(&h, "X-Security-Token", a->security_token);
        add_header(&h, "Authorization", buf_cstr(&authz));
        if (authz.data)
            memset(authz.data, 0, authz.cap);
        buf_dispose(&authz);
    } else {
        add_header(&h, "X-Auth-Token", a->token);
    }
    h = curl_slist_append(h, "Expect:");

    CURL *e = easy_get(f);
    buf_init(&s->body, o->max_body ? o->max_body : FETCH_MAX_BODY);
    s->too_big = false;
    s->request_id[0] = '\0';
    s->retry_after_ms = -1;
    s->got_status = s->headers_done = false;
    s->errbuf[0] = '\0';
    s->f = f;
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, s);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, s);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, s->errbuf);
    curl_easy_setopt(e, CURLOPT_PRIVATE, s);
    s->easy = e;
    s->hdrs = h;
    s->state = SLOT_RUN;
    s->started_ms = time_now_ms();
    if (s->attempts == 0)
        s->first_ms = s->started_ms;
    curl_multi_add_handle(f->multi, e);
    f->inflight++;
    f->st->requests++;
    free(url);
    buf_dispose(&q);
    free(params);
}

/* Detach the finished (or abandoned) transfer of 's'. */
static void finish_request(struct fetcher *f, struct slot *s)
{
    if (!s->easy)
        return;
    curl_multi_remove_handle(f->multi, s->easy);
    curl_easy_setopt(s->easy, CURLOPT_HTTPHEADER, NULL);
    easy_put(f, s->easy);
    s->easy = NULL;
    /* The list holds the Authorization or X-Auth-Token header. */
    for (struct curl_slist *l = s->hdrs; l; l = l->next)
        memset(l->data, 0, strlen(l->data));
    curl_slist_free_all(s->hdrs);
    s->hdrs = NULL;
    f->inflight--;
}

static void slot_reset(struct slot *s)
{
    wipe_authz(s);
    buf_dispose(&s->body);
    pagescan_dispose(&s->page);
    free(s->target);
    memset(s, 0, sizeof *s);
}

/* ---- responses ---- */

static void verbose_line(struct fetcher *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void verbose_line(struct fetcher *f, const char *fmt, ...)
{
    if (!f->o->verbose)
        return;
    if (f->o->progress)
        progress_clear(f->o->progress);
    va_list ap;
    va_start(ap, fmt);
    fputs("imgaudit: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* The first 64 bits of a lowercase hex digest. */
static uint64_t hex64(const char *hex)
{
    uint64_t v = 0;
    for (int i = 0; i < 16; i++)
        v = v << 4 | (uint64_t)hex_digit((unsigned char)hex[i]);
    return v;
}

static bool retryable_status(long status)
{
    return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

static bool retryable_curl(CURLcode c)
{
    switch (c) {
    case CURLE_COULDNT_RESOLVE_HOST: case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT: case CURLE_OPERATION_TIMEDOUT:
    case CURLE_GOT_NOTHING: case CURLE_SEND_ERROR: case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE: case CURLE_HTTP2: case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR: case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_WEIRD_SERVER_REPLY:
        return true;
    default:
        return false;
    }
}

/* libcurl refuses a response header line over CURL_MAX_HTTP_HEADER with
 * CURLE_OUT_OF_MEMORY and no message (7.x), which would print as "Out of
 * memory"; 8.3 to 8.5 say "Too large response headers" with
 * CURLE_RECV_ERROR, 8.6 on return CURLE_TOO_LARGE. It is that when the
 * status line has arrived but the headers did not end. */
static bool header_too_large(const struct slot *s, CURLcode res)
{
    if (!s->got_status || s->headers_done)
        return false;
#if LIBCURL_VERSION_NUM >= 0x080600
    if (res == CURLE_TOO_LARGE)
        return true;
#endif
    return res == CURLE_OUT_OF_MEMORY ||
           (res == CURLE_RECV_ERROR && strstr(s->errbuf, "Too large response headers"));
}

/* A fault that is retried: back off, or give up when the page's count
 * (o->retries) or time (o->retry_max_time) budget is used up. The time
 * counts from the page's first request, not from the pull's start: a
 * pull of a large tenant legitimately runs longer than any one budget,
 * and what must be bounded is how long one page can be refused. A
 * jittered backoff that would end past the budget is shortened to end
 * on it (one last attempt); a Retry-After that would pass it gives up
 * at once, since the server said it will not answer before. */
static int schedule_retry(struct fetcher *f, struct slot *s, const char *why)
{
    const struct fetch_opts *o = f->o;
    const char *rid = s->request_id[0] ? s->request_id : "none";
    s->attempts++;
    if (o->retries >= 0 && s->attempts > o->retries) {
        diags_error(f->d, "GET %s: giving up after %d %s: %s (X-Request-Id: %s); raise "
                    "--retries, or leave it out to let --retry-max-time bound the retries",
                    s->target, o->retries, o->retries == 1 ? "retry" : "retries", why, rid);
        return -1;
    }
    int64_t now = time_now_ms();
    int64_t end = s->first_ms + (int64_t)(o->retry_max_time * 1000.0);
    int shift = s->attempts - 1 < 16 ? s->attempts - 1 : 16;
    int64_t cap = (int64_t)BACKOFF_BASE_MS << shift;
    if (cap > BACKOFF_CAP_MS)
        cap = BACKOFF_CAP_MS;
    /* Full jitter: uniform in [0, cap], so a burst of failures does not
     * come back as a synchronised burst of retries. */
    int64_t delay = (int64_t)(rng_next(f) % (uint64_t)(cap + 1));
    char capped[96] = "";
    bool server_wait = s->retry_after_ms >= 0;
    if (server_wait) {
        delay = s->retry_after_ms;
        if (delay > RETRY_AFTER_MAX_MS) {
            snprintf(capped, sizeof capped, " (Retry-After asked for %.0f s; capped to %d s)",
                     (double)delay / 1000.0, RETRY_AFTER_MAX_MS / 1000);
            delay = RETRY_AFTER_MAX_MS;
        }
    }
    if (now + delay > end) {
        if (server_wait || now >= end) {
            char ra[96] = "";
            if (server_wait)
                snprintf(ra, sizeof ra, "; the server's Retry-After of %.0f s would pass it",
                         (double)s->retry_after_ms / 1000.0);
            diags_error(f->d, "GET %s: giving up after %d attempt%s in %.1f s (--retry-max-time "
                        "%g s%s): %s (X-Request-Id: %s); raise --retry-max-time to keep "
                        "retrying longer", s->target, s->attempts, s->attempts == 1 ? "" : "s",
                        (double)(now - s->first_ms) / 1000.0, o->retry_max_time, ra, why, rid);
            return -1;
        }
        delay = end - now;
    }
    f->st->retries++;
    s->due_ms = now + delay;
    s->state = SLOT_WAIT;
    if (o->retries >= 0)
        verbose_line(f, "retry %d of %d for offset %lld in %.1f s%s: %s", s->attempts,
                     o->retries, (long long)(s->page_index * o->page_size),
                     (double)delay / 1000.0, capped, why);
    else
        verbose_line(f, "retry %d for offset %lld in %.1f s%s: %s", s->attempts,
                     (long long)(s->page_index * o->page_size), (double)delay / 1000.0, capped,
                     why);
    return 0;
}

/* A fault that is not retried: say everything that helps, nothing secret. */
static int fail_response(struct fetcher *f, struct slot *s, long status)
{
    struct buf m = BUF_INIT;
    buf_printf(&m, "GET %s: ", s->target);
    const char *secrets[SLOT_SECRETS];
    slot_secrets(s, secrets);
    hss_describe_error(&m, status, s->body.data, s->body.len, secrets);
    buf_printf(&m, " (X-Request-Id: %s)", s->request_id[0] ? s->request_id : "none");
    if (status == 401) {
        buf_printf(&m, "; auth: %s; a 401 is not retried (the gateway locks an AK for "
                       "5 minutes after repeated failures)", f->auth_desc);
        const char *b = buf_cstr(&s->body);
        if (strstr(b, "expired") && f->o->auth->kind == AUTH_AKSK)
            buf_puts(&m, "; the signature expired: this machine's clock may be off "
                         "(X-Sdk-Date must be within 15 minutes of the server's time)");
        else if (f->o->auth->kind == AUTH_TOKEN)
            buf_puts(&m, "; IAM tokens expire after 24 hours: get a new one");
    } else if (status == 403) {
        buf_printf(&m, "; auth: %s; check the IAM permissions for HSS and the project id",
                   f->auth_desc);
    } else if (status == 404) {
        buf_puts(&m, "; check --region/--endpoint and --project-id");
    }
    diags_error(f->d, "%s", buf_cstr(&m));
    buf_dispose(&m);
    return -1;
}

static void throttled(struct fetcher *f)
{
    f->st->throttled++;
    f->clean_streak = 0;
    int64_t now = time_now_ms();
    if (now - f->last_halve_ms >= HALVE_GAP_MS && f->cur_conc > 1) {
        f->cur_conc = f->cur_conc / 2 > 0 ? f->cur_conc / 2 : 1;
        f->last_halve_ms = now;
        verbose_line(f, "throttled (HTTP 429): concurrency down to %d", f->cur_conc);
    }
}

static void clean_response(struct fetcher *f)
{
    if (f->cur_conc >= f->o->concurrency)
        return;
    if (++f->clean_streak >= GROW_AFTER_CLEAN) {
        f->clean_streak = 0;
        f->cur_conc++;
        verbose_line(f, "concurrency back up to %d", f->cur_conc);
    }
}

/* The first page fixes how many pages there are. */
static int set_total(struct fetcher *f, int64_t total)
{
    const struct fetch_opts *o = f->o;
    struct fetch_stats *st = f->st;
    st->total_num = st->last_total_num = total;
    int64_t ps = o->page_size;
    /* Not (total + ps - 1) / ps: total_num is the server's word, and
     * near INT64_MAX that sum overflows. */
    int64_t need = total > 0 ? total / ps + (total % ps != 0) : 1;
    int64_t reach = HSS_OFFSET_MAX / ps + 1;    /* pages whose offset is allowed */
    if (need > reach) {
        st->offset_limited = true;
        if (!o->allow_incomplete) {
            diags_error(f->d, "total_num is %lld, but the API serves offsets up to %d "
                        "only (%lld records at --page-size %d): split the pull with "
                        "--filter (e.g. one run per namespace=... or image_type=...)",
                        (long long)total, HSS_OFFSET_MAX, (long long)(reach * ps),
                        o->page_size);
            return -1;
        }
        need = reach;
    }
    f->npages = need;
    return 0;
}

static int handle_response(struct fetcher *f, struct slot *s, CURL *e, CURLcode res)
{
    long status = 0;
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
    int64_t ms = time_now_ms() - s->started_ms;
    finish_request(f, s);
    char why[512];

    if (res != CURLE_OK) {
        if (s->too_big) {
            diags_error(f->d, "GET %s: the response body exceeds %zu bytes; refusing it "
                        "(X-Request-Id: %s)", s->target, s->body.max,
                        s->request_id[0] ? s->request_id : "none");
            return -1;
        }
        if (header_too_large(s, res)) {
            diags_error(f->d, "GET %s: response header larger than libcurl accepts (over %d "
                        "KiB in one header line; HTTP %ld, X-Request-Id: %s); not retried",
                        s->target, CURL_MAX_HTTP_HEADER / 1024, status,
                        s->request_id[0] ? s->request_id : "none");
            return -1;
        }
        snprintf(why, sizeof why, "%s", s->errbuf[0] ? s->errbuf : curl_easy_strerror(res));
        why[slot_scrub(s, why, strlen(why))] = '\0';
        verbose_line(f, "GET %s: %s (%lld ms)", s->target, why, (long long)ms);
        if (!retryable_curl(res)) {
            /* A certificate problem is fixed on this side: say how. */
            bool tls = res == CURLE_PEER_FAILED_VERIFICATION || res == CURLE_SSL_CACERT_BADFILE ||
                       res == CURLE_SSL_CERTPROBLEM;
            diags_error(f->d, "GET %s: %s%s", s->target, why,
                        tls ? " (trust the endpoint's CA with --cacert FILE)" : "");
            return -1;
        }
        buf_dispose(&s->body);
        return schedule_retry(f, s, why);
    }
    if (status != 200) {
        verbose_line(f, "GET %s: HTTP %ld (%lld ms, X-Request-Id: %s)", s->target, status,
                     (long long)ms, s->request_id[0] ? s->request_id : "none");
        if (!retryable_status(status))
            return fail_response(f, s, status);
        if (status == 429)
            throttled(f);
        struct buf m = BUF_INIT;
        const char *secrets[SLOT_SECRETS];
        slot_secrets(s, secrets);
        hss_describe_error(&m, status, s->body.data, s->body.len, secrets);
        snprintf(why, sizeof why, "%s", buf_cstr(&m));
        buf_dispose(&m);
        buf_dispose(&s->body);
        return schedule_retry(f, s, why);
    }
    /* A server that echoes request headers into a page would carry the
     * credentials into the snapshot and every report: every record
     * passes here. */
    s->body.len = slot_scrub(s, s->body.data, s->body.len);
    if (s->body.data)
        s->body.data[s->body.len] = '\0';
    pagescan_init(&s->page);
    static const char prefix[] = "HTTP 200 with an unusable body: ";
    memcpy(why, prefix, sizeof prefix);
    int prc = pagescan_parse(&s->page, buf_cstr(&s->body), s->body.len,
                             why + sizeof prefix - 1, sizeof why - (sizeof prefix - 1));
    if (prc == PAGESCAN_NOT_A_PAGE) {
        /* Valid JSON: the same body would come back, so no retry. */
        diags_error(f->d, "GET %s: HTTP 200, but the body is not an image list page: %s "
                    "(X-Request-Id: %s); not retried", s->target, why + sizeof prefix - 1,
                    s->request_id[0] ? s->request_id : "none");
        return -1;
    }
    if (prc < 0) {
        /* A cut connection or a broken proxy looks like this: retried. */
        verbose_line(f, "GET %s: %s (%lld ms)", s->target, why, (long long)ms);
        buf_dispose(&s->body);
        pagescan_dispose(&s->page);
        return schedule_retry(f, s, why);
    }
    buf_dispose(&s->body);
    verbose_line(f, "GET %s: HTTP 200, %zu records, total_num %lld (%lld ms, X-Request-Id: %s)",
                 s->target, s->page.n, (long long)s->page.total_num, (long long)ms,
                 s->request_id[0] ? s->request_id : "none");
    f->st->pages++;
    clean_response(f);
    s->state = SLOT_DONE;
    if (s->page_index == 0)
        return set_total(f, s->page.total_num);
    if (s->page.total_num != f->st->total_num)
        f->st->total_changed = true;
    f->st->last_total_num = s->page.total_num;
    return 0;
}

static int handle_done(struct fetcher *f, CURL *e, CURLcode res)
{
    struct slot *s = NULL;
    curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&s);
    int rc = handle_response(f, s, e, res);
    /* The response is judged: its signature is of no more use. */
    memset(s->sig, 0, sizeof s->sig);
    wipe_authz(s);
    return rc;
}

static int emit_page(struct fetcher *f, struct slot *s, fetch_emit_fn emit, void *payload)
{
    for (size_t i = 0; i < s->page.n; i++) {
        const struct pagescan_rec *r = &s->page.v[i];
        const char *rec = s->page.recs.data + r->off;
        bool fresh;
        if (r->has_id) {
            fresh = keyset_add(&f->ids, (uint64_t)r->id + 1);  /* nonzero: 0 marks empty */
        } else {
            char hex[SHA256_HEX_LEN];
            sha256_hex(rec, r->len, hex);
            fresh = keyset_add(&f->hashes, hex64(hex) | 1);
        }
        if (!fresh) {
            f->st->duplicates++;
            continue;
        }
        int rc = emit(rec, r->len, payload);
        if (rc)
            return rc;
        f->st->records++;
    }
    slot_reset(s);
    return 0;
}

/* Take a rate token; 0 when taken, else milliseconds until one arrives.
 * A bucket of one token: at most 1 + R*t requests in any t seconds. */
static int64_t take_token(struct fetcher *f, int64_t now)
{
    double r = f->o->max_rate;
    if (r <= 0)
        return 0;
    f->tokens += (double)(now - f->token_ms) * r / 1000.0;
    if (f->tokens > 1.0)
        f->tokens = 1.0;
    f->token_ms = now;
    if (f->tokens >= 1.0) {
        f->tokens -= 1.0;
        return 0;
    }
    /* Capped before the conversion: --max-rate 1e-300 would not fit in
     * an int64_t (undefined behaviour); the caller polls again anyway. */
    double w = (1.0 - f->tokens) * 1000.0 / r;
    return w < 60000.0 ? (int64_t)w + 1 : 60000;
}

int fetch_pull(const struct fetch_opts *o, fetch_emit_fn emit, void *payload,
               struct fetch_stats *st, struct diags *d)
{
    memset(st, 0, sizeof *st);
    st->total_num = st->last_total_num = -1;
    struct fetcher f;
    memset(&f, 0, sizeof f);
    f.o = o;
    f.st = st;
    f.d = d;
    f.window = o->concurrency * 2 > 4 ? o->concurrency * 2 : 4;
    f.slots = xcalloc((size_t)f.window, sizeof *f.slots);
    f.npages = 1;
    f.cur_conc = o->concurrency;
    f.last_halve_ms = -HALVE_GAP_MS;
    f.tokens = 1.0;
    f.token_ms = time_now_ms();
    f.rng = (uint64_t)time_now_ms() ^ ((uint64_t)getpid() << 32);
    auth_describe(o->auth, f.auth_desc, sizeof f.auth_desc);
    struct buf wp = BUF_INIT;
    sign_escape_path(&wp, o->path);
    f.wire_path = buf_detach(&wp);
    f.host_hdr = xasprintf("Host: %s", o->ep->host);
    f.multi = curl_multi_init();
    curl_multi_setopt(f.multi, CURLMOPT_MAXCONNECTS, (long)FETCH_MAX_CONCURRENCY * 2);

    int rc = 0;
    int64_t pages_total_shown = 1;
    while (rc == 0 && f.next_emit < f.npages) {
        int64_t now = time_now_ms();
        if (o->deadline_ms && now >= o->deadline_ms) {
            char got[64];
            if (st->total_num >= 0)
                snprintf(got, sizeof got, "%zu of %lld records received", st->records,
                         (long long)st->total_num);
            else
                snprintf(got, sizeof got, "no page received yet");
            diags_error(d, "the pull ran out of time (--max-time %g s) with %s; raise "
                        "--max-time, or see with -v why the API is slow", o->max_time, got);
            rc = -1;
            break;
        }
        int64_t wait = 100;     /* also the progress refresh */
        /* Start what is due, lowest page first: the earliest page is the
         * one that holds up emission. */
        for (int64_t p = f.next_emit;
             p < f.npages && p < f.next_emit + f.window && f.inflight < f.cur_conc; p++) {
            struct slot *s = &f.slots[p % f.window];
            if (p >= f.next_new) {
                slot_reset(s);
                s->state = SLOT_WAIT;
                s->page_index = p;
                s->due_ms = now;
                f.next_new = p + 1;
            }
            if (s->state != SLOT_WAIT)
                continue;
            if (s->due_ms > now) {
                if (s->due_ms - now < wait)
                    wait = s->due_ms - now;
                continue;
            }
            int64_t tw = take_token(&f, now);
            if (tw > 0) {
                if (tw < wait)
                    wait = tw;
                break;
            }
            start_request(&f, s);
        }
        curl_multi_poll(f.multi, NULL, 0, (int)(wait > 0 ? wait : 0), NULL);
        int running;
        curl_multi_perform(f.multi, &running);
        CURLMsg *msg;
        int left;
        while (rc == 0 && (msg = curl_multi_info_read(f.multi, &left)) != NULL)
            if (msg->msg == CURLMSG_DONE)
                rc = handle_done(&f, msg->easy_handle, msg->data.result);
        while (rc == 0 && f.next_emit < f.npages) {
            struct slot *s = &f.slots[f.next_emit % f.window];
            if (s->state != SLOT_DONE || s->page_index != f.next_emit)
                break;
            rc = emit_page(&f, s, emit, payload);
            f.next_emit++;
        }
        if (st->total_num >= 0)
            pages_total_shown = f.npages;
        if (o->progress)
            progress_update(o->progress, (size_t)f.next_emit, (size_t)pages_total_shown,
                            st->records, st->total_num, st->retries, false);
    }

    for (int64_t i = 0; i < f.window; i++) {
        finish_request(&f, &f.slots[i]);
        slot_reset(&f.slots[i]);
    }
    for (size_t i = 0; i < f.n_pool; i++)
        curl_easy_cleanup(f.pool[i]);
    curl_multi_cleanup(f.multi);
    free(f.slots);
    free(f.ids.v);
    free(f.hashes.v);
    free(f.wire_path);
    free(f.host_hdr);
    if (o->progress)
        progress_clear(o->progress);
    return rc;
}

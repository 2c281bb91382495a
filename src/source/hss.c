/* SPDX-License-Identifier: MIT
 * Endpoint, filter and error-body knowledge of the HSS image list API;
 * see hss.h. The value sets come from the facts file, section 1 (the Go
 * SDK's request model), not from the response model: the request's
 * scan_status accepts fewer values than responses carry. */
#include "source/hss.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "source/auth.h"
#include "source/curlload.h"
#include "util/suggest.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

/* ---- regions and endpoints ---- */

static const char *const known_regions[] = {
    "cn-north-1", "cn-north-2", "cn-north-4", "cn-north-9", "cn-north-11",
    "cn-north-12", "cn-east-2", "cn-east-3", "cn-east-4", "cn-east-5",
    "cn-south-1", "cn-south-2", "cn-south-4", "cn-southwest-2", "cn-southwest-3",
    "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
    "my-kualalumpur-1", "na-mexico-1", "sa-brazil-1", "la-south-2", "la-north-2",
    "af-south-1", "tr-west-1", "ae-ad-1", "me-east-1", "eu-west-101", "ru-moscow-1",
};
#define N_REGIONS (sizeof known_regions / sizeof known_regions[0])

char *hss_region_endpoint(const char *region, struct diags *d)
{
    /* A region id becomes part of a host name: letters, digits, '-'. */
    size_t n = strlen(region);
    if (n == 0 || n > 63 || strspn(region, "abcdefghijklmnopqrstuvwxyz0123456789-") != n ||
        region[0] == '-' || region[n - 1] == '-') {
        diags_error(d, "--region '%s': not a region id (e.g. cn-north-4)", region);
        return NULL;
    }
    bool known = false;
    for (size_t i = 0; i < N_REGIONS; i++)
        known |= strcmp(known_regions[i], region) == 0;
    if (!known) {
        const char *best = suggest_best(region, n, known_regions, N_REGIONS);
        diags_add(d, DIAG_WARNING, NULL, 0, 0, 0, NULL,
                  "--region '%s' is not a known HSS region%s%s%s; trying it anyway",
                  region, best ? " (did you mean '" : "", best ? best : "", best ? "'?)" : "");
    }
    if (strcmp(region, "eu-west-101") == 0)
        return xstrdup("https://hss.eu-west-101.myhuaweicloud.eu");
    return xasprintf("https://hss.%s.myhuaweicloud.com", region);
}

static bool host_is_loopback(const char *host)
{
    if (strcmp(host, "localhost") == 0 || strcmp(host, "[::1]") == 0 ||
        strcmp(host, "::1") == 0)
        return true;
    struct in_addr a;
    if (inet_pton(AF_INET, host, &a) == 1)
        return (ntohl(a.s_addr) >> 24) == 127;
    return false;
}

int hss_endpoint_parse(struct hss_endpoint *ep, const char *url, bool allow_http,
                       struct diags *d)
{
    memset(ep, 0, sizeof *ep);
    if (curlload_open(d) < 0)
        return -1;
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL, *query = NULL,
         *frag = NULL, *user = NULL;
    int rc = -1;
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
        diags_error(d, "--endpoint '%s': not a URL (expected https://HOST[:PORT])", url);
        goto done;
    }
    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
    curl_url_get(u, CURLUPART_HOST, &host, 0);
    curl_url_get(u, CURLUPART_PORT, &port, 0);
    curl_url_get(u, CURLUPART_PATH, &path, 0);
    curl_url_get(u, CURLUPART_QUERY, &query, 0);
    curl_url_get(u, CURLUPART_FRAGMENT, &frag, 0);
    curl_url_get(u, CURLUPART_USER, &user, 0);
    if (!scheme || (strcmp(scheme, "https") != 0 && strcmp(scheme, "http") != 0)) {
        diags_error(d, "--endpoint '%s': the scheme must be https:// (or http:// for tests)",
                    url);
        goto done;
    }
    if (!host || !*host) {
        diags_error(d, "--endpoint '%s': no host", url);
        goto done;
    }
    if (query || frag || user) {
        diags_error(d, "--endpoint '%s': must not have a %s", url,
                    query ? "query" : frag ? "fragment" : "user name");
        goto done;
    }
    ep->https = strcmp(scheme, "https") == 0;
    ep->loopback = host_is_loopback(host);
    if (!ep->https && !ep->loopback && !allow_http) {
        diags_error(d, "--endpoint '%s': plain http:// is only allowed for loopback "
                       "addresses; it would send credentials unencrypted (use https:// "
                       "or --allow-http)", url);
        goto done;
    }
    /* The Host header must be exactly what is signed: the port only
     * when it is not the scheme's default (the DIS signing page). */
    if (port && strcmp(port, ep->https ? "443" : "80") != 0)
        ep->host = xasprintf("%s:%s", host, port);
    else
        ep->host = xstrdup(host);
    size_t plen = path ? strlen(path) : 0;
    while (plen && path[plen - 1] == '/')
        plen--;
    ep->prefix = xstrndup(path ? path : "", plen);
    ep->base = xasprintf("%s://%s", scheme, ep->host);
    rc = 0;
done:
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_free(path);
    curl_free(query);
    curl_free(frag);
    curl_free(user);
    curl_url_cleanup(u);
    if (rc < 0)
        hss_endpoint_dispose(ep);
    return rc;
}

void hss_endpoint_dispose(struct hss_endpoint *ep)
{
    free(ep->base);
    free(ep->host);
    free(ep->prefix);
    memset(ep, 0, sizeof *ep);
}

/* ---- filters ---- */

enum fkind { FK_STR, FK_ENUM, FK_BOOL, FK_INT, FK_TIME };

static const char *const image_types[] = {
    "private_image", "shared_image", "instance_image", "harbor", "jfrog", NULL};
static const char *const scan_statuses[] = {
    "unscan", "success", "scanning", "failed", "waiting_for_scan", NULL};
static const char *const severities[] = {"Security", "Low", "Medium", "High", NULL};

struct filter_def {
    const char *name;
    enum fkind kind;
    long long min, max;             /* FK_STR: length; FK_INT: value */
    const char *const *values;      /* FK_ENUM */
    const char *pair;               /* FK_TIME start_*: the matching end_* */
};

static const struct filter_def filter_defs[] = {
    {"namespace", FK_STR, 1, 128, NULL, NULL},
    {"image_name", FK_STR, 1, 128, NULL, NULL},
    {"image_version", FK_STR, 1, 64, NULL, NULL},
    {"registry_name", FK_STR, 1, 128, NULL, NULL},
    {"image_type", FK_ENUM, 0, 0, image_types, NULL},
    {"scan_status", FK_ENUM, 0, 0, scan_statuses, NULL},
    {"severity_level", FK_ENUM, 0, 0, severities, NULL},
    {"latest_version", FK_BOOL, 0, 0, NULL, NULL},
    {"has_vul", FK_BOOL, 0, 0, NULL, NULL},
    {"risky", FK_BOOL, 0, 0, NULL, NULL},
    {"has_malicious_file", FK_BOOL, 0, 0, NULL, NULL},
    {"has_unsafe_setting", FK_BOOL, 0, 0, NULL, NULL},
    {"is_multarch", FK_BOOL, 0, 0, NULL, NULL},
    {"instance_id", FK_STR, 0, 128, NULL, NULL},
    {"instance_name", FK_STR, 0, 128, NULL, NULL},
    {"image_size", FK_INT, 0, 2147483547LL, NULL, NULL},
    {"start_latest_update_time", FK_TIME, 0, 0, NULL, "end_latest_update_time"},
    {"end_latest_update_time", FK_TIME, 0, 0, NULL, NULL},
    {"start_latest_scan_time", FK_TIME, 0, 0, NULL, "end_latest_scan_time"},
    {"end_latest_scan_time", FK_TIME, 0, 0, NULL, NULL},
    {"start_latest_sync_time", FK_TIME, 0, 0, NULL, "end_latest_sync_time"},
    {"end_latest_sync_time", FK_TIME, 0, 0, NULL, NULL},
};
#define N_FILTERS (sizeof filter_defs / sizeof filter_defs[0])

static const struct filter_def *filter_find(const char *name, size_t len)
{
    for (size_t i = 0; i < N_FILTERS; i++)
        if (strlen(filter_defs[i].name) == len && memcmp(filter_defs[i].name, name, len) == 0)
            return &filter_defs[i];
    return NULL;
}

/* Count UTF-8 characters (the API's lengths are in characters). */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void join_values(struct buf *b, const char *const *v)
{
    for (size_t i = 0; v[i]; i++)
        buf_printf(b, "%s%s", i ? ", " : "", v[i]);
}

/* Check one "NAME=VALUE"; on success fill 'out'. */
static int filter_parse_one(struct hss_filter *out, const char *arg, struct diags *d)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg) {
        diags_error(d, "--filter '%s': expected NAME=VALUE, e.g. namespace=prod", arg);
        return -1;
    }
    size_t nlen = (size_t)(eq - arg);
    const char *val = eq + 1;
    const struct filter_def *def = filter_find(arg, nlen);
    if (!def) {
        static const char *const reserved[][2] = {
            {"offset", "imgaudit pages through the whole list itself"},
            {"limit", "use --page-size"},
            {"enterprise_project_id", "use --enterprise-project-id"},
            {"sort_key", "sorting would change the paging order; it is not supported"},
            {"sort_dir", "sorting would change the paging order; it is not supported"},
        };
        for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
            if (strlen(reserved[i][0]) == nlen && memcmp(reserved[i][0], arg, nlen) == 0) {
                diags_error(d, "--filter %s: not a filter: %s", arg, reserved[i][1]);
                return -1;
            }
        const char *names[N_FILTERS];
        for (size_t i = 0; i < N_FILTERS; i++)
            names[i] = filter_defs[i].name;
        const char *best = suggest_best(arg, nlen, names, N_FILTERS);
        struct buf b = BUF_INIT;
        if (best)
            buf_printf(&b, " (did you mean '%s'?)", best);
        buf_puts(&b, "; known filters: ");
        for (size_t i = 0; i < N_FILTERS; i++)
            buf_printf(&b, "%s%s", i ? ", " : "", names[i]);
        diags_error(d, "--filter %s: unknown filter '%.*s'%s", arg, (int)nlen, arg,
                    buf_cstr(&b));
        buf_dispose(&b);
        return -1;
    }
    char *norm = NULL;
    switch (def->kind) {
    case FK_STR: {
        size_t n = utf8_chars(val);
        if ((long long)n < def->min || (long long)n > def->max) {
            diags_error(d, "--filter %s: the value must be %lld to %lld characters long",
                        arg, def->min, def->max);
            return -1;
        }
        norm = xstrdup(val);
        break;
    }
    case FK_ENUM:
        /* In any case, sent as documented: the API wants "High", and
         * severities are case-insensitive everywhere else. */
        for (size_t i = 0; !norm && def->values[i]; i++)
            if (strcasecmp(def->values[i], val) == 0)
                norm = xstrdup(def->values[i]);
        if (!norm) {
            struct buf b = BUF_INIT;
            join_values(&b, def->values);
            size_t nv = 0;
            while (def->values[nv])
                nv++;
            const char *best = suggest_best(val, strlen(val), def->values, nv);
            diags_error(d, "--filter %s: '%s' is not a documented value%s%s%s (%s)", arg,
                        val, best ? "; did you mean '" : "", best ? best : "",
                        best ? "'?" : "", buf_cstr(&b));
            buf_dispose(&b);
            return -1;
        }
        break;
    case FK_BOOL:
        if (strcmp(val, "true") == 0 || strcmp(val, "false") == 0) {
            norm = xstrdup(val);
        } else {
            diags_error(d, "--filter %s: the value must be true or false", arg);
            return -1;
        }
        break;
    case FK_INT: {
        char *end;
        errno = 0;
        long long v = strtoll(val, &end, 10);
        if (errno || end == val || *end || v < def->min || v > def->max) {
            diags_error(d, "--filter %s: the value must be a whole number from %lld to %lld",
                        arg, def->min, def->max);
            return -1;
        }
        norm = xasprintf("%lld", v);
        break;
    }
    case FK_TIME: {
        int64_t ms;
        if (time_parse(val, &ms) < 0 || ms < 0) {
            diags_error(d, "--filter %s: the value must be a time: epoch milliseconds or "
                           "RFC 3339 (2024-01-31T00:00:00Z)", arg);
            return -1;
        }
        norm = xasprintf("%lld", (long long)ms);
        break;
    }
    }
    out->name = xstrndup(arg, nlen);
    out->value = norm;
    return 0;
}

int hss_filters_parse(struct hss_filter **out, const char *const *args, size_t n,
                      struct diags *d)
{
    struct hss_filter *f = xcalloc(n ? n : 1, sizeof *f);
    size_t nf = 0;
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        struct hss_filter one = {NULL, NULL};
        if (filter_parse_one(&one, args[i], d) < 0) {
            rc = -1;
            continue;
        }
        bool dup = false;
        for (size_t j = 0; j < nf; j++)
            dup |= strcmp(f[j].name, one.name) == 0;
        if (dup) {
            diags_error(d, "--filter %s: '%s' is given twice; the API takes one value per "
                           "filter", args[i], one.name);
            free(one.name);
            free(one.value);
            rc = -1;
            continue;
        }
        f[nf++] = one;
    }
    /* The API's only cross-field constraint: start <= end. */
    for (size_t i = 0; rc == 0 && i < nf; i++) {
        const struct filter_def *def = filter_find(f[i].name, strlen(f[i].name));
        if (!def->pair)
            continue;
        for (size_t j = 0; j < nf; j++)
            if (strcmp(f[j].name, def->pair) == 0 &&
                strtoll(f[i].value, NULL, 10) > strtoll(f[j].value, NULL, 10)) {
                diags_error(d, "--filter %s=%s is after %s=%s: start must not be after end",
                            f[i].name, f[i].value, f[j].name, f[j].value);
                rc = -1;
            }
    }
    if (rc < 0) {
        hss_filters_free(f, nf);
        *out = NULL;
        return -1;
    }
    *out = f;
    return 0;
}

void hss_filters_free(struct hss_filter *f, size_t n)
{
    if (!f)
        return;
    for (size_t i = 0; i < n; i++) {
        free(f[i].name);
        free(f[i].value);
    }
    free(f);
}

static bool has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    return false;
}

int hss_check_project_id(const char *id, struct diags *d)
{
    size_t n = strlen(id);
    if (n == 0 || n > 256 || strchr(id, '/') || has_control(id)) {
        diags_error(d, "--project-id '%s': must be 1 to 256 characters without '/'", id);
        return -1;
    }
    return 0;
}

int hss_check_enterprise_project_id(const char *id, struct diags *d)
{
    size_t n = strlen(id);
    if (n == 0 || n > 256 || has_control(id)) {
        diags_error(d, "--enterprise-project-id '%s': must be 1 to 256 characters "
                       "(0 = default project, all_granted_eps = all)", id);
        return -1;
    }
    return 0;
}

char *hss_list_path(const char *prefix, const char *project_id)
{
    return xasprintf("%s/v5/%s/image/registries/images", prefix, project_id);
}

/* ---- error bodies ---- */

/* The first object, depth first, that has string members 'ck' or 'mk'
 * (the Go SDK searches nested objects for code/message). */
static json_t *find_error_object(json_t *v, const char *ck, const char *mk, int depth)
{
    if (depth > 8)
        return NULL;
    if (json_is_object(v)) {
        if (json_is_string(json_object_get(v, ck)) || json_is_string(json_object_get(v, mk)))
            return v;
        const char *key;
        json_t *val;
        json_object_foreach(v, key, val) {
            json_t *r = find_error_object(val, ck, mk, depth + 1);
            if (r)
                return r;
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *val;
        json_array_foreach(v, i, val) {
            json_t *r = find_error_object(val, ck, mk, depth + 1);
            if (r)
                return r;
        }
    }
    return NULL;
}

/* Append 's' with every secret scrubbed, control bytes replaced and at
 * most 'max' bytes. Scrubbing comes first: a secret cut in half by the
 * limit would no longer match, and its first half would be printed. */
static void append_clean(struct buf *out, const char *s, size_t len, size_t max,
                         const char *const *secrets)
{
    char *t = xmalloc(len + 1);
    memcpy(t, s, len);
    for (size_t i = 0; secrets && secrets[i]; i++)
        len = auth_scrub(t, len, secrets[i]);
    bool cut = len > max;
    size_t n = cut ? max : len;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        buf_putc(out, c < 0x20 || c == 0x7f ? ' ' : (char)c);
    }
    if (cut)
        buf_puts(out, "...");
    memset(t, 0, len);
    free(t);
}

void hss_describe_error(struct buf *out, long status, const char *body, size_t len,
                        const char *const *secrets)
{
    buf_printf(out, "HTTP %ld", status);
    if (!body || len == 0) {
        buf_puts(out, " (empty body)");
        return;
    }
    json_t *root = json_loadb(body, len, 0, NULL);
    static const char *const keys[][2] = {{"error_code", "error_msg"}, {"code", "message"}};
    for (size_t k = 0; root && k < 2; k++) {
        json_t *o = find_error_object(root, keys[k][0], keys[k][1], 0);
        if (!o)
            continue;
        json_t *c = json_object_get(o, keys[k][0]);
        json_t *m = json_object_get(o, keys[k][1]);
        if (json_is_string(c)) {
            buf_putc(out, ' ');
            append_clean(out, json_string_value(c), json_string_length(c), 64, secrets);
        }
        if (json_is_string(m)) {
            buf_puts(out, ": ");
            append_clean(out, json_string_value(m), json_string_length(m), 300, secrets);
        }
        json_decref(root);
        return;
    }
    json_decref(root);
    buf_puts(out, ": ");
    append_clean(out, body, len, 300, secrets);
}

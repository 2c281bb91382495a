/* SPDX-License-Identifier: MIT
 * What imgaudit knows about the HSS ListRegistryImages endpoint
 * (GET /v5/{project_id}/image/registries/images), apart from moving
 * bytes: the endpoint for a region, which endpoints are acceptable, the
 * documented query filters with their enums and ranges, and how to turn
 * a Huawei-style error body into one line.
 *
 * Everything here is checked before the first request, so a typo in a
 * filter is a usage error (exit 2) that costs no API call.
 *
 * Error messages (one line, no secret can reach them):
 *   --filter scan_status=done: 'done' is not a documented value (unscan, success, ...)
 *   --filter colour=red: unknown filter 'colour'; known: namespace, image_name, ...
 *   HTTP 401 APIG.0301: verify aksk signature fail */
#ifndef IMGAUDIT_HSS_H
#define IMGAUDIT_HSS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/diag.h"

/* The API's paging limits. */
#define HSS_PAGE_MAX 200
#define HSS_OFFSET_MAX 2000000

/* A parsed endpoint. */
struct hss_endpoint {
    char *base;         /* owned: "https://host[:port][/prefix]", no trailing '/' */
    char *host;         /* owned: Host header value, the port only when not the default */
    char *prefix;       /* owned: path prefix ("" or "/proxy"), no trailing '/' */
    bool https;
    bool loopback;      /* 127.0.0.0/8, ::1 or localhost */
};

/* The endpoint URL of 'region' ("https://hss.cn-north-4.myhuaweicloud.com";
 * eu-west-101 uses .myhuaweicloud.eu). Returns a new string, or NULL with
 * a usage error in 'd' for a malformed region id. A well-formed id that
 * is not one of HSS's known regions gets a warning, not an error: new
 * regions appear before this list is updated. */
char *hss_region_endpoint(const char *region, struct diags *d);

/* Parse and check 'url': http or https, a host, no query or fragment.
 * Plain http is refused unless the host is a loopback address or
 * 'allow_http'. Returns 0, or -1 with a usage error in 'd'. */
int hss_endpoint_parse(struct hss_endpoint *ep, const char *url, bool allow_http,
                       struct diags *d);
void hss_endpoint_dispose(struct hss_endpoint *ep);

/* A checked query filter. The value is normalised: times given as
 * RFC 3339 become epoch milliseconds, booleans are lowercase. */
struct hss_filter {
    char *name;         /* owned */
    char *value;        /* owned */
};

/* Parse and check the "NAME=VALUE" strings of --filter (or the config
 * file). On success '*out' holds 'n' filters (free with
 * hss_filters_free) and 0 is returned; otherwise every problem is
 * reported to 'd' and -1 is returned. */
int hss_filters_parse(struct hss_filter **out, const char *const *args, size_t n,
                      struct diags *d);
void hss_filters_free(struct hss_filter *f, size_t n);

/* Check a project id (1..256 characters, no '/', no control bytes) and
 * an enterprise project id (1..256 characters). Return 0 or -1 with a
 * usage error in 'd'. */
int hss_check_project_id(const char *id, struct diags *d);
int hss_check_enterprise_project_id(const char *id, struct diags *d);

/* The raw request path for 'project_id' under 'prefix':
 * "PREFIX/v5/ID/image/registries/images". New string. */
char *hss_list_path(const char *prefix, const char *project_id);

/* Append a one-line description of an error response to 'out':
 *   "HTTP 404 APIG.0101: API does not exist"   error_code + error_msg
 *   "HTTP 400 HSS.1001: bad request"           code + message (nested too)
 *   "HTTP 502: <html>bad gateway</html>"       raw body, control bytes
 *                                              replaced, at most 300 bytes
 * 'body' may be NULL. Every string in the NULL-terminated 'secrets'
 * (may be NULL) is replaced by "***" before anything is cut or shown: a
 * hostile or broken server may echo the request's credentials. */
void hss_describe_error(struct buf *out, long status, const char *body, size_t len,
                        const char *const *secrets);

#endif

/* SPDX-License-Identifier: MIT
 * AK/SK request signing, Huawei Cloud's "SDK-HMAC-SHA256" (see
 * ../shared/reference/hss-api-facts.md, section 4). Pure functions with no
 * I/O and no clock: the caller passes the X-Sdk-Date value in the header
 * list, which is what lets tests/unit/test_sign.c reproduce the official
 * vectors byte for byte.
 *
 * The pieces, in the order the algorithm builds them:
 *   sign_escape()             RFC 3986 unreserved set, uppercase %XY
 *   sign_canonical_query()    sorted name=value pairs joined with '&'
 *   sign_canonical_request()  method, URI + '/', query, headers, names, body hash
 *   sign_authorization()      "SDK-HMAC-SHA256 Access=AK, SignedHeaders=..., Signature=..."
 *
 * The canonical query string is also what fetch.c sends on the wire, so
 * what is signed and what is sent cannot disagree.
 *
 * Secrets: the SK only enters HMAC; the Authorization value (which holds
 * the signature) is written into a caller buffer that the caller must not
 * print. Nothing here logs. */
#ifndef IMGAUDIT_SIGN_H
#define IMGAUDIT_SIGN_H
#include <stddef.h>

#include "util/buf.h"

/* One query parameter, raw (unescaped) name and value. */
struct sign_param {
    const char *name;
    const char *value;
};

/* One request header, as sent. */
struct sign_header {
    const char *name;
    const char *value;
};

struct sign_request {
    const char *method;                 /* "GET" */
    const char *path;                   /* raw path, e.g. "/v5/PID/image/registries/images" */
    const struct sign_param *params;    /* any order; not modified */
    size_t n_params;
    const struct sign_header *headers;  /* the headers to sign; must include X-Sdk-Date */
    size_t n_headers;
    const void *body;                   /* may be NULL when 'body_len' is 0 */
    size_t body_len;
};

/* Append 's' ('len' bytes) to 'out', percent-encoding every byte outside
 * A-Z a-z 0-9 - _ . ~ as %XY (uppercase hex). Returns 0, or -1 when the
 * cap of 'out' is reached. */
int sign_escape(struct buf *out, const char *s, size_t len);

/* Append the escaped path: each '/'-separated segment escaped, slashes
 * kept. The wire form (no trailing slash is added). */
int sign_escape_path(struct buf *out, const char *path);

/* Append the canonical query string of 'params' to 'out': pairs sorted
 * by raw name, then raw value (byte order), each "escape(name)=
 * escape(value)", joined by '&'. Returns 0 or -1 (cap). */
int sign_canonical_query(struct buf *out, const struct sign_param *params, size_t n);

/* Append the canonical request of 'r' to 'out' and the signed header
 * names ("host;x-sdk-date") to 'signed_headers'. Headers whose name
 * contains '_' are not signed (as the SDKs do). Returns 0, or -1 when
 * 'r' has no X-Sdk-Date header or a buffer cap is reached. */
int sign_canonical_request(struct buf *out, struct buf *signed_headers,
                           const struct sign_request *r);

/* Append the string to sign for 'canonical_request' signed at 'date'
 * ("20240101T000000Z") to 'out'. */
int sign_string_to_sign(struct buf *out, const char *date,
                        const char *canonical_request);

/* Append the complete Authorization header value for 'r' signed with
 * 'ak'/'sk' to 'out'. Returns 0, or -1 (no X-Sdk-Date, or cap).
 * Example:
 *     struct sign_header h[] = {{"Host", "hss.cn-north-4.myhuaweicloud.com"},
 *                               {"X-Sdk-Date", "20240101T000000Z"}};
 *     struct sign_request r = {"GET", path, params, np, h, 2, NULL, 0};
 *     sign_authorization(&auth, &r, ak, sk);                          */
int sign_authorization(struct buf *out, const struct sign_request *r,
                       const char *ak, const char *sk);

/* Format 'epoch_s' as an X-Sdk-Date value; 'out' holds 17 bytes. */
void sign_format_date(long long epoch_s, char out[17]);

#endif

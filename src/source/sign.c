/* SPDX-License-Identifier: MIT
 * SDK-HMAC-SHA256 request signing; see sign.h. Every step follows the
 * facts file's description of the Go and Python SDKs, and the official
 * vectors V1-V7 pin the result (tests/unit/test_sign.c). */
#include "source/sign.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/hash.h"
#include "util/xalloc.h"

#define SIGN_ALGORITHM "SDK-HMAC-SHA256"

static bool is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
}

int sign_escape(struct buf *out, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_unreserved(c)) {
            if (buf_putc(out, (char)c) < 0)
                return -1;
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            if (buf_append(out, e, 3) < 0)
                return -1;
        }
    }
    return 0;
}

int sign_escape_path(struct buf *out, const char *path)
{
    const char *p = path;
    for (;;) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (sign_escape(out, p, n) < 0)
            return -1;
        if (!slash)
            return 0;
        if (buf_putc(out, '/') < 0)
            return -1;
        p = slash + 1;
    }
}

/* Byte order on the raw name, then the raw value: a repeated name's
 * values are sorted as strings (the SDKs' rule). strcmp compares as
 * unsigned char, which is byte order. */
static int param_cmp(const void *a, const void *b)
{
    const struct sign_param *x = *(const struct sign_param *const *)a;
    const struct sign_param *y = *(const struct sign_param *const *)b;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->value, y->value);
}

int sign_canonical_query(struct buf *out, const struct sign_param *params, size_t n)
{
    if (n == 0)
        return 0;
    const struct sign_param **v = xcalloc(n, sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = &params[i];
    qsort(v, n, sizeof *v, param_cmp);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (i > 0)
            rc = buf_putc(out, '&');
        if (rc == 0)
            rc = sign_escape(out, v[i]->name, strlen(v[i]->name));
        if (rc == 0)
            rc = buf_putc(out, '=');
        if (rc == 0)
            rc = sign_escape(out, v[i]->value, strlen(v[i]->value));
    }
    free(v);
    return rc;
}

/* A header prepared for signing: lowercase name, trimmed value. */
struct canon_header {
    char *name;             /* owned, lowercase */
    const char *value;      /* borrowed, start of the trimmed value */
    size_t value_len;
};

static int header_cmp(const void *a, const void *b)
{
    const struct canon_header *x = a, *y = b;
    return strcmp(x->name, y->name);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* The X-Sdk-Date value among 'r's headers, or NULL. */
static const char *find_date(const struct sign_request *r)
{
    for (size_t i = 0; i < r->n_headers; i++) {
        const char *a = r->headers[i].name, *b = "x-sdk-date";
        while (*a && *b && (*a | 0x20) == *b)
            a++, b++;
        if (!*a && !*b)
            return r->headers[i].value;
    }
    return NULL;
}

int sign_canonical_request(struct buf *out, struct buf *signed_headers,
                           const struct sign_request *r)
{
    if (!find_date(r))
        return -1;
    struct canon_header *h = xcalloc(r->n_headers ? r->n_headers : 1, sizeof *h);
    size_t nh = 0;
    for (size_t i = 0; i < r->n_headers; i++) {
        const char *name = r->headers[i].name;
        /* The SDKs never sign names with an underscore: some proxies
         * drop such headers, which would break the signature. */
        if (strchr(name, '_'))
            continue;
        char *lower = xstrdup(name);
        for (char *p = lower; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p + ('a' - 'A'));
        const char *v = r->headers[i].value;
        size_t len = strlen(v);
        while (len && is_space(*v))
            v++, len--;
        while (len && is_space(v[len - 1]))
            len--;
        h[nh++] = (struct canon_header){lower, v, len};
    }
    qsort(h, nh, sizeof *h, header_cmp);

    int rc = 0;
    char body_hash[SHA256_HEX_LEN];
    sha256_hex(r->body ? r->body : "", r->body_len, body_hash);

    rc |= buf_puts(out, r->method);
    rc |= buf_putc(out, '\n');
    rc |= sign_escape_path(out, r->path);
    /* The canonical URI always ends in '/', though the wire path does not. */
    if (out->len == 0 || out->data[out->len - 1] != '/')
        rc |= buf_putc(out, '/');
    rc |= buf_putc(out, '\n');
    rc |= sign_canonical_query(out, r->params, r->n_params);
    rc |= buf_putc(out, '\n');
    for (size_t i = 0; i < nh; i++) {
        rc |= buf_puts(out, h[i].name);
        rc |= buf_putc(out, ':');
        rc |= buf_append(out, h[i].value, h[i].value_len);
        rc |= buf_putc(out, '\n');
    }
    rc |= buf_putc(out, '\n');
    for (size_t i = 0; i < nh; i++) {
        if (i > 0)
            rc |= buf_putc(signed_headers, ';');
        rc |= buf_puts(signed_headers, h[i].name);
    }
    rc |= buf_puts(out, buf_cstr(signed_headers));
    rc |= buf_putc(out, '\n');
    rc |= buf_puts(out, body_hash);

    for (size_t i = 0; i < nh; i++)
        free(h[i].name);
    free(h);
    return rc ? -1 : 0;
}

int sign_string_to_sign(struct buf *out, const char *date,
                        const char *canonical_request)
{
    char hash[SHA256_HEX_LEN];
    sha256_hex(canonical_request, strlen(canonical_request), hash);
    return buf_printf(out, "%s\n%s\n%s", SIGN_ALGORITHM, date, hash);
}

int sign_authorization(struct buf *out, const struct sign_request *r,
                       const char *ak, const char *sk)
{
    struct buf creq, names, sts;
    buf_init(&creq, 0);
    buf_init(&names, 0);
    buf_init(&sts, 0);
    int rc = -1;
    const char *date = find_date(r);
    if (!date || sign_canonical_request(&creq, &names, r) < 0)
        goto done;
    if (sign_string_to_sign(&sts, date, buf_cstr(&creq)) < 0)
        goto done;
    /* No key derivation: the SK itself is the HMAC key (unlike SigV4). */
    char sig[SHA256_HEX_LEN];
    hmac_sha256_hex(sk, strlen(sk), sts.data, sts.len, sig);
    rc = buf_printf(out, "%s Access=%s, SignedHeaders=%s, Signature=%s",
                    SIGN_ALGORITHM, ak, buf_cstr(&names), sig);
    /* The signature is as good as a password for 15 minutes. */
    memset(sig, 0, sizeof sig);
done:
    /* The canonical request holds the X-Security-Token value. */
    if (creq.data)
        memset(creq.data, 0, creq.cap);
    buf_dispose(&creq);
    buf_dispose(&names);
    buf_dispose(&sts);
    return rc;
}

void sign_format_date(long long epoch_s, char out[17])
{
    time_t t = (time_t)epoch_s;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm);
}

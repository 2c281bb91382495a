/* SPDX-License-Identifier: MIT
 * Credential loading and redaction; see auth.h. */
#include "source/auth.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"

/* IAM tokens are several KB; the gateway caps a header at 32 KB. */
#define AUTH_TOKEN_MAX (32 * 1024)

static const char *env_nonempty(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

/* Zero before free: the secret should not linger in freed heap that a
 * core dump could show. 'volatile' keeps the compiler from dropping it. */
static void wipe_free(char *s)
{
    if (!s)
        return;
    for (volatile char *p = s; *p; p++)
        *p = 0;
    free(s);
}

static char *trimmed_dup(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
                 s[n - 1] == '\n'))
        n--;
    return xstrndup(s, n);
}

/* Read the token in 'path'; the file holds the token and optional
 * surrounding whitespace. Errors never quote the content. */
static int read_token_file(const char *path, char **out, struct diags *d)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        diags_add(d, DIAG_ERROR, path, 0, 0, 0, NULL, "cannot read token file: %s",
                  strerror(errno));
        return -1;
    }
    struct buf b;
    buf_init(&b, AUTH_TOKEN_MAX + 1);
    int rc = buf_read_stream(&b, fp);
    if (rc == -1)
        diags_add(d, DIAG_ERROR, path, 0, 0, 0, NULL,
                  "token file is larger than %d bytes", AUTH_TOKEN_MAX);
    else if (rc < 0)
        diags_add(d, DIAG_ERROR, path, 0, 0, 0, NULL, "cannot read token file: %s",
                  strerror(errno));
    rc = rc < 0 ? -1 : 0;
    fclose(fp);
    if (rc == 0) {
        char *t = trimmed_dup(buf_cstr(&b), b.len);
        if (!*t || strpbrk(t, "\r\n")) {
            diags_add(d, DIAG_ERROR, path, 0, 0, 0, NULL, "%s",
                      !*t ? "token file is empty" : "token file holds more than one line");
            wipe_free(t);
            rc = -1;
        } else {
            *out = t;
        }
    }
    if (b.data)
        memset(b.data, 0, b.cap);
    buf_dispose(&b);
    return rc;
}

int auth_load(struct auth *a, const char *token_file, struct diags *d)
{
    *a = (struct auth)AUTH_INIT;
    const char *ak = env_nonempty("HUAWEICLOUD_SDK_AK");
    const char *sk = env_nonempty("HUAWEICLOUD_SDK_SK");
    const char *aksk_src = "HUAWEICLOUD_SDK_AK/SK";
    if (!ak && !sk) {
        ak = env_nonempty("CLOUD_SDK_AK");
        sk = env_nonempty("CLOUD_SDK_SK");
        aksk_src = "CLOUD_SDK_AK/SK";
    }
    if ((ak != NULL) != (sk != NULL)) {
        bool hw = aksk_src[0] == 'H';
        const char *ak_name = hw ? "HUAWEICLOUD_SDK_AK" : "CLOUD_SDK_AK";
        const char *sk_name = hw ? "HUAWEICLOUD_SDK_SK" : "CLOUD_SDK_SK";
        diags_error(d, "%s is set but %s is not: AK/SK signing needs both",
                    ak ? ak_name : sk_name, ak ? sk_name : ak_name);
        return -1;
    }
    const char *env_token = env_nonempty("IMGAUDIT_AUTH_TOKEN");
    bool have_aksk = ak != NULL;

    if (token_file) {
        char *t = NULL;
        if (read_token_file(token_file, &t, d) < 0)
            return -1;
        a->kind = AUTH_TOKEN;
        a->token = t;
        a->source = "--token-file";
        if (have_aksk && env_token)
            diags_add(d, DIAG_NOTE, NULL, 0, 0, 0, NULL,
                      "AK/SK (%s) and IMGAUDIT_AUTH_TOKEN are also configured; "
                      "using the IAM token from --token-file", aksk_src);
        else if (have_aksk)
            diags_add(d, DIAG_NOTE, NULL, 0, 0, 0, NULL,
                      "AK/SK (%s) is also configured; using the IAM token from "
                      "--token-file", aksk_src);
        else if (env_token)
            diags_add(d, DIAG_NOTE, NULL, 0, 0, 0, NULL,
                      "IMGAUDIT_AUTH_TOKEN is also set; using the IAM token from "
                      "--token-file");
        return 0;
    }
    if (have_aksk) {
        a->kind = AUTH_AKSK;
        a->ak = xstrdup(ak);
        a->sk = xstrdup(sk);
        a->source = aksk_src;
        const char *st = env_nonempty("HUAWEICLOUD_SDK_SECURITY_TOKEN");
        if (st)
            a->security_token = xstrdup(st);
        if (env_token)
            diags_add(d, DIAG_NOTE, NULL, 0, 0, 0, NULL,
                      "both AK/SK (%s) and IMGAUDIT_AUTH_TOKEN are set; using AK/SK signing",
                      aksk_src);
        return 0;
    }
    if (env_token) {
        a->kind = AUTH_TOKEN;
        a->token = trimmed_dup(env_token, strlen(env_token));
        a->source = "IMGAUDIT_AUTH_TOKEN";
        return 0;
    }
    diags_error(d, "no credentials: set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK "
                   "(or CLOUD_SDK_AK and CLOUD_SDK_SK) in the environment, or give an "
                   "IAM token with --token-file FILE or IMGAUDIT_AUTH_TOKEN");
    return -1;
}

void auth_dispose(struct auth *a)
{
    free(a->ak);
    wipe_free(a->sk);
    wipe_free(a->security_token);
    wipe_free(a->token);
    *a = (struct auth)AUTH_INIT;
}

const char *auth_describe(const struct auth *a, char *out, size_t size)
{
    switch (a->kind) {
    case AUTH_AKSK:
        snprintf(out, size, "AK/SK signing (%s%s)", a->source,
                 a->security_token ? " + HUAWEICLOUD_SDK_SECURITY_TOKEN" : "");
        break;
    case AUTH_TOKEN:
        snprintf(out, size, "IAM token (%s)", a->source);
        break;
    default:
        snprintf(out, size, "none");
    }
    return out;
}

size_t auth_scrub(char *s, size_t len, const char *secret)
{
    /* Short "secrets" (a test's "x") would mangle ordinary text; real
     * SKs, tokens and signatures are far longer. */
    size_t n = secret ? strlen(secret) : 0;
    if (n < 6)
        return len;
    /* memchr for the first byte, then a compare: whole response pages
     * pass through here, and most of them hold no secret at all. */
    size_t r = 0, w = 0;
    for (;;) {
        const char *hit = r + n <= len ? memchr(s + r, secret[0], len - n + 1 - r) : NULL;
        bool match = hit && memcmp(hit, secret, n) == 0;
        size_t keep = !hit ? len : (size_t)(hit - s) + !match;
        if (w != r)
            memmove(s + w, s + r, keep - r);
        w += keep - r;
        r = keep;
        if (!hit)
            return w;
        if (match) {
            memcpy(s + w, "***", 3);    /* w + 3 <= r + n: nothing unread is overwritten */
            w += 3;
            r += n;
        }
    }
}

size_t auth_redact_mem(const struct auth *a, char *s, size_t len)
{
    len = auth_scrub(s, len, a->ak);
    len = auth_scrub(s, len, a->sk);
    len = auth_scrub(s, len, a->security_token);
    return auth_scrub(s, len, a->token);
}

void auth_redact(const struct auth *a, char *s)
{
    if (!s)
        return;
    s[auth_redact_mem(a, s, strlen(s))] = '\0';
}

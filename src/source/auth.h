/* SPDX-License-Identifier: MIT
 * Credentials for the HSS API, from the environment or a token file and
 * never from the command line (argv shows in `ps`):
 *   AK/SK:  HUAWEICLOUD_SDK_AK + HUAWEICLOUD_SDK_SK, or CLOUD_SDK_AK +
 *           CLOUD_SDK_SK (the names Huawei's SDK samples use), with
 *           HUAWEICLOUD_SDK_SECURITY_TOKEN for temporary credentials;
 *   token:  an IAM token (X-Auth-Token) from --token-file FILE or
 *           IMGAUDIT_AUTH_TOKEN.
 * Precedence when several are configured: --token-file (the most
 * explicit choice), then AK/SK, then IMGAUDIT_AUTH_TOKEN; auth_load()
 * leaves a note in the diagnostics saying which one is used.
 *
 * Secrets live only in a struct auth, which nothing prints;
 * auth_redact() scrubs them from any text that might echo them (an
 * error body, a message) as a last line of defence. The AK is scrubbed
 * with them: it is not a secret, but it names the account and has no
 * business in a message a server made up by echoing request headers. */
#ifndef IMGAUDIT_AUTH_H
#define IMGAUDIT_AUTH_H
#include <stdbool.h>
#include <stddef.h>

#include "util/diag.h"

enum auth_kind { AUTH_NONE, AUTH_AKSK, AUTH_TOKEN };

struct auth {
    enum auth_kind kind;
    char *ak;               /* owned; AUTH_AKSK (an id, not a secret, but never logged) */
    char *sk;               /* owned secret; AUTH_AKSK */
    char *security_token;   /* owned secret or NULL; temporary AK/SK */
    char *token;            /* owned secret; AUTH_TOKEN */
    const char *source;     /* static text: where it came from, e.g. "HUAWEICLOUD_SDK_AK/SK" */
};
#define AUTH_INIT {AUTH_NONE, NULL, NULL, NULL, NULL, NULL}

/* Load credentials; 'token_file' is --token-file or NULL. Returns 0,
 * or -1 with an error in 'd' (none configured, an AK without its SK, an
 * unreadable or empty token file). Notes which kind is used when both
 * are configured. */
int auth_load(struct auth *a, const char *token_file, struct diags *d);
/* Zero and free the secrets. Safe on AUTH_INIT and twice. */
void auth_dispose(struct auth *a);
/* "AK/SK (HUAWEICLOUD_SDK_AK/SK)", "IAM token (--token-file)": for
 * messages and report metadata; holds no secret. */
const char *auth_describe(const struct auth *a, char *out, size_t size);
/* Replace every occurrence of a secret of 'a' (and of the AK) in 's' by
 * "***", in place (the result is never longer). */
void auth_redact(const struct auth *a, char *s);
/* The same for 'len' bytes that may hold NULs; returns the new length. */
size_t auth_redact_mem(const struct auth *a, char *s, size_t len);
/* Replace every occurrence of 'secret' (NULL, or shorter than 6 bytes:
 * nothing) in the 'len' bytes at 's' by "***"; returns the new length. */
size_t auth_scrub(char *s, size_t len, const char *secret);

#endif

/* SPDX-License-Identifier: MIT
 * SHA-256 (OpenSSL libcrypto) as lowercase hex, for the rule-file and
 * snapshot fingerprints in report metadata and for AK/SK signing. */
#ifndef IMGAUDIT_HASH_H
#define IMGAUDIT_HASH_H
#include <stddef.h>

#define SHA256_HEX_LEN 65   /* 64 hex digits and a NUL */

struct sha256_ctx { void *md; };  /* owns an OpenSSL SHA256_CTX */

void sha256_hex(const void *data, size_t len, char out[SHA256_HEX_LEN]);
void sha256_init(struct sha256_ctx *c);
void sha256_update(struct sha256_ctx *c, const void *data, size_t len);
/* Writes the digest and disposes the context. */
void sha256_final_hex(struct sha256_ctx *c, char out[SHA256_HEX_LEN]);
/* SHA-256 of the file at 'path', read in chunks. Returns 0, or -1 with
 * errno set (the caller names the file in its message). */
int sha256_file(const char *path, char out[SHA256_HEX_LEN]);
/* HMAC-SHA256 of 'msg' with 'key', as lowercase hex. */
void hmac_sha256_hex(const void *key, size_t keylen, const void *msg, size_t len,
                     char out[SHA256_HEX_LEN]);

#endif

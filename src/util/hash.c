/* SPDX-License-Identifier: MIT
 * SHA-256 and HMAC-SHA256 through OpenSSL's EVP interface; see hash.h. */
#include "util/hash.h"

#include <errno.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>

static void to_hex(const unsigned char *d, unsigned n, char *out)
{
    static const char hx[] = "0123456789abcdef";
    for (unsigned i = 0; i < n; i++) {
        out[2 * i] = hx[d[i] >> 4];
        out[2 * i + 1] = hx[d[i] & 15];
    }
    out[2 * n] = '\0';
}

void sha256_init(struct sha256_ctx *c)
{
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    if (!m || EVP_DigestInit_ex(m, EVP_sha256(), NULL) != 1) {
        fprintf(stderr, "imgaudit: fatal: OpenSSL SHA-256 unavailable\n");
        abort();
    }
    c->md = m;
}

void sha256_update(struct sha256_ctx *c, const void *data, size_t len)
{
    EVP_DigestUpdate(c->md, data, len);
}

void sha256_final_hex(struct sha256_ctx *c, char out[SHA256_HEX_LEN])
{
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    EVP_DigestFinal_ex(c->md, d, &n);
    EVP_MD_CTX_free(c->md);
    c->md = NULL;
    to_hex(d, n, out);
}

void sha256_hex(const void *data, size_t len, char out[SHA256_HEX_LEN])
{
    struct sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, data, len);
    sha256_final_hex(&c, out);
}

int sha256_file(const char *path, char out[SHA256_HEX_LEN])
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    struct sha256_ctx c;
    sha256_init(&c);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sha256_update(&c, buf, n);
    int bad = ferror(f), err = errno;
    fclose(f);
    sha256_final_hex(&c, out);
    errno = err;
    return bad ? -1 : 0;
}

void hmac_sha256_hex(const void *key, size_t keylen, const void *msg, size_t len,
                     char out[SHA256_HEX_LEN])
{
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    HMAC(EVP_sha256(), key, (int)keylen, msg, len, d, &n);
    to_hex(d, n, out);
}

/* SPDX-License-Identifier: MIT
 * SHA-256 and HMAC-SHA256 with OpenSSL's libcrypto; see hash.h.
 *
 * SHA-256 uses the low-level SHA256_* functions, not EVP. The first EVP
 * digest of a process initialises the library: it reads openssl.cnf and
 * activates the default provider, about 1 ms of CPU, which was 15 % of
 * a CSV report of the 120 sample images (issue 10, target 4), and every
 * report hashes its rule file. The low-level functions run the same
 * assembly (SHA extensions where the CPU has them) without that set-up.
 * OpenSSL 3 marks them deprecated and still ships them; should a later
 * OpenSSL drop them, these three functions go back to EVP_Digest*.
 * HMAC (request signing, which talks to the network anyway) stays on
 * EVP, and so does TLS: libcurl's OpenSSL still reads openssl.cnf. */
#include "util/hash.h"

#include <errno.h>
#define OPENSSL_SUPPRESS_DEPRECATED   /* SHA256_Init and friends: see above */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/xalloc.h"

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
    SHA256_CTX *m = xmalloc(sizeof *m);
    if (SHA256_Init(m) != 1) {
        fprintf(stderr, "imgaudit: fatal: OpenSSL SHA-256 unavailable\n");
        abort();
    }
    c->md = m;
}

void sha256_update(struct sha256_ctx *c, const void *data, size_t len)
{
    SHA256_Update(c->md, data, len);
}

void sha256_final_hex(struct sha256_ctx *c, char out[SHA256_HEX_LEN])
{
    unsigned char d[SHA256_DIGEST_LENGTH];
    SHA256_Final(d, c->md);
    free(c->md);
    c->md = NULL;
    to_hex(d, SHA256_DIGEST_LENGTH, out);
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

/* SPDX-License-Identifier: MIT
 * Ed25519 with OpenSSL EVP; see ed25519.h. */
#include "util/ed25519.h"

#include <errno.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

struct ed25519_key {
    EVP_PKEY *pkey;
};

/* Never prompt for a passphrase: an encrypted key fails to load. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
    (void)buf;
    (void)size;
    (void)rwflag;
    (void)u;
    return -1;
}

static int load(struct ed25519_key **out, const char *path, bool private_key,
                struct diags *d)
{
    *out = NULL;
    const char *what = private_key ? "signing key" : "public key";
    BIO *bio = BIO_new_file(path, "rb");
    if (!bio) {
        ERR_clear_error();
        diags_add(d, DIAG_ERROR, path, 0, 0, 0, NULL, "cannot read the %s: %s", what,
                  strerror(errno ? errno : ENOENT));
        return -1;
    }
    EVP_PKEY *k = private_key ? PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL)
                              : PEM_read_bio_PUBKEY(bio, NULL, no_passphrase, NULL);
    BIO_free(bio);
    ERR_clear_error();
    if (!k) {
        diags_add(d, DIAG_ERROR, path, 0, 0, 0, NULL,
                  "not a %s PEM file (make one with %s; encrypted keys are not supported)",
                  private_key ? "private key" : "public key",
                  private_key ? "'openssl genpkey -algorithm ed25519 -out KEY.pem'"
                              : "'openssl pkey -in KEY.pem -pubout -out KEY.pub'");
        return -1;
    }
    if (EVP_PKEY_get_id(k) != EVP_PKEY_ED25519) {
        diags_add(d, DIAG_ERROR, path, 0, 0, 0, NULL,
                  "the %s is not an Ed25519 key (it is %s)", what,
                  EVP_PKEY_get0_type_name(k));
        EVP_PKEY_free(k);
        return -1;
    }
    *out = xcalloc(1, sizeof **out);
    (*out)->pkey = k;
    return 0;
}

int ed25519_load_private(struct ed25519_key **out, const char *path, struct diags *d)
{
    return load(out, path, true, d);
}

int ed25519_load_public(struct ed25519_key **out, const char *path, struct diags *d)
{
    return load(out, path, false, d);
}

int ed25519_sign(const struct ed25519_key *k, const void *msg, size_t len,
                 unsigned char sig[ED25519_SIG_LEN])
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    size_t siglen = ED25519_SIG_LEN;
    int ok = c && EVP_DigestSignInit(c, NULL, NULL, NULL, k->pkey) == 1 &&
             EVP_DigestSign(c, sig, &siglen, msg, len) == 1 && siglen == ED25519_SIG_LEN;
    EVP_MD_CTX_free(c);
    ERR_clear_error();
    return ok ? 0 : -1;
}

bool ed25519_verify(const struct ed25519_key *k, const void *msg, size_t len,
                    const unsigned char *sig, size_t siglen)
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    bool ok = c && siglen == ED25519_SIG_LEN &&
              EVP_DigestVerifyInit(c, NULL, NULL, NULL, k->pkey) == 1 &&
              EVP_DigestVerify(c, sig, siglen, msg, len) == 1;
    EVP_MD_CTX_free(c);
    ERR_clear_error();
    return ok;
}

void ed25519_fingerprint(const struct ed25519_key *k, char out[SHA256_HEX_LEN])
{
    unsigned char *der = NULL;
    int n = i2d_PUBKEY(k->pkey, &der);
    if (n <= 0) {
        out[0] = '\0';
        return;
    }
    sha256_hex(der, (size_t)n, out);
    OPENSSL_free(der);
}

void ed25519_free(struct ed25519_key *k)
{
    if (!k)
        return;
    EVP_PKEY_free(k->pkey);
    free(k);
}

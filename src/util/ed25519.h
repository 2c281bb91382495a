/* SPDX-License-Identifier: MIT
 * Ed25519 signatures through OpenSSL's EVP interface, for evidence
 * bundles (--sign-key, verify --pubkey). Keys are PEM files as OpenSSL
 * writes them:
 *   openssl genpkey -algorithm ed25519 -out key.pem        (private)
 *   openssl pkey -in key.pem -pubout -out key.pub          (public)
 * A signature is the raw 64 bytes over the message itself (Ed25519
 * hashes internally), so `openssl pkeyutl -verify -rawin` checks it.
 *
 * A private key is read from its file only, is never prompted for (an
 * encrypted key is refused), and is freed with ed25519_free(). */
#ifndef IMGAUDIT_ED25519_H
#define IMGAUDIT_ED25519_H
#include <stdbool.h>
#include <stddef.h>

#include "util/diag.h"
#include "util/hash.h"

#define ED25519_SIG_LEN 64

struct ed25519_key;

/* Load the private (or public) key at 'path'. Returns 0, or -1 with an
 * error naming 'path' in 'd' (unreadable, not PEM, not Ed25519). */
int ed25519_load_private(struct ed25519_key **out, const char *path, struct diags *d);
int ed25519_load_public(struct ed25519_key **out, const char *path, struct diags *d);
/* Sign 'msg' with a private key. Returns 0 or -1 (an OpenSSL failure). */
int ed25519_sign(const struct ed25519_key *k, const void *msg, size_t len,
                 unsigned char sig[ED25519_SIG_LEN]);
/* Does 'sig' ('siglen' bytes) sign 'msg' under key 'k' (public or private)? */
bool ed25519_verify(const struct ed25519_key *k, const void *msg, size_t len,
                    const unsigned char *sig, size_t siglen);
/* SHA-256 of the public key in DER (SubjectPublicKeyInfo), as
 * `openssl pkey -pubin -in key.pub -outform DER | sha256sum` prints it:
 * names the key without revealing anything. */
void ed25519_fingerprint(const struct ed25519_key *k, char out[SHA256_HEX_LEN]);
void ed25519_free(struct ed25519_key *k);       /* accepts NULL */

#endif

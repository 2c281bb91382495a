/* SPDX-License-Identifier: MIT
 * A shim for tests/cli/hashes.sh, loaded with LD_PRELOAD: it adds up the
 * bytes a process gives to OpenSSL's SHA256_Update (what util/hash.c
 * hashes with) and, at exit, writes the total to the file named by
 * $SHACOUNT_OUT, so that a test can tell which of its inputs a run
 * hashed. Never linked into imgaudit. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

int SHA256_Update(void *ctx, const void *data, size_t len);

static atomic_ullong hashed;    /* the baseline is hashed on a thread of its own */

int SHA256_Update(void *ctx, const void *data, size_t len)
{
    static int (*next)(void *, const void *, size_t);
    if (!next)
        *(void **)&next = dlsym(RTLD_NEXT, "SHA256_Update");
    hashed += len;
    return next(ctx, data, len);
}

__attribute__((destructor)) static void write_total(void)
{
    const char *path = getenv("SHACOUNT_OUT");
    FILE *f = path ? fopen(path, "w") : NULL;
    if (f) {
        fprintf(f, "%llu\n", (unsigned long long)hashed);
        fclose(f);
    }
}

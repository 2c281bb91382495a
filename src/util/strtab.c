/* SPDX-License-Identifier: MIT
 * String table by open addressing; see strtab.h. */
#include "util/strtab.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3u;
    }
    return h;
}

/* The slot holding 'key', or the empty slot where it would go. */
static struct strtab_slot *find(const struct strtab *t, const char *key, size_t len,
                                uint64_t h)
{
    size_t mask = t->cap - 1;
    for (size_t k = (size_t)h & mask;; k = (k + 1) & mask) {
        struct strtab_slot *s = &t->v[k];
        if (!s->key ||
            (s->hash == h && s->len == len && (len == 0 || memcmp(s->key, key, len) == 0)))
            return s;
    }
}

void *strtab_get(const struct strtab *t, const char *key, size_t len)
{
    if (t->n == 0)
        return NULL;
    return find(t, key, len, fnv1a(key, len))->val;
}

static void grow(struct strtab *t)
{
    struct strtab old = *t;
    t->cap = old.cap ? old.cap * 2 : 16;
    t->v = xcalloc(t->cap, sizeof *t->v);
    for (size_t i = 0; i < old.cap; i++)
        if (old.v[i].key)
            *find(t, old.v[i].key, old.v[i].len, old.v[i].hash) = old.v[i];
    free(old.v);
}

void *strtab_put(struct strtab *t, const char *key, size_t len, void *val)
{
    if (2 * (t->n + 1) > t->cap)
        grow(t);
    uint64_t h = fnv1a(key, len);
    struct strtab_slot *s = find(t, key, len, h);
    if (s->key)
        return s->val;
    *s = (struct strtab_slot){key, len, h, val};
    t->n++;
    return NULL;
}

void strtab_dispose(struct strtab *t)
{
    free(t->v);
    *t = (struct strtab)STRTAB_INIT;
}

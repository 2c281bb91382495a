/* SPDX-License-Identifier: MIT
 * An index from 64-bit hashes to small integers (array indexes), for
 * lookups by key in the report reader and the baseline: rule ids,
 * waiver ids, finding identities. The table stores only the hash and
 * the index; the keys stay where they are (in the report) and the
 * caller compares them, so one table serves any kind of key.
 *
 * Open addressing with linear probing, at most half full. Lookup:
 *
 *     for (size_t s = idtable_first(t, h); idtable_used(t, s); s = idtable_step(t, s))
 *         if (t->hash[s] == h && KEY_OF(t->val[s]) equals the key)
 *             found t->val[s];
 *
 * Memory: 12 bytes per slot; the caller owns the table (idtable_init,
 * idtable_dispose). */
#ifndef IMGAUDIT_IDTABLE_H
#define IMGAUDIT_IDTABLE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IDTABLE_EMPTY UINT32_MAX

struct idtable {
    uint64_t *hash;
    uint32_t *val;              /* IDTABLE_EMPTY: a free slot */
    size_t cap;                 /* a power of two */
    size_t n;
};

/* Room for 'expected' entries before the first growth. */
void idtable_init(struct idtable *t, size_t expected);
void idtable_dispose(struct idtable *t);
/* Add 'val' (not IDTABLE_EMPTY) under 'hash'; duplicates are kept (the
 * caller looks first when it wants unique keys). */
void idtable_add(struct idtable *t, uint64_t hash, uint32_t val);

static inline size_t idtable_first(const struct idtable *t, uint64_t hash)
{
    return (size_t)(hash ^ hash >> 29) & (t->cap - 1);
}
static inline bool idtable_used(const struct idtable *t, size_t slot)
{
    return t->val[slot] != IDTABLE_EMPTY;
}
static inline size_t idtable_step(const struct idtable *t, size_t slot)
{
    return (slot + 1) & (t->cap - 1);
}

/* A hash of 'n' bytes, continuing from 'h' (start with IDHASH_SEED), so
 * that a key of several parts hashes part by part. For tables, not for
 * security. */
#define IDHASH_SEED 0xcbf29ce484222325ull
uint64_t idhash(uint64_t h, const void *p, size_t n);
/* A string of 'n' bytes, as if with a terminating NUL, so that
 * "ab"+"c" and "a"+"bc" differ. */
uint64_t idhash_strn(uint64_t h, const char *s, size_t n);

#endif

/* SPDX-License-Identifier: MIT
 * A table from strings to pointers: open addressing with linear probing,
 * kept at most half full, FNV-1a hashes stored beside the keys so that a
 * probe compares bytes only on a full hash match. For the lookups that
 * would otherwise scan a list (duplicate keys, rule ids and params in a
 * rule file of 100,000 entries).
 *
 * Keys are borrowed: the bytes at 'key' must stay put and unchanged for
 * as long as the table holds them. Values are the caller's, never NULL.
 * Iteration order is not defined; use the table for lookups only. */
#ifndef IMGAUDIT_STRTAB_H
#define IMGAUDIT_STRTAB_H
#include <stddef.h>
#include <stdint.h>

struct strtab_slot {
    const char *key;            /* NULL: empty */
    size_t len;
    uint64_t hash;
    void *val;
};

struct strtab {
    struct strtab_slot *v;
    size_t cap, n;              /* cap is 0 or a power of two */
};
#define STRTAB_INIT {NULL, 0, 0}

/* The value stored for 'key' ('len' bytes, NUL bytes allowed), or NULL. */
void *strtab_get(const struct strtab *t, const char *key, size_t len);
/* Store 'val' (not NULL) for 'key' (not NULL) unless the key is there already.
 * Returns NULL when it stored it, else the value already stored (which
 * stays: the first definition wins). */
void *strtab_put(struct strtab *t, const char *key, size_t len, void *val);
void strtab_dispose(struct strtab *t);

#endif

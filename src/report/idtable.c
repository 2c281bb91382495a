/* SPDX-License-Identifier: MIT
 * The hash index; see idtable.h. */
#include "report/idtable.h"

#include <stdlib.h>
#include <string.h>

#include "util/hugemem.h"
#include "util/xalloc.h"

/* The slots of a large table are util/hugemem.h's: a table of a
 * 100,000-image baseline, grown by doubling, was a third of its page
 * faults. 'cap' is a power of two of at least 16, so hugemem_grow
 * gives exactly cap * size bytes below HUGEMEM_MIN, and the same
 * mapping for cap * size above (free_slots). */
static void alloc_slots(struct idtable *t, size_t cap)
{
    size_t n = 0;
    t->cap = cap;
    t->hash = NULL;
    hugemem_grow((void **)&t->hash, &n, cap, sizeof *t->hash);
    memset(t->hash, 0, cap * sizeof *t->hash);
    n = 0;
    t->val = NULL;
    hugemem_grow((void **)&t->val, &n, cap, sizeof *t->val);
    memset(t->val, 0xFF, cap * sizeof *t->val);     /* IDTABLE_EMPTY */
}

static void free_slots(struct idtable *t)
{
    hugemem_free(t->hash, t->cap * sizeof *t->hash);
    hugemem_free(t->val, t->cap * sizeof *t->val);
}

void idtable_init(struct idtable *t, size_t expected)
{
    size_t cap = 16;
    while (cap / 2 < expected)
        cap *= 2;
    t->n = 0;
    alloc_slots(t, cap);
}

void idtable_dispose(struct idtable *t)
{
    free_slots(t);
    memset(t, 0, sizeof *t);
}

static void put(struct idtable *t, uint64_t hash, uint32_t val)
{
    size_t s = idtable_first(t, hash);
    while (idtable_used(t, s))
        s = idtable_step(t, s);
    t->hash[s] = hash;
    t->val[s] = val;
}

void idtable_add(struct idtable *t, uint64_t hash, uint32_t val)
{
    if (2 * (t->n + 1) > t->cap) {
        uint64_t *oh = t->hash;
        uint32_t *ov = t->val;
        size_t ocap = t->cap;
        alloc_slots(t, ocap * 2);
        for (size_t s = 0; s < ocap; s++)
            if (ov[s] != IDTABLE_EMPTY)
                put(t, oh[s], ov[s]);
        hugemem_free(oh, ocap * sizeof *oh);
        hugemem_free(ov, ocap * sizeof *ov);
    }
    put(t, hash, val);
    t->n++;
}

/* Eight bytes at a time: a multiply and a shift per word (the byte-wise
 * FNV-1a it replaced was a third of comparing a baseline). */
static uint64_t mix(uint64_t x)
{
    x *= 0x9e3779b97f4a7c15ull;
    return x ^ x >> 29;
}

uint64_t idhash(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    uint64_t w;
    for (; n >= 8; b += 8, n -= 8) {
        memcpy(&w, b, 8);
        h = mix(h ^ w);
    }
    w = (uint64_t)n << 56;      /* the length of the tail: "a" and "a\0" differ */
    memcpy(&w, b, n);
    return mix(h ^ w);
}

uint64_t idhash_strn(uint64_t h, const char *s, size_t n)
{
    return idhash(idhash(h, s, n), "", 1);
}

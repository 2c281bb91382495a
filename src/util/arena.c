/* SPDX-License-Identifier: MIT
 * Chunked string arena; see arena.h. */
#include "util/arena.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define CHUNK 65536

struct arena_chunk {
    struct arena_chunk *next;
    size_t size;
    _Alignas(max_align_t) char data[];
};

/* 'n' bytes at an offset in the head chunk that is a multiple of 'align'
 * (a power of two, at most that of max_align_t, like the chunk's data). */
static char *take(struct arena *a, size_t n, size_t align)
{
    size_t at = (a->used + align - 1) & ~(align - 1);
    if (!a->head || at > a->head->size || a->head->size - at < n) {
        size_t size = n > CHUNK ? n : CHUNK;
        struct arena_chunk *c = xmalloc(sizeof *c + size);
        c->size = size;
        c->next = a->head;
        a->head = c;
        at = 0;
    }
    a->used = at + n;
    a->total += n;
    return a->head->data + at;
}

const char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p = take(a, n + 1, 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void *arena_calloc(struct arena *a, size_t n)
{
    void *p = take(a, n, _Alignof(max_align_t));
    memset(p, 0, n);
    return p;
}

const char *arena_strdup(struct arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

void arena_dispose(struct arena *a)
{
    struct arena_chunk *c = a->head;
    while (c) {
        struct arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
    a->used = a->total = 0;
}

void arena_reset(struct arena *a)
{
    struct arena_chunk *keep = a->head;
    if (keep && keep->size != CHUNK)
        keep = NULL;            /* one big string's: not worth keeping */
    struct arena_chunk *c = a->head;
    while (c) {
        struct arena_chunk *next = c->next;
        if (c != keep)
            free(c);
        c = next;
    }
    a->head = keep;
    if (keep)
        keep->next = NULL;
    a->used = a->total = 0;
}

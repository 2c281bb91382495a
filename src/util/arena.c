/* SPDX-License-Identifier: MIT
 * Chunked string arena; see arena.h. */
#include "util/arena.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define CHUNK 65536

struct arena_chunk {
    struct arena_chunk *next;
    size_t size;
    char data[];
};

const char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    if (!a->head || a->head->size - a->used < n + 1) {
        size_t size = n + 1 > CHUNK ? n + 1 : CHUNK;
        struct arena_chunk *c = xmalloc(sizeof *c + size);
        c->size = size;
        c->next = a->head;
        a->head = c;
        a->used = 0;
    }
    char *p = a->head->data + a->used;
    memcpy(p, s, n);
    p[n] = '\0';
    a->used += n + 1;
    a->total += n + 1;
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

/* SPDX-License-Identifier: MIT
 * A string arena: many small strings copied into large chunks that never
 * move, all freed at once. The report model keeps every text value here
 * so that a large inventory costs one allocation per 64 KiB, not one per
 * cell; a rule file's tree (rules/doc.h) keeps its nodes here too. */
#ifndef IMGAUDIT_ARENA_H
#define IMGAUDIT_ARENA_H
#include <stddef.h>

struct arena_chunk;
struct arena {
    struct arena_chunk *head;
    size_t used;                /* bytes used in head */
    size_t total;               /* bytes stored, for statistics */
};
#define ARENA_INIT {NULL, 0, 0}

/* Copy 'n' bytes of 's' and a NUL; the result lives until arena_dispose(). */
const char *arena_strndup(struct arena *a, const char *s, size_t n);
const char *arena_strdup(struct arena *a, const char *s);
/* 'n' zeroed bytes, aligned for any object, living until arena_dispose(). */
void *arena_calloc(struct arena *a, size_t n);
void arena_dispose(struct arena *a);
/* Forget everything allocated, keeping one chunk for what comes next
 * (an arena of scratch strings reused per row: no malloc per row). */
void arena_reset(struct arena *a);

#endif

/* SPDX-License-Identifier: MIT
 * Allocation that cannot fail: on out-of-memory the process prints a
 * message and aborts (tmux/jq style). A batch CLI cannot do anything
 * useful after OOM, and this removes a whole class of half-handled error
 * paths. The x*() functions return memory the caller owns and frees with
 * free(). */
#ifndef IMGAUDIT_XALLOC_H
#define IMGAUDIT_XALLOC_H
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);      /* checks nmemb*size overflow */
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);       /* copies at most n bytes, NUL-terminates */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grow a dynamic array '*v' of '*cap' elements of 'size' so that it can
 * hold at least 'need' elements. */
void xgrow(void **v, size_t *cap, size_t need, size_t size);
#define XGROW(v, cap, need) xgrow((void **)&(v), &(cap), (need), sizeof *(v))

#endif

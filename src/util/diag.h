/* SPDX-License-Identifier: MIT
 * Diagnostics: every error or warning the tool reports goes into a
 * caller-owned 'struct diags' list, filled by the function that knows the
 * detail, and is printed once by the CLI layer. The list keeps going past
 * the first error so that a run reports all problems (jq, SQLite).
 *
 * Printed forms:
 *   FILE:LINE:COL: error: MESSAGE      (then the source line and a caret)
 *   FILE:LINE: error: MESSAGE
 *   FILE: error: MESSAGE
 *   imgaudit: error: MESSAGE           (no location)
 */
#ifndef IMGAUDIT_DIAG_H
#define IMGAUDIT_DIAG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum diag_level { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

struct diag {
    enum diag_level level;
    char *file;         /* owned, may be NULL */
    int line;           /* 1-based, 0 = none */
    int col;            /* 1-based byte column, 0 = none */
    int span;           /* bytes to underline (>= 1 when col > 0) */
    char *srcline;      /* owned copy of the source line, may be NULL */
    char *msg;          /* owned */
};

struct diags {
    struct diag *v;
    size_t n, cap;
    size_t errors;      /* how many have level DIAG_ERROR */
};
#define DIAGS_INIT {NULL, 0, 0, 0}

void diags_init(struct diags *d);
void diags_dispose(struct diags *d);
/* Append every diagnostic of 'src' to 'dst', in order, and empty 'src'
 * (e.g. held back on one thread until it is known they come first). */
void diags_move(struct diags *dst, struct diags *src);

/* Add one diagnostic. 'file' and 'srcline' are copied (either may be
 * NULL); 'srcline' may run past the line end: it is cut at the first
 * newline. */
void diags_add(struct diags *d, enum diag_level level, const char *file,
               int line, int col, int span, const char *srcline,
               const char *fmt, ...) __attribute__((format(printf, 8, 9)));
/* Shorthand: an error with no location. */
void diags_error(struct diags *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Print the diagnostics collected so far and drop them from the list
 * ('errors' keeps counting them). For warnings that matter before a
 * long operation starts rather than after it. */
void diags_flush(struct diags *d, FILE *out);

/* Print every diagnostic in order, in the forms above. */
void diags_print(const struct diags *d, FILE *out);
void diag_print(const struct diag *g, FILE *out);

#endif

/* SPDX-License-Identifier: MIT
 * Diagnostic list and its compiler-style printing; see diag.h. */
#include "util/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"

void diags_init(struct diags *d)
{
    memset(d, 0, sizeof *d);
}

void diags_dispose(struct diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].file);
        free(d->v[i].srcline);
        free(d->v[i].msg);
    }
    free(d->v);
    memset(d, 0, sizeof *d);
}

void diags_move(struct diags *dst, struct diags *src)
{
    for (size_t i = 0; i < src->n; i++) {
        XGROW(dst->v, dst->cap, dst->n + 1);
        dst->v[dst->n++] = src->v[i];
        if (src->v[i].level == DIAG_ERROR)
            dst->errors++;
    }
    free(src->v);
    memset(src, 0, sizeof *src);
}

/* format(printf, 8, 0): see buf_vprintf in util/buf.h. */
__attribute__((format(printf, 8, 0)))
static void vadd(struct diags *d, enum diag_level level, const char *file,
                 int line, int col, int span, const char *srcline,
                 const char *fmt, va_list ap)
{
    XGROW(d->v, d->cap, d->n + 1);
    struct diag *g = &d->v[d->n++];
    struct buf b = BUF_INIT;
    buf_vprintf(&b, fmt, ap);
    g->level = level;
    g->file = file ? xstrdup(file) : NULL;
    g->line = line;
    g->col = col;
    g->span = span < 1 ? 1 : span;
    g->srcline = srcline ? xstrndup(srcline, strcspn(srcline, "\r\n")) : NULL;
    g->msg = buf_detach(&b);
    if (level == DIAG_ERROR)
        d->errors++;
}

void diags_add(struct diags *d, enum diag_level level, const char *file,
               int line, int col, int span, const char *srcline,
               const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vadd(d, level, file, line, col, span, srcline, fmt, ap);
    va_end(ap);
}

void diags_error(struct diags *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vadd(d, DIAG_ERROR, NULL, 0, 0, 0, NULL, fmt, ap);
    va_end(ap);
}

static const char *level_name(enum diag_level l)
{
    switch (l) {
    case DIAG_ERROR: return "error";
    case DIAG_WARNING: return "warning";
    case DIAG_NOTE: return "note";
    }
    return "error";
}

void diag_print(const struct diag *g, FILE *out)
{
    if (!g->file)
        fputs("imgaudit", out);
    else if (g->line && g->col)
        fprintf(out, "%s:%d:%d", g->file, g->line, g->col);
    else if (g->line)
        fprintf(out, "%s:%d", g->file, g->line);
    else
        fputs(g->file, out);
    fprintf(out, ": %s: %s\n", level_name(g->level), g->msg);
    if (g->srcline && g->col > 0) {
        fprintf(out, "%s\n", g->srcline);
        /* Keep tabs so the caret lines up under tab-indented source. */
        size_t len = strlen(g->srcline);
        for (int i = 0; i < g->col - 1; i++)
            fputc((size_t)i < len && g->srcline[i] == '\t' ? '\t' : ' ', out);
        fputc('^', out);
        for (int i = 1; i < g->span; i++)
            fputc('~', out);
        fputc('\n', out);
    }
}

void diags_flush(struct diags *d, FILE *out)
{
    diags_print(d, out);
    fflush(out);
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].file);
        free(d->v[i].srcline);
        free(d->v[i].msg);
    }
    d->n = 0;
}

void diags_print(const struct diags *d, FILE *out)
{
    for (size_t i = 0; i < d->n; i++)
        diag_print(&d->v[i], out);
}

/* SPDX-License-Identifier: MIT
 * The CSV report: one row per finding with the columns of
 * src/report/columns.def, RFC 4180 (CRLF line ends, fields quoted by
 * libcsv's writer), UTF-8, a header row. Numbers are written bare so
 * spreadsheets keep them numeric; missing values are empty; an empty
 * string is "" (so "missing" and "empty" stay distinguishable).
 *
 * CSV injection (OWASP): a text cell that a spreadsheet would run as a
 * formula, i.e. one starting with '=', '+', '-', '@', tab or carriage
 * return, is written with a leading apostrophe. Numbers are never
 * guarded: they are numbers. */
#include <csv.h>
#include <errno.h>
#include <string.h>

#include "render/render.h"
#include "report/columns.h"

static int needs_guard(const char *s)
{
    return s[0] && strchr("=+-@\t\r", s[0]) != NULL;
}

static void put_text(FILE *out, struct buf *tmp, const char *s)
{
    if (needs_guard(s)) {
        buf_clear(tmp);
        buf_putc(tmp, '\'');
        buf_puts(tmp, s);
        s = buf_cstr(tmp);
    }
    csv_fwrite(out, s, strlen(s));
}

/* One finding as a CSV row. */
static void put_row(FILE *out, const struct report *rep, const struct report_finding *fi,
                    struct buf *cell, struct buf *tmp)
{
    for (int c = 0; c < FC_COUNT; c++) {
        if (c)
            fputc(',', out);
        struct fcol_value v;
        fcol_value(rep, fi, (enum fcol_id)c, &v);
        if (v.kind == FV_MISSING)
            continue;               /* missing: empty field */
        buf_clear(cell);
        fcol_text(cell, &v);
        if (v.kind == FV_INT)
            fputs(buf_cstr(cell), out);
        else
            put_text(out, tmp, buf_cstr(cell));
    }
    fputs("\r\n", out);
}

int render_csv(const struct report *rep, const struct render_opts *o, FILE *out,
               struct diags *d)
{
    (void)o;
    struct buf cell = BUF_INIT, tmp = BUF_INIT;
    for (int c = 0; c < FC_COUNT; c++) {
        if (c)
            fputc(',', out);
        fputs(fcol_defs[c].name, out);
    }
    fputs("\r\n", out);
    for (size_t i = 0; i < rep->n_findings; i++)
        put_row(out, rep, report_finding_at(rep, i), &cell, &tmp);
    buf_dispose(&cell);
    buf_dispose(&tmp);
    if (ferror(out)) {
        diags_error(d, "cannot write the CSV report: %s", strerror(errno));
        return -1;
    }
    return 0;
}

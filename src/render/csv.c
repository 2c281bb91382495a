/* SPDX-License-Identifier: MIT
 * The CSV report: one row per finding, RFC 4180 (CRLF line ends, fields
 * quoted by libcsv's writer), UTF-8, a header row. Numbers are written
 * bare so spreadsheets keep them numeric; missing values are empty; an
 * empty string is "" (so "missing" and "empty" stay distinguishable).
 *
 * CSV injection (OWASP): a text cell that a spreadsheet would run as a
 * formula, i.e. one starting with '=', '+', '-', '@', tab or carriage
 * return, is written with a leading apostrophe. Numeric columns are never
 * guarded: they are numbers. */
#include <csv.h>
#include <errno.h>
#include <string.h>

#include "render/render.h"

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

int render_csv(const struct report *rep, const struct render_opts *o, FILE *out,
               struct diags *d)
{
    struct buf cell = BUF_INIT, tmp = BUF_INIT;
    for (size_t c = 0; render_finding_columns[c]; c++) {
        if (c)
            fputc(',', out);
        fputs(render_finding_columns[c], out);
    }
    fputs("\r\n", out);
    for (size_t i = 0; i < rep->n_findings; i++) {
        const struct report_finding *fi = &rep->findings[i];
        for (size_t c = 0; render_finding_columns[c]; c++) {
            if (c)
                fputc(',', out);
            int f = render_finding_col_field(c);
            if (f >= 0 && rep->images[fi->image].c[f].state != CELL_OK)
                continue;               /* missing: empty field */
            buf_clear(&cell);
            render_finding_cell(&cell, rep, fi, c);
            if (render_finding_col_is_number(c))
                fputs(buf_cstr(&cell), out);
            else
                put_text(out, &tmp, buf_cstr(&cell));
        }
        fputs("\r\n", out);
    }
    buf_dispose(&cell);
    buf_dispose(&tmp);
    if (ferror(out)) {
        diags_error(d, "cannot write the CSV report: %s", strerror(errno));
        return -1;
    }
    return 0;
}

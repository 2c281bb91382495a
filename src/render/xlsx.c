/* SPDX-License-Identifier: MIT
 * The XLSX report (libxlsxwriter): the workbook a security lead opens.
 * Sheets, in tab order:
 *   Summary       metadata as a two-column table, the gate verdict in
 *                 colour, findings by severity (column chart), top rules
 *                 and top namespaces (bar charts), where the rows went
 *   Findings      one row per finding, the CSV columns, typed cells
 *   Changes       since the baseline: the new findings, then the
 *                 resolved ones (with their last known data)
 *   Waivers       every waiver with its state (governance)
 *   Inventory     every image, every field
 *   Rules         the rule set as evidence of what was checked
 *   Data quality  values of the wrong type, outside the documented set,
 *                 out of range or holding a NUL character
 *
 * Memory: the workbook is written in constant_memory mode, where each
 * row goes to a temporary file as soon as the next row starts, so a
 * million findings cost no more memory than ten. The price is that rows
 * of a sheet must be written strictly in order; the Summary, which
 * refers to the other sheets by name, is therefore written first, from
 * counts that are all known before any finding is written.
 *
 * A sheet holds at most 1,048,576 rows (Excel's limit). Findings and
 * inventory beyond that continue on "Findings (2)", "Inventory (2)" and so
 * on, and the Summary says so. Tests lower the limit with the
 * environment variable IMGAUDIT_XLSX_MAX_ROWS (not a user option).
 *
 * Safety: text is always written with worksheet_write_string(), which
 * stores a string cell, never a formula, so "=HYPERLINK(...)" in an image
 * name stays text; control characters that XML cannot carry are
 * replaced, and text longer than Excel's 32,767-character cell limit is
 * cut with a visible marker. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xlsxwriter.h>

#include "render/render.h"
#include "render/reportview.h"
#include "report/columns.h"
#include "util/buf.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

#define XLSX_MAX_ROWS 1048576u      /* Excel's rows per sheet */
#define XLSX_MAX_CELL_CHARS 32767u  /* Excel's characters per cell */
#define XLSX_TOP_N 10
#define XLSX_CUT_MARK " [... cut: longer than an Excel cell holds]"
#define XLSX_SHEET_NAME_MAX 64      /* room to spare: "Inventory (99999)" is far below Excel's 31 */

/* The formats, made once per workbook (libxlsxwriter owns them). */
struct formats {
    lxw_format *title, *section, *header, *label, *wrap, *datetime, *date, *number;
    lxw_format *sev[SEV_COUNT];         /* soft tint, dark ink: table cells */
    lxw_format *sev_strong[SEV_COUNT];  /* strong fill, white: summary */
    lxw_format *pass, *fail, *nogate, *undecided, *incomplete, *note;
};

struct xlsx {
    lxw_workbook *wb;
    struct formats f;
    size_t rows_per_sheet;              /* data rows per sheet (limit minus header) */
    lxw_error err;                      /* first error */
    struct buf text;                    /* scratch for cell text */
    struct buf clean;                   /* scratch for sanitised text */
};

/* Remember the first error; later ones are usually its consequences. */
static void check(struct xlsx *x, lxw_error e)
{
    if (e != LXW_NO_ERROR && x->err == LXW_NO_ERROR)
        x->err = e;
}

/* ---- cells ---- */

/* Excel's length of the UTF-8 character at 'p' (UTF-16 code units:
 * characters outside the BMP count twice) and its byte length. */
static size_t excel_units(const unsigned char *p, size_t *bytes)
{
    const unsigned char *q = p + 1;
    while ((*q & 0xC0) == 0x80)
        q++;
    *bytes = (size_t)(q - p);
    return *p >= 0xF0 ? 2 : 1;
}

/* Text as a string cell: never a formula. Bytes XML 1.0 cannot hold
 * (C0 controls other than tab, LF, CR) become U+FFFD, and text past
 * Excel's cell limit is cut at a character boundary with a marker; text
 * that fits is never cut. */
static void put_text(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
                     const char *s, lxw_format *fmt)
{
    if (!s)
        return;
    size_t total = 0, bytes;
    for (const unsigned char *p = (const unsigned char *)s; *p; p += bytes)
        total += excel_units(p, &bytes);
    /* Room for the text when it must be cut: the marker takes the rest. */
    size_t room = total <= XLSX_MAX_CELL_CHARS ? total
                : XLSX_MAX_CELL_CHARS - (sizeof XLSX_CUT_MARK - 1);
    struct buf *b = &x->clean;
    buf_clear(b);
    size_t units = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p += bytes) {
        size_t u = excel_units(p, &bytes);
        if (units + u > room) {
            buf_puts(b, XLSX_CUT_MARK);
            break;
        }
        units += u;
        if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
            buf_puts(b, "\xEF\xBF\xBD");
        else
            buf_append(b, p, bytes);
    }
    check(x, worksheet_write_string(ws, r, c, buf_cstr(b), fmt));
}

static void put_number(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
                       double v, lxw_format *fmt)
{
    check(x, worksheet_write_number(ws, r, c, v, fmt));
}

/* Epoch milliseconds UTC as an Excel date-time serial (days since
 * 1899-12-30, the 1900 date system). */
static double excel_time(int64_t ms)
{
    return (double)ms / 86400000.0 + 25569.0;
}

/* Inventory cell 'f' of 'img' in its native Excel type; missing and
 * wrongly typed values stay blank. */
static void put_cell(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
                     const struct report_image *img, enum field_id f)
{
    const struct rcell *cell = &img->c[f];
    if (cell->state != CELL_OK)
        return;
    switch (field_defs[f].type) {
    case FT_INT:
    case FT_LIST: put_number(x, ws, r, c, (double)cell->v.i, x->f.number); break;
    case FT_TIME: put_number(x, ws, r, c, excel_time(cell->v.i), x->f.datetime); break;
    case FT_BOOL: check(x, worksheet_write_boolean(ws, r, c, cell->v.b, NULL)); break;
    case FT_STR: put_text(x, ws, r, c, cell->v.s, NULL); break;
    }
}

/* ---- formats ---- */

static lxw_format *fmt_fill(lxw_workbook *wb, uint32_t bg, uint32_t ink, bool bold)
{
    lxw_format *f = workbook_add_format(wb);
    format_set_bg_color(f, bg);
    format_set_font_color(f, ink);
    if (bold)
        format_set_bold(f);
    return f;
}

static void make_formats(struct xlsx *x)
{
    lxw_workbook *wb = x->wb;
    struct formats *f = &x->f;
    f->title = workbook_add_format(wb);
    format_set_bold(f->title);
    format_set_font_size(f->title, 16);
    f->section = workbook_add_format(wb);
    format_set_bold(f->section);
    format_set_font_size(f->section, 12);
    format_set_bottom(f->section, LXW_BORDER_THIN);
    f->header = fmt_fill(wb, 0x1E293B, 0xFFFFFF, true);
    f->label = fmt_fill(wb, 0xF1F5F9, 0x334155, true);
    format_set_align(f->label, LXW_ALIGN_VERTICAL_TOP);
    f->wrap = workbook_add_format(wb);
    format_set_text_wrap(f->wrap);
    format_set_align(f->wrap, LXW_ALIGN_VERTICAL_TOP);
    f->datetime = workbook_add_format(wb);
    format_set_num_format(f->datetime, "yyyy-mm-dd hh:mm:ss");
    f->date = workbook_add_format(wb);
    format_set_num_format(f->date, "yyyy-mm-dd");
    f->number = workbook_add_format(wb);
    format_set_num_format(f->number, "#,##0");
    for (int s = 0; s < SEV_COUNT; s++) {
        f->sev[s] = fmt_fill(wb, rview_sev_color[s].soft, rview_sev_color[s].ink, true);
        f->sev_strong[s] = fmt_fill(wb, rview_sev_color[s].strong, 0xFFFFFF, true);
    }
    f->pass = fmt_fill(wb, 0x15803D, 0xFFFFFF, true);
    f->fail = fmt_fill(wb, 0xB91C1C, 0xFFFFFF, true);
    f->nogate = fmt_fill(wb, 0x475569, 0xFFFFFF, true);
    f->undecided = fmt_fill(wb, 0xB45309, 0xFFFFFF, true);     /* amber: never green */
    f->incomplete = fmt_fill(wb, 0xB91C1C, 0xFFFFFF, true);
    format_set_font_size(f->incomplete, 12);
    f->note = workbook_add_format(wb);
    format_set_italic(f->note);
    format_set_font_color(f->note, 0x475569);
}

/* ---- sheets that continue past the row limit ---- */

/* Name of part 'part' (0-based) of a sheet: "Findings", "Findings (2)". */
static void part_name(char *out, const char *base, size_t part)
{
    if (part == 0)
        snprintf(out, XLSX_SHEET_NAME_MAX, "%s", base);
    else
        snprintf(out, XLSX_SHEET_NAME_MAX, "%s (%zu)", base, part + 1);
}

static size_t parts_for(const struct xlsx *x, size_t rows)
{
    return rows == 0 ? 1 : (rows + x->rows_per_sheet - 1) / x->rows_per_sheet;
}

struct column {
    const char *name;
    double width;
};

/* A header row, frozen, with an autofilter over 'rows' data rows. */
static lxw_worksheet *table_sheet(struct xlsx *x, const char *name, const struct column *cols,
                                  size_t ncols, size_t rows)
{
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
    if (!ws) {
        check(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return NULL;
    }
    for (size_t c = 0; c < ncols; c++) {
        check(x, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, cols[c].width, NULL));
        put_text(x, ws, 0, (lxw_col_t)c, cols[c].name, x->f.header);
    }
    worksheet_freeze_panes(ws, 1, 0);
    /* Printed evidence: landscape, one page wide, the header on every page. */
    worksheet_set_landscape(ws);
    worksheet_fit_to_pages(ws, 1, 0);
    check(x, worksheet_repeat_rows(ws, 0, 0));
    check(x, worksheet_autofilter(ws, 0, 0, (lxw_row_t)rows, (lxw_col_t)(ncols - 1)));
    return ws;
}

/* Where data row 'i' of a continued table goes: the sheet (opened when
 * 'i' starts a new part) and the row within it. */
struct cursor {
    const char *base;
    const struct column *cols;
    size_t ncols, total;
    lxw_worksheet *ws;
};

static lxw_worksheet *cursor_row(struct xlsx *x, struct cursor *cur, size_t i, lxw_row_t *row)
{
    size_t part = i / x->rows_per_sheet, in = i % x->rows_per_sheet;
    if (in == 0) {
        char name[XLSX_SHEET_NAME_MAX];
        part_name(name, cur->base, part);
        size_t left = cur->total - i;
        cur->ws = table_sheet(x, name, cur->cols, cur->ncols,
                              left < x->rows_per_sheet ? left : x->rows_per_sheet);
    }
    *row = (lxw_row_t)(in + 1);
    return cur->ws;
}

/* ---- Summary ---- */

static void chart_bars(struct xlsx *x, lxw_worksheet *ws, lxw_chart_type type,
                       const char *title, lxw_row_t first, size_t n, lxw_row_t at,
                       const uint32_t *colors)
{
    if (n == 0)
        return;
    lxw_chart *ch = workbook_add_chart(x->wb, (uint8_t)type);
    lxw_chart_series *s = chart_add_series(ch, NULL, NULL);
    chart_series_set_categories(s, "Summary", first, 0, (lxw_row_t)(first + n - 1), 0);
    chart_series_set_values(s, "Summary", first, 1, (lxw_row_t)(first + n - 1), 1);
    chart_series_set_name(s, "Findings");
    lxw_chart_fill fills[XLSX_TOP_N];
    lxw_chart_point points[XLSX_TOP_N];
    lxw_chart_point *pp[XLSX_TOP_N + 1];
    for (size_t i = 0; i < n && i < XLSX_TOP_N; i++) {
        fills[i] = (lxw_chart_fill){.color = colors ? colors[i] : 0x475569};
        points[i] = (lxw_chart_point){.fill = &fills[i]};
        pp[i] = &points[i];
    }
    pp[n < XLSX_TOP_N ? n : XLSX_TOP_N] = NULL;
    check(x, chart_series_set_points(s, pp));
    chart_title_set_name(ch, title);
    chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
    if (type == LXW_CHART_BAR)
        chart_axis_set_reverse(ch->y_axis);     /* categories: biggest at the top, as listed */
    lxw_chart_options opt = {.x_offset = 10, .y_offset = 4, .x_scale = 1.1, .y_scale = 0.9};
    check(x, worksheet_insert_chart_opt(ws, at, 3, ch, &opt));
}

/* The findings' status and changes since the baseline: one row per
 * tally (open, waived, new, existing, resolved) with its total, the
 * split by severity in words beside it, and a column chart. Returns the
 * next free row. */
static lxw_row_t status_table(struct xlsx *x, lxw_worksheet *ws, const struct report *rep,
                              lxw_row_t r)
{
    const struct formats *f = &x->f;
    const struct report_summary *s = &rep->summary;
    put_text(x, ws, r++, 0, "Status and changes since the baseline", f->section);
    lxw_row_t chart_at = r;
    put_text(x, ws, r, 0, "Findings", f->header);
    put_text(x, ws, r, 1, "Count", f->header);
    put_text(x, ws, r++, 2, "By severity", f->header);
    lxw_row_t first = r;
    static const uint32_t colors[TALLY_COUNT] = {0xB91C1C, 0x64748B, 0xEA580C, 0xD97706,
                                                 0x15803D};
    for (int t = 0; t < TALLY_COUNT; t++, r++) {
        put_text(x, ws, r, 0, tally_name((enum tally)t), f->label);
        put_number(x, ws, r, 1, (double)s->tally_total[t], f->number);
        buf_clear(&x->text);
        for (int sev = SEV_COUNT - 1; sev >= 0; sev--)
            if (s->tally[t][sev])
                buf_printf(&x->text, "%s%zu %s", x->text.len ? ", " : "", s->tally[t][sev],
                           severity_name((enum severity)sev));
        put_text(x, ws, r, 2, x->text.len ? buf_cstr(&x->text) : "none", NULL);
    }
    if (!rep->meta.baseline.present)
        put_text(x, ws, r++, 0, "No baseline (--baseline): every finding counts as new",
                 f->note);
    else if (!s->resolved_trusted)
        put_text(x, ws, r++, 0, "Resolved findings are not listed: the baseline or this "
                 "run is INCOMPLETE", f->note);
    chart_bars(x, ws, LXW_CHART_COLUMN, "Findings by status and change", first, TALLY_COUNT,
               chart_at, colors);
    return r < chart_at + 16 ? chart_at + 16 : r;
}

static void summary_sheet(struct xlsx *x, const struct report *rep)
{
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Summary");
    if (!ws) {
        check(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    const struct formats *f = &x->f;
    check(x, worksheet_set_column(ws, 0, 0, 34, NULL));
    check(x, worksheet_set_column(ws, 1, 1, 16, NULL));
    check(x, worksheet_set_column(ws, 2, 2, 40, NULL));
    check(x, worksheet_set_column(ws, 3, 3, 2, NULL));
    /* Printed (or exported to PDF) as one landscape page wide. */
    worksheet_set_landscape(ws);
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_gridlines(ws, LXW_HIDE_ALL_GRIDLINES);
    lxw_row_t r = 0;

    put_text(x, ws, r++, 0, "Container image audit", f->title);
    char gate[RVIEW_GATE_MAX];
    rview_gate_text(rep, gate, sizeof gate);
    lxw_format *gf = rep->meta.gate == GATE_FAIL ? f->fail
                   : rep->meta.gate == GATE_PASS ? f->pass
                   : rep->meta.gate == GATE_INCOMPLETE ? f->undecided : f->nogate;
    put_text(x, ws, r, 0, "Gate verdict", gf);
    put_text(x, ws, r++, 1, gate, gf);
    if (!rep->meta.complete) {
        char msg[160];
        snprintf(msg, sizeof msg, "only %zu of %" PRId64 " expected records were received",
                 rep->meta.records_received, rep->meta.expected_records);
        put_text(x, ws, r, 0, "INCOMPLETE", f->incomplete);
        put_text(x, ws, r++, 1, msg, f->incomplete);
    }
    r++;

    put_text(x, ws, r++, 0, "Metadata", f->section);
    struct rview_row *rows;
    size_t n = rview_meta_rows(rep, &rows);
    for (size_t i = 0; i < n; i++, r++) {
        put_text(x, ws, r, 0, rows[i].label, f->label);
        put_text(x, ws, r, 1, rows[i].value, NULL);
    }
    rview_rows_free(rows, n);
    put_text(x, ws, r++, 0, "Times", f->label);
    put_text(x, ws, r - 1, 1, "all times in this workbook are UTC", NULL);

    /* Where the rows are, when a table did not fit one sheet. */
    size_t fparts = parts_for(x, rep->n_findings), iparts = parts_for(x, rep->n_images);
    for (int t = 0; t < 2; t++) {
        size_t parts = t ? iparts : fparts;
        if (parts < 2)
            continue;
        char last[XLSX_SHEET_NAME_MAX], msg[200];
        part_name(last, t ? "Inventory" : "Findings", parts - 1);
        snprintf(msg, sizeof msg,
                 "%zu rows do not fit one sheet: continued on %zu sheets, \"%s\" to \"%s\"",
                 t ? rep->n_images : rep->n_findings, parts, t ? "Inventory" : "Findings", last);
        put_text(x, ws, r, 0, t ? "Inventory sheets" : "Findings sheets", f->label);
        put_text(x, ws, r++, 1, msg, f->note);
    }
    r++;

    /* Severity table and its column chart beside it. */
    put_text(x, ws, r++, 0, "Findings by severity", f->section);
    lxw_row_t chart_at = r;
    put_text(x, ws, r, 0, "Severity", f->header);
    put_text(x, ws, r++, 1, "Findings", f->header);
    lxw_row_t first = r;
    uint32_t colors[XLSX_TOP_N];
    for (int s = SEV_COUNT - 1; s >= 0; s--, r++) {
        put_text(x, ws, r, 0, severity_name((enum severity)s), f->sev_strong[s]);
        put_number(x, ws, r, 1, (double)rep->summary.by_severity[s], f->number);
        colors[SEV_COUNT - 1 - s] = rview_sev_color[s].strong;
    }
    chart_bars(x, ws, LXW_CHART_COLUMN, "Findings by severity", first, SEV_COUNT, chart_at,
               colors);
    put_text(x, ws, r, 0, "Total findings", f->label);
    put_number(x, ws, r++, 1, (double)rep->summary.findings, f->number);
    put_text(x, ws, r, 0, "Images evaluated", f->label);
    put_number(x, ws, r++, 1, (double)rep->summary.images, f->number);
    put_text(x, ws, r, 0, "Images with findings", f->label);
    put_number(x, ws, r++, 1, (double)rep->summary.images_with_findings, f->number);
    /* Keep the next chart clear of this one (about 15 rows tall). */
    r = r < chart_at + 16 ? chart_at + 16 : r;
    r = status_table(x, ws, rep, r);

    size_t top[XLSX_TOP_N];
    n = rview_top_rules(rep, top, XLSX_TOP_N);
    put_text(x, ws, r++, 0, "Top rules", f->section);
    chart_at = r;
    put_text(x, ws, r, 0, "Rule", f->header);
    put_text(x, ws, r, 1, "Findings", f->header);
    put_text(x, ws, r++, 2, "Title", f->header);
    first = r;
    for (size_t i = 0; i < n; i++, r++) {
        const struct report_rule *rl = &rep->rules[top[i]];
        put_text(x, ws, r, 0, rl->id, f->sev[rl->severity]);
        put_number(x, ws, r, 1, (double)rl->findings, f->number);
        put_text(x, ws, r, 2, rl->title, NULL);
        colors[i] = rview_sev_color[rl->severity].strong;
    }
    if (n == 0)
        put_text(x, ws, r++, 0, "No findings", f->note);
    chart_bars(x, ws, LXW_CHART_BAR, "Top rules by findings", first, n, chart_at, colors);
    r = r < chart_at + 16 ? chart_at + 16 : r;

    n = rep->summary.n_by_namespace < XLSX_TOP_N ? rep->summary.n_by_namespace : XLSX_TOP_N;
    put_text(x, ws, r++, 0, "Top namespaces", f->section);
    chart_at = r;
    put_text(x, ws, r, 0, "Namespace", f->header);
    put_text(x, ws, r++, 1, "Findings", f->header);
    first = r;
    for (size_t i = 0; i < n; i++, r++) {
        put_text(x, ws, r, 0, rep->summary.by_namespace[i].key, NULL);
        put_number(x, ws, r, 1, (double)rep->summary.by_namespace[i].count, f->number);
    }
    if (n == 0)
        put_text(x, ws, r++, 0, "No findings", f->note);
    chart_bars(x, ws, LXW_CHART_BAR, "Top namespaces by findings", first, n, chart_at, NULL);
    worksheet_activate(ws);
}

/* ---- Findings ---- */

/* Width of an inventory column: the finding column of the same name
 * where there is one. */
static double field_width(const struct field_def *d)
{
    if (d->type == FT_TIME)
        return 20;
    if (d->type != FT_STR)
        return 12;
    int c = fcol_lookup(d->name);
    return c >= 0 ? fcol_defs[c].width : 15;
}

/* A typed column value as its native cell. */
static void put_value(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
                      const struct fcol_value *v, lxw_format *text_fmt)
{
    switch (v->kind) {
    case FV_MISSING: break;
    case FV_TEXT: put_text(x, ws, r, c, v->s, text_fmt); break;
    case FV_INT: put_number(x, ws, r, c, (double)v->i, x->f.number); break;
    case FV_TIME: put_number(x, ws, r, c, excel_time(v->i), x->f.datetime); break;
    case FV_DATE: put_number(x, ws, r, c, excel_time(v->i), x->f.date); break;
    case FV_BOOL: check(x, worksheet_write_boolean(ws, r, c, v->b, NULL)); break;
    }
}

/* One finding as a row of the columns table. */
static void put_finding(struct xlsx *x, lxw_worksheet *ws, lxw_row_t row,
                        const struct report *rep, const struct report_finding *fi)
{
    for (int c = 0; c < FC_COUNT; c++) {
        struct fcol_value v;
        fcol_value(rep, fi, (enum fcol_id)c, &v);
        lxw_format *fmt = c == FC_SEVERITY ? x->f.sev[report_finding_rule(rep, fi)->severity] : NULL;
        put_value(x, ws, row, (lxw_col_t)c, &v, fmt);
    }
}

static void findings_sheets(struct xlsx *x, const struct report *rep)
{
    struct column cols[FC_COUNT];
    for (int c = 0; c < FC_COUNT; c++)
        cols[c] = (struct column){fcol_defs[c].name, fcol_defs[c].width};
    struct cursor cur = {"Findings", cols, FC_COUNT, rep->n_findings, NULL};
    if (rep->n_findings == 0) {
        lxw_row_t row;
        lxw_worksheet *ws = cursor_row(x, &cur, 0, &row);
        if (ws)
            put_text(x, ws, row, 0, "No findings", x->f.note);
    }
    for (size_t i = 0; i < rep->n_findings && x->err == LXW_NO_ERROR; i++) {
        lxw_row_t row;
        lxw_worksheet *ws = cursor_row(x, &cur, i, &row);
        if (!ws)
            break;
        put_finding(x, ws, row, rep, &rep->findings[i]);
    }
}

/* ---- Changes and Waivers ---- */

/* The new findings, then the resolved ones: what changed since the
 * baseline, in the Findings sheet's columns. */
static void changes_sheets(struct xlsx *x, const struct report *rep)
{
    struct column cols[FC_COUNT];
    for (int c = 0; c < FC_COUNT; c++)
        cols[c] = (struct column){fcol_defs[c].name, fcol_defs[c].width};
    /* Without a baseline every finding is new: the Findings sheet has them. */
    bool base = rep->meta.baseline.present;
    size_t total = base ? rep->summary.tally_total[T_NEW] + rep->n_resolved : 0;
    struct cursor cur = {"Changes", cols, FC_COUNT, total, NULL};
    if (total == 0) {
        lxw_row_t row;
        lxw_worksheet *ws = cursor_row(x, &cur, 0, &row);
        if (ws)
            put_text(x, ws, row, 0, base ? "No changes since the baseline"
                                         : "No baseline (--baseline PREV.json): nothing to "
                                           "compare with", x->f.note);
        return;
    }
    size_t i = 0;
    for (size_t k = 0; k < rep->n_findings + rep->n_resolved && x->err == LXW_NO_ERROR; k++) {
        const struct report_finding *fi = k < rep->n_findings ? &rep->findings[k]
                                                              : &rep->resolved[k - rep->n_findings];
        if (fi->change == CHANGE_EXISTING)
            continue;
        lxw_row_t row;
        lxw_worksheet *ws = cursor_row(x, &cur, i++, &row);
        if (!ws)
            break;
        put_finding(x, ws, row, rep, fi);
    }
}

static void waivers_sheet(struct xlsx *x, const struct report *rep)
{
    static const struct column cols[] = {
        {"id", 16}, {"state", 10}, {"rule", 22}, {"reason", 40}, {"owner", 18},
        {"expires", 20}, {"ticket", 12}, {"when", 40}, {"file", 24}, {"line", 7},
        {"findings_waived", 10}, {"findings_matched", 10}, {"unknown", 10},
    };
    size_t ncols = sizeof cols / sizeof cols[0];
    lxw_worksheet *ws = table_sheet(x, "Waivers", cols, ncols, rep->n_waivers);
    if (!ws)
        return;
    for (size_t i = 0; i < rep->n_waivers; i++) {
        const struct report_waiver *w = &rep->waivers[i];
        lxw_row_t row = (lxw_row_t)(i + 1);
        static const int tint[WAIVER_STATE_COUNT] = {-1, SEV_MEDIUM, SEV_CRITICAL, SEV_INFO};
        put_text(x, ws, row, 0, w->id, NULL);
        put_text(x, ws, row, 1, waiver_state_name(w->state),
                 tint[w->state] >= 0 ? x->f.sev[tint[w->state]] : NULL);
        put_text(x, ws, row, 2, w->rule, NULL);
        put_text(x, ws, row, 3, w->reason, x->f.wrap);
        put_text(x, ws, row, 4, w->owner, NULL);
        put_number(x, ws, row, 5,
                   excel_time(w->expires_is_date ? w->expires_ms - 86400000 : w->expires_ms),
                   w->expires_is_date ? x->f.date : x->f.datetime);
        put_text(x, ws, row, 6, w->ticket, NULL);
        put_text(x, ws, row, 7, w->when, x->f.wrap);
        put_text(x, ws, row, 8, w->file, NULL);
        put_number(x, ws, row, 9, w->line, x->f.number);
        put_number(x, ws, row, 10, (double)w->waived, x->f.number);
        put_number(x, ws, row, 11, (double)w->matched, x->f.number);
        put_number(x, ws, row, 12, (double)w->unknown, x->f.number);
    }
    put_text(x, ws, (lxw_row_t)(rep->n_waivers + 2), 0,
             rep->n_waivers ? "expired waivers waive nothing; unused ones matched no finding"
                            : "No waivers (--waivers FILE, or a waivers: section in a rule file)",
             x->f.note);
}

/* ---- Inventory ---- */

static void inventory_sheets(struct xlsx *x, const struct report *rep)
{
    struct column cols[FIELD_COUNT + 2];
    for (int f = 0; f < FIELD_COUNT; f++) {
        const struct field_def *d = &field_defs[f];
        cols[f].name = report_field_key((enum field_id)f);
        cols[f].width = field_width(d);
    }
    cols[FIELD_COUNT] = (struct column){"findings", 10};
    cols[FIELD_COUNT + 1] = (struct column){"max_severity", 13};
    struct cursor cur = {"Inventory", cols, FIELD_COUNT + 2, rep->n_images, NULL};
    if (rep->n_images == 0) {
        lxw_row_t row;
        lxw_worksheet *ws = cursor_row(x, &cur, 0, &row);
        if (ws)
            put_text(x, ws, row, 0, "No images", x->f.note);
    }
    for (size_t i = 0; i < rep->n_images && x->err == LXW_NO_ERROR; i++) {
        const struct report_image *img = &rep->images[i];
        lxw_row_t row;
        lxw_worksheet *ws = cursor_row(x, &cur, i, &row);
        if (!ws)
            break;
        for (int f = 0; f < FIELD_COUNT; f++)
            put_cell(x, ws, row, (lxw_col_t)f, img, (enum field_id)f);
        put_number(x, ws, row, FIELD_COUNT, (double)img->findings, x->f.number);
        if (img->max_severity >= 0)
            put_text(x, ws, row, FIELD_COUNT + 1,
                     severity_name((enum severity)img->max_severity),
                     x->f.sev[img->max_severity]);
    }
}

/* ---- Rules and Data quality ---- */

static void rules_sheet(struct xlsx *x, const struct report *rep)
{
    static const struct column cols[] = {
        {"id", 22}, {"title", 36}, {"severity", 11}, {"description", 50},
        {"remediation", 50}, {"tags", 22}, {"expression", 50}, {"file", 24},
        {"findings", 10}, {"unknown", 10}, {"regex_disabled", 14},
    };
    lxw_worksheet *ws = table_sheet(x, "Rules", cols, sizeof cols / sizeof cols[0],
                                    rep->n_rules);
    if (!ws)
        return;
    for (size_t i = 0; i < rep->n_rules; i++) {
        const struct report_rule *r = &rep->rules[i];
        lxw_row_t row = (lxw_row_t)(i + 1);
        buf_clear(&x->text);
        for (size_t t = 0; t < r->n_tags; t++)
            buf_printf(&x->text, "%s%s", t ? ", " : "", r->tags[t]);
        put_text(x, ws, row, 0, r->id, NULL);
        put_text(x, ws, row, 1, r->title, x->f.wrap);
        put_text(x, ws, row, 2, severity_name(r->severity), x->f.sev[r->severity]);
        put_text(x, ws, row, 3, r->description, x->f.wrap);
        put_text(x, ws, row, 4, r->remediation, x->f.wrap);
        put_text(x, ws, row, 5, buf_cstr(&x->text), x->f.wrap);
        put_text(x, ws, row, 6, r->when, x->f.wrap);
        put_text(x, ws, row, 7, r->file, NULL);
        put_number(x, ws, row, 8, (double)r->findings, x->f.number);
        put_number(x, ws, row, 9, (double)r->unknown, x->f.number);
        check(x, worksheet_write_boolean(ws, row, 10, r->regex_disabled, NULL));
    }
}

static void quality_sheet(struct xlsx *x, const struct report *rep)
{
    static const struct column cols[] = {
        {"field", 34}, {"problem", 16}, {"records", 10}, {"first_record", 13},
        {"first_line", 11},
    };
    lxw_worksheet *ws = table_sheet(x, "Data quality", cols, sizeof cols / sizeof cols[0],
                                    rep->n_quality);
    if (!ws)
        return;
    for (size_t i = 0; i < rep->n_quality; i++) {
        const struct report_quality *q = &rep->quality[i];
        lxw_row_t row = (lxw_row_t)(i + 1);
        put_text(x, ws, row, 0, q->field, NULL);
        put_text(x, ws, row, 1, q->problem, NULL);
        put_number(x, ws, row, 2, (double)q->count, x->f.number);
        put_number(x, ws, row, 3, (double)q->first_record, x->f.number);
        if (q->first_line)
            put_number(x, ws, row, 4, (double)q->first_line, x->f.number);
    }
    lxw_row_t r = (lxw_row_t)(rep->n_quality + 2);
    put_text(x, ws, r, 0,
             rep->n_quality ? "first_record counts records from 1, in input order; first_line "
                              "is its line in JSON Lines input; a value of the wrong type, out "
                              "of range or with a NUL character is missing for the rules"
                            : "No data-quality problems",
             x->f.note);
}

/* The data rows a sheet may hold: Excel's limit, or a lower one that
 * tests set to exercise the continuation sheets without a million rows. */
static size_t rows_per_sheet(void)
{
    size_t limit = XLSX_MAX_ROWS;
    const char *env = getenv("IMGAUDIT_XLSX_MAX_ROWS");
    if (env && *env) {
        char *end;
        unsigned long v = strtoul(env, &end, 10);
        if (*end == '\0' && v >= 2 && v <= XLSX_MAX_ROWS)
            limit = (size_t)v;
    }
    return limit - 1;   /* the header row */
}

int render_xlsx(const struct report *rep, const struct render_opts *o, const char *path,
                struct diags *d)
{
    (void)o;
    lxw_workbook_options opts = {.constant_memory = LXW_TRUE, .tmpdir = NULL,
                                 .use_zip64 = LXW_TRUE};
    struct xlsx x = {.rows_per_sheet = rows_per_sheet(), .err = LXW_NO_ERROR};
    x.wb = workbook_new_opt(path, &opts);
    if (!x.wb) {
        diags_error(d, "cannot create the XLSX report (temporary files or memory)");
        return -1;
    }
    buf_init(&x.text, 0);
    buf_init(&x.clean, 0);
    /* libxlsxwriter's property fields are not const-qualified. */
    static char title[] = "Container image audit", author[] = "imgaudit";
    lxw_doc_properties props = {.title = title, .author = author,
                                .created = (time_t)(rep->meta.generated_at_ms / 1000)};
    check(&x, workbook_set_properties(x.wb, &props));
    make_formats(&x);

    /* Summary first: constant-memory rows go out in order, and it is
     * the tab people should land on. */
    summary_sheet(&x, rep);
    findings_sheets(&x, rep);
    changes_sheets(&x, rep);
    waivers_sheet(&x, rep);
    inventory_sheets(&x, rep);
    rules_sheet(&x, rep);
    quality_sheet(&x, rep);

    lxw_error closed = workbook_close(x.wb);
    buf_dispose(&x.text);
    buf_dispose(&x.clean);
    lxw_error e = x.err != LXW_NO_ERROR ? x.err : closed;
    if (e != LXW_NO_ERROR) {
        diags_error(d, "cannot write the XLSX report: %s", lxw_strerror(e));
        return -1;
    }
    return 0;
}

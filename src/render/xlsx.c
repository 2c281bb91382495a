/* SPDX-License-Identifier: MIT
 * The XLSX report (libxlsxwriter): the workbook a security lead opens.
 * Sheets, in tab order:
 *   Summary       metadata as a two-column table (numbers and times
 *                 typed), the gate verdict in colour, findings by
 *                 severity (column chart), status and changes, top rules
 *                 and top namespaces (bar charts; every value axis starts
 *                 at 0), where the rows went
 *   Findings      one row per finding, the CSV columns, typed cells
 *   Images with findings
 *                 one row per image that has findings, worst severity
 *                 first: "what is wrong with this image?"
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
 * Threads: xlsx_begin() adds every sheet, in tab order, and writes the
 * small ones; the rows of the large ones are then written in two lanes
 * (xlsx_write_lane), the findings' sheets and the images', which
 * render_stage runs on two threads when it has them: in a 100,000-image
 * workbook each lane is about a fifth of the time, and libxlsxwriter's
 * compression when the workbook closes, on one thread, most of the rest.
 * libxlsxwriter keeps each sheet's state apart (its row, its temporary
 * file); all the sheets share the workbook's table of formats, which
 * pin_formats() fills before any lane starts, so the lanes only read it.
 * The bytes do not depend on how the lanes were run.
 *
 * Printing (print_setup): landscape, the header row on every page, and
 * no "fit to one page wide" that shrinks twenty columns into unreadable
 * print. Instead the columns a reader needs first fill the first page
 * width at a legible scale, the rest follow on later pages (down, then
 * across), each starting with the columns that identify the row again.
 * Wrapped cells get a row height for their lines (an estimate from the
 * text's length and the column width). On the Summary a section never
 * starts at the bottom of a page: it moves to the next page whole.
 *
 * A sheet holds at most 1,048,576 rows (Excel's limit). Findings and
 * inventory beyond that continue on "Findings (2)", "Inventory (2)" and so
 * on, and the Summary says so. Tests lower the limit with the
 * environment variable IMGAUDIT_XLSX_MAX_ROWS (not a user option).
 *
 * Safety: text is always written with worksheet_write_string(), which
 * stores a string cell, never a formula, so "=HYPERLINK(...)" in an image
 * name stays text; code points that XML cannot carry are replaced the
 * way every XML writer replaces them (render/xmltext.h), a literal
 * "_xHHHH_" is escaped so Excel does not decode it, and text longer than
 * Excel's 32,767-character cell limit is cut with a visible marker. */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xlsxwriter.h>

#include "render/render.h"
#include "render/reportview.h"
#include "render/xmltext.h"
#include "report/columns.h"
#include "util/buf.h"
#include "util/timefmt.h"
#include "util/tmpfile.h"
#include "util/writepiece.h"
#include "util/xalloc.h"

#define XLSX_MAX_ROWS 1048576u      /* Excel's rows per sheet */
#define XLSX_MAX_CELL_CHARS 32767u  /* Excel's characters per cell */
#define XLSX_TOP_N 10
#define XLSX_CUT_MARK " [... cut: longer than an Excel cell holds]"
#define XLSX_SHEET_NAME_MAX 64      /* room to spare: "Inventory (99999)" is far below Excel's 31 */

/* The formats, made once per workbook (libxlsxwriter owns them). */
struct formats {
    lxw_format *title, *section, *header, *label, *wrap, *text, *datetime, *date, *number;
    lxw_format *meta_int, *meta_days, *meta_time;
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
    void **keep;                        /* page-break arrays: libxlsxwriter may read */
    size_t n_keep;                      /* them only when the workbook closes */
    struct text_memo {                  /* put_finding: per column, the last text */
        const char *s;                  /* met (NULL: none), whether it goes as it */
        bool as_is;                     /* is (text_as_is) and its wrapped lines */
        unsigned lines;
    } memo[FC_COUNT];
};

/* Hold 'p' until the workbook is closed. */
static void *hold(struct xlsx *x, void *p)
{
    x->keep = xreallocarray(x->keep, x->n_keep + 1, sizeof *x->keep);
    x->keep[x->n_keep++] = p;
    return p;
}

/* A new worksheet. In constant-memory mode libxlsxwriter writes its rows
 * to a temporary file (optimize_tmpfile, public in its header) with
 * stdio's default 4 KiB buffer: 108,000 write()s for the 444 MB of rows
 * of 100,000 images, which on this project's VMs cost the kernel far
 * more than the same bytes in 32 KiB writes (util/writepiece.h). The
 * file gets a WRITE_PIECE buffer instead, before anything is written to
 * it, held until workbook_close() has closed the file. Only a file on a
 * descriptor: a library built to keep rows in memory (open_memstream)
 * is left alone. */
static lxw_worksheet *add_sheet(struct xlsx *x, const char *name)
{
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
    if (ws && ws->optimize_tmpfile && fileno(ws->optimize_tmpfile) >= 0)
        hold(x, write_piece_buffer(ws->optimize_tmpfile));
    return ws;
}

/* Remember the first error; later ones are usually its consequences. */
static void check(struct xlsx *x, lxw_error e)
{
    if (e != LXW_NO_ERROR && x->err == LXW_NO_ERROR)
        x->err = e;
}

/* ---- cells ---- */

/* Text as a string cell: never a formula. Mapped as every XML writer
 * maps text (render/xmltext.h: U+FFFD for each code point XML 1.0
 * cannot carry), with a literal "_xHHHH_" stored as "_x005F_xHHHH_" so
 * that Excel shows it as typed rather than as the character U+HHHH
 * (libxlsxwriter itself stores a real CR as "_x000D_", so the two stay
 * apart). Text past Excel's cell limit is cut at a character boundary
 * with a marker; text that fits is never cut.
 *
 * Two lengths count against the limit: Excel's, in UTF-16 units of the
 * text shown (characters outside the BMP count twice), and
 * libxlsxwriter's, in code points of the string it is given, escapes
 * included (it refuses a longer string). */
struct cell_char {
    size_t bytes;               /* of the input */
    size_t units, stored;       /* the two lengths it adds */
    bool ok;                    /* XML can carry it (else U+FFFD) */
    bool escape;                /* a literal "_xHHHH_" starts here */
};

#define OOXML_ESCAPE "_x005F"

static void cell_char(const unsigned char *p, struct cell_char *ch)
{
    uint32_t cp;
    ch->bytes = xmltext_decode(p, &cp);
    ch->ok = xmltext_allowed(cp);
    ch->escape = xmltext_ooxml_escape_at((const char *)p);
    ch->units = ch->ok && cp >= 0x10000 ? 2 : 1;
    ch->stored = ch->escape ? 1 + sizeof OOXML_ESCAPE - 1 : 1;
}

/* Whether 's' goes into a cell exactly as it is: every code point one
 * XML can carry, no literal "_xHHHH_" and within both cell limits. Most
 * text is (names, versions, digests, messages), so one tight pass over
 * its bytes decides it, and only the rest is mapped by the loop in
 * put_text_mapped(), which gives the same text for it. Code points
 * outside the BMP count twice; without an escape the stored length (in
 * code points) is never above the UTF-16 one. */
static bool text_as_is(const char *s)
{
    size_t units = 0;
    const unsigned char *p = (const unsigned char *)s;
    for (;;) {
        unsigned char c = *p;
        if (c >= 0x20 && c < 0x80) {
            if (c == '_' && xmltext_ooxml_escape_at((const char *)p))
                return false;
            p++;
            units++;
        } else if (c == '\0') {
            return units <= XLSX_MAX_CELL_CHARS;
        } else if (c < 0x20) {
            if (c != '\t' && c != '\n' && c != '\r')
                return false;
            p++;
            units++;
        } else {
            uint32_t cp;
            p += xmltext_decode(p, &cp);
            if (!xmltext_allowed(cp))
                return false;
            units += cp >= 0x10000 ? 2 : 1;
        }
        if (units > XLSX_MAX_CELL_CHARS)
            return false;
    }
}

/* Text that text_as_is() turned down: mapped, escaped and cut into the
 * scratch buffer. */
static void put_text_mapped(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
                            const char *s, lxw_format *fmt)
{
    struct cell_char ch;
    size_t units = 0, stored = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p += ch.bytes) {
        cell_char(p, &ch);
        units += ch.units;
        stored += ch.stored;
    }
    /* Room for the text when it must be cut: the marker takes the rest. */
    size_t room = units <= XLSX_MAX_CELL_CHARS && stored <= XLSX_MAX_CELL_CHARS
                ? SIZE_MAX : XLSX_MAX_CELL_CHARS - (sizeof XLSX_CUT_MARK - 1);
    struct buf *b = &x->clean;
    buf_clear(b);
    units = stored = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p += ch.bytes) {
        cell_char(p, &ch);
        if (units + ch.units > room || stored + ch.stored > room) {
            buf_puts(b, XLSX_CUT_MARK);
            break;
        }
        units += ch.units;
        stored += ch.stored;
        if (ch.escape)
            buf_puts(b, OOXML_ESCAPE);
        if (ch.ok)
            buf_append(b, p, ch.bytes);
        else
            buf_puts(b, XMLTEXT_REPLACEMENT);
    }
    check(x, worksheet_write_string(ws, r, c, buf_cstr(b), fmt));
}

/* 's' as a string cell; 'as_is' is text_as_is(s), when the caller knows it.
 * An empty value in a table cell is no cell: libxlsxwriter would write a
 * blank cell with the format, which shows the same (the table formats
 * only align and wrap; a fill or a border would show, so those cells are
 * kept). About 250,000 of them in a 100,000-image Inventory. */
static void put_text_known(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
                           const char *s, lxw_format *fmt, bool as_is)
{
    if (!*s && (fmt == x->f.text || fmt == x->f.wrap))
        return;
    if (as_is)
        check(x, worksheet_write_string(ws, r, c, s, fmt));
    else
        put_text_mapped(x, ws, r, c, s, fmt);
}

static void put_text(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
                     const char *s, lxw_format *fmt)
{
    if (s)
        put_text_known(x, ws, r, c, s, fmt, text_as_is(s));
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
    case FT_BOOL: check(x, worksheet_write_boolean(ws, r, c, cell->v.b, x->f.text)); break;
    case FT_STR: put_text(x, ws, r, c, cell->v.s, x->f.text); break;
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

static lxw_format *fmt_num(lxw_workbook *wb, const char *num_format, uint8_t align)
{
    lxw_format *f = workbook_add_format(wb);
    format_set_num_format(f, num_format);
    format_set_align(f, align);
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
    /* Table cells sit at the top: a row made tall by one wrapped cell
     * reads from its first line across. */
    f->wrap = workbook_add_format(wb);
    format_set_text_wrap(f->wrap);
    format_set_align(f->wrap, LXW_ALIGN_VERTICAL_TOP);
    f->text = workbook_add_format(wb);
    format_set_align(f->text, LXW_ALIGN_VERTICAL_TOP);
    f->datetime = fmt_num(wb, "yyyy-mm-dd hh:mm:ss", LXW_ALIGN_VERTICAL_TOP);
    f->date = fmt_num(wb, "yyyy-mm-dd", LXW_ALIGN_VERTICAL_TOP);
    f->number = fmt_num(wb, "#,##0", LXW_ALIGN_VERTICAL_TOP);
    /* The Summary's metadata values: typed, aligned with the text
     * values beside them. */
    f->meta_int = fmt_num(wb, "#,##0", LXW_ALIGN_LEFT);
    f->meta_days = fmt_num(wb, "#,##0\" days\"", LXW_ALIGN_LEFT);
    f->meta_time = fmt_num(wb, "yyyy-mm-dd hh:mm:ss", LXW_ALIGN_LEFT);
    for (int s = 0; s < SEV_COUNT; s++) {
        f->sev[s] = fmt_fill(wb, rview_sev_color[s].soft, rview_sev_color[s].ink, true);
        format_set_align(f->sev[s], LXW_ALIGN_VERTICAL_TOP);
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

/* ---- layout: row heights and print ---- */

/* A column's width: as given, or wide enough for its (bold) name. */
static double col_width(const struct column *c)
{
    double name = (double)strlen(c->name) * 1.1 + 1;
    return c->width > name ? c->width : name;
}

/* Row height of one line of the default font (Calibri 11), points. */
#define XLSX_LINE_PT 15.0
#define XLSX_MAX_ROW_PT 409.0       /* Excel's tallest row */

/* Advance widths of printable ASCII (32 to 126) in Calibri, the
 * default font (and in Carlito, LibreOffice's metric twin), in
 * thousandths of an em; a digit is 507. */
static const uint16_t calibri_width[95] = {
    226, 326, 401, 498, 507, 715, 682, 221, 303, 303, 498, 498,
    250, 306, 252, 386, 507, 507, 507, 507, 507, 507, 507, 507,
    507, 507, 268, 268, 498, 498, 498, 463, 894, 579, 544, 533,
    615, 488, 459, 631, 623, 252, 319, 520, 420, 855, 646, 662,
    517, 673, 543, 459, 487, 642, 567, 890, 519, 487, 468, 325,
    386, 325, 498, 498, 291, 479, 525, 423, 525, 498, 305, 471,
    525, 229, 239, 455, 229, 799, 525, 527, 525, 525, 349, 391,
    335, 525, 452, 715, 433, 453, 395, 318, 460, 318, 498,
};
#define DIGIT_WIDTH 507

/* How many lines 'text' takes in a wrapped cell 'width' characters
 * wide. Excel and LibreOffice measure a width in digits of the default
 * font and break lines at spaces and after hyphens; this lays the words
 * out the same way with the font's widths (other characters count as a
 * digit, from U+1000 up, CJK and the like, as two), in a line one digit
 * narrower than the column for the cell's padding: on the side of a
 * line too many, so that the text always shows. Line feeds start a
 * line, except at the very end. */
static unsigned wrapped_lines(const char *text, double width)
{
    long cap = (long)((width - 1) * DIGIT_WIDTH);
    if (cap < 2 * DIGIT_WIDTH)
        cap = 2 * DIGIT_WIDTH;
    unsigned lines = 1;
    long col = 0, word = 0;         /* the line so far; the word being read */
    bool space = false;             /* a space before the word */
    const unsigned char *p = (const unsigned char *)text;
    for (;;) {
        unsigned char ch = *p;
        if (ch == ' ' || ch == '\n' || ch == '\0' || (ch == '-' && word)) {
            if (ch == '-')          /* a break may follow a hyphen */
                word += calibri_width['-' - 32];
            if (word) {
                long need = col + (space && col ? calibri_width[0] : 0) + word;
                if (need > cap && col) {        /* the word starts a new line */
                    lines++;
                    need = word;
                }
                for (; need > cap; need -= cap) /* a word longer than a line */
                    lines++;
                col = need;
                word = 0;
                space = false;
            }
            if (ch == '\0')
                return lines;
            if (ch == ' ')
                space = true;
            if (ch == '\n' && p[strspn((const char *)p, " \n")] != '\0') {
                lines++;
                col = 0;
                space = false;
            }
            p++;
            continue;
        }
        size_t bytes = 1;
        while ((p[bytes] & 0xC0) == 0x80)
            bytes++;
        word += ch >= 32 && ch < 127 ? calibri_width[ch - 32]
              : ch >= 0xE1 ? 2 * DIGIT_WIDTH : DIGIT_WIDTH;
        p += bytes;
    }
}

/* The height of a row whose wrapped cells need 'lines' lines; 0 for the
 * default height (one line). */
static double row_height(unsigned lines)
{
    if (lines <= 1)
        return 0;
    double h = lines * XLSX_LINE_PT + 2;
    return h < XLSX_MAX_ROW_PT ? h : XLSX_MAX_ROW_PT;
}

/* Size row 'r' for 'lines' lines. In constant-memory mode a row's
 * height must be set before any of its cells is written. */
static void size_row(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r, unsigned lines)
{
    double h = row_height(lines);
    if (h > 0)
        check(x, worksheet_set_row(ws, r, h, NULL));
}

/* The lines of the tallest of 'n' wrapped texts, text i in a column
 * widths[i] wide (NULL texts take none). */
static unsigned tallest(const char *const *texts, const double *widths, size_t n)
{
    unsigned lines = 1;
    for (size_t i = 0; i < n; i++) {
        unsigned k = texts[i] ? wrapped_lines(texts[i], widths[i]) : 1;
        lines = k > lines ? k : lines;
    }
    return lines;
}

/* Print geometry. Column widths are in characters of the default font:
 * 7 pixels each plus 5 of padding at 96 pixels to the inch in Excel;
 * LibreOffice draws them wider, about 7.6 pixels a character, which the
 * plan counts.
 * The page is US Letter in landscape, the narrower of Letter and A4,
 * so the plan holds on either, within margins of 0.4 inch left and
 * right. */
#define XLSX_PAGE_W_PX (10.2 * 96 * 0.97)       /* 3% to spare for rounding */
#define XLSX_PAGE_H_PT ((8.5 - 0.6 - 0.6) * 72 * 0.95)
#define XLSX_MIN_SCALE 70           /* smaller print is hard to read */

static double col_px(double width)
{
    return width * 7.6 + 5;
}

/* The print scale (percent) at which 'px' pixels of columns fill the
 * page width: at most 100, at least XLSX_MIN_SCALE. */
static unsigned scale_for(double px)
{
    double s = 100.0 * XLSX_PAGE_W_PX / px;
    return s >= 100 ? 100 : s <= XLSX_MIN_SCALE ? XLSX_MIN_SCALE : (unsigned)s;
}

/* Landscape, margins, page numbers in the footer. */
static void page_setup(lxw_worksheet *ws, unsigned scale)
{
    worksheet_set_landscape(ws);
    worksheet_set_margins(ws, 0.4, 0.4, 0.6, 0.6);
    worksheet_set_footer(ws, "&L&A&RPage &P of &N");
    worksheet_set_print_scale(ws, (uint16_t)scale);
}

/* How a table sheet prints. */
struct print_plan {
    size_t lead;                /* the first 'lead' columns fill the first page width */
    size_t keep;                /* the first 'keep' columns start every later page */
    bool lead_only;             /* print the lead columns only (the rest stay on screen) */
};

/* Print setup of a table sheet of 'rows' data rows: landscape, the header
 * row on every page, and a scale at which the lead columns (what a
 * reader needs first) fill one page width; the other columns follow on
 * later pages, each page starting again with the 'keep' columns (what
 * identifies a row), unless only the lead columns print. The pages run
 * down, then across: all rows of the reader's columns first. */
static void print_setup(struct xlsx *x, lxw_worksheet *ws, const struct column *cols,
                        size_t ncols, size_t rows, const struct print_plan *pp)
{
    size_t lead = pp->lead < ncols ? pp->lead : ncols, keep = pp->keep;
    if (pp->lead_only) {
        ncols = lead;
        check(x, worksheet_print_area(ws, 0, 0, (lxw_row_t)(rows ? rows : 1),
                                      (lxw_col_t)(ncols - 1)));
    }
    double lead_px = 0, keep_px = 0;
    for (size_t c = 0; c < ncols; c++) {
        if (c < lead)
            lead_px += col_px(col_width(&cols[c]));
        if (c < keep)
            keep_px += col_px(col_width(&cols[c]));
    }
    unsigned scale = scale_for(lead_px);
    page_setup(ws, scale);
    check(x, worksheet_repeat_rows(ws, 0, 0));
    if (keep > 0 && keep < ncols)
        check(x, worksheet_repeat_columns(ws, 0, (lxw_col_t)(keep - 1)));
    /* Where each page of columns starts: the breaks that Excel and
     * LibreOffice would make, but decided here, so that the first page
     * ends after the reader's columns and no page starts mid-way. */
    double room = XLSX_PAGE_W_PX * 100.0 / scale, used = 0;
    lxw_col_t *breaks = hold(x, xcalloc(ncols + 1, sizeof *breaks));
    size_t nb = 0;
    for (size_t c = 0; c < ncols; c++) {
        double w = col_px(col_width(&cols[c]));
        bool full = c == lead || (c > lead && used + w > room);
        if (c > 0 && full) {
            breaks[nb++] = (lxw_col_t)c;
            used = keep < c ? keep_px : 0;
        }
        used += w;
    }
    if (nb)
        check(x, worksheet_set_v_pagebreaks(ws, breaks));
}

/* A header row, frozen, with an autofilter over 'rows' data rows, set up
 * for print. */
static lxw_worksheet *table_sheet(struct xlsx *x, const char *name, const struct column *cols,
                                  size_t ncols, size_t rows, const struct print_plan *pp)
{
    lxw_worksheet *ws = add_sheet(x, name);
    if (!ws) {
        check(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return NULL;
    }
    for (size_t c = 0; c < ncols; c++) {
        check(x, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, col_width(&cols[c]),
                                      NULL));
        put_text(x, ws, 0, (lxw_col_t)c, cols[c].name, x->f.header);
    }
    worksheet_freeze_panes(ws, 1, 0);
    print_setup(x, ws, cols, ncols, rows, pp);
    check(x, worksheet_autofilter(ws, 0, 0, (lxw_row_t)rows, (lxw_col_t)(ncols - 1)));
    return ws;
}

/* A table that continues past the row limit: all its sheets are added
 * at once (cursor_open), in tab order, before any lane writes a data
 * row (struct xlsx_book); cursor_row() then says where data row 'i'
 * goes. */
struct cursor {
    lxw_worksheet **parts;          /* parts_for(total) sheets (NULL: not added) */
    size_t n_parts;
};

static void cursor_open(struct xlsx *x, struct cursor *cur, const char *base,
                        const struct column *cols, size_t ncols, size_t total,
                        const struct print_plan *plan)
{
    cur->n_parts = parts_for(x, total);
    cur->parts = xcalloc(cur->n_parts, sizeof *cur->parts);
    for (size_t p = 0; p < cur->n_parts; p++) {
        char name[XLSX_SHEET_NAME_MAX];
        part_name(name, base, p);
        size_t left = total - p * x->rows_per_sheet;
        cur->parts[p] = table_sheet(x, name, cols, ncols,
                                    left < x->rows_per_sheet ? left : x->rows_per_sheet, plan);
    }
}

/* A workbook being written (render/render.h, xlsx_begin): what xlsx_begin() made and
 * the lanes need. */
struct xlsx_book {
    const struct report *rep;
    struct xlsx lane[XLSX_LANES];   /* lane 0 also added the sheets and holds their buffers */
    struct cursor findings, images, changes, inventory;
    uint64_t *image_order;          /* images with findings, worst first (images_worst_first) */
    size_t n_image_order;
    bool broken;                    /* adding the sheets failed: the lanes write nothing */
};

static lxw_worksheet *cursor_row(struct xlsx *x, const struct cursor *cur, size_t i,
                                 lxw_row_t *row)
{
    size_t part = i / x->rows_per_sheet;
    *row = (lxw_row_t)(i % x->rows_per_sheet + 1);
    if (part >= cur->n_parts) {     /* more rows than the sheets were added for */
        check(x, LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE);
        return NULL;
    }
    return cur->parts[part];
}

/* ---- Summary ---- */

#define XLSX_CHART_XSCALE 1.1      /* of libxlsxwriter's 480 x 288 pixels */
#define XLSX_CHART_ROWS 16          /* rows a chart takes, with room below it */
#define XLSX_TITLE_PT 24.0
#define XLSX_SECTION_PT 20.0

/* The Summary's page breaks. Its sections (a heading, a table and the
 * chart beside it) are each shorter than a page: one that would not fit
 * in what is left of the page starts the next page, so that a heading is
 * never left alone at the bottom and a chart is never cut in two. */
struct pager {
    double page, used;              /* sheet points per page; used on this page */
    lxw_row_t *breaks;              /* 0-terminated, for worksheet_set_h_pagebreaks */
    size_t n;
};

/* Account for 'pt' points of rows starting at row 'r'; 'whole' keeps
 * them on one page. */
static void pager_add(struct pager *pg, lxw_row_t r, double pt, bool whole)
{
    if (whole && pg->used > 0 && pg->used + pt > pg->page && r > 0) {
        pg->breaks[pg->n++] = r;
        pg->used = 0;
    }
    pg->used += pt;
    while (pg->used > pg->page)     /* longer than a page (metadata): breaks inside */
        pg->used -= pg->page;
}

/* A section heading at row 'r', followed by 'rows' rows of table (at
 * least a chart's height): placed by the pager. Returns the next row. */
static lxw_row_t section(struct xlsx *x, lxw_worksheet *ws, struct pager *pg, lxw_row_t r,
                         const char *title, size_t rows)
{
    if (rows < XLSX_CHART_ROWS)
        rows = XLSX_CHART_ROWS;
    pager_add(pg, r, XLSX_SECTION_PT + (double)rows * XLSX_LINE_PT, true);
    check(x, worksheet_set_row(ws, r, XLSX_SECTION_PT, NULL));
    put_text(x, ws, r, 0, title, x->f.section);
    return r + 1;
}

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
    /* Bars are compared by length: the value axis starts at 0, or 986
     * against 1,068 looks like four times as much. (A bar chart's value
     * axis is its x axis.) */
    chart_axis_set_min(type == LXW_CHART_BAR ? ch->x_axis : ch->y_axis, 0);
    if (type == LXW_CHART_BAR)
        chart_axis_set_reverse(ch->y_axis);     /* categories: biggest at the top, as listed */
    lxw_chart_options opt = {.x_offset = 10, .y_offset = 4, .x_scale = XLSX_CHART_XSCALE,
                             .y_scale = 0.9};
    check(x, worksheet_insert_chart_opt(ws, at, 3, ch, &opt));
}

/* The findings' status and changes since the baseline: one row per
 * tally (open, waived, new, existing, resolved) with its total, the
 * split by severity in words beside it, and a column chart. Returns the
 * next free row. */
static lxw_row_t status_table(struct xlsx *x, lxw_worksheet *ws, struct pager *pg,
                              const struct report *rep, lxw_row_t r)
{
    const struct formats *f = &x->f;
    const struct report_summary *s = &rep->summary;
    r = section(x, ws, pg, r, "Status and changes since the baseline", TALLY_COUNT + 2);
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
    return r < chart_at + XLSX_CHART_ROWS ? chart_at + XLSX_CHART_ROWS : r;
}

/* A metadata row's value as its type: a number, a count of days, a
 * date-time, or text. */
static void put_meta(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r, const struct rview_row *row)
{
    switch (row->kind) {
    case RV_INT:
        put_number(x, ws, r, 1, (double)row->num, row->unit ? x->f.meta_days : x->f.meta_int);
        break;
    case RV_TIME: put_number(x, ws, r, 1, excel_time(row->num), x->f.meta_time); break;
    case RV_TEXT: put_text(x, ws, r, 1, row->value, NULL); break;
    }
}

static void summary_sheet(struct xlsx *x, const struct report *rep)
{
    lxw_worksheet *ws = add_sheet(x, "Summary");
    if (!ws) {
        check(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    const struct formats *f = &x->f;
    static const double widths[] = {34, 20, 40, 2};
    /* A chart beside the tables, anchored to cells that LibreOffice
     * draws a tenth wider than Excel. */
    double px = (10 + 480 * XLSX_CHART_XSCALE) * 1.1;
    for (lxw_col_t c = 0; c < 4; c++) {
        check(x, worksheet_set_column(ws, c, c, widths[c], NULL));
        px += c < 3 ? col_px(widths[c]) : 0;
    }
    /* One landscape page wide, at a scale computed here rather than
     * "fit to width", which would override the page breaks. */
    unsigned scale = scale_for(px);
    page_setup(ws, scale);
    worksheet_gridlines(ws, LXW_HIDE_ALL_GRIDLINES);
    struct pager pg = {XLSX_PAGE_H_PT * 100.0 / scale, 0, hold(x, xcalloc(8, sizeof(lxw_row_t))),
                       0};
    lxw_row_t r = 0;

    check(x, worksheet_set_row(ws, r, XLSX_TITLE_PT, NULL));
    pager_add(&pg, r, XLSX_TITLE_PT, false);
    put_text(x, ws, r++, 0, "Container image audit", f->title);
    char gate[RVIEW_GATE_MAX];
    rview_gate_text(rep, gate, sizeof gate);
    lxw_format *gf = rep->meta.gate == GATE_FAIL ? f->fail
                   : rep->meta.gate == GATE_PASS ? f->pass
                   : rep->meta.gate == GATE_INCOMPLETE ? f->undecided : f->nogate;
    put_text(x, ws, r, 0, "Gate verdict", gf);
    /* Over two columns: a coloured cell's text stops at its edge. The
     * text is ours (rview_gate_text), never the data's. */
    check(x, worksheet_merge_range(ws, r, 1, r, 2, gate, gf));
    r++;
    if (!rep->meta.complete) {
        char msg[160];
        snprintf(msg, sizeof msg, "only %zu of %" PRId64 " expected records were received",
                 rep->meta.records_received, rep->meta.expected_records);
        put_text(x, ws, r, 0, "INCOMPLETE", f->incomplete);
        check(x, worksheet_merge_range(ws, r, 1, r, 2, msg, f->incomplete));
        r++;
    }
    r++;
    pager_add(&pg, 0, (double)(r - 1) * XLSX_LINE_PT, false);

    struct rview_row *rows;
    size_t n = rview_meta_rows(rep, &rows);
    /* Metadata, the sheets notes below it and a blank row. */
    pager_add(&pg, r, XLSX_SECTION_PT + (double)(n + 5) * XLSX_LINE_PT, false);
    check(x, worksheet_set_row(ws, r, XLSX_SECTION_PT, NULL));
    put_text(x, ws, r++, 0, "Metadata", f->section);
    for (size_t i = 0; i < n; i++, r++) {
        put_text(x, ws, r, 0, rows[i].label, f->label);
        put_meta(x, ws, r, &rows[i]);
    }
    rview_rows_free(rows, n);
    put_text(x, ws, r++, 0, "Times", f->label);
    put_text(x, ws, r - 1, 1, "all times in this workbook are UTC", NULL);

    /* Where the rows are, when a table did not fit one sheet. */
    static const char *const tables[] = {"Findings", "Images with findings", "Inventory"};
    const size_t table_rows[] = {rep->n_findings, rep->summary.images_with_findings,
                                 rep->n_images};
    for (int t = 0; t < 3; t++) {
        size_t parts = parts_for(x, table_rows[t]);
        if (parts < 2)
            continue;
        char last[XLSX_SHEET_NAME_MAX], label[64], msg[200];
        part_name(last, tables[t], parts - 1);
        snprintf(msg, sizeof msg,
                 "%zu rows do not fit one sheet: continued on %zu sheets, \"%s\" to \"%s\"",
                 table_rows[t], parts, tables[t], last);
        snprintf(label, sizeof label, "%s sheets", tables[t]);
        put_text(x, ws, r, 0, label, f->label);
        put_text(x, ws, r++, 1, msg, f->note);
    }
    r++;

    /* Severity table and its column chart beside it. */
    r = section(x, ws, &pg, r, "Findings by severity", SEV_COUNT + 4);
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
    /* Keep the next chart clear of this one. */
    r = r < chart_at + XLSX_CHART_ROWS ? chart_at + XLSX_CHART_ROWS : r;
    r = status_table(x, ws, &pg, rep, r);

    size_t top[XLSX_TOP_N];
    n = rview_top_rules(rep, top, XLSX_TOP_N);
    r = section(x, ws, &pg, r, "Top rules", n + 2);
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
    r = r < chart_at + XLSX_CHART_ROWS ? chart_at + XLSX_CHART_ROWS : r;

    n = rep->summary.n_by_namespace < XLSX_TOP_N ? rep->summary.n_by_namespace : XLSX_TOP_N;
    r = section(x, ws, &pg, r, "Top namespaces", n + 2);
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
    if (pg.n)
        check(x, worksheet_set_h_pagebreaks(ws, pg.breaks));
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
    case FV_TEXT: put_text(x, ws, r, c, v->s, text_fmt ? text_fmt : x->f.text); break;
    case FV_INT: put_number(x, ws, r, c, (double)v->i, x->f.number); break;
    case FV_TIME: put_number(x, ws, r, c, excel_time(v->i), x->f.datetime); break;
    case FV_DATE: put_number(x, ws, r, c, excel_time(v->i), x->f.date); break;
    case FV_BOOL: check(x, worksheet_write_boolean(ws, r, c, v->b, x->f.text)); break;
    }
}

/* The finding columns whose text wraps (the others are short or are
 * codes, ids and digests, which read better on one line). */
static bool fcol_wraps(int c)
{
    return c == FC_MESSAGE || c == FC_REMEDIATION || c == FC_RULE_TITLE ||
           c == FC_WAIVER_REASON;
}

/* The finding columns whose text is the rule's, the waiver's or a fixed
 * name: their strings live as long as the report, so the same pointer is
 * the same text. Findings come rule by rule, so put_finding() meets the
 * same string row after row and checks and measures it once (struct
 * text_memo). The image's columns and the message are read back from
 * disk into reused pages and are never remembered. */
static bool fcol_stable(int c)
{
    return c == FC_RULE_ID || c == FC_RULE_TITLE || c == FC_SEVERITY || c == FC_STATUS ||
           c == FC_CHANGE || c == FC_REMEDIATION || c == FC_WAIVER_ID ||
           c == FC_WAIVER_REASON || c == FC_WAIVER_OWNER;
}

/* One finding as a row of the columns table, as tall as its wrapped
 * text needs. */
static void put_finding(struct xlsx *x, lxw_worksheet *ws, lxw_row_t row,
                        const struct report *rep, const struct report_finding *fi)
{
    struct fcol_value v[FC_COUNT];
    bool as_is[FC_COUNT];
    unsigned lines = 1;
    fcol_row(rep, fi, v);
    for (int c = 0; c < FC_COUNT; c++) {
        if (v[c].kind != FV_TEXT || !v[c].s)
            continue;
        struct text_memo *m = &x->memo[c];
        if (fcol_stable(c) && m->s == v[c].s) {
            as_is[c] = m->as_is;
            lines = m->lines > lines ? m->lines : lines;
            continue;
        }
        as_is[c] = text_as_is(v[c].s);
        unsigned n = fcol_wraps(c) ? wrapped_lines(v[c].s, fcol_defs[c].width) : 1;
        lines = n > lines ? n : lines;
        if (fcol_stable(c))
            *m = (struct text_memo){v[c].s, as_is[c], n};
    }
    size_row(x, ws, row, lines);
    for (int c = 0; c < FC_COUNT; c++) {
        lxw_format *fmt = c == FC_SEVERITY ? x->f.sev[report_finding_rule(rep, fi)->severity]
                        : fcol_wraps(c) ? x->f.wrap : NULL;
        if (v[c].kind == FV_TEXT && v[c].s)
            put_text_known(x, ws, row, (lxw_col_t)c, v[c].s, fmt ? fmt : x->f.text, as_is[c]);
        else
            put_value(x, ws, row, (lxw_col_t)c, &v[c], fmt);
    }
}

/* The finding columns as a table's columns. Printed: severity to change
 * (columns.def puts what a reader needs first), one page wide; the other
 * columns (ids, digests, counts, the waiver) stay on screen: printed,
 * every finding would take several pages of them. */
static const struct print_plan findings_print = {FC_CHANGE + 1, 0, true};

static void finding_columns(struct column *cols)
{
    for (int c = 0; c < FC_COUNT; c++)
        cols[c] = (struct column){fcol_defs[c].name, fcol_defs[c].width};
}

static void findings_open(struct xlsx *x, struct xlsx_book *b)
{
    struct column cols[FC_COUNT];
    finding_columns(cols);
    cursor_open(x, &b->findings, "Findings", cols, FC_COUNT, b->rep->n_findings,
                &findings_print);
}

static void findings_rows(struct xlsx *x, const struct xlsx_book *b)
{
    const struct report *rep = b->rep;
    lxw_row_t row;
    if (rep->n_findings == 0) {
        lxw_worksheet *ws = cursor_row(x, &b->findings, 0, &row);
        if (ws)
            put_text(x, ws, row, 0, "No findings", x->f.note);
    }
    for (size_t i = 0; i < rep->n_findings && x->err == LXW_NO_ERROR; i++) {
        lxw_worksheet *ws = cursor_row(x, &b->findings, i, &row);
        if (!ws)
            break;
        put_finding(x, ws, row, rep, report_finding_at(rep, i));
    }
}

/* ---- Images with findings ---- */

/* The images with findings, worst first: by worst severity, then by
 * number of findings, then in input order. A packed key, as in
 * report.c's sort_findings: 3 bits of severity, 28 of count, 32 of
 * index. */
static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static uint64_t *images_worst_first(const struct report *rep, size_t *n_out)
{
    uint64_t *keys = xcalloc(rep->summary.images_with_findings + 1, sizeof *keys);
    size_t n = 0;
    for (size_t i = 0; i < rep->n_images; i++) {
        const struct report_image *img = report_image_at(rep, i);
        if (!img->findings)
            continue;
        uint64_t sev = (uint64_t)(SEV_COUNT - 1 - img->max_severity);
        uint64_t few = 0xFFFFFFFu - (img->findings < 0xFFFFFFFu ? img->findings : 0xFFFFFFFu);
        keys[n++] = sev << 60 | few << 32 | i;
    }
    qsort(keys, n, sizeof *keys, cmp_u64);
    *n_out = n;
    return keys;
}

/* One row per image that has findings: "what is wrong with this image?"
 * Its worst severity, counts, identity, and the rules that found
 * something (a waived finding's rule marked so), in the findings' order.
 * The order is made when the sheets are added: their number depends on
 * how many images have findings. */
static const struct column image_cols[] = {
    {"max_severity", 12}, {"namespace", 14}, {"image_name", 22}, {"image_version", 12},
    {"findings", 9}, {"open", 7}, {"critical", 8}, {"high", 6}, {"medium", 8},
    {"low", 6}, {"info", 6}, {"rules", 40}, {"registry_name", 20}, {"image_digest", 26},
    {"id", 10},
};
enum { IMAGE_C_RULES = 11 };

static void images_open(struct xlsx *x, struct xlsx_book *b)
{
    b->image_order = images_worst_first(b->rep, &b->n_image_order);
    /* Printed: everything up to the rules on the first page width; the
     * severity and the image start the others. */
    static const struct print_plan plan = {IMAGE_C_RULES + 1, 4, false};
    cursor_open(x, &b->images, "Images with findings", image_cols,
                sizeof image_cols / sizeof image_cols[0], b->n_image_order, &plan);
}

static void images_rows(struct xlsx *x, const struct xlsx_book *b)
{
    const struct report *rep = b->rep;
    /* Each image's findings, in the report's order: a counting sort. */
    size_t *start = xcalloc(rep->n_images + 1, sizeof *start);
    uint32_t *by_image = xcalloc(rep->n_findings + 1, sizeof *by_image);
    for (size_t i = 0; i < rep->n_findings; i++)
        start[report_finding_at(rep, i)->image + 1]++;
    for (size_t i = 0; i < rep->n_images; i++)
        start[i + 1] += start[i];
    for (size_t i = 0; i < rep->n_findings; i++)
        by_image[start[report_finding_at(rep, i)->image]++] = (uint32_t)i;
    for (size_t i = rep->n_images; i > 0; i--)     /* back to each image's first */
        start[i] = start[i - 1];
    start[0] = 0;

    size_t n = b->n_image_order;
    lxw_row_t row;
    if (n == 0) {
        lxw_worksheet *ws = cursor_row(x, &b->images, 0, &row);
        if (ws)
            put_text(x, ws, row, 0, "No findings", x->f.note);
    }
    for (size_t k = 0; k < n && x->err == LXW_NO_ERROR; k++) {
        size_t i = (size_t)(b->image_order[k] & 0xFFFFFFFFu);
        const struct report_image *img = report_image_at(rep, i);
        size_t by_sev[SEV_COUNT] = {0}, open = 0;
        buf_clear(&x->text);
        for (size_t j = start[i]; j < start[i] + img->findings; j++) {
            const struct report_finding *fi = report_finding_at(rep, by_image[j]);
            const struct report_rule *r = &rep->rules[fi->rule];
            by_sev[r->severity]++;
            open += fi->status != FINDING_WAIVED;
            if (x->text.len)
                buf_puts(&x->text, ", ");
            buf_puts(&x->text, r->id);
            if (fi->status == FINDING_WAIVED)
                buf_puts(&x->text, " (waived)");
        }
        lxw_worksheet *ws = cursor_row(x, &b->images, k, &row);
        if (!ws)
            break;
        size_row(x, ws, row, wrapped_lines(buf_cstr(&x->text), image_cols[IMAGE_C_RULES].width));
        put_text(x, ws, row, 0, severity_name((enum severity)img->max_severity),
                 x->f.sev[img->max_severity]);
        put_cell(x, ws, row, 1, img, F_NAMESPACE);
        put_cell(x, ws, row, 2, img, F_IMAGE_NAME);
        put_cell(x, ws, row, 3, img, F_IMAGE_VERSION);
        put_number(x, ws, row, 4, (double)img->findings, x->f.number);
        put_number(x, ws, row, 5, (double)open, x->f.number);
        for (int sev = SEV_COUNT - 1; sev >= 0; sev--)
            put_number(x, ws, row, (lxw_col_t)(6 + SEV_COUNT - 1 - sev), (double)by_sev[sev],
                       x->f.number);
        put_text(x, ws, row, IMAGE_C_RULES, buf_cstr(&x->text), x->f.wrap);
        put_cell(x, ws, row, 12, img, F_REGISTRY_NAME);
        put_cell(x, ws, row, 13, img, F_IMAGE_DIGEST);
        put_cell(x, ws, row, 14, img, F_ID);
    }
    free(by_image);
    free(start);
}

/* ---- Changes and Waivers ---- */

/* The new findings, then the resolved ones: what changed since the
 * baseline, in the Findings sheet's columns. Without a baseline every
 * finding is new: the Findings sheet has them. */
static size_t changes_total(const struct report *rep)
{
    return rep->meta.baseline.present ? rep->summary.tally_total[T_NEW] + rep->n_resolved : 0;
}

static void changes_open(struct xlsx *x, struct xlsx_book *b)
{
    struct column cols[FC_COUNT];
    finding_columns(cols);
    cursor_open(x, &b->changes, "Changes", cols, FC_COUNT, changes_total(b->rep),
                &findings_print);
}

static void changes_rows(struct xlsx *x, const struct xlsx_book *b)
{
    const struct report *rep = b->rep;
    lxw_row_t row;
    if (changes_total(rep) == 0) {
        lxw_worksheet *ws = cursor_row(x, &b->changes, 0, &row);
        if (ws)
            put_text(x, ws, row, 0, rep->meta.baseline.present
                     ? "No changes since the baseline"
                     : "No baseline (--baseline PREV.json): nothing to compare with", x->f.note);
        return;
    }
    size_t i = 0;
    for (size_t k = 0; k < rep->n_findings + rep->n_resolved && x->err == LXW_NO_ERROR; k++) {
        const struct report_finding *fi = k < rep->n_findings ? report_finding_at(rep, k)
                                                              : &rep->resolved[k - rep->n_findings];
        if (fi->change == CHANGE_EXISTING)
            continue;
        lxw_worksheet *ws = cursor_row(x, &b->changes, i++, &row);
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
    /* Printed: id to expires on the first page width, the id on the rest. */
    static const struct print_plan plan = {6, 1, false};
    lxw_worksheet *ws = table_sheet(x, "Waivers", cols, ncols, rep->n_waivers, &plan);
    if (!ws)
        return;
    for (size_t i = 0; i < rep->n_waivers; i++) {
        const struct report_waiver *w = &rep->waivers[i];
        lxw_row_t row = (lxw_row_t)(i + 1);
        static const int tint[WAIVER_STATE_COUNT] = {-1, SEV_MEDIUM, SEV_CRITICAL, SEV_INFO};
        const char *wrapped[] = {w->reason, w->when};
        const double widths[] = {cols[3].width, cols[7].width};
        size_row(x, ws, row, tallest(wrapped, widths, 2));
        put_text(x, ws, row, 0, w->id, x->f.text);
        put_text(x, ws, row, 1, waiver_state_name(w->state),
                 tint[w->state] >= 0 ? x->f.sev[tint[w->state]] : x->f.text);
        put_text(x, ws, row, 2, w->rule, x->f.text);
        put_text(x, ws, row, 3, w->reason, x->f.wrap);
        put_text(x, ws, row, 4, w->owner, x->f.text);
        put_number(x, ws, row, 5,
                   excel_time(w->expires_is_date ? w->expires_ms - 86400000 : w->expires_ms),
                   w->expires_is_date ? x->f.date : x->f.datetime);
        put_text(x, ws, row, 6, w->ticket, x->f.text);
        put_text(x, ws, row, 7, w->when, x->f.wrap);
        put_text(x, ws, row, 8, w->file, x->f.text);
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

static void inventory_open(struct xlsx *x, struct xlsx_book *b)
{
    struct column cols[FIELD_COUNT + 2];
    for (int f = 0; f < FIELD_COUNT; f++) {
        const struct field_def *d = &field_defs[f];
        cols[f].name = report_field_key((enum field_id)f);
        cols[f].width = field_width(d);
    }
    cols[FIELD_COUNT] = (struct column){"findings", 10};
    cols[FIELD_COUNT + 1] = (struct column){"max_severity", 13};
    /* Printed: id to image_version on the first page width; id,
     * namespace and image name start the others. */
    static const struct print_plan plan = {F_IMAGE_VERSION + 1, F_IMAGE_NAME + 1, false};
    cursor_open(x, &b->inventory, "Inventory", cols, FIELD_COUNT + 2, b->rep->n_images, &plan);
}

static void inventory_rows(struct xlsx *x, const struct xlsx_book *b)
{
    const struct report *rep = b->rep;
    lxw_row_t row;
    if (rep->n_images == 0) {
        lxw_worksheet *ws = cursor_row(x, &b->inventory, 0, &row);
        if (ws)
            put_text(x, ws, row, 0, "No images", x->f.note);
    }
    for (size_t i = 0; i < rep->n_images && x->err == LXW_NO_ERROR; i++) {
        const struct report_image *img = report_image_at(rep, i);
        lxw_worksheet *ws = cursor_row(x, &b->inventory, i, &row);
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
        {"id", 20}, {"title", 30}, {"severity", 10}, {"description", 46},
        {"remediation", 46}, {"tags", 22}, {"expression", 46}, {"file", 24},
        {"findings", 10}, {"unknown", 10}, {"regex_disabled", 14},
    };
    /* Printed: id to remediation on the first page width, the id on the rest. */
    static const struct print_plan plan = {5, 1, false};
    lxw_worksheet *ws = table_sheet(x, "Rules", cols, sizeof cols / sizeof cols[0],
                                    rep->n_rules, &plan);
    if (!ws)
        return;
    for (size_t i = 0; i < rep->n_rules; i++) {
        const struct report_rule *r = &rep->rules[i];
        lxw_row_t row = (lxw_row_t)(i + 1);
        buf_clear(&x->text);
        for (size_t t = 0; t < r->n_tags; t++)
            buf_printf(&x->text, "%s%s", t ? ", " : "", r->tags[t]);
        const char *wrapped[] = {r->title, r->description, r->remediation, buf_cstr(&x->text),
                                 r->when};
        const double widths[] = {cols[1].width, cols[3].width, cols[4].width, cols[5].width,
                                 cols[6].width};
        size_row(x, ws, row, tallest(wrapped, widths, 5));
        put_text(x, ws, row, 0, r->id, x->f.text);
        put_text(x, ws, row, 1, r->title, x->f.wrap);
        put_text(x, ws, row, 2, severity_name(r->severity), x->f.sev[r->severity]);
        put_text(x, ws, row, 3, r->description, x->f.wrap);
        put_text(x, ws, row, 4, r->remediation, x->f.wrap);
        put_text(x, ws, row, 5, buf_cstr(&x->text), x->f.wrap);
        put_text(x, ws, row, 6, r->when, x->f.wrap);
        put_text(x, ws, row, 7, r->file, x->f.text);
        put_number(x, ws, row, 8, (double)r->findings, x->f.number);
        put_number(x, ws, row, 9, (double)r->unknown, x->f.number);
        check(x, worksheet_write_boolean(ws, row, 10, r->regex_disabled, x->f.text));
    }
}

/* A merged report's summary row per merged report (report.h, struct
 * report_source); no sheet for the report of one run. */
static void projects_sheet(struct xlsx *x, const struct report *rep)
{
    static const struct column cols[] = {
        {"project_id", 34}, {"region", 16}, {"enterprise_project_id", 20}, {"report", 30},
        {"images", 10}, {"images_with_findings", 12}, {"findings", 10}, {"open", 10},
        {"critical", 10}, {"high", 10}, {"medium", 10}, {"low", 10}, {"info", 10},
        {"waived", 10}, {"complete", 10}, {"other_rules", 11}, {"now", 20},
    };
    if (!rep->n_sources)
        return;
    /* Printed: project to open findings on the first page width, the
     * project and region on the rest. */
    static const struct print_plan plan = {8, 2, false};
    lxw_worksheet *ws = table_sheet(x, "Projects", cols, sizeof cols / sizeof cols[0],
                                    rep->n_sources, &plan);
    if (!ws)
        return;
    for (size_t k = 0; k < rep->n_sources; k++) {
        const struct report_source *s = &rep->sources[k];
        lxw_row_t row = (lxw_row_t)(k + 1);
        put_text(x, ws, row, 0, s->project_id, x->f.text);
        put_text(x, ws, row, 1, s->region, x->f.text);
        put_text(x, ws, row, 2, s->enterprise_project_id, x->f.text);
        put_text(x, ws, row, 3, s->path, x->f.text);
        put_number(x, ws, row, 4, (double)s->images, x->f.number);
        put_number(x, ws, row, 5, (double)s->images_with_findings, x->f.number);
        put_number(x, ws, row, 6, (double)s->findings, x->f.number);
        put_number(x, ws, row, 7, (double)s->open_total, x->f.number);
        for (int sev = SEV_COUNT - 1, c = 8; sev >= 0; sev--, c++)
            put_number(x, ws, row, (lxw_col_t)c, (double)s->open[sev], x->f.number);
        put_number(x, ws, row, 13, (double)s->waived_total, x->f.number);
        check(x, worksheet_write_boolean(ws, row, 14, s->complete, x->f.text));
        check(x, worksheet_write_boolean(ws, row, 15, s->other_rules, x->f.text));
        put_number(x, ws, row, 16, excel_time(s->now_ms), x->f.datetime);
    }
}

static void quality_sheet(struct xlsx *x, const struct report *rep)
{
    static const struct column cols[] = {
        {"field", 34}, {"problem", 16}, {"records", 10}, {"first_record", 13},
        {"first_line", 11},
    };
    static const struct print_plan plan = {5, 0, false};
    lxw_worksheet *ws = table_sheet(x, "Data quality", cols, sizeof cols / sizeof cols[0],
                                    rep->n_quality, &plan);
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

/* Give every format its style index now, in one order. libxlsxwriter
 * numbers a format when a cell first uses it, into a table shared by
 * the workbook's sheets; after this, using one only reads that table,
 * so lanes may write cells on several threads, and the numbering is the
 * same whatever the data and however many lanes. (It also lists every
 * format in styles.xml, used or not: 28 of them, a few hundred bytes.)
 * struct formats holds nothing but format pointers. */
static void pin_formats(struct xlsx *x)
{
    lxw_format **f = (lxw_format **)&x->f;
    for (size_t i = 0; i < sizeof x->f / sizeof *f; i++)
        lxw_format_get_xf_index(f[i]);
}

/* libxlsxwriter checks no write to a sheet's temporary file: past a
 * file size limit, or on a full disk, a sheet's rows stopped mid-row and
 * the workbook still came out as a valid zip, exit 0, with sheets whose
 * XML Excel refuses. So before the workbook is closed, each sheet's last
 * row is written here (workbook_close() would write it; it then finds
 * nothing left) and the file flushed: an error that any of its writes
 * met is still on the stream. Returns 0, or an errno value. */
static int sheets_written(lxw_workbook *wb)
{
    lxw_worksheet *ws;
    LXW_FOREACH_WORKSHEET(ws, wb) {
        if (!ws->optimize_tmpfile)
            continue;
        if (ws->optimize_row)
            lxw_worksheet_write_single_row(ws);
        errno = 0;
        if (fflush(ws->optimize_tmpfile) != 0 || ferror(ws->optimize_tmpfile))
            return errno ? errno : EIO;
    }
    return 0;
}

/* When the workbook closes, libxlsxwriter copies each sheet's rows into
 * another temporary file, one sheet at a time, again without checking a
 * write, and compresses the copy: a disk that fills up there cuts a
 * sheet short with nothing to tell. So room for the largest sheet's
 * copy, rows and a margin for the XML around them, must be there first
 * (util/tmpfile.h, tmpfile_room). Returns 0, or an errno value with
 * '*largest' the rows' bytes. */
#define XLSX_COPY_MARGIN (1024 * 1024)

static int room_for_copies(lxw_workbook *wb, long long *largest)
{
    *largest = 0;
    lxw_worksheet *ws;
    LXW_FOREACH_WORKSHEET(ws, wb) {
        long long n = ws->optimize_tmpfile ? (long long)ftello(ws->optimize_tmpfile) : 0;
        *largest = n > *largest ? n : *largest;
    }
    return tmpfile_room(*largest + XLSX_COPY_MARGIN);
}

/* Free a workbook without writing it. lxw_workbook_free() leaves the
 * sheets' temporary files to workbook_close(), which would write them
 * out, so they are closed here. */
static void discard_workbook(lxw_workbook *wb)
{
    lxw_worksheet *ws;
    LXW_FOREACH_WORKSHEET(ws, wb) {
        if (ws->optimize_tmpfile)
            fclose(ws->optimize_tmpfile);
        ws->optimize_tmpfile = ws->file = NULL;
    }
    lxw_workbook_free(wb);
}

static void lane_dispose(struct xlsx *x)
{
    buf_dispose(&x->text);
    buf_dispose(&x->clean);
    for (size_t i = 0; i < x->n_keep; i++)
        free(x->keep[i]);
    free(x->keep);
}

struct xlsx_book *xlsx_begin(const struct report *rep, const char *path, struct diags *d)
{
    /* Its temporary files in the folder room_for_copies() checks:
     * imgaudit's ($TMPDIR, else /tmp), named, where Debian's build
     * (tmpfileplus) would pick $TMPDIR too. */
    lxw_workbook_options opts = {.constant_memory = LXW_TRUE,
                                 .tmpdir = (char *)tmpfile_dir(), .use_zip64 = LXW_TRUE};
    lxw_workbook *wb = workbook_new_opt(path, &opts);
    if (!wb) {
        diags_error(d, "cannot create the XLSX report (temporary files in %s, or memory)",
                    tmpfile_dir());
        return NULL;
    }
    struct xlsx_book *b = xcalloc(1, sizeof *b);
    b->rep = rep;
    struct xlsx *x = &b->lane[0];
    *x = (struct xlsx){.wb = wb, .rows_per_sheet = rows_per_sheet(), .err = LXW_NO_ERROR};
    buf_init(&x->text, 0);
    buf_init(&x->clean, 0);
    /* libxlsxwriter's property fields are not const-qualified. */
    static char title[] = "Container image audit", author[] = "imgaudit";
    lxw_doc_properties props = {.title = title, .author = author,
                                .created = (time_t)(rep->meta.generated_at_ms / 1000)};
    check(x, workbook_set_properties(wb, &props));
    make_formats(x);
    pin_formats(x);

    /* Every sheet, in tab order; the small ones whole. Summary first:
     * it is the tab people should land on. */
    summary_sheet(x, rep);
    projects_sheet(x, rep);
    findings_open(x, b);
    images_open(x, b);
    changes_open(x, b);
    waivers_sheet(x, rep);
    inventory_open(x, b);
    rules_sheet(x, rep);
    quality_sheet(x, rep);

    b->broken = x->err != LXW_NO_ERROR;
    for (int k = 1; k < XLSX_LANES; k++) {
        struct xlsx *l = &b->lane[k];
        *l = (struct xlsx){.wb = wb, .f = x->f, .rows_per_sheet = x->rows_per_sheet,
                           .err = LXW_NO_ERROR};
        buf_init(&l->text, 0);
        buf_init(&l->clean, 0);
    }
    return b;
}

/* The large sheets' rows, in two lanes of about the same size: the
 * findings' rows (Findings, Changes) and the images' (Images with
 * findings, Inventory). A sheet's rows are written by one lane, in
 * order, as constant-memory mode requires. */
void xlsx_write_lane(struct xlsx_book *b, int lane)
{
    struct xlsx *x = &b->lane[lane];
    if (b->broken)
        return;
    if (lane == 0) {
        findings_rows(x, b);
        changes_rows(x, b);
    } else {
        images_rows(x, b);
        inventory_rows(x, b);
    }
}

int xlsx_end(struct xlsx_book *b, struct diags *d)
{
    lxw_workbook *wb = b->lane[0].wb;
    long long largest = 0;
    int werr = sheets_written(wb);
    int room = werr ? 0 : room_for_copies(wb, &largest);
    lxw_error closed = LXW_NO_ERROR;
    if (werr || room)       /* the rows are cut, or would be */
        discard_workbook(wb);
    else
        closed = workbook_close(wb);
    lxw_error e = LXW_NO_ERROR;
    for (int k = 0; k < XLSX_LANES; k++) {
        if (e == LXW_NO_ERROR)
            e = b->lane[k].err;
        lane_dispose(&b->lane[k]);
    }
    if (e == LXW_NO_ERROR)
        e = closed;
    free(b->findings.parts);
    free(b->images.parts);
    free(b->changes.parts);
    free(b->inventory.parts);
    free(b->image_order);
    free(b);
    if (werr) {
        diags_error(d, "cannot write the XLSX report's temporary files in %s: %s",
                    tmpfile_dir(), strerror(werr));
        return -1;
    }
    if (room) {
        diags_error(d, "cannot write the XLSX report: no room in %s for the copy of its "
                    "largest sheet (%.1f MB) that libxlsxwriter makes when it closes the "
                    "workbook: %s", tmpfile_dir(), (double)largest / 1e6, strerror(room));
        return -1;
    }
    if (e != LXW_NO_ERROR) {
        diags_error(d, "cannot write the XLSX report: %s", lxw_strerror(e));
        return -1;
    }
    return 0;
}

int render_xlsx(const struct report *rep, const struct render_opts *o, const char *path,
                struct diags *d)
{
    (void)o;
    struct xlsx_book *b = xlsx_begin(rep, path, d);
    if (!b)
        return -1;
    for (int k = 0; k < XLSX_LANES; k++)
        xlsx_write_lane(b, k);
    return xlsx_end(b, d);
}

/* SPDX-License-Identifier: MIT
 * The XLSX floor for bench/run.sh: libxlsxwriter alone, in its
 * constant-memory mode (the mode imgaudit's XLSX writer uses), writing a
 * given number of cells, and nothing else. imgaudit's all-formats run is
 * compared with the decode floor plus this.
 *
 *   xlsx_floor OUT.xlsx CELLS [COLUMNS [TEXT_PERMILLE TEXT_LEN]]
 *
 * Rows of COLUMNS cells (default 30, about an Inventory row), until
 * CELLS cells are written, a new worksheet (with its header row) every
 * 1,048,576 rows, a worksheet's limit, as imgaudit's writer does; every other cell a number,
 * the rest short strings that vary by row (as names, versions and
 * digests do), one format for the header row and none after, the way a
 * plain export writes them.
 *
 * With TEXT_PERMILLE and TEXT_LEN, the floor for a given content rather
 * than for short strings: that many cells in a thousand are strings, the
 * others numbers, and each string is TEXT_LEN characters, the row's
 * "value-R-C " followed by a stretch of English text that starts at a
 * different place in each cell (so it compresses about as well as
 * messages and remediations do). docs/performance.md uses it with the
 * share and mean length of imgaudit's own string cells. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

static const char filler[] =
    "Stop deploying the image, find which layer added the files, rebuild "
    "from a trusted base and rotate any credentials the image could reach. "
    "Scan the image again after the registry sync; an old scan says nothing "
    "about what runs now. ";

int main(int argc, char **argv)
{
    if (argc != 3 && argc != 4 && argc != 6) {
        fprintf(stderr, "usage: xlsx_floor OUT.xlsx CELLS [COLUMNS [TEXT_PERMILLE TEXT_LEN]]\n");
        return 2;
    }
    long long cells = atoll(argv[2]);
    int cols = argc >= 4 ? atoi(argv[3]) : 30;
    int permille = argc == 6 ? atoi(argv[4]) : -1;
    int len = argc == 6 ? atoi(argv[5]) : 0;
    if (cells < 0 || cols < 1 || cols > 16384 || (argc == 6 && (permille < 0 ||
        permille > 1000 || len < 1 || len > 1000))) {
        fprintf(stderr, "xlsx_floor: bad CELLS, COLUMNS, TEXT_PERMILLE or TEXT_LEN\n");
        return 2;
    }
    lxw_workbook_options opts = {.constant_memory = LXW_TRUE, .tmpdir = NULL,
                                 .use_zip64 = LXW_TRUE};
    lxw_workbook *wb = workbook_new_opt(argv[1], &opts);
    if (!wb) {
        fprintf(stderr, "xlsx_floor: cannot create %s\n", argv[1]);
        return 2;
    }
    lxw_worksheet *ws = NULL;
    int sheets = 0;
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    char text[1100];
    long long strings = 0;
    long long written = 0;
    int bad = 0;                    /* any write refused (errors or'ed) */
    for (lxw_row_t row = 0; written < cells && !bad; row++) {
        if (row == LXW_ROW_MAX || !ws) {
            /* A cell past a worksheet's last row is refused, not written:
             * the next rows go to a new worksheet. */
            char name[32];
            snprintf(name, sizeof name, "Floor %d", ++sheets);
            ws = workbook_add_worksheet(wb, name);
            row = 0;
        }
        for (lxw_col_t col = 0; col < (lxw_col_t)cols && written < cells; col++, written++) {
            if (row == 0) {
                snprintf(text, sizeof text, "column_%u", (unsigned)col);
                bad |= worksheet_write_string(ws, row, col, text, bold);
            } else if (permille >= 0) {
                /* Strings spread evenly: cell k is one when k * permille
                 * crosses a thousand. */
                if ((written + 1) * permille / 1000 > written * permille / 1000) {
                    int n = snprintf(text, sizeof text, "value-%u-%u ",
                                     (unsigned)(row % 9973), (unsigned)col);
                    size_t at = (size_t)(row * 31 + col * 7) % (sizeof filler - 1);
                    while (n < len) {
                        size_t take = sizeof filler - 1 - at;
                        if (take > (size_t)(len - n))
                            take = (size_t)(len - n);
                        memcpy(text + n, filler + at, take);
                        n += (int)take;
                        at = 0;
                    }
                    text[len] = '\0';
                    bad |= worksheet_write_string(ws, row, col, text, NULL);
                    strings++;
                } else {
                    bad |= worksheet_write_number(ws, row, col, (double)(row * 31 + col), NULL);
                }
            } else if (col % 2) {
                bad |= worksheet_write_number(ws, row, col, (double)(row * 31 + col), NULL);
            } else {
                snprintf(text, sizeof text, "value-%u-%u", (unsigned)(row % 9973), (unsigned)col);
                bad |= worksheet_write_string(ws, row, col, text, NULL);
            }
        }
    }
    if (bad) {
        fprintf(stderr, "xlsx_floor: a cell was refused after %lld cells\n", written);
        return 1;
    }
    lxw_error err = workbook_close(wb);
    if (err != LXW_NO_ERROR) {
        fprintf(stderr, "xlsx_floor: %s\n", lxw_strerror(err));
        return 1;
    }
    if (permille >= 0)
        printf("%lld cells, %lld strings of %d characters\n", written, strings, len);
    else
        printf("%lld cells\n", written);
    return 0;
}

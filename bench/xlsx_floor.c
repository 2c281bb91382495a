/* SPDX-License-Identifier: MIT
 * The XLSX floor for bench/run.sh: libxlsxwriter alone, in its
 * constant-memory mode (the mode imgaudit's XLSX writer uses), writing a
 * given number of cells, and nothing else. imgaudit's all-formats run is
 * compared with the decode floor plus this.
 *
 *   xlsx_floor OUT.xlsx CELLS [COLUMNS]
 *
 * Rows of COLUMNS cells (default 30, about an Inventory row), one
 * worksheet, until CELLS cells are written; every other cell a number,
 * the rest short strings that vary by row (as names, versions and
 * digests do), one format for the header row and none after, the way a
 * plain export writes them. */
#include <stdio.h>
#include <stdlib.h>
#include <xlsxwriter.h>

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: xlsx_floor OUT.xlsx CELLS [COLUMNS]\n");
        return 2;
    }
    long long cells = atoll(argv[2]);
    int cols = argc == 4 ? atoi(argv[3]) : 30;
    if (cells < 0 || cols < 1 || cols > 16384) {
        fprintf(stderr, "xlsx_floor: bad CELLS or COLUMNS\n");
        return 2;
    }
    lxw_workbook_options opts = {.constant_memory = LXW_TRUE, .tmpdir = NULL,
                                 .use_zip64 = LXW_TRUE};
    lxw_workbook *wb = workbook_new_opt(argv[1], &opts);
    if (!wb) {
        fprintf(stderr, "xlsx_floor: cannot create %s\n", argv[1]);
        return 2;
    }
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Floor");
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    char text[64];
    long long written = 0;
    for (lxw_row_t row = 0; written < cells; row++) {
        for (lxw_col_t col = 0; col < (lxw_col_t)cols && written < cells; col++, written++) {
            if (row == 0) {
                snprintf(text, sizeof text, "column_%u", (unsigned)col);
                worksheet_write_string(ws, row, col, text, bold);
            } else if (col % 2) {
                worksheet_write_number(ws, row, col, (double)(row * 31 + col), NULL);
            } else {
                snprintf(text, sizeof text, "value-%u-%u", (unsigned)(row % 9973), (unsigned)col);
                worksheet_write_string(ws, row, col, text, NULL);
            }
        }
    }
    lxw_error err = workbook_close(wb);
    if (err != LXW_NO_ERROR) {
        fprintf(stderr, "xlsx_floor: %s\n", lxw_strerror(err));
        return 1;
    }
    printf("%lld cells\n", written);
    return 0;
}

/* SPDX-License-Identifier: MIT
 * Where two reports first differ, in words an auditor can follow: the
 * line and column of a CSV, HTML or JSON report; for an XLSX workbook
 * the sheet and cell (found through the ZIP parts: worksheets are
 * matched to their names through xl/workbook.xml and its relationships),
 * or the part when the difference is outside the cells. `verify` prints
 * it for every bundled report that is not reproduced. */
#ifndef IMGAUDIT_FIRSTDIFF_H
#define IMGAUDIT_FIRSTDIFF_H
#include <stddef.h>

#include "render/render.h"

/* Compare the files 'want' (the bundled report) and 'got' (re-rendered)
 * as reports of format 'fmt'. Returns 0 when they are the same bytes;
 * 1 when not, with the first difference described in 'out' ("line 12,
 * column 40", "sheet \"Findings\", cell B3"); -1 when one cannot be read,
 * with the reason in 'out'. */
int first_difference(const char *want, const char *got, enum format fmt, char *out, size_t len);

#endif

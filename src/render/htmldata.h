/* SPDX-License-Identifier: MIT
 * The HTML page's data block: every finding of the report, compact and
 * columnar, for the page's script to render (by finding, by image, by
 * rule), filter and page through. The layout is documented in
 * docs/reports.md ("The data block"); templates/report.html reads it.
 *
 * Safe inside <script type="application/json">: '<', '>' and '&' are
 * written only as \u003c, \u003e and \u0026, U+2028 and U+2029 as
 * escapes, and bytes that are not UTF-8 as U+FFFD, so that no value can
 * end the script element, open a comment in it or break JSON.parse. */
#ifndef IMGAUDIT_HTMLDATA_H
#define IMGAUDIT_HTMLDATA_H
#include <stddef.h>
#include <stdio.h>

#include "report/report.h"
#include "util/buf.h"

struct html_data_opts {
    size_t listed;              /* findings the page lists as rows without scripts */
};

/* Write the data block of 'rep' to 'f', a megabyte at a time. Returns 0,
 * or -1 when it could not be written (errno). */
int html_data_write(FILE *f, const struct report *rep, const struct html_data_opts *o);

/* Append 's' ('n' bytes) as a JSON string with the escaping above. */
void html_json_str(struct buf *out, const char *s, size_t n);

#endif

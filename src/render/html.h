/* SPDX-License-Identifier: MIT
 * What the HTML writer offers beyond render_html() (render.h): checking
 * a --template file up front, so that a broken template is reported
 * before a long pull or evaluation rather than when the report is
 * written. */
#ifndef IMGAUDIT_HTML_H
#define IMGAUDIT_HTML_H
#include "util/diag.h"

/* Load and compile the template at 'path' (NULL: the built-in one).
 * Returns 0, or -1 with every problem in 'd' as FILE:LINE:COL. */
int html_template_check(const char *path, struct diags *d);

#endif

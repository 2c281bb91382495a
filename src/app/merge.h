/* SPDX-License-Identifier: MIT
 * imgaudit merge A.json B.json ...: JSON reports made elsewhere (one per
 * project or region, docs/reports.md "Organisation reports") combined
 * into one report, whose findings carry project_id and region and whose
 * sources table gives a summary row per report (report/combine.h).
 *
 * The reports must have been made with the same rules: the same rule
 * files (by SHA-256) and params. Otherwise merging is refused, naming
 * every report that differs, unless mixed rules are allowed; the report
 * then says so (meta.mixed_rules and a warning). The same report given
 * twice (the same bytes) is refused too: it would count every finding
 * twice. A merged report can be merged again: its sources are carried
 * over.
 *
 * Reports are read one at a time (report/reader.h) and freed once
 * combined. */
#ifndef IMGAUDIT_MERGE_H
#define IMGAUDIT_MERGE_H
#include <stdbool.h>
#include <stddef.h>

#include "report/report.h"
#include "util/diag.h"

/* Combine the reports at 'paths' into 'dst' (fresh from report_init,
 * gate settings set) and finish it. Returns an exit code: 0, 2 for
 * mixed rules or a report given twice, 3 for a report that cannot be
 * read (errors in 'd'). */
int merge_reports(struct report *dst, const char *const *paths, size_t n, bool allow_mixed,
                  struct diags *d);

#endif

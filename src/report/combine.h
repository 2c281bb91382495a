/* SPDX-License-Identifier: MIT
 * Combining finished reports into one (imgaudit merge, app/merge.c):
 * every report becomes a source (report.h, struct report_source), its
 * images and findings are appended with their source, and the rest is
 * united:
 *   - rules by id, severity and title: the same rule of several reports
 *     is one rule, its counts added up. With mixed rules a rule id whose
 *     severity or title differs from the first report's is a rule of its
 *     own, listed as "ID@N" (N: the source's number, from 1), so that no
 *     finding changes its severity;
 *   - waivers by id, rule, when and expiry, their counts added up; rule
 *     files, waiver files and params in first-seen order;
 *   - data quality by field and problem, counts added up (first_record is
 *     the first report's that had the problem);
 *   - each source's warnings, prefixed with its path.
 * Findings keep their status, change and first-seen date; resolved
 * findings are not carried (each project's own report lists them), and
 * the combined report has no baseline.
 *
 * Use: report_combine_init(&c, &dst); report_combine_add(&c, &src, ...)
 * per report (src may be freed right after); report_combine_finish(&c)
 * sets the combined metadata and calls report_finish(dst). */
#ifndef IMGAUDIT_COMBINE_H
#define IMGAUDIT_COMBINE_H
#include <stdbool.h>

#include "report/report.h"
#include "util/strtab.h"

struct report_combiner {
    struct report *dst;
    struct strtab rules, waivers, quality;  /* identity -> index + 1 into dst's arrays */
    struct strtab files, wfiles;            /* rule and waiver files seen, by path and hash */
    size_t cap_sources, cap_rules, cap_waivers, cap_quality;
    int64_t expected;                       /* records expected, over every source */
};

/* 'dst' fresh from report_init. */
void report_combine_init(struct report_combiner *c, struct report *dst);
/* Add finished report 'src', read from 'path' (whose bytes hash to
 * 'sha256'), as the next source; 'other_rules': made with other rules
 * than the first. */
void report_combine_add(struct report_combiner *c, const struct report *src, const char *path,
                        const char *sha256, bool other_rules);
/* Set the combined metadata, free the tables and finish 'dst'. */
void report_combine_finish(struct report_combiner *c);

#endif

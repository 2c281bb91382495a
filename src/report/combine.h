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
 * Use: report_combine_init(&c, &dst, d); report_combine_add(&c, &src, ...)
 * per report (src may be freed right after; in memory or spilled, as
 * imgaudit merge reads it: reader.h, REPORT_READ_SPILL);
 * report_combine_finish(&c, d) sets the combined metadata and calls
 * report_finish(dst). */
#ifndef IMGAUDIT_COMBINE_H
#define IMGAUDIT_COMBINE_H
#include <stdbool.h>

#include "report/report.h"
#include "util/strtab.h"

struct report_combiner {
    struct report *dst;
    struct strtab rules, waivers, quality;  /* identity -> index + 1 into dst's arrays */
    struct strtab files, wfiles;            /* rule and waiver files seen, by path and hash */
    struct strtab namespaces, registries;   /* summary.by_* key -> index + 1 */
    size_t cap_sources, cap_rules, cap_quality, cap_ns, cap_reg;
    int64_t expected;                       /* records expected, over every source */
    uint32_t *matches;                      /* scratch: a finding's waiver matches */
    size_t cap_matches;
};

/* 'dst' fresh from report_init (gate settings may be set). Its images
 * and findings go to disk (report/spill.h): memory holds the sources'
 * rules, waivers and counts, and one source at a time, whatever the
 * number of images. Returns 0, or -1 with an error in 'd' (no room for
 * the temporary files). */
int report_combine_init(struct report_combiner *c, struct report *dst, struct diags *d);
/* Add finished report 'src', read from 'path' (whose bytes hash to
 * 'sha256'), as the next source; 'other_rules': made with other rules
 * than the first. */
void report_combine_add(struct report_combiner *c, const struct report *src, const char *path,
                        const char *sha256, bool other_rules);
/* Set the combined metadata, free the tables and finish 'dst'. Returns
 * 0, or -1 with an error in 'd' (the temporary files could not be
 * written: a full disk). Always leaves 'dst' finished. */
int report_combine_finish(struct report_combiner *c, struct diags *d);

#endif

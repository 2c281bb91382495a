/* SPDX-License-Identifier: MIT
 * What the human-facing writers (XLSX and HTML) show the same way: the
 * metadata as label/value rows, the severity colours, and the "top
 * rules" ranking, so that the spreadsheet and the web page of one run
 * tell the same story in the same words. Reads only the report model. */
#ifndef IMGAUDIT_REPORTVIEW_H
#define IMGAUDIT_REPORTVIEW_H
#include <stddef.h>
#include <stdint.h>

#include "report/report.h"

/* What a metadata row holds, for a writer that keeps types (the XLSX
 * writes numbers and times as such); the text is always there too (the
 * HTML shows it). */
enum rview_kind { RV_TEXT, RV_INT, RV_TIME };

/* One metadata row: 'label' and 'unit' are static text, 'value' is
 * owned. */
struct rview_row {
    const char *label;
    char *value;                /* the value as text: "2,500" is "2500", times ISO 8601 */
    enum rview_kind kind;
    int64_t num;                /* RV_INT: the number; RV_TIME: epoch milliseconds */
    const char *unit;           /* RV_INT: what it counts, plural ("days"), or NULL */
};

/* The metadata rows (tool, times, source, counts, fingerprints, gate,
 * completeness), in display order, one value each (a number or a time
 * has a row of its own); rows that do not apply to this source are left
 * out. Returns how many; free with rview_rows_free. */
size_t rview_meta_rows(const struct report *rep, struct rview_row **out);
void rview_rows_free(struct rview_row *rows, size_t n);

/* Severity colours as 0xRRGGBB: 'strong' for bars and fills behind
 * white text, 'soft' for a tinted cell with 'ink' text on it. */
struct rview_color {
    uint32_t strong, soft, ink;
};
extern const struct rview_color rview_sev_color[SEV_COUNT];

/* Indexes of the rules with findings, most findings first (then rule
 * order), at most 'max'. Returns how many were written to 'out'. */
size_t rview_top_rules(const struct report *rep, size_t *out, size_t max);

/* The gate in words, each threshold that is set and which failed:
 * "FAIL (fail on high: failed; fail on new critical)", "PASS (fail on
 * high)", "INCOMPLETE, not a pass: nothing failed in the records
 * received (fail on high)", "no gate". Written into 'out'
 * (RVIEW_GATE_MAX bytes). */
#define RVIEW_GATE_MAX 160
void rview_gate_text(const struct report *rep, char *out, size_t len);

#endif

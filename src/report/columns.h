/* SPDX-License-Identifier: MIT
 * The finding columns (columns.def): one table that every writer reads,
 * as src/model/field.c is for record fields. A column's value is typed
 * (struct fcol_value) so that each format writes it natively: numbers as
 * numbers, times as dates, text as text; fcol_text() gives the one text
 * form that CSV and HTML show.
 *
 * Ownership: values point into the report (valid while it lives) or are
 * static. Nothing here allocates. */
#ifndef IMGAUDIT_COLUMNS_H
#define IMGAUDIT_COLUMNS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report/report.h"
#include "util/buf.h"

enum fcol_id {
#define FCOL(id, name, width, field) id,
#include "report/columns.def"
#undef FCOL
    FC_COUNT
};

struct fcol_def {
    const char *name;
    double width;               /* XLSX, characters */
    int field;                  /* enum field_id behind it, or -1 */
};
extern const struct fcol_def fcol_defs[FC_COUNT];

/* What a cell holds. FV_MISSING is a value the record did not have (or
 * had with the wrong type): empty in CSV and XLSX, null in JSON. */
enum fv_kind { FV_MISSING, FV_TEXT, FV_INT, FV_TIME, FV_DATE, FV_BOOL };

struct fcol_value {
    enum fv_kind kind;
    int64_t i;                  /* FV_INT; FV_TIME and FV_DATE: epoch ms (a date: its 00:00Z) */
    bool b;                     /* FV_BOOL */
    const char *s;              /* FV_TEXT */
};

/* The value of column 'col' for finding 'fi' of 'rep'. */
void fcol_value(const struct report *rep, const struct report_finding *fi, enum fcol_id col,
                struct fcol_value *out);
/* The same for a finding whose image is 'img' rather than its report's
 * (the JSON reader's, checking a row against a row read earlier). */
void fcol_value_on(const struct report *rep, const struct report_finding *fi,
                   const struct report_image *img, enum fcol_id col, struct fcol_value *out);
/* Every column of 'fi' at once (its rule and image looked up once: a
 * spilled report's image is a lookup in the spill's cache). */
void fcol_row(const struct report *rep, const struct report_finding *fi,
              struct fcol_value out[FC_COUNT]);
/* Append 'v' as text: integers in decimal, times ISO 8601 UTC, dates
 * YYYY-MM-DD, booleans true/false, missing as nothing. */
void fcol_text(struct buf *out, const struct fcol_value *v);
/* The column called 'name', or -1. */
int fcol_lookup(const char *name);

#endif

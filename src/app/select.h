/* SPDX-License-Identifier: MIT
 * Which images a run evaluates: those for which --where is true, and,
 * for one part of --split-by, those with one value of the key field.
 * Selection happens after a record is decoded and before anything of it
 * reaches the report: an image that is not selected has no row, no
 * findings, no unknown counts and no data-quality counts.
 *
 * A key is compared as the report model keeps it (the text up to a NUL
 * byte, if the value has one), so every image of the combined report
 * belongs to exactly one part: its key's, or, when the field is missing
 * or has the wrong type, the part without a key ("(none)").
 *
 * Thread-safe: selection_keeps reads only its arguments (one scratch per
 * thread, as for rules). */
#ifndef IMGAUDIT_SELECT_H
#define IMGAUDIT_SELECT_H
#include <stdbool.h>
#include <stdint.h>

#include "model/record.h"
#include "rules/rules.h"

struct selection {
    const struct rule_expr *where;  /* NULL: no --where */
    int field;                      /* enum field_id of the split key; -1: not a part */
    const char *key;                /* the part's key; NULL: images without one */
    int64_t now_ms;                 /* the run's now, for age() in --where */
};
#define SELECTION_ALL {NULL, -1, NULL, 0}

/* Is 'rec' selected? --where must be true (unknown, for missing data,
 * is not), and the key must match. */
bool selection_keeps(const struct selection *sel, const struct record *rec,
                     struct eval_scratch *s);

#endif

/* SPDX-License-Identifier: MIT
 * The findings stage: read records from a saved image list, decode each
 * one, run every enabled rule on it and add the image, its findings and
 * its unknown counts to the report model. Records are dropped as soon as
 * they are evaluated, so memory follows the report, not the input. */
#ifndef IMGAUDIT_EVALUATE_H
#define IMGAUDIT_EVALUATE_H
#include <stdint.h>

#include "report/report.h"
#include "rules/rules.h"
#include "source/input.h"
#include "util/diag.h"

/* Evaluate every record of 'in' with 'rs' as of 'now_ms' into 'rep'
 * (whose rules were set from 'rs'), then add a warning to 'd' for each
 * regex that was disabled as too costly (rules.h). Returns 0, or -1 when
 * the input is malformed (error in 'd'). */
int evaluate_input(struct report *rep, const struct ruleset *rs, struct input *in,
                   int64_t now_ms, struct diags *d);

#endif

/* SPDX-License-Identifier: MIT
 * Reading a JSON report (schema version 4, docs/report-json-schema.md)
 * back into the report model: the inverse of render/json.c. A later run
 * reads its baseline through it (report/baseline.c), `imgaudit diff`
 * reads both reports. Version 2 reports (last week's baselines) are
 * read too: their meta.source said how the records were read, which
 * becomes a pull or a file of unknown provenance.
 *
 * Contract: a report written as JSON, read back and written again gives
 * the same bytes in every format (tests/cli/weekly.sh checks the JSON,
 * CSV and HTML). Unknown keys are ignored (a newer writer may add keys
 * within a version); a missing or wrongly typed key the model needs is
 * an error.
 *
 * Errors (one, in 'd'): "FILE:LINE:COL: error: ..." for JSON that does
 * not parse ("ends early (truncated?)" at the end of the file), and
 * "FILE: error: ..." naming the section and entry otherwise, e.g. not an
 * imgaudit report, an unsupported schema version, a finding whose
 * rule_id is not among the rules.
 *
 * Memory: the document is parsed whole with jansson, so reading a
 * report costs several times its size for a moment; fine for the
 * reports of tens of thousands of images, not yet for a million (see
 * docs/performance.md). */
#ifndef IMGAUDIT_READER_H
#define IMGAUDIT_READER_H
#include "report/report.h"
#include "util/diag.h"

/* REPORT_READ_NO_INVENTORY: skip the inventory; each finding then gets
 * an image of its own, built from its row's columns (all a baseline
 * needs), and summary image counts are not meaningful. */
enum { REPORT_READ_FULL = 0, REPORT_READ_NO_INVENTORY = 1 };

/* Read the JSON report at 'path' into 'rep' (fresh from report_init)
 * and report_finish() it. Returns 0, or -1 with one error in 'd'. */
int report_read_json(struct report *rep, const char *path, unsigned flags, struct diags *d);

#endif

/* SPDX-License-Identifier: MIT
 * Comparing a run with an earlier one (--baseline PREV.json, and
 * `imgaudit diff OLD.json NEW.json`).
 *
 * A finding's identity across runs is its rule id, registry_name,
 * namespace, image_name and image_version (a missing value and an empty
 * one are different), and the project_id and region its image came from
 * (report_image_project_id, report_image_region). The digest is not part
 * of it: a tag rebuilt with a new digest is the same finding, still
 * there. Findings of one run that share an identity are one finding for
 * the comparison.
 *
 * Compatibility: a project or region that one side does not know (NULL
 * or empty: a report of a file without provenance, a pull by --endpoint
 * without --region, a report from before findings carried a project)
 * matches any value on the other side. So last week's single-project
 * baseline still matches this week's findings of that project, and a
 * baseline that knows no project matches the same image in every
 * project of this run. Two known values must be equal: the same image in
 * two projects is two findings.
 *
 * For every finding of the current report: existing when its identity
 * is in the baseline, with the baseline's first_seen (the earliest, when
 * several share it); else new, first seen now. The baseline's findings
 * whose identity is gone are resolved, listed with their last known data,
 * but only for a project and region this run pulled (a project left out
 * of this run was not looked at), and only when the baseline and the
 * current run are both complete: a
 * finding missing from an incomplete list is not a fixed finding; and only
 * when the baseline covered no more images than this run (the same
 * --where, or none here: report_baseline_in_scope), since a finding out of
 * this run's scope is not a fixed one either.
 *
 * Memory: the baseline's findings are not kept, only an entry per
 * identity and place, each image's part of the identity once, and
 * where each row is in the file, which stays open (mapped, its pages
 * given back: reader.h, report_reader_open) so that the resolved rows
 * are read again when they are known: 12 bytes per finding row, 25 per
 * identity and place, about 80 per image identity, so at most about
 * 120 bytes per finding. A resolved row read again must still be the
 * finding it was (its rule, image and place), or the file was changed
 * meanwhile: an error. The resolved findings' images go to disk (the
 * current report's resolved_spill); the findings and their messages
 * stay in memory, about 100 bytes each.
 *
 * Ownership: struct baseline owns the baseline report it read and its
 * open file; baseline_apply copies what it adds into the current
 * report. */
#ifndef IMGAUDIT_BASELINE_H
#define IMGAUDIT_BASELINE_H
#include "report/report.h"
#include "util/buf.h"
#include "util/diag.h"

struct baseline;

/* Read the JSON report at 'path' (report/reader.h). Reports and their
 * warnings call it 'name' (NULL: file_label(path), util/filelabel.h);
 * errors name 'path'. With 'hash', its SHA-256 goes into
 * meta.baseline.sha256 of the reports it is applied to; without, that
 * stays empty (for a run that shows it nowhere). 0, or -1 with the
 * reader's error in 'd' (the CLI's exit code 3). */
int baseline_load(struct baseline **out, const char *path, const char *name, bool hash,
                  struct diags *d);
/* The baseline's metadata: its now, project, region, completeness. */
const struct report_meta *baseline_meta(const struct baseline *b);
/* Mark the findings of 'cur' (evaluated, metadata set, before
 * report_finish) new or existing, replace its resolved findings, fill
 * cur->meta.baseline, and add a warning for a baseline from another
 * project, region or rule set. A report read back (diff) works too: its
 * own changes are replaced. Up to 'jobs' threads (--jobs) identify the
 * current images. The resolved findings' images go to disk
 * (report.resolved_spill, temporary files in $TMPDIR). Returns 0; -1
 * with an error in 'd' when a resolved row no longer reads or is not
 * the finding it was (the file was changed since baseline_load: the
 * CLI's exit code 3); -2 with an error in 'd' when the temporary files
 * cannot be made or written (exit code 4). */
int baseline_apply(struct baseline *b, struct report *cur, unsigned flags, unsigned jobs,
                   struct diags *d);
/* baseline_apply's flag for a run none of whose outputs lists resolved
 * findings (CSV, SARIF, JUnit; no split, no evidence: app.c): they are
 * counted from what baseline_load kept (report.h: resolved_unread), and
 * their rows are not read again: the counts are the same, and a row
 * changed since baseline_load goes unnoticed (no -1 for it). */
#define BASELINE_COUNT_RESOLVED 1u
void baseline_free(struct baseline *b);             /* accepts NULL */

/* The identity of finding 'fi' of 'rep' (above) as one string, into 'b'
 * (cleared first): the fields in the order above, separated by 0x1F, a
 * missing value (an unknown project or region too) written as 0x01. The
 * SARIF writer hashes it into each result's fingerprint, so that
 * code-scanning platforms follow a finding across runs as --baseline
 * does. Not for resolved findings. */
void baseline_identity(struct buf *b, const struct report *rep, const struct report_finding *fi);
/* The same without project and region: the identity before a run could
 * pull several projects (SARIF's "imgauditFindingIdentity/v1"). */
void baseline_local_identity(struct buf *b, const struct report *rep,
                             const struct report_finding *fi);

#endif

/* SPDX-License-Identifier: MIT
 * Building a report whose images and findings go to disk as they are
 * added (the `report` command): memory no longer grows with the number
 * of images. The store is the merge's (report/spill.h); this is how a
 * run's images and findings, which come image by image, get into it.
 *
 * Between report_stream_begin() and report_stream_end(), the builders of
 * report.h (report_add_image, report_add_finding, report_add_match,
 * report_added_finding) keep only the image being added and a chunk of
 * at most STREAM_CHUNK findings in memory:
 *   - an image goes to disk when the next one is added (or at the end),
 *     with the count and worst severity of its findings;
 *   - a chunk of findings is grouped by rule (each rule's findings stay
 *     in image order) and appended; every rule's findings of one chunk
 *     are one run of the store, whose runs spill_finish() puts in report
 *     order (severity, rule id, then chunk, i.e. image order): the order
 *     report_finish() gives findings in memory;
 *   - the summary's counts (severities, open, waived, new, existing,
 *     images with findings, findings per namespace and registry, and
 *     per source: report.counted_sources) are counted on the way, since
 *     report_finish() does not read a spilled report's findings again;
 *   - a baseline is applied afterwards as to any report: baseline_apply()
 *     rewrites the findings' change and first_seen on disk in one pass
 *     (report_update_findings), because an image's project and region
 *     are known only once the whole input was read and its provenance
 *     checked.
 *
 * After report_stream_end() the report is a spilled one: read its
 * images and findings through the accessors of report.h. Single-
 * threaded, like the builders. */
#ifndef IMGAUDIT_STREAM_H
#define IMGAUDIT_STREAM_H
#include "report/report.h"
#include "util/diag.h"

#define STREAM_CHUNK 65536      /* findings in memory at most (~3 MB with messages) */

/* report_stream_begin's flags. STREAM_LEAN_IMAGES: no reader of the
 * report will need more of an image than its findings' columns
 * (report/columns.def, which hold every field of an image reference,
 * render/imageref.h) and, for an image without findings, its identity
 * (report_identity_fields, for a baseline): so only those fields go to
 * disk (report.images_lean). About a third fewer bytes written and read
 * again for a CSV, SARIF or JUnit report; an inventory (JSON, XLSX,
 * HTML), a split or an evidence bundle need every field. */
#define STREAM_LEAN_IMAGES 1u

/* Start streaming into 'rep' (report_init'ed, rules set, no image yet).
 * Returns 0, or -1 with an error in 'd' when the temporary files cannot
 * be created ($TMPDIR). */
int report_stream_begin(struct report *rep, unsigned flags, struct diags *d);
/* Write what is pending and order the findings. Returns 0, or -1 with an
 * error in 'd' (a full disk). Then call report_finish() as usual. */
int report_stream_end(struct report *rep, struct diags *d);

/* The builders' streaming halves (report.c calls them when rep->stream
 * is set). */
uint32_t stream_add_image(struct report *rep, const struct record *rec);
size_t stream_add_finding(struct report *rep, uint32_t rule, uint32_t image,
                          const char *message);
/* The pool of waiver matches of the chunk's findings (report_add_match). */
void stream_match_pool(struct report *rep, uint32_t ***pool, size_t **n, size_t **cap);
struct report_finding *stream_added_finding(struct report *rep, size_t f);
void stream_set_image_source(struct report *rep, uint32_t image, uint32_t source);
void stream_free(struct report_stream *s);          /* accepts NULL */

#endif

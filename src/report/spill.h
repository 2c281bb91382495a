/* SPDX-License-Identifier: MIT
 * A report's images and findings kept on disk instead of in memory: the
 * store behind a merged report (imgaudit merge, report/combine.h), whose
 * 50 x 100,000 images would not fit the memory of one run otherwise,
 * behind the report of a run (report/stream.h), so that memory does not
 * grow with the tenant, and behind the images of a run's resolved
 * findings (report.resolved_spill, report/baseline.c).
 *
 * Three unlinked temporary files in $TMPDIR: the images (variable-length
 * records with their strings), each image's offset, and the findings
 * (fixed records, with their message and waiver matches in a fourth,
 * "blob" file). They are written once, appending, source after source,
 * then read through a small cache of pages, so memory stays a few
 * megabytes whatever the size. Nothing is left on disk, even after a
 * crash: the files have no names from the start.
 *
 * Order: a report's findings are in severity, rule id, then image
 * order. Each source's findings are already in that order, so a rule's
 * findings from one source are one run; spill_finish() orders the runs
 * by severity, rule id and source, and the i-th finding is found by a
 * binary search over the runs. That is the order report_finish() would
 * give the same findings in memory. (A run's report passes the number
 * of its chunk of findings as the "source": report/stream.c.)
 *
 * Reading: report_finding_at() and report_image_at() (report.h) decode
 * into a ring of SPILL_SLOTS entries; a pointer they return, and the
 * strings it points to, stay valid for the next SPILL_SLOTS - 1 calls of
 * the same accessor, in the same thread. Several threads may read at
 * once when each but one has its own reader (spill_reader_begin): the
 * files are read with pread, and each reader has its own pages and
 * slots. A read error cannot be handled by
 * a writer halfway through a row: it ends the program (exit 3) after
 * removing the run's temporary outputs. */
#ifndef IMGAUDIT_SPILL_H
#define IMGAUDIT_SPILL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report/report.h"
#include "util/diag.h"

#define SPILL_SLOTS 8

struct report_spill;

/* Create the store (temporary files in $TMPDIR). NULL with an error in
 * 'd' when they cannot be created. */
struct report_spill *spill_new(struct diags *d);
void spill_free(struct report_spill *s);                    /* accepts NULL */

/* Append an image (its strings are copied); returns its index. */
uint32_t spill_add_image(struct report_spill *s, const struct report_image *img);
/* A set of fields: bit f for enum field_id f. A record keeps only the
 * cells of its fields in the set; the others read back as missing. */
#define SPILL_ALL_FIELDS ((UINT64_C(1) << FIELD_COUNT) - 1)
_Static_assert(FIELD_COUNT <= 64, "a field set is 64 bits");
/* The same image record encoded straight from decoded record 'rec' into
 * *buf (grown as needed; *cap its size), without the copy of its
 * strings that report_image_fill() makes: what report/stream.c appends
 * for each image of a run. A string ends at its first NUL, as through
 * report_image_fill(). Only the fields in 'keep' are kept. The header
 * (findings 0, max_severity -1, source 0) is set later by
 * spill_set_header(). at[f] is where string field f's NUL-terminated
 * bytes are in *buf (when kept and CELL_OK). Returns the length. */
size_t spill_encode_record(char **buf, size_t *cap, const struct record *rec, uint64_t keep,
                           size_t at[FIELD_COUNT]);
/* Drop from the encoded record at 'enc' ('len' bytes) the fields not in
 * 'keep', in place; returns its new length. (The offsets at[] of
 * spill_encode_record no longer hold.) */
size_t spill_keep_fields(char *enc, size_t len, uint64_t keep);
void spill_set_header(char *enc, uint32_t findings, int max_severity, uint32_t source);
/* Append an image record spill_encode_record() made; returns its index. */
uint32_t spill_add_encoded(struct report_spill *s, const char *enc, size_t len);
/* Append finding 'fi' of source 'source' (its rule and image already
 * mapped to the combined report's; 'message' may be NULL; 'matches' the
 * combined report's waiver indexes). A source's findings must come in
 * its own order. */
void spill_add_finding(struct report_spill *s, uint32_t source, const struct report_finding *fi,
                       const char *message, const uint32_t *matches, uint32_t n_matches);
/* Set the findings count and worst severity (-1: none) of every image
 * added so far, findings[i] and max_severity[i], in place of what its
 * record was added with: a report read back (report/reader_spill.c)
 * knows them only once its findings, which come after its images, are
 * read. Before spill_finish(); rewrites the images file in blocks (an
 * I/O error ends the program, as for spill_update_findings). */
void spill_set_image_counts(struct report_spill *s, const uint32_t *findings,
                            const int8_t *max_severity);
/* Done writing: flush, and order the runs by the rules of 'rep' (their
 * severity and id). Returns 0, or -1 with an error in 'd' (a full disk). */
int spill_finish(struct report_spill *s, const struct report *rep, struct diags *d);

size_t spill_image_count(const struct report_spill *s);
size_t spill_finding_count(const struct report_spill *s);
const struct report_image *spill_image(struct report_spill *s, size_t i);
/* Call fn(ctx, i, img) for images from to to - 1, in order, 'img'
 * holding image i's findings, max_severity, source and its cells of the
 * fields before 'upto' (the others not set), valid during the call. For
 * a pass over every image that needs a few of its first fields (the
 * baseline's image identity), to which decoding whole records one by
 * one through a reader's slots was most of the cost: the records are
 * read in blocks, and decoded only as far as 'upto'. Shares nothing with the readers:
 * any thread, several at once, after spill_finish(). */
void spill_image_heads(struct report_spill *s, size_t from, size_t to, int upto,
                       void (*fn)(void *ctx, size_t i, const struct report_image *img),
                       void *ctx);
const struct report_finding *spill_finding(struct report_spill *s, size_t i);
/* After spill_finish(): call fn(ctx, fi) on every finding, in no
 * particular order, and keep what it sets of fi->change and
 * fi->first_seen_ms (a baseline's verdict, known only once the run's
 * metadata is). 'fi' has no message and no matches. */
void spill_update_findings(struct report_spill *s,
                           void (*fn)(void *ctx, struct report_finding *fi), void *ctx);
/* Waiver match 'k' of a finding that spill_finding() returned. */
uint32_t spill_finding_match(const struct report_finding *fi, uint32_t k);
/* Give the calling thread its own reader of 's' (a few pages per file
 * and its own slots, about 2 MB) until spill_reader_end(); without one,
 * a thread uses the store's. A thread may have readers of two stores at
 * once (a report's, and the store of its resolved findings' images);
 * spill_reader_end() ends them all. Only after spill_finish(), and never
 * while spill_update_findings() runs. */
void spill_reader_begin(struct report_spill *s);
void spill_reader_end(void);                        /* without a reader: nothing */

#endif

/* SPDX-License-Identifier: MIT
 * Reading a JSON report (schema version 4, docs/report-json-schema.md)
 * back into the report model: the exact inverse of the JSON writer
 * (render/json.c). A report written as JSON, read back and written again
 * in any format gives the same bytes as the original model did; the
 * baseline comparison (report/baseline.h), `imgaudit diff` and `verify`
 * build on that. Versions 2 and 3 (last week's baselines) are read too:
 * their meta.source said how the records were read, which becomes a pull
 * or a file of unknown provenance (and then does not write back the
 * same bytes: it is a version 3 report).
 *
 * What is read: meta (all of it), rules, waivers (with their counts),
 * data_quality, inventory (every cell typed back; null is a missing
 * cell), findings and resolved. Nothing is taken on trust that the model
 * computes: the summary is not read but recomputed by report_finish(),
 * and where a value is derived the reader checks that it agrees, so a
 * report that reads without error writes back unchanged:
 *   - each finding row's columns agree with its rule, its inventory
 *     entry, its waiver, and first_seen and meta.now (age_days);
 *   - each waiver's state and the gate's verdict and failed list agree
 *     with what report_finish() computes from now, the counts and the
 *     thresholds.
 *
 * Layout: any valid JSON is read (jq-pretty-printed, keys in any order,
 * not only the writer's one element per line); unknown keys are ignored,
 * at the top level and in rows, so a later writer may add some within
 * the same schema version. Every key the writer writes is required,
 * though: a finding row has every column of columns.def, so adding a
 * column to that table means a new schema version (or telling the
 * reader what to do without it). Strings must be valid JSON (UTF-8, escapes);
 * times must be written as imgaudit writes them (2026-11-27T08:00:00Z,
 * .mmm when not zero).
 *
 * Memory: the file is mapped, not loaded, and its pages are dropped as
 * the reader moves on, so memory is the model plus about 24 MiB whatever
 * the file size; the big sections (inventory, findings) are read row by
 * row by report/jsonscan.c without building JSON trees. Two exceptions:
 * a section that comes before what it refers to (jq --sort-keys puts
 * findings before rules) is skipped and read after the walk, its pages
 * kept in between; and a path that cannot be mapped (a pipe, or "-"
 * for standard input when it is not a file) is read whole into memory
 * (report_reader_open: copied to a temporary file). (A file truncated by
 * another process while it is read kills the process with SIGBUS:
 * reports are not written in place. report_reader_row, which reads a
 * row again later, checks first that the file's size and time are
 * unchanged, once per 2 MiB stretch of the file that it reads rows
 * from; a change after that check, within the stretch, is not caught.)
 *
 * Hashing: report_read_json_info() hashes the bytes as the reader
 * passes them, a step behind it, while they are still in the CPU's
 * cache (a second thread reading the file again cost more CPU: the copy
 * out of the page cache). The reader starts no thread.
 *
 * Errors: one diagnostic, "FILE:LINE:COL: error: ...", located at the
 * value concerned (section and index named: "findings[12].rule_id").
 * Exit code 3 in the CLI. */
#ifndef IMGAUDIT_READER_H
#define IMGAUDIT_READER_H
#include "report/report.h"
#include "util/diag.h"
#include "util/hash.h"

enum {
    REPORT_READ_FULL = 0,
    /* Skip the inventory: its array is only scanned for its length. The
     * model then still has one images[] entry per inventory element (so
     * image indexes are the file's), but each image has only the cells
     * its findings' rows carry (the image fields that are finding
     * columns, columns.def), and an image without findings has none;
     * in a report with sources, an image's source is the one its first
     * finding row's project_id and region name (a row that names none
     * is an error). The summary counts are right, but its by_namespace
     * and by_registry rows are left empty (report_finish_unwritten),
     * and the inventory is not (do not write such a report). What a
     * baseline needs, findings with their identity and last known
     * data; but a baseline is read by report_reader_open() (below),
     * which keeps even less and is tested against this mode. */
    REPORT_READ_NO_INVENTORY = 1,
    /* The model of REPORT_READ_FULL, every check and message the same,
     * but its images and findings go to disk as they are read
     * (rep->spill, report/spill.h; read them through report_image_at()
     * and report_finding_at()), so that memory does not grow with the
     * report's images and findings: about 33 bytes per inventory entry
     * while it is read (report/reader_spill.c; twice that at most as its
     * arrays grow), none once done. The "resolved" section is still
     * read into memory (rep->resolved, about 700 bytes a row): few rows
     * in a weekly report, most of it in a week where most findings were
     * fixed. How `imgaudit diff` reads NEW and `imgaudit merge` its
     * reports. The store takes findings in report order (severity, rule
     * id, image), the writer's; at the first row out of that order (a
     * file edited by hand) the file is read again from the start with
     * REPORT_READ_FULL, into memory, which gives the same model. So
     * 'rep' must be fresh from report_init() (it is disposed and
     * initialised again then). Not with REPORT_READ_NO_INVENTORY. A
     * pipe is first copied to a nameless temporary file in $TMPDIR, as
     * for report_reader_open(), and the store's files are made there
     * too: report_read_json() returns -2 when either cannot be made or
     * written (a write error, not the report's: the CLI's exit code 4). */
    REPORT_READ_SPILL = 2,
};

/* Read the JSON report at 'path' ("-": standard input) into 'rep'
 * (report_init'ed by the caller), then report_finish() it
 * (report_finish_unwritten() with REPORT_READ_NO_INVENTORY). Returns 0,
 * or -1 with one error in 'd' (-2: REPORT_READ_SPILL's temporary files,
 * above); 'rep' is then partly filled and must still be
 * report_dispose'd. */
int report_read_json(struct report *rep, const char *path, unsigned flags, struct diags *d);

/* What the reader can also tell about the file. */
struct report_read_info {
    char sha256[SHA256_HEX_LEN];    /* of the file's bytes */
};
/* report_read_json(), also filling 'info' (may be NULL). */
int report_read_json_info(struct report *rep, const char *path, unsigned flags,
                          struct report_read_info *info, struct diags *d);

/* ---- Reading the findings without keeping them ------------------ */

/* A finding row, as report_reader_open() hands it over. */
struct report_row {
    /* Its rule (rules[]), image (the inventory index), status, change,
     * first_seen, waiver and message (NULL: the rule's title); not its
     * waiver matches (n_matches and matches are 0). Read through the
     * finding index (report_reader_indexed): its waiver is -1 and its
     * message NULL, whatever the row says. */
    const struct report_finding *fi;
    /* The image values the row carries (the finding columns that are
     * image fields, columns.def; its other cells missing) and its
     * source. NULL on a later row of an image whose first row gave them
     * (the reader has checked that this row carries the same values).
     * Through the index: only registry_name, namespace, image_name and
     * image_version (a baseline's identity), and its source. A row read
     * again (report_reader_row) always has every value. */
    const struct report_image *img;
    uint32_t source;            /* the image's source; 0 without sources */
    size_t index;               /* findings[index] */
    size_t at;                  /* where the row starts, for report_reader_row() */
};
/* Called once per finding row, in file order. Pointers are valid
 * during the call only. */
typedef void (*report_row_fn)(void *ctx, const struct report *rep, const struct report_row *row);

/* An open report (the baseline's) whose rows can be read again. */
struct report_reader;

enum {
    /* Read the rows even when the report has a finding index. */
    REPORT_OPEN_NO_INDEX = 1,
};

/* Read the JSON report at 'path' as report_read_json_info() does with
 * REPORT_READ_NO_INVENTORY, with every check, but hand each finding row
 * to 'fn' instead of keeping it: the model gets meta, rules, waivers,
 * sources, resolved and the summary's counts (report.counted; not the
 * per-source rows of the summary, left at zero), but no images and no
 * findings. Memory is then the model without them, plus
 * about 20 bytes per inventory entry while the file is read (4 after,
 * with sources), whatever the number of findings. The file stays open
 * (mapped, its pages given back) until report_reader_close(), for
 * report_reader_row(); standard input or a pipe is first copied to a
 * nameless temporary file in $TMPDIR, which is mapped (an error if it
 * cannot be made). Returns 0 and '*out', or -1 with the error in 'd'
 * (nothing to close); 'rep' is report_init'ed by the caller, and
 * report_dispose'd by it in both cases.
 *
 * The finding index (report/reader_index.c, without
 * REPORT_OPEN_NO_INDEX): when the report ends with the writer's
 * finding_index_check and the CRC-32Cs of its findings and its index
 * agree, the inventory is not read (its length is the index's) and the
 * rows come from the index (struct report_row says what they then
 * carry); memory is a bit per inventory entry. Everything else, the
 * small sections and "resolved", is read and checked as always; an
 * index that agrees with its checksum but not with itself is an error. */
int report_reader_open(struct report_reader **out, struct report *rep, const char *path,
                       unsigned flags, report_row_fn fn, void *ctx,
                       struct report_read_info *info, struct diags *d);
/* Were the rows read through the finding index? */
bool report_reader_indexed(const struct report_reader *rr);
/* Read finding row 'index', at 'at' (a report_row's 'at'), again and
 * hand it to 'fn' with its image values ('img' is never NULL here).
 * Rows read in file order give their pages back as the reader goes. 0,
 * or -1 with the error in 'd': the file's size or modification time is
 * not what it was when opened (changed in place; checked when 'at' is
 * in another 2 MiB stretch than the row before), or 'at' is not a
 * row's. A file rewritten with the same size and time is not noticed
 * here: the caller checks that the row is the one it expects. */
int report_reader_row(struct report_reader *rr, size_t index, size_t at, report_row_fn fn,
                      void *ctx, struct diags *d);
void report_reader_close(struct report_reader *rr);     /* accepts NULL */

#endif
